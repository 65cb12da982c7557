"""What templates see of the site: the shared page context and post views.

Used by every planner that renders a template (hub pages, events,
newsletters, the review site and the report).
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..assemble.site import Site, tag_slug
from ..incremental.cache import digest
from ..model import Post
from .outputs import View

ABSOLUTE_URL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


def media_url(base: str, path: str) -> str:
    """Where an image or media file is: `base` + a path relative to content/
    (media/a.jpg), or an http(s) URL as written (`image: https://cdn…`).
    Anything else, `javascript:` included, stays a path under `base`."""
    if ABSOLUTE_URL.match(path):
        return path
    return base + path


def post_view(site: Site, post: Post) -> View:
    """What a template sees of a post (made once per post and build)."""
    memo = site.views
    if post.path not in memo:
        memo[post.path] = _post_view(site, post)
    return memo[post.path]


def all_post_views(site: Site) -> None:
    """Every public post's and page's view, made now: before the render workers fork,
    so each of them reads these instead of making again those its pages show."""
    for post in (*site.public_posts, *site.public_pages, *site.guidelines):
        post_view(site, post)


def link_view(site: Site, post: Post) -> dict[str, Any]:
    """What a page shows of a post it links to (previous/next): only these
    fields, so editing that post's body does not re-render its neighbours."""
    return {"title": post.title, "url": site.settings.site.base_path + site.urls[post.path],
            "date": post.date, "lang": post.lang}


def _shared(memo: dict[str, Any], key: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """One dict for a tag or an author, however many posts show it (at 10,000
    posts, a dict per post and tag was a tenth of what the post views hold).
    `key` begins with a NUL, as `CHROME`: no post's path does."""
    if key not in memo:
        memo[key] = make()
    return memo[key]


def _post_view(site: Site, post: Post) -> View:
    memo = site.views
    rendered = site.rendered[post.path]
    base = site.settings.site.base_path
    s = site.settings.site
    # The hash covers what the view shows: the body and the front matter but its
    # channel texts, so editing a channel text re-renders queues and review, not pages.
    shown = sorted((str(k), repr(v)) for k, v in post.doc.meta.items() if k != "channels")
    return View({
        # (a Zola `@/` link's URL is another post's: the resolved body counts then)
        "_hash": digest(post.doc.body, repr(shown), post.path, site.urls[post.path], s.base_url,
                        s.language, post.kind, rendered.html if "@/" in post.doc.body else ""),
        "path": post.path, "kind": post.kind, "title": post.title, "slug": post.slug,
        "url": base + site.urls[post.path], "absolute_url": site.absolute_url(post),
        "date": post.date, "updated": post.doc.meta.get("updated"), "author": post.author,
        "authors": [_shared(memo, "\0author " + repr((a.name, a.url, a.html)),
                            lambda a=a: {"name": a.name, "url": a.url, "html": a.html})
                    for a in post.authors],
        "tags": [_shared(memo, "\0tag " + t, lambda t=t: {"name": t, "url": f"{base}tags/{tag_slug(t)}/"})
                 for t in post.tags],
        "summary": site.summary(post), "summary_given": bool(post.summary),
        "lang": post.lang, "status": post.status,
        "image": ({"url": media_url(base, site.media_path(post.image.path)),
                   "absolute_url": media_url(s.base_url, site.media_path(post.image.path)),
                   "alt": post.image.alt or ""} if post.image else None),
        "_body": rendered,      # `html` and `toc` are read from it (View.__missing__)
        "minutes": rendered.minutes, "words": rendered.words, "campaign": post.campaign,
        "extra": post.extra,
    })


def base_context(site: Site, lang: str | None = None) -> dict[str, Any]:
    s = site.settings.site
    chrome = _chrome(site)
    return {
        "site": {"title": s.title, "description": s.description, "base_url": s.base_url,
                 "language": s.language, "timezone": s.timezone},
        "base": s.base_path, "lang": lang or s.language, "nav": list(chrome["nav"]),
        "has_guidelines": chrome["has_guidelines"], "has_events": chrome["has_events"],
        "chrome": chrome,
    }


CHROME = "\0chrome"      # its key among the post views (no path holds a NUL)


def _chrome(site: Site) -> View:
    """What the header and footer of every hub page show of the site (made once per
    build): a `View`, so the theme renders them once per language and section."""
    memo = site.views
    if CHROME not in memo:
        s = site.settings.site
        nav = [{"title": p.title, "url": s.base_path + site.urls[p.path]} for p in site.public_pages]
        has_guidelines = bool(site.guidelines or getattr(site.sources.guide, "rules", ()))
        has_events = bool(site.calendar is not None and site.calendar.public_events())
        shown = (s.title, [(n["title"], n["url"]) for n in nav], has_guidelines, has_events)
        memo[CHROME] = View({"_hash": digest("chrome", repr(shown)), "title": s.title, "nav": nav,
                             "has_guidelines": has_guidelines, "has_events": has_events})
    return memo[CHROME]
