"""Loading posts, pages and guidelines: one Markdown file → a `Post` record + diagnostics.

The three share one record and one reader; what differs is what they must
have: a post needs a title and a date, a page or guideline with front matter
may take its title from the file name and needs no date.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slugify import slugify

from ..dates import date_problem, parse_time, shown
from ..diagnostics import Diagnostic, diagnostic
from ..model import STATUSES, ChannelSpec, MediaRef, Post
from ..settings import Settings
from ..source import SourceDoc, read
from .front_matter import word_list

POST_KEYS = ("title", "date", "status", "slug", "author", "tags", "summary", "image", "image_alt",
             "campaign", "lang", "expires", "channels", "media_alt", "updated", "weight")
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
SAFE_SLUG = re.compile(r"^[\w][\w.-]*$")


def load_post(root: Path, relpath: str, kind: str, settings: Settings
              ) -> tuple[Post | None, list[Diagnostic]]:
    """One Markdown file → a Post (or page/guideline) record and its problems."""
    doc, problems = read(root, relpath)
    if doc is None:
        return None, problems
    if problems:
        return None, problems
    meta = doc.meta
    zone = settings.site.zone

    def error(keys: tuple, message: str, rule: str = "front-matter", level: str = "error") -> None:
        line, column = doc.line_of(*keys)
        problems.append(diagnostic(relpath, line, column, level, message, rule))

    if not doc.text.strip():
        problems.append(diagnostic(relpath, 1, 1, "error",
                                   "empty file: a post needs front matter with at least a title",
                                   "front-matter"))
        return None, problems
    stem = Path(relpath).stem
    prefix = DATE_PREFIX.match(stem)
    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        if kind == "post" or not doc.meta:
            error(("title",), "missing required key 'title'")
        title = stem.replace("-", " ").capitalize()
    elif not isinstance(title, (str, int, float)):
        error(("title",), "title must be text")
    title = str(title).strip()

    moment = None
    if "date" in meta:
        moment = parse_time(meta["date"], zone)
        if moment is None:
            error(("date",), f"bad date {shown(meta['date'])}: {date_problem(meta['date'])}")
    elif prefix:
        moment = parse_time(prefix.group(1), zone)
        if moment is None:
            problems.append(diagnostic(relpath, 1, 1, "error",
                                       f"bad date prefix '{prefix.group(1)}' in the file name: "
                                       f"{date_problem(prefix.group(1))}", "front-matter"))
    elif kind == "post":
        error(("title",), "missing required key 'date' (or a YYYY-MM-DD- file-name prefix)")

    # Hugo's `draft: true` and Jekyll's `published: false` mean draft, so a
    # migrated blog never publishes what its writers held back
    held_back = meta.get("draft") is True or meta.get("published") is False
    status = meta.get("status", "draft" if held_back else "ready")
    if status not in STATUSES:
        error(("status",), f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        status = "draft"

    expires = None
    if meta.get("expires") is not None:
        expires = parse_time(meta["expires"], zone)
        if expires is None:
            error(("expires",), f"bad expires date {shown(meta['expires'])}: "
                                f"{date_problem(meta['expires'])}")

    if "slug" in meta:
        raw = str(meta["slug"]).strip()
        if "/" in raw or "\\" in raw or ".." in raw or not SAFE_SLUG.match(raw):
            error(("slug",), f"slug {raw!r} would leave its folder or is not a plain name: use "
                             "letters, digits, '-', '_' and '.' only")
            slug = slugify(raw) or "post"
        else:
            slug = raw
    else:
        slug = slugify(prefix.group(2) if prefix else stem) or "post"

    tags = word_list(meta.get("tags"))
    if tags is None:
        error(("tags",), "tags must be a list of words")
        tags = ()
    lang = str(meta.get("lang") or settings.site.language)

    image = None
    if meta.get("image"):
        image = MediaRef(_media_path(str(meta["image"])), _text_or_none(meta.get("image_alt")))
        if not image.alt:
            error(("image",), "image needs alt text: add 'image_alt'", "alt-text")
    campaign = meta.get("campaign")
    if campaign is not None and not isinstance(campaign, str):
        error(("campaign",), "campaign must be the name of a file in calendar/campaigns/")
        campaign = None

    channels = _channel_specs(doc, zone, problems)

    for key in meta:
        if key in POST_KEYS:
            continue
        close = difflib.get_close_matches(key, POST_KEYS, n=1, cutoff=0.8)
        if close:
            line, column = doc.key_position(key)
            problems.append(diagnostic(relpath, line, column, "warning",
                                       f"unknown key '{key}'; did you mean '{close[0]}'?",
                                       "front-matter"))
    extra = {k: v for k, v in meta.items() if k not in POST_KEYS}
    summary = _text_or_none(meta.get("summary")) or _text_or_none(meta.get("description"))
    author = _text_or_none(meta.get("author"))
    order = meta.get("weight", 0) if isinstance(meta.get("weight", 0), int) else 0
    post = Post(doc, kind, slug, title, moment, status, author, tags, summary, image,
                campaign, lang, expires, channels, extra, order)
    return post, problems


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _media_path(path: str) -> str:
    """Media paths are relative to content/; accept '/media/x' and 'content/media/x' too."""
    path = path.strip().lstrip("/")
    return path[len("content/"):] if path.startswith("content/") else path


def _channel_specs(doc: SourceDoc, zone: ZoneInfo, problems: list[Diagnostic]) -> tuple[ChannelSpec, ...]:
    channels = doc.meta.get("channels")
    if channels is None:
        return ()
    if not isinstance(channels, dict):
        line, column = doc.line_of("channels")
        problems.append(diagnostic(doc.path, line, column, "error",
                                   "channels must map channel names to a text or to {text, at, media}",
                                   "channels"))
        return ()
    default_alt = _text_or_none(doc.meta.get("media_alt")) or _text_or_none(doc.meta.get("image_alt"))
    specs = []
    for name, value in channels.items():
        name = str(name)
        line, column = doc.line_of("channels", name)
        if value is True:
            specs.append(ChannelSpec(name, None, None, (), line))
            continue
        if value is False or value is None:
            continue
        if isinstance(value, str):
            specs.append(ChannelSpec(name, doc.located("channels", name), None, (), line))
            continue
        if not isinstance(value, dict):
            problems.append(diagnostic(doc.path, line, column, "error",
                                       f"channel '{name}' needs a text or a mapping with 'text'",
                                       "channels"))
            continue
        for key in value:
            if key not in ("text", "at", "media", "media_alt"):
                kl, kc = doc.line_of("channels", name, key)
                close = difflib.get_close_matches(str(key), ("text", "at", "media", "media_alt"), 1, 0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(diagnostic(doc.path, kl, kc, "warning",
                                           f"unknown key '{key}' in channel '{name}'{hint}", "channels"))
        at = None
        if value.get("at") is not None:
            at = parse_time(value["at"], zone)
            if at is None:
                al, ac = doc.line_of("channels", name, "at")
                problems.append(diagnostic(doc.path, al, ac, "error",
                                           f"bad time {shown(value['at'])} for channel '{name}': "
                                           f"{date_problem(value['at'])}", "channels"))
        alt = _text_or_none(value.get("media_alt")) or default_alt
        media = value.get("media") or []
        if isinstance(media, str):
            media = [media]
        refs = tuple(MediaRef(_media_path(str(m)), alt) for m in media)
        text = doc.located("channels", name, "text")
        if text is None and "text" in value and value["text"] is not None:
            tl, tc = doc.line_of("channels", name, "text")
            problems.append(diagnostic(doc.path, tl, tc, "error",
                                       f"the text for channel '{name}' must be a string", "channels"))
        specs.append(ChannelSpec(name, text, at, refs, line))
    return tuple(specs)
