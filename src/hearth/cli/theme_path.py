"""`hearth theme-path`: where the built-in theme is, to copy a template from."""

from __future__ import annotations

import click

from ..theme import builtin_templates


@click.command("theme-path")
def command() -> None:
    """Print the folder of the built-in theme (to copy a template from).

    \b
    Example:
      cp "$(hearth theme-path)/post.html" templates/
    """
    click.echo(str(builtin_templates()))
