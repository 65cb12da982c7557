"""The report as the terminal, a script or a spreadsheet reads it: text, JSON, CSV.

Pure: a `Report` in, one string (or JSON-ready value) out.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

from ..diagnostics import Diagnostic
from ..load.metrics import METRICS_DIR
from ..plural import counted
from .model import Match, Period, Report, Totals, week_label
from .numbers import duration, number, percent

FORMATS = ("text", "json", "csv")


def plain(value: Any) -> Any:
    """Dataclasses, dates and tuples → JSON-ready values."""
    if isinstance(value, Totals):
        return {"impressions": value.impressions, "engagements": value.engagements,
                "clicks": value.clicks, "items": value.items,
                "rate": round(value.rate, 4) if value.rate is not None else None}
    if isinstance(value, Match):
        row = value.row
        return {"source": row.where, "format": row.format, "url": row.url, "id": row.id,
                "channel": row.channel, "date": row.day.isoformat() if row.day else None,
                "impressions": row.impressions, "engagements": row.engagements,
                "clicks": row.clicks, "reason": value.reason}
    if isinstance(value, Diagnostic):
        return {"path": value.path, "line": value.line, "column": value.column,
                "level": value.level, "rule": value.rule, "message": value.message}
    if isinstance(value, Period):
        return {"from": value.start.isoformat(), "to": value.end.isoformat(),
                "now": value.now.isoformat()}
    if is_dataclass(value):
        data = {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        for extra in ("open", "ready", "total", "rate"):
            if hasattr(type(value), extra) and isinstance(getattr(type(value), extra), property):
                data[extra] = plain(getattr(value, extra))
        return data
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def report_json(report: Report) -> dict[str, Any]:
    data = {f.name: plain(getattr(report, f.name)) for f in fields(report)}
    data["weeks"] = [{"week": w, "monday": m.isoformat()} for w, m in report.weeks]
    data["history"] = {"available": report.history.available, "reason": report.history.reason,
                       "shallow": report.history.shallow}
    data["engagement_total"] = plain(report.engagement_total)
    data["by_post"] = {path: plain(t) for path, t in report.by_post.items()}
    return data


def report_csv(report: Report) -> str:
    """One long table (section, subject, week, metric, value): pivot it as you like."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "subject", "week", "metric", "value"])

    def row(section: str, subject: str, week: str, metric: str, value: Any) -> None:
        if isinstance(value, float):
            value = round(value, 4)
        writer.writerow([section, subject, week, metric, "" if value is None else value])

    for key, value in report.went_out.items():
        if isinstance(value, int):
            row("went_out", "all", "", key, value)
    for key, value in report.planned.items():
        if isinstance(value, int):
            row("planned", "all", "", key, value)
    for c in report.channels:
        if c.delivered is not None:
            row("sent", c.name, "", "delivered", c.delivered)
            row("sent", c.name, "", "due", c.sent)
    for cw in report.channel_weeks:
        for metric in ("cadence", "sent", "scheduled", "review", "draft", "open"):
            row("cadence", cw.channel, cw.week, metric, getattr(cw, metric))
    for c in report.campaigns:
        for metric in ("posts", "items", "in_window", "before", "after", "goal_value", "progress"):
            row("campaign", c.name, "", metric, getattr(c, metric))
        for metric in ("impressions", "engagements", "clicks"):
            row("campaign", c.name, "", metric, getattr(c.totals, metric))
    for status, n in Counter(i.status for i in report.backlog).items():
        row("backlog", status, "", "posts", n)
    for a in report.authors:
        for metric in ("published", "scheduled", "review", "draft"):
            row("author", a.author, "", metric, getattr(a, metric))
    for s in report.style:
        for week, n in s.weeks.items():
            row("style", s.rule, week, "findings", n)
        if s.undated:
            row("style", s.rule, "", "findings", s.undated)
    for f in report.flows:
        week = week_label(f.published) if f.published else ""
        row("review", f.path, week, "lead_hours", f.lead_hours)
        row("review", f.path, "", "review_hours", f.review_hours)
    for name, t in report.by_channel.items():
        for metric in ("impressions", "engagements", "clicks", "rate"):
            row("engagement_channel", name, "", metric, getattr(t, metric))
    for e in report.items:
        for metric in ("impressions", "engagements", "clicks", "rate"):
            row("engagement_item", e.id, week_label(e.at) if e.at else "", metric,
                getattr(e.totals, metric))
    for m in report.unmatched:
        row("unmatched", m.row.where, "", "engagements", m.row.engagements)
    return out.getvalue()


# ---------------------------------------------------------------- the text summary


def _cadence_text(report: Report, add: Callable[[str], None]) -> None:
    add("Items per week (ready/cadence; + drafts and review items)")
    labels = [wk.split("-")[1] for wk, _ in report.weeks]
    width = max([len(c.name) for c in report.channels] + [8])
    add(" " * (width + 2) + " ".join(f"{lab:>7}" for lab in labels))
    for c in report.channels:
        cells = []
        for cw in (cw for cw in report.channel_weeks if cw.channel == c.name):
            cell = f"{cw.ready}/{cw.cadence}" if cw.cadence is not None else f"{cw.ready}"
            if cw.review + cw.draft:
                cell += f"+{cw.review + cw.draft}"
            cells.append(f"{cell + ('!' if cw.open else ' '):>7}")
        add(f"  {c.name:<{width}}" + " ".join(cells))
    add(f"  ! = below cadence; now is {report.now_week}")
    sent = [c for c in report.channels if c.delivered is not None]
    if sent:
        add("Sent by hearth send (calendar/sent/), of the items due: "
            + ", ".join(f"{c.name} {c.delivered}/{c.sent}" for c in sent))


def report_text(report: Report) -> str:
    p = report.period
    out: list[str] = []
    add = out.append
    add(f"{report.title} · report {p.start:%Y-%m-%d} – {p.end:%Y-%m-%d} "
        f"(now {p.now.astimezone(p.zone):%Y-%m-%d %H:%M %Z})")
    add("")
    w, pl = report.went_out, report.planned
    channels = ", ".join(f"{k} {v}" for k, v in sorted(w["by_channel"].items())) or "none"
    add(f"What went out: {counted(w['posts'], 'post')} published, "
        f"{counted(w['items'], 'channel item')} ({channels}), {counted(w['events'], 'event')}")
    add(f"What's planned: {counted(pl['items'], 'item')} scheduled, "
        f"{pl['pending_items']} waiting for approval; {counted(pl['posts'], 'post')} "
        f"({pl['ready_posts']} ready, {pl['review_posts']} in review, "
        f"{counted(pl['draft_posts'], 'draft')}), {counted(pl['events'], 'event')}")
    add("What's at risk:" if report.risks else "What's at risk: nothing found")
    for risk in report.risks:
        add(f"  - {risk.message}")
    add("")
    if not report.channels:
        add("Items per week: no channel in calendar/channels.yml")
    else:
        _cadence_text(report, add)
    add("")
    counts = Counter(i.status for i in report.backlog)
    add(f"Backlog: {counted(counts['draft'], 'draft')}, {counts['review']} in review, "
        f"{counts['ready']} ready and waiting for their date")
    if report.campaigns:
        add("")
        add("Campaigns")
        for c in report.campaigns:
            goal = (f"{number(getattr(c.totals, c.goal_metric))} of {number(c.goal_value)} "
                    f"{c.goal_metric} ({percent(c.progress)})") if c.goal_value \
                else f"goal: {c.goal or 'none'}"
            add(f"  {c.title} ({c.start} – {c.end}, {c.state}): {counted(c.items, 'item')}, "
                f"{c.in_window} within its dates; {goal}")
    add("")
    total = report.engagement_total
    add(f"Engagement (items out in the period): {number(total.impressions)} impressions, "
        f"{number(total.engagements)} engagements, {number(total.clicks)} clicks, "
        f"rate {percent(total.rate)}")
    width = max([len(name) for name in report.by_channel] + [8])
    for name, t in report.by_channel.items():
        if t.items:
            add(f"  {name:<{width}} {number(t.impressions):>9} impr {number(t.engagements):>7} eng "
                f"{number(t.clicks):>6} clicks  {percent(t.rate):>6}")
    if not report.metrics_files:
        add(f"  no metrics files in {METRICS_DIR}/")
    if report.unmatched:
        add("  unmatched rows: " + ", ".join(m.row.where for m in report.unmatched))
    add("")
    if report.history.available:
        add(f"Review: lead time median {duration(report.lead_time.median_hours)} "
            f"({counted(report.lead_time.count, 'post')} published in the period after review), "
            f"time in review median {duration(report.review_time.median_hours)}; "
            f"{report.skipped_review} published without a review commit")
        for f in report.flows:
            if f.in_review_now:
                add(f"  in review now: {f.path} for {duration(f.review_hours)}")
    else:
        add(f"Review and lead times: not measured ({report.history.reason})")
    if report.authors:
        add("")
        add("Posts per author (published/scheduled/review/draft)")
        for a in report.authors:
            add(f"  {a.author}: {a.published}/{a.scheduled}/{a.review}/{a.draft}")
    add("")
    if report.style:
        add("Style findings by rule: " + ", ".join(f"{s.rule} {s.total}" for s in report.style))
    else:
        add("Style findings: none in the period")
    return "\n".join(out) + "\n"
