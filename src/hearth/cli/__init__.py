"""The command line: one module per command, the only package that prints.

`hearth` and `python build.py` are this one Click group.
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import version
from . import (build, calendar, check, clean, fix, import_, init, metrics, new, queue, report, send,
               serve, theme_path)
from .options import Hub


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--hub", "hub", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The hub's folder (where hearth.toml is).")
@click.version_option(version=version(), prog_name="hearth")
@click.pass_context
def cli(ctx: click.Context, hub: Path) -> None:
    """Hearth: one git repository of plain files → a community hub, channel
    queues and an editorial calendar.

    \b
    Examples:
      hearth init my-hub && cd my-hub && hearth build
      hearth check --format github
      hearth build --now 2026-03-01T08:00:00Z --strict
    """
    ctx.obj = Hub(hub.resolve())


for _module in (build, check, fix, init, import_, theme_path, new, clean, serve, calendar, queue,
                report, send, metrics):
    cli.add_command(_module.command)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="hearth")
