"""The calendar model inside the `Site`: channel posts as placed on the schedule,
with the channels, events and campaigns they belong to. Frozen records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from ..calendar import Campaign, Channel, Channels, Event
from ..diagnostics import Diagnostic
from ..model import ChannelSpec, MediaRef, Post
from .schedule import Schedule


@dataclass(frozen=True)
class ChannelPost:
    """One post's text for one channel, filled in, checked and placed."""

    post: Post
    spec: ChannelSpec
    channel: Channel
    text: str                      # placeholders filled; a thread's parts joined by a blank line
    url: str                       # the post's absolute URL with the channel's UTM
    media: tuple[MediaRef, ...]
    at: datetime | None            # in the site zone; None: not placed
    count: int                     # a thread: its longest part's (what the limit is held to)
    limit: int | None
    unit: str
    problems: tuple[Diagnostic, ...] = ()
    parts: tuple[str, ...] = ()    # each post, filled: a thread's parts, or (text,)
    counts: tuple[int, ...] = ()   # each part's count, as its platform counts it

    def placed(self, at: datetime | None) -> ChannelPost:
        """This channel post at `at`: `dataclasses.replace(self, at=at)` without its walk
        over the fields (one per channel post of every build)."""
        moved = object.__new__(ChannelPost)
        moved.__dict__.update(self.__dict__, at=at)
        return moved

    @property
    def is_thread(self) -> bool:
        return bool(self.spec.thread)

    @property
    def id(self) -> str:
        return f"{self.channel.name}:{self.post.slug}"

    @property
    def revision(self) -> str:
        fields = [self.text, self.at.isoformat() if self.at else None, self.url,
                  [(m.path, m.alt) for m in self.media], self.post.campaign]
        if self.is_thread:
            fields.append(list(self.parts))   # where one part ends and the next begins
        payload = json.dumps(fields, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class CalendarModel:
    """calendar/ as the site sees it: channels, events, campaigns, and every
    channel post placed on the schedule."""

    channels: Channels
    events: tuple[Event, ...]              # every status
    campaigns: dict[str, Campaign]
    channel_posts: tuple[ChannelPost, ...]
    newsletter_posts: dict[str, tuple[Post, ...]]   # newsletter channel → opted-in posts
    schedule: Schedule
    diagnostics: tuple[Diagnostic, ...]
    public_media: frozenset[str] = frozenset()

    def queued(self, channel: str, now: datetime) -> list[ChannelPost]:
        """Every ready, unexpired item of a channel, past and future, by time."""
        items = [cp for cp in self.channel_posts if cp.channel.name == channel
                 and cp.post.status == "ready" and cp.at is not None
                 and (cp.post.expires is None or cp.post.expires > now)]
        return sorted(items, key=lambda cp: (cp.at, cp.post.path))

    def public_events(self) -> list[Event]:
        return [e for e in self.events if e.status == "ready"]
