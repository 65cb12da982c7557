"""Scheduling channel posts: pure functions, no I/O, no clock.

The rules (the contract's "Items without `at`…" paragraph):

1. An item with an explicit `at` keeps it. It is still checked: a blackout
   day, more than `max_per_day`, closer than `min_gap` to another item, or the
   same time as another item are warnings; a time before the post's hub page
   is public is an error (the link would be dead).
2. The others are placed one by one in (date, path) order, each on the
   channel's first free slot at or after its `not_before`. A slot is free when
   no item has that time on the channel, its day (in the site zone) is not a
   blackout for the channel, the day has fewer than `max_per_day` items, and
   no item is closer than `min_gap`. Explicit items count.
3. Slots are wall-clock times in the site zone, so after a daylight-saving
   change the same slot has another UTC offset. A slot that does not exist
   on the day clocks go forward (02:30) moves to the same instant's real
   wall time (03:30).
4. A channel without slots (a newsletter, a Discord announcement) sends an
   item at its `not_before`, moved later only as far as a blackout,
   `max_per_day` or `min_gap` require; several items may share a time there.
5. No free slot within 400 days of `not_before` is an error.

Channels do not interact, and the result depends only on the requests, never
on the order they are given in.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Iterator, Sequence
from zoneinfo import ZoneInfo

from ..calendar import Channel, Channels
from ..diagnostics import Diagnostic, Level, diagnostic
from ..plural import counted

HORIZON_DAYS = 400
DUPLICATE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Request:
    """One channel post asking for a time."""

    key: str                 # the post's path; diagnostics point at it
    channel: str
    not_before: datetime     # aware: when the post's hub page becomes public
    at: datetime | None      # explicit time from front matter, or None
    order: tuple             # (date, path): who gets a slot first
    text: str = ""           # the text as it will be sent (placeholders filled)
    line: int = 1            # the line of the channel entry in the post

    @property
    def id(self) -> tuple[str, str]:
        return (self.key, self.channel)


@dataclass(frozen=True)
class Schedule:
    """When each (post, channel) goes out, and what went wrong placing them."""

    placements: dict[tuple[str, str], datetime] = field(default_factory=dict)  # site zone
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def on_channel(self, channel: str) -> list[tuple[datetime, str]]:
        """(time, key) of a channel's items, in time order."""
        return sorted((at, key) for (key, name), at in self.placements.items() if name == channel)


class _Occupancy:
    """What is already placed on one channel: times, per-day counts."""

    def __init__(self, channel: Channel, channels: Channels, zone: ZoneInfo) -> None:
        self.channel, self.channels, self.zone = channel, channels, zone
        self.times: list[datetime] = []          # sorted, with repeats
        self.per_day: dict[date, int] = defaultdict(int)

    def add(self, at: datetime) -> None:
        bisect.insort(self.times, at)
        self.per_day[at.astimezone(self.zone).date()] += 1

    def taken(self, at: datetime) -> bool:
        i = bisect.bisect_left(self.times, at)
        return i < len(self.times) and self.times[i] == at

    def day_closed(self, day: date) -> bool:
        """Nothing more can be auto-placed on this day."""
        if self.channels.blackout_on(day, self.channel.name):
            return True
        limit = self.channel.max_per_day
        return limit is not None and self.per_day[day] >= limit

    def too_close(self, at: datetime) -> datetime | None:
        """The latest item within min_gap of `at`, if any."""
        gap = self.channel.min_gap
        if gap is None:
            return None
        lo = bisect.bisect_right(self.times, at - gap)
        hi = bisect.bisect_left(self.times, at + gap)
        return self.times[hi - 1] if hi > lo else None

    def free(self, at: datetime) -> bool:
        return (not self.day_closed(at.astimezone(self.zone).date()) and not self.taken(at)
                and self.too_close(at) is None)


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _wall(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day at` on the wall clock of `zone`; a time skipped by DST moves forward."""
    return datetime.combine(day, at, zone).astimezone(timezone.utc).astimezone(zone)


def slot_times(channel: Channel, start: datetime, zone: ZoneInfo, days: int) -> Iterator[datetime]:
    """The channel's slot times at or after `start`, for `days` days, in order."""
    by_weekday = _by_weekday(channel.slots)
    first = start.astimezone(zone).date()
    for offset in range(days + 1):
        day = first + timedelta(days=offset)
        for at in _slots_on(day, by_weekday[day.weekday()], zone):
            if at >= start:
                yield at


def _by_weekday(slots: tuple) -> tuple[tuple[time, ...], ...]:
    """Each weekday's slot times (Monday first), in the channel's order. Remembered
    by the tuple itself (hashing its slots for every request cost more than this)."""
    known = _WEEKS.get(id(slots))
    if known is None or known[0] is not slots:
        if len(_WEEKS) > 64:
            _WEEKS.clear()
        known = _WEEKS[id(slots)] = (slots, tuple(tuple(s.time for s in slots if s.weekday == day)
                                                  for day in range(7)))
    return known[1]


_WEEKS: dict[int, tuple[tuple, tuple[tuple[time, ...], ...]]] = {}


@lru_cache(maxsize=1 << 16)
def _slots_on(day: date, times: tuple[time, ...], zone: ZoneInfo) -> tuple[datetime, ...]:
    """One day's slot times on the wall clock, in order: remembered, since every
    request placed on a channel walks the same days again."""
    return tuple(sorted(_wall(day, t, zone) for t in times))


def _sort_key(request: Request) -> tuple:
    return (request.order, request.key, request.channel, request.not_before, request.at or
            request.not_before, request.text)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def make_schedule(channels: Channels, requests: Iterable[Request], site_tz: ZoneInfo,
                  horizon_days: int = HORIZON_DAYS) -> Schedule:
    """Give every request a time; see the module docstring for the rules."""
    ordered = sorted(requests, key=_sort_key)
    placements: dict[tuple[str, str], datetime] = {}
    problems: list[Diagnostic] = []

    def warn(request: Request, level: Level, message: str, rule: str) -> None:
        problems.append(diagnostic(request.key, request.line, 1, level, message, rule,
                                   channel=request.channel))

    by_channel: dict[str, list[Request]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for request in ordered:
        if request.id in seen:
            known = channels.channels.get(request.channel)
            warn(request, "error", f"{known.label if known else request.channel} is listed twice "
                                   "for this post",
                 "schedule.channel")
            continue
        seen.add(request.id)
        if request.channel not in channels:
            valid = ", ".join(channels.names) or "none: calendar/channels.yml defines no channel"
            warn(request, "error", f"unknown channel '{request.channel}'; channels: {valid}",
                 "schedule.channel")
            continue
        by_channel[request.channel].append(request)

    for name in sorted(by_channel):
        channel = channels[name]
        occupancy = _Occupancy(channel, channels, site_tz)
        explicit = [r for r in by_channel[name] if r.at is not None]
        automatic = [r for r in by_channel[name] if r.at is None]

        # 1. explicit times: kept, checked against each other in time order
        timed = sorted(((_aware(r.at, site_tz).astimezone(site_tz), r)
                        for r in explicit if r.at is not None),
                       key=lambda pair: (pair[0], _sort_key(pair[1])))
        holders: dict[datetime, Request] = {}
        for at, request in timed:
            placements[request.id] = at
            day = at.date()
            not_before = _aware(request.not_before, site_tz)
            if at < not_before:
                warn(request, "error", f"{channel.label} post at {_stamp(at)} goes out before its hub page "
                                       f"is public ({_stamp(not_before.astimezone(site_tz))}); "
                                       "its link would be dead", "schedule.early")
            blackout = channels.blackout_on(day, name)
            if blackout:
                reason = f" ({blackout.reason})" if blackout.reason else ""
                warn(request, "warning", f"{channel.label} post at {_stamp(at)} falls in the blackout "
                                         f"{blackout.start} – {blackout.end}{reason}",
                     "schedule.blackout")
            if at in holders:
                warn(request, "warning", f"{channel.label} post at {_stamp(at)} has the same time as "
                                         f"{holders[at].key}", "schedule.clash")
            else:
                neighbour = occupancy.too_close(at)
                if neighbour is not None and channel.min_gap is not None:
                    warn(request, "warning", f"{channel.label} post at {_stamp(at)} is "
                                             f"{_span(at - neighbour)} after the one at "
                                             f"{_stamp(neighbour)}; min_gap is "
                                             f"{_span(channel.min_gap)}", "schedule.min-gap")
            if channel.max_per_day is not None and occupancy.per_day[day] >= channel.max_per_day:
                warn(request, "warning", f"{channel.label} already has {counted(occupancy.per_day[day], 'post')} on "
                                         f"{day}; max_per_day is {channel.max_per_day}",
                     "schedule.cadence")
            holders.setdefault(at, request)
            occupancy.add(at)

        # 2. the rest, in (date, path) order, on the first free slot
        # Taking a slot never frees another, so a stretch [lo, hi) found full
        # stays full: later requests starting inside it skip to hi. Keeps a
        # 5,000-post backlog linear instead of quadratic.
        full_from = full_to = None
        for request in automatic:
            not_before = _aware(request.not_before, site_tz)
            if channel.slots:
                if full_from is None or full_to is None or not full_from <= not_before <= full_to:
                    full_from = full_to = not_before
                at = _first_free_slot(channel, occupancy, full_to, not_before, site_tz,
                                      horizon_days)
                if at is not None:
                    full_to = at + timedelta(microseconds=1)
            else:
                at = _first_free_moment(channel, occupancy, not_before, site_tz, horizon_days)
            if at is None:
                warn(request, "error", f"no free {channel.label} slot within {counted(horizon_days, 'day')} after "
                                       f"{_stamp(not_before.astimezone(site_tz))}; add slots, "
                                       "raise max_per_day or shorten a blackout",
                     "schedule.full")
                continue
            placements[request.id] = at
            occupancy.add(at)

    return Schedule(placements, problems)


def _first_free_slot(channel: Channel, occupancy: _Occupancy, start: datetime,
                     not_before: datetime, zone: ZoneInfo, horizon_days: int) -> datetime | None:
    last_day = not_before.astimezone(zone).date() + timedelta(days=horizon_days)
    days = (last_day - start.astimezone(zone).date()).days
    if days < 0:
        return None
    closed_day: date | None = None
    for at in slot_times(channel, start, zone, days):
        day = at.date()
        if day == closed_day:
            continue
        if occupancy.day_closed(day):
            closed_day = day
            continue
        if not occupancy.taken(at) and occupancy.too_close(at) is None:
            return at
    return None


def _first_free_moment(channel: Channel, occupancy: _Occupancy, not_before: datetime,
                       zone: ZoneInfo, horizon_days: int) -> datetime | None:
    """A slotless channel: `not_before`, pushed past blackouts, full days and min_gap."""
    at = not_before.astimezone(zone)
    limit = at + timedelta(days=horizon_days)
    while at <= limit:
        day = at.date()
        if occupancy.day_closed(day):
            at = _wall(day + timedelta(days=1), time(0), zone)
            continue
        neighbour = occupancy.too_close(at)
        if neighbour is not None:
            at = (neighbour + channel.min_gap).astimezone(zone)  # type: ignore[operator]
            continue
        return at
    return None


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "",
             f"{minutes}m" if minutes else ""]
    return "".join(parts) or "0m"


# --------------------------------------------------------------------------- warnings


def _requests_by_id(requests: Iterable[Request]) -> dict[tuple[str, str], Request]:
    found: dict[tuple[str, str], Request] = {}
    for request in sorted(requests, key=_sort_key):
        found.setdefault(request.id, request)
    return found


def gap_warnings(channels: Channels, requests: Iterable[Request], schedule: Schedule,
                 site_tz: ZoneInfo, after: datetime | None = None) -> list[Diagnostic]:
    """A channel silent for more than its `max_silence_days` between two of its items.

    Days are counted on the site zone's calendar, so DST does not matter.
    Gaps that end before `after` (e.g. "now") are history and not reported.
    """
    return _gap_warnings(channels, _requests_by_id(requests), schedule, site_tz, after)


def _gap_warnings(channels: Channels, by_id: dict[tuple[str, str], Request], schedule: Schedule,
                  site_tz: ZoneInfo, after: datetime | None) -> list[Diagnostic]:
    problems = []
    placed: dict[str, list[tuple[datetime, str]]] = defaultdict(list)   # Schedule.on_channel's,
    for (key, name), at in schedule.placements.items():                 # for all in one pass
        if (key, name) in by_id:
            placed[name].append((at, key))
    for channel in channels:
        limit = channel.max_silence_days
        if limit is None:
            continue
        items = sorted(placed.get(channel.name, ()))
        for (before, _), (at, key) in zip(items, items[1:]):
            days = (at.astimezone(site_tz).date() - before.astimezone(site_tz).date()).days
            if days <= limit or (after is not None and at < after):
                continue
            request = by_id[(key, channel.name)]
            problems.append(diagnostic(
                request.key, request.line, 1, "warning",
                f"{channel.label} is silent for {counted(days, 'day')} before this post (none since "
                f"{before.astimezone(site_tz):%Y-%m-%d}); max_silence_days is {limit}",
                "schedule.gap", channel=channel.name))
    return problems


def duplicate_text_warnings(requests: Iterable[Request], schedule: Schedule,
                            channels: Channels | None = None,
                            window: timedelta = DUPLICATE_WINDOW) -> list[Diagnostic]:
    """The same text twice on one channel within `window` (7 days): the later one warns.

    Compare the texts as they will be sent (placeholders filled), after
    collapsing whitespace and ignoring case.
    """
    return _duplicate_text_warnings(_requests_by_id(requests), schedule, channels, window)


def _duplicate_text_warnings(by_id: dict[tuple[str, str], Request], schedule: Schedule,
                             channels: Channels | None, window: timedelta) -> list[Diagnostic]:
    problems = []
    last_seen: dict[tuple[str, str], tuple[datetime, str]] = {}
    timed = sorted((at, key, channel) for (key, channel), at in schedule.placements.items()
                   if (key, channel) in by_id)
    for at, key, channel in timed:
        request = by_id[(key, channel)]
        # white space collapsed and stripped: str.split's white space is re's \s
        text = " ".join(request.text.split()).casefold()
        if not text:
            continue
        seen = last_seen.get((channel, text))
        if seen is not None and at - seen[0] <= window:
            known = channels.channels.get(channel) if channels is not None else None
            label = known.label if known is not None else channel
            problems.append(diagnostic(
                request.key, request.line, 1, "warning",
                f"the same {label} text as {seen[1]} ({_stamp(seen[0])}), "
                f"{_span(at - seen[0])} earlier", "schedule.duplicate", channel=channel))
        last_seen[(channel, text)] = (at, key)
    return problems


def schedule_with_warnings(channels: Channels, requests: Sequence[Request], site_tz: ZoneInfo,
                      after: datetime | None = None) -> Schedule:
    """`make_schedule` plus the gap and duplicate-text warnings in one Schedule."""
    placed = make_schedule(channels, requests, site_tz)
    by_id = _requests_by_id(requests)
    extra = (_gap_warnings(channels, by_id, placed, site_tz, after)
             + _duplicate_text_warnings(by_id, placed, channels, DUPLICATE_WINDOW))
    return Schedule(placed.placements, placed.diagnostics + extra)
