"""List indentation as CommonMark, kramdown and goldmark read it, for Python-Markdown.

Python-Markdown nests a list, and keeps a paragraph or a fence in an item,
only when it is indented by four spaces a level; every other Markdown reader
(kramdown for Jekyll, goldmark for Hugo, GitHub) takes what starts at the
item's content column: two spaces under `- `, three under `1. `, four too. A
migrated blog writes both. This preprocessor re-indents what belongs to a
list item to four spaces a level, keeping any indentation beyond the content
column (an indented code block in an item stays one), so Python-Markdown's own
list, paragraph and fence readers see what the writer meant. A block quote's
lines (`> - a` / `>   - b`) are re-indented the same way inside their `>`. It reads only
indentation and list markers: everything else is left as written.

Most documents need none of it (top-level `- item` lists, `> quote` lines):
`unchanged` tells them by a few regexes over the whole text, and `reindent`
gives their lines back as they are without reading them line by line.
"""

from __future__ import annotations

import re

from markdown.preprocessors import Preprocessor

_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( {1,4}(?=\S)|(?= *$))")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_FENCE = re.compile(r"^ *(`{3,}|~{3,})")
_QUOTE = re.compile(r"^( {0,3}> ?)")
STEP = 4

# What `reindent` may change, each at a line's start (after a "\n" put before
# the first line too). Without any of these, every item is `- text` (one
# space, text) at the left margin, followed by another such item or a blank
# line, and the first line after blank lines is such an item or starts without
# a space, which ends the list: no line is in an item, so none is re-indented.
# Read without knowing fences, quotes or paragraphs, so a fence's lines count
# too: a document with one of these goes line by line, as before.
_ITEM_START = r"(?:[-*+]|\d{1,9}[.)])"
_MAY_CHANGE = re.compile(r"""\n(?=[ >*+\-\d])(?:
    \ {1,3}>                                   # a quote not at the margin
  | >(?!\ \S|$)                                # `>` not followed by one space and text
  | \ +ITEM(?:\ |$)                            # an indented item
  | ITEM(?:$|\ (?!\S))                          # an item without text, or with a wider gap
  | [-*]\ [-*\ ]*$                              # a rule that looks like an item (`- - -`)
  | ITEM\ .*\n(?![^\S\n]*$|ITEM\ )              # an item's next line: text, not an item
  | ITEM\ .*\n(?:[^\S\n]*\n)+\                  # an item, blank lines, an indented line
)""".replace("ITEM", _ITEM_START), re.MULTILINE | re.VERBOSE)
_QUOTED = re.compile(r"\n>[^\n]*(?:\n>[^\n]*)*")   # consecutive `> text` and `>` lines


def unchanged(lines: list[str]) -> bool:
    """True only when `reindent` gives these lines back as they are: nothing
    in `_MAY_CHANGE`, and each block quote's text (`> text` and `>` lines,
    which `reindent` writes as they are) unchanged in the same way."""
    text = "\n" + "\n".join(lines)
    if _MAY_CHANGE.search(text):
        return False
    return "\n>" not in text or all(
        unchanged([line[2:] for line in quote.group(0)[1:].split("\n")])
        for quote in _QUOTED.finditer(text))


def reindent(lines: list[str]) -> list[str]:
    if unchanged(lines):
        return lines
    return _reindent(lines)


def _reindent(lines: list[str]) -> list[str]:
    out: list[str] = []
    stack: list[tuple[int, int]] = []       # each open item: (content column as written, as re-indented)
    fence: tuple[str, int] | None = None     # the open fence's marker and the indent shift in it
    blank = True
    quoted: list[str] = []                   # the block quote being read, without its `>`
    for number, line in enumerate(lines):
        quote = _QUOTE.match(line) if fence is None else None
        if quote and (quoted or not stack or _indent(line) < stack[0][0]):
            stack = []                          # a quote left of every open item ends the list
            quoted.append(line[quote.end():])
            if number + 1 < len(lines) and _QUOTE.match(lines[number + 1]):
                continue
            out += ["> " + inner if inner.strip() else ">" for inner in reindent(quoted)]
            quoted = []
            blank = False
            continue
        if fence is not None:
            marker, shift = fence
            stripped = line.strip()
            out.append(_shift(line, shift))
            if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
                fence = None
            continue
        if not line.strip():
            out.append(line)
            blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        limit = stack[-1][0] + STEP if stack else STEP
        item = _ITEM.match(line) if indent < limit and not _RULE.match(line) else None
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
                line = _shift(line, new - written) if indent >= written else " " * new + line.lstrip(" ")
                opening = _FENCE.match(line)
                if opening:
                    fence = (opening.group(1), new - written)
            else:
                opening = _FENCE.match(line)
                if opening and indent < STEP:
                    fence = (opening.group(1), 0)
            out.append(line)
        blank = False
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _shift(line: str, by: int) -> str:
    if by >= 0:
        return " " * by + line if line.strip() else line
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, -by):]


class ListIndent(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return reindent(lines)
