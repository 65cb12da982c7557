"""Stage 1, load: the hub's files → typed records + diagnostics.

`load()` reads everything a build needs, in one pass: settings come in,
posts, pages and guidelines (`posts.py`), the calendar (`calendar.py`),
the style guide and the media list go out as one `Sources`. Nothing here
raises for a writer's mistake: every problem becomes a Diagnostic and loading
goes on, so one run reports them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import lint
from ..calendar import Campaign, Channels, Event
from ..diagnostics import Diagnostic, diagnostic
from ..model import Post
from ..settings import Settings
from ..source import not_regular
from .history import History, read_post_history
from .repository import Repository, read_repository
from .ledger import Ledger, read_ledger
from .metrics import Metrics, read_metrics
from .calendar import load_campaigns, load_channels, load_events
from .bundles import SectionSource, bundle_layout, read_sections, static_files
from .front_matter import (MARKDOWN_SUFFIXES, content_files, hub_files, is_html,
                           markdown_files)
from .newsletter import NewsletterIntro, load_intros
from .posts import load_post


@dataclass(frozen=True)
class Sources:
    """Everything read from a hub, before assembly."""

    settings: Settings
    posts: tuple[Post, ...]
    pages: tuple[Post, ...]
    guidelines: tuple[Post, ...]
    events: tuple[Event, ...]
    campaigns: dict[str, Campaign]
    channels: Channels
    media: tuple[str, ...]          # files under content/, e.g. media/a.jpg
    guide: lint.Guide
    metrics: Metrics                # calendar/metrics/*.csv, for the report
    history: History                # each post's status at every commit (git), for the report
    diagnostics: tuple[Diagnostic, ...]
    newsletter_intros: tuple[NewsletterIntro, ...] = ()   # calendar/newsletter/**/<period>.md
    ledger: Ledger = Ledger()       # calendar/sent/*.jsonl: what `hearth send` sent
    bundles: dict[str, tuple[str, ...]] = field(default_factory=dict)   # bundle post → its files
    static: tuple[str, ...] = ()    # static/'s files (static/img/a.png), copied to the hub's root
    repository: Repository | None = None   # where the files open on the web (settings or git origin)
    sections: tuple[SectionSource, ...] = ()   # content/posts' sections (_index.md, [permalinks])


Known = dict[str, tuple[tuple, "Post | None", list[Diagnostic]]]


def load(settings: Settings, known: Known | None = None) -> Sources:
    """Read the hub. `known` (kept by a long-lived builder) maps a path to the
    record read last time and the file's (mtime, size) then: a file whose
    stat is unchanged is not read again. It is updated in place."""
    root = settings.root
    zone = settings.site.zone
    problems: list[Diagnostic] = []
    collections: dict[str, list[Post]] = {"post": [], "page": [], "guideline": []}
    seen = set()
    bundles: dict[str, tuple[str, ...]] = {}
    sections: tuple[SectionSource, ...] = ()
    for kind, folder in (("post", "content/posts"), ("page", "content/pages"),
                         ("guideline", "guidelines")):
        content = kind != "guideline"
        files, unread = content_files(root, folder) if content else (markdown_files(root, folder), [])
        if kind == "post":
            layout = bundle_layout(root, files, unread, settings.permalinks, settings.site.languages)
            files, unread, bundles = layout.posts, layout.unread, layout.files
            problems += layout.diagnostics
            sections, found = read_sections(root, layout.sections)
            problems += found
        plain_html = [p for p in files if is_html(p) and not _has_front_matter(root / p)]
        if unread or plain_html:
            problems.append(_unread_warning(folder, sorted(unread + plain_html)))
        for relpath in files:
            if relpath in plain_html:
                continue
            seen.add(relpath)
            post, found = _load_known(root, relpath, kind, settings, known)
            problems += found
            if post is not None:
                collections[kind].append(post)
    if known is not None:
        for gone in set(known) - seen:
            del known[gone]
    channels, found = load_channels(root, zone)
    problems += found
    events, found = load_events(root, zone)
    problems += found
    campaigns, found = load_campaigns(root, zone)
    problems += found
    intros, found = load_intros(root, channels)
    problems += found
    guide, found = lint.load_guide(root)
    problems += found
    metrics = read_metrics(root)
    problems += metrics.diagnostics
    media, found = _media(root)
    problems += found
    ledger = read_ledger(root)
    problems += ledger.diagnostics
    static, found = static_files(root)
    problems += found
    return Sources(settings, tuple(collections["post"]), tuple(collections["page"]),
                   tuple(collections["guideline"]), tuple(events), campaigns, channels, media,
                   guide, metrics, read_post_history(root), tuple(problems), intros, ledger,
                   bundles, static,
                   read_repository(root, settings.site.repository, settings.site.branch), sections)


def _has_front_matter(path: Path) -> bool:
    """An `.html` file opening with `---`: a post (Jekyll's rule); without, a
    static file Hearth does not publish."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return True                 # reading it reports why
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


def _unread_warning(folder: str, paths: list[str]) -> Diagnostic:
    """One warning for every file under `folder` that is not read, at the first."""
    more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
    kinds = ", ".join(MARKDOWN_SUFFIXES)
    return diagnostic(paths[0], 1, 1, "warning",
                      f"{len(paths)} file{'s' if len(paths) > 1 else ''} in {folder} not read "
                      f"({paths[0]}{more}): a post is a Markdown file ({kinds}) or an .html file "
                      f"with front matter; put images and files in content/media, or beside "
                      f"the post in its own folder as index.md (a page bundle)",
                      "unread-file")


def _media(root: Path) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """content/media's regular files, as paths relative to content/ (media/a.jpg).
    Hidden files (.DS_Store) are left out; a link, pipe or device there, and
    one in templates/ (whose assets are copied too), is an error naming it:
    it is never read or copied, wherever it points."""
    files, others = hub_files(root, "content/media")
    problems = [p for p in (not_regular(root, rel) for rel in others) if p is not None]
    problems += [p for p in (not_regular(root, rel) for rel in hub_files(root, "templates")[1])
                 if p is not None]
    return tuple(rel[len("content/"):] for rel in files), problems


def _load_known(root: Path, relpath: str, kind: str, settings: Settings, known: Known | None
                ) -> tuple[Post | None, list[Diagnostic]]:
    if known is None:
        return load_post(root, relpath, kind, settings)
    stat = os.lstat(os.path.join(root, relpath))   # a link is refused by reading it, never followed
    stamp = (stat.st_mtime_ns, stat.st_size, kind)
    if relpath in known and known[relpath][0] == stamp:
        return known[relpath][1], known[relpath][2]
    post, found = load_post(root, relpath, kind, settings)
    known[relpath] = (stamp, post, found)
    return post, found
