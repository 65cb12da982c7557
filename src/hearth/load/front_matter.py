"""What every loader of Markdown files does alike: which files it reads, and
how it reads a list of words from front matter.

Posts, pages, guidelines, events and campaigns are found and their `tags`
read by these functions, so the same file layout and the same `tags:` value
mean the same thing in every folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def hub_files(root: Path, folder: str) -> tuple[list[str], list[str]]:
    """(regular files, everything else) under `folder`, sub-folders included, as
    sorted paths relative to `root`.

    Hidden files and folders (`.draft-idea.md`, macOS `._x.md` and
    `.DS_Store`, an editor's swap files) are not the writer's to publish and
    are left out of both. A symbolic link is never followed, to a file or a
    folder, wherever it points; it, a named pipe or a device is listed second,
    for the caller to report (`source.not_regular` says why)."""
    files: list[str] = []
    others: list[str] = []
    base = root / folder
    link = _link_on_the_way(root, folder)
    if link is not None:
        return [], [link]
    if not base.is_dir():
        return [], []
    # plain strings, not Paths: this runs once per file of a big hub on every build
    pending = [(str(base), folder.strip("/") + "/")]
    while pending:
        current, prefix = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relpath = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, relpath + "/"))
            elif entry.is_file(follow_symlinks=False):
                files.append(relpath)
            else:
                others.append(relpath)
    return sorted(files), sorted(others)


def _link_on_the_way(root: Path, folder: str) -> str | None:
    """The first part of `folder` that is a symbolic link (`content` linked elsewhere)."""
    parts = folder.split("/")
    for depth in range(1, len(parts) + 1):
        if os.path.islink(root.joinpath(*parts[:depth])):
            return "/".join(parts[:depth])
    return None


# what Jekyll (kramdown's `markdown_ext`) and Hugo read as Markdown
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
HTML_SUFFIXES = (".html", ".htm")


def is_markdown(relpath: str) -> bool:
    return relpath.lower().endswith(MARKDOWN_SUFFIXES)


def is_html(relpath: str) -> bool:
    return relpath.lower().endswith(HTML_SUFFIXES)


def markdown_files(root: Path, folder: str, html: bool = False) -> list[str]:
    """The Markdown files (`.md`, `.markdown`, `.mdown`, `.mkd`, `.mkdn`)
    under `folder`, sub-folders included, as sorted paths relative to `root`;
    hidden ones left out (see `hub_files`); with `html`, `.html` files too (a
    Jekyll post written in HTML). A link or other special entry so named, and
    a link to a folder, are listed too: reading it (`source.read`) refuses it
    with an error naming it, so the writer learns why a post is missing
    instead of it vanishing."""
    return _markdown_of(root, hub_files(root, folder), html)


def _markdown_of(root: Path, listing: tuple[list[str], list[str]], html: bool) -> list[str]:
    files, others = listing

    def wanted(path: str) -> bool:
        return is_markdown(path) or (html and is_html(path))

    refused = [p for p in others if wanted(p) or os.path.isdir(root / p)]
    return sorted([p for p in files if wanted(p)] + refused)


def unread_files(root: Path, folder: str) -> list[str]:
    """The regular files under `folder` that `markdown_files(..., html=True)` leaves out."""
    return _unread_of(hub_files(root, folder))


def _unread_of(listing: tuple[list[str], list[str]]) -> list[str]:
    return [p for p in listing[0] if not (is_markdown(p) or is_html(p))]


def content_files(root: Path, folder: str) -> tuple[list[str], list[str]]:
    """`markdown_files(root, folder, html=True)` and `unread_files(root, folder)`,
    from one walk of the folder."""
    listing = hub_files(root, folder)
    return _markdown_of(root, listing, True), _unread_of(listing)


def word_list(value: Any) -> tuple[str, ...] | None:
    """A YAML list of words or a comma-separated text → the words, stripped,
    empty ones dropped; None when it is neither (a mapping, a list holding
    a mapping or a yes/no that YAML read as a boolean)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(",") if t.strip())
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                       for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return None
