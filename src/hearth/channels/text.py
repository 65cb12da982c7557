"""Count and check a social-post text the way each platform counts it.

Pure functions, no I/O. The rules are the "Built-in channel kinds" table of
the design:

- mastodon: 500 characters (grapheme clusters, as Mastodon's server counts
  them); every http(s) URL counts 23; a mention ``@user@domain`` counts only
  as ``@user``.
- bluesky: 300 graphemes and 3000 UTF-8 bytes; URLs count in full.
- x: 280 weighted characters per twitter-text v3: the text is NFC-normalized;
  code points in U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F and
  U+2032-U+2037 weigh 1, every other code point 2; an emoji (including ZWJ
  sequences, flags, keycaps and skin tones) weighs 2 as a whole; any URL
  weighs 23.
- threads: 500 characters; an emoji counts its UTF-8 bytes.
- linkedin, instagram, facebook, discord: characters (grapheme clusters).
- newsletter: no limit.

URLs are ``https?://`` followed by non-space, trimmed of trailing
punctuation (a closing bracket is kept when it balances one in the URL).
Bare domains are not links here.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import regex

from . import bluesky, mastodon, x
from .kinds import KINDS, KindRules, rules_for

__all__ = [
    "KindRules", "KINDS", "TextProblem", "rules_for", "count", "check",
    "hashtags", "links", "mentions", "emoji", "graphemes",
]


# twitter-text v3 configuration.
_X_SCALE = 100
_X_DEFAULT_WEIGHT = 200
_X_RANGES = ((0, 4351, 100), (8192, 8205, 100), (8208, 8223, 100), (8242, 8247, 100))
_X_EMOJI_WEIGHT = 200
_X_URL_LENGTH = 23
_MASTODON_URL_LENGTH = 23


@dataclass(frozen=True)
class TextProblem:
    message: str        # e.g. "x text is 291 weighted characters; the limit is 280"
    offset: int | None  # character offset in `text` where the problem starts, or None


# --- recognizers ------------------------------------------------------------

_GRAPHEME = regex.compile(r"\X")
_URL = regex.compile(r"https?://\S+", regex.IGNORECASE)
_URL_TRAILING = ".,;:!?)]'\""
_CLOSERS = {")": "(", "]": "["}
_HASHTAG = regex.compile(r"(?<![\w&])#(\w+)")
_MENTION = regex.compile(
    r"(?<![=/\w])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)(?:@(\w(?:[\w.-]*\w)?))?")

_ELEMENT = r"(?:\p{Emoji_Presentation}|\p{Extended_Pictographic})(?:\uFE0F|\p{Emoji_Modifier})?"
_EMOJI = regex.compile(
    r"\p{Regional_Indicator}{1,2}"                         # flags (and a lone indicator)
    r"|[0-9#*]\uFE0F?\u20E3"                               # keycaps
    r"|\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"       # subdivision flags
    rf"|{_ELEMENT}(?:\u200D{_ELEMENT})*"                   # single emoji and ZWJ sequences
)
# A pictographic character shown as text by default (©, ☺, ❤) is an emoji only
# with one of these: emoji presentation, VS16, a skin tone, or a ZWJ.
_EMOJI_MARKER = regex.compile(r"\p{Emoji_Presentation}|\p{Emoji_Modifier}|\p{Regional_Indicator}"
                              r"|[\uFE0F\u20E3\u200D\U000E007F]")


def _emoji_prefix(cluster: str) -> int:
    """Length of the emoji the grapheme cluster starts with, or 0."""
    m = _EMOJI.match(cluster)
    if m is None or not _EMOJI_MARKER.search(m.group()):
        return 0
    return m.end()


def _is_emoji(cluster: str) -> bool:
    return _emoji_prefix(cluster) == len(cluster) > 0


def graphemes(text: str) -> list[str]:
    """The text's extended grapheme clusters."""
    return _GRAPHEME.findall(text)


def link_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _URL.finditer(text):
        url = m.group()
        while url and url[-1] in _URL_TRAILING:
            last = url[-1]
            if last in _CLOSERS and url.count(_CLOSERS[last]) >= url.count(last):
                break  # balanced, as in https://en.wikipedia.org/wiki/Foo_(bar)
            url = url[:-1]
        if len(url) > url.index("://") + 3:
            spans.append((m.start(), m.start() + len(url)))
    return spans


def platform_link_spans(kind: str, text: str) -> list[tuple[int, int]]:
    """The URLs the platform itself links in `text` (what a preview shows as links)."""
    if kind == "x":
        return x.url_spans(text)
    if kind == "mastodon":
        return [(e.start, e.end) for e in mastodon.url_entities(text)]
    if kind == "bluesky":
        raw = text.encode("utf-8", "surrogatepass")
        spans = []
        for facet in bluesky.facets(text):
            if facet["features"][0]["$type"].endswith("#link"):
                start = len(raw[:facet["index"]["byteStart"]].decode("utf-8", "surrogatepass"))
                end = len(raw[:facet["index"]["byteEnd"]].decode("utf-8", "surrogatepass"))
                spans.append((start, end))
        return spans
    return link_spans(text)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def hashtag_matches(text: str) -> list[regex.Match]:
    urls = link_spans(text)
    return [m for m in _HASHTAG.finditer(text)
            if not m.group(1).isdigit() and not _inside(m.start(), urls)]


def mention_matches(text: str, urls: list[tuple[int, int]] | None = None) -> list[regex.Match]:
    """Mentions that neither start nor end inside a URL."""
    urls = link_spans(text) if urls is None else urls
    return [m for m in _MENTION.finditer(text) if not _overlaps(m.start(), m.end(), urls)]


def links(text: str) -> list[str]:
    """The http(s) URLs in the text, in order."""
    return [text[s:e] for s, e in link_spans(text)]


def hashtags(text: str) -> list[str]:
    """The hashtags in the text with their `#` (`#giardinaggio`, `#сад`), in order.

    A hashtag is `#` and word characters, not all digits, not right after a
    word character or `&`, and not inside a URL.
    """
    return [m.group() for m in hashtag_matches(text)]


def mentions(text: str) -> list[str]:
    """The mentions in the text (`@name` or `@name@domain`), in order; not inside URLs."""
    return [m.group() for m in mention_matches(text)]


def emoji(text: str) -> list[str]:
    """The grapheme clusters that are emoji (a ZWJ family, a flag or a keycap is one)."""
    return [g for g in graphemes(text) if _is_emoji(g)]


# --- counting -----------------------------------------------------------------
# Every kind turns the text into units: (offset in the original text, weight).
# The count is the sum of the weights; the limit is crossed at the first unit
# whose running total goes past it.

Units = list[tuple[int, int]]


def _cluster_units(text: str, base: int = 0) -> Units:
    return [(base + m.start(), 1) for m in _GRAPHEME.finditer(text)]


def _x_code_point_weight(ch: str) -> int:
    cp = ord(ch)
    for lo, hi, weight in _X_RANGES:
        if lo <= cp <= hi:
            return weight
    return _X_DEFAULT_WEIGHT


def _x_units(text: str) -> Units:
    """twitter-text v3, in scaled units (100 per weight-1 character)."""
    # NFC-normalize cluster by cluster (composition never crosses a grapheme
    # boundary), remembering where each normalized piece came from.
    origins: list[int] = []
    pieces: list[str] = []
    for m in _GRAPHEME.finditer(text):
        origins.append(m.start())
        pieces.append(unicodedata.normalize("NFC", m.group()))
    norm = "".join(pieces)
    starts = [0, *accumulate(len(p) for p in pieces)][:-1]

    def origin(pos: int) -> int:
        return origins[bisect_right(starts, pos) - 1]

    units: Units = []

    def plain(start: int, end: int) -> None:
        for m in _GRAPHEME.finditer(norm, start, end):
            cluster, pos = m.group(), m.start()
            n = _emoji_prefix(cluster)
            if n:
                units.append((origin(pos), _X_EMOJI_WEIGHT))
            for i, ch in enumerate(cluster[n:], start=n):
                units.append((origin(pos + i), _x_code_point_weight(ch)))

    pos = 0
    for s, e in x.url_spans(norm):       # twitter-text's own URL extraction
        plain(pos, s)
        units.append((origin(s), _X_URL_LENGTH * _X_SCALE))
        pos = e
    plain(pos, len(norm))
    return units


def _mastodon_units(text: str) -> Units:
    """Mastodon's StatusLengthValidator: only the URLs it links count 23, a remote
    mention `@user@domain` counts as `@user` (see channels/mastodon.py)."""
    urls = mastodon.url_entities(text)
    url_starts = {e.start for e in urls}
    units: Units = []
    pos = 0
    for entity in mastodon.linked_entities(text):
        units += _cluster_units(text[pos:entity.start], pos)
        if entity.start in url_starts:
            units.append((entity.start, _MASTODON_URL_LENGTH))
        else:
            local = "@" + entity.text.split("@")[0]
            units += _cluster_units(local, entity.start)
        pos = entity.end
    units += _cluster_units(text[pos:], pos)
    return units


def _threads_units(text: str) -> Units:
    return [(m.start(), len(m.group().encode("utf-8")) if _is_emoji(m.group()) else 1)
            for m in _GRAPHEME.finditer(text)]


def _units(kind: str, text: str) -> Units:
    if kind == "x":
        return _x_units(text)
    if kind == "mastodon":
        return _mastodon_units(text)
    if kind == "threads":
        return _threads_units(text)
    return _cluster_units(text)


def _scale(kind: str) -> int:
    return _X_SCALE if kind == "x" else 1


def _grapheme_count(text: str) -> int:
    """How many grapheme clusters: in ASCII every character is one but CR LF."""
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(_GRAPHEME.findall(text))


@lru_cache(maxsize=1 << 14)
def count(kind: str, text: str) -> int:
    """The length as the platform counts it (unknown kind: len in graphemes).

    Pure, so remembered: the calendar model and the review previews count
    the same texts."""
    if kind == "x":
        return x.weighted_length(text)
    if kind == "mastodon":
        return mastodon.status_length(text)
    if kind == "threads":
        return sum(w for _, w in _threads_units(text))
    return _grapheme_count(text)


def _crossing(units: Units, limit: int) -> int | None:
    """Offset of the first unit that takes the running total past `limit`."""
    total = 0
    for offset, weight in units:
        total += weight
        if total > limit:
            return offset
    return None


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _unit(n: int, unit: str) -> str:
    return unit[:-1] if n == 1 and unit.endswith("s") else unit


def check(kind: str, text: str, media_alts: list[str | None],
          limit: int | None = None) -> list[TextProblem]:
    """Every limit the text and its media break: length (and bytes), media count (min/max),
    missing or too-long alt text, links, hashtags. `limit` overrides the kind's text limit.

    `media_alts` has one entry per attached medium: its alt text, or None.
    The messages do not name the platform: the caller prefixes the channel's
    label ("X: text is 281 weighted characters; the limit is 280").
    """
    rules = rules_for(kind)
    limit = rules.limit if limit is None else limit
    problems: list[TextProblem] = []

    if limit is not None:
        n = count(kind, text)
        if n > limit:               # the units only to find where the limit is crossed
            problems.append(TextProblem(
                f"text is {n} {_unit(n, rules.unit)}; the limit is {limit}",
                _crossing(_units(kind, text), limit * _scale(kind))))

    if kind == "x":
        for offset in x.invalid_characters(text)[:1]:
            problems.append(TextProblem(
                f"text has a character X refuses (U+{ord(text[offset]):04X})", offset))

    if rules.max_bytes is not None:
        n = len(text.encode("utf-8", "surrogatepass"))
        if n > rules.max_bytes:
            units = [(m.start(), len(m.group().encode("utf-8"))) for m in _GRAPHEME.finditer(text)]
            problems.append(TextProblem(
                f"text is {n} bytes; the limit is {rules.max_bytes}",
                _crossing(units, rules.max_bytes)))

    noun = rules_for(kind).media_noun
    n_media = len(media_alts)
    if n_media < rules.min_media:
        problems.append(TextProblem(
            f"post has {_plural(n_media, noun)}; it needs at least {rules.min_media}", None))
    if rules.max_media is not None and n_media > rules.max_media:
        problems.append(TextProblem(
            f"post has {_plural(n_media, noun)}; the limit is {rules.max_media}", None))
    for i, alt in enumerate(media_alts, start=1):
        if alt is None or not alt.strip():
            if rules.alt_required:
                problems.append(TextProblem(
                    f"{noun} {i} has no alt text; alt text is required", None))
        elif rules.alt_limit is not None and len(alt) > rules.alt_limit:
            problems.append(TextProblem(
                f"{noun} {i} alt text is {len(alt)} characters; "
                f"the limit is {rules.alt_limit}", None))

    if rules.max_links is not None:
        spans = link_spans(text)
        if len(spans) > rules.max_links:
            problems.append(TextProblem(
                f"text has {len(spans)} links; the limit is {rules.max_links}",
                spans[rules.max_links][0]))
    if rules.max_hashtags is not None:
        tags = hashtag_matches(text)
        if len(tags) > rules.max_hashtags:
            problems.append(TextProblem(
                f"text has {len(tags)} hashtags; the limit is {rules.max_hashtags}",
                tags[rules.max_hashtags].start()))
    return problems
