"""The build, top to bottom; the order listed is the order run:

load → assemble → validate → plan → render → write.

`check` stops after validate. `serve` calls the same build.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from .assemble import Site, assemble
from .diagnostics import Diagnostic, has_errors, promote_warnings, sort_diagnostics
from .load import load
from .plan import Output, plan_hub
from .render import render
from .settings import Settings, load_settings
from .theme import make_environment, template_diagnostic
from .write import UnsafePath, write_tree


class BadNow(ValueError):
    """--now or SOURCE_DATE_EPOCH is not a time."""


def resolve_now(now: str | None) -> datetime:
    """`--now` (ISO 8601, naive = UTC), else SOURCE_DATE_EPOCH, else the clock."""
    if now:
        try:
            moment = datetime.fromisoformat(now.strip().replace("Z", "+00:00"))
        except ValueError:
            raise BadNow(f"--now {now!r} is not an ISO 8601 time, like 2026-03-01T08:00:00Z")
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        except ValueError:
            raise BadNow(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds")
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic]
    site: Site | None = None
    outputs: list[Output] = field(default_factory=list)
    written: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def model(settings: Settings, now: datetime, strict: bool = False) -> tuple[Site, list[Diagnostic], dict]:
    """load → assemble → validate: the site model and every problem in it."""
    from .validate import validate
    from . import publish

    timings = {}
    start = time.perf_counter()
    sources = load(settings)
    timings["load"] = time.perf_counter() - start
    start = time.perf_counter()
    site = assemble(sources, now)
    site = publish.attach_calendar(site)
    timings["assemble"] = time.perf_counter() - start
    start = time.perf_counter()
    problems = list(sources.diagnostics) + validate(site)
    timings["validate"] = time.perf_counter() - start
    if strict:
        problems = promote_warnings(problems)
    return site, sort_diagnostics(problems), timings


def plan(site: Site) -> list[Output]:
    from . import publish

    return plan_hub(site) + publish.plan_calendar(site)


def check(root: Path, now: datetime, strict: bool = False) -> BuildResult:
    settings = load_settings(root)
    site, problems, timings = model(settings, now, strict)
    return BuildResult(problems, site, timings=timings)


def build(root: Path, now: datetime, out: Path | None = None, strict: bool = False) -> BuildResult:
    """A full build; writes the output folder only if there is no error."""
    started = time.perf_counter()
    settings = load_settings(root)
    site, problems, timings = model(settings, now, strict)
    result = BuildResult(problems, site, timings=timings)
    if not result.ok:
        result.seconds = time.perf_counter() - started
        return result
    start = time.perf_counter()
    outputs = plan(site)
    timings["plan"] = time.perf_counter() - start
    start = time.perf_counter()
    env = make_environment(root)
    files: dict[str, bytes | Path] = {}
    template_problems: list[Diagnostic] = []
    for output in outputs:
        try:
            files[output.path] = render(env, output)
        except Exception as err:  # noqa: BLE001 - any failure inside a template is the template's
            if not isinstance(err, jinja2.TemplateError) and output.template is None:
                raise
            template_problems.append(template_diagnostic(err, root))
    timings["render"] = time.perf_counter() - start
    if template_problems:
        result.diagnostics = sort_diagnostics(problems + template_problems)
        result.seconds = time.perf_counter() - started
        return result
    start = time.perf_counter()
    out_dir = out if out is not None else root / settings.build.output
    try:
        write_tree(out_dir, files)
    except UnsafePath as err:
        result.diagnostics = sort_diagnostics(problems + [Diagnostic(
            "hearth.toml", 1, 1, "error", f"output path '{err}' would leave the output folder", "path")])
        return result
    timings["write"] = time.perf_counter() - start
    result.outputs = outputs
    result.written = len(files)
    result.seconds = time.perf_counter() - started
    return result
