"""Loading the send ledger: calendar/sent/<channel>.jsonl → each item's state.

One JSON object a line, appended by `hearth send` (see send/ledger.py, the
only writer): `id, revision, at, sent_at, state, remote, error`. An item's
last line is its state. A last line cut short (a killed run) is ignored
with one warning; any other unreadable line is a warning at its line too,
and reading goes on. Planning reads the ledger from `Sources`, never the files.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..diagnostics import Diagnostic, diagnostic

SENT_DIR = "calendar/sent"
STATES = ("pending", "sent", "failed", "uncertain")


@dataclass(frozen=True)
class LedgerEntry:
    """An item's last line in its channel's ledger."""

    channel: str
    id: str
    revision: str
    at: str | None                 # the item's time when it was sent (ISO)
    sent_at: str | None            # when this line was written (ISO, UTC)
    state: str                     # pending | sent | failed | uncertain
    remote: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)
    error: str | None = None
    line: int = 0

    @property
    def urls(self) -> tuple[str, ...]:
        urls = (self.remote or {}).get("urls") or ()
        return tuple(u for u in urls if isinstance(u, str) and u)


@dataclass(frozen=True)
class Ledger:
    """Every channel's items by id (their last line)."""

    items: Mapping[str, Mapping[str, LedgerEntry]] = field(default_factory=dict, hash=False)
    diagnostics: tuple[Diagnostic, ...] = ()

    def get(self, channel: str, item_id: str) -> LedgerEntry | None:
        return self.items.get(channel, {}).get(item_id)

    def sent(self, channel: str | None = None) -> list[LedgerEntry]:
        return [e for name, entries in sorted(self.items.items()) if channel in (None, name)
                for e in entries.values() if e.state == "sent"]


def ledger_path(channel: str) -> str:
    return f"{SENT_DIR}/{channel}.jsonl"


def read_channel_ledger(root: Path, channel: str) -> tuple[dict[str, LedgerEntry], list[Diagnostic], int]:
    """(items by id, warnings, the byte length of the readable part: where a torn last line starts)."""
    rel = ledger_path(channel)
    path = root / rel
    try:
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
    except OSError as err:
        return {}, [diagnostic(rel, 1, 1, "warning", f"cannot read the ledger: {err.strerror}",
                               "ledger")], 0
    items: dict[str, LedgerEntry] = {}
    problems: list[Diagnostic] = []
    good_end = len(data)
    lines = data.split(b"\n")
    torn_tail = not data.endswith(b"\n") and lines[-1] != b""
    offset = 0
    for number, raw in enumerate(lines, start=1):
        last = number == len(lines)
        start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        entry = _entry(channel, raw, number)
        if entry is None:
            if last and torn_tail:
                good_end = start
                problems.append(diagnostic(rel, number, 1, "warning",
                                           "the last line is cut short (a send was killed "
                                           "while writing it); ignored", "ledger"))
            else:
                problems.append(diagnostic(rel, number, 1, "warning",
                                           "not a ledger line (a JSON object with id, revision "
                                           "and state); ignored", "ledger"))
            continue
        items[entry.id] = entry
    return items, problems, good_end


def _entry(channel: str, raw: bytes, number: int) -> LedgerEntry | None:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) \
            or obj.get("state") not in STATES or not isinstance(obj.get("revision"), str):
        return None
    remote = obj.get("remote") if isinstance(obj.get("remote"), dict) else None
    text = (lambda key: obj[key] if isinstance(obj.get(key), str) else None)
    return LedgerEntry(channel, obj["id"], obj["revision"], text("at"), text("sent_at"),
                       obj["state"], remote, text("error"), number)


def read_ledger(root: Path) -> Ledger:
    """Every calendar/sent/*.jsonl; a missing folder is an empty ledger."""
    folder = root / SENT_DIR
    if not folder.is_dir() or folder.is_symlink():
        return Ledger()
    items: dict[str, dict[str, LedgerEntry]] = {}
    problems: list[Diagnostic] = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".jsonl") and not name.startswith("."):
            channel = name[:-len(".jsonl")]
            items[channel], found, _ = read_channel_ledger(root, channel)
            problems += found
    return Ledger(items, tuple(problems))
