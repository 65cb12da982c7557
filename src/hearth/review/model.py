"""The editorial calendar's model: every planned item and the problems beside it.

`agenda()` turns the site model into `AgendaItem`s: hub posts (every
status), channel posts at their scheduled time, event occurrences (recurring
ones expanded), campaigns as date bands and blackouts as closed days, each
with the diagnostics that concern it. Pure: no I/O, no clock. The review
site's views and pages (`views`, `pages`, `ics`) and the terminal
(`terminal`) all read these items.

Statuses: a post is `draft`, `review`, `ready` or `published` (ready and its
date has come: it is on the hub). A channel post is `published` once it is
ready and its time has come (the scheduler sends what is due). An event is
`published` when it is ready: the hub lists every ready event at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..assemble.site import Site
from ..diagnostics import LEVEL_RANK, Diagnostic
from ..validate import site_diagnostics

KINDS = ("campaign", "blackout", "event", "post", "channel-post")   # also the order within a moment
STATUSES = ("draft", "review", "ready", "published")
HUB_LANE = "hub"                  # the channel filter's value for hub posts …
EVENTS_LANE = "events"            # … and for events; "_hub", "_events" if a channel has the name
HUB_COLOR = "#2f6b3b"             # the theme's accent
EVENT_COLOR = "#0e7490"
BLACKOUT_COLOR = "#6b7280"
STATUS_LABELS = {"draft": "Draft", "review": "In review", "ready": "Ready", "published": "Published"}


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
    channel_post: Any = field(default=None, compare=False, repr=False)   # publish.ChannelPost
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
REVIEW_FUTURE_WEEKS = 156  # three years ahead; a post dated 2126 by a typo adds no 5,000 pages


def review_window(site: Site) -> tuple[date, date]:
    """The first and last day of the review site: from the earliest item to the
    latest, always including today, and at most one quarter back: managers
    plan forward, and a hub with years of posts would otherwise carry years of
    weekly pages. Recurring events are shown inside it but never stretch it:
    a weekly call that began years ago, or never ends, would otherwise fill
    hundreds of empty weeks. Nor does anything more than three years ahead."""
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
    return (max(min(days), today - timedelta(weeks=REVIEW_PAST_WEEKS)),
            min(max(days), today + timedelta(weeks=REVIEW_FUTURE_WEEKS)))


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
                end=finish, channel=None, lane=events_lane, color=EVENT_COLOR,
                status=_status(event.status, start, now),   # a future event is ready, not published
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
    entries = doc.children("channels")
    spans = {}
    for index, (name, value) in enumerate(entries):
        # the end of a value is often the start of what follows: not part of the entry
        following = entries[index + 1][1].key_line if index + 1 < len(entries) else None
        last = value.end_line - 1 if value.end_column == 0 or following is not None and \
            value.end_line >= following else value.end_line
        if following is not None:
            last = min(last, following - 1)
        last = max(last, value.key_line)
        spans[name] = (doc.front_matter_line + value.key_line, doc.front_matter_line + last)
    return spans


def _split_post_diagnostics(post: Any, found: list[Diagnostic], names: set[str]
                            ) -> tuple[list[Diagnostic], dict[str, list[Diagnostic]]]:
    """A post's diagnostics: those on a channel's entry go to that channel post
    (a limit, a schedule warning, a style rule on the channel text), the rest
    to the hub post. A diagnostic belongs to exactly one item: the channel it
    names (`Diagnostic.channel`), else the channel entry its line falls in."""
    spans = {n: s for n, s in channel_spans(post).items() if n in names}
    own: list[Diagnostic] = []
    per_channel: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in found:
        name = d.channel if d.channel in names else \
            next((n for n, (a, b) in spans.items() if a <= d.line <= b), None)
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


def count_label(counts: dict[str, int]) -> str:
    """`1 error, 2 warnings`: a chip's problem label and the terminal's summary."""
    parts = []
    for level in ("error", "warning", "suggestion"):
        n = counts.get(level, 0)
        if n:
            parts.append(f"{n} {level}{'' if n == 1 else 's'}")
    return ", ".join(parts)
