"""The records Hearth builds from a hub's files: frozen, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .source import Located, SourceDoc

# the front-matter keys a post's summary is read from, the first one set:
# Hearth's own, then Hugo's and Zola's `description`
SUMMARY_KEYS = ("summary", "description")

STATUSES = ("draft", "review", "ready")


@dataclass(frozen=True, slots=True)
class MediaRef:
    path: str             # relative to content/, e.g. media/meetup.jpg
    alt: str | None


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """What a post asks of one channel (its front-matter `channels:` entry)."""

    channel: str
    text: Located | None          # before placeholders are filled; None for `newsletter: true`
    at: datetime | None           # explicit time, or None: first free slot
    media: tuple[MediaRef, ...]
    line: int
    thread: tuple[Located, ...] = ()   # `thread: [part, …]`: every part; `text` is the first

    @property
    def texts(self) -> tuple[Located, ...]:
        """Each post it asks for: the thread's parts, or its one text."""
        if self.thread:
            return self.thread
        return (self.text,) if self.text is not None else ()


@dataclass(frozen=True, slots=True)
class Author:
    """One author of a post: a plain name (feeds, the report, `<meta name=author>`),
    the link when one was given, and what the byline shows (safe inline HTML)."""

    name: str
    url: str | None
    html: str


@dataclass(frozen=True, slots=True)
class Post:
    """A post or a page: a Markdown file with front matter."""

    doc: SourceDoc
    kind: str                     # "post" | "page" | "guideline"
    slug: str
    title: str
    date: datetime | None         # aware; pages may have none
    status: str
    author: str | None
    tags: tuple[str, ...]
    summary: str | None
    image: MediaRef | None
    campaign: str | None
    lang: str
    expires: datetime | None
    channels: tuple[ChannelSpec, ...]
    extra: dict[str, Any] = field(default_factory=dict)   # unknown keys, for templates
    order: int = 0                # pages/guidelines: `weight`-like order from front matter
    authors: tuple[Author, ...] = ()   # `author` and `authors`, each name once; `author` joins them

    @property
    def path(self) -> str:
        return self.doc.path

    def is_public(self, now: datetime) -> bool:
        """Ready, its date has come, not expired: the only posts the hub shows."""
        if self.status != "ready":
            return False
        if self.date is not None and self.date > now:
            return False
        return self.expires is None or self.expires > now
