"""The one registry of channel kinds: what each platform allows and how Hearth shows it.

Counting, validation, queues, previews and the guidelines page all read this
table. Adding a kind means adding a row here (and, when the platform counts
text its own way, a counter in this package); nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindRules:
    """A platform's limits and looks, as the "Built-in channel kinds" table fixes them."""

    kind: str
    label: str                 # "Mastodon", "LinkedIn": how people write the name
    abbreviation: str          # the review grid's short lane label
    color: str                 # the platform's own colour, for chips and lanes
    limit: int | None          # text limit; None = unlimited
    unit: str                  # "characters", "graphemes", "weighted characters", ...
    max_bytes: int | None = None       # bluesky 3000
    max_media: int | None = None
    min_media: int = 0                 # instagram 1
    alt_required: bool = False
    alt_limit: int | None = None
    max_links: int | None = None
    max_hashtags: int | None = None
    media_noun: str = "media item"     # what its media are called in messages
    threads: bool = False              # a text may be a `thread:` of posts


KINDS: dict[str, KindRules] = {r.kind: r for r in (
    KindRules("mastodon", "Mastodon", "Mast", "#6364ff", 500, "characters", max_media=4,
              alt_limit=1500, media_noun="image", threads=True),
    KindRules("bluesky", "Bluesky", "Bsky", "#1185fe", 300, "graphemes", max_bytes=3000,
              max_media=4, alt_required=True, media_noun="image", threads=True),
    KindRules("x", "X", "X", "#0f1419", 280, "weighted characters", max_media=4, alt_limit=1000,
              media_noun="image", threads=True),
    KindRules("threads", "Threads", "Thr", "#5b5b5b", 500, "characters", max_media=10,
              max_links=5, max_hashtags=1, threads=True),
    KindRules("linkedin", "LinkedIn", "in", "#0a66c2", 3000, "characters", max_media=9,
              media_noun="image"),
    KindRules("instagram", "Instagram", "IG", "#c13584", 2200, "characters", max_media=10,
              min_media=1, max_hashtags=5),
    KindRules("facebook", "Facebook", "FB", "#1877f2", 63206, "characters", max_media=10),
    KindRules("discord", "Discord", "Disc", "#5865f2", 2000, "characters", max_media=10),
    KindRules("newsletter", "Newsletter", "News", "#b45309", None, "characters"),
)}

KIND_NAMES: tuple[str, ...] = tuple(KINDS)


def rules_for(kind: str) -> KindRules:
    """The kind's rules; an unknown kind has no limits and counts graphemes."""
    return KINDS.get(kind) or KindRules(kind, kind.title(), kind[:4], "#6b7280", None, "graphemes")


def channel_label(name: str, kind: str) -> str:
    """How a channel is named to people, on every page and in every message:
    `x` → "X", `mastodon` → "Mastodon"; a channel with a name of its own
    (`mastodon-fr`) keeps it."""
    return rules_for(kind).label if name == kind else name


# The kinds `hearth send` sends itself (send/<kind>.py); the others' queues are for another scheduler.
SENT_BY_HEARTH = ("bluesky", "mastodon", "discord", "newsletter")
