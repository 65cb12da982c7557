"""`hearth clean`: remove the output folder and the build cache."""

from __future__ import annotations

import shutil

import click

from .options import Hub, settings_or_exit


@click.command("clean")
@click.pass_obj
def command(hub: Hub) -> None:
    """Remove the output folder and the build cache.

    \b
    Example:
      hearth clean && hearth build
    """
    settings = settings_or_exit(hub.root)
    for folder in (hub.root / settings.build.output, hub.root / ".hearth-cache"):
        if folder.is_dir():
            shutil.rmtree(folder)
            click.echo(f"removed {folder}", err=True)
