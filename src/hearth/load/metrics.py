"""Loading: the platforms' own exports in calendar/metrics/*.csv → rows + diagnostics.

LinkedIn's page-content export, Buffer's analytics export, or Hearth's
generic CSV (see docs/metrics.md), each row in Hearth's terms. A broken
export is a warning at path:line, never an error: the report is read
anyway, and the build never stops for it.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from ..dates import parse_when
from ..diagnostics import Diagnostic, diagnostic, sort_diagnostics
from ..source import not_regular

METRICS_DIR = "calendar/metrics"


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
    """One export, as the report lists it."""

    path: str
    format: str | None              # None: not recognised
    rows: int


@dataclass(frozen=True)
class Metrics:
    """Every export in calendar/metrics/: its files, their rows, their problems."""

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
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}


def normalize_name(name: str) -> str:
    """A column or channel name as compared: case, spacing and a BOM ignored."""
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


def _find(header: list[str], names: Sequence[str]) -> int | None:
    wanted = [normalize_name(n) for n in names]
    normalized = [normalize_name(h) for h in header]
    for name in wanted:
        if name in normalized:
            return normalized.index(name)
    return None


def _map(header: list[str], table: dict[str, Sequence[str]]) -> dict[str, int]:
    return {key: index for key, names in table.items()
            if (index := _find(header, names)) is not None}


def detect_format(header: list[str]) -> tuple[str, dict[str, int]] | None:
    """Which export a header row belongs to, and where its columns are."""
    names = {normalize_name(h) for h in header}
    linkedin = _map(header, LINKEDIN_COLUMNS)
    if {"text", "link", "impressions"} <= linkedin.keys():
        return "linkedin", linkedin
    if names & {"url", "id"} and "date" in names and not names & {"post", "text", "post title"}:
        return "generic", {n: i for i, h in enumerate(header)
                           if (n := normalize_name(h)) in GENERIC_COLUMNS}
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
    names = [normalize_name(h) for h in header]
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
    moment = parse_when(text, timezone.utc)   # the one ISO reading hub files get too
    if isinstance(moment, datetime):
        return moment.date()
    if moment is not None:
        return moment
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
        refused = not_regular(root, relpath)         # a link is reported, never followed
        if refused is not None:
            problems.append(refused)
            continue
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
