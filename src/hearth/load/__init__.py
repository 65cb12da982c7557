"""Stage 1, load: the hub's files → typed records + diagnostics.

`load()` reads everything a build needs, in one pass: settings come in,
posts, pages and guidelines (`posts.py`), the calendar (`calendar.py`),
the style guide and the media list go out as one `Sources`. Nothing here
raises for a writer's mistake: every problem becomes a Diagnostic and loading
goes on, so one run reports them all.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

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


@dataclass
class LastLoad:
    """What a long-lived builder (serve) keeps of its last full load, so that a
    rebuild after edits to posts and pages it already knows (the watcher's
    paths) reads those files alone (`reload_files`) instead of walking the hub."""

    sources: Sources | None = None
    order: dict[str, tuple[str, ...]] = field(default_factory=dict)   # kind → files read, in order
    heads: dict[str, list[Diagnostic]] = field(default_factory=dict)  # a kind's problems before its files'
    tail: list[Diagnostic] = field(default_factory=list)   # the calendar's, the guide's, ... after them
    listed: frozenset[str] = frozenset()        # every file found under the content folders
    folders: frozenset[str] = frozenset()       # and every folder above one


def load(settings: Settings, known: Known | None = None, git_memo: dict | None = None,
         last: LastLoad | None = None, on_post: Callable[[Post], None] | None = None) -> Sources:
    """Read the hub. `known` (kept by a long-lived builder) maps a path to the
    record read last time and the file's (mtime, size) then: a file whose
    stat is unchanged is not read again. It is updated in place. `git_memo`
    (the same builder's) keeps what git said while git's own files are unchanged;
    `last`, if given, is filled with what `reload_files` needs. `on_post` is
    given each post, page and guideline as soon as it is read (in the order of
    `Sources`), so its body can be rendered while the rest is read."""
    root = settings.root
    order: dict[str, list[str]] = {}
    heads: dict[str, list[Diagnostic]] = {}
    listed: set[str] = set()
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
        listed.update(files, unread)
        start = len(problems)
        if kind == "post":
            layout = bundle_layout(root, files, unread, settings.permalinks, settings.site.languages)
            files, unread, bundles = layout.posts, layout.unread, layout.files
            problems += layout.diagnostics
            sections, found = read_sections(root, layout.sections)
            problems += found
        plain_html = [p for p in files if is_html(p) and not _has_front_matter(root / p)]
        if unread or plain_html:
            problems.append(_unread_warning(folder, sorted(unread + plain_html)))
        heads[kind] = problems[start:]
        order[kind] = []
        for relpath in files:
            if relpath in plain_html:
                continue
            seen.add(relpath)
            order[kind].append(relpath)
            post, found = _load_known(root, relpath, kind, settings, known)
            problems += found
            if post is not None:
                collections[kind].append(post)
                if on_post is not None:
                    on_post(post)
    if known is not None:
        for gone in set(known) - seen:
            del known[gone]
    read = len(problems)
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
    sources = Sources(settings, tuple(collections["post"]), tuple(collections["page"]),
                      tuple(collections["guideline"]), tuple(events), campaigns, channels, media,
                      guide, metrics, history, tuple(problems), intros, ledger,
                      bundles, static, repository, sections)
    if last is not None and known is not None:
        last.sources, last.heads = sources, heads
        last.order = {kind: tuple(paths) for kind, paths in order.items()}
        last.tail = problems[read:]
        last.listed = frozenset(listed)
        last.folders = frozenset(p.rsplit("/", i)[0] for p in listed
                                 for i in range(1, p.count("/") + 1))
    return sources


RELOADABLE = ("post", "page")   # a guideline's file may change the style guide: read all
WALKED = ("content/posts/", "content/pages/")   # every file under them is in `LastLoad.listed`


def reload_files(settings: Settings, changed: set[str], known: Known, last: LastLoad,
                 git_memo: dict | None = None) -> Sources | None:
    """`load` after the files at `changed` (hub-relative paths the watcher saw)
    and nothing else changed: only those files are read again, the rest of
    the last load is kept. None when that cannot be trusted, and the caller
    loads the whole hub: a path that is not a Markdown post or page read last
    time (a new, removed or renamed file, a folder, the calendar, the style
    guide, static files...), other settings, or no last load. A path under
    content/posts or content/pages that was never read and is gone (an
    editor's temporary file), or is hidden, changes nothing."""
    before = last.sources
    if before is None or settings != before.settings:
        return None
    root = settings.root
    for path in changed:
        entry = known.get(path)
        if entry is None:
            if not path.startswith(WALKED) or path in last.listed or path in last.folders:
                return None
            if any(part.startswith(".") for part in path.split("/")):
                continue        # hidden: never read (`front_matter.hub_files`)
            if os.path.lexists(root / path):
                return None
            continue
        if entry[0][2] not in RELOADABLE or is_html(path):
            return None
        try:
            if not stat.S_ISREG(os.lstat(root / path).st_mode):
                return None
        except OSError:
            return None
    problems: list[Diagnostic] = []
    collections: dict[str, list[Post]] = {}
    for kind, paths in last.order.items():      # in load's order, problems too
        problems += last.heads[kind]
        collections[kind] = []
        for relpath in paths:
            if relpath in changed:
                post, found = _load_known(root, relpath, kind, settings, known)
            else:
                post, found = known[relpath][1:]
            problems += found
            if post is not None:
                collections[kind].append(post)
    history, repository = _git_reads(settings, git_memo)
    sources = replace(before, settings=settings, posts=tuple(collections["post"]),
                      pages=tuple(collections["page"]), guidelines=tuple(collections["guideline"]),
                      diagnostics=tuple(problems + last.tail), history=history,
                      repository=repository)
    last.sources = sources
    return sources


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
