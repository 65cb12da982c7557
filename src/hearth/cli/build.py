"""`hearth build`: the hub, the channel queues and the review site."""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

import click

from .. import build as pipeline
from ..plural import counted
from ..write import OutputRefused, WriteFault
from .options import (Hub, fail_usage, hold, moment, now_option, print_diagnostics,
                      settings_or_exit, shown, summary)


class Progress:
    """The stages of a build on one stderr line, rewritten in place: on a
    terminal only (a CI log stays clean), or where HEARTH_PROGRESS says so
    (1: always, 0: never). The line is cleared before the summary prints."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.shown = False

    @staticmethod
    def wanted() -> bool:
        forced = os.environ.get("HEARTH_PROGRESS", "").strip()
        if forced in ("0", "1"):
            return forced == "1"
        return sys.stderr.isatty()

    def __call__(self, stage: str) -> None:
        line = f"hearth: {time.perf_counter() - self.started:5.1f} s  {stage}…"
        click.echo(f"\r\x1b[K{line}", err=True, nl=False, color=True)
        self.shown = True

    def done(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False, color=True)
            self.shown = False


@click.command("build")
@now_option
@click.option("--out", type=click.Path(path_type=Path),
              help="Output folder (default: [build] output, 'dist').")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-cache", is_flag=True, help="Ignore .hearth-cache/ and render everything.")
@click.pass_obj
def command(hub: Hub, now: datetime | None, out: Path | None, strict: bool, no_cache: bool) -> None:
    """Build the hub, the channel queues and the review site.

    \b
    Writes dist/hub (the public site), dist/queues and dist/review. A build
    with errors writes nothing and leaves the previous output as it was; so
    does a build that is killed. The output folder is Hearth's alone (marked
    by its .hearth-output file): the hub, its input folders and a folder
    Hearth did not make are refused (exit 2). On a terminal, stderr shows
    the stage running (HEARTH_PROGRESS=1 shows it anywhere, =0 never).
    Examples:
      hearth build
      hearth build --now 2026-10-01T09:00:00+02:00 --out /tmp/site
    """
    settings = settings_or_exit(hub.root)
    progress = Progress() if Progress.wanted() else None
    try:
        result = pipeline.build(hub.root, moment(now), out, strict, use_cache=not no_cache,
                                progress=progress)
    except OutputRefused as err:
        if progress is not None:
            progress.done()
        fail_usage(f"{err}; nothing was written")
    except WriteFault as err:
        if progress is not None:
            progress.done()
        fail_usage(f"cannot write {shown(hub.root, err.path)}: {err.reason}; "
                   "the previous output is untouched")
    if progress is not None:
        progress.done()
    hold(result)        # freed by the process's exit, not object by object (`options.hold`)
    for notice in result.notices:
        click.echo(f"hearth: {notice}", err=True)
    print_diagnostics(result.diagnostics)
    if not result.ok:
        click.echo(f"build failed: {summary(result.diagnostics)}; the previous output is untouched",
                   err=True)
        sys.exit(1)
    target = out if out is not None else hub.root / settings.build.output
    if result.skipped_outputs:
        click.echo(f"nothing changed since the last build: {counted(result.skipped_outputs, 'file')} "
                   f"in {target} are current ({result.seconds:.2f} s; {summary(result.diagnostics)})", err=True)
        return
    click.echo(f"built {counted(len(result.outputs), 'file')} into {target} in {result.seconds:.2f} s, "
               f"{result.written} written, {result.removed} removed ({summary(result.diagnostics)})",
               err=True)
