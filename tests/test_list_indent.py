"""list_indent's short cut (`unchanged`) changes nothing: `reindent` gives
what it gave before it, kept here as `old_reindent`, for random texts heavy
in list items, quotes, fences, rules and indentation."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.list_indent import reindent, unchanged

# list_indent.py as it was before the short cut (commit e6a56d6)
ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( {1,4}(?=\S)|(?= *$))")
RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
FENCE = re.compile(r"^ *(`{3,}|~{3,})")
QUOTE = re.compile(r"^( {0,3}> ?)")
STEP = 4


def old_reindent(lines: list[str]) -> list[str]:
    out: list[str] = []
    stack: list[tuple[int, int]] = []       # each open item: (content column as written, as re-indented)
    fence: tuple[str, int] | None = None     # the open fence's marker and the indent shift in it
    blank = True
    quoted: list[str] = []                   # the block quote being read, without its `>`
    for number, line in enumerate(lines):
        quote = QUOTE.match(line) if fence is None else None
        if quote and (quoted or not stack or indent_of(line) < stack[0][0]):
            stack = []                          # a quote left of every open item ends the list
            quoted.append(line[quote.end():])
            if number + 1 < len(lines) and QUOTE.match(lines[number + 1]):
                continue
            out += ["> " + inner if inner.strip() else ">" for inner in old_reindent(quoted)]
            quoted = []
            blank = False
            continue
        if fence is not None:
            marker, shift = fence
            stripped = line.strip()
            out.append(shift_line(line, shift))
            if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
                fence = None
            continue
        if not line.strip():
            out.append(line)
            blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        limit = stack[-1][0] + STEP if stack else STEP
        item = ITEM.match(line) if indent < limit and not RULE.match(line) else None
        if item and not (blank or stack):
            item = None                         # a paragraph's line, not a list (needs a blank line)
        if item:
            while stack and indent < stack[-1][0]:
                stack.pop()
            new_indent = stack[-1][1] if stack else 0
            marker = item.group(2)
            gap = len(item.group(3))
            written_column = indent + len(marker) + (gap or 1)
            out.append(" " * new_indent + marker + " " + line[item.end():])
            stack.append((written_column, new_indent + STEP))
        else:
            if blank:
                while stack and indent < stack[-1][0]:
                    stack.pop()
            if stack:
                written, new = stack[-1]
                line = shift_line(line, new - written) if indent >= written else " " * new + line.lstrip(" ")
                opening = FENCE.match(line)
                if opening:
                    fence = (opening.group(1), new - written)
            else:
                opening = FENCE.match(line)
                if opening and indent < STEP:
                    fence = (opening.group(1), 0)
            out.append(line)
        blank = False
    return out


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def shift_line(line: str, by: int) -> str:
    if by >= 0:
        return " " * by + line if line.strip() else line
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, -by):]

INDENTS = ["", "", "", " ", "  ", "   ", "    ", "     ", "      ", "        ", "\t"]
STARTS = ["", "", "", "- ", "* ", "+ ", "1. ", "2) ", "10. ", "-", "1.", "-  ", "-   ", "-     ",
          "> ", ">", ">  ", " > ", "> > ", ">- ", "> - ", ">   - ", "- - -", "* * *", "***", "---",
          "```", "~~~", "````", "```python", "- ```", "> ```", "#", "\u00a0"]
ENDS = ["", "a", "a", "b c", "text", " ", "  ", "`", "```", "~~~", "- x", "1. y", "> q", "\u00a0"]
line = st.tuples(st.sampled_from(INDENTS), st.sampled_from(STARTS),
                 st.sampled_from(ENDS)).map("".join)
documents = st.lists(st.one_of(line, st.just(""), st.just("- item"), st.just("> quoted")),
                     max_size=30)
texts = st.text(alphabet=" ->*+1.)`~a\n\t", max_size=80).map(lambda t: t.split("\n"))


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(documents, texts))
def test_reindent_gives_what_it_gave_before(lines):
    assert reindent(list(lines)) == old_reindent(list(lines))
    if unchanged(lines):
        assert old_reindent(list(lines)) == lines


def test_a_plain_post_is_read_at_once():
    post = ["Intro *text*.", "", "- one", "- two", "1. three", "", "Then.", "  still then",
            "", "> a quote", ">", "> - in it", "", "## Heading", "", "```yaml", "a: b", "```", ""]
    assert unchanged(post) and reindent(post) is post


def test_what_reindent_changes_is_not_read_at_once():
    for lines in (["- a", "  - b"], ["- a", "lazy"], ["- a", "", "  more"], ["-  a"], ["-"],
                  [" > q"], [">q"], ["> - a", ">   - b"], ["- a", "- - -"], ["1. a", "", "   b"]):
        assert not unchanged(lines), lines
        assert reindent(lines) == old_reindent(lines)
