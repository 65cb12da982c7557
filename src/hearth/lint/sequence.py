"""Vale's `sequence` rules: a run of words, each by pattern and part-of-speech tag.

`tokens` is a list of mappings: `pattern` (a word pattern, word-bounded, with
`ignorecase`), `tag` (a pattern on the Penn Treebank tag, `NN|NNS`), `negate`
(the token must not match), `skip` (up to this many words may come before it).
The first token with a pattern that is not negated is the anchor: each time
its pattern occurs in a sentence, the next word it matches is the anchor's
place, and the tokens left and right of it are checked outward, as Vale's
`sequenceMatches` does (internal/check/sequence.go). The finding spans the
matched words; the message's `%s` are the matched words in order.

A sequence rule always runs on sentences, as in Vale. Tags come from `tagger`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .blocks import Block
from .checks import Check, Hit, RuleError, yes_no
from .patterns import PatternError, compile_pattern, go_format, make_regexp
from .tagger import Token, tag_text, tagger


@dataclass(frozen=True)
class NLPToken:
    pattern: str = ""
    tag: str = ""
    skip: int = 0
    negate: bool = False
    optional: bool = False
    start: bool = False
    end: bool = False
    re: Any = None
    full: Any = None
    tag_re: Any = None

    def word_matches(self, text: str) -> bool:
        """The pattern, word-bounded, is in the word, or is the whole word: a word
        that is all punctuation (`'s`, `n't`) has no word boundary to bound it."""
        return self.re.search(text) is not None or self.full.fullmatch(text) is not None


def _tokens_match(token: NLPToken, word: Token) -> bool:
    failed_tag = (token.tag_re.search(word.tag) is not None) == token.negate
    failed_tok = token.re is not None and token.word_matches(word.text) == token.negate
    return not ((not token.pattern and failed_tag) or (not token.tag and failed_tok)
                or (token.tag and token.pattern and (failed_tag or failed_tok)))


def _as_bool(value: Any, key: str, index: int) -> bool:
    answer = yes_no(value)
    if answer is None:
        raise RuleError(f"'tokens' entry {index + 1}: '{key}' must be true or false", "tokens",
                        index)
    return answer


def make_tokens(value: Any, ignorecase: bool) -> list[NLPToken]:
    """Vale's `makeTokens`: a token with `skip: n` becomes n optional copies of
    itself before the token proper."""
    if not isinstance(value, list) or not value:
        raise RuleError("a sequence rule needs 'tokens', a list of mappings with 'pattern', "
                        "'tag', 'negate' or 'skip'", "tokens")
    out: list[NLPToken] = []
    template = make_regexp(ignorecase=ignorecase, word=True)
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise RuleError(f"'tokens' entry {i + 1} must be a mapping with 'pattern', 'tag', "
                            "'negate' or 'skip'", "tokens", i)
        item = {str(k).lower(): v for k, v in item.items()}
        unknown = sorted(set(item) - {"pattern", "tag", "negate", "skip"})
        if unknown:
            raise RuleError(f"'tokens' entry {i + 1}: '{unknown[0]}' is not a token key "
                            "(pattern, tag, negate, skip)", "tokens", i)
        pattern = "" if item.get("pattern") is None else str(item["pattern"])
        tag = "" if item.get("tag") is None else str(item["tag"])
        try:
            skip = int(item.get("skip") or 0)
        except (TypeError, ValueError):
            raise RuleError(f"'tokens' entry {i + 1}: 'skip' must be a whole number",
                            "tokens", i) from None
        try:
            re = compile_pattern(template.format(pattern)) if pattern else None
            full = compile_pattern(("(?i)" if ignorecase else "") + f"(?:{pattern})") \
                if pattern else None
            tag_re = compile_pattern(tag)
        except PatternError as err:
            raise RuleError(f"'tokens' entry {i + 1} is not a valid regular expression: {err}",
                            "tokens", i) from None
        tok = NLPToken(pattern, tag, skip, _as_bool(item.get("negate"), "negate", i),
                       optional=True, re=re, full=full, tag_re=tag_re)
        for n in range(skip, 0, -1):
            tok = replace(tok, start=n == skip)
            out.append(tok)
        if pattern or tag:
            out.append(replace(tok, optional=False, end=True))
    return out


class SequenceCheck(Check):
    """`extends: sequence`."""

    mode = "block"

    def __init__(self, message: str, tokens: Any, ignorecase: bool):
        self.message = message
        self.tokens = make_tokens(tokens, ignorecase)
        self.anchor = next((i for i, t in enumerate(self.tokens)
                            if not t.negate and t.pattern), None)

    def might_match(self, lower: str, text: str) -> bool:
        if self.anchor is None:
            return False
        return self.tokens[self.anchor].re.search(text) is not None

    def _matches(self, idx: int, target: NLPToken, words: list[Token],
                 history: list[int]) -> tuple[list[int], int]:
        """Vale's `sequenceMatches`: the indices of the matched words (empty: no match)
        and the anchor's index, remembered so the next occurrence takes the next word."""
        toks = self.tokens
        size_t, size_w = len(toks), len(words)
        index = 0
        found: list[int] = []
        for jdx, word in enumerate(words):
            if not _tokens_match(target, word) or jdx in history:
                continue
            index = jdx
            if idx > 0:
                i = 1
                while idx - i >= 0:
                    if jdx - i < 0:
                        return [], index
                    tok = toks[idx - i]
                    if tok.skip > 0:
                        tok = replace(tok, optional=(tok.optional or tok.end) and not tok.start)
                    found.insert(0, jdx - i)
                    mat = _tokens_match(tok, words[jdx - i])
                    if not mat and not tok.optional:
                        return [], index
                    if mat and tok.optional:
                        break
                    i += 1
            if idx < size_t:
                i = 0
                while idx + i < size_t:
                    if jdx + i >= size_w:
                        return [], index
                    tok = toks[idx + i]
                    found.append(jdx + i)
                    mat = _tokens_match(tok, words[jdx + i])
                    if not mat and not tok.optional:
                        return [], index
                    if mat and tok.optional:
                        break
                    i += 1
            break
        return found, index

    def preload(self, lang: str | None) -> None:
        """Load the tagger's model now (before lint workers fork)."""
        if self.anchor is not None:
            tagger()

    def run(self, block: Block, state: dict) -> list[Hit]:
        if self.anchor is None:
            return []
        target = self.tokens[self.anchor]
        text = block.text
        occurrences = list(target.re.finditer(text))
        if not occurrences:
            return []
        words = tag_text(text)
        hits: list[Hit] = []
        history: list[int] = []
        for _ in occurrences:
            found, index = self._matches(self.anchor, target, words, history)
            history.append(index)
            if found:
                steps = [words[i].text for i in found]
                start, end = words[found[0]].start, words[found[-1]].end
                hits.append(Hit(block, start, end, go_format(self.message, *steps),
                                steps_to_string(steps)))
        return hits


def steps_to_string(steps: list[str]) -> str:
    """Vale's `stepsToString`: words joined by spaces, a contraction (`'s`) glued on."""
    s = ""
    for step in steps:
        s += step if step.startswith(("'", "’")) else " " + step
    return s.strip(" ")


__all__ = ["NLPToken", "SequenceCheck", "make_tokens", "steps_to_string"]
