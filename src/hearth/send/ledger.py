"""Writing the send ledger, calendar/sent/<channel>.jsonl, and the lock that
keeps two `hearth send` runs on one checkout apart.

Every line is appended whole, flushed and fsynced before the request it
announces goes out (`pending`) and after its outcome (`sent`, `failed`,
`uncertain`), so a run killed at any moment leaves at worst a torn last
line, which reading ignores (load/ledger.py) and the next append cuts off.
Nothing secret is ever written here: the records hold ids, URLs and the
platform's words, scrubbed of the secrets by the runner.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from ..load.ledger import SENT_DIR, ledger_path, read_channel_ledger

LOCK_FILE = f"{SENT_DIR}/.lock"


class Busy(Exception):
    """Another `hearth send` holds the lock."""


class Lock:
    """`calendar/sent/.lock`, held with flock for the whole run (released by the
    kernel when the process dies, however it dies). Non-blocking: a second run
    refuses at once rather than queueing behind the first."""

    def __init__(self, root: Path):
        self.path = root / LOCK_FILE
        self.fd: int | None = None

    def __enter__(self) -> "Lock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise Busy() from None
        self.fd = fd
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class LedgerFile:
    """One channel's ledger, opened for appending (under the lock)."""

    def __init__(self, root: Path, channel: str):
        self.root = root
        self.channel = channel
        self.path = root / ledger_path(channel)
        self._fd: int | None = None

    def _open(self) -> int:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _, _, good_end = read_channel_ledger(self.root, self.channel)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
            if os.fstat(fd).st_size > good_end:      # a torn last line: cut it off
                os.ftruncate(fd, good_end)
            self._fd = fd
        return self._fd

    def append(self, record: Mapping[str, Any]) -> None:
        line = json.dumps(dict(record), ensure_ascii=False, sort_keys=False) + "\n"
        fd = self._open()
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def record(item_id: str, revision: str, at: datetime, now: datetime, state: str,
           remote: Mapping[str, Any] | None = None, error: str | None = None) -> dict[str, Any]:
    """One ledger line, in the contract's field order."""
    return {"id": item_id, "revision": revision, "at": stamp(at), "sent_at": stamp(now),
            "state": state, "remote": dict(remote) if remote is not None else None, "error": error}
