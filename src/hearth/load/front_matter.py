"""What every loader of Markdown files does alike: which files it reads, and
how it reads a list of words from front matter.

Posts, pages, guidelines, events and campaigns are found and their `tags`
read by these functions, so the same file layout and the same `tags:` value
mean the same thing in every folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def markdown_files(root: Path, folder: str) -> list[str]:
    """The `.md` files under `folder`, sub-folders included, as sorted paths
    relative to `root`. Hidden files and folders (an editor's or a tool's own)
    are not the writer's and are left out."""
    base = root / folder
    if not base.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in base.rglob("*.md")
                  if p.is_file() and not any(part.startswith(".")
                                             for part in p.relative_to(base).parts))


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
