"""The next instant at which a build's output would change with nothing edited.

Between two builds of unchanged inputs only the clock moves, and the output is
a function of the inputs and `now`. Every place the model, the planners, the
review site and the report compare something with `now` (docs/decisions.md,
"Scheduled rebuilds", lists them) changes its answer only when `now` passes
one of the instants collected here:

- a post's or page's date (it goes public; review and report call it sent) and
  its expiry (it leaves the hub and the queues);
- a channel post's `at` (the Buffer CSV drops it; review and report count it as
  gone out; an undated post's item moves to the next free slot only once its
  slot has passed);
- an event occurrence's start and end, and both shifted by the events page's
  windows (`UPCOMING_DAYS` ahead, `PAST_EVENT_DAYS` behind);
- the report's "due soon" risk, `DUE_SOON` before a draft's date, and its
  "due in N days", at each whole day before the date;
- 00:00 of the next day in the site's zone: "today" (review's marker, week and
  month, the report's weeks, campaigns' elapsed time, queues' `generated`, the
  pages' "As of", durations up to now) is a day, so that is always an instant.

So the result is never more than a day away. Too early an instant only costs a
rebuild that renders nothing new; too late would keep a stale page, which is
why every candidate is taken, whatever its post's status.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..assemble.site import Site
from ..dates import next_day_start
from ..plan.events import PAST_EVENT_DAYS, UPCOMING_DAYS
from ..report.compute import DUE_SOON

_DAY = timedelta(days=1)


def next_change(site: Site) -> datetime:
    """The first instant after `site.now` at which some output may change."""
    now = site.now
    horizon = next_day_start(now, site.settings.site.zone)
    best = horizon

    def take(moment: datetime | None) -> None:
        nonlocal best
        if moment is not None and now < moment < best:
            best = moment

    for post in (*site.posts, *site.pages):
        take(post.expires)
        if post.date is not None:
            take(post.date)
            take(post.date - DUE_SOON)
            days_left = (post.date - now).days
            if 0 <= days_left <= DUE_SOON.days + 1:
                take(post.date - days_left * _DAY)   # "due in N days" becomes N - 1
    calendar = site.calendar
    if calendar is None:
        return best
    for cp in calendar.channel_posts:
        take(cp.at)
    upcoming, past = timedelta(days=UPCOMING_DAYS), timedelta(days=PAST_EVENT_DAYS)
    reach = horizon - now + _DAY
    for event in calendar.events:
        windows = ((now - reach, now + reach), (now + upcoming - reach, now + upcoming + reach),
                   (now - past - reach, now - past + reach))
        for after, before in windows:
            for start, end in event.occurrences(after, before):
                for moment in (start, end):
                    take(moment)
                    take(moment - upcoming)
                    take(moment + past)
    return best
