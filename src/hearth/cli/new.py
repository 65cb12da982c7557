"""`hearth new post "Title"`: a new post file with its front matter filled in."""

from __future__ import annotations

from datetime import datetime

import click
import yaml
from slugify import slugify

from ..load.calendar import load_channels
from ..load.history import git_user_name
from .options import Hub, fail_usage, moment, now_option, settings_or_exit

MAX_SLUG = 80      # characters of a file name made from a title, cut at a word
# The empty summary's prompt: the style guide's required front matter is checked
# once the post is no longer a draft (lint/brand.py FrontMatter).
SUMMARY_PROMPT = "# one sentence for feeds, the newsletter and link previews (before review)"


@click.group("new")
def command() -> None:
    """Create new content files.

    \b
    Example:
      hearth new post "Spring meetup" --channel mastodon
    """


@command.command("post")
@click.argument("title")
@click.option("--channel", "channels", multiple=True, help="Add a channel text (repeatable).")
@now_option
@click.pass_obj
def new_post(hub: Hub, title: str, channels: tuple[str, ...], now: datetime | None) -> None:
    """Create content/posts/<today>-<slug>.md with front matter filled in.

    \b
    The post is a draft; its author is `git config user.name`. A --channel
    that calendar/channels.yml does not list is refused (exit 2, nothing
    written).
    Examples:
      hearth new post "Spring meetup" --channel mastodon --channel linkedin
    """
    settings = settings_or_exit(hub.root)
    title = " ".join(title.split())
    if not title:
        fail_usage("the title is empty; write one, like: hearth new post \"Spring meetup\"")
    if channels:
        known, _ = load_channels(hub.root, settings.site.zone)
        names = (*known.names, *known.invalid)
        for channel in channels:
            if channel not in names:
                fail_usage(f"unknown channel '{channel}'; channels in calendar/channels.yml: "
                           + (", ".join(names) or "none yet"))
    when = moment(now).astimezone(settings.site.zone)
    slug = slugify(title, max_length=MAX_SLUG, word_boundary=True) or "post"
    path = hub.root / "content" / "posts" / f"{when:%Y-%m-%d}-{slug}.md"
    if path.exists():
        fail_usage(f"{path.relative_to(hub.root)} already exists; not overwriting it")
    meta = {"title": title, "date": when.strftime("%Y-%m-%d %H:%M"), "status": "draft",
            "author": git_user_name(hub.root), "tags": [], "summary": ""}
    if channels:
        meta["channels"] = {c: "{title} {url}" for c in channels}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    front = front.replace("\nsummary: ''\n", f"\nsummary: ''   {SUMMARY_PROMPT}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n\nWrite your post here.\n", encoding="utf-8")
    click.echo(str(path.relative_to(hub.root)))
