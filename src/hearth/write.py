"""Stage 6, write: the only module that writes the output folder.

A build is written aside, next to the output folder, and swapped in at the
end, so a failed build leaves the previous output exactly as it was. Every
path is checked to stay inside the output folder, whatever a slug says.
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


def write_tree(out_dir: Path, files: dict[str, bytes | Path]) -> None:
    """Replace `out_dir` with exactly `files` (path → bytes, or a file to copy)."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for relpath in sorted(files):
            target = inside(staging, relpath)
            target.parent.mkdir(parents=True, exist_ok=True)
            content = files[relpath]
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_bytes(content)
        swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_in(staging: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.rmdir(old)
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
