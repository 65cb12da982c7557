"""Loading posts, pages and guidelines: one Markdown file → a `Post` record + diagnostics.

The three share one record and one reader; what differs is what they must
have: a post needs a title and a date, a page or guideline with front matter
may take its title from the file name and needs no date.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slugify import slugify

from ..dates import date_problem, parse_time, shown
from ..diagnostics import Diagnostic, diagnostic
from ..model import STATUSES, SUMMARY_KEYS, ChannelSpec, MediaRef, Post
from ..settings import Settings
from ..source import SourceDoc, read
from .authors import read_authors
from .bundles import is_bundle_index, post_stem
from .front_matter import word_list
from .implied import folder_date, folder_lang, path_date
from .template_code import first_template_code

POST_KEYS = ("title", "date", "status", "slug", "author", "authors", "tags", "summary", "image",
             "image_alt", "campaign", "lang", "expires", "channels", "media_alt", "updated",
             "weight")
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[-_](.+)$")   # Jekyll `-`, Zola `_` too
URL_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?<!\.)$")
SAFE_SLUG = re.compile(r"^[\w][\w.-]*$")
# a language tag as BCP 47 writes one (en, pt-BR, zh-Hant-TW); what a `{lang}` permalink puts in a URL
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
CHANNEL_KEYS = ("text", "thread", "at", "media", "media_alt")
MAX_TAGS = 100      # more is a mistake (a pasted keyword list): each tag is a page listing them all


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

    if not doc.text or doc.text.isspace():     # (strip() would copy the whole file)
        problems.append(diagnostic(relpath, 1, 1, "error",
                                   "empty file: a post needs front matter with at least a title",
                                   "front-matter"))
        return None, problems
    if kind == "post" and _template_only(doc):
        problems.append(diagnostic(relpath, 1, 1, "warning",
                                   f"not read: a page made by the template "
                                   f"{shown(meta['template'])} alone (no title, no text); Hearth "
                                   f"does not run another generator's templates", "unread-file"))
        return None, problems
    stem = post_stem(relpath, kind)     # a page bundle's post is named after its folder
    prefix = DATE_PREFIX.match(stem)
    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        if kind == "post" or not doc.meta:
            error(("title",), "missing required key 'title'")
        title = stem.replace("-", " ").capitalize()
    elif isinstance(title, bool) or not isinstance(title, (str, int, float, date)):
        error(("title",), f"title must be text, not {kind_of(title)}")
        title = stem.replace("-", " ").capitalize()
    title = str(title).strip()

    moment = None
    if "date" in meta:
        moment = parse_time(meta["date"], zone)
        if moment is None:
            error(("date",), f"bad date {shown(meta['date'])}: {date_problem(meta['date'])}")
    elif kind == "post" and path_date(meta):
        moment = parse_time(path_date(meta), zone)
        if moment is None:
            error(("path",), f"bad date '{path_date(meta)}' in path: "
                             f"{date_problem(path_date(meta)).split(';')[0]}")
    elif prefix:
        moment = parse_time(prefix.group(1), zone)
        if moment is None:
            problems.append(diagnostic(relpath, 1, 1, "error",
                                       f"bad date prefix '{prefix.group(1)}' in the file name: "
                                       f"{date_problem(prefix.group(1))}", "front-matter"))
    elif kind == "post" and folder_date(relpath):
        day = str(folder_date(relpath))
        moment = parse_time(day, zone)
        if moment is None:
            problems.append(diagnostic(relpath, 1, 1, "error", f"bad date '{day}' in the folder "
                                       f"name: {date_problem(day).split(';')[0]}", "front-matter"))
    elif kind == "post":
        error(("title",), "missing required key 'date' (or a YYYY-MM-DD- file-name prefix)")

    # Hugo's `draft: true` and Jekyll's `published: false` mean draft, so a
    # migrated blog never publishes what its writers held back
    held_back = meta.get("draft") is True or meta.get("published") is False
    status = meta.get("status", "draft" if held_back else "ready")
    if status not in STATUSES:
        error(("status",), f"status must be one of {', '.join(STATUSES)}, not {shown(status)}")
        status = "draft"

    expires = None
    if meta.get("expires") is not None:
        expires = parse_time(meta["expires"], zone)
        if expires is None:
            error(("expires",), f"bad expires date {shown(meta['expires'])}: "
                                f"{date_problem(meta['expires'])}")

    if meta.get("slug") is not None and not _is_text(meta["slug"]):
        error(("slug",), f"slug must be text, not {kind_of(meta['slug'])}")
        slug = file_slug(prefix.group(2) if prefix else stem)
    elif meta.get("slug") is not None:
        raw = str(meta["slug"]).strip()
        if "/" in raw or "\\" in raw or ".." in raw or not SAFE_SLUG.match(raw):
            error(("slug",), f"slug {shown(raw)} would leave its folder or is not a plain name: use "
                             "letters, digits, '-', '_' and '.' only")
            slug = slugify(raw) or "post"
        else:
            slug = raw
    else:
        slug = file_slug(prefix.group(2) if prefix else stem)

    where = ("tags",)
    given = meta.get("tags")
    taxonomies = meta.get("taxonomies")
    if given is None and isinstance(taxonomies, dict) and "tags" in taxonomies:
        # Zola writes tags as `[taxonomies] tags = [...]`
        where, given = ("taxonomies", "tags"), taxonomies["tags"]
    tags = word_list(given)
    if tags is None:
        error(where, "tags must be a list of words")
        tags = ()
    elif len(tags) > MAX_TAGS:
        error(where, f"{len(tags):,} tags: a post has at most {MAX_TAGS} (every tag is a page "
                         "of the hub that lists its posts and their tags)")
        tags = tags[:MAX_TAGS]
    lang = settings.site.language
    if meta.get("lang") is not None:
        if _is_text(meta["lang"]) and LANG_TAG.match(str(meta["lang"]).strip()):
            lang = str(meta["lang"]).strip()
        else:
            error(("lang",), f"lang must be a language tag like en, it or pt-BR, not "
                             f"{shown(meta['lang'])}")
    elif kind == "post" and folder_lang(relpath, settings.site.languages):
        lang = str(folder_lang(relpath, settings.site.languages))

    for key in ("summary", "image", "image_alt", "media_alt"):
        if meta.get(key) is not None and not _is_text(meta[key]):
            error((key,), f"{key} must be text, not {kind_of(meta[key])}")
    authors, bad_authors = read_authors(meta, settings.site.base_path)
    for where in bad_authors:
        value = meta[where[0]] if len(where) == 1 else meta[where[0]][where[1]]
        what = "a mapping without 'name'" if isinstance(value, dict) else kind_of(value)
        if len(where) == 1:
            error(where, f"{where[0]} must be a name or a list of names (plain, Markdown links or "
                         f"mappings with a 'name'), not {what}")
        else:
            error(where, f"{where[0]} entry {where[1] + 1} must be a name, a Markdown link or a "
                         f"mapping with a 'name', not {what}")
    author = ", ".join(a.name for a in authors) or None
    if meta.get("updated") is not None and parse_time(meta["updated"], zone) is None:
        error(("updated",), f"bad updated {shown(meta['updated'])}: {date_problem(meta['updated'])}")
    weight = meta.get("weight")
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int)):
        error(("weight",), f"weight must be a whole number (pages with a lower one come first), "
                           f"not {shown(weight)}")

    # a page bundle's `image: cover.jpg` is its own file (content/posts/trip/cover.jpg)
    bundle = (relpath.rpartition("/")[0][len("content/"):]
              if kind == "post" and is_bundle_index(relpath) else None)
    image = None
    if meta.get("image") and _is_text(meta["image"]):
        image = MediaRef(_media_path(str(meta["image"]), bundle), _text(meta.get("image_alt")))
        if not image.alt:
            error(("image",), "image needs alt text: add 'image_alt'", "alt-text")
    campaign = meta.get("campaign")
    if campaign is not None and not isinstance(campaign, str):
        error(("campaign",), "campaign must be the name of a file in calendar/campaigns/")
        campaign = None

    channels = _channel_specs(doc, zone, problems, bundle)

    for key in meta:
        if key in POST_KEYS:
            continue
        close = difflib.get_close_matches(key, POST_KEYS, n=1, cutoff=0.8)
        if close:
            line, column = doc.key_position(key)
            problems.append(diagnostic(relpath, line, column, "warning",
                                       f"unknown key '{key}'; did you mean '{close[0]}'?",
                                       "front-matter"))
    left = first_template_code(doc)
    if left is not None:
        problems.append(left)
    extra = {k: v for k, v in meta.items() if k not in POST_KEYS}
    summary = next((text for key in SUMMARY_KEYS if (text := _text(meta.get(key)))), None)
    order = weight if isinstance(weight, int) and not isinstance(weight, bool) else 0
    post = Post(doc, kind, slug, title, moment, status, author, tags, summary, image,
                campaign, lang, expires, channels, extra, order, authors=authors)
    return post, problems


def _template_only(doc: SourceDoc) -> bool:
    """Zola's and Hugo's `template = "latest.html"` page with no title and no
    body (the Rust blog's `releases/latest.md`): the generator's template
    makes all of it, so there is nothing for Hearth to publish."""
    return ("template" in doc.meta and not doc.meta.get("title") and not doc.body.strip())


def file_slug(name: str) -> str:
    """The slug a file name gives: kept as written when it is URL-safe (ASCII
    letters, digits, '-', '_', '.', as Jekyll and Hugo keep `Railscamp-Koeln`
    and `3.0-released`), else slugified (`кто-такой` → `kto-takoi`)."""
    if URL_SAFE_NAME.match(name) and ".." not in name:
        return name
    return slugify(name) or "post"


def _is_text(value: Any) -> bool:
    """What a text key takes: text, or a number or date YAML read from what was written."""
    return isinstance(value, (str, int, float, date)) and not isinstance(value, bool)


def kind_of(value: Any) -> str:
    """What YAML made of a value, as a message names it."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes/no/true/false as a yes-or-no; quote it)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return shown(value)


def _text(value: Any) -> str | None:
    """A text value, stripped; None when absent, empty or not text (reported by the caller)."""
    if value is None or not _is_text(value):
        return None
    text = str(value).strip()
    return text or None


def _media_path(path: str, bundle: str | None = None) -> str:
    """Media paths are relative to content/; accept '/media/x' and 'content/media/x' too.
    In a page bundle (`bundle`: its folder under content/, `posts/trip`) a
    relative path that does not start with `media/` names a file beside the
    post (`cover.jpg`, `./img/a.png` → `posts/trip/img/a.png`), as Hugo's and
    Zola's page resources do; one leaving the bundle (`../x.jpg`) is kept as
    written and reported as not found."""
    path = path.strip()
    if bundle is not None and not path.startswith("/") and "://" not in path:
        inside = posixpath.normpath(f"{bundle}/{path}")
        bare = path.removeprefix("./")
        if not bare.startswith(("media/", "content/")) and inside.startswith(bundle + "/"):
            return inside
    path = path.lstrip("/")
    return path[len("content/"):] if path.startswith("content/") else path


def _channel_specs(doc: SourceDoc, zone: ZoneInfo, problems: list[Diagnostic],
                   bundle: str | None = None) -> tuple[ChannelSpec, ...]:
    channels = doc.meta.get("channels")
    if channels is None:
        return ()
    if not isinstance(channels, dict):
        line, column = doc.line_of("channels")
        problems.append(diagnostic(doc.path, line, column, "error",
                                   "channels must map channel names to a text or to {text, at, media}",
                                   "channels"))
        return ()
    default_alt = _text(doc.meta.get("media_alt")) or _text(doc.meta.get("image_alt"))
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
                                       f"channel '{name}' needs a text or a mapping with 'text' "
                                       "(or 'thread: [part, …]')",
                                       "channels"))
            continue
        for key in value:
            if key not in CHANNEL_KEYS:
                kl, kc = doc.line_of("channels", name, key)
                close = difflib.get_close_matches(str(key), CHANNEL_KEYS, 1, 0.6)
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
        if value.get("media_alt") is not None and not _is_text(value["media_alt"]):
            ml, mc = doc.line_of("channels", name, "media_alt")
            problems.append(diagnostic(doc.path, ml, mc, "error",
                                       f"media_alt for channel '{name}' must be text, not "
                                       f"{kind_of(value['media_alt'])}", "channels"))
        alt = _text(value.get("media_alt")) or default_alt
        media = value.get("media")
        if media is None:
            media = []
        if isinstance(media, str):
            media = [media]
        if not isinstance(media, list) or not all(isinstance(m, str) for m in media):
            ml, mc = doc.line_of("channels", name, "media")
            problems.append(diagnostic(doc.path, ml, mc, "error",
                                       f"media for channel '{name}' must be a file path or a list "
                                       f"of paths, like media: [media/poster.png], not "
                                       f"{kind_of(media)}", "channels"))
            media = []
        refs = tuple(MediaRef(_media_path(m, bundle), alt) for m in media)
        text = doc.located("channels", name, "text")
        if text is None and "text" in value and value["text"] is not None:
            tl, tc = doc.line_of("channels", name, "text")
            problems.append(diagnostic(doc.path, tl, tc, "error",
                                       f"the text for channel '{name}' must be a string", "channels"))
        thread: tuple = ()
        if "thread" in value:
            if "text" in value:
                tl, tc = doc.key_position("channels", name, "thread")
                problems.append(diagnostic(doc.path, tl, tc, "error",
                                           f"channel '{name}' has both 'text' and 'thread': a thread's "
                                           "first part is its text; keep one of them", "channels"))
                continue
            thread = _thread(doc, name, value["thread"], problems)
            if not thread:
                continue
            text = thread[0]
        specs.append(ChannelSpec(name, text, at, refs, line, thread))
    return tuple(specs)


def _thread(doc: SourceDoc, name: str, parts: Any, problems: list[Diagnostic]) -> tuple:
    """`thread: [part, …]` → each part located; () (and a problem) when it is not
    a list of texts."""
    tl, tc = doc.line_of("channels", name, "thread")
    if not isinstance(parts, list) or not parts:
        what = "an empty list" if isinstance(parts, list) else "nothing" if parts is None \
            else kind_of(parts)
        problems.append(diagnostic(doc.path, tl, tc, "error",
                                   f"the thread for channel '{name}' must be a list of texts, one per "
                                   f"post, like thread: [\"First post\", \"Second: {{url}}\"], not "
                                   f"{what}", "channels"))
        return ()
    located = []
    for number, part in enumerate(parts, start=1):
        pl, pc = doc.line_of("channels", name, "thread", number - 1)
        found = doc.located("channels", name, "thread", number - 1)
        if found is None:
            problems.append(diagnostic(doc.path, pl, pc, "error",
                                       f"part {number} of the thread for channel '{name}' must be "
                                       f"text, not {kind_of(part)}", "channels"))
        elif not found.text.strip():
            problems.append(diagnostic(doc.path, pl, pc, "error",
                                       f"part {number} of the thread for channel '{name}' is empty",
                                       "channels"))
        located.append(found)
    if any(p is None or not p.text.strip() for p in located):
        return ()
    return tuple(located)
