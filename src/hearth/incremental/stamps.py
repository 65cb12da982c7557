"""Input stamps: everything a build reads, by name, size and modification time.

Equal stamps and an equal `now` give byte-identical output, so a build can be
skipped; the calendar stamp lets `serve` keep its calendar model; the guide
and theme fingerprints key the lint cache and every template's output.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from ..theme import builtin_templates
from .cache import environment_stamp


def theme_fingerprint(root: Path) -> str:
    """Every template file, built-in and the hub's own: a theme edit re-renders all."""
    h = hashlib.sha256()
    for base in (builtin_templates(), root / "templates"):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.is_symlink():     # a link is refused by load, never read
                    h.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:32]


def _git_stamp(root: Path) -> str:
    """HEAD of the repository holding the hub (the report reads its history)."""
    for folder in (root, *root.parents):
        git = folder / ".git"
        if git.is_dir():
            try:
                head = (git / "HEAD").read_text().strip()
                ref = git / head[5:] if head.startswith("ref: ") else None
                tip = ref.read_text().strip() if ref is not None and ref.is_file() else head
                packed = (git / "packed-refs").stat().st_mtime_ns if (git / "packed-refs").exists() else 0
                shallow = (git / "shallow").is_file()   # `git fetch --unshallow` keeps HEAD
                return f"{head}|{tip}|{packed}|{shallow}"
            except OSError:
                return "unreadable"
    return "none"


def input_stamp(root: Path, now: datetime, strict: bool, out_dir: Path) -> str:
    """Everything a build reads, by name, size and modification time: equal stamps
    and equal 'now' give byte-identical output, so a build can be skipped."""
    h = hashlib.sha256(f"{environment_stamp()}|{now.isoformat()}|{strict}|{out_dir}|"
                       f"{_git_stamp(root)}".encode())
    for base, folders in ((root, ("content", "calendar", "guidelines", "templates")),
                          (builtin_templates().parent, ("templates",))):
        toml = base / "hearth.toml"
        if base == root and toml.is_file():
            st = toml.stat()
            h.update(f"hearth.toml|{st.st_size}|{st.st_mtime_ns}\n".encode())
        for folder in folders:
            start = base / folder
            if not start.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(start):
                dirnames.sort()
                for name in sorted(filenames):
                    path = os.path.join(dirpath, name)
                    st = os.lstat(path)      # a link, even a dangling one, is load's to report
                    h.update(f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def calendar_stamp(root: Path) -> str:
    """The files of calendar/ (channels, events, campaigns, metrics) by name, size and time."""
    h = hashlib.sha256()
    folder = root / "calendar"
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                st = path.stat()
                h.update(f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def guide_fingerprint(root: Path) -> str:
    h = hashlib.sha256()
    folder = root / "guidelines"
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            # rules, word lists (accept.txt, spelling `ignore` files) and dictionaries
            if path.is_file() and not path.is_symlink() and (
                    path.suffix in (".yml", ".yaml", ".txt", ".dic", ".aff")
                    or path.name == "ignore"):
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:32]
