"""A hub's `.vale.ini`: the parts of Vale's configuration that mean something here.

Teams that already use Vale keep their `.vale.ini` (in `guidelines/` or at the
hub root). Read as Vale reads it:

- before any section (Vale's core options): `StylesPath`, `MinAlertLevel`,
  `Vocab`, `IgnoredScopes`, `SkippedScopes`;
- `[*]` and `[glob]` sections: `BasedOnStyles`, `BlockIgnores`, `TokenIgnores`
  and `Style.Rule = YES|NO|suggestion|warning|error` (a rule id of rules.yml
  works too).

Everything else is reported, at its line, as ignored. Which rules run on a file
follows Vale's `shouldRun`: the last matching section's `BasedOnStyles` (else
`[*]`'s), rule switches merged over the matching sections, then `[*]`'s.

A small reader, not `configparser`: Vale's ini has keys before any section,
repeats keys (`BasedOnStyles` twice adds up, as go-ini's shadows do), keeps the
case of keys, and Hearth needs each key's line for its messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

from ..diagnostics import Diagnostic, diagnostic
from .patterns import is_phrase

CONFIG_PLACES = ("guidelines/.vale.ini", ".vale.ini", "guidelines/_vale.ini", "_vale.ini")
LEVELS = ("suggestion", "warning", "error")
CORE_KEYS = ("StylesPath", "MinAlertLevel", "Vocab", "IgnoredScopes", "SkippedScopes")
SECTION_KEYS = ("BasedOnStyles", "BlockIgnores", "TokenIgnores", "IgnorePatterns")
# Vale options Hearth reads nothing from (a message says so at their line)
_KNOWN_ELSEWHERE = ("Packages", "WordTemplate", "IgnoredClasses", "NLPEndpoint", "Transform",
                    "Lang", "CommentDelimiters")
# IgnoredScopes: inline markup whose text is not linted (code is never linted)
_STRONG = r"\*\*(?=\S)[^\n]*?\S\*\*|__(?=\S)[^\n]*?\S__"
_EM = (r"(?<![*\w])\*(?=[^\s*])[^*\n]*?[^\s*]?\*(?![*\w])"
       r"|(?<![_\w])_(?=\S)[^_\n]*?_(?!\w)")
_INLINE = {"strong": _STRONG, "b": _STRONG, "em": _EM, "i": _EM}
_ALWAYS_IGNORED = {"code", "tt", "pre", "script", "style", "img", "url"}
# SkippedScopes: block markup Hearth's blocks know, by the section they carry
_BLOCKS = {"blockquote": "blockquote", "li": "list", "ul": "list", "ol": "list", "table": "table",
           "th": "header", "td": "cell", "h1": "h1", "h2": "h2", "h3": "h3", "h4": "h4",
           "h5": "h5", "h6": "h6", "p": "paragraph"}
_ALWAYS_SKIPPED = {"script", "style", "pre", "figure", "code"}


@dataclass(frozen=True)
class Entry:
    key: str
    value: str
    line: int


@dataclass(frozen=True)
class Section:
    glob: str
    line: int
    based_on: tuple[str, ...] | None
    checks: dict[str, bool]
    block_ignores: tuple[str, ...] = ()
    token_ignores: tuple[str, ...] = ()

    def matches(self, path: str) -> bool:
        return vale_glob(self.glob, path)


@dataclass(frozen=True)
class FileSettings:
    """What the configuration says about one file."""

    styles: tuple[str, ...]
    checks: tuple[tuple[str, bool], ...]
    ignores: tuple[str, ...]             # BlockIgnores + TokenIgnores + IgnoredScopes patterns


@dataclass(frozen=True, eq=False)
class ValeConfig:
    path: str                            # the ini, relative to the hub
    styles_path: str                     # relative to the hub, forward slashes
    min_level: str = "suggestion"
    vocab: tuple[str, ...] = ()
    skipped: frozenset[str] = frozenset()     # block sections never linted
    inline_ignores: tuple[str, ...] = ()
    global_styles: tuple[str, ...] = ()
    global_checks: dict[str, bool] = field(default_factory=dict)
    global_ignores: tuple[str, ...] = ()
    levels: dict[str, str] = field(default_factory=dict)   # Style.Rule = warning
    sections: tuple[Section, ...] = ()
    vocab_line: int = 1
    style_lines: tuple[tuple[str, int], ...] = ()   # each style BasedOnStyles names, and where

    def may_run(self, rule_id: str) -> bool:
        """Can the rule run on some file? (Vale loads only the styles it needs; the
        guidelines page lists only these.)"""
        if "." not in rule_id:
            return True
        name = ".".join(rule_id.split(".")[:2])
        style = rule_id.split(".", 1)[0]
        switches = [self.global_checks, *(s.checks for s in self.sections)]
        if any(sw.get(name) for sw in switches):
            return True
        return style in self.global_styles or any(
            s.based_on is not None and style in s.based_on for s in self.sections)

    def needs_style(self, name: str) -> bool:
        """Vale's `needsStyle`: a BasedOnStyles names the style, or a switch starts
        with its name (`Vale.Repetition = YES`)."""
        switches = [self.global_checks, *(s.checks for s in self.sections)]
        return name in self.global_styles or any(
            s.based_on is not None and name in s.based_on for s in self.sections) or any(
            key.startswith(name) for sw in switches for key in sw)

    def style_line(self, name: str) -> int:
        """The line that asks for a style (its BasedOnStyles, else a switch), else 1."""
        return next((line for style, line in self.style_lines if style == name), 1)

    def missing_styles(self, present: set[str]) -> list[Diagnostic]:
        """Vale stops on a style that is not on StylesPath; Hearth says so and goes on."""
        return [diagnostic(self.path, line, 1, "warning",
                           f"BasedOnStyles: there is no style '{name}' in {self.styles_path}; "
                           "nothing of it runs", "vale-config")
                for name, line in self.style_lines if name not in present and name != "Vale"]

    def settings_for(self, path: str) -> FileSettings:
        return _settings(self, path)

    def runs(self, rule_id: str, level: str, settings: FileSettings) -> bool:
        """Vale's `shouldRun` for a rule on a file (comments are the engine's)."""
        if LEVELS.index(level) < LEVELS.index(self.min_level):
            return False
        name = ".".join(rule_id.split(".")[:2])
        checks = dict(settings.checks)
        if name in checks:
            return checks[name]
        if name in self.global_checks:
            return self.global_checks[name]
        if "." not in rule_id:
            return True                  # a rule of rules.yml: no style to be based on
        return rule_id.split(".", 1)[0] in settings.styles


_SETTINGS: dict[tuple[int, str], FileSettings] = {}


def _settings(config: ValeConfig, path: str) -> FileSettings:
    key = (id(config), path)
    found = _SETTINGS.get(key)
    if found is None:
        styles = config.global_styles
        checks: dict[str, bool] = {}
        ignores = list(config.global_ignores)
        for section in config.sections:
            if section.matches(path):
                if section.based_on is not None:
                    styles = section.based_on
                checks.update(section.checks)
                ignores += section.block_ignores + section.token_ignores
        found = FileSettings(styles, tuple(checks.items()),
                             tuple(ignores) + config.inline_ignores)
        if len(_SETTINGS) > 10000:
            _SETTINGS.clear()
        _SETTINGS[key] = found
    return found


# --- reading -------------------------------------------------------------------------

def read_ini(text: str) -> tuple[list[Entry], list[tuple[str, int, list[Entry]]], list[int]]:
    """(entries before any section, [(section name, line, entries)], lines not understood)."""
    top: list[Entry] = []
    sections: list[tuple[str, int, list[Entry]]] = []
    bad: list[int] = []
    current = top
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = []
            sections.append((line[1:-1].strip(), number, current))
            continue
        m = regex.match(r"([^=:]+?)\s*[=:]\s*(.*)$", line)
        if not m:
            bad.append(number)
            continue
        value = regex.sub(r"\s+[#;].*$", "", m.group(2)).strip()   # go-ini: " # comment"
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
            value = value[1:-1]
        current.append(Entry(m.group(1).strip(), value, number))
    return top, sections, bad


def _values(entries: list[Entry], key: str) -> tuple[str, ...]:
    """Every comma-separated value of `key`, over its repetitions, once each."""
    out: list[str] = []
    for e in entries:
        if e.key == key:
            out += [v.strip() for v in e.value.split(",") if v.strip() and v.strip() not in out]
    return tuple(out)


def _patterns(entries: list[Entry], key: str) -> tuple[str, ...]:
    # BlockIgnores/TokenIgnores hold regexes with commas of their own: one per line
    return tuple(e.value for e in entries if e.key == key and e.value)


def find_config(hub_root: Path) -> str | None:
    for rel in CONFIG_PLACES:
        if (Path(hub_root) / rel).is_file():
            return rel
    return None


def parse_vale_ini(path: str, text: str) -> tuple[ValeConfig, list[Diagnostic]]:
    """The ini at `path` (relative to the hub) → its settings, and a warning for
    each line Hearth reads nothing from."""
    problems: list[Diagnostic] = []
    top, sections, bad = read_ini(text)
    folder = path.rpartition("/")[0]

    def warn(line: int, message: str) -> None:
        problems.append(diagnostic(path, line, 1, "warning", message, "vale-config"))

    for number in bad:
        warn(number, "this line is not 'Key = value' or a [section]; it is ignored")
    styles_path = "guidelines/styles"    # Hearth's place for styles, unless StylesPath says
    min_level, vocab, vocab_line = "suggestion", (), 1
    skipped, inline = set(), []
    for e in top:
        if e.key == "StylesPath":
            styles_path = _join(folder, e.value)
        elif e.key == "MinAlertLevel":
            if e.value in LEVELS:
                min_level = e.value
            else:
                warn(e.line, f"MinAlertLevel must be suggestion, warning or error, not "
                             f"'{e.value}'; it is ignored")
        elif e.key == "Vocab":
            vocab, vocab_line = _values(top, "Vocab"), e.line
        elif e.key == "IgnoredScopes":
            for name in _values([e], e.key):
                if name in _INLINE:
                    inline.append(_INLINE[name])
                elif name not in _ALWAYS_IGNORED:
                    warn(e.line, f"IgnoredScopes: Hearth cannot leave '{name}' out; it is "
                                 "ignored (code is never linted)")
        elif e.key == "SkippedScopes":
            for name in _values([e], e.key):
                if name in _BLOCKS:
                    skipped.add(_BLOCKS[name])
                elif name not in _ALWAYS_SKIPPED:
                    warn(e.line, f"SkippedScopes: Hearth knows no block '{name}'; it is ignored")
        elif e.key in SECTION_KEYS or "." in e.key:
            warn(e.line, f"'{e.key}' belongs in a section such as [*]; Vale refuses it here, "
                         "Hearth ignores it")
        else:
            warn(e.line, _ignored(e.key))
    global_styles: tuple[str, ...] = ()
    global_checks: dict[str, bool] = {}
    global_ignores: tuple[str, ...] = ()
    levels: dict[str, str] = {}
    globs: list[Section] = []
    style_lines: list[tuple[str, int]] = []
    for name, line, entries in sections:
        style_lines += [(v.strip(), e.line) for e in entries if e.key == "BasedOnStyles"
                        for v in e.value.split(",") if v.strip()]
        if name in ("formats", "asciidoctor"):
            warn(line, f"[{name}] has no meaning in Hearth (posts are Markdown); it is ignored")
            continue
        checks: dict[str, bool] = {}
        for e in entries:
            if e.key in SECTION_KEYS:
                continue
            if e.key in CORE_KEYS:
                warn(e.line, f"'{e.key}' must stand above any [section]; it is ignored")
            elif e.key in _KNOWN_ELSEWHERE or " " in e.key:
                warn(e.line, _ignored(e.key))
            elif e.value in ("YES", "NO") or e.value in LEVELS:
                checks[e.key] = e.value != "NO"
                if e.value in LEVELS:
                    levels[e.key] = e.value
            else:
                warn(e.line, f"'{e.key}' takes YES, NO, suggestion, warning or error, not "
                             f"'{e.value}'; it is ignored")
        based = _values(entries, "BasedOnStyles") if any(
            e.key == "BasedOnStyles" for e in entries) else None
        ignores = _patterns(entries, "BlockIgnores") + _patterns(entries, "IgnorePatterns") \
            + _patterns(entries, "TokenIgnores")      # IgnorePatterns: BlockIgnores' old name
        for pattern in ignores:
            try:
                regex.compile(pattern)
            except regex.error as err:
                bad_line = next(e.line for e in entries if e.value == pattern)
                warn(bad_line, f"'{pattern}' is not a valid regular expression ({err}); "
                               "it is ignored")
        ignores = tuple(p for p in ignores if _compiles(p))
        if name == "*":
            global_styles = based or ()
            global_checks.update(checks)
            global_ignores = ignores
        else:
            globs.append(Section(name, line, based, checks, ignores, ()))
    config = ValeConfig(path, styles_path, min_level, vocab, frozenset(skipped), tuple(inline),
                        global_styles, global_checks, global_ignores, levels, tuple(globs),
                        vocab_line, tuple(dict.fromkeys(style_lines)))
    return config, problems


def _compiles(pattern: str) -> bool:
    try:
        regex.compile(pattern)
    except regex.error:
        return False
    return True


def _ignored(key: str) -> str:
    return f"'{key}' has no meaning in Hearth; it is ignored"


def _join(folder: str, value: str) -> str:
    parts: list[str] = [p for p in folder.split("/") if p]
    for part in value.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


def vocabularies(config: ValeConfig, read_list: Callable[[str], list[str]],
                 is_dir: Callable[[str], bool], problems: list[Diagnostic]
                 ) -> tuple[list[str], list[tuple[str, dict]]]:
    """`Vocab = Name`: <StylesPath>/config/vocabularies/Name/accept.txt and reject.txt.
    As in Vale, accepted terms are every rule's exceptions and make `Vale.Terms`
    (their case), rejected ones make `Vale.Avoid`. Returns the accepted terms and
    the two rules' definitions."""
    accepted: list[str] = []
    rejected: list[str] = []
    for name in config.vocab:
        rel = f"{config.styles_path}/config/vocabularies/{name}"
        if not is_dir(rel):
            problems.append(diagnostic(config.path, config.vocab_line, 1, "warning",
                                       f"Vocab '{name}': there is no folder {rel}",
                                       "vale-config"))
            continue
        accepted += [a for a in read_list(f"{rel}/accept.txt") if a not in accepted]
        rejected += [r for r in read_list(f"{rel}/reject.txt") if r not in rejected]
    terms = {a.lower(): a for a in accepted if is_phrase(a)}
    definitions = []
    if terms:
        definitions.append(("Vale.Terms", {"extends": "substitution", "level": "error",
                                           "message": "Use '%s' instead of '%s'.",
                                           "ignorecase": True, "swap": terms, "vocab": False}))
    if rejected:
        definitions.append(("Vale.Avoid", {"extends": "existence", "level": "error",
                                           "message": "Avoid using '%s'.", "tokens": rejected,
                                           "vocab": False}))
    return accepted, definitions


# Vale's built-in style `Vale` (internal/check/definition.go `defaultRules`): what
# `BasedOnStyles = Vale` turns on besides the vocabulary's Vale.Terms and Vale.Avoid
BUILTIN_RULES = {
    "Vale.Repetition": {"extends": "repetition", "level": "error",
                        "message": "'%s' is repeated!", "alpha": True,
                        "tokens": [r"[^\s]+"],
                        "action": {"name": "edit", "params": ["truncate", " "]}},
    "Vale.Spelling": {"extends": "spelling", "level": "error",
                      "message": "Did you really mean '%s'?",
                      "action": {"name": "suggest", "params": ["spellings"]}},
}


def builtin_rules(config: ValeConfig, ignore_files: list[str]) -> list[tuple[str, dict]]:
    """Vale.Repetition and Vale.Spelling when the configuration needs the style
    `Vale` (as Vale's `loadDefaultRules`). Vale.Spelling takes the word lists of
    <StylesPath>/config/ignore/**/*.txt (`ignore_files`, relative to the hub), the
    only ignore files Vale gives it."""
    if not config.needs_style("Vale"):
        return []
    spelling = dict(BUILTIN_RULES["Vale.Spelling"], ignore=list(ignore_files))
    return [("Vale.Repetition", dict(BUILTIN_RULES["Vale.Repetition"])),
            ("Vale.Spelling", spelling)]


# --- Vale's globs --------------------------------------------------------------------

def vale_glob(pattern: str, path: str) -> bool:
    """Vale's section globs: with `**`, doublestar's (`*` stays in a folder, `**` as a
    whole part crosses any); without, gobwas/glob's (`*` crosses folders). Both know
    `?`, `[abc]`, `[!abc]` and `{a,b}`; a leading `!` negates."""
    negated = pattern.startswith("!")
    pattern = pattern.lstrip("!")
    return bool(_glob_regex(pattern).fullmatch(path.replace("\\", "/"))) != negated


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> regex.Pattern:
    double = "**" in pattern
    out, i, depth = [], 0, 0
    while i < len(pattern):
        c = pattern[i]
        if double and pattern.startswith("**", i):
            whole = (i == 0 or pattern[i - 1] == "/") and \
                (i + 2 == len(pattern) or pattern[i + 2] == "/")
            if whole and i + 2 < len(pattern):
                out.append("(?:[^/]*/)*")       # `**/`: any folders, or none
                i += 3
            elif whole:
                out.append(".*")
                i += 2
            else:
                out.append("[^/]*")             # `**.md`: doublestar reads it as `*`
                i += 2
            continue
        if c == "*":
            out.append("[^/]*" if double else ".*")
        elif c == "?":
            out.append("[^/]" if double else ".")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(regex.escape(c))
            else:
                body = pattern[i + 1:end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif c == "{":
            depth += 1
            out.append("(?:")
        elif c == "}" and depth:
            depth -= 1
            out.append(")")
        elif c == "," and depth:
            out.append("|")
        else:
            out.append(regex.escape(c))
        i += 1
    return regex.compile("".join(out))


__all__ = ["BUILTIN_RULES", "CONFIG_PLACES", "FileSettings", "Section", "ValeConfig",
           "builtin_rules", "find_config", "parse_vale_ini", "read_ini", "vale_glob", "vocabularies"]
