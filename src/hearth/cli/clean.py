"""`hearth clean`: remove the output folder and the build cache, if they are Hearth's."""

from __future__ import annotations

from pathlib import Path

import click

from ..incremental.cache import CACHE_DIR, CACHE_FILES
from ..write import OutputRefused, clean_leftovers, marked, output_folder, owned, remove_tree
from .options import Hub, fail_usage, settings_or_exit


@click.command("clean")
@click.pass_obj
def command(hub: Hub) -> None:
    """Remove the output folder and the build cache.

    \b
    Only what Hearth made is removed: an output folder with Hearth's mark
    (.hearth-output) or an older Hearth's (only hub/, queues/, review/), and
    Hearth's files in .hearth-cache/. A [build] output that names the hub, one
    of its input folders or a folder Hearth did not make is refused (exit 2).
    Example:
      hearth clean && hearth build
    """
    settings = settings_or_exit(hub.root)
    setting = settings.build.output
    try:
        out = output_folder(hub.root, Path(setting), f'[build] output = "{setting}"')
    except OutputRefused as err:
        fail_usage(f"{err}; nothing was removed")
    try:
        clean_leftovers(out)
        if out.is_dir() and (marked(out) or (owned(out) and any(out.iterdir()))):
            remove_tree(out)
            click.echo(f"removed {out}", err=True)
        _clean_cache(hub.root / CACHE_DIR)
    except OSError as err:
        fail_usage(f"cannot remove {err.filename}: {err.strerror}")


def _clean_cache(folder: Path) -> None:
    """Hearth's files in the cache folder, and the folder if that empties it."""
    if folder.is_symlink() or not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            click.echo(f"hearth: kept {folder}: it is not a folder, so not Hearth's cache", err=True)
        return
    for name in CACHE_FILES:
        path = folder / name
        if path.is_file() and not path.is_symlink():
            path.unlink()
    if any(folder.iterdir()):
        click.echo(f"hearth: kept {folder}: it holds files Hearth did not make "
                   "(Hearth's own were removed)", err=True)
        return
    folder.rmdir()
    click.echo(f"removed {folder}", err=True)
