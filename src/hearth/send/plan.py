"""Which queue items `hearth send` acts on, and what it sends for each. Pure:
the model and the ledger (as loaded into `Sources`) in, decisions out.

An item is due when its `at` has come. Then, by its ledger state:
- none, or `failed` (the platform refused; nothing was posted): sent, unless
  it is more than the channel's `late` old: then it is missed (reported once,
  recorded as `failed` with a `missed:` error, never sent late);
- `sent`: never again; a warning (on every run) if its revision changed
  since: edited after it was sent;
- `pending` (the run died mid-request) or `uncertain`: the platform is asked
  whether it arrived (`Sender.find`) before anything else; never resent blindly.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from ..assemble.calendar_model import ChannelPost
from ..assemble.site import Site
from ..calendar import Channel
from ..channels import bluesky
from ..channels.kinds import SENT_BY_HEARTH
from ..load.ledger import Ledger, LedgerEntry
from ..plan.newsletter import newsletter_items
from ..plan.queues import queue_item
from .base import Media, Outgoing

MISSED = "missed: "          # the error of a missed item's `failed` line


@dataclass(frozen=True)
class Decision:
    """What to do with one due item."""

    channel: Channel
    item: Mapping[str, Any]         # the queue item (queue_item / newsletter_items)
    action: str                     # send | check | missed | edited | done
    reason: str = ""
    entry: LedgerEntry | None = None

    @property
    def id(self) -> str:
        return self.item["id"]

    @property
    def revision(self) -> str:
        return self.item["revision"]

    @property
    def at(self) -> datetime:
        return datetime.fromisoformat(self.item["at"])

    @property
    def key(self) -> str:
        """The idempotency key: the attempt's id + revision (an uncertain item keeps its own)."""
        revision = self.entry.revision if self.action == "check" and self.entry else self.revision
        return idempotency_key(self.id, revision)


def idempotency_key(item_id: str, revision: str) -> str:
    return hashlib.sha256(f"{item_id}\n{revision}".encode()).hexdigest()[:32]


def channel_items(site: Site, channel: Channel, now: datetime) -> list[dict[str, Any]]:
    """A channel's queue items, exactly as its queue file lists them."""
    if channel.kind == "newsletter":
        return newsletter_items(site, channel)
    return [queue_item(site, cp) for cp in site.calendar.queued(channel.name, now)]


def due_items(site: Site, ledger: Ledger, now: datetime,
              channels: tuple[str, ...] | None = None) -> list[Decision]:
    """Every due item of the channels Hearth sends (or only `channels`), with what to do."""
    decisions = []
    for channel in site.calendar.channels:
        if channels and channel.name not in channels:
            continue
        if channel.kind not in SENT_BY_HEARTH:
            continue
        for item in channel_items(site, channel, now):
            at = datetime.fromisoformat(item["at"])
            if at > now:
                continue
            decisions.append(decide(channel, item, ledger.get(channel.name, item["id"]), now))
    return sorted(decisions, key=lambda d: (d.at, d.channel.name, d.id))


def decide(channel: Channel, item: Mapping[str, Any], entry: LedgerEntry | None,
           now: datetime) -> Decision:
    at = datetime.fromisoformat(item["at"])
    if entry is not None and entry.state == "sent":
        if entry.revision != item["revision"]:
            return Decision(channel, item, "edited", "edited after it was sent; not sent again",
                            entry)
        return Decision(channel, item, "done", "already sent", entry)
    if entry is not None and entry.state in ("pending", "uncertain"):
        return Decision(channel, item, "check", "a request went out and no answer came", entry)
    if entry is not None and entry.state == "failed" and (entry.error or "").startswith(MISSED):
        return Decision(channel, item, "done", "missed earlier", entry)
    late = channel.send.late
    if now - at > late:
        return Decision(channel, item, "missed",
                        f"due {at.isoformat(timespec='minutes')}, more than {human(late)} ago "
                        "(the channel's `late`); not sent late", entry)
    return Decision(channel, item, "send", "", entry)


def human(delta: Any) -> str:
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    text = "".join(f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n)
    return text or f"{seconds}s"


def _media(site: Site, path: str | None, alt: str | None) -> Media | None:
    if not path or "://" in path:
        return None                 # a remote image is never fetched
    file = site.settings.root / "content" / path
    return Media(file, alt or None, mimetypes.guess_type(file.name)[0] or "application/octet-stream")


def outgoing(site: Site, decision: Decision, digests: Mapping[str, tuple[str, str]] | None = None
             ) -> Outgoing:
    """The item as a sender gets it: texts, media, the post's card, the channel's settings.
    `digests`: a newsletter item's (html, text), by item id (rendered by the runner)."""
    channel, item = decision.channel, decision.item
    parts = tuple(item.get("parts") or (item["text"],))
    posts: dict[str, ChannelPost] = {cp.id: cp for cp in site.calendar.channel_posts}
    cp = posts.get(item["id"])
    post = cp.post if cp is not None else None
    media = tuple(m for m in (_media(site, x.get("path"), x.get("alt")) for x in item.get("media", ()))
                  if m is not None)
    facets: tuple[tuple[dict, ...], ...] = ()
    if channel.kind == "bluesky":
        facets = tuple(tuple(bluesky.facets(part)) for part in parts)
    html, plain = (digests or {}).get(item["id"], (None, None))
    return Outgoing(
        channel=channel.name, kind=channel.kind, id=item["id"], revision=item["revision"],
        at=datetime.fromisoformat(item["at"]), parts=parts, facets=facets, media=media,
        url=item.get("url") or "", title=post.title if post else (item.get("subject") or ""),
        summary=(site.summary(post) or "") if post else "",
        image=_media(site, post.image.path, post.image.alt) if post and post.image else None,
        lang=post.lang if post else site.settings.site.language,
        settings=channel.send.as_mapping(), subject=item.get("subject"), html=html, plain=plain)
