"""Stage 3, validate: the site model → diagnostics. Reads nothing (but the names
of the theme's assets), writes nothing."""

from __future__ import annotations

import hashlib
import re
from typing import Callable

from .assemble.redirects import HUB_OWN, page_file, redirects_of, reserved_file
from .assemble.site import Site
from .assemble.urls import bundle_folder, own_url, zola_target
from .diagnostics import Diagnostic, diagnostic, sort_diagnostics
from .theme import asset_files


class ItemMemo:
    """What validate found per document, kept by a long-lived builder (serve)
    between rebuilds: an unchanged file gives the same `Post` object (load's
    `known`), so its per-document checks are looked up, not run again; the
    checks across documents (duplicate URLs and files, redirects, links) run
    every time on these per-document parts. Without one, everything is computed."""

    def __init__(self) -> None:
        self.last: dict[tuple, tuple] = {}
        self.used: dict[tuple, tuple] = {}

    def get(self, name: str, item, extra, make):
        """`make()` for `item`, or last rebuild's value if `item` is the same
        object and `extra` (what else the value depends on) is equal."""
        key = (name, id(item))
        hit = self.last.get(key)
        if hit is not None and hit[0] is item and hit[1] == extra:
            value = hit[2]
        else:
            value = make()
        self.used[key] = (item, extra, value)
        return value

    def roll(self) -> None:
        """After a validation: keep only what it used (a removed file is forgotten)."""
        self.last, self.used = self.used, {}


class _NoMemo(ItemMemo):
    def get(self, name: str, item, extra, make):
        return make()


class _Item:
    """What validate reads of one post, page or guideline at its URL, made once
    per document (and kept by serve's memo while the document and URL are the same)."""

    __slots__ = ("item", "path", "url", "folded", "file", "reserved", "own_url", "redirects",
                 "zola", "style")

    def __init__(self, item, url: str):
        self.item = item
        self.path = item.path
        self.url = url
        self.folded = url.casefold()
        self.file = page_file(url).casefold()      # a clash of published files is case-blind
        listed = item.kind != "guideline"
        self.reserved = _reserved_clash(item, url) if listed else None
        self.own_url = _own_url_problem(item) if listed else []
        self.redirects = redirects_of(item) if listed else []
        self.zola = listed and "@/" in item.doc.body
        self.style = (item.doc, item.lang,
                      {s.channel: s.thread or s.text for s in item.channels if s.text is not None})


def _items(site: Site, memo: ItemMemo) -> tuple[list[_Item], list[_Item]]:
    """The records of the posts and pages (in that order), and of the guidelines."""
    urls = site.urls

    def record(item) -> _Item:
        url = urls[item.path]
        return memo.get("item", item, url, lambda: _Item(item, url))

    return ([record(i) for i in (*site.posts, *site.pages)],
            [record(g) for g in site.guidelines])


def validate(site: Site, lint_all=None, memo: ItemMemo | None = None) -> list[Diagnostic]:
    """`lint_all(guide, [(doc, lang, channels), ...])` may be given to lint many
    documents at once (cached, in parallel), answering with their diagnostics or
    with a function giving them (asked once the other checks are done); by
    default each is linted here.
    `memo` (serve's) keeps the per-document results between rebuilds."""
    m = memo if memo is not None else _NoMemo()
    listed, guidelines = _items(site, m)
    # first: `lint_all` may hand the documents to workers and answer later
    style = _style(site, listed + guidelines, lint_all)
    problems: list[Diagnostic] = []
    problems += [d for r in listed for d in r.own_url]
    problems += _unique_urls(listed, guidelines)
    problems += _sections(site, listed + guidelines)
    problems += _redirects(site, listed, guidelines)
    problems += _copied_files(site, listed, guidelines)
    problems += _references(site, listed, m)
    problems += _internal_links(site, listed)
    problems += style() if callable(style) else style
    if memo is not None:
        memo.roll()
    if site.calendar is not None:
        problems += list(site.calendar.diagnostics)
    return problems


RESERVED = HUB_OWN


def site_diagnostics(site: Site) -> list[Diagnostic]:
    """The problems a built site carries, or (a site straight from `assemble`)
    loading's plus a fresh validation: pure, so the same list."""
    if site.diagnostics is not None:
        return list(site.diagnostics)
    return sort_diagnostics(list(site.sources.diagnostics) + validate(site))


def _reserved_clash(item, url: str) -> Diagnostic | None:
    # a page slugged `404.html` goes to `404.html/`: a folder where the hub writes a file
    folded = url.casefold()
    clash = next((r for r in RESERVED if folded in (r, r + "/")
                  or (r.endswith("/") and folded.startswith(r))), None)
    if clash is None:
        return None
    key, line, column = _url_key(item)
    return diagnostic(item.path, line, column, "error",
                      f"the URL '{url}' is where the hub puts its own "
                      f"'{clash}'; give this file another {key}", "duplicate-slug")


def _unique_urls(listed: list[_Item], guidelines: list[_Item]) -> list[Diagnostic]:
    problems = [r.reserved for r in listed if r.reserved is not None]
    owner: dict[str, str] = {}
    for r in (*listed, *guidelines):
        if r.folded in owner:
            key, line, column = _url_key(r.item)
            problems.append(diagnostic(r.path, line, column, "error",
                                       f"two files share the URL '{r.url}': "
                                       f"{owner[r.folded]} and this one; give one a different {key}",
                                       "duplicate-slug"))
        else:
            owner[r.folded] = r.path
    return problems


def _section_files(site: Site) -> dict[str, str]:
    """Each file a section's list writes (casefolded) → which section's it is."""
    files: dict[str, str] = {}
    for section in site.sections:
        for file in section.files(site.settings.site.per_page):
            files.setdefault(file.casefold(), f"the list of the section content/posts/{section.folder}")
    return files


def _sections(site: Site, items: list[_Item]) -> list[Diagnostic]:
    """A section's list page where a post, a page, the hub's own pages or
    another section's list would be: an error at the post or page (the slug
    that moved in), else at the section's _index.md (or hearth.toml)."""
    problems = []
    lists = _section_files(site)
    for r in items if lists else ():
        if r.file in lists:
            key, line, column = _url_key(r.item)
            problems.append(diagnostic(r.path, line, column, "error",
                                       f"the URL '{r.url}' is where {lists[r.file]} "
                                       f"is written; give this file another {key}", "duplicate-slug"))
    seen: dict[str, str] = {}
    for section in site.sections:
        url = section.url.casefold()
        clash = next((r for r in RESERVED if url == r or (r.endswith("/") and url.startswith(r))),
                     None)
        if clash is not None:
            problem = f"is where the hub puts its own '{clash}'"
        elif url in seen:
            problem = f"is already the list of the section content/posts/{seen[url]}"
        else:
            seen[url] = section.folder
            continue
        problems.append(diagnostic(section.source, 1, 1, "error",
                                   f"the section content/posts/{section.folder} would list its posts "
                                   f"at '{section.url}', which {problem}: rename its folder or give "
                                   "it a [permalinks] entry of its own", "duplicate-slug"))
    return problems


def _url_key(item) -> tuple[str, int, int]:
    """The front-matter key that sets an item's URL, and where it is written."""
    own = own_url(item) if item.kind != "guideline" else None
    if own is not None and own.url is not None:
        return (own.key, *item.doc.line_of(own.key))
    if "slug" in item.doc.meta:
        return ("slug", *item.doc.line_of("slug"))
    return "slug", 1, 1


def _own_url_problem(item) -> list[Diagnostic]:
    own = own_url(item)
    if own is None or own.problem is None:
        return []
    line, column = item.doc.line_of(own.key)
    return [diagnostic(item.path, line, column, "error", own.problem, "permalink")]


def _copied_files(site: Site, listed: list[_Item], guidelines: list[_Item]) -> list[Diagnostic]:
    """A file of static/ or of a page bundle that would land where the hub
    writes a page, a redirect or its own files, or where another such file
    goes: an error at the file (which of the two the output would hold is
    not the writer's to guess)."""
    claimed = {r.file: f"{r.path} is published" for r in (*listed, *guidelines)}
    for r in listed:
        for redirect in r.redirects:
            if not redirect.problem:
                claimed.setdefault(redirect.file.casefold(), f"a redirect to {r.path} is written")
    for file, which in _section_files(site).items():
        claimed.setdefault(file, f"{which} is written")
    for rel in site.sources.media:
        claimed.setdefault(rel.casefold(), f"content/{rel} is published")
    for rel in asset_files(site.settings.root):
        claimed.setdefault(f"assets/{rel}".casefold(), "the theme's file of that name is published")
    problems = []
    copied: list[tuple[str, str]] = []
    for post in site.posts:
        if post.path not in site.sources.bundles:
            continue        # no files to copy
        folder = bundle_folder(post, site.urls[post.path])
        if folder is None:
            continue
        base = post.path.rsplit("/", 1)[0] + "/"
        copied += [(rel, folder + rel[len(base):]) for rel in site.sources.bundles.get(post.path, ())]
    copied += [(rel, rel[len("static/"):]) for rel in site.sources.static]
    for rel, target in copied:
        key = target.casefold()
        if key in claimed:
            problems.append(diagnostic(rel, 1, 1, "error",
                                       f"this file would be published at '{target}', where "
                                       f"{claimed[key]}: rename or move one of them", "static"))
        elif reserved_file(key) and not key.startswith(("assets/", "media/")):
            problems.append(diagnostic(rel, 1, 1, "error",
                                       f"this file would be published at '{target}', where the hub "
                                       "puts its own files: rename or move it", "static"))
        else:
            claimed[key] = f"{rel} is published"
    # a file where another needs a folder (`static/about` and the page `about/`)
    folders = {key.rsplit("/", i)[0] for key in claimed for i in range(1, key.count("/") + 1)}
    for rel, target in copied:
        key = target.casefold()
        if key in folders and claimed.get(key) == f"{rel} is published":
            problems.append(diagnostic(rel, 1, 1, "error",
                                       f"this file would be published at '{target}', where the hub "
                                       "needs a folder of that name: rename or move it", "static"))
    return problems


def _redirects(site: Site, listed: list[_Item], guidelines: list[_Item]) -> list[Diagnostic]:
    """An old URL (`redirect_from`, `aliases`) that is not a path, or whose page
    would overwrite a real one or another redirect: an error at its line."""
    problems = []
    if not any(r.redirects for r in listed):
        return problems
    pages = {r.file: r.path for r in (*listed, *guidelines)}
    pages.update({file: which for file, which in _section_files(site).items() if file not in pages})
    seen: dict[str, str] = {}
    for r in listed:
        for redirect in r.redirects:
            def error(message: str, path=r.path, redirect=redirect) -> None:
                problems.append(diagnostic(path, redirect.line, redirect.column, "error",
                                           message, "redirect"))
            key = redirect.file.casefold()
            if redirect.problem:
                error(redirect.problem)
            elif key in pages:
                error(f"the old URL '{redirect.file}' is where {pages[key]} lives: "
                      "a redirect there would replace it")
            elif reserved_file(key):
                error(f"the old URL '{redirect.file}' is where the hub puts its own pages")
            elif key in seen:
                error(f"the old URL '{redirect.file}' is already redirected by {seen[key]}")
            else:
                seen[key] = r.path
    return problems


def _references(site: Site, listed: list[_Item], memo: ItemMemo) -> list[Diagnostic]:
    campaigns = site.sources.campaigns
    channels = site.sources.channels
    channel_names = set(channels.names)
    media = set(site.sources.media)
    # what the per-document result depends on besides the document, as one key
    context = hashlib.sha256(repr((sorted(campaigns), sorted(channel_names),
                                   sorted(channels.invalid), site.sources.media)).encode()).hexdigest()
    problems = []
    bundles = site.sources.bundles
    for r in listed:
        item, own = r.item, bundles.get(r.path, ())
        problems += memo.get("references", item, (context, own), lambda item=item, own=own:
                             _item_references(item, own, campaigns, channels, channel_names, media))
    return problems


def _item_references(item, bundle: tuple[str, ...], campaigns, channels, channel_names,
                     media) -> list[Diagnostic]:
    problems = []
    own = {rel[len("content/"):] for rel in bundle}
    doc = item.doc
    if item.campaign and item.campaign not in campaigns:
        line, column = doc.line_of("campaign")
        known = ", ".join(sorted(campaigns)) or "none yet"
        problems.append(diagnostic(item.path, line, column, "error",
                                   f"unknown campaign '{item.campaign}': add calendar/campaigns/"
                                   f"{item.campaign}.md or use one of: {known}", "campaign"))
    for spec in item.channels:
        if spec.channel not in channel_names and spec.channel not in channels.invalid:
            line, column = doc.key_position("channels", spec.channel)
            known = ", ".join(sorted(channel_names)) or "none yet"
            problems.append(diagnostic(item.path, line, column, "error",
                                       f"unknown channel '{spec.channel}': not in calendar/channels.yml"
                                       f" (channels: {known})", "channel"))
        for index, ref in enumerate(spec.media):
            if ref.path not in media and ref.path not in own:
                line, column = doc.line_of("channels", spec.channel, "media", index)
                problems.append(diagnostic(item.path, line, column, "error",
                                           f"media file '{ref.path}' not found in content/", "media"))
    if item.image and item.image.path not in media | own and "://" not in item.image.path:
        line, column = doc.line_of("image")
        problems.append(diagnostic(item.path, line, column, "error",
                                   f"image '{item.image.path}' not found in content/", "media"))
    return problems


# Zola's internal link as Markdown or HTML writes it: [x](@/a.md#part), [x]: @/a.md, href="@/a.md"
ZOLA_LINK = re.compile(r"""(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?|\bhref\s*=\s*["']?)"""
                       r"""@/([^\s)"'<>#?]+)""", re.MULTILINE)


def _internal_links(site: Site, listed: list[_Item]) -> list[Diagnostic]:
    """A Zola `@/` link naming no post or page: Zola stops the build; here a
    warning, the link is left as written."""
    problems = []
    for r in listed:
        if not r.zola:
            continue
        item = r.item
        body = item.doc.body
        for m in ZOLA_LINK.finditer(body):
            if zola_target(m.group(1), site.urls) is None:
                line, column = item.doc.body_position(m.start(1) - 2)
                problems.append(diagnostic(item.path, line, column, "warning",
                                           f"link '@/{m.group(1)}' names no post or page: Zola's "
                                           f"'@/' is content/posts/ here (or content/)", "link"))
    return problems


def _before(item, since) -> bool:
    """A post dated before `[lint] since` (the day as the post wrote it): not linted."""
    return (since is not None and item.kind == "post" and item.date is not None
            and item.date.date() < since)


def _style(site: Site, items: list[_Item], lint_all
           ) -> list[Diagnostic] | Callable[[], list[Diagnostic]]:
    from . import lint
    guide = site.sources.guide
    if guide is None:
        return []
    since = site.settings.lint.since
    jobs = [r.style for r in items if not guide.ignores(r.path) and not _before(r.item, since)]
    if lint_all is not None:
        return lint_all(guide, jobs)
    return [d for doc, lang, channels in jobs
            for d in lint.lint_doc(guide, doc, lang=lang, channels=channels)]
