"""The guide for people: each rule as the guidelines page shows it.

Made from the same compiled rules the linter runs, so the page and the
checks never disagree. Patterns are turned back into words where they are
simple alternatives (`(?:e-mail|E-mail)` → `e-mail`, `E-mail`); anything
more involved is shown as written.
"""

from __future__ import annotations

from typing import Any

import regex

from . import brand
from .checks import Existence, Substitution, _get_options
from .moderation import Moderation
from .patterns import is_phrase
from .rules import Guide, StyleRule

_LOOKAROUND = regex.compile(r"\(\?<?[!=](?:[^()]|\([^()]*\))*\)")
_NONCAPTURE = regex.compile(r"^\(\?:(.*)\)$")


def readable(pattern: str) -> list[str]:
    """The plain words a pattern stands for, or [pattern] when it is more than words."""
    p = pattern.replace("(?i)", "").replace("\\b", "")
    p = _LOOKAROUND.sub("", p).strip()
    m = _NONCAPTURE.match(p)
    if m and m.group(1).count("(") == m.group(1).count(")"):
        p = m.group(1)
    options = [o.replace("\\.", ".").replace("\\-", "-").replace("\\'", "'")
               for o in p.split("|")]
    if options and all(is_phrase(o.replace(".", "").replace("'", "").replace("’", ""))
                       and o for o in options):
        return options
    optional = regex.fullmatch(r"([\w' -]+?)(\w)\?", p)  # `disabled?` → disable, disabled
    if optional:
        return [optional.group(1), optional.group(1) + optional.group(2)]
    return [pattern]


def _message(message: str) -> str:
    return regex.sub(r"%(?:\[\d+\])?[sdv]", "…", message).replace("%%", "%")


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
        "pairs": [],
        "avoid": [],
        "limits": {},
        "examples": {"good": [e.text for e in rule.good], "bad": [e.text for e in rule.bad]},
    }
    if isinstance(check, Substitution):
        for key, replacement in zip(check.keys, check.replacements):
            say = _get_options(replacement) if check.replace else [replacement]
            for variant in readable(key):
                entry["pairs"].append({"say": say, "not": variant})
    elif isinstance(check, Moderation):
        entry["limits"] = {"words": len(check.words)}
        if rule.public:
            entry["avoid"] = list(check.words)
    elif isinstance(check, Existence):
        tokens = rule.options.get("tokens") or []
        if isinstance(tokens, str):
            tokens = [tokens]
        for token in tokens:
            entry["avoid"].extend(readable(str(token)))
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
        for key in ("max", "min", "match", "formula", "condition", "grade", "first", "second"):
            if key in rule.options:
                entry["limits"][key] = rule.options[key]
    return entry


def rules_for_people(guide: Guide) -> list[dict[str, Any]]:
    """Every rule as a dict for the guidelines page, in the order the guide lists them:
    id, level, kind, message, scope, channels, lang, "we say / not" pairs, words to
    avoid, limits, examples."""
    return [rule_for_people(rule) for rule in guide.rules]
