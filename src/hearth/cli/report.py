"""`hearth report`: the KPI summary in the terminal, as JSON or as CSV."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime

import click

from .. import build as pipeline
from ..plural import counted
from ..report import FORMATS, build_report, make_period, report_csv, report_json, report_text
from .options import Day, Hub, fail_usage, moment, now_option, settings_or_exit


@click.command("report")
@click.option("--from", "start", type=Day(), help="First day (default: 4 weeks before now).")
@click.option("--to", "end", type=Day(), help="Last day (default: 4 weeks after now).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="A terminal summary, JSON, or one long CSV table.")
@now_option
@click.pass_obj
def command(hub: Hub, start: date | None, end: date | None, fmt: str, now: datetime | None) -> None:
    """The KPI report: what went out, what's planned, what's at risk.

    \b
    Reads the hub, calendar/metrics/*.csv and, in a git repository, each
    post's history (for review and lead times).
    Examples:
      hearth report
      hearth report --from 2026-11-01 --to 2026-11-30 --format csv > november.csv
      hearth report --format json | jq .campaigns
    """
    settings_or_exit(hub.root)
    when = moment(now)
    result = pipeline.check(hub.root, when)
    site = result.site
    period = make_period(site, start, end)
    if period.end < period.start:
        fail_usage(f"--to {period.end} is before --from {period.start}")
    report = build_report(site, result.diagnostics, period.start, period.end)
    if fmt == "json":
        click.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(report_csv(report), nl=False)
    else:
        click.echo(report_text(report), nl=False)
    for problem in report.metrics_problems:
        click.echo(problem.as_text(), err=True)
    errors = sum(1 for d in result.diagnostics if d.level == "error")
    if errors:
        click.echo(f"hearth: the hub has {counted(errors, 'error')} "
                   "(`hearth check` lists them); the report may be incomplete", err=True)
        sys.exit(1)
