"""What every sender shares: the item to send, the platform's answer, the two
ways a send goes wrong, and the `Sender` protocol each `send/<kind>.py` meets
with its `make_sender(channel, settings, secrets)`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Mapping, Protocol


@dataclass(frozen=True)
class Media:
    path: Path          # the file on disk (hub root / "content" / media path)
    alt: str | None
    mime: str           # mimetypes.guess_type


@dataclass(frozen=True)
class Outgoing:
    """One due queue item, ready to send."""

    channel: str        # channel name, e.g. "mastodon-fr"
    kind: str           # "bluesky" | "mastodon" | "discord" | "newsletter"
    id: str             # queue item id (stable), e.g. "mastodon:spring-meetup"
    revision: str
    at: datetime        # aware
    parts: tuple[str, ...]                  # the text; a thread has several parts, else one
    facets: tuple[tuple[dict, ...], ...]    # bluesky: the facets of each part; else ()
    media: tuple[Media, ...]                # attached to the first part
    url: str            # the hub post's URL with UTM
    title: str          # the hub post's title (link card)
    summary: str        # the hub post's summary (link card)
    image: Media | None # the hub post's image (link card thumbnail), from disk, never fetched
    lang: str | None    # the post's language (bluesky `langs`, mastodon `language`)
    settings: Mapping[str, Any]             # the channel's settings from channels.yml
    subject: str | None = None              # newsletter
    html: str | None = None                 # newsletter: the digest's HTML
    plain: str | None = None                # newsletter: the digest's text part


@dataclass(frozen=True)
class Remote:
    """What the platform answered: one id and URL per part sent."""

    ids: tuple[str, ...]
    urls: tuple[str, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)   # e.g. bluesky cids, uris


class SendFailed(Exception):
    """The platform refused (4xx, bad secret...) or kept failing: `message` is
    the platform's own words. `retryable` (429, 5xx): the core tries again,
    after `retry_after` seconds when the platform said so."""

    def __init__(self, message: str, retryable: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after


class SendUncertain(Exception):
    """The request went out and no answer came (timeout, connection reset after sending)."""


class Sender(Protocol):
    def send(self, item: Outgoing, key: str) -> Remote:
        """Send `item`; `key` is the idempotency key (stable per id + revision)."""
        ...

    def find(self, item: Outgoing, key: str) -> Remote | None:
        """After an uncertain send: did it arrive? None: not found, or no way to know."""
        ...


def retry_after_seconds(value: str | None) -> float | None:
    """An HTTP `Retry-After` value (seconds, or an HTTP date) as seconds from now."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
