"""The calendar's records: channels and their slots and blackouts, events, campaigns.

Frozen values with their small pure methods (when a blackout covers a day,
where a recurring event falls). `hearth.load.calendar` reads them from
`calendar/`; assembly, scheduling, planning and the .ics files read them here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from .channels.kinds import channel_label
from .dates import parse_until

CHANNELS_FILE = "calendar/channels.yml"
EVENTS_DIR = "calendar/events"
CAMPAIGNS_DIR = "calendar/campaigns"

NEWSLETTER_PERIODS = ("week", "month")
EVENT_STATUSES = ("draft", "review", "ready")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# the UNTIL part of an RRULE value, which the loader normalizes and expansion reads
RRULE_UNTIL = re.compile(r"(?i)(^|;)UNTIL=([0-9TZ]+)")


@dataclass(frozen=True, order=True)
class Slot:
    """A weekly posting time, wall clock in the site's zone."""

    weekday: int                  # 0 = Monday … 6 = Sunday
    time: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday][:3].capitalize()} {self.time:%H:%M}"


VISIBILITIES = ("public", "unlisted", "private", "direct")   # mastodon `visibility`
DEFAULT_LATE = timedelta(hours=6)
DEFAULT_BLUESKY_SERVICE = "https://bsky.social"


@dataclass(frozen=True)
class SendSettings:
    """How `hearth send` reaches a channel (channels.yml; secrets come from the environment)."""

    late: timedelta = DEFAULT_LATE           # an unsent item older than this is missed, never sent
    instance: str | None = None              # mastodon: https://server (required to send)
    service: str = DEFAULT_BLUESKY_SERVICE   # bluesky: the PDS / entryway
    visibility: str = "public"               # mastodon
    to: tuple[str, ...] = ()                 # newsletter: the list address(es)
    sender: str | None = None                # newsletter `from:`

    def as_mapping(self) -> dict[str, Any]:
        """The settings as a sender reads them (`Outgoing.settings`), keys as in channels.yml."""
        return {"late": self.late, "instance": self.instance, "service": self.service,
                "visibility": self.visibility, "to": self.to, "from": self.sender}


@dataclass(frozen=True)
class Channel:
    """One entry of channels.yml."""

    name: str
    kind: str
    slots: tuple[Slot, ...]                  # sorted; empty: items go out at their post's time
    max_per_day: int | None
    min_gap: timedelta | None
    utm: dict[str, str] = field(hash=False)  # keys without the utm_ prefix
    limit: int | None                        # overrides the kind's text limit
    every: str | None                        # newsletter period: week | month
    max_silence_days: int | None             # warn after this many days without an item
    line: int
    color: str = "#6b7280"
    send: SendSettings = field(default_factory=SendSettings)

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name people read: "LinkedIn" for `linkedin`, `mastodon-fr` as it is."""
        return channel_label(self.name, self.kind)


@dataclass(frozen=True)
class Blackout:
    """Days (site zone, inclusive) when nothing is auto-scheduled."""

    start: date
    end: date
    reason: str
    channels: frozenset[str] | None          # None: every channel
    line: int

    def covers(self, day: date, channel: str) -> bool:
        return self.start <= day <= self.end and (self.channels is None or channel in self.channels)


@dataclass(frozen=True)
class Channels:
    """channels.yml as a whole; iterates over its channels in file order."""

    channels: dict[str, Channel] = field(default_factory=dict, hash=False)
    blackouts: tuple[Blackout, ...] = ()
    path: str = CHANNELS_FILE
    invalid: tuple[str, ...] = ()            # named in the file, but unusable (reported there)

    def __contains__(self, name: object) -> bool:
        return name in self.channels

    def __getitem__(self, name: str) -> Channel:
        return self.channels[name]

    def __iter__(self) -> Iterator[Channel]:
        return iter(self.channels.values())

    def __len__(self) -> int:
        return len(self.channels)

    def get(self, name: str) -> Channel | None:
        return self.channels.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.channels)

    def blackout_on(self, day: date, channel: str) -> Blackout | None:
        """The first blackout that covers `day` for `channel`, if any."""
        for blackout in self.blackouts:
            if blackout.covers(day, channel):
                return blackout
        return None


@dataclass(frozen=True)
class Event:
    """One file of calendar/events/."""

    path: str
    slug: str
    title: str
    start: datetime                          # aware, in `timezone`
    end: datetime                            # aware, after start (all-day: 00:00 the day after)
    timezone: ZoneInfo
    location: str | None
    online: str | None                       # URL
    rsvp: str | None                         # URL
    status: str                              # draft | review | ready
    tags: tuple[str, ...]
    rrule: str | None                        # RFC 5545 RRULE value, UNTIL normalized to UTC
    exdates: tuple[datetime, ...]            # aware, in `timezone`: occurrence starts removed
    body: str                                # Markdown source
    meta: dict[str, Any] = field(hash=False, compare=False, repr=False)
    all_day: bool = False
    updated: datetime | None = None          # front-matter `updated`: the .ics DTSTAMP
    line: int = 1                            # where the title is written

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def occurrences(self, after: datetime, before: datetime) -> list[tuple[datetime, datetime]]:
        """(start, end) of each occurrence that overlaps [after, before), sorted.

        Recurrence is wall-clock in the event's zone: a weekly 18:00 meetup
        stays at 18:00 local across daylight-saving changes.
        """
        if not self.rrule:
            return [(self.start, self.end)] if self.start < before and self.end > after else []
        rule = wall_clock_rule(self.rrule, self.start.replace(tzinfo=None), self.timezone.key)
        span = self.duration
        lo = (after - span).astimezone(self.timezone).replace(tzinfo=None) - timedelta(days=1)
        hi = before.astimezone(self.timezone).replace(tzinfo=None) + timedelta(days=1)
        excluded = {e.replace(tzinfo=None) for e in self.exdates}
        found = []
        for naive in rule.between(lo, hi, inc=True):
            if naive in excluded:
                continue
            start = naive.replace(tzinfo=self.timezone)
            end = _wall_add(start, span) if self.all_day else start + span
            if start < before and end > after:
                found.append((start, end))
        return found


@dataclass(frozen=True)
class Campaign:
    """One file of calendar/campaigns/."""

    name: str                                # the file stem: what a post's `campaign:` names
    title: str
    start: date
    end: date                                # inclusive
    goal: int | float | str | None
    color: str                               # #rrggbb
    body: str
    path: str
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False, repr=False)

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end



def _wall_add(start: datetime, span: timedelta) -> datetime:
    """`start + span` on the wall clock (whole days stay midnight-to-midnight across DST)."""
    return (start.replace(tzinfo=None) + span).replace(tzinfo=start.tzinfo)



@lru_cache(maxsize=512)
def wall_clock_rule(text: str, naive_start: datetime, zone_key: str) -> rrule:
    """dateutil's rrule over naive wall-clock times in the event's zone.

    Expanding naive local times is what makes recurrence wall-clock across DST;
    UNTIL is turned into the same naive local time scale."""
    zone = ZoneInfo(zone_key)
    match = RRULE_UNTIL.search(text)
    if match:
        until = parse_until(match.group(2), zone)
        if until is not None:
            local = until.astimezone(zone).replace(tzinfo=None)
            text = text[:match.start(2)] + local.strftime("%Y%m%dT%H%M%S") + text[match.end(2):]
    return rrulestr(text, dtstart=naive_start)  # type: ignore[return-value]
