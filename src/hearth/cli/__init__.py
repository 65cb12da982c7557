"""The command line: one module per command, the only package that prints.

`hearth` and `python build.py` are this one Click group. A command's module
is imported only when that command runs (Click's "lazy group" pattern), so
`hearth build` does not pay for `serve`, `send` or `import`, and
`hearth --version` for none of them.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from pathlib import Path

import click

from .. import version
from .options import HELD, Hub

# command name → module in this package (each defines `command`), in `--help` order
COMMANDS = {"build": "build", "calendar": "calendar", "check": "check", "clean": "clean",
            "fix": "fix", "import": "import_", "init": "init", "metrics": "metrics", "new": "new",
            "queue": "queue", "report": "report", "send": "send", "serve": "serve",
            "theme-path": "theme_path"}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when first looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands or name not in COMMANDS:
            return super().get_command(ctx, name)
        command = importlib.import_module(f"{__name__}.{COMMANDS[name]}").command
        self.add_command(command, name)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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



def main(argv: list[str] | None = None) -> None:
    """The `hearth` program. A command that left its model held (`options.hold`)
    ends the process at once, its output flushed: freeing the model's millions of
    objects one by one, and the interpreter's tidying after, would only cost time
    (as mypy's `--fast-exit` does)."""
    try:
        cli.main(args=argv, prog_name="hearth")
    except SystemExit as done:
        if not HELD or not (done.code is None or isinstance(done.code, int)):
            raise
        code = done.code or 0
    else:
        if not HELD:
            return
        code = 0
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
