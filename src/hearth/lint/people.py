"""The guide for people: each rule as the guidelines page shows it.

Made from the same compiled rules the linter runs, so the page and the checks
never disagree. Patterns are spelled out as the words they stand for where
they are simple (`utili[sz]e` → utilise, utilize; `users?` → user, users);
anything more involved is listed under `patterns`, and the rule's examples say
the rest.
"""

from __future__ import annotations

from typing import Any

import regex

from . import brand
from .checks import Existence, Substitution, swap_options
from .examples import example_findings
from .moderation import Moderation
from .patterns import group_end, is_phrase, split_alternatives
from .rules import Guide, StyleRule
from .spelling import Spelling, setup_for_people

_LOOKAROUND = regex.compile(r"\(\?<?[!=](?:[^()]|\([^()]*\))*\)")
_MAX_FORMS = 8


def readable(pattern: str) -> list[str] | None:
    """The plain words a pattern stands for, or None when it is more than words."""
    p = pattern.replace("(?i)", "").replace("(?m)", "").replace("\\b", "")
    p = _LOOKAROUND.sub("", p).strip().removeprefix("^").removesuffix("$")
    try:
        forms = _expand(p)
    except ValueError:
        return None
    forms = [f for f in dict.fromkeys(forms) if f.strip()]
    if not forms or len(forms) > _MAX_FORMS:
        return None
    if not all(is_phrase(f.replace("'", "").replace("’", "").replace(".", "")) for f in forms):
        return None
    return forms


def _expand(p: str) -> list[str]:
    """All strings of a pattern made of literals, [abc] classes, (?:a|b) groups and
    `?` (no other repetition): 'town ?halls?' → town hall, town halls, townhall, …"""
    alternatives = split_alternatives(p, 0, len(p))
    if len(alternatives) > 1:
        return [f for a, b in alternatives for f in _expand(p[a:b])]
    forms = [""]
    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            if i + 1 >= len(p) or p[i + 1].isalnum():
                raise ValueError("class escape")
            piece, i = [p[i + 1]], i + 2
        elif c == "[":
            end = p.index("]", i + 1)
            body = p[i + 1:end]
            if not body or body.startswith("^") or "-" in body[1:-1] or "\\" in body:
                raise ValueError("class")
            piece, i = list(body), end + 1
        elif c == "(":
            end = group_end(p, i)
            inner = p[i + 1:end - 1]
            if not inner.startswith("?:") and inner.startswith("?"):
                raise ValueError("group")
            piece, i = _expand(inner.removeprefix("?:")), end
        elif c in ".*+{}|^$)]":
            raise ValueError("operator")
        else:
            piece, i = [c], i + 1
        if i < len(p) and p[i] == "?":
            # the plain form first ("user", "users"); but "town hall" before "townhall"
            piece = piece + [""] if all(x.isspace() for x in piece) else [""] + piece
            i += 1
        forms = [f + x for f in forms for x in piece]
        if len(forms) > 4 * _MAX_FORMS:
            raise ValueError("too many")
    return forms


_PLACEHOLDER = regex.compile(r"%(?:\[\d+\])?[sdv]")


def _message(message: str) -> str:
    return _PLACEHOLDER.sub("…", message).replace("%%", "%")


def shown_message(rule: StyleRule, pairs: list[dict[str, Any]], avoid: list[str],
                  limits: dict[str, Any]) -> str:
    """The message as people read it on the guidelines page: its `%s` filled as the
    linter fills them on the rule's first bad example; failing that, with the
    first "we say"/"we don't say" pair, the first word avoided, or a count's
    limit ("more than 5"); `…` only where nothing says what goes there."""
    if not _PLACEHOLDER.search(rule.message):
        return _message(rule.message)
    for example in rule.bad[:1]:
        found = example_findings(rule, example.text)
        if found:
            return found[0]
    if pairs:
        fills = [pairs[0]["say"][0] if pairs[0]["say"] else "", pairs[0]["not"]]
    elif avoid:
        fills = avoid[:1]
    elif limits.get("max") is not None:
        fills = [f"more than {limits['max']}"]
    elif limits.get("min") is not None:
        fills = [f"fewer than {limits['min']}"]
    else:
        fills = []
    values = iter(fills)
    return _PLACEHOLDER.sub(lambda m: next(values, "…"), rule.message).replace("%%", "%")


def rule_for_people(rule: StyleRule) -> dict[str, Any]:
    check = rule.check
    entry: dict[str, Any] = {
        "id": rule.id,
        "level": rule.level,
        "kind": rule.kind,
        "message": _message(rule.message),
        "description": rule.description,
        "link": rule.link,
        "scope": list(rule.scope),
        "channels": list(rule.channels),
        "lang": list(rule.lang),
        "source": rule.path,
        "line": rule.line,
        "pairs": [],        # we say … / we don't say …
        "avoid": [],        # words and phrases we don't use
        "patterns": [],     # what could not be spelled out as words
        "limits": {},
        "examples": {"good": [e.text for e in rule.good], "bad": [e.text for e in rule.bad]},
    }
    if isinstance(check, Substitution):
        swap = rule.options.get("swap") or {}
        for key, replacement in swap.items():
            replacement = "" if replacement is None else str(replacement)
            say = swap_options(replacement) if check.replace else [replacement]
            forms = readable(str(key))
            if forms is None:
                entry["patterns"].append(str(key))
                entry["pairs"].append({"say": say, "not": str(key)})
                continue
            for form in forms:
                entry["pairs"].append({"say": say, "not": form})
    elif isinstance(check, Moderation):
        entry["limits"] = {"words": len(check.words)}
        if rule.public:
            entry["avoid"] = list(check.words)
    elif isinstance(check, Existence):
        tokens = rule.options.get("tokens") or []
        if isinstance(tokens, str):
            tokens = [tokens]
        for token in tokens:
            forms = readable(str(token))
            if forms is None:
                entry["patterns"].append(str(token))
            else:
                entry["avoid"].extend(forms)
    elif isinstance(check, Spelling):
        entry["spelling"] = setup_for_people([rule])[0]   # languages, dictionaries, accepted words
    elif isinstance(check, brand.Count):
        entry["limits"] = {"what": check.kind, "max": check.max, "min": check.min}
    elif isinstance(check, brand.Links):
        entry["limits"] = {"required": check.required, "allowed_domains": list(check.allowed),
                           "shorteners": check.shorteners_allowed, "utm": list(check.utm),
                           "max": check.max}
    elif isinstance(check, brand.FrontMatter):
        entry["limits"] = {"required": list(check.required), "max_length": check.max_length,
                           "min_length": check.min_length, "image_alt": check.image_alt}
    else:
        for key in ("max", "min", "match", "formula", "condition", "grade", "first", "second",
                    "either"):
            if key in rule.options:
                entry["limits"][key] = rule.options[key]
    entry["shown"] = shown_message(rule, entry["pairs"], entry["avoid"], entry["limits"])
    return entry


def rules_for_people(guide: Guide) -> list[dict[str, Any]]:
    """Every rule as a dict for the guidelines page, in the order the guide lists them:
    id, level, kind, message (`%s` shown as …), shown (the message with its `%s`
    filled from an example, see `shown_message`), description, link, scope, channels,
    lang, source and line, `pairs` ("we say" / "we don't say": {"say": [...],
    "not": "..."}), `avoid` (words we don't use), `patterns` (what is no plain
    word), `limits` (counts, link and front-matter settings) and `examples`."""
    return [rule_for_people(rule) for rule in guide.rules]
