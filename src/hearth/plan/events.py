"""Planning the events section of the hub: the events page, one page and one
.ics per event, and events.ics. Pure.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .. import ics
from ..assemble.site import Site
from ..calendar import Event
from ..markup import render_markdown
from .context import base_context
from .outputs import Output

UPCOMING_DAYS = 366
PAST_EVENT_DAYS = 366


def event_url(site: Site, event: Event) -> str:
    return f"{site.settings.site.base_path}events/{event.slug}/"


def event_view(site: Site, event: Event, start: datetime, end: datetime) -> dict[str, Any]:
    zone = site.settings.site.zone
    return {
        "title": event.title, "slug": event.slug, "url": event_url(site, event),
        "absolute_url": site.settings.site.base_url + f"events/{event.slug}/",
        "start": start, "end": end, "local_start": start.astimezone(zone),
        "timezone": str(event.timezone), "location": event.location, "online": event.online,
        "rsvp": event.rsvp, "tags": list(event.tags), "recurring": bool(event.rrule),
        "rrule": event.rrule, "where": event.location or ("Online" if event.online else None),
        "ics": f"{site.settings.site.base_path}events/{event.slug}.ics",
        "html": render_markdown(event.body, site.settings.site.base_path,
                                site.settings.build.unsafe_html).html,
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


def plan_events(site: Site) -> list[Output]:
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
        if upcoming:
            start, end = upcoming[0]
        else:   # every occurrence is past: show the last one, as ended
            past = event.occurrences(event.start, site.now)
            start, end = past[-1] if past else (event.start, event.end)
        outputs.append(Output(f"hub/events/{event.slug}/index.html", "event.html", {
            **base_context(site), "event": event_view(site, event, start, end),
            "ended": not upcoming and end <= site.now,
            "next_dates": [{"start": a, "end": b} for a, b in upcoming[:6]],
            "canonical": f"{s.base_url}events/{event.slug}/"}, deps=frozenset({event.path, "hearth.toml"})))
        outputs.append(Output(f"hub/events/{event.slug}.ics",
                              data=(lambda e=event: ics.single_event(e, s.title, s.base_url)),
                              deps=frozenset({event.path, "hearth.toml"})))
    return outputs
