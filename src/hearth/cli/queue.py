"""`hearth queue CHANNEL`: a channel's queue in the terminal."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click

from .. import build as pipeline
from ..plan.newsletter import newsletter_items
from ..plan.queues import generated_stamp, queue_item
from ..plural import counted
from ..review.terminal import one_line
from .options import Hub, fail_usage, moment, now_option, print_errors, settings_or_exit
from .table import fit_table, terminal_width


@click.command("queue")
@click.argument("channel")
@click.option("--due", is_flag=True, help="Only items whose time has come (at ≤ now).")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="A table for people, or JSON (the queue file's shape) for scripts.")
@now_option
@click.pass_obj
def command(hub: Hub, channel: str, due: bool, fmt: str, now: datetime | None) -> None:
    """Print CHANNEL's queue: every ready, unexpired item, past and future, by time.

    \b
    The same items, ids and revisions as dist/queues/CHANNEL.json. With
    --due, only what a scheduler should have sent by now.
    Examples:
      hearth queue mastodon
      hearth queue mastodon --due --format json
    """
    when = moment(now)
    settings_or_exit(hub.root)
    result = pipeline.check(hub.root, when)
    site = result.site
    calendar = site.calendar
    names = [c.name for c in calendar.channels]
    if channel not in names:
        fail_usage(f"unknown channel '{channel}'; channels: {', '.join(names) or 'none'}"
                   " (calendar/channels.yml)")
    spec = calendar.channels[channel]
    if spec.kind == "newsletter":
        items = newsletter_items(site, spec)
    else:
        items = [queue_item(site, cp) for cp in calendar.queued(channel, when)]
    if due:
        items = [i for i in items if datetime.fromisoformat(i["at"]) <= when]
    if fmt == "json":
        document = {"channel": channel, "kind": spec.kind, "generated": generated_stamp(site),
                    "items": items}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        counts = {cp.id: cp for cp in calendar.channel_posts}
        rows = []
        for item in items:
            at = datetime.fromisoformat(item["at"])
            cp = counts.get(item["id"])
            size = f"{cp.count}/{cp.limit}" if cp is not None and cp.limit else "-"
            rows.append([at.isoformat(timespec="minutes"), "due" if at <= when else "planned",
                         item["id"], size, _shown_text(item)])
        if rows:
            header = ["AT", "STATE", "ID", "COUNT", "TEXT"]
            for line in fit_table(rows, header, terminal_width(), shrink={2: 24}):
                click.echo(line)
        due_count = sum(1 for r in rows if r[1] == "due")
        click.echo(f"{channel}: {counted(len(rows), 'item')}, {due_count} due"
                   f" at {when.isoformat()}", err=True)
    if print_errors(result.diagnostics):
        sys.exit(1)


def _shown_text(item: dict) -> str:
    """An item's text on one line; a thread's first part, with how many posts it has."""
    if "parts" in item:
        return f"{one_line(item['parts'][0])} (thread of {len(item['parts'])})"
    return one_line(item["text"])
