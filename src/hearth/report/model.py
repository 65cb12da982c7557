"""The report's model: its period and the frozen records `compute` fills in,
which the text, JSON and CSV (`formats`) and the page (`page`, `charts`) render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from ..assemble.site import Site
from ..dates import day_start
from ..diagnostics import Diagnostic
from ..load.history import History
from ..load.metrics import MetricsFile, MetricsRow

DEFAULT_WEEKS = 4


@dataclass(frozen=True)
class Period:
    """The report's dates, inclusive, in the site's zone."""

    start: date
    end: date
    now: datetime
    zone: Any

    by_day: bool = False   # the report page: durations "up to now" end at 00:00 today

    @property
    def clock(self) -> datetime:
        """What durations "up to now" (time in review, waiting) are counted to: `now`
        for `hearth report`; 00:00 today for the report page, so that the page
        changes once a day, not at every hourly build."""
        return day_start(self.now, self.zone) if self.by_day else self.now

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(), self.zone)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(), self.zone)

    def holds(self, moment: datetime | None) -> bool:
        return moment is not None and self.start_at <= moment < self.end_at

    def weeks(self) -> list[tuple[str, date]]:
        """(label like 2026-W47, its Monday) for every ISO week the period touches."""
        monday = self.start - timedelta(days=self.start.weekday())
        found = []
        while monday <= self.end:
            found.append((week_label(monday), monday))
            monday += timedelta(days=7)
        return found

    def days_of(self, monday: date) -> list[date]:
        """The days of a week that fall inside the period."""
        days = (monday + timedelta(days=i) for i in range(7))
        return [d for d in days if self.start <= d <= self.end]


def make_period(site: Site, start: date | None = None, end: date | None = None,
                by_day: bool = False) -> Period:
    """The dates asked for; by default the four ISO weeks before this one, this
    one and the four after, whole weeks so that every weekly column is full."""
    zone = site.settings.site.zone
    today = site.now.astimezone(zone).date()
    if start is None:
        start = today - timedelta(weeks=DEFAULT_WEEKS)
        start -= timedelta(days=start.weekday())
    if end is None:
        end = today + timedelta(weeks=DEFAULT_WEEKS)
        end += timedelta(days=6 - end.weekday())
    return Period(start, end, site.now, zone, by_day)


def week_label(moment: datetime | date) -> str:
    day = moment.date() if isinstance(moment, datetime) else moment
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Match:
    """A metrics row and the queue item it measures, or why none."""

    row: MetricsRow
    item: Any | None                # publish.ChannelPost
    reason: str = ""                # why not matched


@dataclass(frozen=True)
class ChannelWeek:
    channel: str
    week: str
    monday: date
    cadence: int | None          # slots in the week (inside the period, outside blackouts)
    sent: int                    # ready, at <= now
    scheduled: int               # ready, at > now
    review: int
    draft: int
    past: bool                   # the week ended before now

    @property
    def ready(self) -> int:
        return self.sent + self.scheduled

    @property
    def open(self) -> int:
        return max(0, self.cadence - self.ready) if self.cadence is not None else 0


@dataclass(frozen=True)
class ChannelSummary:
    name: str
    kind: str
    color: str
    cadence_per_week: int
    sent: int
    scheduled: int
    pending: int
    missed: int                  # open slots in past weeks
    open: int                    # open slots this week and after
    gap_weeks: tuple[str, ...]
    unplaced: tuple[str, ...]    # ready posts the schedule found no slot for
    delivered: int | None = None # due items with a `sent` line in calendar/sent/ (None: Hearth does not send it)


@dataclass(frozen=True)
class Totals:
    impressions: int = 0
    engagements: int = 0
    clicks: int = 0
    items: int = 0

    @property
    def rate(self) -> float | None:
        return self.engagements / self.impressions if self.impressions else None

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.impressions + other.impressions, self.engagements + other.engagements,
                      self.clicks + other.clicks, self.items + other.items)


@dataclass(frozen=True)
class ItemEngagement:
    id: str
    channel: str
    path: str
    title: str
    campaign: str | None
    at: datetime | None
    totals: Totals
    source: str                  # path:line of the row counted


@dataclass(frozen=True)
class CampaignReport:
    name: str
    title: str
    start: date
    end: date
    color: str
    state: str                   # upcoming | running | ended
    elapsed: float               # share of the campaign's days gone by, 0..1
    posts: int
    items: int
    in_window: int
    before: int
    after: int
    unplaced: int
    goal: str | None             # as written
    goal_value: float | None
    goal_metric: str | None      # engagements | impressions | clicks
    totals: Totals
    progress: float | None       # measured / goal


@dataclass(frozen=True)
class BacklogItem:
    path: str
    title: str
    status: str                  # draft | review | ready
    date: datetime | None
    author: str | None
    campaign: str | None
    since: datetime | None       # in review since (git)
    risk: str                    # why it is at risk, or ""


@dataclass(frozen=True)
class AuthorRow:
    author: str
    published: int
    scheduled: int
    review: int
    draft: int

    @property
    def total(self) -> int:
        return self.published + self.scheduled + self.review + self.draft


@dataclass(frozen=True)
class StyleRow:
    rule: str
    level: str
    weeks: dict[str, int]
    undated: int
    total: int


@dataclass(frozen=True)
class ReviewFlow:
    path: str
    title: str
    author: str | None
    entered_review: datetime
    left_review: datetime | None
    review_hours: float          # every stretch in review, up to now if still there
    in_review_now: bool
    published: datetime | None
    lead_hours: float | None


@dataclass(frozen=True)
class FlowStats:
    count: int
    median_hours: float | None
    mean_hours: float | None
    max_hours: float | None


@dataclass(frozen=True)
class Risk:
    kind: str
    message: str
    path: str | None = None


@dataclass(frozen=True)
class Report:
    title: str
    period: Period
    weeks: tuple[tuple[str, date], ...]
    now_week: str
    went_out: dict[str, Any]
    planned: dict[str, Any]
    risks: tuple[Risk, ...]
    channel_weeks: tuple[ChannelWeek, ...]
    channels: tuple[ChannelSummary, ...]
    silent_weeks: tuple[str, ...]        # weeks with no item on any channel
    campaigns: tuple[CampaignReport, ...]
    backlog: tuple[BacklogItem, ...]
    authors: tuple[AuthorRow, ...]
    style: tuple[StyleRow, ...]
    history: History
    flows: tuple[ReviewFlow, ...]
    lead_time: FlowStats
    review_time: FlowStats
    skipped_review: int                  # published in the period without a review commit
    metrics_files: tuple[MetricsFile, ...]
    items: tuple[ItemEngagement, ...]
    by_channel: dict[str, Totals]
    by_post: dict[str, Totals]
    by_campaign: dict[str, Totals]
    unmatched: tuple[Match, ...]
    metrics_problems: tuple[Diagnostic, ...]

    @property
    def engagement_total(self) -> Totals:
        return sum(self.by_channel.values(), Totals())
