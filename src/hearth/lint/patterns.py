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


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> regex.Pattern:
    """Compile once per distinct pattern; raises PatternError with the engine's reason."""
    source = translate(pattern)
    try:
        return regex.compile(source, flags=regex.V1)
    except regex.error as first:
        try:  # character-class set operations are V1-only; plain V0 reads [a-z--] literally
            return regex.compile(source, flags=regex.V0)
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


_NEGATIVE_WORD_LOOKS = regex.compile(r"\(\?<!\[?\\w[^()]*?\]?\)|\(\?!\[?\\w[^()]*?\]?\)")


def context_free(pattern: str) -> bool:
    """True when a pattern finds the same matches inside a block whether the block
    stands alone or sits between others separated by blank lines.

    That holds unless the pattern looks around (a lookbehind at a block's start
    would see the previous block) or anchors to the whole text. Lookarounds that
    only test for a word character are safe: a blank line is no word character,
    just like the edge of a text.
    """
    stripped = _NEGATIVE_WORD_LOOKS.sub("", pattern)
    return not any(x in stripped for x in ("(?=", "(?!", "(?<=", "(?<!", "\\A", "\\Z", "\\z",
                                           "\\G"))


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
