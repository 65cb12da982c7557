"""Part-of-speech tags for `sequence` rules: Penn Treebank tags, offline.

The model is Matthew Honnibal's greedy averaged perceptron, the one the
`textblob-aptagger` package ships (trontagger-0.1.0.pickle, trained on the
Wall Street Journal part of the Penn Treebank). Vale's tagger (jdkato's
prose/twine) is a port of the same tagger, so the same words get the same
tags. The prediction code is a few lines and lives here, so the package is
only read for its model file: it is never imported (it would import TextBlob
and NLTK). The pickle is read with an unpickler that builds nothing but
dictionaries, sets, tuples, strings and numbers.

Words are cut as Penn Treebank (and prose) cut them: punctuation apart, and
contractions split off their word (`API's` → `API` `'s`, `don't` → `do` `n't`).
"""

from __future__ import annotations

import importlib.util
import pickle
from collections import defaultdict
from pathlib import Path
from typing import Any, NamedTuple

import regex

MODEL_PACKAGE = "textblob_aptagger"
MODEL_FILE = "trontagger-0.1.0.pickle"


class Token(NamedTuple):
    text: str
    tag: str
    start: int
    end: int


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module in ("__builtin__", "builtins") and name in ("set", "frozenset", "dict",
                                                              "list", "tuple"):
            return {"set": set, "frozenset": frozenset, "dict": dict, "list": list,
                    "tuple": tuple}[name]
        raise pickle.UnpicklingError(f"the tagger model may not hold {module}.{name}")


class TaggerMissing(RuntimeError):
    """The model package is not installed."""


def model_path() -> Path | None:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    return path if path.is_file() else None


class Tagger:
    START = ("-START-", "-START2-")
    END = ("-END-", "-END2-")

    def __init__(self, weights: dict, tagdict: dict, classes: set):
        self.weights = weights
        self.tagdict = tagdict
        self.classes = sorted(classes)

    @classmethod
    def load(cls) -> Tagger:
        path = model_path()
        if path is None:
            raise TaggerMissing(f"the part-of-speech model ({MODEL_PACKAGE}) is not installed")
        with path.open("rb") as f:
            weights, tagdict, classes = _DataOnly(f, encoding="latin1").load()
        return cls(weights, tagdict, classes)

    @staticmethod
    def _normalize(word: str) -> str:
        if "-" in word and word[0] != "-":
            return "!HYPHEN"
        if word.isdigit() and len(word) == 4:
            return "!YEAR"
        if word[:1].isdigit():
            return "!DIGITS"
        return word.lower()

    def _predict(self, features: dict[str, int]) -> str:
        scores: dict[str, float] = defaultdict(float)
        weights = self.weights
        for feat, value in features.items():
            w = weights.get(feat)
            if not w or not value:
                continue
            for label, weight in w.items():
                scores[label] += value * weight
        return max(self.classes, key=lambda label: (scores[label], label))

    def tag(self, words: list[str]) -> list[str]:
        context = [*self.START, *(self._normalize(w) for w in words), *self.END]
        prev, prev2 = self.START
        tags = []
        for i, word in enumerate(words):
            tag = self.tagdict.get(word)
            if not tag:
                j = i + 2
                features: dict[str, int] = defaultdict(int)
                for key in ("bias", "i suffix " + word[-3:], "i pref1 " + word[:1],
                            "i-1 tag " + prev, "i-2 tag " + prev2,
                            f"i tag+i-2 tag {prev} {prev2}", "i word " + context[j],
                            f"i-1 tag+i word {prev} {context[j]}",
                            "i-1 word " + context[j - 1], "i-1 suffix " + context[j - 1][-3:],
                            "i-2 word " + context[j - 2], "i+1 word " + context[j + 1],
                            "i+1 suffix " + context[j + 1][-3:], "i+2 word " + context[j + 2]):
                    features[key] += 1
                tag = self._predict(features)
            tags.append(tag)
            prev2, prev = prev, tag
        return tags


_tagger: Tagger | None = None


def tagger() -> Tagger:
    global _tagger
    if _tagger is None:
        _tagger = Tagger.load()
    return _tagger


_CONTRACTION = regex.compile(r"(?i)^(.+?)(n['’]t|['’](?:s|m|d|ll|re|ve))$")
_LEAD = set("([{\"'“‘«$#")
_TRAIL = set(")]}\"'”’»,;:!?.…")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Penn Treebank-style words with their spans."""
    out: list[tuple[str, int, int]] = []
    for chunk in regex.finditer(r"\S+", text):
        s, e = chunk.span()
        lead: list[tuple[str, int, int]] = []
        trail: list[tuple[str, int, int]] = []
        while s < e and text[s] in _LEAD and not _CONTRACTION.match(text[s:e]):
            lead.append((text[s], s, s + 1))
            s += 1
        while e > s and text[e - 1] in _TRAIL:
            if text[e - 1] == "." and e - s > 1 and regex.fullmatch(r"(?:\p{L}\.)+\p{L}\.?",
                                                                    text[s:e]):
                break                           # e.g. i.e. U.S. keep their dots
            trail.append((text[e - 1], e - 1, e))
            e -= 1
        out += lead
        if s < e:
            core = text[s:e]
            m = _CONTRACTION.match(core)
            if m and m.group(1):
                cut = s + len(m.group(1))
                out += [(m.group(1), s, cut), (m.group(2), cut, e)]
            else:
                out.append((core, s, e))
        out += reversed(trail)
    return out


_cache: dict[str, list[Token]] = {}


def tag_text(text: str) -> list[Token]:
    """The words of `text` with their tags (cached per text: a sentence is tagged
    once however many sequence rules read it)."""
    found = _cache.get(text)
    if found is None:
        words = tokenize(text)
        tags = tagger().tag([w for w, _, _ in words]) if words else []
        found = [Token(w, t, s, e) for (w, s, e), t in zip(words, tags)]
        if len(_cache) > 20000:
            _cache.clear()
        _cache[text] = found
    return found


__all__ = ["Tagger", "TaggerMissing", "Token", "model_path", "tag_text", "tagger", "tokenize"]
