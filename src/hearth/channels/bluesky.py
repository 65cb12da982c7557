"""Bluesky rich text: facets as Bluesky's own client detects them, and its length.

A Bluesky post is plain text plus *facets*, ``app.bsky.richtext.facet``
records that say which UTF-8 byte range is a link, a mention or a hashtag.
Without them a URL in a post is dead text. The official app finds them with
``detectFacets`` (bluesky-social/atproto ``packages/api/src/rich-text/
detection.ts`` and ``util.ts``); :func:`facets` follows it rule for rule, so a
queued post links exactly what the same text typed into the app would:

- links: ``http(s)://`` then anything up to whitespace, or a bare domain
  whose last label is on the npm ``tlds`` list Bluesky ships
  (:data:`hearth.channels.tlds.BLUESKY_TLDS`), at the start, after
  whitespace or after ``(``; one trailing ``.,;:!?`` is dropped, and a
  trailing ``)`` when the link holds no ``(``. A scheme in capitals is not
  linked (the app checks ``startsWith('http')``).
- mentions: ``@handle.tld`` at the start, after whitespace or ``(``, when
  the handle ends in a listed TLD or ``.test``.
- hashtags: ``#`` or ``＃`` at the start or after whitespace, up to 64
  graphemes, not all digits, trailing punctuation dropped; and cashtags,
  ``$`` and one to five letters/digits starting with a letter, which Bluesky
  stores as a ``#tag`` feature with tag ``$TICKER``.

Offsets are UTF-8 byte offsets into the text (``byteStart`` inclusive,
``byteEnd`` exclusive), as the lexicon requires; facets come sorted by
``byteStart`` as the app posts them. Every facet carries
``"$type": "app.bsky.richtext.facet"`` (the app omits it on links; it is
optional, and uniform output is easier to check).

Mentions and DIDs: a mention feature must name the account by DID, which
only a handle resolution (``com.atproto.identity.resolveHandle``) at send
time can give, and a handle can move to another DID between build and send.
So a mention feature here is
``{"$type": "app.bsky.richtext.facet#mention", "handle": "alice.bsky.social"}``
and carries no ``did`` at all: a record sent as built fails lexicon
validation (``did`` is required) instead of pointing at a wrong account. The
sender must replace ``handle`` with the resolved ``did``, and drop the facet
when the handle does not resolve (the app would send ``did: ""``).
"""

from __future__ import annotations

import re
from typing import Any

import regex

from .tlds import BLUESKY_TLDS

__all__ = [
    "FACET",
    "MAX_BYTES",
    "MAX_GRAPHEMES",
    "byte_length",
    "facets",
    "grapheme_length",
]

#: ``app.bsky.feed.post`` ``text``: maxGraphemes 300, maxLength 3000 (UTF-8 bytes).
MAX_GRAPHEMES = 300
MAX_BYTES = 3000
FACET = "app.bsky.richtext.facet"

_TLDS = frozenset(BLUESKY_TLDS)

# JavaScript's \s; Python's differs (it has U+001C-U+001F and U+0085, and
# lacks U+FEFF).
_JS_SPACE_CHARS = (
    "\t\n\v\f\r \xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_JS_SPACE = "".join(f"\\u{ord(ch):04x}" for ch in _JS_SPACE_CHARS)  # inside [...]
# JavaScript's \b outside Unicode mode: ASCII word characters only.
_JS_WORD_BOUNDARY = r"(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))"
# URL_REGEX has the m flag: its ^ also starts every line.
_JS_LINE_START = r"(?:^|(?<=[\n\r\u2028\u2029]))"

_MENTION = re.compile(rf"(^|[{_JS_SPACE}]|\()(@)([a-zA-Z0-9.-]+)({_JS_WORD_BOUNDARY})")
_URL = re.compile(
    rf"({_JS_LINE_START}|[{_JS_SPACE}]|\()"
    rf"((https?:\/\/[^{_JS_SPACE}]+)"
    rf"|((?P<domain>[a-z][a-z0-9]*(\.[a-z0-9]+)+)[^{_JS_SPACE}]*))",
    re.IGNORECASE | re.ASCII,  # /i without /u folds ASCII only
)
# A link lies inside one run of non-space characters, and holds a dot or "://".
_JS_NON_SPACE_RUN = re.compile(rf"[^{_JS_SPACE}]+")
_TAG_STOP = rf"{_JS_SPACE}\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_TAG = regex.compile(
    rf"(^|[{_JS_SPACE}])[#＃]"
    rf"((?!\ufe0f)[^{_TAG_STOP}]*[^0-9\p{{P}}{_TAG_STOP}]+[^{_TAG_STOP}]*)?"
)
_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
_CASHTAG = re.compile(
    rf"(^|[{_JS_SPACE}]|\()\$([A-Za-z][A-Za-z0-9]{{0,4}})(?=[{_JS_SPACE}]|$|[.,;:!?)\"'\u2019])"
)
_MAX_TAG_GRAPHEMES = 64

# --- grapheme clusters -------------------------------------------------------------

_GRAPHEME = regex.compile(r"\X")
# Characters that can share a cluster with a neighbour (UAX #29 rules GB6-GB9c,
# GB11-GB13). Between any two other characters there is a break, but CR LF.
_JOINERS = regex.compile(
    r"[\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=Prepend}"
    r"\p{Grapheme_Cluster_Break=Regional_Indicator}\p{Grapheme_Cluster_Break=L}"
    r"\p{Grapheme_Cluster_Break=V}\p{Grapheme_Cluster_Break=T}]+"
)


def grapheme_length(text: str) -> int:
    """Extended grapheme clusters (UAX #29), as Bluesky's ``graphemeLen`` counts them.

    ``graphemeLen`` is ``Intl.Segmenter``; Mastodon's Ruby
    ``each_grapheme_cluster`` counts the same clusters, so
    :mod:`hearth.channels.mastodon` uses this too. ``\\X`` over a whole text
    is most of the time counting takes, so it runs only on short windows
    around the characters that can join a neighbour; every other character
    is a cluster of its own.
    """
    if text.isascii():
        return len(text) - text.count("\r\n")  # CR LF is the one ASCII cluster of two
    size = len(text)
    count = 0
    pos = 0  # text[:pos] is counted
    window: list[int] | None = None  # [start, end) not yet counted
    for run in _JOINERS.finditer(text):
        start, end = max(run.start() - 1, 0), min(run.end() + 1, size)
        if text[start] == "\n" and start > 0 and text[start - 1] == "\r":
            start -= 1
        if text[end - 1] == "\r" and end < size and text[end] == "\n":
            end += 1
        if window and start <= window[1]:
            window[1] = max(window[1], end)
            continue
        if window:
            count += _plain_clusters(text[pos : window[0]]) + _clusters(text, *window)
            pos = window[1]
        window = [start, end]
    if window:
        count += _plain_clusters(text[pos : window[0]]) + _clusters(text, *window)
        pos = window[1]
    return count + _plain_clusters(text[pos:])


def _plain_clusters(text: str) -> int:
    return len(text) - text.count("\r\n")


def _clusters(text: str, start: int, end: int) -> int:
    return len(_GRAPHEME.findall(text, start, end))


def byte_length(text: str) -> int:
    """UTF-8 bytes, the unit of the 3000 limit and of every facet offset."""
    return len(text.encode("utf-8", "surrogatepass"))


def _is_valid_domain(domain: str) -> bool:
    """detection.ts ``isValidDomain``: the last label is a listed TLD (case-sensitive)."""
    _, dot, tld = domain.rpartition(".")
    return bool(dot) and tld in _TLDS


def _facet(text: str, start: int, end: int, feature: dict[str, Any]) -> dict[str, Any]:
    if text.isascii():
        byte_start, byte_end = start, end
    else:
        byte_start = byte_length(text[:start])
        byte_end = byte_start + byte_length(text[start:end])
    return {
        "$type": FACET,
        "index": {"byteStart": byte_start, "byteEnd": byte_end},
        "features": [feature],
    }


def _mentions(text: str) -> list[dict[str, Any]]:
    if "@" not in text:
        return []
    found = []
    for match in _MENTION.finditer(text):
        handle = match.group(3)
        if not _is_valid_domain(handle) and not handle.endswith(".test"):
            continue  # probably not a handle
        start = match.start(3) - 1
        found.append(
            _facet(text, start, match.end(3), {"$type": f"{FACET}#mention", "handle": handle})
        )
    return found


def _link_matches(text: str) -> list[re.Match[str]]:
    """``_URL.finditer(text)``, searching only the runs a link can be in.

    Each run is searched from the character before it, the link's possible
    leading space; what the whole-text search finds is the same.
    """
    matches: list[re.Match[str]] = []
    for run in _JS_NON_SPACE_RUN.finditer(text):
        word = run.group()
        if "." in word or ":" in word:
            matches += _URL.finditer(text, max(run.start() - 1, 0), run.end())
    return matches


def _links(text: str) -> list[dict[str, Any]]:
    if "." not in text and ":" not in text:
        return []
    found = []
    for match in _link_matches(text):
        uri = match.group(2)
        if not uri.startswith("http"):
            domain = match.group("domain")
            if not domain or not _is_valid_domain(domain):
                continue
            uri = f"https://{uri}"
        start, end = match.span(2)
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        found.append(_facet(text, start, end, {"$type": f"{FACET}#link", "uri": uri}))
    return found


def _tags(text: str) -> list[dict[str, Any]]:
    if "#" not in text and "＃" not in text:
        return []
    found = []
    for match in _TAG.finditer(text):
        tag = match.group(2)
        if not tag:
            continue
        tag = _TRAILING_PUNCTUATION.sub("", tag.strip(_JS_SPACE_CHARS))
        if not tag or grapheme_length(tag) > _MAX_TAG_GRAPHEMES:
            continue
        start = match.start() + len(match.group(1))
        found.append(
            _facet(text, start, start + 1 + len(tag), {"$type": f"{FACET}#tag", "tag": tag})
        )
    return found


def _cashtags(text: str) -> list[dict[str, Any]]:
    if "$" not in text:
        return []
    found = []
    for match in _CASHTAG.finditer(text):
        ticker = match.group(2).upper()
        start = match.start() + len(match.group(1))
        found.append(
            _facet(
                text, start, start + 1 + len(ticker), {"$type": f"{FACET}#tag", "tag": f"${ticker}"}
            )
        )
    return found


def facets(text: str) -> list[dict[str, Any]]:
    """The ``app.bsky.richtext.facet`` records the Bluesky app would attach to ``text``.

    Mentions carry ``handle``, not ``did``: see the module docstring.
    """
    found = _mentions(text) + _links(text) + _tags(text) + _cashtags(text)
    found.sort(key=lambda facet: facet["index"]["byteStart"])  # stable, as RichText sorts
    return found
