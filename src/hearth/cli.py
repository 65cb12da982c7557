"""The command line: the only module that prints.

Exit codes: 0 fine; 1 the content has errors (every one was reported);
2 bad usage or settings.
"""

from __future__ import annotations

import shutil
import sys
from datetime import datetime
from pathlib import Path

import click
from slugify import slugify

from . import build as pipeline
from .diagnostics import Diagnostic, LEVEL_RANK, has_errors, promote_warnings, sort_diagnostics
from .settings import SettingsError, load_settings
from .theme import starter_root

FORMATS = ("text", "line", "json", "github", "sarif")
LEVELS = ("suggestion", "warning", "error")


class Hub:
    def __init__(self, root: Path):
        self.root = root


def _fail_usage(message: str) -> None:
    click.echo(f"hearth: {message}", err=True)
    sys.exit(2)


def _settings(root: Path):
    try:
        return load_settings(root)
    except SettingsError as err:
        for message in err.messages:
            click.echo(message, err=True)
        sys.exit(2)


def _now(value: str | None) -> datetime:
    try:
        return pipeline.resolve_now(value)
    except pipeline.BadNow as err:
        _fail_usage(str(err))
        raise  # unreachable


def _print_diagnostics(diagnostics: list[Diagnostic], err: bool = True) -> None:
    for d in diagnostics:
        click.echo(d.as_text(), err=err)


def _summary(diagnostics: list[Diagnostic]) -> str:
    counts = {level: sum(1 for d in diagnostics if d.level == level) for level in LEVELS[::-1]}
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items() if n]
    return ", ".join(parts) or "no problems"


NOW_HELP = "Fix 'now' (ISO 8601; default SOURCE_DATE_EPOCH, else the clock)."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--hub", "hub", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The hub's folder (where hearth.toml is).")
@click.version_option(package_name="hearth")
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


@cli.command()
@click.option("--now", help=NOW_HELP)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: [build] output, 'dist').")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-cache", is_flag=True, help="Ignore .hearth-cache/ and render everything.")
@click.pass_obj
def build(hub: Hub, now: str | None, out: Path | None, strict: bool, no_cache: bool) -> None:
    """Build the hub, the channel queues and the review site.

    \b
    Writes dist/hub (the public site), dist/queues and dist/review. A build
    with errors writes nothing and leaves the previous output as it was.
    Examples:
      hearth build
      hearth build --now 2026-10-01T09:00:00+02:00 --out /tmp/site
    """
    _settings(hub.root)
    moment = _now(now)
    result = pipeline.build(hub.root, moment, out, strict, use_cache=not no_cache)
    _print_diagnostics(result.diagnostics)
    if not result.ok:
        click.echo(f"build failed: {_summary(result.diagnostics)}; the previous output is untouched",
                   err=True)
        sys.exit(1)
    target = out if out is not None else hub.root / _settings(hub.root).build.output
    if result.skipped_outputs:
        click.echo(f"nothing changed since the last build: {result.skipped_outputs} files in {target} "
                   f"are current ({result.seconds:.2f} s; {_summary(result.diagnostics)})", err=True)
        return
    click.echo(f"built {len(result.outputs)} files into {target} in {result.seconds:.2f} s, "
               f"{result.written} written, {result.removed} removed ({_summary(result.diagnostics)})",
               err=True)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to print problems.")
@click.option("--fail-level", type=click.Choice(LEVELS), default="error", show_default=True,
              help="Exit 1 when a problem at or above this level is found.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--rules", "check_rules", is_flag=True,
              help="Also check every rule's good/bad examples.")
@click.option("--now", help=NOW_HELP)
@click.pass_obj
def check(hub: Hub, files: tuple[Path, ...], fmt: str, fail_level: str, strict: bool,
          check_rules: bool, now: str | None) -> None:
    """Validate and lint the hub, or lint just the FILES named. Writes nothing.

    \b
    Examples:
      hearth check
      hearth check content/posts/2026-03-02-spring.md --format line
      hearth check --format sarif > hearth.sarif
      hearth check --rules --fail-level warning
    """
    from . import formats, lint

    moment = _now(now)
    if files:
        guide, problems = lint.load_guide(hub.root)
        for file in files:
            if not file.is_file():
                _fail_usage(f"no such file: {file}")
            problems += _lint_file(hub.root, guide, file)
    else:
        _settings(hub.root)
        result = pipeline.check(hub.root, moment)
        problems = list(result.diagnostics)
        guide = result.site.sources.guide if result.site else None
    if check_rules:
        guide = guide if guide is not None else lint.load_guide(hub.root)[0]
        problems += lint.check_examples(guide)
    if strict:
        problems = promote_warnings(problems)
    problems = sort_diagnostics(problems)
    rules = {r["id"]: r for r in lint.rules_for_people(guide)} if guide is not None else None
    output = formats.render(problems, fmt, rules)
    if output:
        click.echo(output.rstrip("\n"))
    if fmt == "text":
        click.echo(_summary(problems), err=True)
    if any(LEVEL_RANK[d.level] >= LEVEL_RANK[fail_level] for d in problems):
        sys.exit(1)


def _lint_file(root: Path, guide, file: Path) -> list[Diagnostic]:
    from . import lint
    from .source import decode, parse

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


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--write", is_flag=True, help="Change the files in place (default: print a diff).")
@click.pass_obj
def fix(hub: Hub, files: tuple[Path, ...], write: bool) -> None:
    """Apply the style guide's substitution suggestions.

    Without FILES, every post, page and guideline of the hub. Prints a
    unified diff unless --write is given; touches nothing but the matches.

    \b
    Examples:
      hearth fix content/posts/2026-03-02-spring.md
      hearth fix --write
    """
    import difflib

    from . import lint
    from .load import markdown_files

    guide, problems = lint.load_guide(hub.root)
    if has_errors(problems):
        _print_diagnostics(problems)
        sys.exit(1)
    targets = [f.resolve() for f in files] or [
        hub.root / p for folder in ("content/posts", "content/pages", "guidelines")
        for p in markdown_files(hub.root, folder)]
    changed = 0
    for file in targets:
        if not file.is_file():
            _fail_usage(f"no such file: {file}")
        try:
            relpath = file.relative_to(hub.root).as_posix()
        except ValueError:
            relpath = file.as_posix()
        if guide.ignores(relpath):
            continue
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            click.echo(f"{relpath}:1:1: error: file is not UTF-8; not fixed", err=True)
            continue
        fixed = lint.fix_text(guide, text, relpath)
        if fixed == text:
            continue
        changed += 1
        if write:
            tmp = file.with_name(f".{file.name}.hearth-fix")
            tmp.write_text(fixed, encoding="utf-8", newline="")
            tmp.replace(file)
            click.echo(f"fixed {relpath}", err=True)
        else:
            diff = "".join(difflib.unified_diff(
                text.splitlines(keepends=True), fixed.splitlines(keepends=True),
                f"a/{relpath}", f"b/{relpath}"))
            click.echo(diff if diff.endswith("\n") else diff + "\n\\ No newline at end of file\n",
                       nl=False)
    if not changed:
        click.echo("nothing to fix", err=True)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Start a new hub in DIRECTORY from the starter (the demo hub).

    \b
    The new hub builds at once and carries a GitHub Actions workflow that
    checks, builds hourly and publishes dist/hub to GitHub Pages.
    Example:
      hearth init my-community && cd my-community && hearth build
    """
    if directory.exists() and any(directory.iterdir()):
        _fail_usage(f"{directory} exists and is not empty; choose a new folder")
    starter = starter_root()
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy2(starter / "hearth.toml", directory / "hearth.toml")
    for folder in ("content", "calendar", "guidelines"):
        if (starter / folder).is_dir():
            shutil.copytree(starter / folder, directory / folder)
    workflow = starter / ".github" / "workflows" / "hearth.yml"
    if workflow.is_file():
        (directory / ".github" / "workflows").mkdir(parents=True)
        shutil.copy2(workflow, directory / ".github" / "workflows" / "hearth.yml")
    (directory / "templates").mkdir()
    (directory / "templates" / "README.md").write_text(TEMPLATES_README, encoding="utf-8")
    (directory / ".gitignore").write_text("dist/\n.hearth-cache/\n", encoding="utf-8")
    click.echo(f"created a new hub in {directory}; next: cd {directory} && hearth build", err=True)


TEMPLATES_README = """\
# Your templates

Hearth's built-in theme is used for every template not found here. To change
one, copy it from the theme (`hearth theme-path` prints where it is) into this
folder under the same name and edit it: your file wins, file by file.
"""


@cli.command("theme-path")
def theme_path() -> None:
    """Print the folder of the built-in theme (to copy a template from).

    \b
    Example:
      cp "$(hearth theme-path)/post.html" templates/
    """
    from .theme import builtin_templates

    click.echo(str(builtin_templates()))


@cli.group()
def new() -> None:
    """Create new content files.

    \b
    Example:
      hearth new post "Spring meetup" --channel mastodon
    """


@new.command("post")
@click.argument("title")
@click.option("--channel", "channels", multiple=True, help="Add a channel text (repeatable).")
@click.option("--now", help=NOW_HELP)
@click.pass_obj
def new_post(hub: Hub, title: str, channels: tuple[str, ...], now: str | None) -> None:
    """Create content/posts/<today>-<slug>.md with front matter filled in.

    \b
    Examples:
      hearth new post "Spring meetup" --channel mastodon --channel linkedin
    """
    import yaml

    settings = _settings(hub.root)
    moment = _now(now).astimezone(settings.site.zone)
    slug = slugify(title) or "post"
    path = hub.root / "content" / "posts" / f"{moment:%Y-%m-%d}-{slug}.md"
    if path.exists():
        _fail_usage(f"{path.relative_to(hub.root)} already exists; not overwriting it")
    meta = {"title": title, "date": moment.strftime("%Y-%m-%d %H:%M"), "status": "draft",
            "author": "", "tags": [], "summary": ""}
    if channels:
        meta["channels"] = {c: "{title} {url}" for c in channels}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n\nWrite your post here.\n", encoding="utf-8")
    click.echo(str(path.relative_to(hub.root)))


@cli.command()
@click.pass_obj
def clean(hub: Hub) -> None:
    """Remove the output folder and the build cache.

    \b
    Example:
      hearth clean && hearth build
    """
    settings = _settings(hub.root)
    for folder in (hub.root / settings.build.output, hub.root / ".hearth-cache"):
        if folder.is_dir():
            shutil.rmtree(folder)
            click.echo(f"removed {folder}", err=True)


def main(argv: list[str] | None = None) -> None:
    from . import commands  # noqa: F401 - registers calendar, queue, report, serve

    cli.main(args=argv, prog_name="hearth")
