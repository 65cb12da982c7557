"""Planning newsletter digests: one HTML and one text part per period, and the
newsletter channel's queue file. Pure.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time, timedelta
from typing import Any

from ..assemble.site import Site
from ..calendar import Channel
from ..model import Post
from .context import base_context, post_view
from .events import event_view
from .outputs import Output
from .queues import generated_stamp, iso, json_bytes


def plan_newsletters(site: Site) -> list[Output]:
    outputs: list[Output] = []
    for channel in site.calendar.channels:
        if channel.kind == "newsletter":
            outputs += plan_newsletter(site, channel)
    return outputs


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


def newsletter_items(site: Site, channel: Channel) -> list[dict[str, Any]]:
    """A newsletter channel's queue items: one per digest."""
    for output in plan_newsletter(site, channel):
        if output.path == f"queues/{channel.name}.json":
            data = output.data() if callable(output.data) else output.data
            return json.loads(data)["items"]
    return []


def plan_newsletter(site: Site, channel: Channel) -> list[Output]:
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
                      "at": iso(send), "text": f"{site.settings.site.title} · {name}",
                      "url": base, "media": [], "source": f"queues/{channel.name}/{name}.html",
                      "campaign": None, "html": f"{channel.name}/{name}.html",
                      "plain": f"{channel.name}/{name}.txt"})
    outputs.append(Output(f"queues/{channel.name}.json", data=json_bytes({
        "channel": channel.name, "kind": channel.kind, "generated": generated_stamp(site), "items": items}),
        deps=frozenset({"*"})))
    return outputs
