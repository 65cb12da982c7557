"""A moderation word list, matched the way Discourse watched words and Mastodon filters match.

- Whole words by default: `ass` does not fire on `class` or `passage`.
  `whole_word: false` matches anywhere, as Mastodon's "whole word" box unticked.
- `*` is a wildcard for any run of letters: `idiot*` catches `idiots`, `idiotic`.
- Case-insensitive by default (`ignorecase: false` to make it exact).
- Word boundaries are Unicode-aware, so lists work in Russian, Italian and
  Swedish (Python's `\\w` knows Cyrillic and accented letters; Vale's `\\b`,
  from Go's RE2, only knows ASCII).
- Hashtags are text here: `#idiots` is caught too.
"""

from __future__ import annotations

import unicodedata

import regex

from .checks import RuleError, ScanCheck
from .patterns import PatternError, anchors, compile_pattern, exceptions_pattern, go_format


def word_pattern(word: str) -> str:
    """One list entry as a regex: literal text, `*` for any letters."""
    word = unicodedata.normalize("NFC", word.strip())
    return r"\w*".join(regex.escape(part) for part in word.split("*"))


class Moderation(ScanCheck):
    def __init__(self, message: str, words: list[str], ignorecase: bool, whole_word: bool,
                 exceptions: list[str]):
        words = [w for w in words if str(w).strip()]
        if not words:
            raise RuleError("a moderation rule needs a non-empty 'words' list", "words")
        alternatives = "|".join(word_pattern(str(w))
                                for w in sorted(words, key=lambda w: len(str(w)), reverse=True))
        source = f"(?<!\\w)(?:{alternatives})(?!\\w)" if whole_word else f"(?:{alternatives})"
        if ignorecase:
            source = "(?i)" + source
        try:
            self.pattern = compile_pattern(source)
        except PatternError as err:  # pragma: no cover - escaped input always compiles
            raise RuleError(f"the word list does not compile: {err}", "words") from None
        self.context_free = True
        self.anchors = anchors(source)
        self.exceptions = exceptions_pattern(exceptions) if exceptions else None
        self.message = message
        self.words = tuple(str(w) for w in words)

    def scan(self, text: str, pos: int = 0, endpos: int | None = None):
        exc = self.exceptions
        for m in self.pattern.finditer(text, pos, len(text) if endpos is None else endpos):
            matched = m.group()
            if not matched or (exc is not None and exc.search(matched)):
                continue
            yield m.start(), m.end(), go_format(self.message, matched), matched, ()
