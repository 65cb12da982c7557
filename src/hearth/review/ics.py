"""The review site's `calendar.ics`: agenda items as iCalendar entries.

What each item says (summary, description, categories, DTSTAMP) is decided
here; `hearth.ics` turns the entries into RFC 5545 bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from ..assemble.site import Site
from .model import STATUS_LABELS, AgendaItem


def review_ics(site: Site, items: Sequence[AgendaItem]) -> bytes:
    """The managers' calendar.ics of `items` (the review site gives it what ended at
    most pages.ICS_HISTORY_DAYS ago and everything planned: a subscription stays light).
    UIDs come from the item keys, DTSTAMP from the input."""
    from ..ics import CalendarEntry, host_of, review_calendar   # icalendar: only when written

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
