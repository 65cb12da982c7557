"""Stage 6, write: the only module that writes into the output folder.

A first build is written aside, next to the output folder, and swapped in at
the end, so a failed build leaves the previous output exactly as it was; a
later build writes only the changed files (`write_changes`). Every path is
checked to stay inside the output folder, whatever a slug says.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class UnsafePath(Exception):
    """An output path that would land outside the output folder."""


def inside(base: Path, relpath: str) -> Path:
    """`base / relpath`, refusing anything that resolves outside `base`."""
    if not relpath or relpath.startswith(("/", "\\")) or "\\" in relpath:
        raise UnsafePath(relpath)
    target = (base / relpath).resolve()
    if not target.is_relative_to(base.resolve()):
        raise UnsafePath(relpath)
    return target


WRITE_THREADS = 8   # file creation is slow metadata work that releases the GIL


def plain_relpath(relpath: str) -> bool:
    """A relative path with no way out: no root, no '..', no backslash, no empty part."""
    parts = relpath.split("/")
    return bool(relpath) and not relpath.startswith("/") and "\\" not in relpath and \
        all(part not in ("", ".", "..") for part in parts)


def new_staging(out_dir: Path) -> Path:
    """A fresh folder beside `out_dir` to build into; invisible until swapped in."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))


def write_into(staging: Path, relpath: str, content: bytes | Path) -> None:
    """One file into a staging folder (from any thread or worker process)."""
    if not plain_relpath(relpath):
        raise UnsafePath(relpath)
    target = staging / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Path):
        shutil.copyfile(content, target)
    else:
        with open(target, "wb") as handle:
            handle.write(content)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.rmdir(old)
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_changes(out_dir: Path, files: dict[str, bytes | Path], stale: list[str]) -> None:
    """Write changed files one by one, each atomically, then remove stale ones."""
    targets = {path: inside(out_dir, path) for path in files}   # refuse before writing anything
    for path in sorted(files):
        target = targets[path]
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.hearth-tmp")
        content = files[path]
        if isinstance(content, Path):
            shutil.copyfile(content, tmp)
        else:
            tmp.write_bytes(content)
        os.replace(tmp, target)
    for path in stale:
        target = inside(out_dir, path)
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
