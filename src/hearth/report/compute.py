"""Computing the report: the site model, the metrics rows and the post history
(all read by loading) → a `Report`. Pure: no disk, no git.

Decisions the contract leaves open:

- The period is `--from`/`--to`, inclusive dates in the site's zone; the
  default is the ISO week of now with the four weeks before and after it,
  whole weeks. Weekly tables use the ISO weeks that overlap the period; a
  week cut by `--from`/`--to` counts only its days inside it, for items and
  for cadence alike.
- Channel totals of engagement count the items that went out in the period;
  a campaign counts all its items, whenever they went out.
- Style findings are counted in the week of the post's date; pages have a
  column of their own, the guidelines (full of bad examples) none.
- Cadence is a channel's slots per week, less the slots that fall on a
  blackout day for that channel. A week's open slots are cadence minus the
  `ready` items placed in it; in a past week they are slots that were
  missed. Draft and review items are shown beside, as what could fill them.
- Backlog is a snapshot at `now`: drafts, items in review, and `ready` posts
  whose date has not come yet.
- Lead time runs from the first commit where a post's `status` is `review`
  to its publication: the later of the first `ready` commit after it and the
  post's `date`. Time in review adds up every stretch spent in `review`.
  Commit times are author dates (`%aI`). A shallow clone gives none of them.
- A numeric campaign `goal` (or a text like "800 engagements") is a number
  of engagements unless it names impressions or clicks.
- When several metrics rows match one queue item (overlapping exports), the
  one with the most impressions counts: metrics only grow.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..assemble.site import Site
from ..channels.kinds import SENT_BY_HEARTH, channel_label
from ..diagnostics import Diagnostic
from ..load.history import History
from ..load.metrics import METRICS_DIR, Metrics, MetricsRow, normalize_name, parse_count
from ..plural import counted
from ..review.views import DEFAULT_LOCALE, Labels
from ..validate import site_diagnostics
from .model import (AuthorRow, BacklogItem, CampaignReport, ChannelSummary, ChannelWeek,
                    FlowStats, ItemEngagement, Match, Period, Report, ReviewFlow, Risk, StyleRow,
                    Totals, make_period, week_label)

REVIEW_TOO_LONG = timedelta(days=7)     # an item in review longer than this is at risk
DUE_SOON = timedelta(days=7)            # a draft or review item due within this is at risk

# Hearth's own checks: every other rule that fires on a post is a style finding.
OWN_CHECKS = frozenset({
    "", "yaml", "front-matter", "encoding", "campaign", "channel", "channels", "channel-limit",
    "alt-text", "media", "duplicate-slug", "event", "template", "path", "metrics", "typo",
    "permalink", "static",
})


# ---------------------------------------------------------------- matching metrics rows

_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+")


def normalize_url(url: str) -> str:
    """Compare URLs without scheme, utm_* parameters, fragment or trailing slash."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_")]
    path = parts.path.rstrip("/")
    return urlunsplit(("", parts.netloc.lower(), path, urlencode(sorted(query)), ""))


def _utm_source(url: str) -> str | None:
    for key, value in parse_qsl(urlsplit(url.strip()).query):
        if key.lower() == "utm_source":
            return value.lower()
    return None


def _short_text(text: str) -> str:
    text = _URL_IN_TEXT.sub("", text)
    return " ".join(re.findall(r"\w+", text.casefold()))[:60]


def match_rows(site: Site, rows: Iterable[MetricsRow]) -> list[Match]:
    """Each row → the queue item it measures: by id, by URL (UTM stripped) and
    channel, or — for LinkedIn, whose export links to LinkedIn — by the URL or
    the opening words of the post text."""
    calendar = site.calendar
    items = tuple(calendar.channel_posts) if calendar is not None else ()
    by_id = {cp.id: cp for cp in items}
    by_url: dict[str, list[Any]] = defaultdict(list)
    for cp in items:
        by_url[normalize_url(site.absolute_url(cp.post))].append(cp)
    channels = list(calendar.channels) if calendar is not None else []
    matches = []
    for row in rows:
        if row.id:
            cp = by_id.get(row.id)
            matches.append(Match(row, cp, "" if cp else f"no queue item has the id '{row.id}'"))
            continue
        wanted = _channels_for(row, channels)
        if wanted is None:
            known = ", ".join(c.name for c in channels) or "none"
            matches.append(Match(row, None, f"unknown channel '{row.channel}' (channels: {known})"))
            continue
        urls = ([row.url] if row.url else []) + _URL_IN_TEXT.findall(row.text or "")
        candidates: list[Any] = []
        for url in urls:
            candidates = by_url.get(normalize_url(url), [])
            source = _utm_source(url)
            if candidates and source:
                wanted = wanted or {cp.channel.name for cp in candidates
                                    if cp.channel.utm.get("source", "").lower() == source}
            if candidates:
                break
        if not candidates and row.text:
            opening = _short_text(row.text)
            if len(opening) >= 12:
                candidates = [cp for cp in items if (not wanted or cp.channel.name in wanted)
                              and _short_text(cp.text).startswith(opening[:40])]
        if wanted:
            candidates = [cp for cp in candidates if cp.channel.name in wanted]
        if len(candidates) == 1:
            matches.append(Match(row, candidates[0]))
        elif not candidates:
            what = f" on {', '.join(sorted(wanted))}" if wanted else ""
            matches.append(Match(row, None, f"no queue item{what} links to this URL" if row.url
                                 else f"no queue item{what} has this URL or text"))
        else:
            ids = ", ".join(sorted(cp.id for cp in candidates))
            matches.append(Match(row, None, f"several queue items fit ({ids}): add a channel "
                                            "or id column, or keep the utm_source in the URL"))
    return matches


def _channels_for(row: MetricsRow, channels: list[Any]) -> set[str] | None:
    """The channel names a row can belong to, from its channel column (a channel's
    name, or a kind inside a profile name like "Open Garden (LinkedIn)") or its
    format; empty: any; None: the column names no channel of the hub."""
    if row.channel:
        said = normalize_name(row.channel)
        exact = {c.name for c in channels if c.name.lower() == said}
        if exact:
            return exact
        words = set(re.findall(r"[a-z0-9_-]+", said)) | set(re.findall(r"[a-z]+", said))
        if "twitter" in words:
            words.add("x")
        return {c.name for c in channels if c.kind in words or c.name.lower() in words} or None
    if row.format == "linkedin":
        return {c.name for c in channels if c.kind == "linkedin"}
    return set()


# ---------------------------------------------------------------- computing the report


def is_style_finding(d: Diagnostic, rule_ids: frozenset[str] | None = None) -> bool:
    """A rule of the style guide fired, not one of Hearth's own checks."""
    if rule_ids is not None:
        return d.rule in rule_ids
    return d.rule not in OWN_CHECKS and not d.rule.startswith("schedule.") \
        and not d.path.startswith(METRICS_DIR)


def style_rule_ids(site: Site) -> frozenset[str] | None:
    guide = getattr(site.sources, "guide", None)
    rules = getattr(guide, "rules", None)
    if rules is None:
        return None
    return frozenset(str(getattr(r, "id", "")) for r in rules)


def compute_report(site: Site, period: Period, diagnostics: Sequence[Diagnostic] = (),
                   metrics: Metrics = Metrics(), history: History = History(False, "not read"),
                   ) -> Report:
    """The whole report. Pure: every input is passed in."""
    zone = period.zone
    now = period.now
    calendar = site.calendar
    channel_posts = tuple(calendar.channel_posts) if calendar is not None else ()
    every = calendar.channels if calendar is not None else ()
    channels = [c for c in every if c.kind != "newsletter"]     # digests have no weekly cadence

    weeks = tuple(period.weeks())
    channel_weeks, summaries = _cadence(period, weeks, channels, channel_posts, calendar,
                                        site.sources.ledger)
    silent = tuple(w for w, _ in weeks if not any(
        cw.ready + cw.review + cw.draft for cw in channel_weeks if cw.week == w))

    matches = match_rows(site, metrics.rows)
    best: dict[str, Match] = {}
    for m in matches:
        if m.item is not None:
            kept = best.get(m.item.id)
            if kept is None or _size(m.row) > _size(kept.row):
                best[m.item.id] = m
    items = tuple(sorted((ItemEngagement(
        cp.id, cp.channel.name, cp.post.path, cp.post.title, cp.post.campaign,
        cp.at.astimezone(zone) if cp.at else None,
        Totals(m.row.impressions, m.row.engagements, m.row.clicks, 1), m.row.where)
        for m in best.values() for cp in [m.item]),
        key=lambda e: (-e.totals.engagements, e.id)))
    by_channel: dict[str, Totals] = {c.name: Totals() for c in channels}
    by_post: dict[str, Totals] = {}
    by_campaign: dict[str, Totals] = {}
    for e in items:
        if period.holds(e.at):
            by_channel[e.channel] = by_channel.get(e.channel, Totals()) + e.totals
            by_post[e.path] = by_post.get(e.path, Totals()) + e.totals
        if e.campaign:
            by_campaign[e.campaign] = by_campaign.get(e.campaign, Totals()) + e.totals

    campaigns = _campaigns(site, period, channel_posts, by_campaign)
    flows, lead, review, skipped = _flows(site, period, history)
    backlog = _backlog(site, period, flows)
    report = Report(
        title=site.settings.site.title, period=period, weeks=weeks,
        now_week=week_label(now.astimezone(zone)),
        went_out=_went_out(site, period, channel_posts),
        planned=_planned(site, period, channel_posts),
        risks=(), channel_weeks=channel_weeks, channels=summaries, silent_weeks=silent,
        campaigns=campaigns, backlog=backlog, authors=_authors(site, period),
        style=_style(site, period, diagnostics), history=history, flows=flows,
        lead_time=lead, review_time=review, skipped_review=skipped,
        metrics_files=metrics.files, items=items, by_channel=by_channel, by_post=by_post,
        by_campaign=by_campaign, unmatched=tuple(m for m in matches if m.item is None),
        metrics_problems=tuple(metrics.diagnostics))
    return _with_risks(report, diagnostics, Labels(site.settings.site.language or DEFAULT_LOCALE))


def _local(moment: datetime | None, zone) -> datetime | None:
    return moment.astimezone(zone) if moment is not None else None


def _delivered(ledger, channel, mine, period: Period, weeks) -> int | None:
    """How many of the items counted as gone out (ready, due, in the report's
    weeks) `hearth send` recorded as sent; None for a kind Hearth does not send."""
    if channel.kind not in SENT_BY_HEARTH or ledger is None:
        return None
    days = {day for _, monday in weeks for day in period.days_of(monday)}
    return sum(1 for cp in mine if cp.at is not None and cp.at <= period.now
               and cp.at.astimezone(period.zone).date() in days and cp.post.status == "ready"
               and (entry := ledger.get(channel.name, cp.id)) is not None and entry.state == "sent")


def _cadence(period: Period, weeks, channels, channel_posts, calendar, site_ledger=None):
    zone, now = period.zone, period.now
    today = now.astimezone(zone).date()
    rows: list[ChannelWeek] = []
    summaries = []
    for channel in channels:
        mine = [cp for cp in channel_posts if cp.channel.name == channel.name]
        for label, monday in weeks:
            days = set(period.days_of(monday))
            cadence = None
            if channel.slots:
                cadence = sum(1 for slot in channel.slots
                              if (day := monday + timedelta(days=slot.weekday)) in days
                              and calendar.channels.blackout_on(day, channel.name) is None)
            counts = Counter()
            for cp in mine:
                if cp.at is None or cp.at.astimezone(zone).date() not in days:
                    continue
                if cp.post.status == "ready":
                    counts["sent" if cp.at <= now else "scheduled"] += 1
                else:
                    counts[cp.post.status] += 1
            rows.append(ChannelWeek(channel.name, label, monday, cadence, counts["sent"],
                                    counts["scheduled"], counts["review"], counts["draft"],
                                    monday + timedelta(days=6) < today))
        own = [r for r in rows if r.channel == channel.name]
        summaries.append(ChannelSummary(
            channel.name, channel.kind, channel.color, len(channel.slots),
            sum(r.sent for r in own), sum(r.scheduled for r in own),
            sum(r.review + r.draft for r in own),
            sum(r.open for r in own if r.past), sum(r.open for r in own if not r.past),
            tuple(r.week for r in own if r.open),
            tuple(cp.post.path for cp in mine if cp.at is None and cp.post.status == "ready"
                  and period.holds(cp.post.date)),
            _delivered(site_ledger, channel, mine, period, weeks)))
    return tuple(rows), tuple(summaries)


_GOAL = re.compile(r"^\s*([\d][\d,. ]*)\s*(impressions|engagements|clicks)?\b", re.IGNORECASE)


def parse_goal(goal: Any) -> tuple[float | None, str | None]:
    if isinstance(goal, bool) or goal is None:
        return None, None
    if isinstance(goal, (int, float)):
        return float(goal), "engagements"
    match = _GOAL.match(str(goal))
    if not match:
        return None, None
    value = parse_count(match.group(1).strip())
    return (float(value), (match.group(2) or "engagements").lower()) if value else (None, None)


def _campaigns(site: Site, period: Period, channel_posts,
               by_campaign: dict[str, Totals]) -> tuple[CampaignReport, ...]:
    zone, now = period.zone, period.now
    today = now.astimezone(zone).date()
    found = []
    for campaign in site.sources.campaigns.values():
        if campaign.end < period.start or campaign.start > period.end:
            continue
        posts = [p for p in site.posts if p.campaign == campaign.name]
        mine = [cp for cp in channel_posts if cp.post.campaign == campaign.name]
        placed = [cp.at.astimezone(zone).date() for cp in mine if cp.at is not None]
        days = (campaign.end - campaign.start).days + 1
        elapsed = min(1.0, max(0.0, ((today - campaign.start).days + 1) / days))
        state = ("upcoming" if today < campaign.start
                 else "ended" if today > campaign.end else "running")
        totals = by_campaign.get(campaign.name, Totals())
        goal_value, goal_metric = parse_goal(campaign.goal)
        progress = None
        if goal_value:
            progress = getattr(totals, goal_metric) / goal_value
        found.append(CampaignReport(
            campaign.name, campaign.title, campaign.start, campaign.end, campaign.color, state,
            elapsed,
            len(posts), len(mine), sum(1 for d in placed if campaign.start <= d <= campaign.end),
            sum(1 for d in placed if d < campaign.start),
            sum(1 for d in placed if d > campaign.end),
            sum(1 for cp in mine if cp.at is None),
            None if campaign.goal is None else str(campaign.goal), goal_value, goal_metric,
            totals, progress))
    return tuple(sorted(found, key=lambda c: (c.start, c.name)))


def _flows(site: Site, period: Period, history: History):
    now = period.now
    flows = []
    skipped = 0
    for post in site.posts:
        changes = history.changes.get(post.path, ())
        entered = left = ready_at = None
        review = timedelta()
        stretch_start = None
        for change in changes:
            if change.status == "review":
                if stretch_start is None:
                    stretch_start = change.at
                    entered = entered or change.at
            elif stretch_start is not None:
                review += change.at - stretch_start
                stretch_start = None
                left = change.at
            if change.status == "ready" and entered is not None and ready_at is None:
                ready_at = change.at
        in_review_now = stretch_start is not None and post.status == "review"
        if stretch_start is not None:
            review += max(timedelta(), period.clock - stretch_start)
        published = None
        if post.is_public(now) and ready_at is not None:
            published = max(ready_at, post.date) if post.date else ready_at
        if entered is None:
            if history.available and post.is_public(now) and period.holds(post.date):
                skipped += 1
            continue
        flows.append(ReviewFlow(post.path, post.title, post.author, entered, left,
                                _hours(review), in_review_now, published,
                                _hours(published - entered) if published else None))
    in_period = [f for f in flows if period.holds(f.published)]
    lead = _stats([f.lead_hours for f in in_period if f.lead_hours is not None])
    review_stats = _stats([f.review_hours for f in in_period])
    return tuple(flows), lead, review_stats, skipped


def _hours(span: timedelta) -> float:
    return span.total_seconds() / 3600


def _size(row: MetricsRow) -> tuple[int, int]:
    return row.impressions, row.engagements


def _stats(values: list[float]) -> FlowStats:
    if not values:
        return FlowStats(0, None, None, None)
    return FlowStats(len(values), statistics.median(values), statistics.fmean(values), max(values))


def _backlog(site: Site, period: Period, flows) -> tuple[BacklogItem, ...]:
    now = period.now
    since = {f.path: f.entered_review for f in flows if f.in_review_now}
    items = []
    for post in site.posts:
        if post.status == "ready" and (post.date is None or post.date <= now):
            continue
        risk = ""
        if post.status != "ready" and post.date is not None:
            still = "still in review" if post.status == "review" else f"still a {post.status}"
            if post.date <= now:
                risk = f"its date has passed and it is {still}"
            elif post.date - now <= DUE_SOON:
                days = (post.date - now).days
                risk = f"due in {counted(days, 'day')}, {still}" if days else f"due today, {still}"
        waited = max(timedelta(), period.clock - since[post.path]) if post.path in since \
            else timedelta()
        if post.status == "review" and waited > REVIEW_TOO_LONG:
            risk = risk or f"in review for {waited.days} days"
        items.append(BacklogItem(post.path, post.title, post.status, _local(post.date, period.zone),
                                 post.author, post.campaign, since.get(post.path), risk))
    order = {"review": 0, "draft": 1, "ready": 2}
    return tuple(sorted(items, key=lambda i: (order.get(i.status, 3),
                                              i.date.timestamp() if i.date else 0, i.path)))


def _authors(site: Site, period: Period) -> tuple[AuthorRow, ...]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for post in site.posts:
        if not period.holds(post.date):
            continue
        if post.status == "ready":
            column = "published" if post.date <= period.now else "scheduled"
        else:
            column = post.status
        for name in [a.name for a in post.authors] or [post.author or "(no author)"]:
            counts[name][column] += 1
    rows = [AuthorRow(name, c["published"], c["scheduled"], c["review"], c["draft"])
            for name, c in counts.items()]
    return tuple(sorted(rows, key=lambda r: (-r.total, r.author.casefold())))


def _style(site: Site, period: Period, diagnostics: Sequence[Diagnostic]) -> tuple[StyleRow, ...]:
    dated = {p.path: p.date for p in site.posts}
    pages = {p.path for p in site.pages}       # the guidelines are left out: they show bad examples
    weeks: dict[str, Counter] = defaultdict(Counter)
    undated: Counter = Counter()
    levels: dict[str, str] = {}
    rule_ids = style_rule_ids(site)
    for d in diagnostics:
        if not is_style_finding(d, rule_ids):
            continue
        when = dated.get(d.path)
        if when is None:
            if d.path not in pages and d.path not in dated:
                continue
            undated[d.rule] += 1
        elif period.holds(when):
            weeks[d.rule][week_label(when.astimezone(period.zone))] += 1
        else:
            continue
        levels.setdefault(d.rule, d.level)
    rules = set(weeks) | set(undated)
    rows = [StyleRow(r, levels[r], dict(sorted(weeks[r].items())), undated[r],
                     sum(weeks[r].values()) + undated[r]) for r in rules]
    return tuple(sorted(rows, key=lambda r: (-r.total, r.rule)))


def _went_out(site: Site, period: Period, channel_posts) -> dict[str, Any]:
    now, zone = period.now, period.zone
    sent = [cp for cp in channel_posts
            if cp.post.status == "ready" and period.holds(cp.at) and cp.at <= now]
    published = sorted((p for p in site.public_posts if period.holds(p.date)),
                       key=lambda p: (p.date, p.path))
    events = _events(site, period.start_at, min(now, period.end_at))
    return {"posts": len(published), "items": len(sent),
            "by_channel": dict(Counter(cp.channel.name for cp in sent)), "events": len(events),
            "post_list": [{"path": p.path, "title": p.title, "date": p.date.astimezone(zone)}
                          for p in published],
            "event_list": events}


def _planned(site: Site, period: Period, channel_posts) -> dict[str, Any]:
    now, zone = period.now, period.zone
    later = [cp for cp in channel_posts if period.holds(cp.at) and cp.at > now]
    posts = sorted((p for p in site.posts if period.holds(p.date) and p.date > now),
                   key=lambda p: (p.date, p.path))
    statuses = Counter(p.status for p in posts)
    events = _events(site, max(now, period.start_at), period.end_at)
    return {"posts": len(posts), "ready_posts": statuses["ready"],
            "review_posts": statuses["review"], "draft_posts": statuses["draft"],
            "items": sum(1 for cp in later if cp.post.status == "ready"),
            "pending_items": sum(1 for cp in later if cp.post.status != "ready"),
            "by_channel": dict(Counter(cp.channel.name for cp in later
                                       if cp.post.status == "ready")),
            "events": len(events),
            "post_list": [{"path": p.path, "title": p.title, "date": p.date.astimezone(zone),
                           "status": p.status} for p in posts],
            "event_list": events}


def _events(site: Site, after: datetime, before: datetime) -> list[dict[str, Any]]:
    """Public event occurrences starting in [after, before)."""
    calendar = site.calendar
    if calendar is None or after >= before:
        return []
    found = [{"path": e.path, "title": e.title, "start": start}
             for e in calendar.public_events() for start, _ in e.occurrences(after, before)
             if after <= start < before]
    return sorted(found, key=lambda e: (e["start"], e["path"]))


def _with_risks(report: Report, diagnostics: Sequence[Diagnostic], labels: Labels) -> Report:
    """What's at risk; dates as the review and report pages write them (`labels`)."""
    risks: list[Risk] = []
    short, pending = [], 0
    for c in report.channels:
        coming = [cw for cw in report.channel_weeks if cw.channel == c.name and not cw.past]
        if c.open:
            short.append(f"{channel_label(c.name, c.kind)} {c.open} of "
                         f"{sum(cw.cadence or 0 for cw in coming)}")
            pending += sum(cw.review + cw.draft for cw in coming if cw.open)
    if short:
        extra = (f"; {counted(pending, 'draft or review item')} could fill some once approved"
                 if pending else "")
        risks.append(Risk("cadence", f"Open slots from {report.now_week.split('-')[1]} on: "
                                     f"{', '.join(short)}{extra}"))
    for c in report.channels:
        for path in c.unplaced:
            risks.append(Risk("unplaced", f"{channel_label(c.name, c.kind)}: no free slot for {path}",
                              path))
    for item in report.backlog:
        if item.risk:
            risks.append(Risk("backlog", f"“{item.title}”: {item.risk}", item.path))
    for c in report.campaigns:
        if c.before or c.after:
            outside = ", ".join(part for part in (f"{c.before} before" if c.before else "",
                                                  f"{c.after} after" if c.after else "") if part)
            risks.append(Risk("campaign", f"{c.title}: {outside} the campaign dates "
                                          f"({labels.span(c.start, c.end)})"))
        if c.state == "running" and c.totals.items and c.progress is not None \
                and c.progress < c.elapsed * 0.8:
            risks.append(Risk("campaign", f"{c.title}: {c.progress:.0%} of its goal with "
                                          f"{c.elapsed:.0%} of its time gone"))
    schedule = [d for d in diagnostics
                if d.rule.startswith("schedule.") and d.level != "suggestion"]
    if schedule:
        risks.append(Risk("schedule", f"{counted(len(schedule), 'schedule warning')} "
                                      "(silences, clashes, blackouts): see the calendar"))
    if report.unmatched:
        risks.append(Risk("metrics", f"{counted(len(report.unmatched), 'metrics row')} "
                                     "matched no queue item"))
    if report.metrics_problems:
        risks.append(Risk("metrics", f"{counted(len(report.metrics_problems), 'problem')} "
                                     f"in {METRICS_DIR} files"))
    return replace(report, risks=tuple(risks))


def build_report(site: Site, diagnostics: Sequence[Diagnostic] | None = None,
                 start: date | None = None, end: date | None = None, by_day: bool = False
                 ) -> Report:
    """The report on `site`, from the metrics and git history loading read
    (`by_day`: the page's, see `Period.clock`)."""
    if diagnostics is None:
        diagnostics = site_diagnostics(site)
    return compute_report(site, make_period(site, start, end, by_day), diagnostics,
                          site.sources.metrics, site.sources.history)
