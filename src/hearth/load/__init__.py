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


def load(settings: Settings, known: Known | None = None, git_memo: dict | None = None) -> Sources:
    """Read the hub. `known` (kept by a long-lived builder) maps a path to the
    record read last time and the file's (mtime, size) then: a file whose
    stat is unchanged is not read again. It is updated in place. `git_memo`
    (the same builder's) keeps what git said while git's own files are unchanged."""
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
    history, repository = _git_reads(settings, git_memo)
    return Sources(settings, tuple(collections["post"]), tuple(collections["page"]),
                   tuple(collections["guideline"]), tuple(events), campaigns, channels, media,
                   guide, metrics, history, tuple(problems), intros, ledger,
                   bundles, static, repository, sections)


def _git_reads(settings: Settings, memo: dict | None) -> tuple[History, Repository | None]:
    """The posts' history and the repository's address: four `git` processes,
    so a long-lived builder asks again only when a file git keeps its state in
    (HEAD, index, refs, config, shallow) changed since it last asked."""
    root = settings.root
    stamp = _git_state(root) if memo is not None else None
    what = (stamp, settings.site.repository, settings.site.branch)
    if stamp is not None and memo.get("key") == what:
        return memo["value"]
    value = (read_post_history(root),
             read_repository(root, settings.site.repository, settings.site.branch))
    if stamp is not None:
        memo.clear()
        memo.update(key=what, value=value)
    return value


_GIT_STATE = ("HEAD", "index", "config", "packed-refs", "logs/HEAD", "shallow", "commondir")


def _git_state(root: Path) -> tuple | None:
    """The stat of every file git's answers depend on, for the repository holding
    `root` (a worktree's `.git` file followed); None when it cannot be told (an
    environment naming another repository: ask git every time)."""
    if any(name in os.environ for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES",
                                           "GIT_COMMON_DIR", "GIT_INDEX_FILE")):
        return None
    folder = Path(os.path.abspath(root))
    for place in (folder, *folder.parents):
        dot = place / ".git"
        try:
            if dot.is_file():
                text = dot.read_text(encoding="utf-8", errors="replace").strip()
                dot = (place / text.removeprefix("gitdir:").strip()).resolve()
            elif not dot.is_dir():
                continue
        except OSError:
            return None
        folders = [dot]
        try:
            common = (dot / "commondir").read_text(encoding="utf-8").strip()
            folders.append((dot / common).resolve())
        except OSError:
            pass
        state: list = [str(dot)]
        for base in folders:
            for name in _GIT_STATE:
                try:
                    st = os.stat(base / name)
                    state.append((name, st.st_mtime_ns, st.st_size, st.st_ino))
                except OSError:
                    state.append((name, None))
            try:
                heads = base / "refs" / "heads"
                state += [(str(p), p.stat().st_mtime_ns) for p in sorted(heads.rglob("*"))]
            except OSError:
                return None
        return tuple(state)
    return ("no repository",)


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
