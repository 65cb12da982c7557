"""`hearth metrics pull`: the numbers of sent Mastodon and Bluesky posts → calendar/metrics/."""

from __future__ import annotations

import os
import sys

import click

from ..plural import counted
from .options import Hub, fail_usage, settings_or_exit


@click.group("metrics")
def command() -> None:
    """Engagement numbers from the platforms (see docs/metrics.md)."""


@command.command("pull")
@click.option("--channel", "channels", multiple=True, metavar="NAME",
              help="Only this channel (repeatable; default every Mastodon and Bluesky channel).")
@click.pass_obj
def pull(hub: Hub, channels: tuple[str, ...]) -> None:
    """Read favourites, reposts and replies of every post `hearth send` sent.

    \b
    The ledger (calendar/sent/<channel>.jsonl) gives the posts' ids; the
    numbers go to calendar/metrics/hearth-<channel>.csv, rewritten each
    time, which `hearth report` reads. Secrets as for `hearth send`
    (HEARTH_<NAME>_TOKEN, HEARTH_<NAME>_HANDLE and _APP_PASSWORD).
    Examples:
      hearth metrics pull
      hearth metrics pull --channel mastodon && hearth report
    """
    # imported here: the Bluesky client (atproto) takes about a second to import,
    # which every other command, `hearth build` included, would pay at start-up
    from ..send.metrics import pull as pull_metrics

    settings_or_exit(hub.root)
    result = pull_metrics(hub.root, os.environ, channels)
    if result.missing:
        fail_usage(f"{', '.join(result.missing)} not set (the secret of a channel with sent posts)")
    for relpath, rows in result.written:
        click.echo(f"{relpath}: {counted(rows, 'post')}")
    for warning in result.warnings:
        click.echo(f"hearth: warning: {warning}", err=True)
    for failure in result.failures:
        click.echo(f"hearth: {failure}", err=True)
    if not result.written and not result.failures:
        click.echo("nothing sent yet: no numbers to pull")
    if result.failures:
        sys.exit(1)
