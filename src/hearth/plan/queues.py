"""Planning the channel queues: `queues/<channel>.json` for schedulers and
Buffer's bulk-upload CSV. Pure.

The JSON lists every ready, unexpired item, past and future (a scheduler
sends what is due and not yet sent, by id). The CSV is uploaded by hand, so
it holds only the items still to come (`at` after the build's now: a bulk
upload of past items would post them again), at most `BUFFER_ROWS` rows per
file: `<channel>.csv`, `<channel>-2.csv`, … `<channel>.csv` is always
written, with the header only when nothing is to come, so a script that
uploads it never finds a stale file from an earlier build.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, TypeVar

from ..assemble.calendar_model import ChannelPost
from ..channels import bluesky
from ..assemble.site import Site
from ..calendar import Channel
from ..dates import day_start
from .context import media_url
from .outputs import Output

BUFFER_ROWS = 100           # Buffer takes at most 100 posts per bulk upload
BUFFER_COLUMNS = ["Text", "Image URL", "Tags", "Posting Time"]
T = TypeVar("T")


def iso(moment: datetime) -> str:
    return moment.isoformat()


def queue_item(site: Site, cp: ChannelPost) -> dict[str, Any]:
    """The one place a queue item is made (queue files and `hearth queue`)."""
    base = site.settings.site.base_url
    item: dict[str, Any] = {"id": cp.id, "revision": cp.revision, "at": iso(cp.at)}
    if cp.is_thread:
        item["parts"] = list(cp.parts)     # a chain of replies; media go with the first part
    else:
        item["text"] = cp.text
    item.update({"url": cp.url,
                 "media": [{"path": m.path, "alt": m.alt,
                            "url": media_url(base, site.media_path(m.path))} for m in cp.media],
                 "source": cp.post.path, "campaign": cp.post.campaign})
    if cp.channel.kind == "bluesky":
        # rich-text facets (UTF-8 byte offsets), so any scheduler posts working links;
        # a thread's are a list per part, each with offsets into its own part
        item["facets"] = ([bluesky.facets(part) for part in cp.parts] if cp.is_thread
                          else bluesky.facets(cp.text))
    return item


def generated_stamp(site: Site) -> str:
    """The day of the build's now (its 00:00 in the site's zone, in UTC): a queue
    changes once a day, not at every hourly build that has nothing new in it."""
    start = day_start(site.now, site.settings.site.zone)
    return start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan_queues(site: Site) -> list[Output]:
    """A channel's files are made when asked for (`data` is a function): the build
    hashes them and writes them at once, so a queue of 10,000 items is never held
    as items and bytes through the whole build."""
    calendar = site.calendar
    outputs = []
    deps = frozenset({"*"})
    for channel in calendar.channels:
        if channel.kind == "newsletter":
            continue            # planned by plan_newsletters
        outputs.append(Output(f"queues/{channel.name}.json",
                              data=lambda channel=channel: queue_json(site, channel), deps=deps))
        to_come = [cp for cp in calendar.queued(channel.name, site.now) if cp.at > site.now]
        for path, chunk in buffer_files(channel.name, to_come):
            outputs.append(Output(path, data=lambda chunk=chunk: _buffer_csv(
                site, [queue_item(site, cp) for cp in chunk]), deps=deps))
    return outputs


def queue_json(site: Site, channel: Channel) -> bytes:
    """`queues/<channel>.json`: every ready, unexpired item of the channel."""
    items = Members(lambda: (queue_item(site, cp)
                             for cp in site.calendar.queued(channel.name, site.now)))
    return json_bytes({"channel": channel.name, "kind": channel.kind,
                       "generated": generated_stamp(site), "items": items})


class Members:
    """A JSON array whose members are made one at a time as `json_bytes` writes
    them, each written and let go before the next is made: a queue of 10,000
    items is never held as items (nor as the writer's pieces of all of them:
    some 80 MB at 10,000 posts, for 8 MB of JSON). Each member is written as
    UTF-8 bytes (`json_bytes` joins them)."""

    def __init__(self, members: Callable[[], Iterable[Any]]):
        self.members = members      # made anew each time the array is written


def buffer_notices(site: Site) -> list[str]:
    """What the Buffer CSVs leave out: a thread to come is one row of its first part
    (Buffer's bulk upload has no thread column), so the writer adds the rest by hand."""
    notes = []
    calendar = site.calendar
    for channel in calendar.channels:
        if channel.kind == "newsletter":
            continue
        for cp in calendar.queued(channel.name, site.now):
            if cp.is_thread and len(cp.parts) > 1 and cp.at > site.now:
                rest = "part 2 as a reply" if len(cp.parts) == 2 else \
                    f"parts 2–{len(cp.parts)} as replies"
                notes.append(f"queues/{channel.name}.csv: Buffer's bulk CSV has no threads; "
                             f"{cp.id} holds its first part only (add {rest} in Buffer)")
    return notes


def buffer_files(channel: str, items: list[T]) -> list[tuple[str, list[T]]]:
    """(path, items) of each Buffer CSV: `<channel>.csv` (always, maybe empty),
    then `<channel>-2.csv`, `<channel>-3.csv`, … of at most BUFFER_ROWS items."""
    chunks = [items[i:i + BUFFER_ROWS] for i in range(0, len(items), BUFFER_ROWS)] or [[]]
    return [(f"queues/{channel}.csv" if n == 1 else f"queues/{channel}-{n}.csv", chunk)
            for n, chunk in enumerate(chunks, start=1)]


def json_bytes(document: Any) -> bytes:
    """`json.dumps(document, ensure_ascii=False, indent=2)` and a newline, byte for byte.
    The standard library indents in pure Python, through a generator per level
    (0.05 s per 1,000 queue items); this writes the same text with one list of
    pieces, strings escaped by its C escaper."""
    pieces: list[str | bytes] = []
    try:
        _indented(document, "\n", pieces)
    except TypeError:       # a value this writer does not know: the library decides
        return (json.dumps(_plain(document), ensure_ascii=False, indent=2) + "\n").encode()
    pieces.append("\n")
    return b"".join(p if isinstance(p, bytes) else p.encode() for p in pieces)


_quoted = json.encoder.encode_basestring      # ensure_ascii=False's escaper (C when available)
_FLOATS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def _indented(value: Any, newline: str, out: list[str | bytes]) -> None:
    """Append `value` as json.dumps(indent=2) writes it; `newline`: a line break and
    the current indentation. The checks run in the library's order (str first, a
    bool before an int)."""
    if isinstance(value, str):
        out.append(_quoted(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append("NaN" if value != value else _FLOATS.get(value) or float.__repr__(value))
    elif isinstance(value, Members):
        inner, opened = newline + "  ", False
        for member in value.members():
            pieces = ["," + inner if opened else "[" + inner]
            _indented(member, inner, pieces)
            out.append("".join(pieces).encode())   # UTF-8 at once: the text of one
            opened = True                           # emoji would make the whole 4 bytes a char
        out.append(newline + "]" if opened else "[]")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[")
        for n, member in enumerate(value):
            out.append(inner if not n else "," + inner)
            _indented(member, inner, out)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        out.append("{")
        for n, (key, member) in enumerate(value.items()):
            if not isinstance(key, str):
                raise TypeError(key)            # int, float, bool, None keys: the library's rules
            out.append((inner if not n else "," + inner) + _quoted(key) + ": ")
            _indented(member, inner, out)
        out.append(newline + "}")
    else:
        raise TypeError(value)


def _plain(value: Any) -> Any:
    """`value` with its `Members` made lists, for the library's writer."""
    if isinstance(value, Members):
        return [_plain(v) for v in value.members()]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _buffer_csv(site: Site, items: list[dict]) -> bytes:
    """Buffer's bulk-upload columns; Posting Time in the site's zone, as Buffer reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BUFFER_COLUMNS)
    zone = site.settings.site.zone
    for item in items:
        at = datetime.fromisoformat(item["at"]).astimezone(zone)
        text = item["text"] if "text" in item else item["parts"][0]   # no threads in Buffer's CSV
        writer.writerow([text, item["media"][0]["url"] if item["media"] else "",
                         item["campaign"] or "", at.strftime("%Y-%m-%d %H:%M")])
    return out.getvalue().encode()
