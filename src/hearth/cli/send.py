"""`hearth send`: the due queue items out to Bluesky, Mastodon, Discord and
the newsletter, once each (see send/plan.py and send/run.py)."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime

import click

from .. import build as pipeline
from ..load.ledger import read_ledger
from ..send.ledger import Busy, Lock
from ..send.plan import SENT_BY_HEARTH, Decision, due_items
from ..send.run import SECRET_FIELDS, Outcome, Runner, secret_name, secrets_for
from .options import Hub, fail_usage, moment, now_option, print_errors, settings_or_exit

OTHERS = "not sent by Hearth: their queues and Buffer CSV are for another scheduler"


@click.command("send")
@click.option("--channel", "channels", multiple=True, metavar="CHANNEL",
              help="Only this channel (repeat for several).")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and write nothing.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Lines for people, or a JSON list of objects for scripts.")
@now_option
@click.pass_obj
def command(hub: Hub, channels: tuple[str, ...], dry_run: bool, fmt: str, now: datetime | None) -> None:
    """Send every due queue item (at ≤ now) not sent yet, once, and record it
    in calendar/sent/CHANNEL.jsonl.

    \b
    Secrets come from the environment: HEARTH_<CHANNEL>_<FIELD>, e.g.
    HEARTH_DISCORD_WEBHOOK, HEARTH_MASTODON_FR_TOKEN, HEARTH_BLUESKY_HANDLE
    and HEARTH_BLUESKY_APP_PASSWORD, HEARTH_NEWSLETTER_SMTP_URL.
    Exit 0: all due items sent (or none due); 1: one failed, is uncertain
    or was missed; 2: bad usage, a secret or setting missing, or another
    send is running.
    Examples:
      hearth send --dry-run
      hearth send --channel mastodon --format json
    """
    when = moment(now)
    settings_or_exit(hub.root)
    result = pipeline.check(hub.root, when)
    site = result.site
    if print_errors(result.diagnostics):
        click.echo("hearth: the content has errors; nothing was sent", err=True)
        sys.exit(1)
    calendar = site.calendar
    unknown = [c for c in channels if c not in calendar.channels]
    if unknown:
        fail_usage(f"unknown channel '{unknown[0]}'; channels: "
                   f"{', '.join(calendar.channels.names) or 'none'} (calendar/channels.yml)")
    chosen = [c for c in calendar.channels if not channels or c.name in channels]
    others = [c.name for c in chosen if c.kind not in SENT_BY_HEARTH]
    if others:
        click.echo(f"hearth: {', '.join(others)}: {OTHERS}", err=True)
    if dry_run:
        decisions = due_items(site, site.sources.ledger, when, channels or None)
        dry(decisions, fmt)
        return
    try:
        with Lock(hub.root):
            ledger = read_ledger(hub.root)            # again, under the lock
            for problem in ledger.diagnostics:
                click.echo(problem.as_text(), err=True)
            decisions = due_items(site, ledger, when, channels or None)
            needed = [c for c in chosen if c.kind in SECRET_FIELDS
                      and any(d.channel.name == c.name and d.action in ("send", "check")
                              for d in decisions)]
            secrets, problems = secrets_for(needed, os.environ)
            if problems:
                for problem in problems:
                    click.echo(f"hearth: {problem}", err=True)
                click.echo("hearth: nothing was sent", err=True)
                sys.exit(2)
            outcomes = Runner(site, hub.root, os.environ, secrets).run(decisions)
    except Busy:
        fail_usage("another hearth send is running (calendar/sent/.lock); nothing was sent")
    report(outcomes, decisions, fmt)
    if any(o.state in ("failed", "uncertain", "missed") for o in outcomes):
        sys.exit(1)


def report(outcomes: list[Outcome], decisions: list[Decision], fmt: str) -> None:
    for o in outcomes:
        if o.warning:
            click.echo(f"{o.source or o.id}:1:1: warning: [send] {o.id} was edited after it "
                       f"was sent; not sent again", err=True)
    if fmt == "json":
        click.echo(json.dumps([o.as_json() for o in outcomes], ensure_ascii=False, indent=2))
    else:
        for o in outcomes:
            detail = " ".join(u for u in o.urls if u) if o.state == "sent" else o.message
            if o.state == "sent" and o.message:
                detail = f"{detail} ({o.message})".strip()
            click.echo(f"{o.state:<9} {o.id}  {detail}".rstrip())
    counts = {state: sum(1 for o in outcomes if o.state == state)
              for state in ("sent", "failed", "uncertain", "missed", "skipped")}
    done = sum(1 for d in decisions if d.action == "done")
    parts = [f"{n} {state}" for state, n in counts.items() if n or state == "sent"]
    click.echo(f"send: {', '.join(parts)}" + (f" ({done} sent earlier)" if done else ""), err=True)


def dry(decisions: list[Decision], fmt: str) -> None:
    rows = []
    for d in decisions:
        if d.action == "done":
            continue
        state = {"send": "would-send", "check": "would-check", "missed": "missed",
                 "edited": "skipped"}[d.action]
        text = " / ".join(d.item.get("parts") or [d.item["text"]])
        missing = [secret_name(d.channel.name, f) for f in SECRET_FIELDS.get(d.channel.kind, ())
                   if not os.environ.get(secret_name(d.channel.name, f))]
        note = d.reason or text
        if missing and d.action in ("send", "check"):
            note += f" (needs {', '.join(missing)}, not set)"
        rows.append({"channel": d.channel.name, "id": d.id, "state": state, "at": d.item["at"],
                     "message": note, "urls": []})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            click.echo(f"{row['state']:<11} {row['id']}  {row['at']}  {row['message'].splitlines()[0] if row['message'] else ''}")
    click.echo(f"send --dry-run: {sum(1 for r in rows if r['state'] == 'would-send')} would be sent;"
               " nothing was sent or written", err=True)
