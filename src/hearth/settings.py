"""hearth.toml as typed settings.

Every setting is a field with its own documentation in `metadata["doc"]`; an
unknown key is an error naming it and the closest valid one (exit 2).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import babel

PERMALINK_FIELDS = ("slug", "year", "month", "day", "lang", "section")


class SettingsError(Exception):
    """hearth.toml is missing or wrong: bad usage, exit 2."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def _doc(text: str, **kw):
    return field(metadata={"doc": text}, **kw)


@dataclass(frozen=True)
class SiteSettings:
    title: str = _doc("The hub's name, shown in the header, feeds and titles.")
    base_url: str = _doc("Absolute URL the hub is published at; may have a sub-path.",
                         default="http://localhost:8000/")
    permalink: str = _doc("Where posts go: {slug} {year} {month} {day} {lang} {section}.",
                          default="posts/{slug}/")
    language: str = _doc("Babel locale for UI strings and dates (en, ru, it, sv, ...).", default="en")
    timezone: str = _doc("IANA zone; naive times in any file are in this zone.", default="UTC")
    description: str = _doc("One sentence about the hub, for the home page and feeds.", default="")
    per_page: int = _doc("Posts per page on the home page and tag pages.", default=10)
    languages: tuple[str, ...] = _doc(
        "The languages a folder under content/posts may name (languages = [\"en\", \"zh\"]): a "
        "post in content/posts/zh/ without `lang` is in zh. Empty (the default): any language "
        "code Babel knows.", default=())
    repository: str = _doc("Web address of the hub's repository (https://github.com/org/repo); the "
                           "review site links each card to its file there. Empty: git's remote "
                           "`origin`.", default="")
    branch: str = _doc("The branch those links open. Empty: the checked-out branch, else main.",
                       default="")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The URL path the hub lives under, '/' or '/sub/path/'."""
        return urlsplit(self.base_url).path or "/"


@dataclass(frozen=True)
class BuildSettings:
    output: str = _doc("Output folder, relative to the hub.", default="dist")
    unsafe_html: bool = _doc(
        "Let raw HTML in posts, pages, guidelines and events through as written, and links to "
        "javascript:, vbscript:, file: and data: URLs too (Hugo's markup.goldmark.renderer.unsafe). "
        "Off by default: raw HTML becomes <!-- raw HTML omitted --> and such links are emptied, "
        "so no one who can commit a post can put a script on the hub. Turn it on only if you "
        "trust everyone who can.", default=False)


@dataclass(frozen=True)
class LintSettings:
    since: date | None = _doc(
        "Lint only posts dated on or after this day (a migrated archive's old posts do not "
        "block the build): since = 2026-01-01. Pages and guidelines are always linted.",
        default=None)


@dataclass(frozen=True)
class Settings:
    site: SiteSettings
    build: BuildSettings
    root: Path
    lint: LintSettings = LintSettings()
    # [permalinks]: a sub-folder of content/posts → its posts' pattern (Hugo's per-section
    # permalinks); the longest folder that holds a post wins, else [site] permalink
    permalinks: dict[str, str] = field(default_factory=dict, hash=False)

    def permalink_for(self, folder: str) -> str:
        """The pattern for a post in `folder` (relative to content/posts, '' at the top)."""
        while folder:
            if folder in self.permalinks:
                return self.permalinks[folder]
            folder = folder.rpartition("/")[0]
        return self.site.permalink


SECTIONS = {"site": SiteSettings, "build": BuildSettings, "lint": LintSettings}
TABLES = ("permalinks",)


def _closest(word: str, choices) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def _line_of(text: str, section: str | None, key: str) -> int:
    """The line a key is written on (tomllib keeps no positions)."""
    current = None
    for number, line in enumerate(text.split("\n"), 1):
        header = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1)
            if section is None and current == key:
                return number
            continue
        if current == section and re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return 1


def load_settings(root: Path) -> Settings:
    """Read and check hearth.toml; raise SettingsError with every problem found."""
    path = root / "hearth.toml"
    if not path.is_file():
        raise SettingsError([f"{path}: no hearth.toml here; run 'hearth init DIR' to start a hub"])
    text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"line (\d+)", str(err))
        raise SettingsError([f"hearth.toml:{line.group(1) if line else 1}: invalid TOML: {err}"])
    problems: list[str] = []
    values: dict[str, dict] = {}
    permalinks: dict[str, str] = {}
    for section, value in data.items():
        if section == "permalinks":
            permalinks, found = _permalinks(text, value)
            problems += found
            continue
        if section not in SECTIONS:
            valid = [*SECTIONS, *TABLES]
            problems.append(f"hearth.toml:{_line_of(text, None, section)}: unknown section "
                            f"[{section}]{_closest(section, valid)} (valid: "
                            f"{', '.join(sorted(valid))})")
            continue
        if not isinstance(value, dict):
            problems.append(f"hearth.toml:{_line_of(text, None, section)}: '{section}' must be a section")
            continue
        known = {f.name: f for f in fields(SECTIONS[section])}
        values[section] = {}
        for key, item in value.items():
            line = _line_of(text, section, key)
            if key not in known:
                problems.append(f"hearth.toml:{line}: unknown key '{key}' in [{section}]"
                                f"{_closest(key, known)} (valid: {', '.join(sorted(known))})")
                continue
            wanted = {"int": int, "bool": bool, "date | None": date}.get(str(known[key].type), str)
            if wanted is date:
                day = _day(item)
                if day is None:
                    problems.append(f"hearth.toml:{line}: '{key}' must be a day, like "
                                    f"{key} = 2026-01-01")
                else:
                    values[section][key] = day
                continue
            if wanted is bool and not isinstance(item, bool):
                problems.append(f"hearth.toml:{line}: '{key}' must be true or false")
                continue
            if wanted is int and (isinstance(item, bool) or not isinstance(item, int)):
                problems.append(f"hearth.toml:{line}: '{key}' must be a whole number")
                continue
            if str(known[key].type) == "tuple[str, ...]":
                if not isinstance(item, list) or not all(isinstance(i, str) for i in item):
                    problems.append(f"hearth.toml:{line}: '{key}' must be a list of strings, like "
                                    f"{key} = [\"en\", \"zh\"]")
                else:
                    values[section][key] = tuple(item)
                continue
            if wanted is str and not isinstance(item, str):
                problems.append(f"hearth.toml:{line}: '{key}' must be a string")
                continue
            values[section][key] = item
    site_values = values.get("site", {})
    if "title" not in site_values:
        problems.append(f"hearth.toml:{_line_of(text, None, 'site')}: [site] needs a 'title'")
        site_values["title"] = ""
    problems += _check_site(text, site_values)
    if problems:
        raise SettingsError(problems)
    site_values["base_url"] = site_values.get("base_url", SiteSettings.base_url).rstrip("/") + "/"
    return Settings(SiteSettings(**site_values), BuildSettings(**values.get("build", {})), root,
                    LintSettings(**values.get("lint", {})), permalinks)


def _day(value: object) -> date | None:
    """A TOML date (`2026-01-01`) or the same written as a string; not a date-time."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
        except ValueError:
            return None
    return None


def _pattern_problems(pattern: str, what: str = "permalink") -> list[str]:
    """What is wrong with a permalink pattern ([site] permalink, a [permalinks] value)."""
    problems = []
    names = set(re.findall(r"{(\w*)}", pattern))
    if "slug" not in names:
        problems.append(f"{what} must contain {{slug}}")
    for name in sorted(names - set(PERMALINK_FIELDS)):
        problems.append(f"{what} has unknown field {{{name}}}{_closest(name, PERMALINK_FIELDS)}"
                        f" (valid: {', '.join('{' + n + '}' for n in PERMALINK_FIELDS)})")
    if pattern.startswith("/") or ".." in pattern.split("/") or "\\" in pattern:
        problems.append(f"{what} must stay inside the site: no leading '/', no '..'")
    return problems


def _permalinks(text: str, table: object) -> tuple[dict[str, str], list[str]]:
    """`[permalinks]`: folder = "pattern", as Hugo writes it (one leading '/' is
    allowed and dropped: `inside-rust = "/inside-rust/{year}/{slug}/"`)."""
    if not isinstance(table, dict):
        return {}, [f"hearth.toml:{_line_of(text, None, 'permalinks')}: 'permalinks' must be a "
                    "section of folder = \"pattern\" lines"]
    found: dict[str, str] = {}
    problems = []
    for key, value in table.items():
        line = _line_of(text, "permalinks", key)
        folder = key.strip().strip("/")
        parts = folder.split("/")
        if not folder or "\\" in folder or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            problems.append(f"hearth.toml:{line}: [permalinks] key '{key}' must be a sub-folder of "
                            "content/posts, like inside-rust or news/2020")
            continue
        if not isinstance(value, str):
            problems.append(f"hearth.toml:{line}: [permalinks] '{key}' must be a string, like "
                            f"{key} = \"{folder}/{{year}}/{{slug}}/\"")
            continue
        pattern = value.strip().removeprefix("/")
        messages = _pattern_problems(pattern, f"[permalinks] '{key}'")
        problems += [f"hearth.toml:{line}: {m}" for m in messages]
        if not messages:
            found[folder] = pattern
    return found, problems


def _check_site(text: str, site: dict) -> list[str]:
    problems = []

    def bad(key: str, message: str) -> None:
        problems.append(f"hearth.toml:{_line_of(text, 'site', key)}: {message}")

    url = urlsplit(site.get("base_url", SiteSettings.base_url))
    if url.scheme not in ("http", "https") or not url.netloc:
        bad("base_url", "base_url must be absolute, like https://community.example.org/")
    for message in _pattern_problems(site.get("permalink", SiteSettings.permalink)):
        bad("permalink", message)
    try:
        ZoneInfo(site.get("timezone", "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        bad("timezone", f"unknown time zone '{site.get('timezone')}'; use an IANA name like Europe/Rome")
    try:
        babel.Locale.parse(site.get("language", "en").replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        bad("language", f"unknown language '{site.get('language')}'; use a locale like en, it, sv, ru")
    for tag in site.get("languages", ()):
        try:
            babel.Locale.parse(tag.replace("-", "_"))
        except (ValueError, babel.UnknownLocaleError):
            bad("languages", f"unknown language '{tag}' in languages; use codes like en, zh, pt-BR")
    if site.get("per_page", 10) < 1:
        bad("per_page", "per_page must be at least 1")
    return problems
