"""`hearth check`: validate and lint the hub, or lint just the files named; writes nothing."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from .. import build as pipeline
from .. import formats, lint
from ..diagnostics import LEVEL_RANK, Diagnostic, promote_warnings, sort_diagnostics
from ..source import decode, parse
from .options import (FORMATS, LEVELS, Hub, fail_usage, hold, moment, now_option, settings_or_exit,
                      summary)


@click.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to print problems.")
@click.option("--fail-level", type=click.Choice(LEVELS), default="error", show_default=True,
              help="Exit 1 when a problem at or above this level is found.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--rules", "check_rules", is_flag=True,
              help="Also check every rule's good/bad examples.")
@now_option
@click.pass_obj
def command(hub: Hub, files: tuple[Path, ...], fmt: str, fail_level: str, strict: bool,
            check_rules: bool, now: datetime | None) -> None:
    """Validate and lint the hub, or lint just the FILES named. Writes nothing.

    \b
    Examples:
      hearth check
      hearth check content/posts/2026-03-02-spring.md --format line
      hearth check --format sarif > hearth.sarif
      hearth check --format vale-json > alerts.json
      hearth check --rules --fail-level warning
    """
    when = moment(now)
    if files:
        guide, problems = lint.load_guide(hub.root)
        for file in files:
            if not file.is_file():
                fail_usage(f"no such file: {file}")
            problems += _lint_file(hub.root, guide, file)
    else:
        settings_or_exit(hub.root)
        result = pipeline.check(hub.root, when)
        hold(result)    # freed by the process's exit (`options.hold`)
        problems = list(result.diagnostics)
        guide = result.site.sources.guide if result.site else None
    if check_rules:
        guide = guide if guide is not None else lint.load_guide(hub.root)[0]
        problems += lint.check_examples(guide)
    if strict:
        problems = promote_warnings(problems)
    problems = sort_diagnostics(problems)
    rules = None
    if guide is not None:           # help texts for SARIF, Vale's Action for vale-json
        rules = {r["id"]: {**r, "action": _action(guide, r["id"])}
                 for r in lint.rules_for_people(guide)}
    output = formats.render(problems, fmt, rules)
    if output:
        click.echo(output.rstrip("\n"))
    if fmt == "text":
        click.echo(summary(problems), err=True)
    if any(LEVEL_RANK[d.level] >= LEVEL_RANK[fail_level] for d in problems):
        sys.exit(1)


def _action(guide: lint.Guide, rule_id: str) -> dict:
    rule = guide.rule(rule_id)
    action = rule.options.get("action") if rule is not None else None
    return action if isinstance(action, dict) else {}


def _lint_file(root: Path, guide: lint.Guide, file: Path) -> list[Diagnostic]:
    try:
        relpath = file.resolve().relative_to(root).as_posix()
    except ValueError:
        relpath = file.as_posix()
    if guide.ignores(relpath):
        return []
    text, problems = decode(relpath, file.read_bytes())
    if text is None:
        return problems
    doc, problems = parse(relpath, text)
    return problems + lint.lint_doc(guide, doc)   # it reads lang and channel texts itself
