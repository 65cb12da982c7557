"""Planning the public hub: home pages, posts, pages, tags, section lists, guidelines, feeds,
sitemap, robots.txt, the search index, theme assets and media. Pure.
"""

from __future__ import annotations

import bisect
import html
import json
import math
import posixpath
import re
import unicodedata
from typing import Any, Callable
from urllib.parse import unquote

from ..assemble.redirects import page_file, redirects_of, reserved_file
from ..assemble.site import Site
from ..model import Post
from ..channels.kinds import rules_for
from ..markup import render_markdown
from ..assemble.urls import bundle_folder
from ..theme import asset_files
from .context import base_context, link_view, post_view
from .events import event_occurrences
from .outputs import Output

FEED_SIZE = 20
SEARCH_SUMMARY_WORDS = 30


def _page(path: str) -> str:
    return path + "index.html" if path.endswith("/") or not path else path


def plan_hub(site: Site) -> list[Output]:
    """Every page of the public hub. Contexts are made when asked for (`make`),
    so a rebuild that looks only at the outputs touching a changed file stays cheap."""
    s = site.settings.site
    outputs: list[Output] = []
    public = site.public_posts
    every_post = frozenset(p.path for p in public) | {"hearth.toml"}

    def page(path: str, template: str, deps, make: Callable[[], dict], lang: str | None = None) -> None:
        outputs.append(_hub_page(site, path, template, deps, make, lang))

    # home, paginated
    for url, chunk, pagination in paginate(public, s.per_page, s.base_path, ""):
        n = pagination["n"]
        # depends on the posts it shows; a change of order is caught by the full pass
        page(_page(url), "index.html", {p.path for p in chunk} | {"calendar/*", "hearth.toml"},
             lambda chunk=chunk, pagination=pagination, n=n, url=url: {
                 "posts": [post_view(site, p) for p in chunk], "pagination": pagination,
                 "upcoming": upcoming_events(site) if n == 1 else [], "canonical": s.base_url + url})

    # posts, with previous (older) and next (newer) in the post's own language
    neighbours = same_language_neighbours(public)
    outputs += [_post_page(site, post, *neighbours[post.path]) for post in public]
    outputs += [_item_page(site, p) for p in site.public_pages]

    # tags
    page("tags/index.html", "tags.html", every_post, lambda: {
        "tags": [{"name": t.name, "url": f"{s.base_path}tags/{t.slug}/", "count": len(t.posts)}
                 for t in site.tags], "canonical": s.base_url + "tags/"})
    for tag in site.tags:
        deps = {p.path for p in tag.posts} | {"hearth.toml"}
        page(f"tags/{tag.slug}/index.html", "tag.html", deps, lambda tag=tag: {
            "tag": {"name": tag.name, "slug": tag.slug, "feed": f"{s.base_path}tags/{tag.slug}/feed.xml"},
            "posts": [post_view(site, p) for p in tag.posts],
            "canonical": f"{s.base_url}tags/{tag.slug}/"})
        page(f"tags/{tag.slug}/feed.xml", "feed.xml", deps, lambda tag=tag: {
            "feed": feed_context(site, tag.posts, f"{s.title} · #{tag.name}", f"tags/{tag.slug}/")})

    # sections (Hugo's and Zola's list pages), paginated like the home, with a feed
    for section in site.sections:
        deps = {p.path for p in section.posts} | {"hearth.toml"} | (
            {section.index} if section.index else set())
        view = {"title": section.title, "description": section.description,
                "url": s.base_path + section.url, "feed": f"{s.base_path}{section.url}feed.xml",
                "intro": section.body}
        for url, chunk, pagination in paginate(section.posts, s.per_page, s.base_path, section.url):
            page(_page(url), "section.html", deps | {p.path for p in chunk},
                 lambda chunk=chunk, pagination=pagination, url=url, view=view: {
                     "list_section": {**view, "intro": render_markdown(
                         view["intro"], s.base_path, site.settings.build.unsafe_html).html
                         if view["intro"].strip() else ""},
                     "posts": [post_view(site, p) for p in chunk], "pagination": pagination,
                     "canonical": s.base_url + url}, lang=section.lang)
        page(f"{section.url}feed.xml", "feed.xml", deps, lambda section=section: {
            "feed": feed_context(site, section.posts, f"{s.title} · {section.title}", section.url)})

    # guidelines
    if site.guidelines or getattr(site.sources.guide, "rules", ()):
        from .. import lint
        page("guidelines/index.html", "guidelines.html",
             {g.path for g in site.guidelines} | {"guidelines/*", "calendar/*", "hearth.toml"},
             lambda: {"pages": [post_view(site, g) for g in site.guidelines],
                      "rules": lint.rules_for_people(site.sources.guide)
                      if site.sources.guide is not None else [],
                      "channel_rules": channel_rules(site), "canonical": s.base_url + "guidelines/"})
        outputs += [_item_page(site, g) for g in site.guidelines]

    page("feed.xml", "feed.xml", every_post, lambda: {"feed": feed_context(site, public, s.title, "")})
    page("404.html", "404.html", {"hearth.toml"}, lambda: {"canonical": s.base_url + "404.html"})
    listed = list(outputs)
    outputs.append(Output("hub/sitemap.xml", "sitemap.xml",
                          lambda: {"urls": sitemap_urls(site, listed)}, deps=frozenset({"*"})))
    outputs += plan_redirects(site)
    outputs.append(Output("hub/robots.txt", data=(
        f"User-agent: *\nAllow: /\n\nSitemap: {s.base_url}sitemap.xml\n").encode(),
        deps=frozenset({"hearth.toml"})))
    outputs.append(Output("hub/search.json", data=lambda: search_index(site), deps=every_post))
    outputs += plan_assets(site)
    outputs += plan_media(site)
    outputs += plan_bundles(site)
    outputs += plan_static(site)
    return outputs


def paginate(posts, per_page: int, base_path: str, prefix: str):
    """(URL, posts shown, pagination) for each page of a list at `prefix`
    ('' for the home, 'inside-rust/' for a section): `prefix`, then
    `prefix + page/2/`, …; one page even when there is no post."""
    pages = max(1, math.ceil(len(posts) / per_page))
    for n in range(1, pages + 1):
        yield (prefix if n == 1 else f"{prefix}page/{n}/", posts[(n - 1) * per_page:n * per_page], {
            "n": n, "total": pages,
            "newer": None if n == 1 else base_path + prefix + ("" if n == 2 else f"page/{n - 1}/"),
            "older": None if n == pages else base_path + prefix + f"page/{n + 1}/",
        })


def plan_own_pages(site: Site, paths: set[str]) -> list[Output]:
    """The hub pages of the posts, pages and guidelines at `paths` only, each
    exactly as `plan_hub` plans it: what serve writes first after an edit,
    without planning the thousands of others."""
    outputs = []
    public = site.public_posts
    for index, post in enumerate(public):
        if post.path in paths:      # its neighbours found as `same_language_neighbours` does
            lang = _lang_key(post)
            newer = next((p for p in reversed(public[:index]) if _lang_key(p) == lang), None)
            older = next((p for p in public[index + 1:] if _lang_key(p) == lang), None)
            outputs.append(_post_page(site, post, newer, older))
    outputs += [_item_page(site, p) for p in site.public_pages if p.path in paths]
    if site.guidelines or getattr(site.sources.guide, "rules", ()):
        outputs += [_item_page(site, g) for g in site.guidelines if g.path in paths]
    return outputs


def _hub_page(site: Site, path: str, template: str, deps, make: Callable[[], dict],
              lang: str | None = None) -> Output:
    return Output(f"hub/{path}", template, lambda: {**base_context(site, lang), **make()},
                  deps=frozenset(deps))


def _post_page(site: Site, post: Post, newer: Post | None, older: Post | None) -> Output:
    """A post's page, with its previous (older) and next (newer) in its own language."""
    return _hub_page(site, _page(site.urls[post.path]), "post.html",
                     {post.path, "hearth.toml"} | {p.path for p in (newer, older) if p},
                     lambda: {"post": post_view(site, post),
                              "newer": link_view(site, newer) if newer else None,
                              "older": link_view(site, older) if older else None,
                              "canonical": site.absolute_url(post)},
                     lang=post.lang)


def _item_page(site: Site, item: Post) -> Output:
    """A page's or a guideline's page."""
    return _hub_page(site, _page(site.urls[item.path]), "page.html", {item.path, "hearth.toml"},
                     lambda: {"post": post_view(site, item), "canonical": site.absolute_url(item)},
                     lang=item.lang)


def _lang_key(post: Post) -> str:
    return post.lang.replace("_", "-").casefold()


def same_language_neighbours(posts) -> dict[str, tuple[Post | None, Post | None]]:
    """Each post's (newer, older) neighbour among the posts, newest first, in
    its language (`pt-BR` and `pt_br` are one; `zh-Hant` and `zh` are two)."""
    by_lang: dict[str, list[Post]] = {}
    for post in posts:
        by_lang.setdefault(_lang_key(post), []).append(post)
    found = {}
    for group in by_lang.values():
        for i, post in enumerate(group):
            found[post.path] = (group[i - 1] if i > 0 else None,
                                group[i + 1] if i + 1 < len(group) else None)
    return found


def plan_redirects(site: Site) -> list[Output]:
    """A small page at each old URL of a public post or page (`redirect_from`,
    `aliases`), sending the reader and search engines to where it lives now;
    in no sitemap. One `validate` reports (a clash, not a path) is left out."""
    taken = {page_file(url).casefold() for url in site.urls.values()}
    taken |= {f.casefold() for section in site.sections
              for f in section.files(site.settings.site.per_page)}
    written: set[str] = set()
    outputs = []
    for post in (*site.public_posts, *site.public_pages):
        for redirect in redirects_of(post):
            key = redirect.file.casefold()
            if redirect.problem or key in taken or key in written or reserved_file(key):
                continue
            written.add(key)
            outputs.append(Output(f"hub/{redirect.file}", "redirect.html",
                                  {"target": site.absolute_url(post), "title": post.title,
                                   "lang": post.lang},
                                  deps=frozenset({post.path, "hearth.toml"})))
    return outputs


def upcoming_events(site: Site, limit: int = 3) -> list[dict]:
    return event_occurrences(site, upcoming=True)[:limit]


def channel_rules(site: Site) -> list[dict]:
    """Each channel's limits, as the guidelines page shows them (from the kinds registry)."""
    rules = []
    for channel in site.calendar.channels:
        kind = rules_for(channel.kind)
        rules.append({
            "name": channel.name, "kind": channel.kind,
            "limit": channel.limit or kind.limit, "unit": kind.unit,
            "max_media": kind.max_media, "min_media": kind.min_media,
            "alt_required": kind.alt_required, "max_links": kind.max_links,
            "max_hashtags": kind.max_hashtags,
            "slots": [str(s) for s in channel.slots], "max_per_day": channel.max_per_day,
            "min_gap": str(channel.min_gap) if channel.min_gap else None,
        })
    return rules


def feed_context(site: Site, posts, title: str, path: str) -> dict[str, Any]:
    s = site.settings.site
    entries = [post_view(site, p) for p in posts[:FEED_SIZE]]
    updated = max((p.date for p in posts if p.date), default=None)
    return {"title": title, "id": s.base_url + path, "self": f"{s.base_url}{path}feed.xml",
            "link": s.base_url + path, "updated": updated, "entries": entries}


def sitemap_urls(site: Site, outputs: list[Output]) -> list[dict]:
    s = site.settings.site
    dated = {site.urls[p.path]: p.date for p in site.public_posts}
    urls = []
    for output in outputs:
        if not output.path.endswith(".html") or output.path.endswith("404.html"):
            continue
        rel = output.path[len("hub/"):]
        rel = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        urls.append({"loc": s.base_url + rel, "lastmod": dated.get(rel)})
    return sorted(urls, key=lambda u: u["loc"])


def search_index(site: Site) -> bytes:
    from ..markup import shorten
    base = site.settings.site.base_path
    # json.dumps of the whole list, written an entry at a time (as UTF-8 at once): the
    # entries are never all held, as dicts nor as text
    entries = (json.dumps({"title": p.title, "url": base + site.urls[p.path],
                           "summary": shorten(site.summary(p), SEARCH_SUMMARY_WORDS),
                           "tags": list(p.tags),
                           "date": p.date.date().isoformat() if p.date else None,
                           "lang": p.lang}, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode() for p in site.public_posts)
    return b"[" + b",".join(entries) + b"]\n"


def plan_assets(site: Site) -> list[Output]:
    """templates/assets/* of the built-in theme, overridden file by file by the
    hub's: regular files only, never through a link (load reports those)."""
    return [Output(f"hub/assets/{rel}", copy_from=path, deps=frozenset({f"templates/assets/{rel}"}))
            for rel, path in sorted(asset_files(site.settings.root).items())]


def plan_bundles(site: Site) -> list[Output]:
    """A public page bundle's files, beside its page (`posts/trip/photo.jpg`):
    a draft's, a future or an expired post's files are not published."""
    root = site.settings.root
    outputs = []
    for post in site.public_posts:
        folder = bundle_folder(post, site.urls[post.path])
        base = post.path.rsplit("/", 1)[0] + "/"
        for rel in site.sources.bundles.get(post.path, ()) if folder is not None else ():
            outputs.append(Output(f"hub/{folder}{rel[len(base):]}", copy_from=root / rel,
                                  deps=frozenset({rel, post.path})))
    return outputs


def plan_static(site: Site) -> list[Output]:
    """static/ copied as it is to the hub's root (Hugo's static/)."""
    root = site.settings.root
    return [Output(f"hub/{rel[len('static/'):]}", copy_from=root / rel, deps=frozenset({rel}))
            for rel in site.sources.static]


# --------------------------------------------------------------------------- media and privacy
#
# A file of content/media is copied to the hub if a public item uses it, or if
# no item mentions it at all (a logo, a file linked from outside). What a public
# item uses is read from what it puts on the page: its rendered HTML (links,
# images, raw HTML when allowed, reference-style links), its image and its
# channels' media. What a non-public item mentions is read generously, from its
# whole source text however the path is written (`media/./x.gif`,
# `./media/x.gif`, `/media/x.gif`, `../media/x.gif`, `media/a%20b.gif`,
# `media/X.GIF`, entities, the site's own absolute URL, any front-matter key),
# so that no spelling of a draft's file gets it published.

_ATTRIBUTE = re.compile(r"""\b(?:src|href|srcset|poster|data|content)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""",
                        re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_DOT_SEGMENTS = re.compile(r"/(?:\./)+")
_UP_SEGMENTS = re.compile(r"[^/\s\"'()<>\[\]]+/\.\./")
_MENTION_LENGTH = 300
_MAY_NAME_MEDIA = re.compile(r"media|%[0-9a-f]{2}|&#", re.IGNORECASE)   # a cheap test before reading


def media_key(path: str) -> str:
    """How two spellings of one media path compare: Unicode NFC, case folded
    (a case-insensitive file system serves media/X.GIF for media/x.gif)."""
    return unicodedata.normalize("NFC", path).casefold()


def media_reference(ref: str, base_url: str, base_path: str) -> str | None:
    """A URL or path as written in a page or front matter → the media path it
    names (`media/x.gif`, as media_key), or None if it names none."""
    ref = html.unescape(ref).strip().strip("<>")
    for prefix in (base_url, base_url.replace("https://", "http://", 1), base_url.split(":", 1)[-1]):
        if prefix and ref.startswith(prefix):
            ref = "/" + ref[len(prefix):]
            break
    ref = re.split(r"[?#]", ref, maxsplit=1)[0]
    ref = unquote(ref).replace("\\", "/")
    if _SCHEME.match(ref) or ref.startswith("//"):
        return None
    path = posixpath.normpath("/" + ref)          # ./ and ../ resolved; above the root stays at it
    if base_path != "/" and (path + "/").startswith(base_path):
        path = "/" + path[len(base_path):]
    path = path.lstrip("/")
    if path.startswith("content/"):
        path = path[len("content/"):]
    return media_key(path) if path.startswith("media/") else None


def used_media(site: Site, post: Post, html_text: str) -> set[str]:
    """The media a public post, page or guideline uses (as media_key)."""
    s = site.settings.site
    found = _ATTRIBUTE.finditer(html_text) if _MAY_NAME_MEDIA.search(html_text) else ()
    refs = [match.group(1).strip("\"'") for match in found]
    refs = [part.split()[0] for ref in refs if _MAY_NAME_MEDIA.search(ref)
            for part in ref.split(",") if part.split()]  # srcset: "a.jpg 1x, b.jpg 2x"
    if post.image:
        refs.append(post.image.path)
    for spec in post.channels:
        refs += [m.path for m in spec.media]
    return {key for key in (media_reference(r, s.base_url, s.base_path) for r in refs) if key}


def mentions(text: str) -> list[str]:
    """Every place a text mentions `media/…`, as the (media_key) text from
    there to the end of its line, under every reading of the text: as
    written, entities decoded, percent-decoded, `./` and `x/../` resolved."""
    readings = {text, html.unescape(text)}
    readings |= {unquote(r) for r in readings}
    found = []
    for reading in readings:
        reading = media_key(reading.replace("\\", "/"))
        reading = _DOT_SEGMENTS.sub("/", reading)
        while True:
            shorter = _UP_SEGMENTS.sub("", reading)
            if shorter == reading:
                break
            reading = shorter
        start = 0
        while (i := reading.find("media/", start)) != -1:
            end = reading.find("\n", i)
            found.append(reading[i:end if end != -1 else len(reading)][:_MENTION_LENGTH])
            start = i + 1
    return found


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, (list, tuple, set)):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


def plan_media(site: Site) -> list[Output]:
    """Copy media, except files only non-public items mention: nothing of a draft leaks."""
    if not site.sources.media:
        return []
    s = site.settings.site
    public: set[str] = set()
    public_items = (*site.public_posts, *site.public_pages, *site.guidelines)
    for post in public_items:
        public |= used_media(site, post, site.rendered[post.path].html)
    calendar = site.calendar
    if calendar is not None:
        public |= {k for k in (media_reference(m, s.base_url, s.base_path) for m in calendar.public_media)
                   if k}
        for event in calendar.public_events():
            body = render_markdown(event.body, s.base_path, site.settings.build.unsafe_html).html
            refs = [m.group(1).strip("\"'") for m in _ATTRIBUTE.finditer(body)]
            public |= {k for k in (media_reference(r, s.base_url, s.base_path) for r in refs) if k}

    shown = {p.path for p in public_items}
    sources = site.sources
    private_texts = [p.doc.text for p in (*sources.posts, *sources.pages, *sources.guidelines)
                     if p.path not in shown]
    if calendar is not None:
        public_events = {e.path for e in calendar.public_events()}
        private_texts += ["\n".join([*_strings(e.meta), e.body]) for e in calendar.events
                          if e.path not in public_events]
    private_texts += ["\n".join([*_strings(c.meta), c.body]) for c in sources.campaigns.values()]
    private = sorted({m for text in private_texts for m in mentions(text)})

    def mentioned(key: str) -> bool:
        i = bisect.bisect_left(private, key)
        return i < len(private) and private[i].startswith(key)

    content = site.settings.root / "content"
    outputs = []
    for rel in site.sources.media:
        key = media_key(rel)
        if key in public or not mentioned(key):
            outputs.append(Output(f"hub/{rel}", copy_from=content / rel, deps=frozenset({f"content/{rel}"})))
    return outputs
