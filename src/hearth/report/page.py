"""Planning the report page of the review site, review/report/index.html:
the report formatted for the template, with its charts beside the tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from ..assemble.site import Site
from ..channels.kinds import channel_label
from ..diagnostics import Diagnostic
from ..plan.context import base_context
from ..plan.outputs import Output
from ..plural import counted
from ..review.model import level_counts
from ..review.pages import header_context
from ..review.views import DEFAULT_LOCALE, Labels
from ..validate import site_diagnostics
from .charts import MUTED, backlog_chart, cadence_chart, campaign_chart, engagement_chart
from .compute import build_report
from .model import CampaignReport, Report, Totals
from .numbers import duration, number, percent

REPORT_PAGE = "review/report/index.html"
REPORT_TEMPLATE = "review/report.html"


class _Dates:
    """The report's dates in the site's locale, as the calendar and the hub write them (Babel)."""

    def __init__(self, labels: Labels):
        self.labels = labels

    def day(self, value: date | datetime | None, zone: Any = None, with_time: bool = False) -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            moment = value.astimezone(zone) if zone is not None else value
            text = self.labels.day(moment.date())
            return f"{text}, {self.labels.time(moment)}" if with_time else text
        return self.labels.day_short(value)

    def span(self, first: date, last: date) -> str:
        if first.year != last.year:
            return f"{self.labels.day_year(first)} – {self.labels.day_year(last)}"
        return f"{self.labels.span(first, last)}, {last.year}"


def _totals_view(t: Totals) -> dict[str, Any]:
    return {"impressions": number(t.impressions), "engagements": number(t.engagements),
            "clicks": number(t.clicks), "rate": percent(t.rate), "items": t.items}


def page_view(report: Report, labels: Labels) -> dict[str, Any]:
    """What the report page shows, formatted; the numbers are those of `report_json`."""
    p, zone = report.period, report.period.zone
    dates = _Dates(labels)
    weeks = [{"label": w.split("-")[1], "week": w, "monday": dates.day(m), "now": w == report.now_week}
             for w, m in report.weeks]
    local_now = p.now.astimezone(zone)
    return {
        "period": dates.span(p.start, p.end),
        "now": labels.day_full(local_now.date()),      # the day: see Period.clock
        "weeks_span": f"{weeks[0]['label']}–{weeks[-1]['label']}" if weeks else "",
        "now_week": report.now_week.split("-")[1],
        "went_out": _card_view(report, report.went_out, dates),
        "planned": _card_view(report, report.planned, dates),
        "risks": [{"kind": r.kind, "message": r.message, "path": r.path} for r in report.risks],
        "kpis": _kpis_view(report),
        "weeks": weeks,
        "cadence": _cadence_view(report),
        "silent_weeks": [w.split("-")[1] for w in report.silent_weeks],
        "delivered": [{"name": channel_label(c.name, c.kind), "delivered": c.delivered, "due": c.sent}
                      for c in report.channels if c.delivered is not None],
        **_backlog_view(report, dates),
        "campaigns": [_campaign_view(c, dates) for c in report.campaigns],
        "engagement": _engagement_view(report, dates),
        "flow": _flow_view(report, dates),
        "authors": [{"author": a.author, "published": a.published, "scheduled": a.scheduled,
                     "review": a.review, "draft": a.draft, "total": a.total}
                    for a in report.authors],
        "style": _style_view(report),
    }


def _card_view(report: Report, section: dict[str, Any], dates: _Dates) -> dict[str, Any]:
    """A summary card: its counts, channels by count, and posts and events in time order."""
    colors = {c.name: c.color for c in report.channels}
    names = {c.name: channel_label(c.name, c.kind) for c in report.channels}
    by_count = sorted(section["by_channel"].items(), key=lambda kv: (-kv[1], kv[0]))
    zone = report.period.zone
    entries = [(p["date"], p["title"], p.get("status", "ready")) for p in section["post_list"]]
    entries += [(e["start"], f"Event: {e['title']}", "ready") for e in section["event_list"]]
    return {**section,
            "channels": [{"name": names.get(k, k), "count": v, "color": colors.get(k, MUTED)}
                         for k, v in by_count],
            "timeline": [{"when": dates.day(when, zone), "title": title, "status": status}
                         for when, title, status in sorted(entries, key=lambda e: (e[0], e[1]))]}


def _kpis_view(report: Report) -> list[dict[str, str]]:
    counts = Counter(i.status for i in report.backlog)
    total, lead = report.engagement_total, report.lead_time
    return [
        {"label": "Channel items out", "value": number(report.went_out["items"]),
         "note": f"{counted(report.went_out['posts'], 'post')} published"},
        {"label": "Scheduled", "value": number(report.planned["items"]),
         "note": f"{report.planned['pending_items']} more waiting for approval"},
        {"label": "Backlog", "value": number(len(report.backlog)),
         "note": (f"{counts['draft']} drafts · {counts['review']} in review · "
                  f"{counts['ready']} ready")},
        {"label": "Engagements", "value": number(total.engagements) if total.items else "–",
         "note": f"rate {percent(total.rate)} of {number(total.impressions)} impressions"
         if total.items else "no metrics for the period"},
        {"label": "Lead time, median", "value": duration(lead.median_hours),
         "note": f"{counted(lead.count, 'post')} through review" if report.history.available
         else "shallow git history" if report.history.shallow else "no git history"},
    ]


def _cadence_view(report: Report) -> list[dict[str, Any]]:
    rows = []
    for c in report.channels:
        cells = [{"text": f"{cw.ready}/{cw.cadence}" if cw.cadence is not None else str(cw.ready),
                  "pending": cw.review + cw.draft, "open": cw.open, "past": cw.past,
                  "now": cw.week == report.now_week}
                 for cw in report.channel_weeks if cw.channel == c.name]
        rows.append({"name": channel_label(c.name, c.kind), "kind": c.kind, "color": c.color,
                     "cadence": c.cadence_per_week, "missed": c.missed, "open": c.open,
                     "cells": cells})
    return rows


def _backlog_view(report: Report, dates: _Dates) -> dict[str, Any]:
    zone = report.period.zone
    counts = Counter(i.status for i in report.backlog)
    return {"backlog_counts": {s: counts[s] for s in ("draft", "review", "ready")},
            "backlog": [{"title": i.title, "path": i.path, "status": i.status,
                         "date": dates.day(i.date, zone, True), "author": i.author or "–",
                         "since": dates.day(i.since, zone) if i.since else "", "risk": i.risk}
                        for i in report.backlog]}


def _campaign_view(c: CampaignReport, dates: _Dates) -> dict[str, Any]:
    measured = c.goal_value is not None and c.goal_metric is not None
    return {"title": c.title, "name": c.name, "color": c.color, "dates": dates.span(c.start, c.end),
            "state": c.state, "elapsed": f"{c.elapsed:.0%}", "posts": c.posts, "items": c.items,
            "in_window": c.in_window, "outside": c.before + c.after, "unplaced": c.unplaced,
            "goal": f"{number(c.goal_value)} {c.goal_metric}" if measured else (c.goal or "–"),
            "reached": number(getattr(c.totals, c.goal_metric)) if measured else "–",
            "progress": percent(c.progress), "totals": _totals_view(c.totals)}


def _engagement_view(report: Report, dates: _Dates) -> dict[str, Any]:
    colors = {c.name: c.color for c in report.channels}
    names = {c.name: channel_label(c.name, c.kind) for c in report.channels}
    zone = report.period.zone
    channels = sorted(report.by_channel.items(), key=lambda kv: -kv[1].engagements)
    return {
        "total": _totals_view(report.engagement_total),
        "channels": [{"name": names.get(n, n), "color": colors.get(n, MUTED), **_totals_view(t)}
                     for n, t in channels],
        "items": [{"id": e.id, "channel": names.get(e.channel, e.channel), "title": e.title, "at": dates.day(e.at, zone),
                   "source": e.source, "source_short": e.source.rsplit("/", 1)[-1],
                   **_totals_view(e.totals)}
                  for e in report.items if report.period.holds(e.at)],
        "files": [{"path": f.path, "format": f.format or "unknown", "rows": f.rows}
                  for f in report.metrics_files],
        "unmatched": [{"source": m.row.where, "source_short": m.row.where.rsplit("/", 1)[-1],
                       "what": m.row.url or m.row.id or (m.row.text or "")[:60],
                       "impressions": number(m.row.impressions),
                       "engagements": number(m.row.engagements), "reason": m.reason}
                      for m in report.unmatched],
        "problems": [d.as_text() for d in report.metrics_problems],
    }


def _flow_view(report: Report, dates: _Dates) -> dict[str, Any]:
    zone, lead, review = report.period.zone, report.lead_time, report.review_time
    rows = [f for f in report.flows if f.in_review_now or report.period.holds(f.published)]
    return {
        "available": report.history.available, "reason": report.history.reason,
        "lead": {"count": lead.count, "median": duration(lead.median_hours),
                 "mean": duration(lead.mean_hours), "max": duration(lead.max_hours)},
        "review": {"count": review.count, "median": duration(review.median_hours),
                   "max": duration(review.max_hours)},
        "skipped": report.skipped_review,
        "rows": [{"title": f.title, "path": f.path, "author": f.author or "–",
                  "entered": dates.day(f.entered_review, zone), "review": duration(f.review_hours),
                  "now": f.in_review_now, "lead": duration(f.lead_hours),
                  "published": dates.day(f.published, zone) if f.published else ""} for f in rows],
    }


def _style_view(report: Report) -> dict[str, Any]:
    weeks = [w for w, _ in report.weeks]
    return {"weeks": [w.split("-")[1] for w in weeks],
            "rows": [{"rule": r.rule, "level": r.level, "total": r.total, "undated": r.undated,
                      "cells": [r.weeks.get(w, 0) for w in weeks]} for r in report.style],
            "undated": any(r.undated for r in report.style)}


def report_context(site: Site, report: Report,
                   diagnostics: Sequence[Diagnostic] = ()) -> dict[str, Any]:
    """The report page: the review site's header (views, problems, subscribe) and the report."""
    labels = Labels(site.settings.site.language or DEFAULT_LOCALE)
    title = f"Report · {page_view(report, labels)['period']}"
    return {**base_context(site),
            **header_context(site, level_counts(diagnostics), "../", "report", title, labels),
            "report": page_view(report, labels),
            "charts": {"cadence": cadence_chart(report, labels), "backlog": backlog_chart(report),
                       "engagement_channel": engagement_chart(report),
                       "campaigns": campaign_chart(report, labels)},
            "canonical": site.settings.site.base_url + REPORT_PAGE[:-len("index.html")]}


def plan_report(site: Site, diagnostics: Sequence[Diagnostic] | None = None) -> list[Output]:
    """review/report/index.html; depends on everything (metrics and git history included)."""
    if diagnostics is None:
        diagnostics = site_diagnostics(site)
    report = build_report(site, diagnostics, by_day=True)
    return [Output(REPORT_PAGE, REPORT_TEMPLATE, report_context(site, report, diagnostics),
                   deps=frozenset({"*"}))]
