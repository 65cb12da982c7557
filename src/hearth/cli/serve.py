"""`hearth serve`: build, watch, rebuild what changed, live-reload."""

from __future__ import annotations

from datetime import datetime

import click

from ..build import Builder
from ..serve import Server, is_loopback
from ..write import OutputRefused
from .options import Hub, fail_usage, moment, now_option, settings_or_exit


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (anything but loopback puts the preview, drafts "
                   "included, on the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free port).")
@now_option
@click.pass_obj
def command(hub: Hub, host: str, port: int, now: datetime | None) -> None:
    """Build, watch content/, calendar/, guidelines/, templates/ and hearth.toml,
    rebuild what changed and reload the browser.

    \b
    The hub is served at its base_url's path, the review site at /_review/,
    the queues at /_queues/. After a bad edit the last good build stays up and
    the problems show in the page until they are fixed. Without --now, every
    rebuild uses the clock.
    Examples:
      hearth serve
      hearth serve --port 8080
    """
    settings = settings_or_exit(hub.root)
    try:    # refused before anything is written, as `build` does
        Builder(hub.root).out_dir(settings)
    except OutputRefused as err:
        fail_usage(f"{err}; nothing was written")
    moment(now)     # a bad SOURCE_DATE_EPOCH is a usage error now, not at every rebuild
    server = Server(hub.root, host, port, now)
    try:
        server.listen()
    except (OSError, UnicodeError, OverflowError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        fail_usage(f"cannot listen on {host}:{port}: {reason}")
    if not is_loopback(host):
        click.echo(f"hearth: warning: listening on {host}: the preview, drafts and the review "
                   f"site included, is reachable from the network; use --host 127.0.0.1 to "
                   f"keep it on this machine", err=True)
    server.run(click.echo)
