"""The build cache, `.hearth-cache/`: work keyed by what it was made from.

Rendered Markdown, lint results and the output manifest, each keyed by a
content hash plus everything else that affects them (Hearth's and the
libraries' versions, the relevant settings). Values are JSON, never pickles:
a cache restored from elsewhere is data, not code. A cache written by another
version, or one that cannot be read, is thrown away and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

from .. import version

CACHE_DIR = ".hearth-cache"
CACHE_FILES = ("cache.sqlite", "cache.sqlite-journal", "cache.sqlite-wal", "cache.sqlite-shm")
FORMAT = 2     # 2: a rendered body's HTML is zlib-packed, in base64 (markup.Rendered)
# JSON text waiting for the file beyond this many characters is written (in the open
# transaction, committed by `flush`): a cold build's rendered bodies are not all held
# twice, as values and as JSON, until the Markdown stage ends (≈ 100 MB at 10,000 posts)
WRITE_AT = 1 << 22


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def environment_stamp() -> str:
    """What, besides the inputs, changes the cached results."""
    parts = [f"format={FORMAT}", f"python={sys.version_info[:2]}"]
    parts.append(f"hearth={version()}")
    parts += [f"{p}={_version(p)}" for p in ("markdown", "pygments", "regex", "jinja2")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:32]


class _Foreign(Exception):
    """A cache written by another version of Hearth or of its libraries."""


class BuildCache:
    """A small key → JSON store in one SQLite file, with an in-memory layer.

    `enabled=False` (--no-cache) keeps the in-memory layer only, so a single
    build still does each piece of work once. `writable=False` (check, which
    writes nothing) reads a cache that is there and never creates or changes one.
    A cache that cannot be used — `.hearth-cache` is a file, the disk is
    read-only or full, the file is damaged — never stops a build: it runs on
    the in-memory layer and `notice` says so, once.
    """

    def __init__(self, root: Path, enabled: bool = True, writable: bool = True):
        self.memory: dict[tuple[str, str], Any] = {}
        self.pending: dict[tuple[str, str], str] = {}
        self._pending_chars = 0
        self.db: sqlite3.Connection | None = None
        self.folder = root / CACHE_DIR
        self.path = self.folder / "cache.sqlite"
        self.writable = writable
        self.notice: str | None = None
        if enabled:
            self.db = self._open() if writable else self._open_read_only()

    def _say(self, message: str) -> None:
        if self.notice is None:
            self.notice = message

    def _open_read_only(self) -> sqlite3.Connection | None:
        if not self.path.is_file():
            return None
        db = None
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
            if row is not None and row[0] == environment_stamp():
                return db
        except sqlite3.Error:
            pass
        if db is not None:
            db.close()
        return None

    def _open(self) -> sqlite3.Connection | None:
        name = f"{CACHE_DIR}/"
        if self.folder.exists() and not self.folder.is_dir():
            self._say(f"{CACHE_DIR} is not a folder, so it is not Hearth's cache; it is left as it "
                      "is and this build runs without the cache")
            return None
        if self.path.exists() and not self.path.is_file():
            self._say(f"{name}cache.sqlite is not a file; this build runs without the cache")
            return None
        stamp = environment_stamp()
        for attempt in range(2):
            db = None
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=10)
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS entry (ns TEXT, key TEXT, value TEXT, "
                           "PRIMARY KEY (ns, key))")
                row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
                if row is None:
                    db.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
                    db.commit()
                elif row[0] != stamp:
                    raise _Foreign()
                return db
            except OSError as err:
                self._say(f"cannot write {name}: {err.strerror or err}; this build runs without "
                          "the cache")
                return None
            except sqlite3.OperationalError as err:    # read-only, full, locked: not damage
                if db is not None:
                    db.close()
                self._say(f"cannot use {name}cache.sqlite: {err}; this build runs without the cache")
                return None
            except (sqlite3.Error, _Foreign) as err:
                # damaged, or written by another version: start again, once
                if db is not None:
                    db.close()
                if not isinstance(err, _Foreign):
                    self._say(f"{name}cache.sqlite could not be read ({err}); a new cache is made")
                try:
                    self.path.unlink(missing_ok=True)
                except OSError:
                    return None
                if attempt:
                    return None
        return None

    def get(self, namespace: str, key: str, valid: Callable[[Any], bool] | None = None) -> Any:
        """The value stored, or None; with `valid`, a value of the wrong shape (a cache
        from elsewhere) counts as missing."""
        return self.get_many(namespace, [key], valid).get(key)

    def get_many(self, namespace: str, keys: list[str],
                 valid: Callable[[Any], bool] | None = None, keep: bool = True) -> dict[str, Any]:
        """Look up many keys at once (one query per chunk, not per key); `keep=False`:
        what the file gave is not kept in memory (the caller asks for it once)."""
        found = {k: self.memory[(namespace, k)] for k in keys if (namespace, k) in self.memory}
        missing = [k for k in keys if k not in found]
        if self.db is not None and missing:
            try:
                for start in range(0, len(missing), 500):
                    chunk = missing[start:start + 500]
                    marks = ",".join("?" * len(chunk))
                    for key, text in self.db.execute(
                            f"SELECT key, value FROM entry WHERE ns = ? AND key IN ({marks})",
                            [namespace, *chunk]):
                        try:
                            value = json.loads(text)
                        except (TypeError, ValueError):
                            value = None
                        if value is None or (valid is not None and not valid(value)):
                            self._say(f"{CACHE_DIR}/cache.sqlite holds entries Hearth did not "
                                      "write; they are ignored and made again")
                            continue
                        if keep:
                            self.memory[(namespace, key)] = value
                        found[key] = value
            except sqlite3.Error:
                pass
        return found

    def put(self, namespace: str, key: str, value: Any, keep: bool = True) -> None:
        """Store a value; `keep=False`: in the file only (with no file, the value is
        made again if asked for), not in memory too."""
        if keep:
            self.memory[(namespace, key)] = value
        if self.db is not None and self.writable:
            text = json.dumps(value, ensure_ascii=False)
            self.pending[(namespace, key)] = text
            self._pending_chars += len(text)
            if self._pending_chars > WRITE_AT:
                self._write(commit=False)

    def flush(self) -> None:
        self._write(commit=True)

    def _write(self, commit: bool) -> None:
        """The pending entries into the file; committed with `commit` (a write
        without it stays in the open transaction until the next flush)."""
        if self.db is None or not (self.pending or commit and self.db.in_transaction):
            self.pending.clear()
            self._pending_chars = 0
            return
        try:
            self.db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?, ?)",
                                [(ns, key, value) for (ns, key), value in self.pending.items()])
            if commit:
                self.db.commit()
        except sqlite3.Error as err:    # a full or read-only disk: the build goes on without
            self._say(f"cannot save to {CACHE_DIR}/cache.sqlite: {err}; the next build starts "
                      "without what this one learnt")
            with contextlib.suppress(sqlite3.Error):
                self.db.rollback()
        self.pending.clear()
        self._pending_chars = 0

    def close(self) -> None:
        self.flush()
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None
