"""Stage 6, write: the only module that writes into the output folder.

Hearth writes and deletes only inside an output folder it owns: one that
carries its mark (`.hearth-output` at the top), or a new, empty folder, or
one an older Hearth made (only `hub/`, `queues/`, `review/` inside). The hub
itself, an ancestor of it, its input folders, a folder Hearth did not make and
anything that is not a plain folder are refused (`OutputRefused`) before
anything is touched.

Every build is written into a staging folder beside the output folder
(`.dist.new-*`) and swapped in as one step, so the output folder always holds
exactly the previous build or exactly the new one, even if the build is
killed: a first build renders into an empty staging folder; a later build
fills it with hard links of the unchanged files and writes only the changed
ones. The previous output, once swapped out, is kept as the *spare*
(`.dist.spare-<token>`, hard links, so it costs little space) and is the next
build's staging folder: brought up to date by re-linking only the files the
last build changed, so a build that changes few files costs little however
big the output is. The swap is Linux's `renameat2(RENAME_EXCHANGE)`, or two renames where
that is missing (a build killed between them is repaired by the next one).
The next build removes what a killed one left. This guards against killed
processes, not power loss: nothing is fsync'ed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import stat
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:     # not on Windows: builds there are not serialised
    fcntl = None  # type: ignore[assignment]

MARKER = ".hearth-output"
MARKER_TEXT = (b"hearth-output 1\n"
               b"This folder is made by Hearth: every `hearth build` replaces what is in it,\n"
               b"and `hearth clean` removes it. Keep no files of your own here.\n")
LEGACY_ENTRIES = frozenset({"hub", "queues", "review"})   # all an older Hearth put in its output
INPUTS = ("content", "calendar", "guidelines", "templates", "static", ".git", ".hearth-cache")
TMP_SUFFIX = ".hearth-tmp"
_WRITE_SIDE = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG)   # always the target's fault
WRITE_THREADS = 8   # file creation is slow metadata work that releases the GIL


class UnsafePath(Exception):
    """An output path that would land outside the output folder."""


class OutputRefused(Exception):
    """A folder Hearth must not write into or delete (bad usage or settings)."""

    def __init__(self, named: str, why: str):
        super().__init__(f"{named}: {why}")


class WriteFault(Exception):
    """The machine refused a write (no space, read-only, permission): the path and why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason


# ------------------------------------------------------------------ whose folder it is

def owned(folder: Path) -> bool:
    """A real folder that is Hearth's to replace: marked, empty, or an older Hearth's output."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        entries = os.listdir(folder)
    except OSError:
        return False
    if not entries:
        return True
    if MARKER in entries:
        marker = folder / MARKER
        try:
            if not marker.is_symlink() and marker.is_file():
                with open(marker, "rb") as handle:
                    return handle.read(len(MARKER_TEXT)).startswith(MARKER_TEXT.split(b"\n")[0])
        except OSError:
            return False
        return False
    return set(entries) <= LEGACY_ENTRIES and all(
        (folder / name).is_dir() and not (folder / name).is_symlink() for name in entries)


def marked(folder: Path) -> bool:
    return owned(folder) and (folder / MARKER).is_file()


def output_folder(root: Path, given: Path, named: str) -> Path:
    """The output folder `given` (named so in messages: `--out X`, `[build] output = "X"`),
    resolved; `OutputRefused` if Hearth must not write there."""
    given = Path(os.path.abspath(root / given))
    hub = root.resolve()
    if given.is_symlink():
        raise OutputRefused(named, f"{given} is a symbolic link; give the folder itself")
    if given.exists() and not given.is_dir():
        raise OutputRefused(named, f"{given} is not a folder")
    out = given.resolve()
    if out == hub:
        raise OutputRefused(named, f"{out} is the hub itself; the output needs a folder of its own, "
                                   "like 'dist'")
    if hub.is_relative_to(out):
        raise OutputRefused(named, f"{out} holds the hub ({hub}); the output needs a folder of its "
                                   "own, like 'dist'")
    for folder in _inputs(hub):
        if out == folder:
            raise OutputRefused(named, f"{out} holds the hub's inputs")
        if out.is_relative_to(folder):
            raise OutputRefused(named, f"{out} is inside {folder}, which holds the hub's inputs")
        if folder.is_relative_to(out):
            raise OutputRefused(named, f"{out} holds {folder}, one of the hub's inputs")
    if out.is_dir():
        if os.path.ismount(out):
            raise OutputRefused(named, f"{out} is a mount point; Hearth replaces its output folder "
                                       "whole, so give a folder inside it")
        if not owned(out):
            raise OutputRefused(named, f"{out} is a folder Hearth did not make (it holds "
                                       f"{_some_entries(out)}); give an empty or new folder")
    return out


def _inputs(hub: Path) -> list[Path]:
    """Every folder holding the hub's inputs, resolved (a symlinked content/ counts where it points)."""
    found = [(hub / name).resolve() for name in INPUTS]
    found += [(folder / ".git").resolve() for folder in hub.parents if (folder / ".git").exists()]
    return found


def _some_entries(folder: Path) -> str:
    names = sorted(os.listdir(folder))
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


# ------------------------------------------------------------------ leftovers and locking

def _siblings(out_dir: Path, kind: str) -> list[Path]:
    prefix = f".{out_dir.name}.{kind}-"
    try:
        names = os.listdir(out_dir.parent)
    except OSError:
        return []
    return sorted(out_dir.parent / n for n in names if n.startswith(prefix))


def spare_folder(out_dir: Path, token: str) -> Path:
    return out_dir.parent / f".{out_dir.name}.spare-{token}"


def clean_leftovers(out_dir: Path, keep: Path | None = None) -> None:
    """Remove what a killed build left: staging folders beside `out_dir` (restoring the
    previous output if a build died between the two renames of the fallback swap),
    and every spare but `keep`."""
    olds = [p for p in _siblings(out_dir, "old") if owned(p)]
    if not out_dir.exists() and olds:
        newest = max(olds, key=lambda p: p.stat().st_mtime_ns)
        os.rename(newest, out_dir)
        olds.remove(newest)
    spares = [p for p in _siblings(out_dir, "spare") if p != keep and owned(p)]
    for folder in olds + [p for p in _siblings(out_dir, "new") if owned(p)] + spares:
        remove_tree(folder)


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Serialise builds into one output folder (a `serve` and a `build` at once): a lock on
    the folder that holds it, released by the kernel if the build is killed."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    fd = os.open(out_dir.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def remove_tree(folder: Path) -> None:
    """Remove a folder of Hearth's, making read-only sub-folders writable as needed."""
    def retry(function, path, _exc_info) -> None:
        with contextlib.suppress(OSError):
            parent = os.path.dirname(path)
            os.chmod(parent, stat.S_IMODE(os.lstat(parent).st_mode) | stat.S_IRWXU)
            if function in (os.rmdir, os.unlink, os.remove):
                function(path)
    shutil.rmtree(folder, onerror=retry)
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ staging

def plain_relpath(relpath: str) -> bool:
    """A relative path with no way out: no root, no '..', no backslash, no empty part."""
    parts = relpath.split("/")
    return bool(relpath) and not relpath.startswith("/") and "\\" not in relpath and \
        all(part not in ("", ".", "..") for part in parts)


class Staging:
    """The next output folder, built beside `out_dir` and invisible until `commit`.

    Made with the permissions the umask gives (not mkdtemp's 0700), and marked
    as Hearth's from the start, so a killed build's leftover is known as such."""

    def __init__(self, out_dir: Path, spare: Path | None = None):
        """A new, empty staging folder; or, with `spare`, that folder renamed to a
        staging folder's name first (so a build killed while it is being changed
        leaves a leftover, never a spare that is not what its name says)."""
        self.out_dir = out_dir
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        while True:
            path = out_dir.parent / f".{out_dir.name}.new-{secrets.token_hex(4)}"
            if spare is not None:
                if path.exists():
                    continue
                os.rename(spare, path)
                break
            try:
                os.mkdir(path)
                break
            except FileExistsError:
                continue
        self.path = path
        self._folders: set[str] = set()   # folders known to be there: made once, not per file
        if spare is None:
            (path / MARKER).write_bytes(MARKER_TEXT)

    def catch_up(self, lag: list[str]) -> None:
        """A spare is the output before last: re-link from the output folder the files
        the last build changed (`lag`), and drop those it removed."""
        for relpath in lag:
            if not plain_relpath(relpath):
                continue
            here = self.path / relpath
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
                os.unlink(here)
            there = self.out_dir / relpath
            if there.is_file() and not there.is_symlink():
                here.parent.mkdir(parents=True, exist_ok=True)
                _link(str(there), str(here))
        self.prune(lag)

    def remove(self, relpaths: list[str]) -> None:
        """Drop files (stale outputs) from a staging folder made from a spare."""
        for relpath in relpaths:
            if plain_relpath(relpath):
                with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
                    os.unlink(self.path / relpath)

    def keep_unchanged(self, skip: set[str]) -> None:
        """Hard links (copies where links fail) of every file in the output folder but
        `skip` (the paths about to be written or removed) and unfinished temp files."""
        if self.out_dir.is_dir():
            _link_tree(str(self.out_dir), str(self.path), "", skip)

    def write(self, relpath: str, content: bytes | Path) -> None:
        write_into(self.path, relpath, content, self._folders)

    def prune(self, removed: list[str]) -> None:
        """Remove the folders that removing these files left empty."""
        for relpath in removed:
            parent = (self.path / relpath).parent
            while parent != self.path and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent

    def commit(self) -> Path | None:
        """Swap the staging folder in as the output folder, as one step. Returns the
        previous output, now beside it, for the caller to `remove_tree` (at once, or in
        the background: `clean_leftovers` finishes the job if that is cut short)."""
        out_dir = self.out_dir
        if not out_dir.exists():
            os.rename(self.path, out_dir)
            return None
        if _exchange(self.path, out_dir):
            return self.path            # now the previous output
        old = out_dir.parent / f".{out_dir.name}.old-{secrets.token_hex(4)}"
        os.rename(out_dir, old)
        os.rename(self.path, out_dir)   # killed in between: `clean_leftovers` puts `old` back
        return old

    def keep_as_spare(self, previous: Path) -> str:
        """After `commit`: keep the previous output as the next build's staging
        folder; returns the token that names it (the cache records it)."""
        token = secrets.token_hex(4)
        os.rename(previous, spare_folder(self.out_dir, token))
        return token

    def discard(self) -> None:
        if self.path.exists():
            remove_tree(self.path)

    def output_path(self, path: str) -> str:
        """A path inside the staging folder, as the user knows it (inside the output folder)."""
        if path and Path(path).is_relative_to(self.path):
            return str(self.out_dir / Path(path).relative_to(self.path))
        return path


def _link_tree(source: str, target: str, prefix: str, skip: set[str]) -> None:
    """The tree under `source` again under `target`: new folders, hard-linked files
    (plain strings, not Paths: this runs once per file of a big output)."""
    with os.scandir(source) as entries:
        for entry in entries:
            name = entry.name
            if (name == MARKER and not prefix) or name.endswith(TMP_SUFFIX):
                continue
            relpath = prefix + name
            there = os.path.join(target, name)
            if entry.is_dir(follow_symlinks=False):
                os.mkdir(there)
                _link_tree(entry.path, there, relpath + "/", skip)
            elif relpath not in skip:
                _link(entry.path, there)


def _link(source: str, target: str) -> None:
    """A hard link of a file, or a copy where the file system refuses links."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as err:
        if err.errno in _WRITE_SIDE:
            raise
        shutil.copy2(source, target, follow_symlinks=False)


def write_into(staging: Path, relpath: str, content: bytes | Path,
               folders: set[str] | None = None) -> None:
    """One new file into a staging folder (from any thread or worker process). A file
    there may be a hard link to the previous output: it is replaced, never written through.
    `folders`: those known to be there already (each is made once, not once per file)."""
    if not plain_relpath(relpath):
        raise UnsafePath(relpath)
    target = os.path.join(staging, relpath)
    try:
        folder = os.path.dirname(target)
        if folders is None or folder not in folders:
            _make_folder(folder)
            if folders is not None:
                folders.add(folder)
        if isinstance(content, Path):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
            shutil.copyfile(content, target)
        else:
            _create(target, content)
    except OSError as err:
        # a failed write() or close() names no file, a failed copy may name its source
        if not err.filename or err.errno in _WRITE_SIDE:
            raise OSError(err.errno, err.strerror, str(target)) from err
        raise


def _make_folder(folder: str) -> None:
    """A folder and those above it; one call when only the last is missing (a post's)."""
    try:
        os.mkdir(folder)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise


def _create(target: str, content: bytes) -> None:
    """A new file with `content`, its folder there. Tried at once (most files are
    new): a file there is unlinked only when there is one (a link to the previous
    output, never written through)."""
    try:
        handle = open(target, "xb")
    except FileExistsError:
        os.unlink(target)
        handle = open(target, "xb")
    with handle:
        handle.write(content)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2 = None


def _exchange(one: Path, two: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where the system cannot."""
    global _renameat2
    if _renameat2 is None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            _renameat2 = libc.renameat2
            _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                   ctypes.c_uint]
        except (OSError, AttributeError):
            _renameat2 = False
    if not _renameat2:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(one), _AT_FDCWD, os.fsencode(two), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(two))


def fault(err: OSError, staging: Staging | None = None) -> WriteFault:
    """An OSError from writing, as the user can act on it: the output path and the reason."""
    path = err.filename if isinstance(err.filename, str) else os.fsdecode(err.filename or b"")
    if staging is not None:
        path = staging.output_path(path)
    return WriteFault(path or "the output folder", err.strerror or str(err))


def replace_in_place(out_dir: Path, changed: dict[str, bytes | Path], removed: list[str]) -> None:
    """`serve`'s first pass after an edit: the few changed pages straight into the output
    folder, each file replaced in one rename (a reader sees the old page or the new one),
    instead of a staging folder of links to every file. A killed serve may leave some
    pages new and some old (the manifest still names the old ones, so the next build
    rewrites them); the full pass that follows is swapped in whole as usual."""
    for relpath in (*changed, *removed):
        if not plain_relpath(relpath):
            raise UnsafePath(relpath)
    for relpath, content in sorted(changed.items()):
        target = out_dir / relpath
        temp = target.with_name(target.name + TMP_SUFFIX)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, temp)
            else:
                with open(temp, "wb") as handle:
                    handle.write(content)
            os.replace(temp, target)
        except OSError as err:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            if not err.filename or err.errno in _WRITE_SIDE:
                raise OSError(err.errno, err.strerror, str(target)) from err
            raise
    for relpath in removed:
        target = out_dir / relpath
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        parent = target.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
