"""What time it is, and how Hearth reads a time the user wrote.

One date semantics for every file and option: ISO 8601 (and the forms
migrated blogs use, like Jekyll's `2019-05-04 10:00:00 +0200`); a date alone
is a date, which a caller takes as 00:00 or as a whole day; a naive time is in
the site's zone (for `--now`: UTC); a written offset is kept. Durations and
RRULE `UNTIL` values are read here too. Nothing here reads the disk.
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


class BadNow(ValueError):
    """--now or SOURCE_DATE_EPOCH is not a time."""


def parse_now(text: str) -> datetime:
    """`--now` as written: ISO 8601, naive = UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadNow(f"--now {text!r} is not an ISO 8601 time, like 2026-03-01T08:00:00Z") from None
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
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise BadNow(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
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
    not a date at all."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        parsed = _parse_iso(value)
        if not isinstance(parsed, datetime):
            return parsed
        moment = parsed
    else:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def parse_time(value: Any, zone: ZoneInfo) -> datetime | None:
    """`parse_when` for a caller that wants a moment: a date alone is 00:00 in `zone`."""
    moment = parse_when(value, zone)
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(), zone)


def parse_duration(value: Any) -> tuple[timedelta | None, str | None]:
    """`90m`, `3h`, `1h30m`, `2d`, `1w` or ISO `PT1H30M` → a timedelta, or an error message."""
    hint = "write a duration like 90m, 3h, 1h30m or 2d"
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, f"{value!r} is not a duration; {hint}"
    if not isinstance(value, str):
        return None, f"{value!r} is not a duration (a number needs a unit); {hint}"
    text = value.strip()
    match = _DURATION.match(text) if text else None
    if match and any(match.groups()):
        w, d, h, m = (int(g or 0) for g in match.groups())
        return timedelta(weeks=w, days=d, hours=h, minutes=m), None
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        w, d, h, m, s = (int(g or 0) for g in match.groups())
        return timedelta(weeks=w, days=d, hours=h, minutes=m, seconds=s), None
    return None, f"{value!r} is not a duration; {hint}"


def parse_until(value: str, zone: ZoneInfo) -> datetime | None:
    """An RRULE UNTIL → aware. A date means the end of that day in the event's zone."""
    try:
        if len(value) == 8:
            day = datetime.strptime(value, "%Y%m%d")
            return (day + timedelta(days=1, seconds=-1)).replace(tzinfo=zone)
        if value.endswith("Z"):
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    except ValueError:
        return None
