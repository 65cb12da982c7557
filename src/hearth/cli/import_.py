"""`hearth import jekyll|hugo SRC`: a Jekyll or Hugo blog moved into this hub."""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import click

from ..diagnostics import Diagnostic, diagnostic, sort_diagnostics
from ..migrate import hugo, jekyll
from ..migrate.rewrite import set_setting
from ..plural import counted
from .options import Hub, fail_usage, print_diagnostics, settings_or_exit, summary

ORIGINS = {"jekyll": "_config.yml", "hugo": "the Hugo config"}


@click.command("import")
@click.argument("kind", type=click.Choice(["jekyll", "hugo"]))
@click.argument("source", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="List what would be written; write nothing.")
@click.pass_obj
def command(hub: Hub, kind: str, source: Path, dry_run: bool) -> None:
    """Copy a Jekyll or Hugo blog's posts and the media they use into the hub.

    \b
    Liquid tags and shortcodes with a Hearth equivalent are rewritten
    (highlight, raw, post_url, link, site.baseurl, relative_url, image
    includes; Hugo figure, ref/relref, highlight, youtube, vimeo, note-style
    shortcodes); every other one is left as is and named in a warning at its
    path:line:col. The site's permalink is set in hearth.toml when Hearth can
    express it (a Hugo site's other sections go to content/posts/<section>/
    with their own [permalinks] entry; page bundles stay folders).
    Jekyll's _drafts become posts with status: draft. A file
    already in the hub is never overwritten: it is skipped with a warning. Exit 0 when everything readable was imported (warnings
    included), 1 when a source file could not be read, 2 on bad usage.
    Examples:
      hearth import jekyll ../old-blog --dry-run
      hearth import hugo ../hugo-site
    """
    root = hub.root
    settings = settings_or_exit(root)
    if not source.is_dir():
        fail_usage(f"{source} is not a folder")
    source = source.resolve()
    reader = jekyll if kind == "jekyll" else hugo
    plan = reader.plan(source, settings, settings.site.permalink)
    if not plan.posts:
        fail_usage(f"no posts found in {source} (looked for "
                   + ("_posts or _drafts folders)" if kind == "jekyll" else "content/posts, post or blog)"))
    problems = list(plan.diagnostics)
    written = skipped = 0
    for relpath, content in [*plan.posts.items(), *plan.media.items()]:
        target = root / relpath
        if target.exists():
            problems.append(_skip(relpath))
            skipped += 1
            continue
        written += 1
        if dry_run:
            click.echo(f"would write {relpath}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copy2(content, target)
        else:
            with open(target, "x", encoding="utf-8", newline="") as out:
                out.write(content)
    if plan.permalink and plan.permalink != settings.site.permalink:
        if dry_run:
            click.echo(f"would set [site] permalink = \"{plan.permalink}\" in hearth.toml")
        else:
            _set(root, "site", "permalink", f'"{plan.permalink}"', ORIGINS[kind])
    for folder, pattern in sorted(plan.permalinks.items()):
        if settings.permalinks.get(folder) == pattern:
            continue
        key = folder if re.fullmatch(r"[A-Za-z0-9_-]+", folder) else json.dumps(folder)
        if dry_run:
            click.echo(f"would set [permalinks] {key} = \"{pattern}\" in hearth.toml")
        else:
            _set(root, "permalinks", key, f'"{pattern}"', ORIGINS[kind])
    if plan.newest and settings.lint.since is None:
        # The archive publishes as it was written: only posts after it meet the style guide.
        since = (plan.newest + timedelta(days=1)).isoformat()
        if dry_run:
            click.echo(f"would set [lint] since = {since} in hearth.toml")
        else:
            _set(root, "lint", "since", since, "the newest imported post")
    problems = sort_diagnostics(problems)
    print_diagnostics(problems)
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb} {counted(len(plan.posts), 'post')} and {counted(len(plan.media), 'media file')} "
               f"({written} written, {skipped} skipped); {summary(problems)}", err=True)
    if any(d.level == "error" for d in problems):
        sys.exit(1)


def _set(root: Path, section: str, key: str, value: str, origin: str) -> None:
    toml = root / "hearth.toml"
    text = toml.read_text(encoding="utf-8") if toml.is_file() else ""
    toml.write_text(set_setting(text, section, key, value, origin), encoding="utf-8")


def _skip(relpath: str) -> Diagnostic:
    return diagnostic(relpath, 1, 1, "warning", "already in the hub: not overwritten", "import")
