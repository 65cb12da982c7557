"""Channel posts, the schedule, queues, newsletter digests and event pages.

`attach_calendar` is part of assembly: it fills every channel text, checks it
against its platform's limits, and gives it a time (the schedule is part of
the model, so `check` sees its warnings). `plan_calendar` is part of
planning: queue files, digests, event pages and .ics files, the review site.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from functools import lru_cache
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from urllib.parse import urlencode


from . import channel_text
from .assemble import Site
from .diagnostics import Diagnostic, diagnostic
from .model import ChannelSpec, MediaRef, Post
from .plan import Output, base_context, post_view
from .schedule import Request, Schedule, make_schedule, schedule_with_warnings

PLACEHOLDER = re.compile(r"\{(url|title|summary|tags)\}")
UPCOMING_DAYS = 366
PAST_EVENT_DAYS = 366


@dataclass(frozen=True)
class ChannelPost:
    """One post's text for one channel, filled in, checked and placed."""

    post: Post
    spec: ChannelSpec
    channel: Any                   # calendar.Channel
    text: str                      # placeholders filled
    url: str                       # the post's absolute URL with the channel's UTM
    media: tuple[MediaRef, ...]
    at: datetime | None            # in the site zone; None: not placed
    count: int
    limit: int | None
    unit: str
    problems: tuple[Diagnostic, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.channel.name}:{self.post.slug}"

    @property
    def revision(self) -> str:
        payload = json.dumps([self.text, self.at.isoformat() if self.at else None, self.url,
                              [(m.path, m.alt) for m in self.media], self.post.campaign],
                             ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class CalendarModel:
    channels: Any                          # calendar.Channels
    events: tuple[Any, ...]                # calendar.Event, every status
    campaigns: dict[str, Any]
    channel_posts: tuple[ChannelPost, ...]
    newsletter_posts: dict[str, tuple[Post, ...]]   # newsletter channel → opted-in posts
    schedule: Schedule
    diagnostics: tuple[Diagnostic, ...]
    public_media: frozenset[str] = frozenset()

    def queued(self, channel: str, now: datetime) -> list[ChannelPost]:
        """Every ready, unexpired item of a channel, past and future, by time."""
        items = [cp for cp in self.channel_posts if cp.channel.name == channel
                 and cp.post.status == "ready" and cp.at is not None
                 and (cp.post.expires is None or cp.post.expires > now)]
        return sorted(items, key=lambda cp: (cp.at, cp.post.path))

    def public_events(self) -> list[Any]:
        return [e for e in self.events if e.status == "ready"]

    def upcoming(self, site: Site, limit: int) -> list[dict]:
        return event_occurrences(site, upcoming=True)[:limit]

    def channel_rules(self, site: Site) -> list[dict]:
        rules = []
        for channel in self.channels:
            kind = channel_text.rules_for(channel.kind)
            rules.append({
                "name": channel.name, "kind": channel.kind,
                "limit": channel.limit or kind.limit, "unit": kind.unit,
                "max_media": kind.max_media, "min_media": kind.min_media,
                "alt_required": kind.alt_required, "max_links": kind.max_links,
                "max_hashtags": kind.max_hashtags,
                "slots": [str(s) for s in channel.slots], "max_per_day": channel.max_per_day,
                "min_gap": str(channel.min_gap) if channel.min_gap else None,
            })
        return rules


# ------------------------------------------------------------------ filling texts

def hashtag(tag: str) -> str:
    words = re.findall(r"\w+", tag)
    if len(words) == 1:
        return "#" + words[0]
    return "#" + "".join(w[:1].upper() + w[1:] for w in words)


def tracked_url(site: Site, post: Post, channel: Any) -> str:
    params = dict(channel.utm)
    if post.campaign and "campaign" not in params:
        params["campaign"] = post.campaign
    ordered = [(f"utm_{k}", params[k]) for k in ("source", "medium", "campaign") if k in params]
    ordered += [(f"utm_{k}", v) for k, v in sorted(params.items())
                if k not in ("source", "medium", "campaign")]
    url = site.absolute_url(post)
    return f"{url}?{urlencode(ordered)}" if ordered else url


def fill(raw: str, site: Site, post: Post, url: str) -> str:
    values = {"url": url, "title": post.title, "summary": site.summary(post),
              "tags": " ".join(hashtag(t) for t in post.tags)}
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], raw)


def _position(spec: ChannelSpec, offset: int | None) -> tuple[int, int]:
    """Where a problem at `offset` of the filled text stands in the source file."""
    if spec.text is None:
        return spec.line, 3
    raw = spec.text.text
    first = PLACEHOLDER.search(raw)
    if offset is None:
        return spec.text.position(0)
    if first is None or offset < first.start():
        return spec.text.position(offset)
    return spec.text.position(first.start())


# ------------------------------------------------------------------ assembly

def calendar_key(site: Site, calendar_stamp: str) -> str:
    """Everything `attach_calendar` reads, hashed: equal keys give an equal model,
    so a long-lived builder can keep the last one (a body edit changes nothing here
    unless the summary a {summary} placeholder uses changed)."""
    parts = [calendar_stamp, site.now.isoformat(), site.settings.site.base_url,
             site.settings.site.timezone]
    for post in site.posts:
        if not post.channels:
            continue
        parts.append(repr((
            post.path, post.status, post.date, post.expires, site.urls[post.path], post.slug,
            post.title, site.summary(post), post.tags, post.campaign,
            (post.image.path, post.image.alt) if post.image else None,
            [(s.channel, s.text, s.at, s.media, s.line) for s in post.channels])))
    parts.append(repr(sorted((p.path, p.status, p.date, p.expires, site.urls[p.path])
                             for p in site.posts)))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def attach_calendar(site: Site) -> Site:
    sources = site.sources
    channels = sources.channels
    zone = sources.settings.site.zone
    problems: list[Diagnostic] = []
    drafts: list[ChannelPost] = []
    newsletter_posts: dict[str, list[Post]] = {}
    for post in site.posts:
        for spec in post.channels:
            channel = channels.get(spec.channel)
            if channel is None:
                continue            # validate reports the unknown channel
            if channel.kind == "newsletter":
                newsletter_posts.setdefault(channel.name, []).append(post)
                continue
            if spec.text is None:
                line = spec.line
                problems.append(diagnostic(post.path, line, 3, "error",
                                           f"channel '{spec.channel}' needs a text", "channels",
                                           channel=spec.channel))
                continue
            drafts.append(_channel_post(site, post, spec, channel, problems))
    schedule = _schedule(site, drafts, channels, zone)
    placed = tuple(replace(cp, at=schedule.placements.get((cp.post.path, cp.channel.name)))
                   for cp in drafts)
    problems += schedule.diagnostics
    problems += _dead_links(site, placed)
    public_media = frozenset(m.path for cp in placed if cp.post.is_public(site.now) for m in cp.media)
    model = CalendarModel(channels, tuple(sources.events), sources.campaigns, placed,
                          {k: tuple(v) for k, v in newsletter_posts.items()}, schedule,
                          tuple(problems), public_media)
    return replace(site, calendar=model)


@lru_cache(maxsize=1 << 16)
def _measure(kind: str, text: str, alts: tuple, limit: int | None) -> tuple[int, tuple]:
    """The platform's count and every limit broken; pure, so remembered across rebuilds."""
    return (channel_text.count(kind, text),
            tuple(channel_text.check(kind, text, list(alts), limit)))


def _channel_post(site: Site, post: Post, spec: ChannelSpec, channel: Any,
                  problems: list[Diagnostic]) -> ChannelPost:
    url = tracked_url(site, post, channel)
    text = fill(spec.text.text, site, post, url)
    rules = channel_text.rules_for(channel.kind)
    media = spec.media
    if not media and rules.min_media and post.image:
        media = (post.image,)     # a channel that needs media takes the post's image
    limit = channel.limit or rules.limit
    found = []
    count, found_problems = _measure(channel.kind, text, tuple(m.alt for m in media), channel.limit)
    for problem in found_problems:
        line, column = _position(spec, problem.offset)
        found.append(diagnostic(post.path, line, column, "error",
                                f"{channel.name}: {problem.message}", "channel-limit",
                                channel=channel.name, item=f"{channel.name}:{post.slug}"))
    problems += found
    return ChannelPost(post, spec, channel, text, url, media, None, count, limit, rules.unit,
                       tuple(found))


def _schedule(site: Site, posts: list[ChannelPost], channels: Any, zone) -> Schedule:
    """Ready items are placed first; drafts and review items take what is left,
    so planning a draft never moves a post that is ready to go."""

    def request(cp: ChannelPost, at: datetime | None = None) -> Request:
        post = cp.post
        return Request(post.path, cp.channel.name, post.date or site.now,
                       at if at is not None else cp.spec.at,
                       (post.date.timestamp() if post.date else 0, post.path), cp.text, cp.spec.line)

    ready = [request(cp) for cp in posts if cp.post.status == "ready"]
    first = schedule_with_warnings(channels, ready, zone, after=site.now)
    others = [cp for cp in posts if cp.post.status != "ready"]
    if not others:
        return first
    pinned = [request(cp, first.placements.get((cp.post.path, cp.channel.name)))
              for cp in posts if cp.post.status == "ready"
              and (cp.post.path, cp.channel.name) in first.placements]
    second = make_schedule(channels, pinned + [request(cp) for cp in others], zone)
    tentative = {k: v for k, v in second.placements.items() if k not in first.placements}
    draft_keys = {cp.post.path for cp in others}
    extra = [d for d in second.diagnostics if d.path in draft_keys and d.level != "error"]
    return Schedule({**first.placements, **tentative}, first.diagnostics + extra, first.pinned)


def _dead_links(site: Site, posts: tuple[ChannelPost, ...]) -> list[Diagnostic]:
    """A channel post whose link would be dead when it goes out."""
    problems = []
    base = site.settings.site.base_url
    by_url = {site.absolute_url(p): p for p in site.posts}
    for cp in posts:
        if cp.post.status != "ready" or cp.at is None:
            continue
        line, column = _position(cp.spec, None)
        if cp.post.expires is not None and cp.post.expires <= cp.at:
            problems.append(diagnostic(cp.post.path, line, column, "error",
                                       f"{cp.channel.name} post at {cp.at.isoformat()} links to this "
                                       f"post after it expires ({cp.post.expires.isoformat()})",
                                       "schedule.dead-link", channel=cp.channel.name, item=cp.id))
        for match in re.finditer(re.escape(base) + r"[^\s?#)\"'>]*", cp.text):
            target = by_url.get(match.group(0).rstrip(".,;:!"))
            if target is None or target is cp.post:
                continue
            dead = target.status != "ready" or (target.expires is not None and target.expires <= cp.at) \
                or (target.date is not None and target.date > cp.at)
            if dead:
                why = "a draft" if target.status != "ready" else (
                    "an expired post" if target.expires and target.expires <= cp.at else "a post not yet public")
                l2, c2 = _position(cp.spec, match.start())
                problems.append(diagnostic(cp.post.path, l2, c2, "error",
                                           f"{cp.channel.name} text links to {why} ({target.path})",
                                           "schedule.dead-link", channel=cp.channel.name, item=cp.id))
    return problems


# ------------------------------------------------------------------ events

def event_url(site: Site, event: Any) -> str:
    return f"{site.settings.site.base_path}events/{event.slug}/"


def event_view(site: Site, event: Any, start: datetime, end: datetime) -> dict[str, Any]:
    from .markup import render_markdown
    zone = site.settings.site.zone
    return {
        "title": event.title, "slug": event.slug, "url": event_url(site, event),
        "absolute_url": site.settings.site.base_url + f"events/{event.slug}/",
        "start": start, "end": end, "local_start": start.astimezone(zone),
        "timezone": str(event.timezone), "location": event.location, "online": event.online,
        "rsvp": event.rsvp, "tags": list(event.tags), "recurring": bool(event.rrule),
        "rrule": event.rrule, "where": event.location or ("Online" if event.online else None),
        "ics": f"{site.settings.site.base_path}events/{event.slug}.ics",
        "html": render_markdown(event.body, site.settings.site.base_path).html,
        "all_day": getattr(event, "all_day", False), "path": event.path, "status": event.status,
    }


def event_occurrences(site: Site, upcoming: bool) -> list[dict]:
    calendar = site.calendar
    now = site.now
    views = []
    for event in calendar.public_events():
        if upcoming:
            found = event.occurrences(now, now + timedelta(days=UPCOMING_DAYS))[:1]
        else:
            found = event.occurrences(now - timedelta(days=PAST_EVENT_DAYS), now)[-1:]
            found = [o for o in found if o[1] <= now]
        views += [event_view(site, event, s, e) for s, e in found]
    return sorted(views, key=lambda v: (v["start"], v["slug"]), reverse=not upcoming)


# ------------------------------------------------------------------ planning

def plan_calendar(site: Site) -> list[Output]:
    calendar = site.calendar
    if calendar is None:
        return []
    from .report import plan_report
    from .review.pages import plan_review

    return plan_events(site) + _plan_queues(site) + plan_review(site) + plan_report(site)


def plan_events(site: Site) -> list[Output]:
    from . import ics

    calendar = site.calendar
    events = calendar.public_events()
    if not events:
        return []
    s = site.settings.site
    deps = frozenset({"calendar/*", "hearth.toml"})
    outputs = [Output("hub/events/index.html", "events.html", {
        **base_context(site), "upcoming": event_occurrences(site, True),
        "past": event_occurrences(site, False), "canonical": s.base_url + "events/"}, deps=deps),
        Output("hub/events/events.ics", data=lambda: ics.event_calendar(events, s.title, s.base_url),
               deps=deps)]
    for event in events:
        upcoming = event.occurrences(site.now, site.now + timedelta(days=UPCOMING_DAYS))
        start, end = upcoming[0] if upcoming else (event.start, event.end)
        outputs.append(Output(f"hub/events/{event.slug}/index.html", "event.html", {
            **base_context(site), "event": event_view(site, event, start, end),
            "next_dates": [{"start": a, "end": b} for a, b in upcoming[:6]],
            "canonical": f"{s.base_url}events/{event.slug}/"}, deps=frozenset({event.path, "hearth.toml"})))
        outputs.append(Output(f"hub/events/{event.slug}.ics",
                              data=(lambda e=event: ics.single_event(e, s.title, s.base_url)),
                              deps=frozenset({event.path, "hearth.toml"})))
    return outputs


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def queue_item(site: Site, cp: ChannelPost) -> dict[str, Any]:
    base = site.settings.site.base_url
    return {"id": cp.id, "revision": cp.revision, "at": _iso(cp.at), "text": cp.text, "url": cp.url,
            "media": [{"path": m.path, "alt": m.alt, "url": base + m.path} for m in cp.media],
            "source": cp.post.path, "campaign": cp.post.campaign}


def generated_stamp(site: Site) -> str:
    return site.now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plan_queues(site: Site) -> list[Output]:
    calendar = site.calendar
    outputs = []
    deps = frozenset({"*"})
    for channel in calendar.channels:
        if channel.kind == "newsletter":
            outputs += plan_newsletter(site, channel)
            continue
        items = [queue_item(site, cp) for cp in calendar.queued(channel.name, site.now)]
        document = {"channel": channel.name, "kind": channel.kind, "generated": generated_stamp(site),
                    "items": items}
        outputs.append(Output(f"queues/{channel.name}.json", data=_json(document), deps=deps))
        outputs.append(Output(f"queues/{channel.name}.csv", data=_buffer_csv(site, items), deps=deps))
    return outputs


def _json(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _buffer_csv(site: Site, items: list[dict]) -> bytes:
    """Buffer's bulk-upload columns; Posting Time in the site's zone, as Buffer reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Text", "Image URL", "Tags", "Posting Time"])
    zone = site.settings.site.zone
    for item in items:
        at = datetime.fromisoformat(item["at"]).astimezone(zone)
        writer.writerow([item["text"], item["media"][0]["url"] if item["media"] else "",
                         item["campaign"] or "", at.strftime("%Y-%m-%d %H:%M")])
    return out.getvalue().encode()


def period_of(moment: datetime, every: str) -> tuple[str, date, date]:
    """(name, first day, day after) of the newsletter period holding `moment`."""
    day = moment.date()
    if every == "week":
        start = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}", start, start + timedelta(days=7)
    start = day.replace(day=1)
    after = (start + timedelta(days=32)).replace(day=1)
    return f"{start:%Y-%m}", start, after


def newsletter_items(site: Site, channel: Any) -> list[dict[str, Any]]:
    """A newsletter channel's queue items: one per digest."""
    for output in plan_newsletter(site, channel):
        if output.path == f"queues/{channel.name}.json":
            data = output.data() if callable(output.data) else output.data
            return json.loads(data)["items"]
    return []


def plan_newsletter(site: Site, channel: Any) -> list[Output]:
    calendar = site.calendar
    zone = site.settings.site.zone
    every = channel.every or "month"
    periods: dict[str, tuple[date, date, list[Post]]] = {}
    for post in calendar.newsletter_posts.get(channel.name, ()):
        if post.status != "ready" or post.date is None:
            continue
        name, start, after = period_of(post.date.astimezone(zone), every)
        periods.setdefault(name, (start, after, []))[2].append(post)
    outputs = []
    items = []
    base = site.settings.site.base_url
    for name, (start, after, posts) in sorted(periods.items()):
        posts = sorted(posts, key=lambda p: (p.date, p.path))
        send = datetime.combine(after, channel.slots[0].time if channel.slots else time(9), zone)
        window_end = datetime.combine(after, time(), zone) + timedelta(days=45)
        events = []
        for event in calendar.public_events():
            for s, e in event.occurrences(datetime.combine(after, time(), zone), window_end)[:1]:
                events.append(event_view(site, event, s, e))
        events.sort(key=lambda v: (v["start"], v["slug"]))
        context = {**base_context(site), "period": name, "start": start,
                   "end": after - timedelta(days=1), "channel": channel.name,
                   "posts": [post_view(site, p) for p in posts], "events": events,
                   "canonical": base}
        deps = frozenset({p.path for p in posts} | {"calendar/*", "hearth.toml"})
        outputs.append(Output(f"queues/{channel.name}/{name}.html", "newsletter.html", context, deps=deps))
        outputs.append(Output(f"queues/{channel.name}/{name}.txt", "newsletter.txt", context, deps=deps))
        payload = json.dumps([name, [p.path for p in posts], [e["slug"] for e in events]])
        items.append({"id": f"{channel.name}:{name}",
                      "revision": hashlib.sha256(payload.encode()).hexdigest()[:16],
                      "at": _iso(send), "text": f"{site.settings.site.title} · {name}",
                      "url": base, "media": [], "source": f"queues/{channel.name}/{name}.html",
                      "campaign": None, "html": f"{channel.name}/{name}.html",
                      "plain": f"{channel.name}/{name}.txt"})
    outputs.append(Output(f"queues/{channel.name}.json", data=_json({
        "channel": channel.name, "kind": channel.kind, "generated": generated_stamp(site), "items": items}),
        deps=frozenset({"*"})))
    return outputs

