"""The KPI report: what went out, what is planned, what is at risk.

The report is computed from the same site model the build makes, plus two
inputs read at the edges, each in one small function that does the I/O:

- `read_metrics(root)`: the platforms' own exports in calendar/metrics/*.csv
  (LinkedIn's page-content export, Buffer's analytics export, or Hearth's
  generic CSV; see docs/metrics.md), as rows plus `Diagnostic`s;
- `read_post_history(root)`: the status of every post at every commit that
  touched it, from one `git log` over content/posts and one
  `git cat-file --batch`, when the hub is a git repository.

Everything else — `compute_report`, the text/JSON/CSV renderings and the
SVG charts of the report page — is pure.

Decisions the contract leaves open:

- The period is `--from`/`--to`, inclusive dates in the site's zone; the
  default is the ISO week of now with the four weeks before and after it,
  whole weeks. Weekly tables use the ISO weeks that overlap the period; a
  week cut by `--from`/`--to` counts only its days inside it, for items and
  for cadence alike.
- Channel totals of engagement count the items that went out in the period;
  a campaign counts all its items, whenever they went out.
- Style findings are counted in the week of the post's date; pages have a
  column of their own, the guidelines (full of bad examples) none.
- Cadence is a channel's slots per week, less the slots that fall on a
  blackout day for that channel. A week's open slots are cadence minus the
  `ready` items placed in it; in a past week they are slots that were
  missed. Draft and review items are shown beside, as what could fill them.
- Backlog is a snapshot at `now`: drafts, items in review, and `ready` posts
  whose date has not come yet.
- Lead time runs from the first commit where a post's `status` is `review`
  to its publication: the later of the first `ready` commit after it and the
  post's `date`. Time in review adds up every stretch spent in `review`.
  Commit times are author dates (`%aI`).
- A numeric campaign `goal` (or a text like "800 engagements") is a number
  of engagements unless it names impressions or clicks.
- When several metrics rows match one queue item (overlapping exports), the
  one with the most impressions counts: metrics only grow.
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import json
import math
import re
import shutil
import statistics
import subprocess
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from markupsafe import Markup

from .assemble.site import Site
from .validate import site_diagnostics
from .diagnostics import Diagnostic, diagnostic, sort_diagnostics
from .plan.context import base_context
from .plan.outputs import Output

METRICS_DIR = "calendar/metrics"
POSTS_DIR = "content/posts"
DEFAULT_WEEKS = 4
REVIEW_TOO_LONG = timedelta(days=7)     # an item in review longer than this is at risk
DUE_SOON = timedelta(days=7)            # a draft or review item due within this is at risk
FORMATS = ("text", "json", "csv")

# Hearth's own checks: every other rule that fires on a post is a style finding.
OWN_CHECKS = frozenset({
    "", "yaml", "front-matter", "encoding", "campaign", "channel", "channels", "channel-limit",
    "alt-text", "media", "duplicate-slug", "event", "template", "path", "metrics", "typo",
})


# ======================================================================== period


@dataclass(frozen=True)
class Period:
    """The report's dates, inclusive, in the site's zone."""

    start: date
    end: date
    now: datetime
    zone: Any

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(), self.zone)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(), self.zone)

    def holds(self, moment: datetime | None) -> bool:
        return moment is not None and self.start_at <= moment < self.end_at

    def weeks(self) -> list[tuple[str, date]]:
        """(label like 2026-W47, its Monday) for every ISO week the period touches."""
        monday = self.start - timedelta(days=self.start.weekday())
        found = []
        while monday <= self.end:
            year, week, _ = monday.isocalendar()
            found.append((f"{year}-W{week:02d}", monday))
            monday += timedelta(days=7)
        return found

    def days_of(self, monday: date) -> list[date]:
        """The days of a week that fall inside the period."""
        days = (monday + timedelta(days=i) for i in range(7))
        return [d for d in days if self.start <= d <= self.end]


def make_period(site: Site, start: date | None = None, end: date | None = None) -> Period:
    """The dates asked for; by default the four ISO weeks before this one, this
    one and the four after, whole weeks so that every weekly column is full."""
    zone = site.settings.site.zone
    today = site.now.astimezone(zone).date()
    if start is None:
        start = today - timedelta(weeks=DEFAULT_WEEKS)
        start -= timedelta(days=start.weekday())
    if end is None:
        end = today + timedelta(weeks=DEFAULT_WEEKS)
        end += timedelta(days=6 - end.weekday())
    return Period(start, end, site.now, zone)


def week_label(moment: datetime | date) -> str:
    day = moment.date() if isinstance(moment, datetime) else moment
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# ======================================================================== metrics: reading


@dataclass(frozen=True)
class MetricsRow:
    """One row of an export, in Hearth's terms."""

    path: str
    line: int
    format: str                     # linkedin | buffer | generic
    url: str | None
    id: str | None
    channel: str | None             # as the export names it (a channel name, a kind, a profile)
    day: date | None
    text: str | None
    impressions: int
    engagements: int
    clicks: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class MetricsFile:
    path: str
    format: str | None              # None: not recognised
    rows: int


@dataclass(frozen=True)
class Metrics:
    files: tuple[MetricsFile, ...] = ()
    rows: tuple[MetricsRow, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def _columns(*names: str) -> tuple[str, ...]:
    return names


# Column names, compared case- and space-insensitively; the first name is the one documented.
LINKEDIN_COLUMNS = {
    "text": _columns("Post title", "Update title"),
    "link": _columns("Post link", "Update link"),
    "date": _columns("Created date", "Date", "Posted on"),
    "impressions": _columns("Impressions"),
    "clicks": _columns("Clicks"),
    "likes": _columns("Likes", "Reactions"),
    "comments": _columns("Comments"),
    "shares": _columns("Reposts", "Shares"),
    "follows": _columns("Follows", "Followers"),
}
BUFFER_COLUMNS = {
    "date": _columns("Date", "Sent at", "Published at", "Posted at", "Sent date"),
    "time": _columns("Time",),
    "channel": _columns("Channel", "Profile", "Service", "Network", "Account"),
    "text": _columns("Post", "Text", "Content", "Post text", "Message"),
    "link": _columns("Link", "Link URL", "Post link", "URL"),
    "impressions": _columns("Impressions",),
    "engagements": _columns("Engagements", "Total engagements"),
    "clicks": _columns("Clicks", "Link clicks"),
}
GENERIC_COLUMNS = ("url", "id", "channel", "date", "impressions", "engagements", "clicks")
GENERIC_METRICS = ("impressions", "engagements", "clicks")
HEADER_SEARCH_ROWS = 6          # exports may put a note above the header (LinkedIn does)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}


def _norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


def _find(header: list[str], names: Sequence[str]) -> int | None:
    wanted = [_norm(n) for n in names]
    normalized = [_norm(h) for h in header]
    for name in wanted:
        if name in normalized:
            return normalized.index(name)
    return None


def _map(header: list[str], table: dict[str, Sequence[str]]) -> dict[str, int]:
    return {key: index for key, names in table.items()
            if (index := _find(header, names)) is not None}


def detect_format(header: list[str]) -> tuple[str, dict[str, int]] | None:
    """Which export a header row belongs to, and where its columns are."""
    names = {_norm(h) for h in header}
    linkedin = _map(header, LINKEDIN_COLUMNS)
    if {"text", "link", "impressions"} <= linkedin.keys():
        return "linkedin", linkedin
    if names & {"url", "id"} and "date" in names and not names & {"post", "text", "post title"}:
        return "generic", {n: i for i, h in enumerate(header) if (n := _norm(h)) in GENERIC_COLUMNS}
    buffer = _map(header, BUFFER_COLUMNS)
    if {"date", "engagements"} <= buffer.keys() and buffer.keys() & {"text", "link"}:
        return "buffer", buffer
    return None


def decode_metrics(path: str, raw: bytes) -> tuple[str, list[Diagnostic]]:
    """Bytes → text: UTF-8 (with or without BOM), UTF-16 by its BOM, else line by
    line UTF-8 falling back to Windows-1252, the encoding Excel saves CSV in on
    Windows; a file that mixes them is read, and said so at the first odd line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
        problems = []
        if "\ufffd" in text:
            line = text[:text.index("\ufffd")].count("\n") + 1
            problems.append(diagnostic(path, line, 1, "warning", "broken UTF-16 text; "
                                       "unreadable characters replaced", "metrics"))
        return _lines(text), problems
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return _lines(raw.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    lines, odd, utf8_accents = [], [], False
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            text = chunk.decode("utf-8")
            utf8_accents = utf8_accents or not chunk.isascii()
        except UnicodeDecodeError:
            text = chunk.decode("cp1252", errors="replace")
            odd.append(number)
        lines.append(text)
    shown = ", ".join(map(str, odd[:5])) + (f" and {len(odd) - 5} more" if len(odd) > 5 else "")
    what = "mixes UTF-8 and Windows-1252" if utf8_accents else "is not UTF-8"
    problem = diagnostic(path, odd[0], 1, "warning",
                         f"file {what}: read line{'s' if len(odd) > 1 else ''} {shown} as "
                         "Windows-1252; save the file as UTF-8", "metrics")
    return _lines("\n".join(lines)), [problem]


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def parse_metrics(path: str, text: str) -> tuple[MetricsFile, list[MetricsRow], list[Diagnostic]]:
    """One export's text → its rows in Hearth's terms, and every problem at path:line."""
    problems: list[Diagnostic] = []
    first_lines = "\n".join(text.split("\n")[:HEADER_SEARCH_ROWS + 1])
    reader = csv.reader(io.StringIO(text), _dialect(first_lines))
    rows: list[MetricsRow] = []
    found = None
    header: list[str] = []
    first_wide: tuple[int, list[str]] | None = None   # shown when no header is recognised
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if found is None:
                found = detect_format(record)
                if found is not None:
                    header = record
                    problems += _check_header(path, start, found[0], record)
                elif start >= HEADER_SEARCH_ROWS:
                    break
                elif first_wide is None and len(record) > 1:
                    first_wide = (start, record)
                continue
            row, found_problems = _row(path, start, found[0], found[1], header, record)
            problems += found_problems
            if row is not None:
                rows.append(row)
    except csv.Error as err:
        problems.append(diagnostic(path, line, 1, "warning", f"broken CSV: {err}", "metrics"))
    if found is None:
        where, cells = first_wide or (1, [])
        columns = ", ".join(c.strip() for c in cells if c.strip()) or "none"
        problems.append(diagnostic(
            path, where, 1, "warning",
            f"unknown columns ({columns}): not a LinkedIn, Buffer or generic export "
            "(url, date, impressions, engagements, clicks); see docs/metrics.md", "metrics"))
        return MetricsFile(path, None, 0), [], problems
    return MetricsFile(path, found[0], len(rows)), rows, problems


def _check_header(path: str, line: int, fmt: str, header: list[str]) -> list[Diagnostic]:
    if fmt != "generic":
        return []                   # platform exports carry many columns we do not need
    problems = []
    names = [_norm(h) for h in header]
    for index, name in enumerate(names):
        if name and name not in GENERIC_COLUMNS:
            close = difflib.get_close_matches(name, GENERIC_COLUMNS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(diagnostic(path, line, 1, "warning",
                                       f"unknown column '{header[index].strip()}' ignored{hint}; "
                                       f"columns are: {', '.join(GENERIC_COLUMNS)}", "metrics"))
    for metric in GENERIC_METRICS:
        if metric not in names:
            problems.append(diagnostic(path, line, 1, "warning",
                                       f"no '{metric}' column: counted as 0", "metrics"))
    return problems


def _row(path: str, line: int, fmt: str, columns: dict[str, int], header: list[str],
         record: list[str]) -> tuple[MetricsRow | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []

    def warn(message: str) -> None:
        problems.append(diagnostic(path, line, 1, "warning", message, "metrics"))

    if len(record) > len(header) and not any(cell.strip() for cell in record[len(header):]):
        record = record[:len(header)]           # trailing empty fields, as spreadsheets write them
    if len(record) > len(header):
        warn(f"row has {len(record)} fields but the header has {len(header)}: "
             "a comma inside an unquoted text? row skipped")
        return None, problems

    def cell(key: str) -> str:
        index = columns.get(key)
        return record[index].strip() if index is not None and index < len(record) else ""

    def number(key: str) -> int:
        raw = cell(key)
        value = parse_count(raw)
        if value is None:
            name = header[columns[key]].strip()
            warn(f"'{raw}' in column '{name}' is not a whole number of at least 0; counted as 0")
            return 0
        return value

    day = None
    raw_date = cell("date")
    if raw_date:
        day = parse_day(raw_date, us_first=fmt in ("linkedin", "buffer"))
        if day is None:
            name = header[columns["date"]].strip()
            expected = "YYYY-MM-DD" if fmt == "generic" else "MM/DD/YYYY or YYYY-MM-DD"
            warn(f"bad date '{raw_date}' in column '{name}': use {expected}; "
                 "row kept without a date")
    elif fmt == "generic":
        warn("no date; row kept without one")
    if fmt == "linkedin":
        engagements = sum(number(k) for k in ("likes", "comments", "shares", "follows", "clicks")
                          if k in columns)
    else:
        engagements = number("engagements") if "engagements" in columns else 0
    impressions = number("impressions") if "impressions" in columns else 0
    clicks = number("clicks") if "clicks" in columns else 0
    url = cell("url") or cell("link") or None
    row_id = cell("id") or None
    if fmt == "generic" and not url and not row_id:
        warn("no url and no id: the row cannot be matched to a queue item")
    return MetricsRow(path, line, fmt, url, row_id, cell("channel") or None, day,
                      cell("text") or None, impressions, engagements, clicks), problems


def parse_count(raw: str) -> int | None:
    """'1,234' / '1 234' / '1.234' / '12.0' / '' → a count; None when not one."""
    text = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", "")
    if text in ("", "-", "–", "n/a", "N/A"):
        return 0
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        value = float(text)
    except ValueError:
        return None
    if value < 0 or not math.isfinite(value):
        return None
    return round(value)


def parse_day(raw: str, us_first: bool = True) -> date | None:
    """ISO dates and datetimes; MM/DD/YYYY (as LinkedIn and Buffer write them);
    'Nov 3, 2026' and '3 Nov 2026'."""
    text = raw.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T].*)?", text)
    if match and us_first:
        month, day, year = (int(g) for g in match.groups())
        return _date(year, month, day)
    match = re.fullmatch(r"([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})(?: .*)?", text)
    if match and match.group(1).lower() in _MONTHS:
        return _date(int(match.group(3)), _MONTHS[match.group(1).lower()], int(match.group(2)))
    match = re.fullmatch(r"(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d{4})(?: .*)?", text)
    if match and match.group(2).lower() in _MONTHS:
        return _date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


Parsed = tuple[MetricsFile, list[MetricsRow], list[Diagnostic]]
_METRICS_CACHE: dict[tuple[str, int, int], Parsed] = {}      # (file, size, mtime) → parsed


def read_metrics(root: Path) -> Metrics:
    """The I/O of metrics: read calendar/metrics/*.csv (cached by size and mtime)."""
    folder = root / METRICS_DIR
    if not folder.is_dir():
        return Metrics()
    files, rows, problems = [], [], []
    for file in sorted(folder.glob("*.csv")):
        if not file.is_file():
            continue
        relpath = file.relative_to(root).as_posix()
        stat = file.stat()
        key = (str(file.resolve()), stat.st_size, stat.st_mtime_ns)
        if key not in _METRICS_CACHE:
            text, decoding = decode_metrics(relpath, file.read_bytes())
            parsed = parse_metrics(relpath, text)
            _METRICS_CACHE[key] = (parsed[0], parsed[1], decoding + parsed[2])
        found_file, found_rows, found_problems = _METRICS_CACHE[key]
        files.append(found_file)
        rows += found_rows
        problems += found_problems
    return Metrics(tuple(files), tuple(rows), tuple(sort_diagnostics(problems)))


def metrics_diagnostics(root: Path) -> list[Diagnostic]:
    """The problems in calendar/metrics/*.csv: warnings, never errors."""
    return list(read_metrics(root).diagnostics)


# ======================================================================== metrics: matching


def normalize_url(url: str) -> str:
    """Compare URLs without scheme, utm_* parameters, fragment or trailing slash."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_")]
    path = parts.path.rstrip("/")
    return urlunsplit(("", parts.netloc.lower(), path, urlencode(sorted(query)), ""))


def _utm_source(url: str) -> str | None:
    for key, value in parse_qsl(urlsplit(url.strip()).query):
        if key.lower() == "utm_source":
            return value.lower()
    return None


def _short_text(text: str) -> str:
    text = _URL_IN_TEXT.sub("", text)
    return " ".join(re.findall(r"\w+", text.casefold()))[:60]


@dataclass(frozen=True)
class Match:
    row: MetricsRow
    item: Any | None                # assemble.channel_posts.ChannelPost
    reason: str = ""                # why not matched


def match_rows(site: Site, rows: Iterable[MetricsRow]) -> list[Match]:
    """Each row → the queue item it measures: by id, by URL (UTM stripped) and
    channel, or — for LinkedIn, whose export links to LinkedIn — by the URL or
    the opening words of the post text."""
    calendar = site.calendar
    items = tuple(calendar.channel_posts) if calendar is not None else ()
    by_id = {cp.id: cp for cp in items}
    by_url: dict[str, list[Any]] = defaultdict(list)
    for cp in items:
        by_url[normalize_url(site.absolute_url(cp.post))].append(cp)
    channels = list(calendar.channels) if calendar is not None else []
    matches = []
    for row in rows:
        if row.id:
            cp = by_id.get(row.id)
            matches.append(Match(row, cp, "" if cp else f"no queue item has the id '{row.id}'"))
            continue
        wanted = _channels_for(row, channels)
        if wanted is None:
            known = ", ".join(c.name for c in channels) or "none"
            matches.append(Match(row, None, f"unknown channel '{row.channel}' (channels: {known})"))
            continue
        urls = ([row.url] if row.url else []) + _URL_IN_TEXT.findall(row.text or "")
        candidates: list[Any] = []
        for url in urls:
            candidates = by_url.get(normalize_url(url), [])
            source = _utm_source(url)
            if candidates and source:
                wanted = wanted or {cp.channel.name for cp in candidates
                                    if cp.channel.utm.get("source", "").lower() == source}
            if candidates:
                break
        if not candidates and row.text:
            opening = _short_text(row.text)
            if len(opening) >= 12:
                candidates = [cp for cp in items if (not wanted or cp.channel.name in wanted)
                              and _short_text(cp.text).startswith(opening[:40])]
        if wanted:
            candidates = [cp for cp in candidates if cp.channel.name in wanted]
        if len(candidates) == 1:
            matches.append(Match(row, candidates[0]))
        elif not candidates:
            what = f" on {', '.join(sorted(wanted))}" if wanted else ""
            matches.append(Match(row, None, f"no queue item{what} links to this URL" if row.url
                                 else f"no queue item{what} has this URL or text"))
        else:
            ids = ", ".join(sorted(cp.id for cp in candidates))
            matches.append(Match(row, None, f"several queue items fit ({ids}): add a channel "
                                            "or id column, or keep the utm_source in the URL"))
    return matches


def _channels_for(row: MetricsRow, channels: list[Any]) -> set[str] | None:
    """The channel names a row can belong to, from its channel column (a channel's
    name, or a kind inside a profile name like "Open Garden (LinkedIn)") or its
    format; empty: any; None: the column names no channel of the hub."""
    if row.channel:
        said = _norm(row.channel)
        exact = {c.name for c in channels if c.name.lower() == said}
        if exact:
            return exact
        words = set(re.findall(r"[a-z0-9_-]+", said)) | set(re.findall(r"[a-z]+", said))
        if "twitter" in words:
            words.add("x")
        return {c.name for c in channels if c.kind in words or c.name.lower() in words} or None
    if row.format == "linkedin":
        return {c.name for c in channels if c.kind == "linkedin"}
    return set()


# ======================================================================== git history


@dataclass(frozen=True)
class StatusChange:
    at: datetime
    status: str
    commit: str


@dataclass(frozen=True)
class History:
    available: bool
    reason: str = ""                                     # why not, when not available
    changes: dict[str, tuple[StatusChange, ...]] = field(default_factory=dict)  # oldest first


class _GitFailed(Exception):
    pass


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(root), *args],
                          input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        raise _GitFailed(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


_HISTORY_CACHE: dict[tuple[str, str, str], History] = {}
_STATUS_CACHE: dict[tuple[str, str], str] = {}   # (hub, "commit:./path") → status in that version
_STATUS_LINE = re.compile(r"^status:\s*[\"']?([A-Za-z]+)", re.MULTILINE)


def read_post_history(root: Path, folder: str = POSTS_DIR) -> History:
    """The I/O of lead times: each post's status at every commit that touched it.

    One `git log --name-status` over the folder (renames followed) and one
    `git cat-file --batch` for the file versions not seen before; cached by
    HEAD, and per file version.
    """
    if shutil.which("git") is None:
        return History(False, "git is not installed")
    try:
        _git(root, "rev-parse", "--is-inside-work-tree")
    except _GitFailed:
        return History(False, "the hub is not a git repository")
    try:
        head = _git(root, "rev-parse", "--verify", "-q", "HEAD").decode().strip()
    except _GitFailed:
        return History(False, "the git repository has no commits yet")
    key = (str(root.resolve()), head, folder)
    if key in _HISTORY_CACHE:
        return _HISTORY_CACHE[key]
    try:
        log = _git(root, "log", "--format=%x1e%H%x09%aI", "--name-status", "-M", "--relative",
                   "--", folder).decode("utf-8", "replace")
    except _GitFailed as err:
        return History(False, f"git log failed: {err}")
    chains = _file_chains(_parse_log(log))
    # "./" makes the path relative to the hub, which may be a folder inside the repository
    versions = {f"{sha}:./{name}" for chain in chains.values() for sha, _, name in chain}
    wanted = sorted(v for v in versions if (key[0], v) not in _STATUS_CACHE)
    if wanted:
        try:
            found = _statuses(root, wanted)
        except _GitFailed as err:
            return History(False, f"git cat-file failed: {err}")
        _STATUS_CACHE.update({(key[0], v): status for v, status in found.items()})
    changes = {path: tuple(StatusChange(at, _STATUS_CACHE.get((key[0], f"{sha}:./{name}"),
                                                              "ready"), sha)
                           for sha, at, name in reversed(chain))
               for path, chain in chains.items()}
    history = History(True, "", changes)
    _HISTORY_CACHE[key] = history
    return history


Commit = tuple[str, datetime, dict[str, tuple[str, ...]]]


def _parse_log(log: str) -> list[Commit]:
    """`git log` output → [(sha, author date, {path after: (letter, path[, new path])})],
    newest first."""
    commits = []
    for chunk in log.split("\x1e"):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        sha, when = lines[0].split("\t")
        entries = [tuple(line.split("\t")) for line in lines[1:]]
        commits.append((sha, datetime.fromisoformat(when), {e[-1]: e for e in entries}))
    return commits


def _file_chains(commits: list[Commit]) -> dict[str, list[tuple[str, datetime, str]]]:
    """Current path → [(commit, date, path at that commit)], newest first, across renames."""
    # A path exists now if the newest entry that names it is not a delete or a rename away.
    current: set[str] = set()
    seen: set[str] = set()
    for _, _, entries in commits:
        for path, entry in entries.items():
            if path not in seen:
                seen.add(path)
                if entry[0] != "D":
                    current.add(path)
            if entry[0].startswith("R") and entry[1] not in seen:
                seen.add(entry[1])          # renamed away: the old name does not exist now
    chains: dict[str, list[tuple[str, datetime, str]]] = {}
    for path in current:
        if not path.endswith(".md"):
            continue
        name, chain = path, []
        for sha, when, entries in commits:
            entry = entries.get(name)
            if entry is None:
                continue
            if entry[0] == "D":
                break
            chain.append((sha, when, name))
            if entry[0].startswith("R"):
                name = entry[1]
            elif entry[0] == "A":
                break
        chains[path] = chain
    return chains


def _statuses(root: Path, objects: list[str]) -> dict[str, str]:
    """`status:` of each "commit:path", with one `git cat-file --batch`."""
    out = _git(root, "cat-file", "--batch", stdin=("\n".join(objects) + "\n").encode())
    found, offset = {}, 0
    for name in objects:
        end = out.index(b"\n", offset)
        head = out[offset:end].split()
        offset = end + 1
        if len(head) < 3 or head[1] != b"blob":
            continue
        size = int(head[2])
        found[name] = status_in(out[offset:offset + size].decode("utf-8", "replace"))
        offset += size + 1
    return found


def status_in(text: str) -> str:
    """The `status:` of a post file's front matter; `ready` when it says none."""
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        return "ready"
    end = text.find("\n---", 3)
    match = _STATUS_LINE.search(text[:end if end != -1 else len(text)])
    return match.group(1).lower() if match else "ready"


# ======================================================================== the report model


@dataclass(frozen=True)
class ChannelWeek:
    channel: str
    week: str
    monday: date
    cadence: int | None          # slots in the week (inside the period, outside blackouts)
    sent: int                    # ready, at <= now
    scheduled: int               # ready, at > now
    review: int
    draft: int
    past: bool                   # the week ended before now

    @property
    def ready(self) -> int:
        return self.sent + self.scheduled

    @property
    def open(self) -> int:
        return max(0, self.cadence - self.ready) if self.cadence is not None else 0


@dataclass(frozen=True)
class ChannelSummary:
    name: str
    kind: str
    color: str
    cadence_per_week: int
    sent: int
    scheduled: int
    pending: int
    missed: int                  # open slots in past weeks
    open: int                    # open slots this week and after
    gap_weeks: tuple[str, ...]
    unplaced: tuple[str, ...]    # ready posts the schedule found no slot for


@dataclass(frozen=True)
class Totals:
    impressions: int = 0
    engagements: int = 0
    clicks: int = 0
    items: int = 0

    @property
    def rate(self) -> float | None:
        return self.engagements / self.impressions if self.impressions else None

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.impressions + other.impressions, self.engagements + other.engagements,
                      self.clicks + other.clicks, self.items + other.items)


@dataclass(frozen=True)
class ItemEngagement:
    id: str
    channel: str
    path: str
    title: str
    campaign: str | None
    at: datetime | None
    totals: Totals
    source: str                  # path:line of the row counted


@dataclass(frozen=True)
class CampaignReport:
    name: str
    title: str
    start: date
    end: date
    color: str
    state: str                   # upcoming | running | ended
    elapsed: float               # share of the campaign's days gone by, 0..1
    posts: int
    items: int
    in_window: int
    before: int
    after: int
    unplaced: int
    goal: str | None             # as written
    goal_value: float | None
    goal_metric: str | None      # engagements | impressions | clicks
    totals: Totals
    progress: float | None       # measured / goal


@dataclass(frozen=True)
class BacklogItem:
    path: str
    title: str
    status: str                  # draft | review | ready
    date: datetime | None
    author: str | None
    campaign: str | None
    since: datetime | None       # in review since (git)
    risk: str                    # why it is at risk, or ""


@dataclass(frozen=True)
class AuthorRow:
    author: str
    published: int
    scheduled: int
    review: int
    draft: int

    @property
    def total(self) -> int:
        return self.published + self.scheduled + self.review + self.draft


@dataclass(frozen=True)
class StyleRow:
    rule: str
    level: str
    weeks: dict[str, int]
    undated: int
    total: int


@dataclass(frozen=True)
class ReviewFlow:
    path: str
    title: str
    author: str | None
    entered_review: datetime
    left_review: datetime | None
    review_hours: float          # every stretch in review, up to now if still there
    in_review_now: bool
    published: datetime | None
    lead_hours: float | None


@dataclass(frozen=True)
class FlowStats:
    count: int
    median_hours: float | None
    mean_hours: float | None
    max_hours: float | None


@dataclass(frozen=True)
class Risk:
    kind: str
    message: str
    path: str | None = None


@dataclass(frozen=True)
class Report:
    title: str
    period: Period
    weeks: tuple[tuple[str, date], ...]
    now_week: str
    went_out: dict[str, Any]
    planned: dict[str, Any]
    risks: tuple[Risk, ...]
    channel_weeks: tuple[ChannelWeek, ...]
    channels: tuple[ChannelSummary, ...]
    silent_weeks: tuple[str, ...]        # weeks with no item on any channel
    campaigns: tuple[CampaignReport, ...]
    backlog: tuple[BacklogItem, ...]
    authors: tuple[AuthorRow, ...]
    style: tuple[StyleRow, ...]
    history: History
    flows: tuple[ReviewFlow, ...]
    lead_time: FlowStats
    review_time: FlowStats
    skipped_review: int                  # published in the period without a review commit
    metrics_files: tuple[MetricsFile, ...]
    items: tuple[ItemEngagement, ...]
    by_channel: dict[str, Totals]
    by_post: dict[str, Totals]
    by_campaign: dict[str, Totals]
    unmatched: tuple[Match, ...]
    metrics_problems: tuple[Diagnostic, ...]

    @property
    def engagement_total(self) -> Totals:
        return sum(self.by_channel.values(), Totals())


# ======================================================================== computing it


def is_style_finding(d: Diagnostic, rule_ids: frozenset[str] | None = None) -> bool:
    """A rule of the style guide fired, not one of Hearth's own checks."""
    if rule_ids is not None:
        return d.rule in rule_ids
    return d.rule not in OWN_CHECKS and not d.rule.startswith("schedule.") \
        and not d.path.startswith(METRICS_DIR)


def style_rule_ids(site: Site) -> frozenset[str] | None:
    guide = getattr(site.sources, "guide", None)
    rules = getattr(guide, "rules", None)
    if rules is None:
        return None
    return frozenset(str(getattr(r, "id", "")) for r in rules)


def compute_report(site: Site, period: Period, diagnostics: Sequence[Diagnostic] = (),
                   metrics: Metrics = Metrics(), history: History = History(False, "not read"),
                   ) -> Report:
    """The whole report. Pure: every input is passed in."""
    zone = period.zone
    now = period.now
    calendar = site.calendar
    channel_posts = tuple(calendar.channel_posts) if calendar is not None else ()
    every = calendar.channels if calendar is not None else ()
    channels = [c for c in every if c.kind != "newsletter"]     # digests have no weekly cadence

    weeks = tuple(period.weeks())
    channel_weeks, summaries = _cadence(period, weeks, channels, channel_posts, calendar)
    silent = tuple(w for w, _ in weeks if not any(
        cw.ready + cw.review + cw.draft for cw in channel_weeks if cw.week == w))

    matches = match_rows(site, metrics.rows)
    best: dict[str, Match] = {}
    for m in matches:
        if m.item is not None:
            kept = best.get(m.item.id)
            if kept is None or _size(m.row) > _size(kept.row):
                best[m.item.id] = m
    items = tuple(sorted((ItemEngagement(
        cp.id, cp.channel.name, cp.post.path, cp.post.title, cp.post.campaign,
        cp.at.astimezone(zone) if cp.at else None,
        Totals(m.row.impressions, m.row.engagements, m.row.clicks, 1), m.row.where)
        for m in best.values() for cp in [m.item]),
        key=lambda e: (-e.totals.engagements, e.id)))
    by_channel: dict[str, Totals] = {c.name: Totals() for c in channels}
    by_post: dict[str, Totals] = {}
    by_campaign: dict[str, Totals] = {}
    for e in items:
        if period.holds(e.at):
            by_channel[e.channel] = by_channel.get(e.channel, Totals()) + e.totals
            by_post[e.path] = by_post.get(e.path, Totals()) + e.totals
        if e.campaign:
            by_campaign[e.campaign] = by_campaign.get(e.campaign, Totals()) + e.totals

    campaigns = _campaigns(site, period, channel_posts, by_campaign)
    flows, lead, review, skipped = _flows(site, period, history)
    backlog = _backlog(site, period, flows)
    report = Report(
        title=site.settings.site.title, period=period, weeks=weeks,
        now_week=week_label(now.astimezone(zone)),
        went_out=_went_out(site, period, channel_posts),
        planned=_planned(site, period, channel_posts),
        risks=(), channel_weeks=channel_weeks, channels=summaries, silent_weeks=silent,
        campaigns=campaigns, backlog=backlog, authors=_authors(site, period),
        style=_style(site, period, diagnostics), history=history, flows=flows,
        lead_time=lead, review_time=review, skipped_review=skipped,
        metrics_files=metrics.files, items=items, by_channel=by_channel, by_post=by_post,
        by_campaign=by_campaign, unmatched=tuple(m for m in matches if m.item is None),
        metrics_problems=tuple(metrics.diagnostics))
    return _with_risks(report, diagnostics)


def _local(moment: datetime | None, zone) -> datetime | None:
    return moment.astimezone(zone) if moment is not None else None


def _cadence(period: Period, weeks, channels, channel_posts, calendar):
    zone, now = period.zone, period.now
    today = now.astimezone(zone).date()
    rows: list[ChannelWeek] = []
    summaries = []
    for channel in channels:
        mine = [cp for cp in channel_posts if cp.channel.name == channel.name]
        for label, monday in weeks:
            days = set(period.days_of(monday))
            cadence = None
            if channel.slots:
                cadence = sum(1 for slot in channel.slots
                              if (day := monday + timedelta(days=slot.weekday)) in days
                              and calendar.channels.blackout_on(day, channel.name) is None)
            counts = Counter()
            for cp in mine:
                if cp.at is None or cp.at.astimezone(zone).date() not in days:
                    continue
                if cp.post.status == "ready":
                    counts["sent" if cp.at <= now else "scheduled"] += 1
                else:
                    counts[cp.post.status] += 1
            rows.append(ChannelWeek(channel.name, label, monday, cadence, counts["sent"],
                                    counts["scheduled"], counts["review"], counts["draft"],
                                    monday + timedelta(days=6) < today))
        own = [r for r in rows if r.channel == channel.name]
        summaries.append(ChannelSummary(
            channel.name, channel.kind, channel.color, len(channel.slots),
            sum(r.sent for r in own), sum(r.scheduled for r in own),
            sum(r.review + r.draft for r in own),
            sum(r.open for r in own if r.past), sum(r.open for r in own if not r.past),
            tuple(r.week for r in own if r.open),
            tuple(cp.post.path for cp in mine if cp.at is None and cp.post.status == "ready"
                  and period.holds(cp.post.date))))
    return tuple(rows), tuple(summaries)


_GOAL = re.compile(r"^\s*([\d][\d,. ]*)\s*(impressions|engagements|clicks)?\b", re.IGNORECASE)


def parse_goal(goal: Any) -> tuple[float | None, str | None]:
    if isinstance(goal, bool) or goal is None:
        return None, None
    if isinstance(goal, (int, float)):
        return float(goal), "engagements"
    match = _GOAL.match(str(goal))
    if not match:
        return None, None
    value = parse_count(match.group(1).strip())
    return (float(value), (match.group(2) or "engagements").lower()) if value else (None, None)


def _campaigns(site: Site, period: Period, channel_posts,
               by_campaign: dict[str, Totals]) -> tuple[CampaignReport, ...]:
    zone, now = period.zone, period.now
    today = now.astimezone(zone).date()
    found = []
    for campaign in site.sources.campaigns.values():
        if campaign.end < period.start or campaign.start > period.end:
            continue
        posts = [p for p in site.posts if p.campaign == campaign.name]
        mine = [cp for cp in channel_posts if cp.post.campaign == campaign.name]
        placed = [cp.at.astimezone(zone).date() for cp in mine if cp.at is not None]
        days = (campaign.end - campaign.start).days + 1
        elapsed = min(1.0, max(0.0, ((today - campaign.start).days + 1) / days))
        state = ("upcoming" if today < campaign.start
                 else "ended" if today > campaign.end else "running")
        totals = by_campaign.get(campaign.name, Totals())
        goal_value, goal_metric = parse_goal(campaign.goal)
        progress = None
        if goal_value:
            progress = getattr(totals, goal_metric) / goal_value
        found.append(CampaignReport(
            campaign.name, campaign.title, campaign.start, campaign.end, campaign.color, state,
            elapsed,
            len(posts), len(mine), sum(1 for d in placed if campaign.start <= d <= campaign.end),
            sum(1 for d in placed if d < campaign.start),
            sum(1 for d in placed if d > campaign.end),
            sum(1 for cp in mine if cp.at is None),
            None if campaign.goal is None else str(campaign.goal), goal_value, goal_metric,
            totals, progress))
    return tuple(sorted(found, key=lambda c: (c.start, c.name)))


def _flows(site: Site, period: Period, history: History):
    now = period.now
    flows = []
    skipped = 0
    for post in site.posts:
        changes = history.changes.get(post.path, ())
        entered = left = ready_at = None
        review = timedelta()
        stretch_start = None
        for change in changes:
            if change.status == "review":
                if stretch_start is None:
                    stretch_start = change.at
                    entered = entered or change.at
            elif stretch_start is not None:
                review += change.at - stretch_start
                stretch_start = None
                left = change.at
            if change.status == "ready" and entered is not None and ready_at is None:
                ready_at = change.at
        in_review_now = stretch_start is not None and post.status == "review"
        if stretch_start is not None:
            review += now - stretch_start
        published = None
        if post.is_public(now) and ready_at is not None:
            published = max(ready_at, post.date) if post.date else ready_at
        if entered is None:
            if history.available and post.is_public(now) and period.holds(post.date):
                skipped += 1
            continue
        flows.append(ReviewFlow(post.path, post.title, post.author, entered, left,
                                _hours(review), in_review_now, published,
                                _hours(published - entered) if published else None))
    in_period = [f for f in flows if period.holds(f.published)]
    lead = _stats([f.lead_hours for f in in_period if f.lead_hours is not None])
    review_stats = _stats([f.review_hours for f in in_period])
    return tuple(flows), lead, review_stats, skipped


def _hours(span: timedelta) -> float:
    return span.total_seconds() / 3600


def _size(row: MetricsRow) -> tuple[int, int]:
    return row.impressions, row.engagements


def _stats(values: list[float]) -> FlowStats:
    if not values:
        return FlowStats(0, None, None, None)
    return FlowStats(len(values), statistics.median(values), statistics.fmean(values), max(values))


def _backlog(site: Site, period: Period, flows) -> tuple[BacklogItem, ...]:
    now = period.now
    since = {f.path: f.entered_review for f in flows if f.in_review_now}
    items = []
    for post in site.posts:
        if post.status == "ready" and (post.date is None or post.date <= now):
            continue
        risk = ""
        if post.status != "ready" and post.date is not None:
            still = "still in review" if post.status == "review" else f"still a {post.status}"
            if post.date <= now:
                risk = f"its date has passed and it is {still}"
            elif post.date - now <= DUE_SOON:
                days = (post.date - now).days
                risk = f"due in {_count(days, 'day')}, {still}" if days else f"due today, {still}"
        waited = now - since[post.path] if post.path in since else timedelta()
        if post.status == "review" and waited > REVIEW_TOO_LONG:
            risk = risk or f"in review for {waited.days} days"
        items.append(BacklogItem(post.path, post.title, post.status, _local(post.date, period.zone),
                                 post.author, post.campaign, since.get(post.path), risk))
    order = {"review": 0, "draft": 1, "ready": 2}
    return tuple(sorted(items, key=lambda i: (order.get(i.status, 3),
                                              i.date.timestamp() if i.date else 0, i.path)))


def _authors(site: Site, period: Period) -> tuple[AuthorRow, ...]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for post in site.posts:
        if not period.holds(post.date):
            continue
        if post.status == "ready":
            column = "published" if post.date <= period.now else "scheduled"
        else:
            column = post.status
        counts[post.author or "(no author)"][column] += 1
    rows = [AuthorRow(name, c["published"], c["scheduled"], c["review"], c["draft"])
            for name, c in counts.items()]
    return tuple(sorted(rows, key=lambda r: (-r.total, r.author.casefold())))


def _style(site: Site, period: Period, diagnostics: Sequence[Diagnostic]) -> tuple[StyleRow, ...]:
    dated = {p.path: p.date for p in site.posts}
    pages = {p.path for p in site.pages}       # the guidelines are left out: they show bad examples
    weeks: dict[str, Counter] = defaultdict(Counter)
    undated: Counter = Counter()
    levels: dict[str, str] = {}
    rule_ids = style_rule_ids(site)
    for d in diagnostics:
        if not is_style_finding(d, rule_ids):
            continue
        when = dated.get(d.path)
        if when is None:
            if d.path not in pages and d.path not in dated:
                continue
            undated[d.rule] += 1
        elif period.holds(when):
            weeks[d.rule][week_label(when.astimezone(period.zone))] += 1
        else:
            continue
        levels.setdefault(d.rule, d.level)
    rules = set(weeks) | set(undated)
    rows = [StyleRow(r, levels[r], dict(sorted(weeks[r].items())), undated[r],
                     sum(weeks[r].values()) + undated[r]) for r in rules]
    return tuple(sorted(rows, key=lambda r: (-r.total, r.rule)))


def _went_out(site: Site, period: Period, channel_posts) -> dict[str, Any]:
    now, zone = period.now, period.zone
    sent = [cp for cp in channel_posts
            if cp.post.status == "ready" and period.holds(cp.at) and cp.at <= now]
    published = sorted((p for p in site.public_posts if period.holds(p.date)),
                       key=lambda p: (p.date, p.path))
    events = _events(site, period.start_at, min(now, period.end_at))
    return {"posts": len(published), "items": len(sent),
            "by_channel": dict(Counter(cp.channel.name for cp in sent)), "events": len(events),
            "post_list": [{"path": p.path, "title": p.title, "date": p.date.astimezone(zone)}
                          for p in published],
            "event_list": events}


def _planned(site: Site, period: Period, channel_posts) -> dict[str, Any]:
    now, zone = period.now, period.zone
    later = [cp for cp in channel_posts if period.holds(cp.at) and cp.at > now]
    posts = sorted((p for p in site.posts if period.holds(p.date) and p.date > now),
                   key=lambda p: (p.date, p.path))
    statuses = Counter(p.status for p in posts)
    events = _events(site, max(now, period.start_at), period.end_at)
    return {"posts": len(posts), "ready_posts": statuses["ready"],
            "review_posts": statuses["review"], "draft_posts": statuses["draft"],
            "items": sum(1 for cp in later if cp.post.status == "ready"),
            "pending_items": sum(1 for cp in later if cp.post.status != "ready"),
            "by_channel": dict(Counter(cp.channel.name for cp in later
                                       if cp.post.status == "ready")),
            "events": len(events),
            "post_list": [{"path": p.path, "title": p.title, "date": p.date.astimezone(zone),
                           "status": p.status} for p in posts],
            "event_list": events}


def _events(site: Site, after: datetime, before: datetime) -> list[dict[str, Any]]:
    """Public event occurrences starting in [after, before)."""
    calendar = site.calendar
    if calendar is None or after >= before:
        return []
    found = [{"path": e.path, "title": e.title, "start": start}
             for e in calendar.public_events() for start, _ in e.occurrences(after, before)
             if after <= start < before]
    return sorted(found, key=lambda e: (e["start"], e["path"]))


def _with_risks(report: Report, diagnostics: Sequence[Diagnostic]) -> Report:
    risks: list[Risk] = []
    short, pending = [], 0
    for c in report.channels:
        coming = [cw for cw in report.channel_weeks if cw.channel == c.name and not cw.past]
        if c.open:
            short.append(f"{c.name} {c.open} of {sum(cw.cadence or 0 for cw in coming)}")
            pending += sum(cw.review + cw.draft for cw in coming if cw.open)
    if short:
        extra = (f"; {_count(pending, 'draft or review item')} could fill some once approved"
                 if pending else "")
        risks.append(Risk("cadence", f"Open slots from {report.now_week.split('-')[1]} on: "
                                     f"{', '.join(short)}{extra}"))
    for c in report.channels:
        for path in c.unplaced:
            risks.append(Risk("unplaced", f"{c.name}: no free slot for {path}", path))
    for item in report.backlog:
        if item.risk:
            risks.append(Risk("backlog", f"“{item.title}”: {item.risk}", item.path))
    for c in report.campaigns:
        if c.before or c.after:
            outside = ", ".join(part for part in (f"{c.before} before" if c.before else "",
                                                  f"{c.after} after" if c.after else "") if part)
            risks.append(Risk("campaign", f"{c.title}: {outside} the campaign dates "
                                          f"({c.start:%d %b} – {c.end:%d %b})"))
        if c.state == "running" and c.totals.items and c.progress is not None \
                and c.progress < c.elapsed * 0.8:
            risks.append(Risk("campaign", f"{c.title}: {c.progress:.0%} of its goal with "
                                          f"{c.elapsed:.0%} of its time gone"))
    schedule = [d for d in diagnostics
                if d.rule.startswith("schedule.") and d.level != "suggestion"]
    if schedule:
        risks.append(Risk("schedule", f"{_count(len(schedule), 'schedule warning')} "
                                      "(silences, clashes, blackouts): see the calendar"))
    if report.unmatched:
        risks.append(Risk("metrics", f"{_count(len(report.unmatched), 'metrics row')} "
                                     "matched no queue item"))
    if report.metrics_problems:
        risks.append(Risk("metrics", f"{_count(len(report.metrics_problems), 'problem')} "
                                     f"in {METRICS_DIR} files"))
    return replace(report, risks=tuple(risks))


# ======================================================================== reading and computing


def _week_span(weeks: list[str]) -> str:
    """['2026-W47', '2026-W48', '2026-W50'] → 'W47–W48, W50'."""
    runs: list[list[str]] = []
    for week in weeks:
        year, number = week.split("-W")
        if runs and runs[-1][-1] == f"{year}-W{int(number) - 1:02d}":
            runs[-1].append(week)
        else:
            runs.append([week])
    def short(week: str) -> str:
        return week.split("-")[1]
    return ", ".join(short(r[0]) + (f"–{short(r[-1])}" if len(r) > 1 else "") for r in runs)


def build_report(site: Site, diagnostics: Sequence[Diagnostic] | None = None,
                 start: date | None = None, end: date | None = None) -> Report:
    """Read metrics and git history for `site`, then compute the report."""
    root = site.settings.root
    if diagnostics is None:
        diagnostics = site_diagnostics(site)
    metrics = read_metrics(root)
    return compute_report(site, make_period(site, start, end), diagnostics, metrics,
                          read_post_history(root))


# ======================================================================== JSON and CSV


def plain(value: Any) -> Any:
    """Dataclasses, dates and tuples → JSON-ready values."""
    if isinstance(value, Totals):
        return {"impressions": value.impressions, "engagements": value.engagements,
                "clicks": value.clicks, "items": value.items,
                "rate": round(value.rate, 4) if value.rate is not None else None}
    if isinstance(value, Match):
        row = value.row
        return {"source": row.where, "format": row.format, "url": row.url, "id": row.id,
                "channel": row.channel, "date": row.day.isoformat() if row.day else None,
                "impressions": row.impressions, "engagements": row.engagements,
                "clicks": row.clicks, "reason": value.reason}
    if isinstance(value, Diagnostic):
        return {"path": value.path, "line": value.line, "column": value.column,
                "level": value.level, "rule": value.rule, "message": value.message}
    if isinstance(value, Period):
        return {"from": value.start.isoformat(), "to": value.end.isoformat(),
                "now": value.now.isoformat()}
    if is_dataclass(value):
        data = {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        for extra in ("open", "ready", "total", "rate"):
            if hasattr(type(value), extra) and isinstance(getattr(type(value), extra), property):
                data[extra] = plain(getattr(value, extra))
        return data
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def report_json(report: Report) -> dict[str, Any]:
    data = {f.name: plain(getattr(report, f.name)) for f in fields(report)}
    data["weeks"] = [{"week": w, "monday": m.isoformat()} for w, m in report.weeks]
    data["history"] = {"available": report.history.available, "reason": report.history.reason}
    data["engagement_total"] = plain(report.engagement_total)
    data["by_post"] = {path: plain(t) for path, t in report.by_post.items()}
    return data


def report_csv(report: Report) -> str:
    """One long table (section, subject, week, metric, value): pivot it as you like."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "subject", "week", "metric", "value"])

    def row(section: str, subject: str, week: str, metric: str, value: Any) -> None:
        if isinstance(value, float):
            value = round(value, 4)
        writer.writerow([section, subject, week, metric, "" if value is None else value])

    for key, value in report.went_out.items():
        if isinstance(value, int):
            row("went_out", "all", "", key, value)
    for key, value in report.planned.items():
        if isinstance(value, int):
            row("planned", "all", "", key, value)
    for cw in report.channel_weeks:
        for metric in ("cadence", "sent", "scheduled", "review", "draft", "open"):
            row("cadence", cw.channel, cw.week, metric, getattr(cw, metric))
    for c in report.campaigns:
        for metric in ("posts", "items", "in_window", "before", "after", "goal_value", "progress"):
            row("campaign", c.name, "", metric, getattr(c, metric))
        for metric in ("impressions", "engagements", "clicks"):
            row("campaign", c.name, "", metric, getattr(c.totals, metric))
    for status, n in Counter(i.status for i in report.backlog).items():
        row("backlog", status, "", "posts", n)
    for a in report.authors:
        for metric in ("published", "scheduled", "review", "draft"):
            row("author", a.author, "", metric, getattr(a, metric))
    for s in report.style:
        for week, n in s.weeks.items():
            row("style", s.rule, week, "findings", n)
        if s.undated:
            row("style", s.rule, "", "findings", s.undated)
    for f in report.flows:
        week = week_label(f.published) if f.published else ""
        row("review", f.path, week, "lead_hours", f.lead_hours)
        row("review", f.path, "", "review_hours", f.review_hours)
    for name, t in report.by_channel.items():
        for metric in ("impressions", "engagements", "clicks", "rate"):
            row("engagement_channel", name, "", metric, getattr(t, metric))
    for e in report.items:
        for metric in ("impressions", "engagements", "clicks", "rate"):
            row("engagement_item", e.id, week_label(e.at) if e.at else "", metric,
                getattr(e.totals, metric))
    for m in report.unmatched:
        row("unmatched", m.row.where, "", "engagements", m.row.engagements)
    return out.getvalue()


# ======================================================================== text summary


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _duration(hours: float | None) -> str:
    if hours is None:
        return "–"
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} d"


def _cadence_text(report: Report, add: Callable[[str], None]) -> None:
    add("Items per week (ready/cadence; + drafts and review items)")
    labels = [wk.split("-")[1] for wk, _ in report.weeks]
    width = max([len(c.name) for c in report.channels] + [8])
    add(" " * (width + 2) + " ".join(f"{lab:>7}" for lab in labels))
    for c in report.channels:
        cells = []
        for cw in (cw for cw in report.channel_weeks if cw.channel == c.name):
            cell = f"{cw.ready}/{cw.cadence}" if cw.cadence is not None else f"{cw.ready}"
            if cw.review + cw.draft:
                cell += f"+{cw.review + cw.draft}"
            cells.append(f"{cell + ('!' if cw.open else ' '):>7}")
        add(f"  {c.name:<{width}}" + " ".join(cells))
    add(f"  ! = below cadence; now is {report.now_week}")


def report_text(report: Report) -> str:
    p = report.period
    out: list[str] = []
    add = out.append
    add(f"{report.title} · report {p.start:%Y-%m-%d} – {p.end:%Y-%m-%d} "
        f"(now {p.now.astimezone(p.zone):%Y-%m-%d %H:%M %Z})")
    add("")
    w, pl = report.went_out, report.planned
    channels = ", ".join(f"{k} {v}" for k, v in sorted(w["by_channel"].items())) or "none"
    add(f"What went out: {_count(w['posts'], 'post')} published, "
        f"{_count(w['items'], 'channel item')} ({channels}), {_count(w['events'], 'event')}")
    add(f"What's planned: {_count(pl['items'], 'item')} scheduled, "
        f"{pl['pending_items']} waiting for approval; {_count(pl['posts'], 'post')} "
        f"({pl['ready_posts']} ready, {pl['review_posts']} in review, "
        f"{_count(pl['draft_posts'], 'draft')}), {_count(pl['events'], 'event')}")
    add("What's at risk:" if report.risks else "What's at risk: nothing found")
    for risk in report.risks:
        add(f"  - {risk.message}")
    add("")
    if not report.channels:
        add("Items per week: no channel in calendar/channels.yml")
    else:
        _cadence_text(report, add)
    add("")
    counts = Counter(i.status for i in report.backlog)
    add(f"Backlog: {counts['draft']} drafts, {counts['review']} in review, "
        f"{counts['ready']} ready and waiting for their date")
    if report.campaigns:
        add("")
        add("Campaigns")
        for c in report.campaigns:
            goal = (f"{_n(getattr(c.totals, c.goal_metric))} of {_n(c.goal_value)} {c.goal_metric} "
                    f"({_pct(c.progress)})") if c.goal_value else f"goal: {c.goal or 'none'}"
            add(f"  {c.title} ({c.start} – {c.end}, {c.state}): {c.items} items, "
                f"{c.in_window} within its dates; {goal}")
    add("")
    total = report.engagement_total
    add(f"Engagement (items out in the period): {_n(total.impressions)} impressions, "
        f"{_n(total.engagements)} engagements, {_n(total.clicks)} clicks, rate {_pct(total.rate)}")
    width = max([len(name) for name in report.by_channel] + [8])
    for name, t in report.by_channel.items():
        if t.items:
            add(f"  {name:<{width}} {_n(t.impressions):>9} impr {_n(t.engagements):>7} eng "
                f"{_n(t.clicks):>6} clicks  {_pct(t.rate):>6}")
    if not report.metrics_files:
        add(f"  no metrics files in {METRICS_DIR}/")
    if report.unmatched:
        add("  unmatched rows: " + ", ".join(m.row.where for m in report.unmatched))
    add("")
    if report.history.available:
        add(f"Review: lead time median {_duration(report.lead_time.median_hours)} "
            f"({report.lead_time.count} posts published in the period after review), "
            f"time in review median {_duration(report.review_time.median_hours)}; "
            f"{report.skipped_review} published without a review commit")
        for f in report.flows:
            if f.in_review_now:
                add(f"  in review now: {f.path} for {_duration(f.review_hours)}")
    else:
        add(f"Review and lead times: not measured ({report.history.reason})")
    if report.authors:
        add("")
        add("Posts per author (published/scheduled/review/draft)")
        for a in report.authors:
            add(f"  {a.author}: {a.published}/{a.scheduled}/{a.review}/{a.draft}")
    add("")
    if report.style:
        add("Style findings by rule: " + ", ".join(f"{s.rule} {s.total}" for s in report.style))
    else:
        add("Style findings: none in the period")
    return "\n".join(out) + "\n"


# ======================================================================== SVG charts

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK, MUTED, GRID, SHORT = "#1f2937", "#6b7280", "#e5e7eb", "#b91c1c"
STATUS_COLORS = {"draft": "#9ca3af", "review": "#d97706", "ready": "#2563eb"}


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _attrs(attrs: dict[str, Any]) -> str:
    """Keyword arguments → SVG attributes (`stroke_width` → `stroke-width`; None: left out)."""
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = f"{value:.1f}"
        parts.append(f'{key.replace("_", "-")}="{_e(value)}"')
    return " ".join(parts)


def _el(tag: str, **attrs: Any) -> str:
    return f"<{tag} {_attrs(attrs)}/>"


def _text(x: float, y: float, content: Any, **attrs: Any) -> str:
    return f"<text {_attrs({'x': x, 'y': y, **attrs})}>{_e(content)}</text>"


def _svg(key: str, width: int, height: float, title: str, desc: str, body: list[str]) -> Markup:
    """An accessible chart: role img, labelled by its <title> and described by its <desc>."""
    head = _attrs({"xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width} {height:.0f}",
                   "width": width, "height": f"{height:.0f}", "role": "img",
                   "aria-labelledby": f"{key}-title {key}-desc", "font-family": FONT,
                   "font-size": 12})
    return Markup(f'<svg {head}><title id="{key}-title">{_e(title)}</title>'
                  f'<desc id="{key}-desc">{_e(desc)}</desc>' + "".join(body) + "</svg>")


def cadence_chart(report: Report) -> Markup:
    """Small multiples: a row per channel, a bar per week, a tick at the cadence."""
    weeks, rows = report.weeks, report.channels
    width, label_w, top, row_h, gap = 720, 100, 34, 58, 8
    col = (width - label_w - 10) / max(1, len(weeks))
    height = top + len(rows) * (row_h + gap) + 26
    peak = max([cw.ready + cw.review + cw.draft for cw in report.channel_weeks]
               + [cw.cadence or 0 for cw in report.channel_weeks] + [1])
    scale = (row_h - 16) / peak
    body = [_legend(10, 14, [("went out", "solid"), ("scheduled", "pale"),
                             ("draft / review", "dashed"), ("cadence", "tick")])]
    now_index = next((i for i, (w, _) in enumerate(weeks) if w == report.now_week), None)
    if now_index is not None:
        x = label_w + now_index * col
        body.append(_el("rect", x=x, y=top - 6, width=col, height=height - top - 20,
                        fill="#fef3c7", opacity=0.6))
        body.append(_text(x + col / 2, top - 9, "now", text_anchor="middle", fill="#92400e",
                          font_size=10))
    for r, channel in enumerate(rows):
        y0 = top + r * (row_h + gap)
        base = y0 + row_h
        slots = f"{channel.cadence_per_week or 'no'} slots/week"
        body.append(_text(0, y0 + row_h / 2, channel.name, fill=INK, font_weight=600))
        body.append(_text(0, y0 + row_h / 2 + 14, slots, fill=MUTED, font_size=10))
        body.append(_el("line", x1=label_w, x2=width - 10, y1=base, y2=base, stroke=GRID))
        own = [cw for cw in report.channel_weeks if cw.channel == channel.name]
        for i, cw in enumerate(own):
            x, w, y = label_w + i * col + col * 0.2, col * 0.6, float(base)
            for count, fill, opacity, dash in ((cw.sent, channel.color, 1.0, None),
                                               (cw.scheduled, channel.color, 0.45, None),
                                               (cw.review + cw.draft, "#ffffff", 1.0, "3 2")):
                if count:
                    y -= count * scale
                    body.append(_el("rect", x=x, y=y, width=w, height=count * scale, fill=fill,
                                    fill_opacity=opacity, stroke=channel.color,
                                    stroke_dasharray=dash))
            tick = base - (cw.cadence or 0) * scale
            if cw.cadence is not None:
                body.append(_el("line", x1=x - 4, x2=x + w + 4, y1=tick, y2=tick, stroke_width=2,
                                stroke=SHORT if cw.open else INK))
            loud = bool(cw.open and not cw.past)
            shown = f"{cw.ready}/{cw.cadence}" if cw.cadence is not None else str(cw.ready)
            body.append(_text(x + w / 2, min(y, tick) - 4, shown, text_anchor="middle",
                              font_size=10, fill=SHORT if loud else MUTED,
                              font_weight=700 if loud else None))
    for i, (label, monday) in enumerate(weeks):
        x = label_w + i * col + col / 2
        body.append(_text(x, height - 12, label.split("-")[1], text_anchor="middle", fill=INK,
                          font_size=10))
        body.append(_text(x, height - 1, f"{monday:%d %b}", text_anchor="middle", fill=MUTED,
                          font_size=9))
    below = [f"{c.name} ({', '.join(c.gap_weeks)})" for c in rows if c.gap_weeks]
    desc = (f"Ready items per ISO week on {len(rows)} channels from {weeks[0][0]} to "
            f"{weeks[-1][0]}, against each channel's cadence. "
            if weeks and rows else "No channel. ")
    desc += f"Below cadence: {'; '.join(below)}." if below else "Every week meets its cadence."
    return _svg("cadence", width, height, "Items per week per channel, against cadence", desc, body)


def _legend(x: float, y: float, entries: list[tuple[str, str]]) -> str:
    parts = []
    for label, style in entries:
        if style == "tick":
            parts.append(_el("line", x1=x, x2=x + 14, y1=y - 4, y2=y - 4, stroke=INK,
                             stroke_width=2))
        else:
            parts.append(_el("rect", x=x, y=y - 9, width=14, height=10, stroke=MUTED,
                             fill="#ffffff" if style == "dashed" else MUTED,
                             fill_opacity=0.45 if style == "pale" else None,
                             stroke_dasharray="3 2" if style == "dashed" else None))
        parts.append(_text(x + 19, y, label, fill=INK, font_size=11))
        x += 24 + 6.5 * len(label) + 12
    return "".join(parts)


def _hbars(key: str, title: str, desc: str, bars: list[tuple[str, float, str, str]]) -> Markup:
    """Horizontal bars: (label, value, colour, the text after the bar)."""
    width, label_w, row_h = 720, 150, 26
    room = width - label_w - 330
    peak = max([b[1] for b in bars] + [1])
    body = []
    for i, (label, value, color, note) in enumerate(bars):
        y = 4 + i * row_h
        w = room * value / peak
        body.append(_text(label_w - 8, y + 15, label, text_anchor="end", fill=INK))
        body.append(_el("rect", x=label_w, y=y + 3, width=max(w, 1.5), height=16, fill=color, rx=2))
        body.append(_text(label_w + w + 6, y + 15, note, fill=INK))
    return _svg(key, width, len(bars) * row_h + 8, title, desc, body)


def backlog_chart(report: Report) -> Markup:
    counts = Counter(i.status for i in report.backlog)
    bars = [(label, counts[status], STATUS_COLORS[status], str(counts[status]))
            for label, status in (("Drafts", "draft"), ("In review", "review"),
                                  ("Ready, not yet out", "ready"))]
    at_risk = sum(1 for i in report.backlog if i.risk)
    desc = (f"{counts['draft']} drafts, {counts['review']} posts in review and {counts['ready']} "
            f"ready posts waiting for their date; {at_risk} at risk.")
    return _hbars("backlog", "Backlog by status", desc, bars)


def engagement_chart(report: Report) -> Markup:
    colors = {c.name: c.color for c in report.channels}
    rows = sorted(((name, t) for name, t in report.by_channel.items() if t.items),
                  key=lambda r: -r[1].engagements)
    bars = [(name, t.engagements, colors.get(name, MUTED),
             (f"{_n(t.engagements)} engagements · {_pct(t.rate)} of {_n(t.impressions)} "
              "impressions")) for name, t in rows]
    desc = "; ".join((f"{name}: {_n(t.engagements)} engagements, {_n(t.impressions)} "
                      f"impressions, {_n(t.clicks)} clicks") for name, t in rows)
    desc = desc or "No metrics for this period."
    return _hbars("engagement-channel", "Engagements per channel", desc, bars)


def campaign_chart(report: Report) -> Markup:
    """Progress to goal: the box is the goal, the fill what was reached, a dashed line the pace."""
    rows = report.campaigns
    width, label_w, row_h = 720, 150, 40
    room = width - label_w - 230
    body = []
    for i, c in enumerate(rows):
        y = 6 + i * row_h
        body.append(_text(label_w - 8, y + 14, c.title, text_anchor="end", fill=INK,
                          font_weight=600))
        body.append(_text(label_w - 8, y + 28, f"{c.start:%d %b} – {c.end:%d %b} · {c.state}",
                          text_anchor="end", fill=MUTED, font_size=10))
        if c.goal_value:
            reached = getattr(c.totals, c.goal_metric)
            fill = room * min(1.0, reached / c.goal_value)
            pace = label_w + room * c.elapsed
            body.append(_el("rect", x=label_w, y=y + 4, width=room, height=20, fill="#f3f4f6",
                            stroke=c.color, rx=3))
            body.append(_el("rect", x=label_w, y=y + 4, width=max(fill, 1.5), height=20,
                            fill=c.color, rx=3))
            body.append(_el("line", x1=pace, x2=pace, y1=y, y2=y + 28, stroke=INK, stroke_width=2,
                            stroke_dasharray="3 2"))
            note = f"{_n(reached)} / {_n(c.goal_value)} {c.goal_metric} ({_pct(c.progress)})"
        else:
            note = f"{_n(c.totals.engagements)} engagements; goal: {c.goal or 'none'}"
        body.append(_text(label_w + room + 8, y + 18, note, fill=INK))
    desc = "; ".join(
        f"{c.title}: {_n(getattr(c.totals, c.goal_metric))} of {_n(c.goal_value)} {c.goal_metric} "
        f"({_pct(c.progress)}), {c.elapsed:.0%} of its time gone" if c.goal_value
        else f"{c.title}: no numeric goal" for c in rows) or "No campaign in this period."
    return _svg("engagement-campaign", width, len(rows) * row_h + 10,
                "Campaigns against their goals", desc, body)


# ======================================================================== the report page


REPORT_PAGE = "review/report/index.html"
REPORT_TEMPLATE = "review/report.html"


def _day(value: date | datetime | None, zone: Any = None, with_time: bool = False) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.astimezone(zone) if zone is not None else value
        return f"{value:%a} {value.day} {value:%b}" + (f", {value:%H:%M}" if with_time else "")
    return f"{value.day} {value:%b}"


def _span(first: date, last: date) -> str:
    if first.year != last.year:
        return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"


def _totals_view(t: Totals) -> dict[str, Any]:
    return {"impressions": _n(t.impressions), "engagements": _n(t.engagements),
            "clicks": _n(t.clicks), "rate": _pct(t.rate), "items": t.items}


def page_view(report: Report) -> dict[str, Any]:
    """What the report page shows, formatted; the numbers are those of `report_json`."""
    p, zone = report.period, report.period.zone
    weeks = [{"label": w.split("-")[1], "week": w, "monday": _day(m), "now": w == report.now_week}
             for w, m in report.weeks]
    local_now = p.now.astimezone(zone)
    return {
        "period": _span(p.start, p.end),
        "now": f"{_day(local_now)} {local_now:%Y, %H:%M}",
        "weeks_span": f"{weeks[0]['label']}–{weeks[-1]['label']}" if weeks else "",
        "now_week": report.now_week.split("-")[1],
        "went_out": _card_view(report, report.went_out),
        "planned": _card_view(report, report.planned),
        "risks": [{"kind": r.kind, "message": r.message, "path": r.path} for r in report.risks],
        "kpis": _kpis_view(report),
        "weeks": weeks,
        "cadence": _cadence_view(report),
        "silent_weeks": [w.split("-")[1] for w in report.silent_weeks],
        **_backlog_view(report),
        "campaigns": [_campaign_view(c) for c in report.campaigns],
        "engagement": _engagement_view(report),
        "flow": _flow_view(report),
        "authors": [{"author": a.author, "published": a.published, "scheduled": a.scheduled,
                     "review": a.review, "draft": a.draft, "total": a.total}
                    for a in report.authors],
        "style": _style_view(report),
    }


def _card_view(report: Report, section: dict[str, Any]) -> dict[str, Any]:
    """A summary card: its counts, channels by count, and posts and events in time order."""
    colors = {c.name: c.color for c in report.channels}
    by_count = sorted(section["by_channel"].items(), key=lambda kv: (-kv[1], kv[0]))
    zone = report.period.zone
    entries = [(p["date"], p["title"], p.get("status", "ready")) for p in section["post_list"]]
    entries += [(e["start"], f"Event: {e['title']}", "ready") for e in section["event_list"]]
    return {**section,
            "channels": [{"name": k, "count": v, "color": colors.get(k, MUTED)}
                         for k, v in by_count],
            "timeline": [{"when": _day(when, zone), "title": title, "status": status}
                         for when, title, status in sorted(entries, key=lambda e: (e[0], e[1]))]}


def _kpis_view(report: Report) -> list[dict[str, str]]:
    counts = Counter(i.status for i in report.backlog)
    total, lead = report.engagement_total, report.lead_time
    return [
        {"label": "Channel items out", "value": _n(report.went_out["items"]),
         "note": f"{_count(report.went_out['posts'], 'post')} published"},
        {"label": "Scheduled", "value": _n(report.planned["items"]),
         "note": f"{report.planned['pending_items']} more waiting for approval"},
        {"label": "Backlog", "value": _n(len(report.backlog)),
         "note": (f"{counts['draft']} drafts · {counts['review']} in review · "
                  f"{counts['ready']} ready")},
        {"label": "Engagements", "value": _n(total.engagements) if total.items else "–",
         "note": f"rate {_pct(total.rate)} of {_n(total.impressions)} impressions" if total.items
         else "no metrics for the period"},
        {"label": "Lead time, median", "value": _duration(lead.median_hours),
         "note": f"{_count(lead.count, 'post')} through review" if report.history.available
         else "no git history"},
    ]


def _cadence_view(report: Report) -> list[dict[str, Any]]:
    rows = []
    for c in report.channels:
        cells = [{"text": f"{cw.ready}/{cw.cadence}" if cw.cadence is not None else str(cw.ready),
                  "pending": cw.review + cw.draft, "open": cw.open, "past": cw.past,
                  "now": cw.week == report.now_week}
                 for cw in report.channel_weeks if cw.channel == c.name]
        rows.append({"name": c.name, "kind": c.kind, "color": c.color,
                     "cadence": c.cadence_per_week, "missed": c.missed, "open": c.open,
                     "cells": cells})
    return rows


def _backlog_view(report: Report) -> dict[str, Any]:
    zone = report.period.zone
    counts = Counter(i.status for i in report.backlog)
    return {"backlog_counts": {s: counts[s] for s in ("draft", "review", "ready")},
            "backlog": [{"title": i.title, "path": i.path, "status": i.status,
                         "date": _day(i.date, zone, True), "author": i.author or "–",
                         "since": _day(i.since, zone) if i.since else "", "risk": i.risk}
                        for i in report.backlog]}


def _campaign_view(c: CampaignReport) -> dict[str, Any]:
    measured = c.goal_value is not None and c.goal_metric is not None
    return {"title": c.title, "name": c.name, "color": c.color, "dates": _span(c.start, c.end),
            "state": c.state, "elapsed": f"{c.elapsed:.0%}", "posts": c.posts, "items": c.items,
            "in_window": c.in_window, "outside": c.before + c.after, "unplaced": c.unplaced,
            "goal": f"{_n(c.goal_value)} {c.goal_metric}" if measured else (c.goal or "–"),
            "reached": _n(getattr(c.totals, c.goal_metric)) if measured else "–",
            "progress": _pct(c.progress), "totals": _totals_view(c.totals)}


def _engagement_view(report: Report) -> dict[str, Any]:
    colors = {c.name: c.color for c in report.channels}
    zone = report.period.zone
    channels = sorted(report.by_channel.items(), key=lambda kv: -kv[1].engagements)
    return {
        "total": _totals_view(report.engagement_total),
        "channels": [{"name": n, "color": colors.get(n, MUTED), **_totals_view(t)}
                     for n, t in channels],
        "items": [{"id": e.id, "channel": e.channel, "title": e.title, "at": _day(e.at, zone),
                   "source": e.source, "source_short": e.source.rsplit("/", 1)[-1],
                   **_totals_view(e.totals)}
                  for e in report.items if report.period.holds(e.at)],
        "files": [{"path": f.path, "format": f.format or "unknown", "rows": f.rows}
                  for f in report.metrics_files],
        "unmatched": [{"source": m.row.where, "source_short": m.row.where.rsplit("/", 1)[-1],
                       "what": m.row.url or m.row.id or (m.row.text or "")[:60],
                       "impressions": _n(m.row.impressions),
                       "engagements": _n(m.row.engagements), "reason": m.reason}
                      for m in report.unmatched],
        "problems": [d.as_text() for d in report.metrics_problems],
    }


def _flow_view(report: Report) -> dict[str, Any]:
    zone, lead, review = report.period.zone, report.lead_time, report.review_time
    rows = [f for f in report.flows if f.in_review_now or report.period.holds(f.published)]
    return {
        "available": report.history.available, "reason": report.history.reason,
        "lead": {"count": lead.count, "median": _duration(lead.median_hours),
                 "mean": _duration(lead.mean_hours), "max": _duration(lead.max_hours)},
        "review": {"count": review.count, "median": _duration(review.median_hours),
                   "max": _duration(review.max_hours)},
        "skipped": report.skipped_review,
        "rows": [{"title": f.title, "path": f.path, "author": f.author or "–",
                  "entered": _day(f.entered_review, zone), "review": _duration(f.review_hours),
                  "now": f.in_review_now, "lead": _duration(f.lead_hours),
                  "published": _day(f.published, zone) if f.published else ""} for f in rows],
    }


def _style_view(report: Report) -> dict[str, Any]:
    weeks = [w for w, _ in report.weeks]
    return {"weeks": [w.split("-")[1] for w in weeks],
            "rows": [{"rule": r.rule, "level": r.level, "total": r.total, "undated": r.undated,
                      "cells": [r.weeks.get(w, 0) for w in weeks]} for r in report.style],
            "undated": any(r.undated for r in report.style)}


def report_context(site: Site, report: Report) -> dict[str, Any]:
    return {**base_context(site), "page": page_view(report),
            "charts": {"cadence": cadence_chart(report), "backlog": backlog_chart(report),
                       "engagement_channel": engagement_chart(report),
                       "campaigns": campaign_chart(report)},
            "canonical": site.settings.site.base_url + REPORT_PAGE[:-len("index.html")]}


def plan_report(site: Site, diagnostics: Sequence[Diagnostic] | None = None) -> list[Output]:
    """review/report/index.html; depends on everything (metrics and git history included)."""
    report = build_report(site, diagnostics)
    return [Output(REPORT_PAGE, REPORT_TEMPLATE, report_context(site, report),
                   deps=frozenset({"*"}))]
