"""`hearth calendar`: the editorial calendar's agenda in the terminal."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta

import click

from .. import build as pipeline
from ..plural import counted
from ..review.model import agenda, count_label, level_counts, pseudo_lanes
from ..review.terminal import DEFAULT_DAYS_AFTER, DEFAULT_DAYS_BEFORE, calendar_rows, json_item
from .options import Day, Hub, fail_usage, moment, now_option, print_errors, settings_or_exit
from .table import fit_table, terminal_width


@click.command("calendar")
@click.option("--from", "start", type=Day(), help="First day, YYYY-MM-DD (default: 7 days ago).")
@click.option("--to", "end", type=Day(), help="Last day, YYYY-MM-DD (default: in 28 days).")
@click.option("--channel", metavar="NAME",
              help="Only this channel's posts and blackouts ('hub' for hub posts, 'events').")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="A table for people, or JSON for scripts.")
@now_option
@click.pass_obj
def command(hub: Hub, start: date | None, end: date | None, channel: str | None, fmt: str,
            now: datetime | None) -> None:
    """Print the editorial calendar: every post, channel post, event,
    campaign and blackout of the days asked, drafts included.

    \b
    Columns: day, time (site zone), channel, status, campaign, problems
    (E errors, W warnings, S suggestions), title. Exit 1 when the content
    has errors (printed to stderr), 2 for bad usage.
    Examples:
      hearth calendar
      hearth calendar --from 2026-12-01 --to 2026-12-31 --channel mastodon
      hearth calendar --format json | jq '.[] | select(.status == "draft")'
    """
    when = moment(now)
    settings_or_exit(hub.root)
    result = pipeline.check(hub.root, when)
    site = result.site
    today = when.astimezone(site.settings.site.zone).date()
    span = timedelta(days=DEFAULT_DAYS_BEFORE + DEFAULT_DAYS_AFTER)
    first, last = start, end
    if first is None:
        first = last - span if last is not None else today - timedelta(days=DEFAULT_DAYS_BEFORE)
    if last is None:
        last = first + span if start is not None else today + timedelta(days=DEFAULT_DAYS_AFTER)
    if last < first:
        fail_usage(f"--to {last} is before --from {first}")
    if channel is not None:
        lanes = [*(c.name for c in site.calendar.channels), *pseudo_lanes(site)]
        if channel not in lanes:
            fail_usage(f"unknown channel '{channel}'; channels: " + ", ".join(lanes))
    items = agenda(site, first, last, channel, diagnostics=result.diagnostics)
    if fmt == "json":
        click.echo(json.dumps([json_item(i) for i in items], ensure_ascii=False, indent=2))
    else:
        if items:
            header = ["DAY", "TIME", "CHANNEL", "STATUS", "CAMPAIGN", "PROBLEMS", "TITLE"]
            # DAY TIME CHANNEL STATUS CAMPAIGN PROBLEMS TITLE: the title and campaign are cut,
            # no column is left out (scripts read them by position)
            for line in fit_table(calendar_rows(items), header, terminal_width(), shrink={4: 8}):
                click.echo(line)
        counts = level_counts(d for i in items for d in i.diagnostics)
        click.echo(f"{counted(len(items), 'item')} from {first} to {last}"
                   f" ({site.settings.site.timezone}); {count_label(counts) or 'no problems'}",
                   err=True)
    if print_errors(result.diagnostics):
        sys.exit(1)
