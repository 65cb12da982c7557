"""Loading: each post's status at every commit that touched it, from git.

One `git log --name-status` over content/posts (renames followed) and one
`git cat-file --batch` for the file versions not seen before, when the hub
is in a git repository. The report measures review and lead times from it.
A shallow clone holds only the newest commits: its history says so rather
than pass for the whole story.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .front_matter import is_html, is_markdown

POSTS_DIR = "content/posts"


@dataclass(frozen=True)
class StatusChange:
    """A post's `status` in one commit that touched it."""

    at: datetime
    status: str
    commit: str


@dataclass(frozen=True)
class History:
    """Every post's status changes, by its current path; or why there are none."""

    available: bool
    reason: str = ""                                     # why not, when not available
    changes: dict[str, tuple[StatusChange, ...]] = field(default_factory=dict)  # oldest first
    shallow: bool = False       # a shallow clone: the older commits are missing, so not read


SHALLOW = ("the git history is shallow, a clone of the newest commits only; "
           "git fetch --unshallow fetches the rest")


class _GitFailed(Exception):
    pass


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(root), *args],
                          input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        raise _GitFailed(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


def git_user_name(root: Path) -> str:
    """`git config user.name` as the hub's repository sees it; "" without git or a name."""
    if shutil.which("git") is None:
        return ""
    try:
        return _git(root, "config", "user.name").decode("utf-8", "replace").strip()
    except (_GitFailed, OSError):
        return ""


_HISTORY_CACHE: dict[tuple[str, str, str], History] = {}
_STATUS_CACHE: dict[tuple[str, str], str] = {}   # (hub, "commit:./path") → status in that version
_STATUS_LINE = re.compile(r"^status:\s*[\"']?([A-Za-z]+)", re.MULTILINE)


def read_post_history(root: Path, folder: str = POSTS_DIR) -> History:
    """The I/O of lead times: each post's status at every commit that touched it.

    One `git log --name-status` over the folder (renames followed) and one
    `git cat-file --batch` for the file versions not seen before; cached by
    HEAD, and per file version.
    """
    if shutil.which("git") is None:
        return History(False, "git is not installed")
    try:
        _git(root, "rev-parse", "--is-inside-work-tree")
    except _GitFailed:
        return History(False, "the hub is not a git repository")
    try:
        head = _git(root, "rev-parse", "--verify", "-q", "HEAD").decode().strip()
    except _GitFailed:
        return History(False, "the git repository has no commits yet")
    # Checked before the cache: unshallowing a clone adds history without moving HEAD
    if _is_shallow(root):
        return History(False, SHALLOW, shallow=True)
    key = (str(root.resolve()), head, folder)
    if key in _HISTORY_CACHE:
        return _HISTORY_CACHE[key]
    try:
        log = _git(root, "log", "--format=%x1e%H%x09%aI", "--name-status", "-M", "--relative",
                   "--", folder).decode("utf-8", "replace")
    except _GitFailed as err:
        return History(False, f"git log failed: {err}")
    chains = _file_chains(_parse_log(log))
    # "./" makes the path relative to the hub, which may be a folder inside the repository
    versions = {f"{sha}:./{name}" for chain in chains.values() for sha, _, name in chain}
    wanted = sorted(v for v in versions if (key[0], v) not in _STATUS_CACHE)
    if wanted:
        try:
            found = _statuses(root, wanted)
        except _GitFailed as err:
            return History(False, f"git cat-file failed: {err}")
        _STATUS_CACHE.update({(key[0], v): status for v, status in found.items()})
    changes = {path: tuple(StatusChange(at, _STATUS_CACHE.get((key[0], f"{sha}:./{name}"),
                                                              "ready"), sha)
                           for sha, at, name in reversed(chain))
               for path, chain in chains.items()}
    history = History(True, "", changes)
    _HISTORY_CACHE[key] = history
    return history


def _is_shallow(root: Path) -> bool:
    try:
        return _git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"
    except _GitFailed:
        return False            # git before 2.15 cannot tell: read what there is

Commit = tuple[str, datetime, dict[str, tuple[str, ...]]]


def _parse_log(log: str) -> list[Commit]:
    """`git log` output → [(sha, author date, {path after: (letter, path[, new path])})],
    newest first."""
    commits = []
    for chunk in log.split("\x1e"):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        sha, when = lines[0].split("\t")
        entries = [tuple(line.split("\t")) for line in lines[1:]]
        commits.append((sha, datetime.fromisoformat(when), {e[-1]: e for e in entries}))
    return commits


def _file_chains(commits: list[Commit]) -> dict[str, list[tuple[str, datetime, str]]]:
    """Current path → [(commit, date, path at that commit)], newest first, across renames."""
    # A path exists now if the newest entry that names it is not a delete or a rename away.
    current: set[str] = set()
    seen: set[str] = set()
    for _, _, entries in commits:
        for path, entry in entries.items():
            if path not in seen:
                seen.add(path)
                if entry[0] != "D":
                    current.add(path)
            if entry[0].startswith("R") and entry[1] not in seen:
                seen.add(entry[1])          # renamed away: the old name does not exist now
    chains: dict[str, list[tuple[str, datetime, str]]] = {}
    for path in current:
        if not (is_markdown(path) or is_html(path)):
            continue
        name, chain = path, []
        for sha, when, entries in commits:
            entry = entries.get(name)
            if entry is None:
                continue
            if entry[0] == "D":
                break
            chain.append((sha, when, name))
            if entry[0].startswith("R"):
                name = entry[1]
            elif entry[0] == "A":
                break
        chains[path] = chain
    return chains


def _statuses(root: Path, objects: list[str]) -> dict[str, str]:
    """`status:` of each "commit:path", with one `git cat-file --batch`."""
    out = _git(root, "cat-file", "--batch", stdin=("\n".join(objects) + "\n").encode())
    found, offset = {}, 0
    for name in objects:
        end = out.index(b"\n", offset)
        head = out[offset:end].split()
        offset = end + 1
        if len(head) < 3 or head[1] != b"blob":
            continue
        size = int(head[2])
        found[name] = status_in(out[offset:offset + size].decode("utf-8", "replace"))
        offset += size + 1
    return found


def status_in(text: str) -> str:
    """The `status:` of a post file's front matter; `ready` when it says none."""
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        return "ready"
    end = text.find("\n---", 3)
    match = _STATUS_LINE.search(text[:end if end != -1 else len(text)])
    return match.group(1).lower() if match else "ready"
