"""The editorial calendar in a terminal: the tables and JSON of `hearth calendar`
and `hearth queue` (the commands themselves are in cli/)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .model import AgendaItem, level_counts

DEFAULT_DAYS_BEFORE = 7           # `hearth calendar` shows today − 7 days …
DEFAULT_DAYS_AFTER = 28           # … to today + 28 days


def json_item(item: AgendaItem) -> dict[str, Any]:
    cp = item.channel_post
    found = {
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
    if cp is not None and cp.is_thread:     # `count` is the longest part's
        found.update(parts=list(cp.parts), counts=list(cp.counts))
    return found


def one_line(text: str) -> str:
    return " ".join(text.split())


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
