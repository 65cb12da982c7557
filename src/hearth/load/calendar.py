"""Loading `calendar/`: channels.yml, events/**/*.md and campaigns/**/*.md.

Files → frozen records + diagnostics. Every mistake a writer can make comes
back as a Diagnostic at the line of the value concerned; nothing here raises
for bad input, so one run reports every problem.

Decisions the contract leaves open (documented for writers in the starter):

- Slots are `"Mon 09:30"`; day names may be written out and in any case
  (`"monday 9:30"`), and `"daily 09:30"`, `"weekdays 09:30"`, `"weekends 10:00"`
  or a bare `"09:30"` (every day) expand to several slots.
- Durations (`min_gap`, an event's `duration`) are `90m`, `3h`, `1h30m`, `2d`
  (or ISO 8601 `PT1H30M`).
- A channel's `kind` defaults to its name when the name is a kind (`mastodon:`).
- `max_silence_days`: warn when a channel goes that many days without an item.
  Default 14 for social kinds, off for the newsletter; `null` turns it off.
- A newsletter's `every` defaults to `month`.
- `utm` keys may be written with or without the `utm_` prefix; they are kept
  without it (`{"source": "mastodon"}`).
- Blackouts: `end` defaults to `start` (one day) and is inclusive; `channels`
  is `all` (the default), one name, or a list of names.
- Events: a date-only `start` makes an all-day event; its `end` date is
  inclusive (`start: 2026-05-01, end: 2026-05-03` is three days). A
  date-only `exdate` removes that day's occurrence.
- Campaigns need `title`, `start` and `end` (dates, `end` inclusive).
- Events and campaigns may sit in sub-folders; an event's slug and a
  campaign's name are still the file stem, so two files with one stem are
  an error.
- Dates and times are read by `hearth.dates`, as in posts; an event's times are
  then moved onto its own zone's wall clock.
"""

from __future__ import annotations

import difflib
import os
import re
from itertools import islice
import zlib
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from slugify import slugify

from ..calendar import (CAMPAIGNS_DIR, CHANNELS_FILE, EVENT_STATUSES, EVENTS_DIR,
                        NEWSLETTER_PERIODS, RRULE_UNTIL, WEEKDAYS, Blackout, Campaign, Channel,
                        Channels, Event, Slot, wall_clock_rule)
from ..channels.kinds import KIND_NAMES, KINDS
from ..dates import (LATEST, SUPPORTED, date_problem, in_range, parse_duration, parse_time, parse_until,
                     parse_when, shown)
from ..diagnostics import Diagnostic, Level, diagnostic
from ..source import SourceDoc, read, read_text, yaml_doc
from .channel_send import SEND_KEYS, parse_send_settings
from .front_matter import markdown_files, word_list

SOCIAL_SILENCE_DAYS = 14          # default max_silence_days for every kind but newsletter
MAX_PER_YEAR = 1464               # occurrences of a recurring event in its first year: 4 a day

CHANNELS_KEYS = ("channels", "blackouts")
CHANNEL_KEYS = ("kind", "slots", "max_per_day", "min_gap", "utm", "limit", "every",
                "max_silence_days", "color", *SEND_KEYS)
BLACKOUT_KEYS = ("start", "end", "reason", "channels")
UTM_KEYS = ("source", "medium", "campaign", "term", "content", "id")
EVENT_KEYS = ("title", "start", "end", "duration", "timezone", "location", "online", "rsvp",
              "status", "tags", "rrule", "exdate", "exdates", "summary", "image", "image_alt",
              "updated", "campaign", "lang", "author", "authors")
CAMPAIGN_KEYS = ("title", "start", "end", "goal", "color", "status", "channels", "tags", "owner")

# Colours for campaigns and channels that set none: picked by a stable hash of
# the name, so a campaign keeps its colour from build to build.
PALETTE = ("#2563eb", "#16a34a", "#d97706", "#db2777", "#7c3aed", "#0891b2", "#dc2626",
           "#65a30d", "#9333ea", "#0d9488")

DAY_GROUPS = {"daily": range(7), "everyday": range(7), "weekdays": range(5),
              "weekends": range(5, 7), "weekend": range(5, 7)}
_SLOT = re.compile(r"^\s*(?:([A-Za-z][A-Za-z ]*?)\.?\s+)?(\d{1,2}):(\d{2})\s*$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


# --------------------------------------------------------------------------- small parsers


def parse_slot(text: Any) -> tuple[list[Slot], str | None]:
    """`"Mon 09:30"` → slots, or an error message."""
    hint = 'write a slot like "Mon 09:30" (day and 24-hour time, quoted)'
    if isinstance(text, int) and not isinstance(text, bool):
        return [], f"{shown(text)} is not a slot: YAML read an unquoted time as a number; {hint}"
    if not isinstance(text, str):
        return [], f"{shown(text)} is not a slot; {hint}"
    match = _SLOT.match(text)
    if not match:
        return [], f"{shown(text)} is not a slot; {hint}"
    word, hour, minute = match.group(1), int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        return [], f"{shown(text)} is not a time of day; {hint}"
    if word is None:
        days: Any = range(7)
    else:
        key = word.lower().replace(" ", "")
        if key in DAY_GROUPS:
            days = DAY_GROUPS[key]
        else:
            days = [i for i, name in enumerate(WEEKDAYS) if len(key) >= 2 and name.startswith(key)]
            if len(days) != 1:
                return [], (f"{shown(word)} is not a day of the week; use Mon Tue Wed Thu Fri Sat Sun, "
                            "daily, weekdays or weekends")
    at = time(hour, minute)
    return [Slot(d, at) for d in days], None


def closest(word: str, choices: Any) -> str:
    """` (did you mean 'x'?)` or an empty string."""
    if len(word) > 80:
        return ""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{found[0]}'?)" if found else ""


def palette_color(name: str) -> str:
    return PALETTE[zlib.crc32(name.encode("utf-8")) % len(PALETTE)]


def _is_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


class _Reporter:
    """Collects diagnostics for one file, placed at the line of a key path."""

    def __init__(self, doc: SourceDoc, rule: str) -> None:
        self.doc, self.rule = doc, rule
        self.found: list[Diagnostic] = []

    def __call__(self, keys: tuple, message: str, level: Level = "error") -> None:
        line, column = self.doc.line_of(*keys)
        self.found.append(diagnostic(self.doc.path, line, column, level, message, self.rule))

    def unknown_keys(self, mapping: dict, known: tuple, where: tuple = (), what: str = "key",
                     only_typos: bool = False) -> None:
        for key in mapping:
            name = str(key)
            if name in known:
                continue
            hint = closest(name, known)
            if only_typos and not hint:
                continue        # front matter keeps other keys for the templates
            line, column = self.doc.key_position(*where, key)
            valid = "" if hint and only_typos else f"; valid: {', '.join(known)}"
            self.found.append(diagnostic(self.doc.path, line, column, "warning",
                                         f"unknown {what} '{name}'{hint}{valid}", self.rule))


# --------------------------------------------------------------------------- channels.yml


def load_channels(root: Path, site_tz: ZoneInfo) -> tuple[Channels, list[Diagnostic]]:
    """calendar/channels.yml → Channels. A missing file means no channels."""
    path = root / CHANNELS_FILE
    if not os.path.lexists(path):
        return Channels(), []
    text, problems = read_text(root, CHANNELS_FILE)     # a link or a pipe is refused, never followed
    if text is None:
        return Channels(), problems
    doc, problems = yaml_doc(CHANNELS_FILE, text)
    if problems:
        return Channels(), problems
    report = _Reporter(doc, "channels")
    meta = doc.meta
    report.unknown_keys(meta, CHANNELS_KEYS)

    channels: dict[str, Channel] = {}
    raw_channels = meta.get("channels")
    if raw_channels is None:
        raw_channels = {}
    if not isinstance(raw_channels, dict):
        report(("channels",), "'channels' must be a mapping of channel names to settings")
        raw_channels = {}
    invalid: list[str] = []
    for name, settings in raw_channels.items():
        channel = _channel(report, str(name), settings)
        if channel is not None:
            channels[channel.name] = channel
        else:
            invalid.append(str(name))

    blackouts: list[Blackout] = []
    raw_blackouts = meta.get("blackouts")
    if raw_blackouts is None:
        raw_blackouts = []
    if not isinstance(raw_blackouts, list):
        report(("blackouts",), "'blackouts' must be a list, like "
                               "- {start: 2026-12-24, end: 2026-12-26, reason: Holidays}")
        raw_blackouts = []
    for index, item in enumerate(raw_blackouts):
        blackout = _blackout(report, index, item, raw_channels, site_tz)
        if blackout is not None:
            blackouts.append(blackout)
    blackouts.sort(key=lambda b: (b.start, b.end, b.line))
    return Channels(channels, tuple(blackouts), CHANNELS_FILE, tuple(invalid)), report.found


def _channel(report: _Reporter, name: str, settings: Any) -> Channel | None:
    at = ("channels", name)
    if not _NAME.match(name):
        report(at, f"channel name '{name}' must be lower-case letters, digits, - or _ "
                   "(it names the queue files)")
        return None
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        report(at, f"channel '{name}' must be a mapping of settings (kind, slots, …)")
        return None
    report.unknown_keys(settings, CHANNEL_KEYS, at, "channel setting")
    ok = True

    kind = settings.get("kind")
    if kind is None:
        if name in KIND_NAMES:
            kind = name
        else:
            report(at, f"channel '{name}' needs a kind: one of {', '.join(KIND_NAMES)}")
            ok = False
    elif not isinstance(kind, str) or kind not in KIND_NAMES:
        report(at + ("kind",), f"unknown kind {shown(kind)}{closest(str(kind), KIND_NAMES)}; "
                               f"valid kinds: {', '.join(KIND_NAMES)}")
        ok = False

    slots: set[Slot] = set()
    raw_slots = settings.get("slots")
    if raw_slots is None:
        raw_slots = []
    if isinstance(raw_slots, str):
        raw_slots = [raw_slots]
    if not isinstance(raw_slots, list):
        report(at + ("slots",), 'slots must be a list, like ["Mon 09:30", "Wed 09:30"]')
        raw_slots = []
    for index, text in enumerate(raw_slots):
        parsed, problem = parse_slot(text)
        if problem:     # reported at the slot; the channel keeps its other slots
            report(at + ("slots", index), problem)
        for slot in parsed:
            if slot in slots and len(parsed) == 1:
                report(at + ("slots", index), f"slot {slot} is listed twice", "warning")
            slots.add(slot)

    def positive_int(key: str) -> int | None:
        if key not in settings or settings[key] is None:
            return None
        value = _int_or_none(settings[key])
        if value is None or value < 1:
            report(at + (key,), f"{key} must be a whole number of 1 or more, not {shown(settings[key])}")
            return None
        return value

    max_per_day = positive_int("max_per_day")
    limit = positive_int("limit")

    min_gap = None
    if settings.get("min_gap") is not None:
        min_gap, problem = parse_duration(settings["min_gap"])
        if problem:
            report(at + ("min_gap",), f"min_gap: {problem}")
        elif min_gap is not None and min_gap <= timedelta(0):
            report(at + ("min_gap",), "min_gap must be longer than zero")
            min_gap = None

    utm: dict[str, str] = {}
    raw_utm = settings.get("utm")
    if raw_utm is not None and not isinstance(raw_utm, dict):
        report(at + ("utm",), "utm must be a mapping, like {source: mastodon, medium: social}")
    elif raw_utm:
        for key, value in raw_utm.items():
            bare = str(key).removeprefix("utm_")
            if bare not in UTM_KEYS:
                line, column = report.doc.key_position(*at, "utm", key)
                report.found.append(diagnostic(
                    report.doc.path, line, column, "warning",
                    f"unknown UTM parameter '{key}'{closest(bare, UTM_KEYS)}; "
                    f"valid: {', '.join(UTM_KEYS)}", "channels"))
            if value is None or isinstance(value, (dict, list)):
                report(at + ("utm", key), f"utm {key} must be text")
                continue
            utm[bare] = str(value)

    every = None
    if settings.get("every") is not None:
        every = settings["every"]
        if every not in NEWSLETTER_PERIODS:
            report(at + ("every",), f"every must be one of {', '.join(NEWSLETTER_PERIODS)}, "
                                    f"not {shown(every)}")
            every = None
        elif kind != "newsletter":
            report(at + ("every",), "'every' only applies to a newsletter channel; ignored",
                   "warning")
            every = None
    elif kind == "newsletter":
        every = "month"

    if "max_silence_days" in settings:
        raw = settings["max_silence_days"]
        silence = None if raw is None or raw is False else _int_or_none(raw)
        if raw not in (None, False) and (silence is None or silence < 1):
            report(at + ("max_silence_days",), "max_silence_days must be a whole number of days "
                                               f"(or null to turn it off), not {shown(raw)}")
            silence = None
    else:
        silence = None if kind == "newsletter" else SOCIAL_SILENCE_DAYS

    color = KINDS[str(kind)].color if str(kind) in KINDS else palette_color(name)
    if settings.get("color") is not None:
        raw_color = settings["color"]
        if isinstance(raw_color, str) and _COLOR.match(raw_color.strip()):
            color = _hex6(raw_color.strip())
        else:
            report(at + ("color",), f"color must be a hex colour like #1d4ed8, not {shown(raw_color)}")

    send = parse_send_settings(report, at, kind, settings)
    if not ok:
        return None
    line = report.doc.key_position(*at)[0]
    return Channel(name, str(kind), tuple(sorted(slots)), max_per_day, min_gap, utm, limit,
                   every, silence, line, color, send)


def _blackout(report: _Reporter, index: int, item: Any, channels: dict, zone: ZoneInfo
              ) -> Blackout | None:
    at = ("blackouts", index)
    if isinstance(item, (date, str)) and not isinstance(item, datetime):
        item = {"start": item}
    if not isinstance(item, dict):
        report(at, "a blackout is a mapping like {start: 2026-12-24, end: 2026-12-26, "
                   "reason: Holidays, channels: all}")
        return None
    report.unknown_keys(item, BLACKOUT_KEYS, at, "blackout key")
    ok = True
    days: dict[str, date] = {}
    for key in ("start", "end"):
        value = item.get(key)
        if value is None:
            if key == "start":
                report(at, "a blackout needs a start date")
                ok = False
            continue
        day = parse_when(value, zone)
        if day is None or isinstance(day, datetime):     # a blackout is whole days
            why = date_problem(value, "") if day is None else ""
            report(at + (key,), f"blackout {key} must be a date like 2026-12-24, not "
                                f"{shown(value)}" + (f" ({why})" if why else ""))
            ok = False
            continue
        days[key] = day
    if not ok:
        return None
    start = days["start"]
    end = days.get("end", start)
    if end < start:
        report(at + ("end",), f"blackout ends ({end}) before it starts ({start})")
        return None

    names: frozenset[str] | None = None
    raw = item.get("channels", "all")
    if raw is not None and raw != "all":
        listed = [raw] if isinstance(raw, str) else raw
        if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
            report(at + ("channels",), "blackout channels must be 'all', a channel name "
                                       "or a list of names")
            return None
        for position, name in enumerate(listed):
            if name not in channels:
                keys = at + ("channels",) + ((position,) if not isinstance(raw, str) else ())
                valid = ", ".join(str(n) for n in channels) or "none defined"
                report(keys, f"blackout names unknown channel '{name}'"
                             f"{closest(name, [str(n) for n in channels])}; channels: {valid}")
                ok = False
        names = frozenset(listed)
    if not ok:
        return None
    reason = item.get("reason")
    reason = "" if reason is None else str(reason)
    line = report.doc.line_of(*at)[0]
    return Blackout(start, end, reason, names, line)


def _hex6(color: str) -> str:
    color = color.lower()
    if len(color) == 4:
        color = "#" + "".join(c * 2 for c in color[1:])
    return color


# --------------------------------------------------------------------------- events


def _on_wall_clock(value: Any, zone: ZoneInfo) -> datetime | date | None:
    """`parse_when`, with a time moved onto `zone`'s wall clock: an event's
    recurrence, its all-day span and a campaign's days are counted there."""
    moment = parse_when(value, zone)
    return moment.astimezone(zone) if isinstance(moment, datetime) else moment


def load_events(root: Path, site_tz: ZoneInfo) -> tuple[list[Event], list[Diagnostic]]:
    """calendar/events/**/*.md (sub-folders too) → events, sorted by (start, slug)."""
    events: list[Event] = []
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for relpath in markdown_files(root, EVENTS_DIR):
        doc, found = read(root, relpath)
        problems += found
        if doc is None or found:
            continue
        event, found = event_from_doc(doc, site_tz)
        problems += found
        if event is None:
            continue
        if event.slug in seen:
            problems.append(diagnostic(relpath, 1, 1, "error",
                                       f"event slug '{event.slug}' is also the slug of "
                                       f"{seen[event.slug]}; rename one file", "event"))
            continue
        seen[event.slug] = relpath
        events.append(event)
    events.sort(key=lambda e: (e.start, e.slug))
    return events, problems


def event_from_doc(doc: SourceDoc, site_tz: ZoneInfo) -> tuple[Event | None, list[Diagnostic]]:
    """One parsed event file → an Event (None when it cannot be placed in time)."""
    report = _Reporter(doc, "event")
    meta = doc.meta
    report.unknown_keys(meta, EVENT_KEYS, only_typos=True)
    ok = True

    slug = slugify(Path(doc.path).stem)
    if not slug:
        report((), f"the file name '{Path(doc.path).name}' gives an empty slug; "
                   "name the file with letters or digits")
        ok = False

    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        report(("title",), "an event needs a title")
        ok = False
    elif isinstance(title, (dict, list)):
        report(("title",), "title must be text")
        ok = False

    zone = site_tz
    if meta.get("timezone") is not None:
        name = meta["timezone"]
        try:
            zone = ZoneInfo(str(name).strip())
        except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
            report(("timezone",), f"unknown time zone {shown(name)}"
                                  f"{closest(str(name), sorted(available_timezones()))}; "
                                  "use an IANA name like Europe/Rome")
            ok = False

    start = _on_wall_clock(meta.get("start"), zone) if "start" in meta else None
    if "start" not in meta or meta.get("start") is None:
        report(("start",), "an event needs a start, like start: 2026-03-14 18:30")
        ok = False
    elif start is None:
        report(("start",), f"bad start {shown(meta['start'])}: " + date_problem(
            meta["start"], "use ISO 8601, like 2026-03-14 18:30 or 2026-03-14T18:30:00+01:00"))
        ok = False
    all_day = start is not None and not isinstance(start, datetime)
    start_dt: datetime | None = None
    if isinstance(start, datetime):
        start_dt = start
    elif start is not None:
        start_dt = datetime.combine(start, time(), zone)

    updated = None
    if meta.get("updated") is not None:
        stamp = parse_time(meta["updated"], zone)
        if stamp is None:
            report(("updated",), f"bad updated {shown(meta['updated'])}: "
                                 f"{date_problem(meta['updated'])}")
        else:
            updated = stamp.astimezone(zone)

    if start_dt is None:     # no start to measure from: still report what else is wrong
        if meta.get("end") is not None and _on_wall_clock(meta["end"], zone) is None:
            report(("end",), f"bad end {shown(meta['end'])}: "
                             f"{date_problem(meta['end'], 'use ISO 8601, like 2026-03-14 20:00')}")
        if meta.get("duration") is not None and parse_duration(meta["duration"])[1]:
            report(("duration",), f"duration: {parse_duration(meta['duration'])[1]}")

    end: datetime | None = None
    if start_dt is not None:
        end = _event_end(report, meta, start_dt, zone, all_day)
        if end is not None and not in_range(end - timedelta(microseconds=1)):
            report(("duration",) if meta.get("duration") is not None else ("end",),
                   f"the event would end on {end:%Y-%m-%d}, after {LATEST}, the last date "
                   "Hearth reads")
            end = None
    if not ok or start_dt is None or end is None:
        return None, report.found

    location = meta.get("location")
    if location is not None and not isinstance(location, (str, int, float)):
        report(("location",), "location must be text (a place or an address)")
        location = None
    online = meta.get("online")
    if online is not None and not _is_url(online):
        report(("online",), f"online must be a web address (http:// or https://), not {shown(online)}")
        online = None
    rsvp = meta.get("rsvp")
    if rsvp is not None and not _is_url(rsvp):
        report(("rsvp",), f"rsvp must be a web address (http:// or https://), not {shown(rsvp)}")
        rsvp = None

    status = meta.get("status", "ready")
    if status is None:
        status = "ready"
    if status not in EVENT_STATUSES:
        report(("status",), f"status must be one of {', '.join(EVENT_STATUSES)}, not {shown(status)}"
                            f"{closest(str(status), EVENT_STATUSES)}")
        status = "draft"     # an unreadable status never publishes

    tags = word_list(meta.get("tags"))
    if tags is None:
        report(("tags",), "tags must be a list of words or a comma-separated text")
        tags = ()

    rule_text = None
    if meta.get("rrule") is not None:
        rule_text = _event_rrule(report, meta["rrule"], start_dt, zone, all_day)

    exdates: list[datetime] = []
    raw_ex = [(k, meta[k]) for k in ("exdate", "exdates") if meta.get(k) is not None]
    for key, raw in raw_ex:
        items = raw if isinstance(raw, list) else [raw]
        for index, value in enumerate(items):
            keys = (key, index) if isinstance(raw, list) else (key,)
            moment = _on_wall_clock(value, zone)
            if moment is None:
                report(keys, f"bad exdate {shown(value)}: " + date_problem(
                    value, "use a date like 2026-04-14 or the occurrence's date and time"))
                continue
            if not isinstance(moment, datetime):
                moment = datetime.combine(moment, start_dt.timetz().replace(tzinfo=None), zone)
            if rule_text is None:
                if "rrule" not in meta:
                    report(keys, "exdate has no effect without an rrule", "warning")
                continue
            rule = wall_clock_rule(rule_text, start_dt.replace(tzinfo=None), zone.key)
            naive = moment.replace(tzinfo=None)
            if rule.after(naive - timedelta(microseconds=1), inc=True) != naive:
                report(keys, f"exdate {naive:%Y-%m-%d %H:%M} is not an occurrence of the rrule",
                       "warning")
            exdates.append(moment)

    line = doc.line_of("title")[0]
    event = Event(doc.path, slug, str(title).strip(), start_dt, end, zone,
                  None if location is None else str(location).strip(),
                  online.strip() if online else None, rsvp.strip() if rsvp else None,
                  status, tags, rule_text, tuple(sorted(set(exdates))), doc.body, meta,
                  all_day, updated, line)
    return event, report.found


def _event_end(report: _Reporter, meta: dict, start: datetime, zone: ZoneInfo,
               all_day: bool) -> datetime | None:
    """The event's end from `end` or `duration`; None (reported) if neither works.
    All-day events end at midnight after their last day."""
    has_end = meta.get("end") is not None
    has_duration = meta.get("duration") is not None
    if has_end and has_duration:
        report(("duration",), "give either end or duration, not both")
        return None
    day = start.date()
    if has_duration:
        span, problem = parse_duration(meta["duration"])
        if problem or span is None:
            report(("duration",), f"duration: {problem}")
            return None
        if span <= timedelta(0):
            report(("duration",), "duration must be longer than zero")
            return None
        if not all_day:
            return start + span
        if span % timedelta(days=1):
            report(("duration",), "an all-day event (start without a time) lasts whole "
                                  "days, like 2d; or give start a time")
            return None
        return datetime.combine(day + span, time(), zone)
    if not has_end:
        if all_day:
            return datetime.combine(day + timedelta(days=1), time(), zone)
        report(("start",), "an event needs an end or a duration, like duration: 2h")
        return None
    end = _on_wall_clock(meta["end"], zone)
    if end is None:
        report(("end",), f"bad end {shown(meta['end'])}: "
                         f"{date_problem(meta['end'], 'use ISO 8601, like 2026-03-14 20:00')}")
        return None
    if all_day:
        if isinstance(end, datetime):
            report(("end",), "an all-day event (start without a time) needs an end date "
                             "without a time too")
            return None
        if end < day:
            report(("end",), f"end ({end}) is before start ({day})")
            return None
        return datetime.combine(end + timedelta(days=1), time(), zone)
    if not isinstance(end, datetime):
        end = datetime.combine(end, time(), zone)
    if end <= start:
        report(("end",), f"end ({end:%Y-%m-%d %H:%M}) must be after start "
                         f"({start:%Y-%m-%d %H:%M})")
        return None
    return end


def _event_rrule(report: _Reporter, raw: Any, start: datetime, zone: ZoneInfo,
                 all_day: bool) -> str | None:
    """Check an `rrule:` value and return it as an RRULE value whose UNTIL is
    what RFC 5545 wants next to a DTSTART with TZID: UTC (a date for all-day)."""
    if not isinstance(raw, str) or not raw.strip():
        report(("rrule",), "rrule must be text, like FREQ=WEEKLY;BYDAY=TU")
        return None
    text = raw.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:].strip()
    if "\n" in text or ":" in text:
        report(("rrule",), "rrule holds one RRULE value (FREQ=…;…); put the start in `start` "
                           "and exceptions in `exdate`")
        return None
    text = text.upper().rstrip(";")
    match = RRULE_UNTIL.search(text)
    if match:
        until = parse_until(match.group(2), zone)
        if until is None:
            report(("rrule",), f"bad UNTIL {shown(match.group(2))} in rrule: use a date from "
                               f"{SUPPORTED}, like 20261231 or 20261231T235959Z")
            return None
        if all_day:
            value = until.astimezone(zone).strftime("%Y%m%d")
        else:
            value = until.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        text = text[:match.start(2)] + value + text[match.end(2):]
    if re.search(r"(^|;)FREQ=(SECONDLY|MINUTELY|HOURLY)(;|$)", text):
        report(("rrule",), "an event cannot repeat every second, minute or hour")
        return None
    try:
        rule = wall_clock_rule(text, start.replace(tzinfo=None), zone.key)
        first = rule.after(start.replace(tzinfo=None) - timedelta(microseconds=1), inc=True)
        year = list(islice(rule, MAX_PER_YEAR + 1))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as err:
        detail = str(err).strip("'\"") or type(err).__name__
        if isinstance(err, TypeError) and "freq" in detail:
            detail = "FREQ is missing"
        report(("rrule",), f"bad rrule {shown(raw)}: {detail}")
        return None
    if len(year) > MAX_PER_YEAR and year[-1] < start.replace(tzinfo=None) + timedelta(days=366):
        report(("rrule",), f"the rrule repeats the event more than {MAX_PER_YEAR} times in a "
                           "year; an event repeats at most about four times a day")
        return None
    if first != start.replace(tzinfo=None):
        report(("rrule",), f"start ({start:%a %Y-%m-%d}) is not one of the rrule's dates; "
                           "calendar apps disagree about such events, so start on the first "
                           "occurrence", "warning")
    return text


# --------------------------------------------------------------------------- campaigns


def load_campaigns(root: Path, site_tz: ZoneInfo) -> tuple[dict[str, Campaign], list[Diagnostic]]:
    """calendar/campaigns/**/*.md (sub-folders too) → campaigns by name (the file stem),
    sorted by name."""
    campaigns: dict[str, Campaign] = {}
    problems: list[Diagnostic] = []
    for relpath in markdown_files(root, CAMPAIGNS_DIR):
        doc, found = read(root, relpath)
        problems += found
        if doc is None or found:
            continue
        campaign, found = campaign_from_doc(doc, site_tz)
        problems += found
        if campaign is None:
            continue
        if campaign.name in campaigns:   # a post names a campaign by its stem: one file each
            problems.append(diagnostic(relpath, 1, 1, "error",
                                       f"campaign name '{campaign.name}' is also the name of "
                                       f"{campaigns[campaign.name].path}; rename one file",
                                       "campaign"))
            continue
        campaigns[campaign.name] = campaign
    return dict(sorted(campaigns.items())), problems


def campaign_from_doc(doc: SourceDoc, site_tz: ZoneInfo
                      ) -> tuple[Campaign | None, list[Diagnostic]]:
    report = _Reporter(doc, "campaign")
    meta = doc.meta
    report.unknown_keys(meta, CAMPAIGN_KEYS, only_typos=True)
    name = Path(doc.path).stem
    ok = True

    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        report(("title",), "a campaign needs a title")
        ok = False
    elif isinstance(title, (dict, list)):
        report(("title",), "title must be text")
        ok = False

    days: dict[str, date] = {}
    for key in ("start", "end"):
        if meta.get(key) is None:
            report((key,), f"a campaign needs {'a start' if key == 'start' else 'an end'} date, "
                   f"like {key}: 2026-03-01")
            ok = False
            continue
        value = _on_wall_clock(meta[key], site_tz)
        if value is None:
            report((key,), f"bad {key} {shown(meta[key])}: "
                           f"{date_problem(meta[key], 'use a date like 2026-03-01')}")
            ok = False
            continue
        days[key] = value.date() if isinstance(value, datetime) else value
    if ok and days["end"] < days["start"]:
        report(("end",), f"end ({days['end']}) is before start ({days['start']})")
        ok = False

    goal = meta.get("goal")
    if isinstance(goal, (dict, list)) or isinstance(goal, bool):
        report(("goal",), "goal must be a number or a short text")
        goal = None

    color = palette_color(name)
    if meta.get("color") is not None:
        raw = meta["color"]
        if isinstance(raw, str) and _COLOR.match(raw.strip()):
            color = _hex6(raw.strip())
        else:
            report(("color",), f"color must be a hex colour like #1d4ed8, not {shown(raw)} "
                               "(quote it: a bare # starts a YAML comment)")
    if not ok:
        return None, report.found
    return Campaign(name, str(title).strip(), days["start"], days["end"], goal, color, doc.body,
                    doc.path, meta), report.found
