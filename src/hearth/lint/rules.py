"""Loading the style guide: `guidelines/rules.yml` and Vale style folders → typed rules.

Two sources, one shape:

- `guidelines/rules.yml`, a list of rule mappings, each with an `id`
  (`brand-name`). Hearth's defaults apply: substitutions offer their
  suggestions and keep the case of what they replace.
- `guidelines/styles/<Style>/<Rule>.yml`, Vale's own format, one rule per file,
  id `Style.Rule` (`Style.sub.Rule` in a subfolder). Vale's defaults apply, so
  a Vale package reports what Vale reports.

Both accept Hearth's additions on any rule: `channels`, `lang`, `examples`.
A broken rule never raises: it becomes a Diagnostic naming the file, line and
key, and the rest of the guide still loads.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import regex
import yaml

from ..diagnostics import Diagnostic, diagnostic
from ..source import load_yaml, read_text
from . import brand, checks, vale_config
from .checks import Check, RuleError, yes_no
from .moderation import Moderation
from .patterns import PatternError, compile_pattern
from .vale_config import ValeConfig
from .sequence import SequenceCheck
from .spelling import Spelling
from .spelling import resolve as resolve_spelling

LEVELS = ("error", "warning", "suggestion")
VALE_KINDS = ("existence", "substitution", "occurrence", "repetition", "consistency",
              "capitalization", "conditional", "metric", "readability", "spelling", "sequence")
UNSUPPORTED_KINDS = ("script",)
HEARTH_KINDS = ("hashtags", "mentions", "emoji", "exclamations", "links", "frontmatter",
                "moderation")
KINDS = VALE_KINDS + HEARTH_KINDS

COMMON_KEYS = {"extends", "kind", "id", "message", "description", "level", "scope", "link",
               "limit", "action", "name", "channels", "lang", "examples", "public", "code",
               "vocab", "matchcase"}
KIND_KEYS: dict[str, set[str]] = {
    "existence": {"tokens", "raw", "exceptions", "ignorecase", "nonword", "append"},
    "substitution": {"swap", "exceptions", "ignorecase", "nonword", "capitalize", "pos"},
    "occurrence": {"token", "max", "min", "ignorecase"},
    "repetition": {"tokens", "max", "ignorecase", "alpha", "exceptions"},
    "consistency": {"either", "nonword", "ignorecase"},
    "capitalization": {"match", "style", "exceptions", "indicators", "threshold", "prefix"},
    "conditional": {"first", "second", "exceptions", "ignorecase"},
    "metric": {"formula", "condition"},
    "readability": {"metrics", "grade"},
    "hashtags": {"max", "min"},
    "mentions": {"max", "min"},
    "emoji": {"max", "min"},
    "exclamations": {"max", "min"},
    "links": {"required", "max", "allowed_domains", "shorteners", "utm", "utm_domains"},
    "frontmatter": {"required", "max_length", "min_length", "image_alt"},
    "moderation": {"words", "ignorecase", "whole_word", "exceptions"},
    "spelling": {"custom", "dicpath", "dictionaries", "filters", "ignore", "append", "dic", "aff",
                 "threshold"},
    "sequence": {"tokens", "ignorecase"},
    "script": {"script"},
}
KNOWN_SCOPES = {"text", "heading", "h1", "h2", "h3", "h4", "h5", "h6", "paragraph", "sentence",
                "list", "blockquote", "table", "header", "cell", "attr", "alt", "link", "title",
                "summary", "raw", "channel", "frontmatter"}
_EXTENSION_SCOPES = {"md", "markdown"}


@dataclass(frozen=True)
class Example:
    """A good or bad example text, and where it is written in the rule file."""

    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Selector:
    """A rule's `scope`: any one alternative must hold; within one, every part must.

    A part is a set of sections a block must have (`heading.h2`) or, negated
    (`~blockquote`), must not have.
    """

    alternatives: tuple[tuple[tuple[frozenset[str], bool], ...], ...]

    @classmethod
    def parse(cls, scopes: tuple[str, ...]) -> Selector:
        alternatives = []
        for scope in scopes:
            parts = []
            for part in scope.split("&"):
                part = part.strip()
                negated = part.startswith("~")
                names = frozenset(s for s in part.lstrip("~").split(".") if s
                                  and s not in _EXTENSION_SCOPES)
                if names:
                    parts.append((names, negated))
            if parts:
                alternatives.append(tuple(parts))
        return cls(tuple(alternatives))

    def asks_for(self, section: str) -> bool:
        return any(section in names and not neg for alt in self.alternatives
                   for names, neg in alt)

    def matches(self, sections: frozenset[str]) -> bool:
        special = next((s for s in ("sentence", "link", "raw", "frontmatter")
                        if s in sections), None)
        for alt in self.alternatives:
            if special and not any(special in names and not neg for names, neg in alt):
                continue  # a sentence, a link's text or the raw file only for rules asking
            if all((names <= sections) != neg for names, neg in alt):
                return True
        return False


@dataclass(frozen=True, eq=False)
class StyleRule:
    """One checked rule of the style guide, compiled and ready to run."""

    id: str
    kind: str
    level: str
    message: str
    check: Check
    scope: tuple[str, ...] = ("text",)
    channels: tuple[str, ...] = ()
    lang: tuple[str, ...] = ()
    link: str = ""
    description: str = ""
    limit: int = 0
    path: str = ""
    line: int = 1
    native: bool = True          # from rules.yml (Hearth's defaults) or a Vale file
    public: bool = True          # list its words on the guidelines page
    good: tuple[Example, ...] = ()
    bad: tuple[Example, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    selector: Selector = field(default_factory=lambda: Selector.parse(("text",)))
    vocab: bool = False          # takes the accepted terms as exceptions (and their shield)

    def for_lang(self, lang: str | None) -> bool:
        if not self.lang:
            return True
        if not lang:
            return False
        lang = lang.lower().replace("_", "-")
        return any(lang == code or lang.startswith(code + "-") for code in self.lang)

    def applies(self, sections: frozenset[str], channel: str | None) -> bool:
        if self.channels and channel not in self.channels:
            return False
        return self.selector.matches(sections)


@dataclass(frozen=True, eq=False)
class Guide:
    """The style guide of a hub: its rules and the paths it leaves alone."""

    rules: tuple[StyleRule, ...] = ()
    ignore_patterns: tuple[str, ...] = ()
    _by_lang: dict = field(default_factory=dict, repr=False)
    config: ValeConfig | None = None     # the hub's .vale.ini, when it has one
    phrases: tuple[str, ...] = ()        # accepted terms of more than one word

    def ignores(self, path: str) -> bool:
        """Is `path` (relative to the hub, forward slashes) listed in guidelines/ignore?"""
        path = path.replace("\\", "/")
        path = path.removeprefix("./")
        ignored = False
        for pattern in self.ignore_patterns:
            negate = pattern.startswith("!")
            if _glob_match(pattern.lstrip("!"), path):
                ignored = not negate
        return ignored

    def rules_for(self, lang: str | None, path: str | None = None) -> tuple[StyleRule, ...]:
        """The rules for a text in `lang`; with a .vale.ini and a `path`, only those
        its sections switch on for that file (and at or above MinAlertLevel)."""
        key = (lang or "").lower()
        if key not in self._by_lang:
            self._by_lang[key] = tuple(r for r in self.rules if r.for_lang(lang))
        rules = self._by_lang[key]
        if self.config is None:
            return rules
        settings = self.config.settings_for(path or "")
        found = self._by_lang.get((key, settings))
        if found is None:
            found = self._by_lang[(key, settings)] = tuple(
                r for r in rules if self.config.runs(r.id, r.level, settings))
        return found

    def rule(self, rule_id: str) -> StyleRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @cached_property
    def wants_links(self) -> bool:
        return any(r.selector.asks_for("link") for r in self.rules)

    @cached_property
    def wants_raw(self) -> bool:
        return any(r.selector.asks_for("raw") for r in self.rules)

    @cached_property
    def shield(self) -> regex.Pattern | None:
        """Where accepted terms of several words stand: no vocabulary-taking rule
        fires on a word inside one (Vale 3.15)."""
        if not self.phrases:
            return None
        parts = []
        for phrase in sorted(self.phrases, key=len, reverse=True):
            try:
                compile_pattern(phrase)
                parts.append(f"(?:{phrase})")
            except PatternError:
                parts.append(regex.escape(phrase))
        return compile_pattern(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")

    @cached_property
    def frontmatter_keys(self) -> tuple[str, ...]:
        """The front-matter keys some rule scopes (`text.frontmatter.title`)."""
        keys = {key for r in self.rules for alt in r.selector.alternatives
                for names, negated in alt if not negated and "frontmatter" in names
                for key in names - {"text", "frontmatter"}}
        return tuple(sorted(keys))


def _glob_match(pattern: str, path: str) -> bool:
    """gitignore-flavoured globs: `**` crosses folders, a name without `/` matches anywhere."""
    pattern = pattern.strip()
    if not pattern:
        return False
    if pattern.endswith("/"):
        pattern += "**"
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/")
    rx = _glob_regex(pattern)
    if rx.fullmatch(path):
        return True
    if not anchored:
        return any(rx.fullmatch(part) for part in path.split("/")) or \
            bool(_glob_regex("**/" + pattern).fullmatch(path))
    return False


def _glob_regex(pattern: str) -> regex.Pattern:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(regex.escape(pattern[i]))
            i += 1
    return regex.compile("".join(out))


# --- loading -------------------------------------------------------------------

def load_guide(hub_root: Path) -> tuple[Guide, list[Diagnostic]]:
    """Read `guidelines/` of a hub. A missing folder is an empty guide."""
    folder = Path(hub_root) / "guidelines"
    if not folder.is_dir() and vale_config.find_config(hub_root) is None:
        return Guide(), []
    problems: list[Diagnostic] = []
    rules: list[StyleRule] = []
    accepted = _read_list(hub_root, "guidelines/accept.txt", problems)
    config, styles_rel = None, "guidelines/styles"
    config_rel = vale_config.find_config(hub_root)
    if config_rel is not None:
        text, errs = read_text(Path(hub_root), config_rel)
        problems += errs
        if text is not None:
            config, errs = vale_config.parse_vale_ini(config_rel, text)
            problems += errs
            styles_rel = config.styles_path
    vocab_rules = []
    if config is not None:
        vocab_rules, vocab_accepted = _vocab(hub_root, config, problems)
        accepted += [a for a in vocab_accepted if a not in accepted]

    rules_file = folder / "rules.yml"
    if not rules_file.is_file() and (folder / "rules.yaml").is_file():
        rules_file = folder / "rules.yaml"
    if rules_file.is_file():
        rel = f"guidelines/{rules_file.name}"
        text, errs = read_text(Path(hub_root), rel)      # a link or a pipe is refused
        problems += errs
        if text is not None:
            found, errs = parse_rules_yml(rel, text, accepted)
            rules += found
            problems += errs

    styles = Path(hub_root) / styles_rel
    if config is not None and not styles.is_dir():
        problems.append(diagnostic(config.path, 1, 1, "warning",
                                   f"StylesPath '{styles_rel}' is not a folder of the hub",
                                   "vale-config"))
    if styles.is_dir():
        for style in sorted(p for p in styles.iterdir() if p.is_dir()):
            if style.name.startswith((".", "_")) or style.name == "config":
                continue
            for path in sorted(style.rglob("*.yml")) + sorted(style.rglob("*.yaml")):
                inner = path.relative_to(style)
                if any(part.startswith((".", "_")) for part in inner.parts[:-1]):
                    continue
                if path.stem.endswith(("_test", ".test")):
                    continue
                rule_id = ".".join((style.name, *inner.parts[:-1], path.stem))
                rel = path.relative_to(hub_root).as_posix()
                text, errs = read_text(Path(hub_root), rel)
                problems += errs
                if text is None:
                    continue
                rule, errs = parse_vale_rule(rel, text, rule_id, accepted)
                problems += errs
                if rule is not None:
                    rules.append(rule)

    rules += vocab_rules
    if config is not None:
        rules += _vale_builtins(hub_root, config, styles, rules, accepted, problems)
        problems += config.missing_styles({r.id.split(".", 1)[0] for r in rules} | (
            {p.name for p in styles.iterdir() if p.is_dir()} if styles.is_dir() else set()))
        rules = [r for r in rules if config.may_run(r.id)]
    if config is not None and config.levels:
        rules = [replace(r, level=config.levels[r.id]) if r.id in config.levels else r
                 for r in rules]
    seen: dict[str, StyleRule] = {}
    unique: list[StyleRule] = []
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            problems.append(diagnostic(rule.path, rule.line, 1, "error",
                                       f"rule id '{rule.id}' is already used at "
                                       f"{first.path}:{first.line}", "guide"))
            continue
        seen[rule.id] = rule
        unique.append(rule)
    problems += resolve_spelling(unique, hub_root)
    ignore = tuple(_read_list(hub_root, "guidelines/ignore", problems))
    phrases = tuple(a for a in accepted if " " in a.strip())
    return Guide(tuple(unique), ignore, config=config, phrases=phrases), problems


def _vocab(hub_root: Path, config: ValeConfig, problems: list[Diagnostic]
           ) -> tuple[list[StyleRule], list[str]]:
    """The .vale.ini's `Vocab`: accepted terms, and the `Vale.Terms`/`Vale.Avoid` rules."""
    accepted, definitions = vale_config.vocabularies(
        config, lambda rel: _read_list(hub_root, rel, problems),
        lambda rel: (Path(hub_root) / rel).is_dir(), problems)
    rules = []
    for rule_id, data in definitions:
        rule, errs = build_rule(config.path, data, None, rule_id, native=False, accepted=[])
        problems += errs
        if rule is not None:
            rules.append(replace(rule, line=config.vocab_line))
    return rules, accepted


def _vale_builtins(hub_root: Path, config: ValeConfig, styles: Path, rules: list[StyleRule],
                   accepted: list[str], problems: list[Diagnostic]) -> list[StyleRule]:
    """Vale's built-in Vale.Repetition and Vale.Spelling, when the .vale.ini asks for
    the style `Vale`. A folder of that name on StylesPath collides with it (Vale
    stops); Hearth says so and keeps the folder's rules in place of the built-ins."""
    ignore_dir = styles / "config" / "ignore"
    ignore_files = sorted(p.relative_to(hub_root).as_posix() for p in ignore_dir.rglob("*.txt")
                          if p.is_file()) if ignore_dir.is_dir() else []
    definitions = vale_config.builtin_rules(config, ignore_files)
    if not definitions:
        return []
    line = config.style_line("Vale")
    if (styles / "Vale").is_dir():
        problems.append(diagnostic(config.path, line, 1, "warning",
                                   f"'Vale' is Vale's built-in style, and {config.styles_path}/Vale "
                                   "collides with it (Vale stops); its rules are used in place "
                                   "of the built-in ones", "vale-config"))
    have = {r.id for r in rules}
    out = []
    for rule_id, data in definitions:
        if rule_id in have:
            continue
        rule, errs = build_rule(config.path, data, None, rule_id, native=False,
                                accepted=accepted)
        problems += errs
        if rule is not None:
            out.append(replace(rule, line=line))
    return out


def _read_list(hub_root: Path, rel: str, problems: list[Diagnostic]) -> list[str]:
    if not (Path(hub_root) / rel).is_file():
        return []
    text, errs = read_text(Path(hub_root), rel)
    problems += [e for e in errs if e.rule == "files"]     # a link is reported; bad bytes as before
    return [line.strip() for line in (text or "").split("\n")
            if line.strip() and not line.strip().startswith("#")]


def parse_rules_yml(path: str, text: str, accepted: list[str] | None = None
                    ) -> tuple[list[StyleRule], list[Diagnostic]]:
    """`rules.yml`: a list of rule mappings, each with an `id`."""
    value, node, problems = load_yaml(path, text)
    if problems:
        return [], [_as_guide(d) for d in problems]
    if value is None:
        return [], []
    if isinstance(value, dict) and isinstance(value.get("rules"), list):
        node = _node_map(node)["rules"][1]
        value = value["rules"]
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
        return [], [diagnostic(path, 1, 1, "error",
                               "rules.yml must be a list of rules, each starting with '- id: …'",
                               "guide")]
    rules, problems = [], []
    for item, item_node in zip(value, node.value):
        line, column = item_node.start_mark.line + 1, item_node.start_mark.column + 1
        if not isinstance(item, dict):
            problems.append(diagnostic(path, line, column, "error",
                                       "each rule must be a mapping of keys to values", "guide"))
            continue
        rule_id = item.get("id")
        if not isinstance(rule_id, str) or not rule_id.strip():
            problems.append(diagnostic(path, line, column, "error",
                                       "this rule has no 'id' (a short name like brand-name)",
                                       "guide"))
            continue
        rule, errs = build_rule(path, item, item_node, rule_id.strip(), native=True,
                                accepted=accepted or [])
        problems += errs
        if rule is not None:
            rules.append(rule)
    return rules, problems


def parse_vale_rule(path: str, text: str, rule_id: str, accepted: list[str] | None = None
                    ) -> tuple[StyleRule | None, list[Diagnostic]]:
    """One Vale rule file (`Style/Rule.yml`)."""
    value, node, problems = load_yaml(path, text)
    if problems:
        return None, [_as_guide(d) for d in problems]
    if not isinstance(value, dict):
        return None, [diagnostic(path, 1, 1, "error",
                                 "a rule file must be a mapping of keys to values", "guide")]
    return build_rule(path, value, node, rule_id, native=False, accepted=accepted or [])


def _as_guide(d: Diagnostic) -> Diagnostic:
    return Diagnostic(d.path, d.line, d.column, d.level, d.message, "guide")


def _node_map(node: Any) -> dict[str, tuple[Any, Any]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _mark(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def build_rule(path: str, data: dict, node: Any, rule_id: str, *, native: bool,
               accepted: list[str]) -> tuple[StyleRule | None, list[Diagnostic]]:
    """A rule mapping → StyleRule, or the Diagnostic saying what is wrong and where."""
    nodes = _node_map(node)
    data = {str(k).lower(): v for k, v in data.items()}
    nodes = {k.lower(): v for k, v in nodes.items()}
    start = _mark(node) if node is not None else (1, 1)

    def where(key: str | None, index: int | None = None) -> tuple[int, int]:
        if key and key in nodes:
            key_node, value_node = nodes[key]
            if index is not None and isinstance(value_node, yaml.SequenceNode) \
                    and index < len(value_node.value):
                return _mark(value_node.value[index])
            if index is not None and isinstance(value_node, yaml.MappingNode) \
                    and index < len(value_node.value):
                return _mark(value_node.value[index][0])
            return _mark(key_node)
        return start

    def problem(message: str, key: str | None = None, index: int | None = None,
                level: str = "error") -> tuple[None, list[Diagnostic]]:
        line, column = where(key, index)
        return None, [diagnostic(path, line, column, level,  # type: ignore[arg-type]
                                 f"rule '{rule_id}': {message}", "guide")]

    kind = data.get("extends", data.get("kind"))
    if not isinstance(kind, str) or not kind:
        return problem("missing the required 'extends' key (the rule kind: "
                       + ", ".join(KINDS) + ")")
    kind_key = "extends" if "extends" in data else "kind"
    kind = kind.strip().lower()
    if kind in UNSUPPORTED_KINDS:
        return problem(f"'{kind}' rules are not supported by Hearth; the rule is skipped",
                       kind_key, level="warning")
    if kind not in KINDS:
        return problem(f"unknown rule kind '{kind}'" + _did_you_mean(kind, KINDS)
                       + "; use one of " + ", ".join(KINDS), kind_key)

    allowed = COMMON_KEYS | KIND_KEYS[kind]
    for key in data:
        if key not in allowed:
            return problem(f"'{key}' is not a key of {kind} rules"
                           + _did_you_mean(key, sorted(allowed)), key)

    try:
        level = str(data.get("level", "warning")).strip().lower()
        if level not in LEVELS:
            raise RuleError(f"'level' must be one of {', '.join(LEVELS)}, not '{level}'", "level")
        message = data.get("message")
        if message is None and kind not in HEARTH_KINDS and kind != "spelling":
            raise RuleError("missing the required 'message' key", None)
        if message is not None and not isinstance(message, str):
            raise RuleError("'message' must be text", "message")
        scope = _str_tuple(data.get("scope"), "scope") or ("text",)
        if native:      # Vale accepts any scope name (an unknown part never matches);
            _check_scopes(scope)    # in rules.yml a misspelt one is an error
        if kind == "sequence":
            scope = ("sentence",)          # as Vale: a sequence is always looked for in sentences
        channels = _str_tuple(data.get("channels"), "channels")
        lang = tuple(code.lower() for code in _str_tuple(data.get("lang"), "lang"))
        limit = _int(data.get("limit", 0), "limit")
        action = data.get("action") or {}
        if not isinstance(action, dict):
            raise RuleError("'action' must be a mapping with a 'name'", "action")
        good, bad = _examples(data.get("examples"), nodes.get("examples"))
        exceptions = _str_list(data.get("exceptions"), "exceptions")
        vocab = _bool(data.get("vocab", True), "vocab") and kind in (
            "existence", "substitution", "repetition", "capitalization", "conditional") \
            and not (kind == "existence" and _bool(data.get("nonword"), "nonword"))
        if vocab:
            exceptions = exceptions + [a for a in accepted if a not in exceptions]
        check = _build_check(kind, data, message, exceptions, native, action, scope, accepted)
    except RuleError as err:
        return problem(str(err), err.key, err.index)
    except PatternError:  # an exception or vocabulary entry that is no regex
        for i, entry in enumerate(exceptions):
            try:
                compile_pattern(entry)
            except PatternError as err:
                index = i if i < len(_str_list(data.get("exceptions"), "exceptions")) else None
                return problem(f"exception '{entry}' is not a valid regular expression: {err}",
                               "exceptions" if index is not None else None, index)
        return problem("'exceptions' do not compile together", "exceptions")
    return StyleRule(
        id=rule_id, kind=kind, level=level, message=message or "", check=check, scope=scope,
        channels=channels, lang=lang, link=str(data.get("link") or ""),
        description=str(data.get("description") or ""), limit=limit, path=path,
        line=start[0], native=native,
        public=_bool(data.get("public", kind != "moderation"), "public"), good=good, bad=bad,
        options=data, selector=Selector.parse(scope), vocab=vocab), []


def _check_scopes(scope: tuple[str, ...]) -> None:
    for s in scope:
        for alternative in s.split("&"):
            parts = [p.strip() for p in alternative.replace("~", "").split(".")]
            for i, part in enumerate(parts):
                if part == "frontmatter":
                    break           # text.frontmatter.KEY: any key of the front matter
                if part and part not in KNOWN_SCOPES and part not in _EXTENSION_SCOPES:
                    raise RuleError(f"unknown scope '{part}'"
                                    + _did_you_mean(part, sorted(KNOWN_SCOPES))
                                    + "; use " + ", ".join(sorted(KNOWN_SCOPES)), "scope")


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    """` (did you mean 'x'?)` when one of `choices` is close to `word`, else nothing."""
    hint = difflib.get_close_matches(word, choices, 1)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def _build_check(kind: str, data: dict, message: str | None, exceptions: list[str],
                 native: bool, action: dict, scope: tuple[str, ...],
                 accepted: list[str] | None = None) -> Check:
    msg = message or ""
    ignorecase = _bool(data.get("ignorecase", False), "ignorecase")
    if kind == "existence":
        tokens = _str_list(data.get("tokens"), "tokens")
        raw = _str_list(data.get("raw"), "raw")
        if not tokens and not raw:
            raise RuleError("an existence rule needs 'tokens' or 'raw'", "tokens")
        return checks.Existence(msg, tokens, raw, exceptions, ignorecase,
                                _bool(data.get("nonword"), "nonword"),
                                _bool(data.get("append"), "append"))
    if kind == "substitution":
        swap = data.get("swap")
        if not isinstance(swap, dict) or not swap:
            raise RuleError("a substitution rule needs 'swap', a mapping of "
                            "'what we don't say: what we say'", "swap")
        swap = {str(k): "" if v is None else str(v) for k, v in swap.items()}
        replace = native or action.get("name") == "replace"
        capitalize = _bool(data.get("capitalize", data.get("matchcase", native)), "capitalize")
        return checks.Substitution(msg, swap, exceptions, ignorecase,
                                   _bool(data.get("nonword"), "nonword"), replace, capitalize,
                                   native)
    if kind == "occurrence":
        token = data.get("token")
        if not isinstance(token, str) or not token:
            raise RuleError("an occurrence rule needs 'token'", "token")
        return checks.Occurrence(msg, token, _int(data.get("max", 0), "max"),
                                 _int(data.get("min", 0), "min"), ignorecase)
    if kind == "repetition":
        tokens = _str_list(data.get("tokens"), "tokens")
        if not tokens:
            raise RuleError("a repetition rule needs 'tokens'", "tokens")
        return checks.Repetition(msg, tokens, _int(data.get("max", 0), "max"), ignorecase,
                                 _bool(data.get("alpha"), "alpha"), exceptions)
    if kind == "consistency":
        either = data.get("either")
        if not isinstance(either, dict) or not either:
            raise RuleError("a consistency rule needs 'either', a mapping of two spellings",
                            "either")
        return checks.Consistency(msg, {str(k): str(v) for k, v in either.items()}, ignorecase,
                                  _bool(data.get("nonword"), "nonword"))
    if kind == "capitalization":
        match = data.get("match")
        if not isinstance(match, str) or not match:
            raise RuleError("a capitalization rule needs 'match' ($title, $sentence, $lower, "
                            "$upper or a pattern)", "match")
        return checks.Capitalization(msg, match, str(data.get("style") or "AP"), exceptions,
                                     _str_list(data.get("indicators"), "indicators"),
                                     _float(data.get("threshold", 0.8), "threshold"),
                                     str(data.get("prefix") or ""))
    if kind == "conditional":
        first, second = data.get("first"), data.get("second")
        if not isinstance(first, str) or not isinstance(second, str):
            raise RuleError("a conditional rule needs 'first' and 'second'",
                            "first" if not isinstance(first, str) else "second")
        return checks.Conditional(msg, first, second, exceptions, ignorecase)
    document = scope in (("text",), ("summary",))
    if kind == "metric":
        formula, condition = data.get("formula"), data.get("condition")
        if not isinstance(formula, str) or not isinstance(condition, str):
            raise RuleError("a metric rule needs 'formula' and 'condition'",
                            "formula" if not isinstance(formula, str) else "condition")
        return checks.Metric(msg, formula, condition, document)
    if kind == "readability":
        return checks.Readability(msg, _str_list(data.get("metrics"), "metrics"),
                                  _float(data.get("grade", 8), "grade"), document)
    if kind in brand.COUNTED:
        max_ = data.get("max")
        min_ = data.get("min")
        return brand.Count(kind, message, None if max_ is None else _int(max_, "max"),
                           None if min_ is None else _int(min_, "min"))
    if kind == "links":
        utm = data.get("utm", False)
        if utm is True:
            utm_params = ["utm_source", "utm_medium"]
        elif utm in (False, None):
            utm_params = []
        else:
            utm_params = _str_list(utm, "utm")
        return brand.Links(message, _bool(data.get("required", False), "required"),
                           _str_list(data.get("allowed_domains"), "allowed_domains"),
                           _bool(data.get("shorteners", True), "shorteners"), utm_params,
                           _str_list(data.get("utm_domains"), "utm_domains"),
                           None if data.get("max") is None else _int(data.get("max"), "max"))
    if kind == "frontmatter":
        return brand.FrontMatter(message, _str_list(data.get("required"), "required"),
                                 data.get("max_length") or {}, data.get("min_length") or {},
                                 _bool(data.get("image_alt", False), "image_alt"))
    if kind == "spelling":
        return Spelling(msg, filters=_str_list(data.get("filters"), "filters"),
                        custom=_bool(data.get("custom"), "custom"),
                        ignore=_str_list(data.get("ignore"), "ignore"),
                        dictionaries=_str_list(data.get("dictionaries"), "dictionaries"),
                        dicpath=str(data.get("dicpath") or ""), dic=str(data.get("dic") or ""),
                        aff=str(data.get("aff") or ""), append=_bool(data.get("append"), "append"),
                        accepted=(accepted or []) if _bool(data.get("vocab", True), "vocab") else [])
    if kind == "sequence":
        return SequenceCheck(msg, data.get("tokens"), ignorecase)
    if kind == "moderation":
        return Moderation(message or "'%s' is on our moderation list.",
                          _str_list(data.get("words"), "words"),
                          _bool(data.get("ignorecase", True), "ignorecase"),
                          _bool(data.get("whole_word", True), "whole_word"), exceptions)
    raise RuleError(f"unknown rule kind '{kind}'", "extends")  # pragma: no cover


def _examples(value: Any, nodes: tuple[Any, Any] | None
              ) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    if value is None:
        return (), ()
    if not isinstance(value, dict):
        raise RuleError("'examples' must be a mapping with 'good' and 'bad' lists", "examples")
    value_node = nodes[1] if nodes else None
    sub = {k.lower(): v for k, v in _node_map(value_node).items()}
    out: dict[str, tuple[Example, ...]] = {}
    for key in ("good", "bad"):
        items = value.get(key) or []
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise RuleError(f"'examples.{key}' must be a list of texts", "examples")
        item_nodes = sub.get(key, (None, None))[1]
        found = []
        for i, text in enumerate(items):
            if isinstance(item_nodes, yaml.SequenceNode) and i < len(item_nodes.value):
                line, column = _mark(item_nodes.value[i])
            elif item_nodes is not None:
                line, column = _mark(item_nodes)
            else:
                line, column = _mark(value_node) if value_node is not None else (1, 1)
            found.append(Example(text, line, column))
        out[key] = tuple(found)
    for key in value:
        if key not in ("good", "bad"):
            raise RuleError(f"'examples' takes 'good' and 'bad', not '{key}'", "examples")
    return out["good"], out["bad"]


def _str_list(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                       for v in value):
        return [str(v) for v in value]
    raise RuleError(f"'{key}' must be a list of texts", key)


def _str_tuple(value: Any, key: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in _str_list(value, key) if s.strip())


def _bool(value: Any, key: str) -> bool:
    answer = yes_no(value)
    if answer is None:
        raise RuleError(f"'{key}' must be true or false", key)
    return answer


def _int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise RuleError(f"'{key}' must be a whole number", key)
    try:
        return int(value)
    except ValueError:
        raise RuleError(f"'{key}' must be a whole number", key) from None


def _float(value: Any, key: str) -> float:
    if isinstance(value, bool):
        raise RuleError(f"'{key}' must be a number", key)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RuleError(f"'{key}' must be a number", key) from None


__all__ = [
    "Example",
    "Guide",
    "Selector",
    "StyleRule",
    "build_rule",
    "load_guide",
    "parse_rules_yml",
    "parse_vale_rule",
]
