"""What every command shares: the hub, `--now`, dates, settings and how problems print.

Only the CLI prints. Exit codes: 0 fine; 1 the content has errors (every
one was reported); 2 bad usage or settings, or the machine refused a write
(no space, read-only, permission: `hearth: cannot write PATH: REASON`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, NoReturn

import click

from ..dates import SUPPORTED, BadNow, in_range, parse_now, resolve_now
from ..diagnostics import Diagnostic
from ..plural import counted
from ..settings import Settings, SettingsError, load_settings

FORMATS = ("text", "line", "json", "vale-json", "github", "sarif")
LEVELS = ("suggestion", "warning", "error")
NOW_HELP = "Fix 'now' (ISO 8601; default SOURCE_DATE_EPOCH, else the clock)."


HELD: list[Any] = []     # what a command made and leaves for the process's exit (`hold`)


def hold(value: Any) -> None:
    """Keep `value` (a build's model: millions of objects) alive to the end of the
    process: `cli.main` then exits without freeing it object by object (a second
    at 5,000 posts). Under Click's test runner, which calls the commands and never
    `main`, only the last value is held."""
    HELD[:] = [value]


@dataclass(frozen=True)
class Hub:
    """The hub a command runs on (`-C`, default the current folder)."""

    root: Path


def fail_usage(message: str) -> NoReturn:
    """Bad usage or settings: one line on stderr, exit 2."""
    click.echo(f"hearth: {message}", err=True)
    sys.exit(2)


def shown(root: Path, path: str) -> str:
    """A path as messages show it: relative to the hub when inside it."""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def settings_or_exit(root: Path) -> Settings:
    try:
        return load_settings(root)
    except SettingsError as err:
        for message in err.messages:
            click.echo(message, err=True)
        sys.exit(2)


class When(click.ParamType):
    """An ISO 8601 time (naive = UTC), for `--now`."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return parse_now(str(value))
        except BadNow as err:
            self.fail(str(err).removeprefix("--now "), param, ctx)


class Day(click.ParamType):
    """A calendar day, YYYY-MM-DD, for `--from` and `--to`."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date like 2026-11-21", param, ctx)
        if not in_range(day):
            self.fail(f"{value!r} is outside the dates Hearth reads ({SUPPORTED})", param, ctx)
        return day


def now_option(function: Callable) -> Callable:
    """`--now TIME`: the command gets `now`, a datetime or None (not given)."""
    return click.option("--now", type=When(), metavar="TIME", help=NOW_HELP)(function)


def moment(now: datetime | None) -> datetime:
    """`--now`, else SOURCE_DATE_EPOCH, else the clock; a bad SOURCE_DATE_EPOCH is usage."""
    try:
        return resolve_now(now)
    except BadNow as err:
        fail_usage(str(err))


def print_diagnostics(diagnostics: list[Diagnostic], err: bool = True) -> None:
    for d in diagnostics:
        click.echo(d.as_text(), err=err)


def summary(diagnostics: list[Diagnostic]) -> str:
    """`2 errors, 1 warning`, or `no problems`."""
    counts = {level: sum(1 for d in diagnostics if d.level == level) for level in LEVELS[::-1]}
    parts = [counted(n, level) for level, n in counts.items() if n]
    return ", ".join(parts) or "no problems"


def print_errors(diagnostics: list[Diagnostic]) -> bool:
    """Print the errors only (a command that shows a model still says why it is incomplete)."""
    errors = [d for d in diagnostics if d.level == "error"]
    print_diagnostics(errors)
    return bool(errors)
