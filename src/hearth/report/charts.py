"""The report page's SVG charts: accessible (a title, a description that says
what the chart shows), no script, no library; colours are the channels' own.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

from markupsafe import Markup

from ..channels.kinds import channel_label
from ..review.views import DEFAULT_LOCALE, Labels
from .model import Report
from .numbers import number, percent

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK, MUTED, GRID, SHORT = "#1f2937", "#6b7280", "#e5e7eb", "#b91c1c"
MET, OPEN = "#15803d", "#b45309"     # the cadence tick: met (green), still to fill (amber), missed (red)
PAPER, NOW_BAND, NOW_TEXT, TRACK = "#ffffff", "#fef3c7", "#92400e", "#f3f4f6"
# The page restyles these in dark mode (review.css): each painted colour carries a class.
_CLASSES = {("fill", INK): "c-ink", ("fill", MUTED): "c-muted", ("fill", SHORT): "c-short",
            ("fill", PAPER): "c-paper", ("fill", NOW_BAND): "c-now", ("fill", NOW_TEXT): "c-now-text",
            ("fill", TRACK): "c-track", ("fill", OPEN): "c-open", ("fill", MET): "c-met",
            ("stroke", INK): "s-ink", ("stroke", GRID): "s-grid", ("stroke", SHORT): "s-short",
            ("stroke", MUTED): "s-muted", ("stroke", MET): "s-met", ("stroke", OPEN): "s-open"}
STATUS_COLORS = {"draft": "#9ca3af", "review": "#d97706", "ready": "#2563eb"}


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _attrs(attrs: dict[str, Any]) -> str:
    """Keyword arguments → SVG attributes (`stroke_width` → `stroke-width`; None: left out)."""
    parts = []
    classes = [_CLASSES[(key, value)] for key, value in attrs.items() if (key, value) in _CLASSES]
    own = attrs.pop("own_color", None)     # a channel's or campaign's colour, lightened in the dark
    if own is not None:
        classes.append("c-own")
        attrs = {**attrs, "style": f"--c: {own}"}
    if classes:
        attrs = {**attrs, "class": " ".join(classes)}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = f"{value:.1f}"
        parts.append(f'{key.replace("_", "-")}="{_e(value)}"')
    return " ".join(parts)


def _el(tag: str, **attrs: Any) -> str:
    return f"<{tag} {_attrs(attrs)}/>"


def _text(x: float, y: float, content: Any, **attrs: Any) -> str:
    return f"<text {_attrs({'x': x, 'y': y, **attrs})}>{_e(content)}</text>"


def _svg(key: str, width: int, height: float, title: str, desc: str, body: list[str]) -> Markup:
    """An accessible chart: role img, labelled by its <title> and described by its <desc>."""
    head = _attrs({"xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width} {height:.0f}",
                   "width": width, "height": f"{height:.0f}", "role": "img",
                   "aria-labelledby": f"{key}-title {key}-desc", "font-family": FONT,
                   "font-size": 12})
    return Markup(f'<svg {head}><title id="{key}-title">{_e(title)}</title>'
                  f'<desc id="{key}-desc">{_e(desc)}</desc>' + "".join(body) + "</svg>")


def cadence_chart(report: Report, labels: Labels | None = None) -> Markup:
    """Small multiples: a row per channel, a bar per week, a tick at the cadence."""
    weeks, rows = report.weeks, report.channels
    labels = labels or Labels(DEFAULT_LOCALE)
    width, label_w, top, row_h, gap = 720, 100, 34, 58, 8
    col = (width - label_w - 10) / max(1, len(weeks))
    height = top + len(rows) * (row_h + gap) + 26
    peak = max([cw.ready + cw.review + cw.draft for cw in report.channel_weeks]
               + [cw.cadence or 0 for cw in report.channel_weeks] + [1])
    scale = (row_h - 16) / peak
    body = [_legend(10, 14, [("went out", "solid"), ("scheduled", "pale"),
                             ("draft / review", "dashed"), ("cadence met", "met"),
                             ("to fill", "open"), ("missed", "missed")])]
    now_index = next((i for i, (w, _) in enumerate(weeks) if w == report.now_week), None)
    if now_index is not None:
        x = label_w + now_index * col
        body.append(_el("rect", x=x, y=top - 6, width=col, height=height - top - 20,
                        fill=NOW_BAND, opacity=0.6))
        body.append(_text(x + col / 2, top - 9, "now", text_anchor="middle", fill=NOW_TEXT,
                          font_size=10))
    for r, channel in enumerate(rows):
        y0 = top + r * (row_h + gap)
        base = y0 + row_h
        slots = f"{channel.cadence_per_week or 'no'} slots/week"
        body.append(_text(0, y0 + row_h / 2, channel_label(channel.name, channel.kind), fill=INK,
                          font_weight=600))
        body.append(_text(0, y0 + row_h / 2 + 14, slots, fill=MUTED, font_size=10))
        body.append(_el("line", x1=label_w, x2=width - 10, y1=base, y2=base, stroke=GRID))
        own = [cw for cw in report.channel_weeks if cw.channel == channel.name]
        for i, cw in enumerate(own):
            x, w, y = label_w + i * col + col * 0.2, col * 0.6, float(base)
            for count, fill, opacity, dash in ((cw.sent, channel.color, 1.0, None),
                                               (cw.scheduled, channel.color, 0.45, None),
                                               (cw.review + cw.draft, PAPER, 1.0, "3 2")):
                if count:
                    y -= count * scale
                    body.append(_el("rect", own_color=channel.color, x=x, y=y, width=w,
                                    height=count * scale, fill=fill,
                                    fill_opacity=opacity, stroke=channel.color,
                                    stroke_dasharray=dash))
            tick = base - (cw.cadence or 0) * scale
            state = _tick_state(cw.open, cw.past)
            if cw.cadence is not None:
                body.append(_el("line", x1=x - 4, x2=x + w + 4, y1=tick, y2=tick, stroke_width=2,
                                stroke=TICK_COLORS[state],
                                stroke_dasharray="4 2" if state == "open" else None))
            shown = f"{cw.ready}/{cw.cadence}" if cw.cadence is not None else str(cw.ready)
            body.append(_text(x + w / 2, min(y, tick) - 4, shown, text_anchor="middle",
                              font_size=10, fill=MUTED if state == "met" else TICK_COLORS[state],
                              font_weight=700 if state == "missed" else None))
    for i, (label, monday) in enumerate(weeks):
        x = label_w + i * col + col / 2
        body.append(_text(x, height - 12, label.split("-")[1], text_anchor="middle", fill=INK,
                          font_size=10))
        body.append(_text(x, height - 1, labels.day_short(monday), text_anchor="middle", fill=MUTED,
                          font_size=9))
    below = [f"{channel_label(c.name, c.kind)} ({', '.join(c.gap_weeks)})" for c in rows if c.gap_weeks]
    desc = (f"Ready items per ISO week on {len(rows)} channels from {weeks[0][0]} to "
            f"{weeks[-1][0]}, against each channel's cadence. "
            if weeks and rows else "No channel. ")
    desc += f"Below cadence: {'; '.join(below)}." if below else "Every week meets its cadence."
    return _svg("cadence", width, height, "Items per week per channel, against cadence", desc, body)


TICK_COLORS = {"met": MET, "open": OPEN, "missed": SHORT}


def _tick_state(open_slots: int, past: bool) -> str:
    """What the cadence tick's colour says: the week's slots are all filled (met),
    some are empty in a week still to come, this one included (open: to fill),
    or some stayed empty in a week that is over (missed). Red means missed, only."""
    if not open_slots:
        return "met"
    return "missed" if past else "open"


def _legend(x: float, y: float, entries: list[tuple[str, str]]) -> str:
    parts = []
    for label, style in entries:
        if style in TICK_COLORS:
            parts.append(_el("line", x1=x, x2=x + 14, y1=y - 4, y2=y - 4, stroke=TICK_COLORS[style],
                             stroke_width=2, stroke_dasharray="4 2" if style == "open" else None))
        else:
            parts.append(_el("rect", x=x, y=y - 9, width=14, height=10, stroke=MUTED,
                             fill=PAPER if style == "dashed" else MUTED,
                             fill_opacity=0.45 if style == "pale" else None,
                             stroke_dasharray="3 2" if style == "dashed" else None))
        parts.append(_text(x + 19, y, label, fill=INK, font_size=11))
        x += 24 + 6.5 * len(label) + 12
    return "".join(parts)


def _hbars(key: str, title: str, desc: str, bars: list[tuple[str, float, str, str]]) -> Markup:
    """Horizontal bars: (label, value, colour, the text after the bar)."""
    width, label_w, row_h = 720, 150, 26
    room = width - label_w - 330
    peak = max([b[1] for b in bars] + [1])
    body = []
    for i, (label, value, color, note) in enumerate(bars):
        y = 4 + i * row_h
        w = room * value / peak
        body.append(_text(label_w - 8, y + 15, label, text_anchor="end", fill=INK))
        body.append(_el("rect", own_color=color, x=label_w, y=y + 3, width=max(w, 1.5), height=16,
                        fill=color, rx=2))
        body.append(_text(label_w + w + 6, y + 15, note, fill=INK))
    return _svg(key, width, len(bars) * row_h + 8, title, desc, body)


def backlog_chart(report: Report) -> Markup:
    counts = Counter(i.status for i in report.backlog)
    bars = [(label, counts[status], STATUS_COLORS[status], str(counts[status]))
            for label, status in (("Drafts", "draft"), ("In review", "review"),
                                  ("Ready, not yet out", "ready"))]
    at_risk = sum(1 for i in report.backlog if i.risk)
    desc = (f"{counts['draft']} drafts, {counts['review']} posts in review and {counts['ready']} "
            f"ready posts waiting for their date; {at_risk} at risk.")
    return _hbars("backlog", "Backlog by status", desc, bars)


def engagement_chart(report: Report) -> Markup:
    colors = {c.name: c.color for c in report.channels}
    names = {c.name: channel_label(c.name, c.kind) for c in report.channels}
    rows = sorted(((names.get(name, name), t, colors.get(name, MUTED))
                   for name, t in report.by_channel.items() if t.items),
                  key=lambda r: -r[1].engagements)
    bars = [(name, t.engagements, color,
             (f"{number(t.engagements)} engagements · {percent(t.rate)} of {number(t.impressions)} "
              "impressions")) for name, t, color in rows]
    desc = "; ".join((f"{name}: {number(t.engagements)} engagements, {number(t.impressions)} "
                      f"impressions, {number(t.clicks)} clicks") for name, t, _ in rows)
    desc = desc or "No metrics for this period."
    return _hbars("engagement-channel", "Engagements per channel", desc, bars)


def campaign_chart(report: Report, labels: Labels | None = None) -> Markup:
    """Progress to goal: the box is the goal, the fill what was reached, a dashed line the pace."""
    rows = report.campaigns
    width, label_w, row_h = 720, 150, 40
    room = width - label_w - 230
    body = []
    for i, c in enumerate(rows):
        y = 6 + i * row_h
        body.append(_text(label_w - 8, y + 14, c.title, text_anchor="end", fill=INK,
                          font_weight=600))
        body.append(_text(label_w - 8, y + 28, f"{(labels or Labels(DEFAULT_LOCALE)).span(c.start, c.end)} · {c.state}",
                          text_anchor="end", fill=MUTED, font_size=10))
        if c.goal_value:
            reached = getattr(c.totals, c.goal_metric)
            fill = room * min(1.0, reached / c.goal_value)
            pace = label_w + room * c.elapsed
            body.append(_el("rect", x=label_w, y=y + 4, width=room, height=20, fill=TRACK,
                            stroke=c.color, rx=3))
            body.append(_el("rect", x=label_w, y=y + 4, width=max(fill, 1.5), height=20,
                            fill=c.color, rx=3))
            body.append(_el("line", x1=pace, x2=pace, y1=y, y2=y + 28, stroke=INK, stroke_width=2,
                            stroke_dasharray="3 2"))
            note = (f"{number(reached)} / {number(c.goal_value)} {c.goal_metric} "
                    f"({percent(c.progress)})")
        else:
            note = f"{number(c.totals.engagements)} engagements; goal: {c.goal or 'none'}"
        body.append(_text(label_w + room + 8, y + 18, note, fill=INK))
    desc = "; ".join(
        f"{c.title}: {number(getattr(c.totals, c.goal_metric))} of {number(c.goal_value)} "
        f"{c.goal_metric} ({percent(c.progress)}), {c.elapsed:.0%} of its time gone"
        if c.goal_value
        else f"{c.title}: no numeric goal" for c in rows) or "No campaign in this period."
    return _svg("engagement-campaign", width, len(rows) * row_h + 10,
                "Campaigns against their goals", desc, body)
