"""The editorial calendar: every planned item, for managers and for the terminal.

Three layers, each usable alone:

- `agenda()` — the site model → `AgendaItem`s: hub posts (every status),
  channel posts at their scheduled time, event occurrences (recurring ones
  expanded), campaigns as date bands and blackouts as closed days, each with
  the diagnostics that concern it. Pure: no I/O, no clock.
- `plan_review()` — the items → the review site's outputs under `review/`:
  a month grid per month, a page per ISO week, the agenda, the problem list,
  `calendar.ics` and `robots.txt`. Rendering is the templates' job.
- `calendar_command` / `queue_command` — the same model printed in a terminal.

Statuses: a post is `draft`, `review`, `ready` or `published` (ready and its
date has come: it is on the hub). A channel post is `published` once it is
ready and its time has come (the scheduler sends what is due). An event is
`published` when it is ready: the hub lists every ready event at once.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_skeleton, get_day_names
from markupsafe import Markup, escape

from . import channel_text
from .assemble.site import Site
from .validate import site_diagnostics
from .diagnostics import LEVEL_RANK, Diagnostic
from .plan.outputs import Output

KINDS = ("campaign", "blackout", "event", "post", "channel-post")   # also the order within a moment
STATUSES = ("draft", "review", "ready", "published")
HUB_LANE = "hub"                  # the channel filter's value for hub posts …
EVENTS_LANE = "events"            # … and for events; "_hub", "_events" if a channel has the name
NO_CAMPAIGN = "none"              # the filter value of items outside every campaign
HUB_COLOR = "#2f6b3b"             # the theme's accent
EVENT_COLOR = "#0e7490"
BLACKOUT_COLOR = "#6b7280"
DEFAULT_DAYS_BEFORE = 7           # `hearth calendar` shows today − 7 days …
DEFAULT_DAYS_AFTER = 28           # … to today + 28 days
DEFAULT_LOCALE = "en"
HISTORY_DAYS = 7                  # the agenda shows days older than this as one-line rows
ICS_HISTORY_DAYS = 90             # calendar.ics: what ended longer ago than this is left out

LANE_ABBREVIATIONS = {"mastodon": "Mast", "bluesky": "Bsky", "x": "X", "threads": "Thr",
                      "linkedin": "in", "instagram": "IG", "facebook": "FB", "discord": "Disc",
                      "newsletter": "News", "post": "Hub", "event": "Event"}
STATUS_LABELS = {"draft": "Draft", "review": "In review", "ready": "Ready", "published": "Published"}
KIND_LABELS = {"post": "Hub post", "channel-post": "Channel post", "event": "Event",
               "campaign": "Campaign", "blackout": "Blackout"}
PLATFORM_LABELS = {"mastodon": "Mastodon", "bluesky": "Bluesky", "x": "X", "threads": "Threads",
                   "linkedin": "LinkedIn", "instagram": "Instagram", "facebook": "Facebook",
                   "discord": "Discord", "newsletter": "Newsletter"}


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class AgendaItem:
    """One thing on the editorial calendar."""

    key: str                          # stable and unique: an HTML id and the .ics UID's stem
    kind: str                         # one of KINDS
    title: str
    start: datetime | date            # aware, in the site zone; a date for all-day items
    end: datetime | date | None       # a date end is inclusive (campaigns, blackouts)
    channel: str | None               # the channel of a channel post
    lane: str | None                  # the channel filter's value: a channel, `hub`, `events`
    color: str                        # #rrggbb: the channel's, the campaign's, or the kind's
    status: str | None                # draft | review | ready | published; None for bands
    campaign: str | None
    source: str                       # the file it comes from, relative to the hub root
    url: str                          # where it lives or links to ('' when nowhere)
    first_day: date                   # the days it covers, in the site zone, inclusive
    last_day: date
    diagnostics: tuple[Diagnostic, ...] = ()
    channels: tuple[str, ...] = ()    # a blackout's channels; empty: every channel
    detail: str = ""                  # a blackout's reason, an event's place, a campaign's goal
    channel_post: Any = field(default=None, compare=False, repr=False)   # assemble.channel_posts.ChannelPost
    post: Any = field(default=None, compare=False, repr=False)           # model.Post
    event: Any = field(default=None, compare=False, repr=False)          # calendar.Event

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def level(self) -> str | None:
        """The worst level among its diagnostics."""
        if not self.diagnostics:
            return None
        return max((d.level for d in self.diagnostics), key=LEVEL_RANK.__getitem__)

    def concerns(self, channel: str) -> bool:
        """Shown when the agenda is narrowed to `channel`."""
        if self.kind == "blackout":
            return not self.channels or channel in self.channels
        return self.lane == channel

    def overlaps(self, first: date | None, last: date | None) -> bool:
        return (first is None or self.last_day >= first) and (last is None or self.first_day <= last)


def agenda(site: Site, start: date | None = None, end: date | None = None,
           channel: str | None = None,
           diagnostics: Sequence[Diagnostic] | None = None) -> list[AgendaItem]:
    """Every item overlapping the days `start`..`end` (inclusive, site zone), in time order.

    Without bounds, the review window (`review_window`) bounds recurring
    events; everything else is listed whatever its date. `channel` keeps the
    channel's posts and the blackouts that close it (`hub` and `events` name
    hub posts and events).
    """
    problems = site_diagnostics(site) if diagnostics is None else list(diagnostics)
    first, last = review_window(site)
    expand_from = start or first
    expand_to = end or last
    items = _collect(site, expand_from, expand_to, problems)
    chosen = [i for i in items if i.overlaps(start, end) and (channel is None or i.concerns(channel))]
    return sorted(chosen, key=lambda i: _sort_key(i, site))


def _sort_key(item: AgendaItem, site: Site) -> tuple:
    zone = site.settings.site.zone
    moment = item.start if isinstance(item.start, datetime) else datetime.combine(item.start, time(), zone)
    return (moment.astimezone(UTC), KINDS.index(item.kind), item.lane or "",
            item.title.casefold(), item.key)


REVIEW_PAST_WEEKS = 13   # one quarter of history; older items are the report's business


def review_window(site: Site) -> tuple[date, date]:
    """The first and last day of the review site: from the earliest item to the
    latest, always including today, and at most one quarter back: managers
    plan forward, and a hub with years of posts would otherwise carry years of
    weekly pages. Recurring events are shown inside it but never stretch it:
    a weekly call that began years ago, or never ends, would otherwise fill
    hundreds of empty weeks."""
    zone = site.settings.site.zone
    days = [site.now.astimezone(zone).date()]
    calendar = site.calendar
    days += [p.date.astimezone(zone).date() for p in site.posts if p.date is not None]
    if calendar is not None:
        days += [cp.at.astimezone(zone).date() for cp in calendar.channel_posts if cp.at is not None]
        for campaign in calendar.campaigns.values():
            days += [campaign.start, campaign.end]
        for blackout in calendar.channels.blackouts:
            days += [blackout.start, blackout.end]
        for event in calendar.events:
            if not event.rrule:
                days.append(event.start.astimezone(zone).date())
                days.append((event.end - timedelta(microseconds=1)).astimezone(zone).date())
    today = days[0]
    return max(min(days), today - timedelta(weeks=REVIEW_PAST_WEEKS)), max(days)


# --------------------------------------------------------------------------- collecting items


def _collect(site: Site, first: date, last: date, problems: list[Diagnostic]) -> list[AgendaItem]:
    zone = site.settings.site.zone
    base_url = site.settings.site.base_url
    now = site.now
    calendar = site.calendar
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in problems:
        by_path[d.path].append(d)
    campaigns = calendar.campaigns if calendar is not None else site.sources.campaigns
    items: list[AgendaItem] = []
    hub_lane, events_lane = pseudo_lanes(site)

    channel_posts: dict[str, list[Any]] = defaultdict(list)
    if calendar is not None:
        for cp in calendar.channel_posts:
            channel_posts[cp.post.path].append(cp)

    for post in site.posts:
        if post.date is None:
            continue
        own, per_channel = _split_post_diagnostics(post, by_path.get(post.path, []),
                                                   {cp.channel.name for cp in channel_posts[post.path]})
        day = post.date.astimezone(zone)
        items.append(AgendaItem(
            key=f"post.{post.slug}", kind="post", title=post.title, start=day, end=None,
            channel=None, lane=hub_lane, color=HUB_COLOR, status=_status(post.status, post.date, now),
            campaign=post.campaign, source=post.path, url=site.absolute_url(post),
            first_day=day.date(), last_day=day.date(), diagnostics=tuple(own), post=post))
        for cp in channel_posts[post.path]:
            if cp.at is None:
                continue                       # not placed: its error is in the problem list
            at = cp.at.astimezone(zone)
            items.append(AgendaItem(
                key=f"channel.{cp.channel.name}.{post.slug}", kind="channel-post",
                title=post.title, start=at, end=None, channel=cp.channel.name, lane=cp.channel.name, color=cp.channel.color,
                status=_status(post.status, cp.at, now), campaign=post.campaign, source=post.path,
                url=cp.url, first_day=at.date(), last_day=at.date(),
                diagnostics=tuple(per_channel.get(cp.channel.name, ())), channel_post=cp, post=post))

    if calendar is None:
        return items

    lo = datetime.combine(first, time(), zone)
    hi = datetime.combine(last + timedelta(days=1), time(), zone)
    for event in calendar.events:
        own = tuple(by_path.get(event.path, ()))
        status = "published" if event.status == "ready" else event.status
        place = event.location or ("Online" if event.online else "")
        for start, end in event.occurrences(lo, hi):
            if event.all_day:
                begin: datetime | date = start.date()
                finish: datetime | date = (end - timedelta(days=1)).date()
                first_day, last_day = begin, max(begin, finish)  # type: ignore[type-var]
            else:
                begin, finish = start.astimezone(zone), end.astimezone(zone)
                first_day = begin.date()
                last_day = max(first_day, (finish - timedelta(microseconds=1)).date())
            stamp = start.astimezone(event.timezone).strftime("%Y%m%dT%H%M")
            items.append(AgendaItem(
                key=f"event.{event.slug}.{stamp}", kind="event", title=event.title, start=begin,
                end=finish, channel=None, lane=events_lane, color=EVENT_COLOR, status=status,
                campaign=_text_or_none(event.meta.get("campaign")), source=event.path,
                url=f"{base_url}events/{event.slug}/", first_day=first_day, last_day=last_day,
                diagnostics=own, detail=place, event=event))

    for name, campaign in sorted(campaigns.items(), key=lambda kv: (kv[1].start, kv[0])):
        goal = f"Goal: {campaign.goal}" if campaign.goal not in (None, "") else ""
        items.append(AgendaItem(
            key=f"campaign.{name}", kind="campaign", title=campaign.title, start=campaign.start,
            end=campaign.end, channel=None, lane=None, color=campaign.color, status=None, campaign=name,
            source=campaign.path, url="", first_day=campaign.start, last_day=campaign.end,
            diagnostics=tuple(by_path.get(campaign.path, ())), detail=goal))

    blackouts = sorted(calendar.channels.blackouts, key=lambda b: b.line)
    channels_file = calendar.channels.path
    for index, blackout in enumerate(blackouts):
        next_line = blackouts[index + 1].line if index + 1 < len(blackouts) else None
        own = tuple(d for d in by_path.get(channels_file, ())
                    if d.line >= blackout.line and (next_line is None or d.line < next_line))
        names = tuple(sorted(blackout.channels)) if blackout.channels else ()
        items.append(AgendaItem(
            key=f"blackout.{blackout.start.isoformat()}.{index + 1}", kind="blackout",
            title=blackout.reason or "Blackout", start=blackout.start, end=blackout.end,
            channel=None, lane=None, color=BLACKOUT_COLOR, status=None, campaign=None, source=channels_file,
            url="", first_day=blackout.start, last_day=blackout.end, diagnostics=own,
            channels=names, detail=blackout.reason))
    return items


def pseudo_lanes(site: Site) -> tuple[str, str]:
    """The channel filter's values for hub posts and events: `hub` and `events`,
    unless a channel already has the name (channel names never start with `_`)."""
    names = set(site.calendar.channels.names) if site.calendar is not None else set()
    return tuple(name if name not in names else f"_{name}"  # type: ignore[return-value]
                 for name in (HUB_LANE, EVENTS_LANE))


def _status(status: str, moment: datetime | None, now: datetime) -> str:
    if status == "ready" and moment is not None and moment <= now:
        return "published"
    return status


def _text_or_none(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


# --------------------------------------------------------------------------- which item a problem concerns


def channel_spans(post: Any) -> dict[str, tuple[int, int]]:
    """channel name → the first and last file line of its entry under `channels:`."""
    doc = post.doc
    root = doc.node
    if root is None or not hasattr(root, "value") or not isinstance(root.value, list):
        return {}
    channels = next((v for k, v in root.value if getattr(k, "value", None) == "channels"), None)
    if channels is None or not isinstance(getattr(channels, "value", None), list):
        return {}
    entries = [(k, v) for k, v in channels.value if isinstance(getattr(k, "value", None), str)]
    spans = {}
    for index, (key, value) in enumerate(entries):
        end = value.end_mark            # often the start of what follows: not part of the entry
        last = end.line - 1 if end.column == 0 or index + 1 < len(entries) and \
            end.line >= entries[index + 1][0].start_mark.line else end.line
        if index + 1 < len(entries):
            last = min(last, entries[index + 1][0].start_mark.line - 1)
        last = max(last, key.start_mark.line)
        spans[key.value] = (doc.front_matter_line + key.start_mark.line,
                            doc.front_matter_line + last)
    return spans


def _message_channel(message: str, names: Iterable[str]) -> str | None:
    """The channel a schedule or limit message starts with (the fallback when
    the front matter's lines are unknown): `mastodon post at …`, `x: …`."""
    for name in sorted(names, key=len, reverse=True):
        pattern = (rf"^(?:the same )?{re.escape(name)}(?: post at | text |: | is silent | already has"
                   rf" | is listed twice)|^no free {re.escape(name)} slot")
        if re.match(pattern, message):
            return name
    return None


def _split_post_diagnostics(post: Any, found: list[Diagnostic], names: set[str]
                            ) -> tuple[list[Diagnostic], dict[str, list[Diagnostic]]]:
    """A post's diagnostics: those on a channel's entry go to that channel post
    (a limit, a schedule warning, a style rule on the channel text), the rest
    to the hub post. A diagnostic belongs to exactly one item."""
    spans = {n: s for n, s in channel_spans(post).items() if n in names}
    own: list[Diagnostic] = []
    per_channel: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in found:
        name = next((n for n, (a, b) in spans.items() if a <= d.line <= b), None)
        if name is None and not spans:
            name = _message_channel(d.message, names)
        if name is None:
            own.append(d)
        else:
            per_channel[name].append(d)
    return own, per_channel


@dataclass(frozen=True)
class ReviewProblem:
    """A diagnostic and the calendar items it is shown beside (maybe none)."""

    diagnostic: Diagnostic
    items: tuple[AgendaItem, ...]


def problem_summary(diagnostics: Sequence[Diagnostic], items: Sequence[AgendaItem]) -> list[ReviewProblem]:
    """Every diagnostic, worst first, then by file and line; each with its items."""
    where: dict[Diagnostic, list[AgendaItem]] = defaultdict(list)
    for item in items:
        for d in item.diagnostics:
            if item not in where[d]:
                where[d].append(item)
    ordered = sorted(set(diagnostics), key=lambda d: (-LEVEL_RANK[d.level], d.sort_key))
    return [ReviewProblem(d, tuple(where.get(d, ()))) for d in ordered]


def level_counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    counts = Counter(d.level for d in diagnostics)
    return {level: counts.get(level, 0) for level in ("error", "warning", "suggestion")}


# --------------------------------------------------------------------------- views for templates


def _locale(site: Site) -> str:
    return site.settings.site.language or DEFAULT_LOCALE


def _safe_locale(lang: str):
    import babel

    try:
        return babel.Locale.parse(lang.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse(DEFAULT_LOCALE)


class _Labels:
    """Localized dates, through Babel, cached per value (a month page asks often)."""

    def __init__(self, lang: str):
        self.locale = _safe_locale(lang)
        self._cache: dict[tuple, str] = {}

    def _get(self, key: tuple, make) -> str:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def day(self, d: date) -> str:            # "Mon, Nov 16"
        return self._get(("day", d), lambda: format_skeleton("MMMEd", d, locale=self.locale))

    def day_full(self, d: date) -> str:       # "Monday, November 16, 2026"
        return self._get(("full", d), lambda: format_date(d, "full", locale=self.locale))

    def day_short(self, d: date) -> str:      # "Nov 16"
        return self._get(("short", d), lambda: format_skeleton("MMMd", d, locale=self.locale))

    def month(self, d: date) -> str:          # "November 2026", "Novembre 2026": a heading
        def make() -> str:
            text = format_skeleton("yMMMM", d, locale=self.locale)
            return text[:1].upper() + text[1:]
        return self._get(("month", d.year, d.month), make)

    def time(self, moment: datetime) -> str:  # "09:30", "9:30" (a planner reads 24-hour clocks)
        return self._get(("time", moment.hour, moment.minute),
                         lambda: format_skeleton("Hm", moment, locale=self.locale))

    def weekdays(self, width: str = "abbreviated") -> list[str]:
        names = get_day_names(width, locale=self.locale)
        return [names[i] for i in range(7)]

    def span(self, first: date, last: date) -> str:
        if first == last:
            return self.day(first)
        return f"{self.day_short(first)} – {self.day_short(last)}"


def rich_text(text: str, kind: str) -> Markup:
    """A channel text as the platform shows it: links, #hashtags and @mentions
    styled, line breaks kept, long URLs shortened where the platform does."""
    urls = channel_text.link_spans(text)          # the same URLs the counter counts
    marks: list[tuple[int, int, str]] = [(s, e, "url") for s, e in urls]
    marks += [(m.start(), m.end(), "tag") for m in channel_text.hashtag_matches(text)]
    marks += [(m.start(), m.end(), "mention") for m in channel_text.mention_matches(text, urls)]
    marks.sort()
    out: list[str] = []
    pos = 0
    for start, end, what in marks:
        if start < pos:
            continue
        out.append(str(_plain(text[pos:start], kind)))
        piece = text[start:end]
        if what == "url":
            out.append(f'<a class="pv-link" href="{escape(piece)}" rel="nofollow noopener">'
                       f"{escape(_display_url(piece, kind))}</a>")
        else:
            out.append(f'<span class="pv-{what}">{escape(piece)}</span>')
        pos = end
    out.append(str(_plain(text[pos:], kind)))
    return Markup("".join(out))


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SHORTCODE = re.compile(r":([a-z0-9_+-]+):")
# The shortcodes writers use most in announcements; Discord and Slack show them as emoji.
SHORTCODES = {"snowflake": "❄️", "tada": "🎉", "seedling": "🌱", "sunflower": "🌻", "calendar": "📆",
              "date": "📅", "sparkles": "✨", "wave": "👋", "point_right": "👉", "heart": "❤️",
              "star": "⭐", "rocket": "🚀", "white_check_mark": "✅", "warning": "⚠️", "mega": "📣",
              "loudspeaker": "📢", "pushpin": "📌", "link": "🔗", "camera": "📷", "herb": "🌿",
              "evergreen_tree": "🌲", "tomato": "🍅", "raised_hands": "🙌", "clap": "👏"}


def _plain(text: str, kind: str) -> Markup:
    html = str(escape(text))
    if kind == "discord":                         # Discord renders its Markdown and shortcodes
        html = _BOLD.sub(r"<strong>\1</strong>", html)
        html = _SHORTCODE.sub(lambda m: SHORTCODES.get(m.group(1), m.group(0)), html)
    return Markup(html)


def _excerpt(text: str, kind: str) -> str:
    """The text as plain words for a week card: markup and shortcodes resolved."""
    if kind == "discord":
        text = _SHORTCODE.sub(lambda m: SHORTCODES.get(m.group(1), m.group(0)), _BOLD.sub(r"\1", text))
    return " ".join(text.split())


def _display_url(url: str, kind: str) -> str:
    if kind not in ("mastodon", "x", "bluesky", "threads"):
        return url
    shown = re.sub(r"^https?://(www\.)?", "", url)
    return shown if len(shown) <= 30 else shown[:29] + "…"


def _handle(title: str) -> str:
    return "@" + (re.sub(r"[^0-9a-z]+", "", title.casefold()) or "community")


class _Views:
    """Turns items into the dicts templates read; one per item, shared by every page."""

    def __init__(self, site: Site, items: Sequence[AgendaItem]):
        self.site = site
        self.labels = _Labels(_locale(site))
        calendar = site.calendar
        self.campaigns = dict(calendar.campaigns) if calendar is not None else {}
        self.media = set(site.sources.media)
        self.used_media: set[str] = set()
        self.views = {item.key: self._view(item) for item in items}

    def __getitem__(self, item: AgendaItem) -> dict[str, Any]:
        return self.views[item.key]

    def _view(self, item: AgendaItem) -> dict[str, Any]:
        labels = self.labels
        campaign = self.campaigns.get(item.campaign) if item.campaign else None
        if isinstance(item.start, datetime):
            time_label = labels.time(item.start)
            if isinstance(item.end, datetime) and item.end > item.start:
                time_label += f"–{labels.time(item.end)}"
        else:
            time_label = "All day"
        counts = level_counts(item.diagnostics)
        view: dict[str, Any] = {
            "key": item.key, "kind": item.kind, "kind_label": KIND_LABELS[item.kind],
            "title": item.title, "lane": item.lane or "", "lane_label": self.lane_label(item),
            "lane_abbr": self.lane_abbr(item),
            "color": item.color, "status": item.status or "",
            "status_label": STATUS_LABELS.get(item.status or "", ""),
            "campaign": item.campaign or "", "campaign_title": campaign.title if campaign else "",
            "campaign_color": campaign.color if campaign else "",
            "source": item.source, "url": item.url, "start_iso": item.start.isoformat(),
            "date_label": labels.day(item.first_day), "date_full": labels.day_full(item.first_day),
            "span_label": labels.span(item.first_day, item.last_day),
            "time_label": time_label, "all_day": item.all_day,
            "first_day": item.first_day.isoformat(), "last_day": item.last_day.isoformat(),
            "days": (item.last_day - item.first_day).days + 1,
            "detail": item.detail, "channels": list(item.channels),
            "problems": [_problem_view(d) for d in sorted(item.diagnostics,
                                                          key=lambda d: (-LEVEL_RANK[d.level], d.sort_key))],
            "counts": counts, "level": item.level or "",
            "problem_label": count_label(counts),
            "preview": self._preview(item) if item.kind == "channel-post" else None,
            "thumb": None, "summary": "", "event": None, "members": 0,
        }
        if item.post is not None and item.kind == "post":
            view["summary"] = self.site.summary(item.post)
            image = item.post.image
            if image is not None and image.path in self.media:
                self.used_media.add(image.path)
                view["thumb"] = {"path": image.path, "alt": image.alt or ""}
        if item.event is not None:
            event = item.event
            view["event"] = {"location": event.location or "", "online": event.online or "",
                             "rsvp": event.rsvp or "", "recurring": bool(event.rrule),
                             "timezone": str(event.timezone)}
        return view

    def lane_label(self, item: AgendaItem) -> str:
        if item.kind == "channel-post":
            return item.channel or ""
        if item.kind == "blackout":
            return ", ".join(item.channels) if item.channels else "all channels"
        return {"post": "hub", "event": "event", "campaign": "campaign"}[item.kind]

    def lane_abbr(self, item: AgendaItem) -> str:
        """A few letters naming the channel on a chip, so colour is never the only clue."""
        if item.kind == "channel-post" and item.channel_post is not None:
            channel = item.channel_post.channel
            if channel.name == channel.kind:
                return LANE_ABBREVIATIONS.get(channel.kind, channel.name[:4])
            return channel.name[:6]
        return LANE_ABBREVIATIONS.get(item.kind, "")

    def _preview(self, item: AgendaItem) -> dict[str, Any]:
        cp = item.channel_post
        kind = cp.channel.kind
        media = []
        for ref in cp.media:
            present = ref.path in self.media
            if present:
                self.used_media.add(ref.path)
            media.append({"path": ref.path if present else "", "alt": ref.alt or "",
                          "missing_alt": not (ref.alt or "").strip()})
        limit = cp.limit
        over = limit is not None and cp.count > limit
        site_title = self.site.settings.site.title
        return {
            "kind": kind, "platform": PLATFORM_LABELS.get(kind, kind.title()),
            "named": cp.channel.name != kind,      # a second Mastodon account, say: show its name
            "name": site_title, "handle": _handle(site_title), "initial": (site_title[:1] or "H").upper(),
            "html": rich_text(cp.text, kind), "text": cp.text, "media": media,
            "excerpt": _excerpt(cp.text, kind),
            "count": cp.count, "limit": limit, "unit": cp.unit, "over": over,
            "over_by": cp.count - limit if over and limit is not None else 0,
            "percent": min(100, round(100 * cp.count / limit)) if limit else 0,
            "near": bool(limit) and not over and cp.count >= 0.9 * limit,  # type: ignore[operator]
            "when": f"{self.labels.day(item.first_day)} · {self.labels.time(item.start)}"  # type: ignore[arg-type]
            if isinstance(item.start, datetime) else "",
            "id": cp.id,
        }


def _problem_view(d: Diagnostic) -> dict[str, Any]:
    return {"level": d.level, "rule": d.rule, "message": d.message, "path": d.path,
            "line": d.line, "column": d.column, "where": f"{d.path}:{d.line}:{d.column}",
            "text": d.as_text()}


def count_label(counts: dict[str, int]) -> str:
    parts = []
    for level in ("error", "warning", "suggestion"):
        n = counts.get(level, 0)
        if n:
            parts.append(f"{n} {level}{'' if n == 1 else 's'}")
    return ", ".join(parts)


# --------------------------------------------------------------------------- pages


def _month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _week_key(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _months(first: date, last: date) -> list[date]:
    months, d = [], first.replace(day=1)
    while d <= last:
        months.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    return months


def _weeks(first: date, last: date) -> list[date]:
    weeks, d = [], _monday(first)
    while d <= last:
        weeks.append(d)
        d += timedelta(days=7)
    return weeks


class _Pages:
    """The review site's page contexts: pure data, rendered by templates/review/*."""

    def __init__(self, site: Site, items: list[AgendaItem], diagnostics: list[Diagnostic]):
        self.site = site
        self.items = items
        self.views = _Views(site, items)
        self.labels = self.views.labels
        self.zone = site.settings.site.zone
        self.today = site.now.astimezone(self.zone).date()
        self.first, self.last = review_window(site)
        self.months = _months(self.first, self.last)
        self.weeks = _weeks(self.first, self.last)
        self.month_keys = {_month_key(m) for m in self.months}
        self.week_keys = {_week_key(w) for w in self.weeks}
        self.problems = problem_summary(diagnostics, items)
        self.counts = level_counts(diagnostics)
        self.by_day: dict[date, list[AgendaItem]] = defaultdict(list)   # chips: posts, channel posts, events
        self.bands = [i for i in items if i.kind == "campaign"]
        self.blackouts = [i for i in items if i.kind == "blackout"]
        for item in items:
            if item.kind in ("post", "channel-post", "event"):
                self.by_day[item.first_day].append(item)
        self.spans = [i for i in items if i.kind in ("campaign", "blackout")]   # in time order
        self.listed = self.by_day            # the same items, day by day, for the lists
        in_campaign = Counter(i.campaign for i in items if i.kind != "campaign" and i.campaign)
        for band in self.bands:
            self.views[band]["members"] = in_campaign.get(band.campaign, 0)
        self.filters = self._filters()
        self.has_report = importlib.util.find_spec("hearth.report") is not None   # review/report/

    # ---- shared

    def _filters(self) -> dict[str, list[dict[str, Any]]]:
        """The filter groups with how many items each value has."""
        calendar = self.site.calendar
        hub_lane, events_lane = pseudo_lanes(self.site)
        lanes = [{"value": hub_lane, "label": "Hub posts", "color": HUB_COLOR}]
        if calendar is not None:
            lanes += [{"value": c.name, "label": c.name, "color": c.color}
                      for c in calendar.channels if c.kind != "newsletter"]
        lanes.append({"value": events_lane, "label": "Events", "color": EVENT_COLOR})
        tally = Counter(i.lane for i in self.items if i.lane)
        for lane in lanes:
            lane["count"] = tally.get(lane["value"], 0)
        status_tally = Counter(i.status for i in self.items if i.status)
        statuses = [{"value": v, "label": STATUS_LABELS[v], "color": "", "count": status_tally.get(v, 0)}
                    for v in STATUSES]
        campaign_tally = Counter(i.campaign for i in self.items if i.kind != "campaign")
        campaigns = [{"value": c.campaign, "label": c.title, "color": c.color,
                      "count": campaign_tally.get(c.campaign, 0)}
                     for c in sorted(self.bands, key=lambda b: (b.first_day, b.title))]
        campaigns.append({"value": NO_CAMPAIGN, "label": "No campaign", "color": "",
                          "count": campaign_tally.get(None, 0)})
        return {"channel": lanes, "status": statuses, "campaign": campaigns}

    def common(self, root: str, page: str, title: str) -> dict[str, Any]:
        s = self.site.settings.site
        now = self.site.now.astimezone(self.zone)
        return {
            "lang": s.language, "root": root, "page": page, "title": title,
            "site": {"title": s.title, "base_url": s.base_url, "timezone": s.timezone},
            "now": now, "generated": f"{self.labels.day(self.today)}, {self.labels.time(now)}",
            "today_month": _month_key(self.today), "today_week": _week_key(self.today),
            "filters": self.filters, "counts": self.counts, "problem_total": sum(self.counts.values()),
            "has_report": self.has_report,
        }

    def _details(self, first: date, last: date, compact_before: date | None = None) -> list[dict[str, Any]]:
        """The items of [first, last] grouped by day: the list under a grid, the agenda.
        A campaign or blackout begun earlier opens the period. Days before
        `compact_before` are marked compact: history, shown as rows."""
        days: dict[date, list[dict]] = defaultdict(list)
        for band in self.spans:
            if band.last_day >= first and band.first_day <= last:
                days[max(band.first_day, first)].append(self.views[band])
        day = first
        while day <= last:
            if day in self.listed:
                days[day] += [self.views[i] for i in self.listed[day]]
            day += timedelta(days=1)
        return [{"date": d.isoformat(), "label": self.labels.day_full(d), "today": d == self.today,
                 "compact": compact_before is not None and d < compact_before, "month": _month_key(d),
                 "items": days[d]} for d in sorted(days)]

    def _day_cell(self, d: date, in_period: bool) -> dict[str, Any]:
        closed = [{"reason": b.detail or "Blackout", "channels": list(b.channels),
                   "label": ", ".join(b.channels) if b.channels else "all channels", "key": b.key}
                  for b in self.blackouts if b.first_day <= d <= b.last_day]
        return {"date": d.isoformat(), "number": d.day, "label": self.labels.day_full(d),
                "short": self.labels.day(d), "in_period": in_period, "today": d == self.today,
                "past": d < self.today, "weekend": d.weekday() >= 5, "blackouts": closed,
                "items": [self.views[i] for i in self.by_day.get(d, ())],
                "month": _month_key(d) if _month_key(d) in self.month_keys else None}

    def _week_bands(self, monday: date) -> tuple[list[dict[str, Any]], int]:
        """Campaign bands crossing a week: (bands with their lane and columns, lanes)."""
        sunday = monday + timedelta(days=6)
        lanes_end: list[date] = []
        bands = []
        for band in sorted(self.bands, key=lambda b: (b.first_day, b.title)):
            if band.last_day < monday or band.first_day > sunday:
                continue
            start, end = max(band.first_day, monday), min(band.last_day, sunday)
            lane = next((n for n, busy in enumerate(lanes_end) if busy < start), None)
            if lane is None:
                lane = len(lanes_end)
                lanes_end.append(end)
            else:
                lanes_end[lane] = end
            view = self.views[band]
            bands.append({**view, "lane": lane, "col_start": (start - monday).days + 1,
                          "col_end": (end - monday).days + 2,
                          "continues_before": band.first_day < monday,
                          "continues_after": band.last_day > sunday})
        return bands, len(lanes_end)

    def _week_row(self, monday: date, in_period) -> dict[str, Any]:
        bands, lanes = self._week_bands(monday)
        days = [self._day_cell(monday + timedelta(days=n), in_period(monday + timedelta(days=n)))
                for n in range(7)]
        key = _week_key(monday)
        return {"key": key, "number": monday.isocalendar()[1], "days": days, "bands": bands,
                "lanes": lanes, "url": f"week/{key}/" if key in self.week_keys else None}

    # ---- pages

    def month(self, first_day: date, root: str) -> dict[str, Any]:
        last_day = (first_day + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        weeks = [self._week_row(m, lambda d: d.month == first_day.month)
                 for m in _weeks(first_day, last_day)]
        prev_month = (first_day - timedelta(days=1)).replace(day=1)
        next_month = last_day + timedelta(days=1)
        title = self.labels.month(first_day)
        context = self.common(root, "month", title)
        context.update({
            "month": {"key": _month_key(first_day), "title": title, "weeks": weeks,
                      "prev": _month_key(prev_month) if _month_key(prev_month) in self.month_keys else None,
                      "next": _month_key(next_month) if _month_key(next_month) in self.month_keys else None,
                      "prev_label": self.labels.month(prev_month), "next_label": self.labels.month(next_month),
                      "week": _week_key(self.today if first_day <= self.today <= last_day else first_day)},
            "weekdays": self.labels.weekdays("abbreviated"), "weekdays_long": self.labels.weekdays("wide"),
            "details": self._details(first_day, last_day),
        })
        return context

    def week(self, monday: date, root: str) -> dict[str, Any]:
        sunday = monday + timedelta(days=6)
        row = self._week_row(monday, lambda d: True)
        previous, following = _week_key(monday - timedelta(days=7)), _week_key(monday + timedelta(days=7))
        title = f"Week {row['number']} · {self.labels.span(monday, sunday)}, {sunday.year}"
        context = self.common(root, "week", title)
        context.update({
            "week": {**row, "title": title, "month": _month_key(monday),
                     "prev": previous if previous in self.week_keys else None,
                     "next": following if following in self.week_keys else None},
            "weekdays": self.labels.weekdays("abbreviated"),
            "details": self._details(monday, sunday),
        })
        return context

    def agenda(self, root: str) -> dict[str, Any]:
        context = self.common(root, "agenda", "Agenda")
        months = []
        for first_day in self.months:
            last_day = (first_day + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            days = self._details(first_day, last_day, self.today - timedelta(days=HISTORY_DAYS))
            if days:
                months.append({"key": _month_key(first_day), "title": self.labels.month(first_day),
                               "days": days})
        context["months"] = months
        upcoming = [day["date"] for month in months for day in month["days"]
                    if day["date"] >= self.today.isoformat()]
        context["today_anchor"] = f"day-{upcoming[0]}" if upcoming else ""
        return context

    def problems_page(self, root: str) -> dict[str, Any]:
        context = self.common(root, "problems", "Problems")
        rows = []
        for problem in self.problems:
            d = problem.diagnostic
            rows.append({**_problem_view(d), "items": [
                {"key": i.key, "title": i.title, "lane": self.views[i]["lane_label"],
                 "date": self.views[i]["date_label"], "month": _month_key(i.first_day),
                 "status": i.status or "", "kind": i.kind} for i in problem.items]})
        context["problems"] = rows
        return context


def plan_review(site: Site) -> list[Output]:
    """review/: a month grid per month, a page per week, the agenda, the
    problem list, calendar.ics, robots.txt, the assets and the media it shows."""
    diagnostics = site_diagnostics(site)
    items = agenda(site, diagnostics=diagnostics)
    pages = _Pages(site, items, diagnostics)
    deps = frozenset({"*"})
    outputs: list[Output] = []
    current = pages.today.replace(day=1)
    outputs.append(Output("review/index.html", "review/month.html", pages.month(current, ""), deps=deps))
    for first_day in pages.months:
        key = _month_key(first_day)
        outputs.append(Output(f"review/{key}/index.html", "review/month.html",
                              pages.month(first_day, "../"), deps=deps))
    for monday in pages.weeks:
        key = _week_key(monday)
        outputs.append(Output(f"review/week/{key}/index.html", "review/week.html",
                              pages.week(monday, "../../"), deps=deps))
    outputs.append(Output("review/agenda/index.html", "review/agenda.html", pages.agenda("../"), deps=deps))
    outputs.append(Output("review/problems/index.html", "review/problems.html",
                          pages.problems_page("../"), deps=deps))
    since = pages.today - timedelta(days=ICS_HISTORY_DAYS)
    recent = [i for i in items if i.last_day >= since]
    outputs.append(Output("review/calendar.ics", data=lambda: review_ics(site, recent), deps=deps))
    outputs.append(Output("review/robots.txt", data=b"User-agent: *\nDisallow: /\n", deps=deps))
    outputs += _assets(site)
    content = site.settings.root / "content"
    outputs += [Output(f"review/{rel}", copy_from=content / rel, deps=frozenset({f"content/{rel}"}))
                for rel in sorted(pages.views.used_media)]
    return outputs


# The review's own stylesheet and script live in templates/review/assets/, not in
# templates/assets/: those are the hub's and are copied to dist/hub/, which must
# hold nothing of the review. The logo and icon are the hub's.
REVIEW_ASSETS = (("review/assets/review.css", "review.css"), ("review/assets/review.js", "review.js"),
                 ("assets/logo.svg", "logo.svg"), ("assets/favicon.svg", "favicon.svg"))


def _assets(site: Site) -> list[Output]:
    """review/assets/: a hub's own templates/ wins over the built-in theme, file by file."""
    from .theme import builtin_templates

    outputs = []
    for source, name in REVIEW_ASSETS:
        for base in (site.settings.root / "templates", builtin_templates()):
            path = base / source
            if path.is_file():
                outputs.append(Output(f"review/assets/{name}", copy_from=path,
                                      deps=frozenset({f"templates/{source}"})))
                break
    return outputs


# --------------------------------------------------------------------------- calendar.ics


def review_ics(site: Site, items: Sequence[AgendaItem]) -> bytes:
    """The managers' calendar.ics of `items` (the review site gives it what ended at
    most ICS_HISTORY_DAYS ago and everything planned: a subscription stays light).
    UIDs come from the item keys, DTSTAMP from the input."""
    from .ics import CalendarEntry, host_of, review_calendar

    host = host_of(site.settings.site.base_url)
    entries = []
    for item in items:
        summary = {"channel-post": f"[{item.channel}] {item.title}", "post": f"Post: {item.title}",
                   "campaign": f"Campaign: {item.title}", "blackout": f"Blackout: {item.title}",
                   "event": item.title}[item.kind]
        lines = []
        if item.status:
            lines.append(f"Status: {STATUS_LABELS[item.status]}")
        if item.campaign and item.kind != "campaign":
            lines.append(f"Campaign: {item.campaign}")
        if item.channel_post is not None:
            lines.append(item.channel_post.text)
        if item.kind == "blackout":
            lines.append("Channels: " + (", ".join(item.channels) if item.channels else "all"))
        if item.detail and item.kind != "blackout":
            lines.append(item.detail)
        lines.append(f"Source: {item.source}")
        lines += [d.as_text() for d in item.diagnostics]
        categories = tuple(dict.fromkeys(c for c in (item.kind, item.lane, item.campaign) if c))
        entries.append(CalendarEntry(
            uid=f"{item.key}@{host}", summary=summary, start=item.start, end=item.end,
            description="\n\n".join(lines), url=item.url, categories=categories,
            status=item.status, location=item.detail if item.kind == "event" else "",
            stamp=_stamp(item)))
    return review_calendar(entries, f"{site.settings.site.title} · editorial calendar")


def _stamp(item: AgendaItem) -> datetime | date:
    """DTSTAMP from the input: a file's `updated`, else the item's own date."""
    updated = item.event.updated if item.event is not None else None
    if updated is None and item.post is not None:
        raw = item.post.doc.meta.get("updated")
        updated = raw if isinstance(raw, datetime) and raw.tzinfo else None
    if updated is not None:
        return updated
    if item.post is not None and item.post.date is not None:
        return item.post.date
    if item.event is not None:
        return item.event.start
    return item.start


# --------------------------------------------------------------------------- the terminal


def json_item(item: AgendaItem) -> dict[str, Any]:
    cp = item.channel_post
    return {
        "key": item.key, "kind": item.kind, "title": item.title,
        "start": item.start.isoformat(), "end": item.end.isoformat() if item.end else None,
        "all_day": item.all_day, "channel": item.lane, "status": item.status,
        "campaign": item.campaign, "source": item.source, "url": item.url or None,
        "color": item.color, "detail": item.detail or None,
        "channels": list(item.channels) if item.kind == "blackout" else None,
        "text": cp.text if cp is not None else None,
        "count": cp.count if cp is not None else None,
        "limit": cp.limit if cp is not None else None,
        "unit": cp.unit if cp is not None else None,
        "problems": [{"path": d.path, "line": d.line, "column": d.column, "level": d.level,
                      "rule": d.rule, "message": d.message} for d in item.diagnostics],
    }


def one_line(text: str) -> str:
    return " ".join(text.split())


def _fit(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return text[: max(1, width - 1)] + "…"


def terminal_table(rows: list[list[str]], header: list[str], wrap_last: bool) -> list[str]:
    """Left-aligned columns two spaces apart; the last column is free text,
    cut to the terminal's width only when printing to a terminal."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    width = None
    if wrap_last:
        import shutil

        width = max(20, shutil.get_terminal_size((120, 24)).columns - sum(widths) - 2 * len(widths))
    lines = []
    for row in [header, *rows]:
        cells = [c.ljust(w) for c, w in zip(row, widths)] + [_fit(row[-1], width)]
        lines.append("  ".join(cells).rstrip())
    return lines


_STATUS_MARK = {"draft": "○ draft", "review": "◐ review", "ready": "● ready", "published": "✓ published"}


def calendar_rows(items: Sequence[AgendaItem]) -> list[list[str]]:
    rows = []
    for item in items:
        day = f"{item.first_day.isoformat()} {item.first_day.strftime('%a')}"
        if isinstance(item.start, datetime):
            when = item.start.strftime("%H:%M")
        else:
            when = "all day"
        title = item.title
        if item.kind in ("campaign", "blackout") or item.last_day != item.first_day:
            title += f" (to {item.last_day.isoformat()})"
        if item.kind == "blackout":
            title += f" [{', '.join(item.channels) if item.channels else 'all channels'}]"
        counts = level_counts(item.diagnostics)
        problems = " ".join(f"{n}{level[0].upper()}" for level, n in counts.items() if n) or "-"
        what = item.lane if item.kind in ("post", "channel-post", "event") else item.kind
        rows.append([day, when, what or "", _STATUS_MARK.get(item.status or "", "-"),
                     item.campaign or "-", problems, title])
    return rows


__all__ = ["AgendaItem", "ReviewProblem", "agenda", "calendar_rows", "channel_spans", "count_label",
           "json_item", "level_counts", "one_line", "plan_review", "problem_summary", "review_ics",
           "review_window", "rich_text", "site_diagnostics", "terminal_table"]
