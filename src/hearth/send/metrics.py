"""`hearth metrics pull`: the numbers of what `send` posted, into calendar/metrics/.

For each Mastodon and Bluesky channel, the items the ledger
(`calendar/sent/<channel>.jsonl`) records as sent are looked up by their
remote ids, and one generic metrics CSV per channel is rewritten:
`calendar/metrics/hearth-<channel>.csv` (docs/metrics.md, "Generic CSV"),
which `hearth report` already reads. It is the only command that asks a
platform for numbers; a build never does.

engagements = likes (favourites) + reposts (reblogs) + replies (+ quotes on
Bluesky), summed over the parts of a thread, without the replies that are
the thread's own next parts. Neither API gives impressions or link clicks
to the poster, so those cells stay empty (read as 0).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from . import bluesky, mastodon
from ..load.ledger import read_channel_ledger
from .base import SendFailed, SendUncertain
from .run import SECRET_FIELDS, secret_name

KINDS = ("mastodon", "bluesky")
COLUMNS = ("id", "url", "channel", "date", "impressions", "engagements", "clicks")
METRICS_DIR = "calendar/metrics"


@dataclass(frozen=True)
class SentItem:
    id: str
    sent_at: str
    ids: tuple[str, ...]
    urls: tuple[str, ...]


@dataclass
class Pulled:
    """What one pull did: files written, and problems in the platform's words."""

    written: list[tuple[str, int]] = field(default_factory=list)     # (relpath, rows)
    failures: list[str] = field(default_factory=list)    # a channel or a post: exit 1
    warnings: list[str] = field(default_factory=list)    # e.g. a post deleted since
    missing: list[str] = field(default_factory=list)     # env variables: exit 2


def social_channels(root: Path) -> dict[str, dict[str, Any]]:
    """The Mastodon and Bluesky channels of calendar/channels.yml with their settings."""
    path = root / "calendar" / "channels.yml"
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    raw = meta.get("channels") if isinstance(meta, dict) else None
    found = {}
    for name, settings in (raw or {}).items() if isinstance(raw, dict) else ():
        settings = settings if isinstance(settings, dict) else {}
        kind = settings.get("kind") or str(name)
        if kind in KINDS:
            found[str(name)] = {**settings, "kind": kind}
    return found


def sent_items(root: Path, channel: str) -> list[SentItem]:
    """Items whose last ledger line is `sent` with remote ids, in the order of those lines."""
    entries, _, _ = read_channel_ledger(root, channel)   # the loader's own reading of the ledger
    items = []
    for entry in sorted(entries.values(), key=lambda e: e.line):
        remote = entry.remote or {}
        ids = tuple(str(i) for i in (remote.get("ids") or ()) if i)
        if entry.state == "sent" and ids:
            items.append(SentItem(entry.id, str(entry.sent_at or entry.at or ""), ids,
                                  tuple(str(u) for u in remote.get("urls") or ())))
    return items


def pull(root: Path, env: Mapping[str, str], only: tuple[str, ...] = ()) -> Pulled:
    result = Pulled()
    channels = social_channels(root)
    jobs = []
    for name, settings in channels.items():
        if only and name not in only:
            continue
        items = sent_items(root, name)
        if not items:
            continue
        names = {f: secret_name(name, f) for f in SECRET_FIELDS[settings["kind"]]}
        missing = [v for v in names.values() if not env.get(v)]
        result.missing.extend(missing)
        jobs.append((name, settings, items, {f: env.get(v, "") for f, v in names.items()}))
    if result.missing:
        return result
    for name, settings, items, secrets in jobs:
        try:
            engagements = _numbers(name, settings, items, secrets, result)
        except (SendFailed, SendUncertain) as err:
            result.failures.append(f"{name}: {getattr(err, 'message', str(err))}")
            continue
        rows = [{"id": item.id, "url": item.urls[0] if item.urls else "", "channel": name,
                 "date": item.sent_at[:10], "impressions": "", "engagements": engagements[item.id],
                 "clicks": ""} for item in items if item.id in engagements]
        relpath = f"{METRICS_DIR}/hearth-{name}.csv"
        _write(root / relpath, rows)
        result.written.append((relpath, len(rows)))
    return result


def _numbers(name: str, settings: Mapping[str, Any], items: list[SentItem],
             secrets: Mapping[str, str], result: Pulled) -> dict[str, int]:
    totals: dict[str, int] = {}
    if settings["kind"] == "mastodon":
        sender = mastodon.make_sender(name, settings, secrets)
        for item in items:
            total = 0
            for index, status_id in enumerate(item.ids):
                try:
                    n = sender.numbers(status_id)
                except SendFailed as err:
                    if err.message.startswith("404 "):
                        result.warnings.append(f"{name}: {item.id}: {err.message} (deleted?)")
                        break
                    raise
                own_reply = 1 if index < len(item.ids) - 1 else 0
                total += n["favourites"] + n["reblogs"] + max(0, n["replies"] - own_reply)
            else:
                totals[item.id] = total
        return totals
    sender = bluesky.make_sender(name, settings, secrets)
    counts = sender.numbers([uri for item in items for uri in item.ids])
    for item in items:
        if not all(uri in counts for uri in item.ids):
            result.warnings.append(f"{name}: {item.id}: not found by app.bsky.feed.getPosts "
                                   "(deleted?)")
            continue
        totals[item.id] = sum(
            c["likes"] + c["reposts"] + c["quotes"]
            + max(0, c["replies"] - (1 if index < len(item.ids) - 1 else 0))
            for index, c in enumerate(counts[uri] for uri in item.ids))
    return totals


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    """Rewrite the channel's file at once (a temp file, then a rename): never half a file."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: r["id"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".hearth-", suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(out.getvalue())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
