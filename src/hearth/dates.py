"""What time it is, and how Hearth reads a time the user wrote.

One date semantics for every file and option: ISO 8601 (and the forms
migrated blogs use, like Jekyll's `2019-05-04 10:00:00 +0200`); a date alone
is a date, which a caller takes as 00:00 or as a whole day; a naive time is in
the site's zone (for `--now`: UTC); a written offset is kept. Durations and
RRULE `UNTIL` values are read here too. Nothing here reads the disk.

Hearth reads moments from 1900-01-01 to 9000-12-31 (`EARLIEST`, `LATEST`) and
durations up to ten years (`LONGEST`): a value outside is an error at its
line, never a time that overflows when it is moved to another zone or a slot
or a duration is added to it. `date_problem` says what is wrong with a value
the readers turned down (day 30 of February, hour 25, offset +25:00, year 1).
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

_ISO_LIKE = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)")
_OFFSET_LIKE = re.compile(r"\s*(Z|[+-]\d{2}:?\d{2})$")
_DURATION = re.compile(
    r"^(?:(\d+)\s*w)?\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$", re.IGNORECASE)
_ISO_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$",
                           re.IGNORECASE)


EARLIEST = date(1900, 1, 1)
LATEST = date(9000, 12, 31)
SUPPORTED = f"{EARLIEST} to {LATEST}"
LONGEST = timedelta(days=3653)          # ten years: the longest duration read
ISO_HINT = "use ISO 8601, like 2026-03-02 or 2026-03-02 09:30 or 2026-03-02T09:30:00+01:00"
_PARTS = re.compile(r"^\s*(\d{1,6})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?"
                    r"(?:\.\d+)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?)?\s*$", re.IGNORECASE)


def in_range(moment: date) -> bool:
    """Whether a date or time (its own wall clock) is one Hearth reads."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return EARLIEST <= day <= LATEST


def date_problem(value: Any, hint: str = ISO_HINT) -> str:
    """What is wrong with a date or time `parse_when` turned down, as a clause
    for after "bad date '…': "; `hint` when it is not a date at all."""
    if isinstance(value, (date, datetime)):
        return _far_off(value.year)
    if not isinstance(value, str):
        return hint
    match = _PARTS.match(value)
    if not match:
        return hint
    year, month, day = (int(g) for g in match.group(1, 2, 3))
    hour, minute, second = (int(g) if g else 0 for g in match.group(4, 5, 6))
    offset = match.group(7)
    if not EARLIEST.year <= year <= LATEST.year:
        return _far_off(year)
    if not 1 <= month <= 12:
        return f"there is no month {month}; {hint}"
    try:
        date(year, month, day)
    except ValueError:
        return f"{date(year, month, 1):%B %Y} has no day {day}"
    if hour > 23 or minute > 59 or second > 59:
        return f"{hour:02d}:{minute:02d}:{second:02d} is not a time of day (00:00 to 23:59)"
    digits = offset[1:].replace(":", "") if offset and offset.upper() != "Z" else ""
    if digits and (int(digits[:-2] or digits) > 23 or len(digits) > 2 and int(digits[-2:]) > 59):
        return f"{offset} is not a UTC offset (they run from -23:59 to +23:59)"
    return hint


def shown(value: Any) -> str:
    """A value as a message quotes it: a date as written, text quoted, cut short when long."""
    text = str(value) if isinstance(value, (date, datetime)) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _far_off(year: int) -> str:
    return (f"year {year} is outside the dates Hearth reads ({SUPPORTED}); "
            "leave the key out rather than write a far-off date")


class BadNow(ValueError):
    """--now or SOURCE_DATE_EPOCH is not a time."""


def parse_now(text: str) -> datetime:
    """`--now` as written: ISO 8601, naive = UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadNow(f"--now {text!r} is not an ISO 8601 time, like 2026-03-01T08:00:00Z") from None
    if not in_range(moment):
        raise BadNow(f"--now {text!r} is outside the times Hearth reads ({SUPPORTED})")
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def resolve_now(now: str | datetime | None) -> datetime:
    """`--now`, else SOURCE_DATE_EPOCH, else the clock (to the second)."""
    if isinstance(now, datetime):
        return now
    if now:
        return parse_now(now)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise BadNow(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds, "
                         f"or is outside the times Hearth reads ({SUPPORTED})") from None
        if not in_range(moment):
            raise BadNow(f"SOURCE_DATE_EPOCH={epoch!r} is outside the times Hearth reads "
                         f"({SUPPORTED})")
        return moment
    return datetime.now(timezone.utc).replace(microsecond=0)


def _offset(text: str) -> str:
    if text == "Z":
        return "+00:00"
    return text if ":" in text else f"{text[:3]}:{text[3:]}"


def _parse_iso(value: str) -> datetime | date | None:
    """ISO 8601 text as a date, or a datetime (naive if it has no offset), also in
    the forms migrated blogs use: Jekyll's "2019-05-04 10:00:00 +0200", a one-digit hour."""
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    text = _ISO_LIKE.sub(lambda m: f"{m.group(1)}T{'0' if m.group(2)[1] == ':' else ''}{m.group(2)}",
                         text)
    text = _OFFSET_LIKE.sub(lambda m: _offset(m.group(1)), text) if "T" in text else text
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_when(value: Any, zone: ZoneInfo) -> datetime | date | None:
    """A YAML date or date-time, or text in ISO 8601: a date alone stays a date;
    a naive time is in `zone`; a time with an offset keeps it. None if it is
    not a date at all, or one outside `EARLIEST`…`LATEST` (see `date_problem`)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value if in_range(value) else None
    elif isinstance(value, str):
        parsed = _parse_iso(value)
        if parsed is None or not in_range(parsed):
            return None
        if not isinstance(parsed, datetime):
            return parsed
        moment = parsed
    else:
        return None
    if not in_range(moment):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def parse_time(value: Any, zone: ZoneInfo) -> datetime | None:
    """`parse_when` for a caller that wants a moment: a date alone is 00:00 in `zone`."""
    moment = parse_when(value, zone)
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(), zone)


def parse_duration(value: Any) -> tuple[timedelta | None, str | None]:
    """`90m`, `3h`, `1h30m`, `2d`, `1w` or ISO `PT1H30M` → a timedelta, or an error message.
    Ten years at most (`LONGEST`)."""
    hint = "write a duration like 90m, 3h, 1h30m or 2d"
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, f"{value!r} is not a duration; {hint}"
    if not isinstance(value, str):
        return None, f"{value!r} is not a duration (a number needs a unit); {hint}"
    text = value.strip()
    shown = repr(value) if len(value) <= 40 else repr(value[:40] + "…")
    parts = None
    match = _DURATION.match(text) if text else None
    if match and any(match.groups()):
        parts = (*match.groups(), None)
    match = _ISO_DURATION.match(text) if text else None
    if parts is None and match and any(match.groups()):
        parts = match.groups()
    if parts is None:
        return None, f"{shown} is not a duration; {hint}"
    w, d, h, m, s = (int(g or 0) if len(g or "") <= 12 else 10 ** 12 for g in parts)
    seconds = (((w * 7 + d) * 24 + h) * 60 + m) * 60 + s
    if seconds > LONGEST.total_seconds():
        return None, f"{shown} is longer than ten years, the longest duration Hearth reads"
    return timedelta(seconds=seconds), None


def parse_until(value: str, zone: ZoneInfo) -> datetime | None:
    """An RRULE UNTIL → aware. A date means the end of that day in the event's zone.
    None if it is not one, or is outside the dates Hearth reads."""
    try:
        if len(value) == 8:
            day = datetime.strptime(value, "%Y%m%d")
            moment = (day + timedelta(days=1, seconds=-1)).replace(tzinfo=zone)
        elif value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        else:
            moment = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    except (ValueError, OverflowError):
        return None
    return moment if in_range(moment) else None


def day_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """00:00 of `moment`'s day in `zone` (aware): the clock of the pages that show
    "now" itself, so they change once a day, not at every build."""
    return datetime.combine(moment.astimezone(zone).date(), time(), zone)


def next_day_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """00:00 of the day after `moment`'s in `zone`, as an instant (UTC)."""
    day = moment.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(), zone).astimezone(timezone.utc)
