"""The site model: decides what is public at `now`, where every item lives (its
URL), renders Markdown bodies (lazily) and groups tags. No I/O.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime
from collections.abc import Mapping
from typing import Any

from slugify import slugify

from ..load import Sources
from ..load.front_matter import is_html
from ..markup import Rendered, internal_links, rebase_links, render_markdown, shorten
from ..model import Post
from ..settings import Settings
from .urls import bundle_folder, in_folder, own_path, post_url, section_url, zola_target

from .calendar_model import CalendarModel


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    posts: tuple[Post, ...]     # public, newest first


@dataclass(frozen=True)
class Section:
    """A section of content/posts with its list page (Hugo's and Zola's)."""

    folder: str                 # relative to content/posts
    url: str                    # its list page under the hub: 'inside-rust/'
    title: str
    description: str
    index: str | None           # its _index.md, or None
    body: str                   # the _index.md's text (Markdown)
    lang: str | None
    posts: tuple[Post, ...]     # public, newest first, from any depth below it

    @property
    def source(self) -> str:
        """Where a problem with the section is reported: its _index.md, else hearth.toml."""
        return self.index or "hearth.toml"

    def files(self, per_page: int) -> list[str]:
        """The files its list writes under the hub: its pages and its feed."""
        pages = max(1, -(-len(self.posts) // per_page))
        return ([self.url + "index.html"] + [f"{self.url}page/{n}/index.html" for n in range(2, pages + 1)]
                + [self.url + "feed.xml"])


@dataclass(frozen=True)
class Site:
    sources: Sources
    now: datetime
    posts: tuple[Post, ...]              # every post, (date, path) order
    public_posts: tuple[Post, ...]       # newest first
    pages: tuple[Post, ...]
    public_pages: tuple[Post, ...]
    guidelines: tuple[Post, ...]
    urls: dict[str, str]                 # source path → URL path under the hub ('posts/x/')
    rendered: Mapping[str, Rendered]     # source path → rendered body (made when first read)
    tags: tuple[Tag, ...]
    calendar: CalendarModel | None = None   # channels, events, schedule: set by attach_calendar
    views: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # plan's memo
    diagnostics: tuple | None = None     # every problem found, once validated (Builder.model)
    # a page bundle's file, relative to content/ as `image:` names it
    # (posts/trip/cover.jpg) → where it is published ('2020/trip/cover.jpg')
    bundle_files: dict[str, str] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()

    @property
    def settings(self) -> Settings:
        return self.sources.settings

    def absolute_url(self, post: Post) -> str:
        return self.settings.site.base_url + self.urls[post.path]

    def media_path(self, path: str) -> str:
        """Where an image or media file named relative to content/ is published,
        under the hub: `media/a.jpg` as it is, a bundle's file beside its post."""
        return self.bundle_files.get(path, path)

    def summary(self, post: Post) -> str:
        return post.summary or shorten(self.rendered[post.path].first_paragraph)

    def release_texts(self) -> None:
        """A one-off build, planned and about to render: the file texts of the posts,
        pages and guidelines whose body is rendered are let go (≈ 60 MB at 10,000
        posts, not held in the parent nor shared with the render workers). Only
        load, lint, validate and planning read them (post views hash the body,
        media privacy reads the texts of items not shown); a body not rendered yet
        keeps its text, as RenderedBodies may still read it."""
        rendered = self.rendered
        done = rendered.done() if isinstance(rendered, RenderedBodies) else rendered
        sources = self.sources
        for item in (*sources.posts, *sources.pages, *sources.guidelines):
            if item.path in done:
                item.doc.release()


class RenderedBodies(Mapping):
    """Source path → rendered body, each rendered when first asked for: a build
    reads them all (pre-rendered in parallel), `check` only the few summaries
    that channel texts need."""

    def __init__(self, bodies: dict[str, Any], render: Any):
        self._bodies = bodies       # path → its SourceDoc: the body is read when rendered
        self._render = render
        self._done: dict[str, Rendered] = {}

    def __getitem__(self, path: str) -> Rendered:
        if path not in self._done:
            self._done[path] = self._render(path, self._bodies[path].body)
        return self._done[path]

    def done(self) -> Mapping[str, Rendered]:
        """The bodies rendered so far."""
        return self._done

    def __iter__(self):
        return iter(self._bodies)

    def __len__(self) -> int:
        return len(self._bodies)


@lru_cache(maxsize=1 << 14)
def tag_slug(name: str) -> str:
    """The URL slug of a tag (remembered: the same few tags recur on every post)."""
    return slugify(name) or name


def assemble(sources: Sources, now: datetime, render: Any = render_markdown,
             url_memo: dict[int, tuple] | None = None) -> Site:
    """`url_memo` (a long-lived builder's, updated in place) keeps each post's URL
    by the `Post` it came from and the URL settings: an unchanged file gives
    the same `Post` object."""
    settings = sources.settings
    base_path = settings.site.base_path
    # naive/aware comparisons: every date is aware by load; sort on UTC timestamps
    posts = tuple(sorted(sources.posts, key=lambda p: (p.date.timestamp() if p.date else 0, p.path)))
    public_posts = tuple(sorted((p for p in posts if p.is_public(now)),
                                key=lambda p: (-(p.date.timestamp() if p.date else 0), p.path)))
    pages = tuple(sorted(sources.pages, key=lambda p: (p.order, p.title.casefold(), p.path)))
    public_pages = tuple(p for p in pages if p.is_public(now))
    guidelines = tuple(sorted((g for g in sources.guidelines if g.status == "ready"),
                              key=lambda p: (p.order, p.title.casefold(), p.path)))
    urls: dict[str, str] = {}
    if url_memo is None:
        for post in posts:
            urls[post.path] = post_url(settings, post)
    else:
        how = (settings.site.permalink, repr(settings.permalinks))
        used = {}
        for post in posts:
            known = url_memo.get(id(post))
            url = (known[2] if known is not None and known[0] is post and known[1] == how
                   else post_url(settings, post))
            used[id(post)] = (post, how, url)
            urls[post.path] = url
        url_memo.clear()
        url_memo.update(used)
    for page in pages:
        urls[page.path] = own_path(page) or f"{page.slug}/"
    for guideline in guidelines:
        urls[guideline.path] = f"guidelines/{guideline.slug}/"
    bodies = {p.path: p.doc for p in (*posts, *pages, *guidelines)}
    unsafe = settings.build.unsafe_html
    html_bodies = {p.path for p in (*posts, *pages, *guidelines) if is_html(p.path)}
    # a page bundle's relative links are resolved against its folder, once, so they
    # work wherever its body is shown (its page, feeds)
    folders = {p.path: base_path + f for p in posts if (f := bundle_folder(p, urls[p.path]))}

    def resolve(target: str) -> str | None:
        """A Zola `@/` link's URL (one naming no post is reported by validate)."""
        path = zola_target(target, urls)
        return None if path is None else base_path + urls[path]

    def render_body(path: str, body: str) -> Rendered:
        done = render(body, base_path, unsafe, path in html_bodies)
        # (the HTML is unpacked only where it may change: "@/" comes from the body or the
        # base path)
        if path in folders or "@/" in body or "@" in base_path:
            text = written = done.html
            if "@/" in text:
                text = internal_links(text, resolve)
            if path in folders:
                text = rebase_links(text, folders[path])
            if text != written:
                done = done.with_html(text)
        return done

    rendered = RenderedBodies(bodies, render_body)
    bundle_files = {}
    for post in posts:
        if post.path in folders:
            base = post.path.rsplit("/", 1)[0] + "/"
            for rel in sources.bundles.get(post.path, ()):
                published = folders[post.path][len(base_path):] + rel[len(base):]
                bundle_files[rel[len("content/"):]] = published
    by_tag: dict[str, list[Post]] = defaultdict(list)
    names: dict[str, str] = {}
    for post in public_posts:
        for tag in post.tags:
            key = tag_slug(tag)
            names.setdefault(key, tag)
            by_tag[key].append(post)
    tags = tuple(Tag(names[k], k, tuple(v)) for k, v in sorted(by_tag.items()))
    sections = tuple(Section(s.folder, section_url(settings, s.folder), s.title, s.description,
                             s.index, s.body, s.lang,
                             tuple(p for p in public_posts if in_folder(p, s.folder)))
                     for s in sources.sections)
    return Site(sources, now, posts, public_posts, pages, public_pages, guidelines, urls,
                rendered, tags, bundle_files=bundle_files, sections=sections)
