"""`hearth init DIR`: a new hub from the starter (the demo hub)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click

from .. import DISTRIBUTION, version
from ..theme import starter_root
from .options import fail_usage

# The workflow's default install: `vars.HEARTH_PACKAGE || 'hearth-hub==X.Y.Z'`.
_DEFAULT_PACKAGE = re.compile(r"(vars\.HEARTH_PACKAGE \|\| ')[^']*(')")

TEMPLATES_README = """\
# Your templates

Hearth's built-in theme is used for every template not found here. To change
one, copy it from the theme (`hearth theme-path` prints where it is) into this
folder under the same name and edit it: your file wins, file by file.
"""


EMPTY_TOML = """\
[site]
title = "{title}"
base_url = "https://community.example.org/"
permalink = "posts/{{slug}}/"
language = "en"
timezone = "UTC"

[build]
output = "dist"

# [lint]
# since = 2026-01-01   # lint only posts dated from this day: an imported archive publishes as it is
"""


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--empty", is_flag=True,
              help="No demo posts, pages, media or events: a hub to move an existing blog into.")
def command(directory: Path, empty: bool) -> None:
    """Start a new hub in DIRECTORY from the starter (the demo hub).

    \b
    With --empty, the hub has the settings, channels, style guide,
    workflow and the code of conduct page the moderation policy links to,
    but no demo content: content/posts, content/media and calendar/events
    are empty folders.

    \b
    The new hub builds at once and carries a GitHub Actions workflow that
    checks, builds hourly and publishes dist/hub to GitHub Pages, installing
    this very version of Hearth (the repository variable HEARTH_PACKAGE
    overrides it).
    Example:
      hearth init my-community && cd my-community && hearth build
    """
    if directory.exists() and any(directory.iterdir()):
        fail_usage(f"{directory} exists and is not empty; choose a new folder")
    starter = starter_root()
    directory.mkdir(parents=True, exist_ok=True)
    if empty:
        title = directory.resolve().name.replace("-", " ").replace("_", " ").title() or "Community"
        (directory / "hearth.toml").write_text(EMPTY_TOML.format(title=title.replace('"', "")),
                                               encoding="utf-8")
        for folder in ("content/posts", "content/pages", "content/media", "calendar/events",
                       "calendar/campaigns"):
            (directory / folder).mkdir(parents=True)
            (directory / folder / ".gitkeep").write_text("", encoding="utf-8")
        shutil.copy2(starter / "calendar" / "channels.yml", directory / "calendar" / "channels.yml")
        shutil.copytree(starter / "guidelines", directory / "guidelines")
        # the moderation policy links to it: a hub without one would have a broken link
        shutil.copy2(starter / "content" / "pages" / "code-of-conduct.md",
                     directory / "content" / "pages" / "code-of-conduct.md")
    else:
        shutil.copy2(starter / "hearth.toml", directory / "hearth.toml")
        for folder in ("content", "calendar", "guidelines"):
            if (starter / folder).is_dir():
                shutil.copytree(starter / folder, directory / folder)
    workflow = starter / ".github" / "workflows" / "hearth.yml"
    if workflow.is_file():
        (directory / ".github" / "workflows").mkdir(parents=True)
        (directory / ".github" / "workflows" / "hearth.yml").write_text(
            pinned_workflow(workflow.read_text(encoding="utf-8")), encoding="utf-8")
    (directory / "templates").mkdir()
    (directory / "templates" / "README.md").write_text(TEMPLATES_README, encoding="utf-8")
    (directory / ".gitignore").write_text("dist/\n.hearth-cache/\n", encoding="utf-8")
    click.echo(f"created a new hub in {directory}; next: cd {directory} && hearth build", err=True)


def pinned_workflow(text: str) -> str:
    """The starter workflow, installing the Hearth that runs now by default
    (`hearth-hub==X.Y.Z`): a new hub's CI builds with the version that made it."""
    return _DEFAULT_PACKAGE.sub(lambda m: f"{m.group(1)}{DISTRIBUTION}=={version()}{m.group(2)}", text)
