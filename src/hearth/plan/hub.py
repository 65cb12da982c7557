"""Planning the public hub: home pages, posts, pages, tags, guidelines, feeds,
sitemap, robots.txt, the search index, theme assets and media. Pure.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Callable

from ..assemble.site import Site
from ..model import Post
from ..channels.kinds import rules_for
from ..theme import builtin_templates
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
        outputs.append(Output(f"hub/{path}", template,
                              lambda: {**base_context(site, lang), **make()}, deps=frozenset(deps)))

    # home, paginated
    pages = max(1, math.ceil(len(public) / s.per_page))
    for n in range(1, pages + 1):
        chunk = public[(n - 1) * s.per_page:n * s.per_page]
        url = "" if n == 1 else f"page/{n}/"
        pagination = {
            "n": n, "total": pages,
            "newer": None if n == 1 else s.base_path + ("" if n == 2 else f"page/{n - 1}/"),
            "older": None if n == pages else s.base_path + f"page/{n + 1}/",
        }
        # depends on the posts it shows; a change of order is caught by the full pass
        page(_page(url), "index.html", {p.path for p in chunk} | {"calendar/*", "hearth.toml"},
             lambda chunk=chunk, pagination=pagination, n=n, url=url: {
                 "posts": [post_view(site, p) for p in chunk], "pagination": pagination,
                 "upcoming": upcoming_events(site) if n == 1 else [], "canonical": s.base_url + url})

    # posts, with previous (older) and next (newer)
    for i, post in enumerate(public):
        newer = public[i - 1] if i > 0 else None
        older = public[i + 1] if i + 1 < len(public) else None
        page(_page(site.urls[post.path]), "post.html",
             {post.path, "hearth.toml"} | {p.path for p in (newer, older) if p},
             lambda post=post, newer=newer, older=older: {
                 "post": post_view(site, post),
                 "newer": link_view(site, newer) if newer else None,
                 "older": link_view(site, older) if older else None,
                 "canonical": site.absolute_url(post)},
             lang=post.lang)

    for p in site.public_pages:
        page(_page(site.urls[p.path]), "page.html", {p.path, "hearth.toml"},
             lambda p=p: {"post": post_view(site, p), "canonical": site.absolute_url(p)}, lang=p.lang)

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

    # guidelines
    if site.guidelines or getattr(site.sources.guide, "rules", ()):
        from .. import lint
        page("guidelines/index.html", "guidelines.html",
             {g.path for g in site.guidelines} | {"guidelines/*", "calendar/*", "hearth.toml"},
             lambda: {"pages": [post_view(site, g) for g in site.guidelines],
                      "rules": lint.rules_for_people(site.sources.guide)
                      if site.sources.guide is not None else [],
                      "channel_rules": channel_rules(site), "canonical": s.base_url + "guidelines/"})
        for g in site.guidelines:
            page(_page(site.urls[g.path]), "page.html", {g.path, "hearth.toml"},
                 lambda g=g: {"post": post_view(site, g), "canonical": site.absolute_url(g)}, lang=g.lang)

    page("feed.xml", "feed.xml", every_post, lambda: {"feed": feed_context(site, public, s.title, "")})
    page("404.html", "404.html", {"hearth.toml"}, lambda: {"canonical": s.base_url + "404.html"})
    listed = list(outputs)
    outputs.append(Output("hub/sitemap.xml", "sitemap.xml",
                          lambda: {"urls": sitemap_urls(site, listed)}, deps=frozenset({"*"})))
    outputs.append(Output("hub/robots.txt", data=(
        f"User-agent: *\nAllow: /\n\nSitemap: {s.base_url}sitemap.xml\n").encode(),
        deps=frozenset({"hearth.toml"})))
    outputs.append(Output("hub/search.json", data=lambda: search_index(site), deps=every_post))
    outputs += plan_assets(site)
    outputs += plan_media(site)
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
    entries = [{"title": p.title, "url": base + site.urls[p.path],
                "summary": shorten(site.summary(p), SEARCH_SUMMARY_WORDS),
                "tags": list(p.tags), "date": p.date.date().isoformat() if p.date else None,
                "lang": p.lang} for p in site.public_posts]
    return (json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def plan_assets(site: Site) -> list[Output]:
    """templates/assets/* of the built-in theme, overridden file by file by the hub's."""
    found: dict[str, Path] = {}
    for base in (builtin_templates(), site.settings.root / "templates"):
        folder = base / "assets"
        if folder.is_dir():
            for f in sorted(folder.rglob("*")):
                if f.is_file():
                    found[f.relative_to(folder).as_posix()] = f
    return [Output(f"hub/assets/{rel}", copy_from=path, deps=frozenset({f"templates/assets/{rel}"}))
            for rel, path in sorted(found.items())]


def referenced_media(post: Post) -> set[str]:
    refs = set()
    if post.image:
        refs.add(post.image.path)
    for spec in post.channels:
        refs |= {m.path for m in spec.media}
    body = post.doc.body
    start = 0
    while (i := body.find("media/", start)) != -1:
        end = i
        while end < len(body) and body[end] not in " )\"'>\n]":
            end += 1
        refs.add(body[i:end])
        start = end
    return refs


def plan_media(site: Site) -> list[Output]:
    """Copy media, except files only non-public items use: nothing of a draft leaks."""
    public_refs: set[str] = set()
    private_refs: set[str] = set()
    public_paths = {p.path for p in (*site.public_posts, *site.public_pages, *site.guidelines)}
    for post in (*site.posts, *site.pages, *site.guidelines):
        (public_refs if post.path in public_paths else private_refs).update(referenced_media(post))
    calendar = site.calendar
    if calendar is not None:
        public_refs |= calendar.public_media
    content = site.settings.root / "content"
    return [Output(f"hub/{rel}", copy_from=content / rel, deps=frozenset({f"content/{rel}"}))
            for rel in site.sources.media
            if rel in public_refs or rel not in private_refs]
