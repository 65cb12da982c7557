"""Where a post lives: its permalink pattern (`[site] permalink`, or the
`[permalinks]` entry of its folder), a URL a post sets itself (Hugo's `url:`,
Jekyll's `permalink:`), and the folder a page bundle's files go to. Pure;
`validate` reports a bad own URL, `assemble.site` uses the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..load.bundles import is_bundle_index, post_folder, section_of
from ..load.posts import file_slug
from ..model import Post
from ..settings import PERMALINK_FIELDS, Settings

OWN_URL_KEYS = ("url", "permalink", "path")    # Hugo's, Jekyll's, Zola's
# what a Jekyll post's own permalink may say (`permalink: /:year/:title/`), as Hearth's fields
JEKYLL_FIELDS = {":year": "{year}", ":month": "{month}", ":day": "{day}", ":title": "{slug}",
                 ":slug": "{slug}", ":lang": "{lang}"}
_JEKYLL_TOKEN = re.compile(r":[A-Za-z_]+")
_FIELD = re.compile(r"\{([^}]*)\}")


def permalink(pattern: str, post: Post) -> str:
    """`pattern` filled for `post`. An empty `{section}` (a post directly in
    content/posts) drops its path segment: `{section}/{slug}/` → `x/`."""
    moment = post.date
    values = {"slug": post.slug, "lang": post.lang,
              "year": f"{moment.year:04d}" if moment else "0000",
              "month": f"{moment.month:02d}" if moment else "00",
              "day": f"{moment.day:02d}" if moment else "00",
              "section": _section(post)}
    url = pattern
    for name in PERMALINK_FIELDS:
        url = url.replace("{" + name + "}", values[name])
    if "{section}" in pattern and not values["section"]:
        url = re.sub(r"/{2,}", "/", url).lstrip("/")
    return url if url.endswith((".html", "/")) else url + "/"


def _section(post: Post) -> str:
    """`{section}`: the post's first folder, made URL-safe by the file-name rule
    (`Inside Rust` → `inside-rust`, `inside-rust` kept as written)."""
    section = section_of(post.path) if post.kind == "post" else ""
    return file_slug(section) if section else ""


@dataclass(frozen=True)
class OwnUrl:
    """A URL one post sets itself."""

    key: str                    # url | permalink | path
    url: str | None             # the URL path under the hub ('about/', 'a/b.html'), None if bad
    problem: str | None


def own_url(post: Post) -> OwnUrl | None:
    """The URL `post` sets with `url:` (Hugo), `permalink:` (Jekyll) or `path`
    (Zola), as a path under the hub: `/a/b/` → `a/b/`, `/a/b.html` →
    `a/b.html`; one with neither ending follows its source as redirects do:
    `url: /a/b` → `a/b/` (Hugo), `permalink: /a/b` → `a/b.html` (Jekyll),
    `path = "a/b"` → `a/b/` (Zola, whose leading '/' is optional). Jekyll's
    `:year`, `:title`, … and Hearth's `{year}`, `{slug}`, … are kept as fields
    (`post_url` fills them). None when none is set."""
    meta = post.doc.meta
    given = [key for key in OWN_URL_KEYS if meta.get(key) is not None]
    if not given:
        return None
    key = given[0]
    value = meta[key]
    if any(meta[other] != value for other in given[1:]):
        other = next(o for o in given[1:] if meta[o] != value)
        return OwnUrl(other, None, f"{key} and {other} both set, to different paths: keep one")
    example = {"url": "/2011/05/04/old-name/", "permalink": "/2011/05/04/old-name.html",
               "path": "2011/05/04/old-name"}[key]
    if not isinstance(value, str) or not value.strip():
        return OwnUrl(key, None, f"{key} must be a path on this site, like {example}")
    path = value.strip()
    if "://" in path or path.startswith("//"):
        return OwnUrl(key, None, f"{key} '{path}' is a full URL: write the path on this site, "
                                 f"like {example}")
    if key == "path" and not path.startswith("/"):
        path = "/" + path
    if not path.startswith("/"):
        return OwnUrl(key, None, f"{key} '{path}' must start with '/' (a path from the site's "
                                 f"root, like {example})")
    path = _JEKYLL_TOKEN.sub(lambda m: JEKYLL_FIELDS.get(m.group(0), m.group(0)), path)
    unknown = _JEKYLL_TOKEN.findall(path) + [f"{{{f}}}" for f in _FIELD.findall(path)
                                              if f not in PERMALINK_FIELDS]
    if unknown:
        return OwnUrl(key, None, f"{key} '{value.strip()}' has {', '.join(unknown)}, which Hearth "
                                 f"cannot fill: use :year :month :day :title or "
                                 f"{' '.join('{' + f + '}' for f in PERMALINK_FIELDS)}")
    parts = path.split("/")
    if ("\\" in path or ".." in parts or any(p.startswith(".") for p in parts if p)
            or any(c in path for c in "?#") or any(ord(c) < 32 for c in path)):
        return OwnUrl(key, None, f"{key} '{path}' would leave the hub or name a hidden file: "
                                 "write a plain path, without '..', '?' or '#'")
    path = re.sub(r"/{2,}", "/", path).lstrip("/")
    if not path:
        return OwnUrl(key, None, f"{key} '/' is the home page: give the post a path of its own")
    if not path.endswith("/") and not path.lower().endswith((".html", ".htm")):
        path += ".html" if key == "permalink" else "/"
    return OwnUrl(key, path, None)


def own_path(post: Post) -> str | None:
    """The URL a post or page sets itself, its fields filled; None if it sets none (or a bad one)."""
    own = own_url(post)
    if own is None or own.url is None:
        return None
    return permalink(own.url, post) if "{" in own.url else own.url


def post_url(settings: Settings, post: Post, pattern: str | None = None) -> str:
    """Where a post lives under the hub: its own URL if it sets a good one,
    else its folder's pattern (or `pattern`, for an import trying one out)."""
    own = own_path(post)
    if own is not None:
        return own
    folder = post_folder(post.path)
    if pattern is None or _listed(settings, folder):
        pattern = settings.permalink_for(folder)
    return permalink(pattern, post)


def _listed(settings: Settings, folder: str) -> bool:
    """A folder with a [permalinks] entry of its own or of a folder above it."""
    return any(folder == f or folder.startswith(f + "/") for f in settings.permalinks)


def section_url(settings: Settings, folder: str) -> str:
    """A section's list page (`inside-rust/`): the fixed start its posts share
    under its own `[permalinks]` entry (`/irlo/{year}/{slug}/` → `irlo/`,
    `{section}/{slug}/` → `inside-rust/`), else, when it has no entry or its
    pattern starts with a field (`{year}/{slug}/`), its folder, each part
    made URL-safe by the file-name rule (`Inside Rust/weekly` → `inside-rust/weekly/`)."""
    pattern = settings.permalinks.get(folder)
    if pattern is not None:
        fixed = []
        for part in pattern.replace("{section}", file_slug(folder.split("/")[0])).split("/")[:-1]:
            if "{" in part:
                break
            if part:
                fixed.append(part)
        if fixed:
            return "/".join(fixed) + "/"
    return "/".join(file_slug(part) for part in folder.split("/")) + "/"


def in_folder(post: Post, folder: str) -> bool:
    """A post under `folder` (relative to content/posts), at any depth."""
    held = post_folder(post.path)
    return post.kind == "post" and (held == folder or held.startswith(folder + "/"))


def bundle_folder(post: Post, url: str) -> str | None:
    """Where a page bundle's files go (the post's URL folder: `posts/trip/`,
    or `2020/trip/` for `2020/trip.html`); None for a post that is no bundle."""
    if post.kind != "post" or not is_bundle_index(post.path):
        return None
    if url.endswith("/"):
        return url
    return url.rsplit(".", 1)[0] + "/"


def zola_target(target: str, urls: dict[str, str]) -> str | None:
    """The source a Zola internal link (`@/inside-rust/x.md`, the part after
    `@/`) names: Zola's content/ is content/posts once copied there, or a
    file of content/ itself (a page); None when there is none."""
    target = target.strip("/")
    for path in (f"content/posts/{target}", f"content/{target}"):
        if path in urls:
            return path
    return None
