"""Input stamps: everything a build reads, by name, size and modification time.

Equal stamps, and a `now` that has not reached the last build's next instant,
give byte-identical output, so a build can be skipped; the calendar stamp lets
`serve` keep its calendar model; the guide and theme fingerprints key the lint
cache and every template's output.
"""

from __future__ import annotations

import hashlib
import os
import stat
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


def _git_dir(folder: Path) -> tuple[Path, Path] | None:
    """(git dir, common dir) of a repository whose top is `folder`: `.git` a
    folder, or a file pointing to one (a linked worktree, a submodule)."""
    git = folder / ".git"
    if git.is_dir():
        return git, git
    if git.is_file():
        text = git.read_text(errors="replace").strip()
        if text.startswith("gitdir:"):
            gitdir = (folder / text[7:].strip()).resolve()
            common = gitdir / "commondir"
            return gitdir, ((gitdir / common.read_text().strip()).resolve()
                            if common.is_file() else gitdir)
    return None


def _git_stamp(root: Path) -> str:
    """HEAD of the repository holding the hub (the report reads its history),
    and its config: the remote `origin` is where the review's source links
    point (`load.repository`), so changing only the remote rebuilds them."""
    for folder in (root, *root.parents):
        try:
            found = _git_dir(folder)
            if found is None:
                continue
            git, common = found
            head = (git / "HEAD").read_text().strip()
            ref = common / head[5:] if head.startswith("ref: ") else None
            tip = ref.read_text().strip() if ref is not None and ref.is_file() else head
            digests = []
            for name in ("packed-refs", "config"):   # by content: a fresh clone has new mtimes
                path = common / name
                digests.append(hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
                               if path.is_file() else "-")
            shallow = (common / "shallow").is_file()   # `git fetch --unshallow` keeps HEAD
            return f"{head}|{tip}|{'|'.join(digests)}|{shallow}"
        except OSError:
            return "unreadable"
    return "none"


def input_stamp(root: Path, strict: bool, out_dir: Path,
                hashes: dict[str, list] | None = None) -> str:
    """Everything a build reads, by name and content, but not `now`: equal stamps
    and a `now` before the last build's next instant (`incremental.instants`) give
    byte-identical output, so a build can be skipped.

    By content, not modification time, so a fresh checkout of the same commit (a CI
    run, where every file is new) has the same stamp. `hashes` (path → [size,
    mtime_ns, digest], kept in the cache) spares reading a file whose stat did not
    change; it is updated in place."""
    h = hashlib.sha256(f"{environment_stamp()}|{strict}|{out_dir}|"
                       f"{_git_stamp(root)}".encode())
    memo = hashes if hashes is not None else {}
    seen: set[str] = set()

    def add(path: str, label: str) -> None:
        st = os.lstat(path)      # a link, even a dangling one, is load's to report
        entry = memo.get(path)
        if entry is None or entry[:2] != [st.st_size, st.st_mtime_ns]:
            if stat.S_ISLNK(st.st_mode):
                content = b"link:" + os.fsencode(os.readlink(path))
            elif not stat.S_ISREG(st.st_mode):
                # a named pipe or a device: opening it could block for ever (load refuses it)
                content = f"special:{stat.S_IFMT(st.st_mode)}".encode()
            else:
                try:
                    with open(path, "rb") as handle:
                        content = handle.read()
                except OSError:
                    content = b"unreadable"
            entry = [st.st_size, st.st_mtime_ns, hashlib.blake2b(content, digest_size=16).hexdigest()]
            memo[path] = entry
        seen.add(path)
        h.update(f"{label}|{entry[0]}|{entry[2]}\n".encode())

    for base, folders in ((root, ("content", "calendar", "guidelines", "templates", "static")),
                          (builtin_templates().parent, ("templates",))):
        for name in ("hearth.toml", ".vale.ini", "_vale.ini"):     # a hub's Vale config too
            top = base / name
            if base == root and top.is_file():
                add(str(top), name)
        for folder in folders:
            start = base / folder
            if not start.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(start):
                dirnames.sort()
                for name in sorted(filenames):
                    path = os.path.join(dirpath, name)
                    add(path, os.path.relpath(path, base) + ("|builtin" if base != root else ""))
    for gone in set(memo) - seen:
        del memo[gone]
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
            # rules, word lists (accept.txt, spelling `ignore` files), dictionaries, .vale.ini
            if path.is_file() and not path.is_symlink() and (
                    path.suffix in (".yml", ".yaml", ".ini", ".txt", ".dic", ".aff")
                    or path.name == "ignore"):
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    for name in (".vale.ini", "_vale.ini"):      # a Vale config at the hub's root
        path = root / name
        if path.is_file() and not path.is_symlink():
            h.update(name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:32]
