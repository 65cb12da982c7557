"""The build cache, `.hearth-cache/`: work keyed by what it was made from.

Rendered Markdown, lint results and the output manifest, each keyed by a
content hash plus everything else that affects them (Hearth's and the
libraries' versions, the relevant settings). Values are JSON, never pickles:
a cache restored from elsewhere is data, not code. A cache written by another
version, or one that cannot be read, is thrown away and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import version

CACHE_DIR = ".hearth-cache"
FORMAT = 1


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


class BuildCache:
    """A small key → JSON store in one SQLite file, with an in-memory layer.

    `enabled=False` (--no-cache) keeps the in-memory layer only, so a single
    build still does each piece of work once.
    """

    def __init__(self, root: Path, enabled: bool = True):
        self.memory: dict[tuple[str, str], Any] = {}
        self.pending: dict[tuple[str, str], str] = {}
        self.db: sqlite3.Connection | None = None
        self.path = root / CACHE_DIR / "cache.sqlite"
        if enabled:
            self.db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        stamp = environment_stamp()
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path)
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS entry (ns TEXT, key TEXT, value TEXT, "
                           "PRIMARY KEY (ns, key))")
                row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
                if row is None:
                    db.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
                    db.commit()
                elif row[0] != stamp:
                    raise sqlite3.DatabaseError("written by another version")
                return db
            except sqlite3.Error:
                # corrupt, foreign or from another version: start again, once
                try:
                    db.close()  # type: ignore[possibly-undefined]
                except Exception:  # noqa: BLE001
                    pass
                self.path.unlink(missing_ok=True)
                if attempt:
                    return None
        return None

    def get(self, namespace: str, key: str) -> Any:
        slot = (namespace, key)
        if slot in self.memory:
            return self.memory[slot]
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value FROM entry WHERE ns = ? AND key = ?", slot).fetchone()
            value = json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None
        if value is not None:
            self.memory[slot] = value
        return value

    def get_many(self, namespace: str, keys: list[str]) -> dict[str, Any]:
        """Look up many keys at once (one query per chunk, not per key)."""
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
                        value = json.loads(text)
                        self.memory[(namespace, key)] = value
                        found[key] = value
            except (sqlite3.Error, ValueError):
                pass
        return found

    def put(self, namespace: str, key: str, value: Any) -> None:
        self.memory[(namespace, key)] = value
        if self.db is not None:
            self.pending[(namespace, key)] = json.dumps(value, ensure_ascii=False)

    def flush(self) -> None:
        if self.db is None or not self.pending:
            self.pending.clear()
            return
        try:
            self.db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?, ?)",
                                [(ns, key, value) for (ns, key), value in self.pending.items()])
            self.db.commit()
        except sqlite3.Error:
            pass
        self.pending.clear()

    def close(self) -> None:
        self.flush()
        if self.db is not None:
            self.db.close()
            self.db = None
