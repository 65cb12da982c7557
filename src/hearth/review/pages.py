"""The review site's pages: what `review/` holds, planned as `Output`s.

A month grid per month, a page per ISO week, the agenda, the problem list,
`calendar.ics`, `robots.txt`, the assets and the media the views show. The
page contexts are pure data; rendering them is the templates' job
(templates/review/*), writing them the writer's.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from ..assemble.site import Site
from ..diagnostics import Diagnostic
from ..plan.outputs import Output
from ..validate import site_diagnostics
from .ics import review_ics
from .model import (EVENT_COLOR, HUB_COLOR, STATUS_LABELS, STATUSES, AgendaItem, agenda,
                    level_counts, problem_summary, pseudo_lanes, review_window)
from .views import DEFAULT_LOCALE, Labels, Views, problem_view

NO_CAMPAIGN = "none"              # the filter value of items outside every campaign
DAY_CHIPS = 3                     # a month day shows this many chips, then "+N more"
AGENDA_PAST_DAYS = 7              # the agenda begins this many days back (the month pages hold the rest)
AGENDA_CARD_DAYS = 7              # ... shows cards up to this many days ahead, then one-line rows
ICS_HISTORY_DAYS = 90             # calendar.ics: what ended longer ago than this is left out


def _month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _week_key(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _months(first: date, last: date) -> list[date]:
    months, d = [], first.replace(day=1)
    while d <= last:
        months.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    return months


def _weeks(first: date, last: date) -> list[date]:
    weeks, d = [], _monday(first)
    while d <= last:
        weeks.append(d)
        d += timedelta(days=7)
    return weeks


class _Pages:
    """The review site's page contexts: pure data, rendered by templates/review/*."""

    def __init__(self, site: Site, items: list[AgendaItem], diagnostics: list[Diagnostic]):
        self.site = site
        self.items = items
        self.zone = site.settings.site.zone
        self.today = site.now.astimezone(self.zone).date()
        self.first, self.last = review_window(site)
        self.months = _months(self.first, self.last)
        self.weeks = _weeks(self.first, self.last)
        self.month_keys = {_month_key(m) for m in self.months}
        self.week_keys = {_week_key(w) for w in self.weeks}
        self.views = Views(site, items, place=self._place)
        self.labels = self.views.labels
        self.problems = problem_summary(diagnostics, items)
        self.counts = level_counts(diagnostics)
        self.by_day: dict[date, list[AgendaItem]] = defaultdict(list)   # chips: posts, channel posts, events
        self.bands = [i for i in items if i.kind == "campaign"]
        self.blackouts = [i for i in items if i.kind == "blackout"]
        for item in items:
            if item.kind in ("post", "channel-post", "event"):
                self.by_day[item.first_day].append(item)
        self._days = sorted(self.by_day)
        self.spans = [i for i in items if i.kind in ("campaign", "blackout")]   # in time order
        self.listed = self.by_day            # the same items, day by day, for the lists
        self.members = Counter(i.campaign for i in items if i.kind != "campaign" and i.campaign)
        self.filters = self._filters(items)

    def _place(self, item: AgendaItem, view: dict[str, Any]) -> None:
        """What the pages add to an item's view: a band's members, its week and anchor."""
        if item.kind == "campaign":
            view["members"] = self.members.get(item.campaign, 0)
        shown_from = max(item.first_day, self.first)
        week = _week_key(shown_from)
        # an item ended before the window has no week page holding its card
        view["week"] = week if week in self.week_keys and item.last_day >= self.first else ""
        view["day_anchor"] = f"day-{shown_from.isoformat()}"

    # ---- shared

    def _on_page(self, first: date, last: date) -> list[AgendaItem]:
        """The items a page of [first, last] shows: what the filter counts count.
        In the items' order: `by_day` holds every kind but the bands, each day's in
        order, and the items are sorted by their start, so by their first day."""
        days = self._days
        return [i for d in days[bisect_left(days, first):bisect_right(days, last)]
                for i in self.by_day[d]]

    def _filters(self, items: list[AgendaItem]) -> dict[str, list[dict[str, Any]]]:
        """The filter groups with how many of the page's `items` each value has
        (campaign and blackout bands are not counted: they are not filtered out)."""
        calendar = self.site.calendar
        hub_lane, events_lane = pseudo_lanes(self.site)
        lanes = [{"value": hub_lane, "label": "Hub posts", "color": HUB_COLOR}]
        if calendar is not None:
            lanes += [{"value": c.name, "label": self.views.label(c.name), "color": c.color}
                      for c in calendar.channels if c.kind != "newsletter"]
        lanes.append({"value": events_lane, "label": "Events", "color": EVENT_COLOR})
        items = [i for i in items if i.kind not in ("campaign", "blackout")]
        tally = Counter(i.lane for i in items if i.lane)
        for lane in lanes:
            lane["count"] = tally.get(lane["value"], 0)
        status_tally = Counter(i.status for i in items if i.status)
        statuses = [{"value": v, "label": STATUS_LABELS[v], "color": "", "count": status_tally.get(v, 0)}
                    for v in STATUSES]
        campaign_tally = Counter(i.campaign for i in items)
        campaigns = [{"value": c.campaign, "label": c.title, "color": c.color,
                      "count": campaign_tally.get(c.campaign, 0)}
                     for c in sorted(self.bands, key=lambda b: (b.first_day, b.title))]
        campaigns.append({"value": NO_CAMPAIGN, "label": "No campaign", "color": "",
                          "count": campaign_tally.get(None, 0)})
        return {"channel": lanes, "status": statuses, "campaign": campaigns}

    def common(self, root: str, page: str, title: str,
               shown: list[AgendaItem] | None = None) -> dict[str, Any]:
        """What every page's header reads; `shown`: the items the filters count."""
        return {**header_context(self.site, self.counts, root, page, title, self.labels),
                "filters": self.filters if shown is None else self._filters(shown)}

    def _details(self, first: date, last: date, full: tuple[date, date] | None = None) -> list[dict[str, Any]]:
        """The items of [first, last] grouped by day: the list under a grid, the agenda.
        A campaign or blackout begun earlier opens the period. With `full`, only
        the days of that range show cards; the others are marked compact, shown
        as rows linking to the cards on their week's page."""
        days: dict[date, list[dict]] = defaultdict(list)
        for band in self.spans:
            if band.last_day >= first and band.first_day <= last:
                days[max(band.first_day, first)].append(self.views[band])
        day = first
        while day <= last:
            if day in self.listed:
                days[day] += [self.views[i] for i in self.listed[day]]
            day += timedelta(days=1)
        return [{"date": d.isoformat(), "label": self.labels.day_full(d), "today": d == self.today,
                 "compact": full is not None and not full[0] <= d < full[1], "month": _month_key(d),
                 "items": days[d]} for d in sorted(days)]

    def _day_cell(self, d: date, in_period: bool) -> dict[str, Any]:
        """A day of a grid. A blackout of every channel shades it; one of some
        channels does not (the others still post): its band names them."""
        closed = any(not b.channels for b in self.blackouts if b.first_day <= d <= b.last_day)
        items = [self.views[i] for i in self.by_day.get(d, ())]
        week = _week_key(d)
        return {"date": d.isoformat(), "number": d.day, "label": self.labels.day_full(d),
                "short": self.labels.day(d), "in_period": in_period, "today": d == self.today,
                "past": d < self.today, "weekend": d.weekday() >= 5, "closed": closed,
                "items": items[:DAY_CHIPS] if len(items) > DAY_CHIPS + 1 else items,
                "more": items[DAY_CHIPS:] if len(items) > DAY_CHIPS + 1 else [],
                "week": week if week in self.week_keys and items else "",
                "month": _month_key(d) if _month_key(d) in self.month_keys else None}

    def _week_bands(self, monday: date) -> tuple[list[dict[str, Any]], int]:
        """Campaign and blackout bands crossing a week: (bands with their lane and columns, lanes)."""
        sunday = monday + timedelta(days=6)
        lanes_end: list[date] = []
        bands = []
        spans = sorted(self.bands, key=lambda b: (b.first_day, b.title))
        spans += sorted(self.blackouts, key=lambda b: (b.first_day, b.title))
        for band in spans:
            if band.last_day < monday or band.first_day > sunday:
                continue
            start, end = max(band.first_day, monday), min(band.last_day, sunday)
            lane = next((n for n, busy in enumerate(lanes_end) if busy < start), None)
            if lane is None:
                lane = len(lanes_end)
                lanes_end.append(end)
            else:
                lanes_end[lane] = end
            view = self.views[band]
            bands.append({**view, "lane": lane, "col_start": (start - monday).days + 1,
                          "col_end": (end - monday).days + 2,
                          "continues_before": band.first_day < monday,
                          "continues_after": band.last_day > sunday})
        return bands, len(lanes_end)

    def _week_row(self, monday: date, in_period) -> dict[str, Any]:
        bands, lanes = self._week_bands(monday)
        days = [self._day_cell(monday + timedelta(days=n), in_period(monday + timedelta(days=n)))
                for n in range(7)]
        key = _week_key(monday)
        return {"key": key, "number": monday.isocalendar()[1], "days": days, "bands": bands,
                "lanes": lanes, "url": f"week/{key}/" if key in self.week_keys else None}

    # ---- pages

    def month(self, first_day: date, root: str) -> dict[str, Any]:
        last_day = (first_day + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        weeks = [self._week_row(m, lambda d: d.month == first_day.month)
                 for m in _weeks(first_day, last_day)]
        prev_month = (first_day - timedelta(days=1)).replace(day=1)
        next_month = last_day + timedelta(days=1)
        title = self.labels.month(first_day)
        grid_first, grid_last = _monday(first_day), _monday(last_day) + timedelta(days=6)
        context = self.common(root, "month", title, self._on_page(grid_first, grid_last))
        context.update({
            "month": {"key": _month_key(first_day), "title": title, "weeks": weeks,
                      "prev": _month_key(prev_month) if _month_key(prev_month) in self.month_keys else None,
                      "next": _month_key(next_month) if _month_key(next_month) in self.month_keys else None,
                      "prev_label": self.labels.month(prev_month), "next_label": self.labels.month(next_month),
                      "week": next((w["key"] for w in weeks if w["url"] and (
                          first_day <= self.today <= last_day) and w["key"] == _week_key(self.today)),
                          next((w["key"] for w in weeks if w["url"]), None))},
            "weekdays": self.labels.weekdays("abbreviated"), "weekdays_long": self.labels.weekdays("wide"),
            # the month's campaigns and blackouts; every other card is on its week's page
            "spans": [self.views[b] for b in self.spans
                      if b.last_day >= first_day and b.first_day <= last_day],
            "month_weeks": [{"key": w["key"], "number": w["number"], "url": w["url"],
                             "count": sum(len(d["items"]) + len(d["more"]) for d in w["days"])}
                            for w in weeks],
        })
        return context

    def week(self, monday: date, root: str) -> dict[str, Any]:
        sunday = monday + timedelta(days=6)
        row = self._week_row(monday, lambda d: True)
        previous, following = _week_key(monday - timedelta(days=7)), _week_key(monday + timedelta(days=7))
        title = f"Week {row['number']} · {self.labels.span(monday, sunday)}, {sunday.year}"
        context = self.common(root, "week", title, self._on_page(monday, sunday))
        context.update({
            # the month page of the week's Thursday (ISO's rule), else of any day it has
            "week": {**row, "title": title, "month": next(
                (k for k in (_month_key(monday + timedelta(days=n)) for n in (3, 0, 6))
                 if k in self.month_keys), None),
                     "prev": previous if previous in self.week_keys else None,
                     "next": following if following in self.week_keys else None},
            "weekdays": self.labels.weekdays("abbreviated"),
            "details": self._details(monday, sunday),
        })
        return context

    def agenda(self, root: str) -> dict[str, Any]:
        """From a week back to the end: cards until a week ahead (the days a
        manager acts on), one-line rows after, linking to the cards on the
        week pages. Older days are the month pages' (an agenda of a quarter's
        history was most of a 400 KB page at 2,000 posts)."""
        start = max(self.first, self.today - timedelta(days=AGENDA_PAST_DAYS))
        context = self.common(root, "agenda", "Agenda", self._on_page(start, self.last))
        months = []
        for first_day in self.months:
            last_day = (first_day + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            if last_day < start:
                continue
            days = self._details(max(first_day, start), last_day,
                                 (start, self.today + timedelta(days=AGENDA_CARD_DAYS)))
            if days:
                months.append({"key": _month_key(first_day), "title": self.labels.month(first_day),
                               "days": days})
        context["months"] = months
        context["earlier"] = [{"key": _month_key(m), "title": self.labels.month(m)}
                              for m in self.months if m < start.replace(day=1) or (
                                  m == start.replace(day=1) and start.day > 1)]
        upcoming = [day["date"] for month in months for day in month["days"]
                    if day["date"] >= self.today.isoformat()]
        context["today_anchor"] = f"day-{upcoming[0]}" if upcoming else ""
        return context

    def problems_page(self, root: str) -> dict[str, Any]:
        context = self.common(root, "problems", "Problems")
        rows = []
        for problem in self.problems:
            d = problem.diagnostic
            rows.append({**problem_view(d), "items": [
                {"key": i.key, "title": i.title, "lane": self.views[i]["lane_label"],
                 "date": self.views[i]["date_label"], "week": self.views[i]["week"],
                 "status": i.status or "", "kind": i.kind} for i in problem.items]})
        context["problems"] = rows
        return context


def header_context(site: Site, counts: dict[str, int], root: str, page: str, title: str,
                   labels: Labels | None = None) -> dict[str, Any]:
    """The header every review page shares (the report's too): views, problem
    count, subscribe link, the moment it was made. `counts`: problems by level."""
    s = site.settings.site
    labels = labels or Labels(s.language or DEFAULT_LOCALE)
    now = site.now.astimezone(s.zone)
    today = now.date()
    return {
        "lang": s.language, "root": root, "page": page, "title": title,
        "site": {"title": s.title, "base_url": s.base_url, "timezone": s.timezone},
        # the day only, not the time: every review page would change at every build
        "generated": labels.day(today),
        "today_month": _month_key(today), "today_week": _week_key(today),
        "filters": {}, "counts": counts, "problem_total": sum(counts.values()),
        "has_report": True,          # review/report/ is always planned
    }


def plan_review(site: Site) -> list[Output]:
    """review/: a month grid per month, a page per week, the agenda, the
    problem list, calendar.ics, robots.txt, the assets and the media it shows."""
    diagnostics = site_diagnostics(site)
    items = agenda(site, diagnostics=diagnostics)
    pages = _Pages(site, items, diagnostics)
    deps = frozenset({"*"})
    outputs: list[Output] = []
    current = pages.today.replace(day=1)
    outputs.append(Output("review/index.html", "review/month.html", pages.month(current, ""), deps=deps))
    for first_day in pages.months:
        key = _month_key(first_day)
        outputs.append(Output(f"review/{key}/index.html", "review/month.html",
                              pages.month(first_day, "../"), deps=deps))
    for monday in pages.weeks:
        key = _week_key(monday)
        outputs.append(Output(f"review/week/{key}/index.html", "review/week.html",
                              pages.week(monday, "../../"), deps=deps))
    outputs.append(Output("review/agenda/index.html", "review/agenda.html", pages.agenda("../"), deps=deps))
    outputs.append(Output("review/problems/index.html", "review/problems.html",
                          pages.problems_page("../"), deps=deps))
    since = pages.today - timedelta(days=ICS_HISTORY_DAYS)
    recent = [i for i in items if i.last_day >= since]
    outputs.append(Output("review/calendar.ics", data=lambda: review_ics(site, recent), deps=deps))
    outputs.append(Output("review/robots.txt", data=b"User-agent: *\nDisallow: /\n", deps=deps))
    outputs += _assets(site)
    content = site.settings.root / "content"
    outputs += [Output(f"review/{rel}", copy_from=content / rel, deps=frozenset({f"content/{rel}"}))
                for rel in sorted(pages.views.used_media)]
    return outputs


# The review's own stylesheet and script live in templates/review/assets/, not in
# templates/assets/: those are the hub's and are copied to dist/hub/, which must
# hold nothing of the review. The logo and icon are the hub's.
REVIEW_ASSETS = (("review/assets/review.css", "review.css"), ("review/assets/review.js", "review.js"),
                 ("assets/logo.svg", "logo.svg"), ("assets/favicon.svg", "favicon.svg"))


def _assets(site: Site) -> list[Output]:
    """review/assets/: a hub's own templates/ wins over the built-in theme, file by file."""
    from ..theme import builtin_templates

    outputs = []
    for source, name in REVIEW_ASSETS:
        for base in (site.settings.root / "templates", builtin_templates()):
            path = base / source
            if path.is_file():
                outputs.append(Output(f"review/assets/{name}", copy_from=path,
                                      deps=frozenset({f"templates/{source}"})))
                break
    return outputs
