"""iCalendar (RFC 5545) files: `events.ics`, each event's "add to calendar"
file, and the managers' `calendar.ics`.

Pure: records in, bytes out. Nothing depends on the clock or the machine
beyond the tz database, so the same input gives byte-identical files:

- UIDs are `<slug>@<host of base_url>` for events; review entries bring their own.
- DTSTAMP is the event's front-matter `updated`, or else its start (in UTC).
- Each zone used gets a VTIMEZONE built here from zoneinfo, covering the
  years the file needs (recurring events without an end: ten years on).
  Its onsets are written in the local time before the change, as RFC 5545
  wants (icalendar's own `Timezone.from_tzinfo` writes the spring onset an
  hour late, which matters to clients that read VTIMEZONE, like Outlook).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Callable, Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from .calendar import Event, wall_clock_rule

PRODID = "-//Hearth//EN"
UTC_KEYS = ("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu")
OPEN_ENDED_YEARS = 10
REFRESH = timedelta(hours=6)           # how often subscribers should re-fetch (PT6H)

_STATUS = {"draft": "TENTATIVE", "review": "TENTATIVE", "ready": "CONFIRMED",
           "published": "CONFIRMED", "tentative": "TENTATIVE", "confirmed": "CONFIRMED",
           "cancelled": "CANCELLED", "canceled": "CANCELLED"}


@dataclass(frozen=True)
class CalendarEntry:
    """One item of the managers' calendar.ics: a post, a channel post, an
    event occurrence, a campaign (dates) or a blackout (dates).

    A stable `uid` is the caller's: e.g. `mastodon.spring-meetup@host`.
    """

    uid: str
    summary: str
    start: datetime | date              # aware datetime, or a date for all-day items
    end: datetime | date | None = None  # a date `end` is inclusive (campaigns, blackouts)
    description: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    status: str | None = None           # draft | review | ready | published | cancelled
    location: str = ""
    stamp: datetime | None = None       # DTSTAMP; default: the start


def host_of(base_url: str) -> str:
    return urlsplit(base_url).hostname or "hearth.invalid"


def event_uid(event: Event, base_url: str) -> str:
    return f"{event.slug}@{host_of(base_url)}"


def default_event_url(event: Event, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/events/{event.slug}/"


def event_calendar(events: Iterable[Event], title: str, base_url: str,
                   url_for: Callable[[Event], str] | None = None) -> bytes:
    """`events.ics`: every event given (filter drafts first), in (start, slug) order."""
    calendar = _calendar(title, subscribe=True)
    chosen = sorted(events, key=lambda e: (e.start, e.slug))
    for event in chosen:
        calendar.add_component(_vevent(event, base_url, url_for))
    return _finish(calendar)


def single_event(event: Event, title: str, base_url: str,
                 url_for: Callable[[Event], str] | None = None) -> bytes:
    """One event's "add to calendar" file."""
    calendar = _calendar(title, subscribe=False)
    calendar.add_component(_vevent(event, base_url, url_for))
    return _finish(calendar)


def review_calendar(entries: Iterable[CalendarEntry], title: str = "Editorial calendar") -> bytes:
    """The managers' `calendar.ics`, drafts included."""
    calendar = _calendar(title, subscribe=True)
    for entry in sorted(entries, key=lambda e: (_instant(e.start), e.uid)):
        calendar.add_component(_entry_vevent(entry))
    return _finish(calendar)


# --------------------------------------------------------------------------- components


def _calendar(title: str, subscribe: bool) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", title)
    calendar.add("x-wr-calname", title)
    if subscribe:
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
    return calendar


def _vevent(event: Event, base_url: str, url_for: Callable[[Event], str] | None) -> icalendar.Event:
    url = url_for(event) if url_for else default_event_url(event, base_url)
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event, base_url))
    vevent.add("dtstamp", _utc(event.updated or event.start))
    if event.all_day:
        vevent.add("dtstart", event.start.date())
        vevent.add("dtend", event.end.date())
    else:
        vevent.add("dtstart", _zoned(event.start))
        vevent.add("dtend", _zoned(event.end))
    if event.rrule:
        vevent.add("rrule", icalendar.vRecur.from_ical(event.rrule))
        if event.exdates:
            values = [e.date() if event.all_day else _zoned(e) for e in event.exdates]
            vevent.add("exdate", values)
    vevent.add("summary", event.title)
    lines = [event.body.strip()] if event.body.strip() else []
    if event.online:
        lines.append(f"Online: {event.online}")
    if event.rsvp:
        lines.append(f"RSVP: {event.rsvp}")
    lines.append(url)
    vevent.add("description", "\n\n".join(lines))
    location = event.location or event.online
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    if event.tags:
        vevent.add("categories", list(event.tags))
    vevent.add("status", _STATUS[event.status])
    return vevent


def _entry_vevent(entry: CalendarEntry) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", entry.uid)
    vevent.add("dtstamp", _utc(entry.stamp or entry.start))
    if isinstance(entry.start, datetime):
        vevent.add("dtstart", _zoned(entry.start))
        if isinstance(entry.end, datetime) and entry.end > entry.start:
            vevent.add("dtend", _zoned(entry.end))
    else:
        last = entry.end if isinstance(entry.end, date) and not isinstance(entry.end, datetime) \
            and entry.end >= entry.start else entry.start
        vevent.add("dtstart", entry.start)
        vevent.add("dtend", last + timedelta(days=1))   # DTEND is exclusive
    vevent.add("summary", entry.summary)
    if entry.description:
        vevent.add("description", entry.description)
    if entry.location:
        vevent.add("location", entry.location)
    if entry.url:
        vevent.add("url", entry.url)
    if entry.categories:
        vevent.add("categories", list(entry.categories))
    if entry.status and entry.status.lower() in _STATUS:
        vevent.add("status", _STATUS[entry.status.lower()])
    return vevent


def _zoned(moment: datetime) -> datetime:
    """Keep an IANA zone (written with TZID); anything else is written in UTC."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: Hearth's times are always aware")
    zone = moment.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key not in UTC_KEYS:
        return moment
    return moment.astimezone(timezone.utc)


def _utc(moment: datetime | date) -> datetime:
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time(), timezone.utc)
    return moment.astimezone(timezone.utc)


def _instant(moment: datetime | date) -> datetime:
    return _utc(moment)


# --------------------------------------------------------------------------- VTIMEZONE


def _finish(calendar: icalendar.Calendar) -> bytes:
    """Add a VTIMEZONE for every zone used, before the events, and serialize."""
    years: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for vevent in calendar.walk("VEVENT"):
        for moment in _zoned_values(vevent):
            years[moment.tzinfo.key].append((moment.year, moment.year))  # type: ignore[union-attr]
        if "RRULE" in vevent and isinstance(vevent.decoded("DTSTART"), datetime):
            start = vevent.decoded("DTSTART")
            if isinstance(start.tzinfo, ZoneInfo) and start.tzinfo.key in years:
                years[start.tzinfo.key].append((start.year, _last_year(vevent, start)))
    events = list(calendar.subcomponents)
    calendar.subcomponents.clear()
    for key in sorted(years):
        spans = tuple((date(first, 1, 1), date(min(last + 1, 9999), 1, 1))
                      for first, last in _merged(years[key]))
        calendar.add_component(vtimezone(key, spans[0][0], spans[-1][1], spans))
    calendar.subcomponents.extend(events)
    # `calendar.to_ical()`, with each content line folded by `_fold` (icalendar's
    # folding looks at every character of every line: 0.06 s per 1,000 entries)
    return b"\r\n".join(_fold(line).encode() for line in calendar.content_lines() if line) + b"\r\n"


FOLD_OCTETS = 75        # a folded piece holds fewer octets than this (icalendar's limit)


def _fold(line: str) -> str:
    """A content line folded exactly as icalendar 7's `_foldline` does: pieces of
    at most 74 octets, whole characters, an escape's backslash (or RFC 6868 caret)
    never left at a piece's end, each next piece after CRLF and a space."""
    if len(line) < FOLD_OCTETS and (line.isascii() or len(line.encode()) < FOLD_OCTETS):
        return line
    if not line.isascii():
        return _fold_characters(line)
    pieces, start, width = [], 0, FOLD_OCTETS - 1
    while len(line) - start > width:
        end = start + width
        if line[end - 1] in "\\^":
            end -= 1               # the escape character opens the next piece
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def _fold_characters(line: str) -> str:
    """`_fold` for a line with characters of more than one octet."""
    pieces: list[str] = []
    current: list[str] = []
    octets = 0
    for char in line:
        size = len(char.encode())
        if current and octets + size >= FOLD_OCTETS:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                pieces.append("".join(current))
                current, octets = [carried], len(carried.encode())
            else:
                pieces.append("".join(current))
                current, octets = [], 0
        current.append(char)
        octets += size
    if current:
        pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _zoned_values(vevent: icalendar.Event) -> Iterable[datetime]:
    for name in ("DTSTART", "DTEND"):
        if name in vevent:
            value = vevent.decoded(name)
            if isinstance(value, datetime) and isinstance(value.tzinfo, ZoneInfo):
                yield value
    exdates = vevent.get("EXDATE")
    if exdates is not None:
        for group in exdates if isinstance(exdates, list) else [exdates]:
            for item in group.dts:
                if isinstance(item.dt, datetime) and isinstance(item.dt.tzinfo, ZoneInfo):
                    yield item.dt


def _last_year(vevent: icalendar.Event, start: datetime) -> int:
    """The last year a recurring event needs its zone for: that of its last
    occurrence, and at most OPEN_ENDED_YEARS after its start (a COUNT of a
    billion is never walked to its end)."""
    text = vevent["RRULE"].to_ical().decode()
    horizon = start.year + OPEN_ENDED_YEARS
    if "UNTIL=" in text or "COUNT=" in text:
        zone_key = getattr(start.tzinfo, "key", "UTC")
        rule = wall_clock_rule(text, start.replace(tzinfo=None), zone_key)
        last = rule.before(datetime(horizon + 1, 1, 1))
        return min((last or start).year, horizon)
    return horizon


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Year spans (first, last), overlapping or touching ones joined, in order."""
    joined: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if joined and first <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(joined[-1][1], last))
        else:
            joined.append((first, last))
    return joined


def vtimezone(key: str, first: date, last: date,
              spans: tuple[tuple[date, date], ...] | None = None) -> icalendar.Timezone:
    """A VTIMEZONE for an IANA zone, valid from `first` to `last`, or only over
    the `spans` (from, to) within them that the events use: an event in 2026 and
    one in 9000 need no 7,000 years of changes.

    Each change of offset (or of name) becomes an observance whose DTSTART is
    the onset in the local time in force before it (RFC 5545 §3.6.5); onsets
    of the same kind are grouped with RDATE.
    """
    tz = icalendar.Timezone()
    tz.add("tzid", key)
    merged: dict[tuple, list[datetime]] = defaultdict(list)
    for index, (begin, end) in enumerate(spans or ((first, last),)):
        for kind, starts in _observances(key, begin, end):
            if index and starts[0] == datetime.combine(begin, time()):
                starts = starts[1:]            # a span's own start is no change of offset
            merged[kind].extend(starts)
    found = sorted(((kind, tuple(sorted(starts))) for kind, starts in merged.items() if starts),
                   key=lambda item: item[1][0])
    for (offset_from, offset_to, name, is_dst), starts in found:
        component = icalendar.TimezoneDaylight() if is_dst else icalendar.TimezoneStandard()
        component.add("dtstart", starts[0])
        if starts[1:]:
            component.add("rdate", list(starts[1:]))
        if name:
            component.add("tzname", name)
        component.add("tzoffsetfrom", offset_from)
        component.add("tzoffsetto", offset_to)
        tz.add_component(component)
    return tz


@lru_cache(maxsize=64)
def _observances(key: str, first: date, last: date) -> tuple:
    """((from, to, tzname, is_dst), onsets) for each kind of change, by first onset."""
    zone = ZoneInfo(key)
    begin = datetime.combine(first, time(), zone).astimezone(timezone.utc)
    end = datetime.combine(last, time(), zone).astimezone(timezone.utc)

    def state(instant: datetime) -> tuple[timedelta, bool, str]:
        local = instant.astimezone(zone)
        return local.utcoffset() or timedelta(0), bool(local.dst()), local.tzname() or ""

    onsets: dict[tuple, list[datetime]] = defaultdict(list)
    current = state(begin)
    first_key = (current[0], current[0], current[2], current[1])
    onsets[first_key].append(datetime.combine(first, time()))
    step = timedelta(hours=12)
    probe = begin
    while probe < end:
        following = min(probe + step, end)
        if state(following) != current:
            lo, hi = probe, following          # state(lo) == current != state(hi)
            while hi - lo > timedelta(seconds=1):     # whole seconds: mid is strictly inside
                mid = lo + timedelta(seconds=(hi - lo) // timedelta(seconds=1) // 2)
                if state(mid) == current:
                    lo = mid
                else:
                    hi = mid
            new = state(hi)
            onset = (hi + current[0]).replace(tzinfo=None)   # wall time before the change
            onsets[(current[0], new[0], new[2], new[1])].append(onset)
            current = new
        probe = following

    found = [(kind, tuple(sorted(starts))) for kind, starts in onsets.items()]
    return tuple(sorted(found, key=lambda item: item[1][0]))


__all__ = ["CalendarEntry", "PRODID", "event_calendar", "event_uid", "review_calendar",
           "single_event", "vtimezone", "host_of", "default_event_url"]
