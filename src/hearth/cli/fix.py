"""`hearth fix`: apply the style guide's substitution suggestions."""

from __future__ import annotations

import difflib
import shutil
import sys
from pathlib import Path

import click

from .. import lint
from ..diagnostics import has_errors
from ..load.front_matter import markdown_files
from ..load.implied import folder_lang
from ..settings import SettingsError, load_settings
from ..source import not_regular
from .options import Hub, fail_usage, print_diagnostics


@click.command("fix")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--write", is_flag=True, help="Change the files in place (default: print a diff).")
@click.pass_obj
def command(hub: Hub, files: tuple[Path, ...], write: bool) -> None:
    """Apply the style guide's substitution suggestions.

    Without FILES, every post, page and guideline of the hub. Prints a
    unified diff unless --write is given; touches nothing but the matches.

    \b
    Examples:
      hearth fix content/posts/2026-03-02-spring.md
      hearth fix --write
    """
    guide, problems = lint.load_guide(hub.root)
    if has_errors(problems):
        print_diagnostics(problems)
        sys.exit(1)
    targets = [f.resolve() for f in files] or [
        hub.root / p for folder in ("content/posts", "content/pages", "guidelines")
        for p in markdown_files(hub.root, folder)
        if not_regular(hub.root, p) is None]         # links and pipes: never read, `check` reports them
    try:                                # a post's language as `check` reads it
        site = load_settings(hub.root).site
        languages, language = site.languages, site.language
    except SettingsError:
        languages, language = (), None  # `fix` never needed hearth.toml; `check` reports it
    changed = 0
    for file in targets:
        if not file.is_file():
            fail_usage(f"no such file: {file}")
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
        fixed = lint.fix_text(guide, text, relpath, folder_lang(relpath, languages) or language)
        if fixed == text:
            continue
        changed += 1
        if write:
            tmp = file.with_name(f".{file.name}.hearth-fix")
            tmp.write_text(fixed, encoding="utf-8", newline="")
            shutil.copymode(file, tmp)          # a fix keeps who may read and run the file
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
