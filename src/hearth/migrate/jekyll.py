"""Jekyll → Hearth: `_posts` (also `<lang>/_posts`, `<collection>/_posts`),
`_drafts` (as posts with `status: draft`), the media they link to, Liquid
rewritten where Hearth has an equivalent, and `_config.yml`'s permalink."""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import yaml

from ..dates import parse_when
from ..diagnostics import diagnostic
from ..settings import Settings
from ..source import decode
from .rewrite import (POST_SUFFIXES, RULE, Context, Plan, attributes, fence, image, leftovers,
                      mask, media_links, post_urls, quoted, unmask)

TAG = r"\{%-?\s*"
END = r"\s*-?%\}"
RAW = re.compile(TAG + r"raw" + END + r"(.*?)" + TAG + r"endraw" + END, re.S)
HIGHLIGHT = re.compile(TAG + r"highlight\s+([\w+#.-]+)[^%]*?" + END + r"[ \t]*\n?(.*?)"
                       + TAG + r"endhighlight" + END, re.S)
SITE_VARS = re.compile(r"\{\{-?\s*site\.(?:url|baseurl)\s*-?\}\}")
SITE_VALUE = re.compile(r"\{\{-?\s*site\.(\w+)\s*-?\}\}")
URL_FILTER = re.compile(r"""\{\{-?\s*(["'])([^"']*)\1\s*\|\s*(?:relative_url|absolute_url"""
                        r"""|prepend:\s*site\.(?:baseurl|url))\s*-?\}\}""")
POST_URL = re.compile(TAG + r"post_url\s+([^\s%]+)" + END)
LINK = re.compile(TAG + r"link\s+([^\s%]+)" + END)
INCLUDE = re.compile(TAG + r"include\s+([\w./-]+)(.*?)" + END, re.S)
FIGURE_INCLUDE = re.compile(r"image|img|figure|picture|photo", re.I)
LIQUID = re.compile(r"\{%.{0,300}?%\}|\{\{.{0,300}?\}\}", re.S)
# a front-matter date Ruby's Time.parse reads but ISO 8601 does not: the day, the time,
# anything between (`2023-01-29 18:30:22 2023 -0800`), and the offset
RUBY_DATE = re.compile(r"^(date:\s*)(['\"]?)(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)"
                       r"(?:\.\d+)?[^\n'\"]*?\s*(Z|UTC|[+-]\d{2}:?\d{2})?\2[ \t]*$", re.M)
UTC = ZoneInfo("UTC")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*$", re.S | re.M)
DRAFT_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
SKIP_DIRS = {"_site", "node_modules", "vendor", ".git", ".jekyll-cache", ".sass-cache"}

# Jekyll's named permalink styles
STYLES = {"date": "/:categories/:year/:month/:day/:title:output_ext",
          "pretty": "/:categories/:year/:month/:day/:title/",
          "ordinal": "/:categories/:year/:y_day/:title:output_ext",
          "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
          "none": "/:categories/:title:output_ext"}
TOKENS = {":year": "{year}", ":month": "{month}", ":day": "{day}", ":title": "{slug}",
          ":slug": "{slug}", ":output_ext": ".html", ":lang": "{lang}"}


def iso_date(text: str) -> str:
    """The front matter's `date:` as ISO 8601 when Jekyll's lenient reader took it as
    something else; the rest of the text as written."""
    end = text.find("\n---", 3) if text.startswith("---") else -1
    if end < 0:
        return text

    def iso(m: re.Match) -> str:
        if parse_when(m.group(0)[len(m.group(1)):].strip("'\" \t"), UTC) is not None:
            return m.group(0)
        zone = m.group(5) or ""
        if zone == "UTC":
            zone = "Z"
        elif zone and ":" not in zone and zone != "Z":
            zone = zone[:3] + ":" + zone[3:]
        time = m.group(4) if len(m.group(4).split(":")[0]) == 2 else "0" + m.group(4)
        return f"{m.group(1)}{m.group(3)}T{time}{zone}"

    return RUBY_DATE.sub(iso, text[:end]) + text[end:]


def translate(text: str, ctx: Context) -> tuple[str, list]:
    """One post's text with Liquid rewritten; a warning for each construct kept."""
    originals: list[str] = []
    while (m := RAW.search(text)) is not None:
        originals.append(m.group(1))
        start = m.start()
        text = text[:start] + m.group(1) + text[m.end():]
        text = mask(text, start, start + len(m.group(1)))
    text = HIGHLIGHT.sub(lambda m: fence(m.group(1), m.group(2)), text)
    text = URL_FILTER.sub(lambda m: m.group(2) if m.group(2).startswith(("/", "http"))
                          else "/" + m.group(2), text)
    text = SITE_VARS.sub("", text)
    text = SITE_VALUE.sub(lambda m: _site_value(m, ctx), text)
    text = POST_URL.sub(lambda m: ctx.post_url(m.group(1)) or m.group(0), text)
    text = LINK.sub(lambda m: _link(m, ctx), text)
    text = INCLUDE.sub(lambda m: _include(m, ctx), text)
    text = media_links(text, ctx.media)
    problems = leftovers(ctx.path, text, originals, LIQUID, "Liquid")
    return unmask(text, originals), problems


def _site_value(m: re.Match, ctx: Context) -> str:
    """`{{ site.repository }}` → the text or number `_config.yml` gives it, as Jekyll would."""
    value = ctx.site.get(m.group(1))
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return m.group(0)
    return str(value)


def _link(m: re.Match, ctx: Context) -> str:
    target = m.group(1).strip("\"'")
    if "_posts/" in target or target.startswith("_posts"):
        return ctx.post_url(PurePosixPath(target).name) or m.group(0)
    return ctx.media("/" + target.lstrip("/")) or m.group(0)


def _include(m: re.Match, ctx: Context) -> str:
    name, args = m.group(1), m.group(2)
    if not FIGURE_INCLUDE.search(name) or not quoted(args):
        return m.group(0)
    attrs = attributes(args)
    src = next((attrs[k] for k in ("url", "src", "file", "image", "path", "img") if k in attrs), None)
    if not src or "{{" in src:
        return m.group(0)
    if not src.startswith(("/", "http", "media/")):
        src = "/" + src
    src = ctx.media(src) or src
    alt = next((attrs[k] for k in ("alt", "description", "caption", "title") if k in attrs), "")
    caption = attrs.get("caption") or (attrs.get("description", "") if "alt" in attrs else "")
    return image(alt, src, caption)


def permalink_from(config: dict) -> tuple[str | None, str]:
    """`_config.yml`'s permalink → (Hearth's pattern or None, what could not be kept)."""
    raw = _posts_permalink(config) or config.get("permalink") or "date"
    if not isinstance(raw, str):
        return None, f"permalink {raw!r} is not text"
    given = STYLES.get(raw, raw)
    notes = []
    pattern = given
    if ":categories" in pattern:
        pattern = re.sub(r"/?:categories", "", pattern)
        notes.append(":categories is not kept (Hearth has no categories in URLs: a post with "
                     "categories gets a URL without them)")
    for token, field in sorted(TOKENS.items(), key=lambda kv: -len(kv[0])):
        pattern = pattern.replace(token, field)
    unknown = re.findall(r":\w+", pattern)
    if unknown:
        return None, f"{', '.join(unknown)} in '{given}' has no Hearth equivalent"
    pattern = pattern.strip("/")
    if "{slug}" not in pattern:
        return None, f"'{given}' has no :title or :slug"
    if not pattern.endswith(".html"):
        pattern += "/"
    return pattern, "; ".join(notes)


def _posts_permalink(config: dict) -> object:
    """The posts' own permalink, which wins over the site's: from a `defaults` entry scoped
    to posts, else from `collections.posts` (Jekyll's order of precedence)."""
    for entry in config.get("defaults") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
        if scope.get("type") == "posts" or str(scope.get("path", "")).strip("/") == "_posts":
            if entry["values"].get("permalink"):
                return entry["values"]["permalink"]
    collections = config.get("collections")
    posts = collections.get("posts") if isinstance(collections, dict) else None
    return posts.get("permalink") if isinstance(posts, dict) else None


def post_files(src: Path, under: str = "_posts") -> list[str]:
    """Every file under a `_posts` (or `_drafts`) folder, as paths relative to `src`."""
    found = []
    for folder, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        rel = Path(folder).relative_to(src).as_posix()
        if under in rel.split("/"):
            found += [f"{rel}/{f}" for f in sorted(files) if not f.startswith(".")]
    return sorted(found)


def hub_path(relpath: str) -> str:
    """`_posts/a.md` → content/posts/a.md; `en/_posts/a.md` → content/posts/en/a.md;
    `_drafts/a.md` → content/posts/a.md (a draft is a post with `status: draft`)."""
    marker = "_drafts/" if "_drafts/" in relpath and "_posts/" not in relpath else "_posts/"
    before, _, after = relpath.partition(marker)
    return "content/posts/" + before + after


def as_draft(text: str, stem: str, changed: date) -> tuple[str, str]:
    """A Jekyll draft as a Hearth post: `status: draft` added to its front
    matter (unless it says `status`, `draft` or `published` already), a
    `title` from the file name and a `date` from the day the file last
    changed (as `jekyll --drafts` dates it) when it has none; every other
    line as written. Also the note to report what was made up, or ''."""
    match = FRONT_MATTER.match(text)
    meta: dict = {}
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
            meta = loaded if isinstance(loaded, dict) else {}
        except yaml.YAMLError:
            meta = {}
    added = []
    if not any(k in meta for k in ("status", "draft", "published")):
        added.append("status: draft")
    named = DRAFT_DATE.match(stem)
    if not meta.get("title"):
        title = (named.group(2) if named else stem).replace("-", " ").replace("_", " ").strip()
        added.append(f"title: {json.dumps(title.capitalize() or stem, ensure_ascii=False)}")
    made_up = []
    if "date" not in meta and not named:
        added.append(f"date: {changed.isoformat()}")
        made_up.append(f"dated {changed.isoformat()}, the day the file last changed (as "
                       "jekyll --drafts dates a draft): set its day before it is published")
    if not added:
        return text, ""
    block = "".join(line + "\n" for line in added)
    if match:
        opening = text.index("\n") + 1
        return text[:opening] + block + text[opening:], "; ".join(made_up)
    return "---\n" + block + "---\n" + text, "; ".join(made_up)


def plan(src: Path, settings: Settings, hub_pattern: str) -> Plan:
    result = Plan()
    config_path = src / "_config.yml"
    config = {}
    if config_path.is_file():
        try:
            config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            result.diagnostics.append(diagnostic("_config.yml", 1, 1, "warning",
                                                 f"cannot read _config.yml ({err}): permalink kept",
                                                 RULE))
    pattern, notes = permalink_from(config if isinstance(config, dict) else {})
    if pattern is None:
        result.diagnostics.append(diagnostic("_config.yml", 1, 1, "warning",
                                             f"permalink not set: {notes}", RULE))
    else:
        result.permalink = pattern
        if notes:
            result.diagnostics.append(diagnostic("_config.yml", 1, 1, "warning",
                                                 f"permalink set to '{pattern}', but {notes}", RULE))
    texts: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    sources: dict[str, str] = {}
    for relpath in post_files(src):
        if not relpath.endswith(POST_SUFFIXES):
            result.diagnostics.append(diagnostic(relpath, 1, 1, "warning",
                                                 "not a post Hearth reads: not copied", RULE))
            continue
        text, problems = decode(relpath, (src / relpath).read_bytes())
        if text is None:
            result.diagnostics += problems
            continue
        target = hub_path(relpath)
        texts[target] = iso_date(text)
        sources[target] = relpath
        names[target] = [relpath, PurePosixPath(relpath).name, PurePosixPath(relpath).stem,
                         relpath.partition("_posts/")[2]]
    for relpath in post_files(src, "_drafts"):
        target = hub_path(relpath)
        if not relpath.endswith(POST_SUFFIXES) or target in texts:
            why = ("not a post Hearth reads" if not relpath.endswith(POST_SUFFIXES)
                   else f"a post is imported to {target} already")
            result.diagnostics.append(diagnostic(relpath, 1, 1, "warning", f"{why}: not copied",
                                                 RULE))
            continue
        text, problems = decode(relpath, (src / relpath).read_bytes())
        if text is None:
            result.diagnostics += problems
            continue
        changed = (src / relpath).stat().st_mtime
        texts[target], note = as_draft(text, PurePosixPath(relpath).stem,
                                       datetime.fromtimestamp(changed, settings.site.zone).date())
        sources[target] = relpath
        names[target] = [relpath]
        if note:
            result.diagnostics.append(diagnostic(target, 1, 1, "warning", note, RULE))
    index = post_urls(texts, names, settings, result.permalink or hub_pattern)
    # drafts are new writing: the style guide applies to them
    result.newest = max((day for target, day in index.days.items()
                         if "_drafts/" not in sources[target]), default=None)

    def media(link: str) -> str | None:
        rel = link.split("?")[0].split("#")[0].lstrip("/")
        file = src / rel
        if not rel or rel.startswith(("_", ".")) or rel.endswith(POST_SUFFIXES) \
                or ".." in rel.split("/") or not file.is_file():
            return None
        result.media["content/media/" + rel] = file
        return "media/" + rel

    for target, text in texts.items():
        ctx = Context(target, index.url, media, config if isinstance(config, dict) else {})
        result.posts[target], problems = translate(text, ctx)
        result.diagnostics += problems
    return result
