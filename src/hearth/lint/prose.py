"""Prose measurements the rules need: sentences, words, syllables, case styles.

Vale leans on two Go libraries for these (prose's Punkt sentence tokenizer and
twine's readability counts). What follows is a small, dependency-free
approximation that agrees with them on ordinary prose: a sentence ends at
`.`, `!`, `?` or `…` followed by a space and a capital, a digit or a quote,
unless the word before the period is a known abbreviation or an initial.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import regex

# Words that end with a period without ending a sentence. Only ones that are no
# ordinary word too: "sat." or "no." end sentences far more often than not.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "eg", "ie", "cf", "approx",
    "inc", "ltd", "corp", "dept", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "dott", "avv", "ecc", "pag", "тов", "гг", "ул", "им", "др", "те",
    "тк", "итд",
})

WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*")


# A sentence ends at terminal punctuation (and any closing quotes/brackets)
# followed by whitespace and something that can start a sentence.
_END_CANDIDATE = re.compile(r"[.!?…‽]+[\"'”’»)\]]*\s+[\"'“‘«(\[]*(\S)")


@lru_cache(maxsize=512)  # a paragraph is split for sentence rules and again for metrics
def _boundaries(text: str) -> tuple[int, ...]:
    """Offsets just past each sentence end in `text` (not the last sentence's)."""
    ends = []
    for m in _END_CANDIDATE.finditer(text):
        nxt = m.group(1)
        if not (nxt.isupper() or nxt.istitle() or nxt.isdigit() or nxt in "¿¡"):
            continue
        stop = m.group().split()[0]
        start = m.start()
        if stop.startswith(".") and len(stop.rstrip("\"'”’»)]")) == 1:
            # the word before the period: an abbreviation or an initial ends nothing
            word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
            token = text[word_start:start].lstrip("(\"'“‘«[").lower().replace(".", "")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        ends.append(start + len(stop))
    return tuple(ends)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, surrounding whitespace excluded."""
    spans = []
    start = 0
    for end in _boundaries(text) + (len(text),):
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
        start = end
    return spans


def count_sentences(text: str) -> int:
    """len(sentence_spans(text)), without building the spans."""
    return len(_boundaries(text)) + 1 if text.strip() else 0


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """English syllable estimate: vowel groups, less a silent final e; at least one."""
    w = word.lower().strip("'’")
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    groups = regex.findall(r"[aeiouyàèéìòùäöåæøáíóúëïü]+", w)
    count = len(groups)
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    silent_ending = w.endswith(("ed", "es")) and not w.endswith(
        ("ted", "ded", "ses", "zes", "ces", "ges", "xes"))
    if silent_ending and count > 1:
        count -= 1
    return max(1, count)


_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")
_EDGE_PUNCT = "".join(chr(c) for c in range(0x2000, 0x206F)) + \
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»¡¿…“”‘’„—–"


@lru_cache(maxsize=131072)
def _token_stats(token: str) -> tuple[int, int, int, int, int]:
    """(characters, syllables, long, polysyllabic, complex) of one whitespace-separated
    token, or all zeros when it holds no word."""
    word = token.strip(_EDGE_PUNCT)
    if not word or not any(c.isalnum() for c in word):
        return 0, 0, 0, 0, 0
    chars = len(_NOT_ALNUM.sub("", word))
    s = syllables(word)
    complex_ = (s - 1 if word.endswith(("es", "ed", "ing")) else s) > 2
    return chars, s, int(len(word) > 6), int(s > 2), int(complex_)


def text_metrics(text: str) -> dict[str, float]:
    """Vale's metric variables for a stretch of prose (paragraphs split on blank lines)."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    sentences = sum(count_sentences(p) for p in paragraphs)
    words = characters = syllable_total = complex_words = long_words = polysyllabic = 0
    for token, n in Counter(text.split()).items():
        chars, s, long_, poly, complex_ = _token_stats(token)
        if chars:
            words += n
            characters += chars * n
            syllable_total += s * n
            long_words += long_ * n
            polysyllabic += poly * n
            complex_words += complex_ * n
    return {
        "sentences": float(sentences), "words": float(words), "characters": float(characters),
        "syllables": float(syllable_total), "complex_words": float(complex_words),
        "long_words": float(long_words), "polysyllabic_words": float(polysyllabic),
        "paragraphs": float(len(paragraphs)),
    }


def grade_levels(m: dict[str, float]) -> dict[str, float]:
    """The readability formulas Vale's `readability` rules name, from `text_metrics`."""
    words = max(m["words"], 1.0)
    sentences = max(m["sentences"], 1.0)
    return {
        "Flesch-Kincaid": 0.39 * (words / sentences) + 11.8 * (m["syllables"] / words) - 15.59,
        "Gunning Fog": 0.4 * ((words / sentences) + 100.0 * (m["complex_words"] / words)),
        "Coleman-Liau": 0.0588 * (m["characters"] / words * 100.0)
        - 0.296 * (sentences / words * 100.0) - 15.8,
        "SMOG": 1.0430 * math.sqrt(m["polysyllabic_words"] * 30.0 / sentences) + 3.1291,
        "Automated Readability": 4.71 * (m["characters"] / words)
        + 0.5 * (words / sentences) - 21.43,
    }


# --- case styles (Vale's capitalization `$sentence` and `$title`) -------------

CASE_TOKEN = r"[\p{N}\p{L}*]+[^\s]*"
_SMALL_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "en", "for", "if", "in", "nor", "of", "on", "or",
    "per", "the", "to", "vs", "vs.", "via", "v", "v.",
})
_PREPOSITIONS = frozenset({
    "with", "from", "into", "during", "including", "until", "against", "among", "throughout",
    "despite", "towards", "upon", "concerning", "about", "over", "through", "before",
    "between", "after", "since", "without", "under", "within", "along", "following", "across",
    "beyond", "around", "down", "near", "above",
})
_TITLE_SPLIT = regex.compile(r"[\p{N}\p{L}]+[^\s\-/]*")


def cap_first(word: str, strict: bool) -> str:
    if not word:
        return word
    rest = word[1:].lower() if strict else word[1:]
    return word[0].upper() + rest


@lru_cache(maxsize=256)
def _vocab_index(vocab: tuple[str, ...]) -> tuple[dict[str, str], tuple[regex.Pattern, ...]]:
    folded = {}
    patterns = []
    for entry in vocab:
        folded.setdefault(entry.casefold(), entry)
        if not entry.replace(" ", "").replace("-", "").isalnum():
            try:
                patterns.append(regex.compile(entry))
            except regex.error:
                continue
    return folded, tuple(patterns)


def _in_vocab(vocab: tuple[str, ...], token: str) -> str:
    """Vale's `inVocab`: the entry as written if it equals the token in any case,
    the token itself if an entry (a pattern) matches it whole, else ''."""
    if not vocab:
        return ""
    folded, patterns = _vocab_index(vocab)
    entry = folded.get(token.casefold())
    if entry is not None:
        return entry
    for pattern in patterns:
        if pattern.fullmatch(token):
            return token
    return ""


_NUMBERED = regex.compile(r"\d+\.")   # "8. Install it": a numbered heading starts a sentence


def to_sentence_case(s: str, vocab: tuple[str, ...], indicators: tuple[str, ...],
                     tokens_pattern: regex.Pattern | None = None) -> str:
    """The sentence-case form of `s`: first word and words after an indicator capitalized."""
    tokens = (tokens_pattern or regex.compile(CASE_TOKEN)).findall(s)
    made = []
    for i, token in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        entry = _in_vocab(vocab, token)
        if entry:
            made.append(entry)
        elif i == 0 or (prev and prev.endswith(indicators)) or (i == 1 and _NUMBERED.search(prev)):
            made.append(cap_first(token, True))
        else:
            made.append(token.lower())
    return " ".join(made)


def to_title_case(s: str, vocab: tuple[str, ...], chicago: bool = False) -> str:
    """AP (default) or Chicago title case; small words stay lower unless first or last."""
    matches = list(_TITLE_SPLIT.finditer(s))
    out, last = [], 0
    for i, m in enumerate(matches):
        word = m.group()
        low = word.lower()
        bounding = i == 0 or i == len(matches) - 1
        prev = s[m.start() - 1] if m.start() else ""
        entry = _in_vocab(vocab, word)
        small = low in _SMALL_WORDS or (chicago and low in _PREPOSITIONS)
        if entry:
            new = entry
        elif small and not bounding and prev in (" ", "-", "/"):
            new = low
        else:
            new = cap_first(word, False)
        out.append(s[last:m.start()])
        out.append(new)
        last = m.end()
    out.append(s[last:])
    return "".join(out)
