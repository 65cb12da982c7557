"""Vale's patterns in Python: the same regex templates, translated from Go syntax.

Vale compiles rule patterns with Go engines (RE2 and regexp2). The `regex`
package in its VERSION1 mode reads nearly all of that syntax the same way,
including inline flags in the middle of a pattern (`(?-i)`), which Go scopes
to the enclosing group and Python's `re` refuses. What Go has and `regex`
lacks is translated here (`\\z`, `\\Q…\\E`).

One deliberate difference: Go's `\\b` and `\\w` are ASCII-only, ours are
Unicode, so a word-bounded token also matches in Russian, Italian or Swedish.
"""

from __future__ import annotations

from functools import lru_cache

import regex

IGNORE_CASE = "(?i)"
WORD_TEMPLATE = r"(?m)\b(?:{})\b"
NONWORD_TEMPLATE = r"(?m)(?:{})"


class PatternError(ValueError):
    """A rule's pattern does not compile; the message says why."""


def translate(pattern: str) -> str:
    """Go regex syntax → `regex` syntax, for the few constructs that differ."""
    if "\\" not in pattern:
        return pattern
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "z":
                out.append(r"\Z")
                i += 2
                continue
            if nxt == "Q":
                end = pattern.find(r"\E", i + 2)
                literal = pattern[i + 2:] if end < 0 else pattern[i + 2:end]
                out.append(regex.escape(literal))
                i = n if end < 0 else end + 2
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


_INLINE_FLAGS = regex.compile(r"(?<!^)(?<!\\)\(\?[a-zA-Z]*-?[a-zA-Z]*\)")


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> regex.Pattern:
    """Compile once per distinct pattern; raises PatternError with the engine's reason.

    Inline flags in mid-pattern (`(?-i)` in an alternation, `(?m)` after a raw
    prefix) need VERSION1, which scopes them to their group as Go does; other
    patterns use VERSION0, which is faster and reads character classes as Go.
    """
    source = translate(pattern)
    lead = regex.match(r"(?:\(\?[a-zA-Z]+\))*", source).end()
    first_try = regex.V1 if _INLINE_FLAGS.search(source[lead:]) else regex.V0
    try:
        return regex.compile(source, flags=first_try)
    except regex.error as first:
        try:
            return regex.compile(source, flags=regex.V0 if first_try == regex.V1 else regex.V1)
        except regex.error:
            raise PatternError(str(first)) from None


def make_regexp(*, ignorecase: bool, word: bool, raw: str = "", append: bool = False) -> str:
    """Vale's `makeRegexp`: the template with `{}` where the joined tokens go."""
    template = WORD_TEMPLATE if word else NONWORD_TEMPLATE
    template = template + raw.replace("{", "{{").replace("}", "}}") if append \
        else raw.replace("{", "{{").replace("}", "}}") + template
    return (IGNORE_CASE + template) if ignorecase else template


def exceptions_pattern(terms: list[str] | tuple[str, ...]) -> regex.Pattern | None:
    """Vale's `updateExceptions`: longest first, each term case-sensitive unless it says (?i)."""
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    parts = [t if t.startswith("(?i)") else f"(?-i:{t})" for t in ordered]
    return compile_pattern(r"(?m)\b(?:{})\b".format("|".join(parts)))


def is_match(pattern: regex.Pattern | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


_LOOKAROUND = regex.compile(r"\(\?<?[=!]((?:\\.|\[(?:\\.|[^\]])*\]|[^()\\])*)\)")
_ONE_CHAR = regex.compile(
    r"\[(?:\\.|[^\]\\])*\]|\\[dDwWsSpP](?:\{[^}]*\})?|\\.|[^\\\[\]()|*+?{}.^$]")


def _edge_blind(body: str) -> bool:
    """A lookaround testing one character that is never a newline: at the edge of
    a text and next to the blank line between two texts it answers the same."""
    if not _ONE_CHAR.fullmatch(body):
        return False
    try:
        return compile_pattern(body).fullmatch("\n") is None
    except PatternError:
        return False


def context_free(pattern: str) -> bool:
    """True when a pattern finds the same matches inside a block whether the block
    stands alone or sits between others, separated by blank lines.

    That holds unless the pattern looks around across the edge (it might see the
    neighbouring block) or anchors to the whole text. A lookaround that tests one
    character which can't be a newline (`(?<!\\w)`, `(?![\\d/])`) is safe: it
    answers the same at a text's edge and next to the blank line.
    """
    stripped = _LOOKAROUND.sub(lambda m: "" if _edge_blind(m.group(1)) else m.group(), pattern)
    if any(x in stripped for x in ("(?=", "(?!", "(?<=", "(?<!", "\\A", "\\Z", "\\z", "\\G")):
        return False
    return not _TEXT_ANCHOR.search(_CHAR_CLASS.sub("", _ESCAPE.sub("", pattern)))


# `^` and `$` outside a character class anchor to the whole text (Go's default;
# in `(?m)` to a line, which the blank line between blocks would fake too).
_ESCAPE = regex.compile(r"\\.")
_CHAR_CLASS = regex.compile(r"\[\^?\]?[^\]]*\]")
_TEXT_ANCHOR = regex.compile(r"[\^$]")


def is_phrase(s: str) -> bool:
    """Vale's `IsPhrase`: letters, digits, spaces and hyphens only (so not a regex)."""
    return all(c.isalpha() or c.isdigit() or c in " -" for c in s)


def match_token(expected: str, observed: str, ignorecase: bool) -> bool:
    """Vale's `matchToken`: is `observed` already an acceptable form of `expected`?"""
    if is_phrase(expected):
        return expected == observed
    try:
        pattern = compile_pattern(("(?i)" if ignorecase else "") + f"^(?:{expected})$")
    except PatternError:
        return expected == observed
    return pattern.search(observed) is not None


def go_format(message: str, *args: object) -> str:
    """Go's `fmt.Sprintf` as Vale calls it (`CondSprintf`): %s/%d/%v filled in order,
    missing arguments become empty, extra ones are dropped, %% is a percent sign."""
    if "%" not in message:
        return message
    out: list[str] = []
    i, n, k = 0, len(message), 0
    while i < n:
        c = message[i]
        if c != "%" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        j = i + 1
        if message[j] == "%":
            out.append("%")
            i += 2
            continue
        index = None
        if message[j] == "[":
            close = message.find("]", j)
            if close > 0 and message[j + 1:close].isdigit():
                index = int(message[j + 1:close]) - 1
                j = close + 1
        while j < n and message[j] in "+-# 0123456789.":
            j += 1
        if j >= n:
            out.append(message[i:])
            break
        verb = message[j]
        if index is not None:
            k = index
        value = args[k] if 0 <= k < len(args) else ""
        k += 1
        if verb in "sv":
            out.append(str(value))
        elif verb == "d":
            out.append(str(int(value)) if isinstance(value, (int, float)) else str(value))
        elif verb == "f":
            spec = message[i + 1:j].lstrip("[0123456789]")
            try:
                out.append(("%" + spec + "f") % float(value))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                out.append(str(value))
        else:
            out.append(message[i:j + 1])
        i = j + 1
    return "".join(out)


def to_sentence(words: list[str] | tuple[str, ...], conjunction: str = "or",
                quote: str = "'") -> str:
    """Vale's `ToSentence`: 'a', 'a' or 'b', 'a', 'b', or 'c'."""
    q = [f"{quote}{w}{quote}" for w in words]
    if not q:
        return ""
    if len(q) == 1:
        return q[0]
    if len(q) == 2:
        return f"{q[0]} {conjunction} {q[1]}"
    q[-1] = f"{conjunction} {q[-1]}"
    return ", ".join(q)


# --- literal anchors: a cheap test that rules a pattern out --------------------

_ESCAPED_LITERAL = set(".-'\"/ ,;:!?#@&%~`=<>_$^*+()[]{}|")


def anchors(pattern: str) -> frozenset[str] | None:
    """Casefolded literal strings one of which every match of `pattern` contains,
    or None when no such set can be read off the pattern.

    Like Vale's `MightMatch`: if none of them occurs in a document's lowered
    text, the pattern cannot match there and the regex need not run at all.
    """
    if regex.search(r"\(\?[a-wyzA-Z]*x", pattern):
        return None  # verbose mode: spaces and # are not literal
    try:
        found = _anchors(pattern, 0, len(pattern))
    except (IndexError, ValueError):
        return None
    if not found or any(len(a) == 0 for a in found):
        return None
    return frozenset(a.casefold() for a in found)


def group_end(p: str, i: int) -> int:
    """Index just past the group that opens at p[i] == '('."""
    depth = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(p, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced group")


def _class_end(p: str, i: int) -> int:
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p) and p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    return j + 1


def split_alternatives(p: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each top-level `|` alternative of p[start:end]."""
    parts, i, last = [], start, start
    while i < end:
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(p, i)
            continue
        if c == "(":
            i = group_end(p, i)
            continue
        if c == "|":
            parts.append((last, i))
            last = i + 1
        i += 1
    parts.append((last, end))
    return parts


def _anchors(p: str, start: int, end: int) -> set[str] | None:
    alternatives = split_alternatives(p, start, end)
    if len(alternatives) > 1:
        found: set[str] = set()
        for a, b in alternatives:
            sub = _anchors(p, a, b)
            if sub is None:
                return None
            found |= sub
        return found
    best_literal = ""
    best_group: set[str] | None = None
    run: list[str] = []

    def close_run() -> None:
        nonlocal best_literal
        if len("".join(run)) > len(best_literal):
            best_literal = "".join(run)
        run.clear()

    i = start
    while i < end:
        c = p[i]
        p[i + 1] if i + 1 < end else ""
        if c == "\\":
            esc = p[i + 1] if i + 1 < end else ""
            i += 2
            if esc in _ESCAPED_LITERAL:
                piece = esc
            else:  # \b \d \w \s \p{L} \x41 \1 …: not a literal
                close_run()
                if esc in "xuUpPNgk" and i < end and p[i] in "{<":
                    i = p.index("}" if p[i] == "{" else ">", i) + 1
                elif esc == "x":
                    i += 2
                elif esc == "u":
                    i += 4
                elif esc == "U":
                    i += 8
                elif esc in "pP":
                    i += 1
                elif esc.isdigit():
                    while i < end and p[i].isdigit():
                        i += 1
                i = _skip_quantifier(p, i, end)
                continue
        elif c == "[":
            close_run()
            i = _skip_quantifier(p, _class_end(p, i), end)
            continue
        elif c == "(":
            close_run()
            j = group_end(p, i)
            optional = _optional_quantifier(p, j, end)
            k = _skip_quantifier(p, j, end)
            head = p[i + 1:i + 4]
            if head.startswith(("?=", "?!", "?<=", "?<!")) or optional:
                i = k
                continue
            inner = i + 1
            if head.startswith("?:"):
                inner = i + 3
            elif head.startswith("?P<") or (head.startswith("?<") and head[2:3] not in "=!"):
                inner = p.index(">", i) + 1
            elif head.startswith("?"):
                flags = regex.match(r"\?[a-zA-Z\-]*(:|\))", p[i + 1:j])
                if not flags or flags.group(1) == ")":
                    i = k  # flags alone, or a construct we do not read: no anchor from it
                    continue
                inner = i + 1 + flags.end()
            sub = _anchors(p, inner, j - 1)
            if sub and (best_group is None or min(map(len, sub)) > min(map(len, best_group))):
                best_group = sub
            i = k
            continue
        elif c in ".^$":
            close_run()
            i = _skip_quantifier(p, i + 1, end)
            continue
        elif c in "?*+{":
            close_run()
            i += 1
            continue
        else:
            piece = c
            i += 1
        if _optional_quantifier(p, i, end):
            close_run()
            i = _skip_quantifier(p, i, end)
            continue
        run.append(piece)
        if i < end and p[i] in "+{":
            close_run()
            i = _skip_quantifier(p, i, end)
    close_run()
    if len(best_literal) >= 3 or (best_literal and best_group is None):
        return {best_literal}
    if best_group is not None:
        return best_group
    return {best_literal} if best_literal else None


def _optional_quantifier(p: str, i: int, end: int) -> bool:
    if i >= end:
        return False
    if p[i] in "?*":
        return True
    if p[i] == "{":
        m = regex.match(r"\{(\d*)", p[i:end])
        return bool(m) and (m.group(1) in ("", "0"))
    return False


def _skip_quantifier(p: str, i: int, end: int) -> int:
    if i < end and p[i] in "?*+":
        i += 1
    elif i < end and p[i] == "{":
        close = p.find("}", i, end)
        if close > 0 and regex.fullmatch(r"\{\d*(?:,\d*)?\}", p[i:close + 1]):
            i = close + 1
    if i < end and p[i] in "?+":  # lazy or possessive
        i += 1
    return i
