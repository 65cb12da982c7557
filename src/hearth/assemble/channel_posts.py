"""Channel posts and their schedule: the part of assembly that fills every
channel text, checks it against its platform's limits, and gives it a time.

The schedule is part of the model, so `check` sees its warnings; queue
files, digests and event pages are planned from it (see `plan/`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from ..channels import text as channel_text
from ..calendar import Channel, Channels
from ..diagnostics import Diagnostic, diagnostic
from ..model import ChannelSpec, Post
from .calendar_model import CalendarModel, ChannelPost
from .schedule import Request, Schedule, make_schedule, schedule_with_warnings
from .site import Site

PLACEHOLDER = re.compile(r"\{(url|title|summary|tags)\}")


@lru_cache(maxsize=1 << 14)
def hashtag(tag: str) -> str:
    words = re.findall(r"\w+", tag)
    if len(words) == 1:
        return "#" + words[0]
    return "#" + "".join(w[:1].upper() + w[1:] for w in words)


def tracked_url(site: Site, post: Post, channel: Channel) -> str:
    """A post's absolute URL with the channel's UTM (utm_campaign: the post's campaign
    unless the channel sets one)."""
    return utm_url(site.absolute_url(post), channel.utm, post.campaign)


def utm_url(url: str, utm: Mapping[str, str], campaign: str | None = None) -> str:
    """`url` with `utm` (keys without the utm_ prefix) added to its query:
    source, medium, campaign first, then the others by name. The one place
    every hub link a channel carries (channel texts, newsletter digests) is tagged."""
    added = _utm_query(tuple(sorted(utm.items())), campaign)
    if not added:
        return url
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, added) if q)
    return urlunsplit(parts._replace(query=query))


@lru_cache(maxsize=1 << 10)
def _utm_query(utm: tuple[tuple[str, str], ...], campaign: str | None) -> str:
    """The query `utm_url` adds ("" for none): the same for every post of a channel
    and campaign, so encoded once."""
    params = dict(utm)
    if campaign and "campaign" not in params:
        params["campaign"] = campaign
    ordered = [(f"utm_{k}", params[k]) for k in ("source", "medium", "campaign") if k in params]
    ordered += [(f"utm_{k}", v) for k, v in sorted(params.items())
                if k not in ("source", "medium", "campaign")]
    return urlencode(ordered)


def fill(raw: str, site: Site, post: Post, url: str) -> str:
    def value(match: re.Match) -> str:     # each only when asked for (a summary may be rendered)
        name = match.group(1)
        if name == "url":
            return url
        if name == "title":
            return post.title
        if name == "summary":
            return site.summary(post)
        return " ".join(hashtag(t) for t in post.tags)

    return PLACEHOLDER.sub(value, raw)


def _position(spec: ChannelSpec, offset: int | None, part: int = 0) -> tuple[int, int]:
    """Where a problem at `offset` of the filled text (of a thread's `part`)
    stands in the source file."""
    texts = spec.texts
    if not texts:
        return spec.line, 3
    located = texts[min(part, len(texts) - 1)]
    first = PLACEHOLDER.search(located.text)
    if offset is None:
        return located.position(0)
    if first is None or offset < first.start():
        return located.position(offset)
    return located.position(first.start())



def calendar_key(site: Site, calendar_stamp: str, memo: dict | None = None) -> str:
    """Everything `attach_calendar` reads, hashed: equal keys give an equal model,
    so a long-lived builder can keep the last one (a body edit changes nothing here
    unless the summary a {summary} placeholder uses changed). `memo` (kept by that
    builder, updated in place) holds each post's part by the `Post` it came from: an
    unchanged file gives the same `Post` object, whose part is the same at the same
    URL and settings."""
    settings = (site.settings.site.base_url, site.settings.build.unsafe_html)
    parts = [calendar_stamp, site.now.isoformat(), site.settings.site.base_url,
             site.settings.site.timezone]
    used = {}
    every = []      # each post's place on the schedule, channels or not
    for post in site.posts:
        url = site.urls[post.path]
        known = memo.get(id(post)) if memo is not None else None
        if known is not None and known[0] is post and known[1] == (url, settings):
            part, short = known[2], known[3]
        else:
            part = repr((
                post.path, post.status, post.date, post.expires, url, post.slug,
                post.title, site.summary(post), post.tags, post.campaign,
                (post.image.path, post.image.alt) if post.image else None,
                [(s.channel, s.text, s.at, s.media, s.line, s.thread) for s in post.channels]
            )) if post.channels else None
            short = repr((post.path, post.status, post.date, post.expires, url))
        used[id(post)] = (post, (url, settings), part, short)
        if part is not None:
            parts.append(part)
        every.append((post.path, short))
    if memo is not None:
        memo.clear()
        memo.update(used)
    every.sort()
    parts.append("\1".join(short for _, short in every))
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
            if spec.thread and not channel_text.rules_for(channel.kind).threads:
                line, column = post.doc.key_position("channels", spec.channel, "thread")
                problems.append(diagnostic(post.path, line, column, "error",
                                           f"channel '{spec.channel}' is {channel.kind}, which has no "
                                           f"threads: give it one 'text' (threads: {_thread_kinds()})",
                                           "channels", channel=spec.channel))
                continue
            drafts.append(_channel_post(site, post, spec, channel, problems))
    schedule = _schedule(site, drafts, channels, zone)
    placed = tuple(cp.placed(schedule.placements.get((cp.post.path, cp.channel.name)))
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


def _thread_kinds() -> str:
    return ", ".join(k for k, r in channel_text.KINDS.items() if r.threads)


def _channel_post(site: Site, post: Post, spec: ChannelSpec, channel: Channel,
                  problems: list[Diagnostic]) -> ChannelPost:
    """The channel post, each part (a thread's, or its one text) filled and
    counted on its own; media go with the first part."""
    url = tracked_url(site, post, channel)
    rules = channel_text.rules_for(channel.kind)
    media = spec.media
    if not media and rules.min_media and post.image:
        media = (post.image,)     # a channel that needs media takes the post's image
    limit = channel.limit or rules.limit
    found = []
    parts, counts = [], []
    texts = spec.texts
    for number, located in enumerate(texts):
        text = fill(located.text, site, post, url)
        alts = tuple(m.alt for m in media) if number == 0 else ()
        count, found_problems = _measure(channel.kind, text, alts, channel.limit)
        where = f"part {number + 1} of {len(texts)}: " if spec.thread else ""
        for problem in found_problems:
            line, column = _position(spec, problem.offset, number)
            found.append(diagnostic(post.path, line, column, "error",
                                    f"{channel.label}: {where}{problem.message}", "channel-limit",
                                    channel=channel.name, item=f"{channel.name}:{post.slug}"))
        parts.append(text)
        counts.append(count)
    problems += found
    return ChannelPost(post, spec, channel, "\n\n".join(parts), url, media, None, max(counts), limit,
                       rules.unit, tuple(found), tuple(parts), tuple(counts))


def _schedule(site: Site, posts: list[ChannelPost], channels: Channels, zone) -> Schedule:
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
    return Schedule({**first.placements, **tentative}, first.diagnostics + extra)


def _dead_links(site: Site, posts: tuple[ChannelPost, ...]) -> list[Diagnostic]:
    """A channel post whose link would be dead when it goes out."""
    problems = []
    base = site.settings.site.base_url
    by_url = {site.absolute_url(p): p for p in site.posts}
    hub_link = re.compile(re.escape(base) + r"[^\s?#)\"'>]*")
    for cp in posts:
        if cp.post.status != "ready" or cp.at is None:
            continue
        line, column = _position(cp.spec, None)
        if cp.post.expires is not None and cp.post.expires <= cp.at:
            problems.append(diagnostic(cp.post.path, line, column, "error",
                                       f"{cp.channel.label} post at {cp.at.isoformat()} links to this "
                                       f"post after it expires ({cp.post.expires.isoformat()})",
                                       "schedule.dead-link", channel=cp.channel.name, item=cp.id))
        for number, text in enumerate(cp.parts):
            for match in hub_link.finditer(text):
                target = by_url.get(match.group(0).rstrip(".,;:!"))
                if target is None or target is cp.post:
                    continue
                dead = target.status != "ready" or (target.expires is not None and target.expires <= cp.at) \
                    or (target.date is not None and target.date > cp.at)
                if dead:
                    why = "a draft" if target.status != "ready" else (
                        "an expired post" if target.expires and target.expires <= cp.at
                        else "a post not yet public")
                    l2, c2 = _position(cp.spec, match.start(), number)
                    problems.append(diagnostic(cp.post.path, l2, c2, "error",
                                               f"{cp.channel.label} text links to {why} ({target.path})",
                                               "schedule.dead-link", channel=cp.channel.name, item=cp.id))
    return problems
