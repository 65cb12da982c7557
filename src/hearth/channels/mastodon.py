"""How Mastodon counts a status: its ``StatusLengthValidator``, ported.

Mastodon refuses a local status whose *countable length* is over the
server's limit (500 by default). The validator
(``app/validators/status_length_validator.rb``) does not count characters of
the text as written: it first rewrites every entity Mastodon will link,

- a URL Mastodon auto-links becomes 23 characters (``URL_PLACEHOLDER``),
- a mention ``@user@domain`` becomes ``@user``,

then counts the content warning followed by the rewritten text in extended
grapheme clusters (Ruby's ``each_grapheme_cluster``, the same UAX #29
clusters :func:`hearth.channels.bluesky.grapheme_length` counts). Only what Mastodon
really links gets the discount, so this module finds entities the way
Mastodon's ``Extractor`` does:

- URLs: twitter-text 3.1's Ruby extractor with Mastodon's own regexes
  (``config/initializers/twitter_regex.rb``): a scheme is required
  (``http``, ``https``, ``dat``, ``dweb``, ``ipfs``, ``ipns``, ``ssb``,
  ``gopher``, ``gemini``), the host must end in a TLD on twitter-text's list,
  nothing alphanumeric or ``@ # $`` may stand right before it (so
  ``wordhttps://…`` is not linked), the path runs to the next space, angle
  bracket or unbalanced parenthesis and does not end in ``.,:;!?'"*=$%&|~[]``,
  the host must pass IDNA 2003 ``ToASCII`` (libidn, no unassigned code points)
  and the URL must be at most 4096 characters. ``t.co`` links keep only their
  slug.
- Mentions: ``Account::MENTION_RE``, not after ``=``, ``/`` or a word
  character, not followed by ``@``, a Latin accented letter or ``://``, and a
  domain of at most 253 characters.

``status_length`` is the number Mastodon compares with its limit; the
``url_entities`` and ``mention_entities`` it is built on are here too, for
checks that want to know what will be linked.
"""

from __future__ import annotations

import functools
import stringprep
from collections.abc import Iterator
from typing import NamedTuple

import regex

from .bluesky import grapheme_length
from .tlds import TWITTER_TEXT_COUNTRY, TWITTER_TEXT_GENERIC, trie_pattern

__all__ = [
    "MAX_CHARS",
    "URL_PLACEHOLDER_CHARS",
    "Entity",
    "countable_text",
    "grapheme_length",
    "mention_entities",
    "status_length",
    "url_entities",
]

#: Mastodon's default limit; a server may set its own.
MAX_CHARS = 500
#: What every linked URL counts as (``characters_reserved_per_url``).
URL_PLACEHOLDER_CHARS = 23
_URL_PLACEHOLDER = "x" * URL_PLACEHOLDER_CHARS
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_DOMAIN_LENGTH = 253


class Entity(NamedTuple):
    """A URL or mention Mastodon links: its text and ``[start, end)`` offsets.

    For a mention, ``text`` is the screen name without the leading ``@``
    (``alice@example.social``), as Mastodon's extractor reports it.
    """

    text: str
    start: int
    end: int


# --- twitter-text 3.1 (rb/lib/twitter-text/regex.rb), as Mastodon overrides it ---

_UNICODE_SPACES = r"\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_DIRECTIONAL = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVALID = r"\ufffe\ufeff\uffff"
# Ruby's PUNCTUATION_CHARS; its backslashes only escape [ ] and `, so unlike
# JavaScript's list it leaves the backslash itself a valid domain character.
_PUNCTUATION = r"!\"#$%&'()*+,\-./:;<=>?@\[\]\^_`{|}~"
_SPACE_CHARS = r" \t\n\x0b\f\r"
_CTRL_CHARS = r"\x00-\x1f\x7f"
_LATIN_ACCENTS = (
    r"\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    r"\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
# Ruby's $ is an end of line: before any newline.
_TLD_END = r"(?=[^0-9a-z@+-]|$)"

_DOMAIN_CHAR = (
    rf"[^{_DIRECTIONAL}{_PUNCTUATION}{_SPACE_CHARS}{_CTRL_CHARS}{_INVALID}{_UNICODE_SPACES}]"
)
_SUBDOMAIN = rf"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_DOMAIN_NAME = rf"(?:(?:{_DOMAIN_CHAR}(?:[-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_PUNYCODE = r"(?:xn--[0-9a-z]+)"
_PRECEDING = rf"(?:[^A-Z0-9@＠$#＃{_INVALID}]|[{_DIRECTIONAL}]|^)"

# Mastodon defines its path-ending characters *before* it redefines the
# balanced parentheses, so they embed twitter-text's original parentheses,
# built from twitter-text's original path characters.
_TT_PATH_CHAR = rf"[a-z\p{{Cyrillic}}0-9!\*';:=\+\,\.\$\/%#\[\]\p{{Pd}}_~&\|@{_LATIN_ACCENTS}]"
_TT_BALANCED = rf"\((?:{_TT_PATH_CHAR}+|(?:{_TT_PATH_CHAR}*\({_TT_PATH_CHAR}+\){_TT_PATH_CHAR}*))\)"
_PATH_CHAR = r"[^\p{White_Space}<>()?]"
# As after mastodon/mastodon#31124 (2024), which let a URL end in "@".
_PATH_END = rf"""[^\p{{White_Space}}()?!*"'「」<>;:=,.$%\[\]~&|]|(?:{_TT_BALANCED})"""
_BALANCED = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
_PATH = rf"(?:(?:{_PATH_CHAR}*(?:{_BALANCED}{_PATH_CHAR}*)*{_PATH_END})|(?:{_PATH_CHAR}+/))"
_UCHARS = (
    r"\xa0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    r"\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    r"\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    r"\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
    r"\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)
_QUERY_CHAR = rf"[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@\^{_UCHARS}]"
_QUERY_END = rf"[a-z0-9_&=#/\-{_UCHARS}]"

# Ruby's ^ and $ are line anchors, and /i folds Unicode case: MULTILINE, IGNORECASE.
_FLAGS = regex.IGNORECASE | regex.MULTILINE | regex.V0


@functools.cache
def _valid_url() -> regex.Pattern[str]:
    """Mastodon's ``valid_url``, compiled on first use, not at import.

    With the TLD lists in it, it takes over a tenth of a second to compile,
    which a command that counts no Mastodon text should not pay.
    """
    gtld = rf"(?:{trie_pattern(TWITTER_TEXT_GENERIC)}{_TLD_END})"
    cctld = rf"(?:{trie_pattern(TWITTER_TEXT_COUNTRY)}{_TLD_END})"
    domain = rf"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}(?:{gtld}|{cctld}|{_PUNYCODE}))"
    return regex.compile(
        "("  # 1: the whole match
        rf"({_PRECEDING})"  # 2: the character before
        "("  # 3: the URL
        r"((?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://)?"  # 4: scheme
        rf"({domain})"  # 5: domain
        r"(?::([0-9]+))?"  # 6: port
        rf"(/{_PATH}*)?"  # 7: path and anchor
        rf"(\?{_QUERY_CHAR}*{_QUERY_END})?"  # 8: query
        "))",
        _FLAGS,
    )


_VALID_TCO_URL = regex.compile(r"^https?:\/\/t\.co\/([a-z0-9]+)", _FLAGS)

# app/models/account.rb: USERNAME_RE is case-insensitive, the rest is not;
# [[:word:]] is Onigmo's Letter | Mark | Decimal_Number | Connector_Punctuation.
_WORD_CHARS = r"\p{L}\p{M}\p{Nd}\p{Pc}"
_WORD = f"[{_WORD_CHARS}]"
_MENTION = regex.compile(
    rf"(?<![=/{_WORD_CHARS}])@"
    rf"(((?i:[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*))(?:@{_WORD}+(?:[.-]+{_WORD}+)*)?)",
    regex.V0,
)
_END_MENTION = regex.compile(rf"(?:[@＠]|[{_LATIN_ACCENTS}]+|://)", regex.IGNORECASE)
_BLANK = regex.compile(r"[\p{White_Space}]*")
# Where a URL cannot reach: ASCII white space and U+0085. (Mastodon's query
# characters take everything from U+00A0 up, even U+3000.)
_NOT_IN_URL = regex.compile(r"[^\t\n\v\f\r \x85]*")


# --- IDNA (libidn's idna_to_ascii_8z with no flags) ---------------------------------

_IDNA_DOTS = regex.compile("[.\u3002\uff0e\uff61]")


def _idna_length(domain: str) -> int | None:
    """Length of libidn's ``ToASCII(domain)``, or None where it fails.

    Python's ``idna`` codec is the same IDNA 2003 algorithm (nameprep,
    punycode, labels of 1-63); libidn, called without
    IDNA_ALLOW_UNASSIGNED, also refuses code points unassigned in Unicode
    3.2, which is why an emoji host is never linked.
    """
    if not domain.isascii():
        for label in _IDNA_DOTS.split(domain):
            if not label.isascii() and any(stringprep.in_table_a1(ch) for ch in label):
                return None
    try:
        return len(domain.encode("idna"))
    except UnicodeError:
        return None


# --- extraction ------------------------------------------------------------------------


def _url_matches(text: str) -> Iterator[regex.Match[str]]:
    """``valid_url.finditer(text)``, searching only around each ``://``.

    Each run of characters a URL can hold is searched from the character
    before it (the URL's possible preceding character); the whole-text
    search finds the same matches, several times slower.
    """
    valid_url = _valid_url()
    reverse = text[::-1]
    size = len(text)
    pos = 0
    while (colon := text.find("://", pos)) >= 0:
        behind = _NOT_IN_URL.match(reverse, size - colon)
        start = colon - (behind.end() - (size - colon)) if behind else colon
        ahead = _NOT_IN_URL.match(text, colon)
        pos = ahead.end() if ahead else colon + 3
        yield from valid_url.finditer(text, max(start - 1, 0), pos)


def url_entities(text: str) -> list[Entity]:
    """The URLs Mastodon links in ``text``, as its Extractor reports them.

    ``Extractor.extract_urls_with_indices(text, extract_url_without_protocol:
    false)``: twitter-text's Ruby extractor over Mastodon's ``valid_url``.
    """
    if "://" not in text:
        return []
    return list(_url_entities(text))


@functools.lru_cache(maxsize=1 << 12)
def _url_entities(text: str) -> tuple[Entity, ...]:
    """Remembered: the count and the review's preview both ask for a text's URLs."""
    found: list[Entity] = []
    for match in _url_matches(text):
        url, scheme, domain = match.group(3, 4, 5)
        if not scheme:
            continue  # Mastodon only links URLs with a scheme
        start, end = match.span(3)
        tco = _VALID_TCO_URL.search(url)
        if tco:
            if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                continue
            url = tco.group(0)
            end = start + len(url)
        encoded = _idna_length(domain)
        if encoded is None or len(url) + max(encoded - len(domain), 0) > _MAX_URL_LENGTH:
            continue
        found.append(Entity(url, start, end))
    return tuple(found)


def mention_entities(text: str) -> list[Entity]:
    """The mentions Mastodon's Extractor finds in ``text``; each span starts at its ``@``."""
    if "@" not in text and "＠" not in text:
        return []
    found: list[Entity] = []
    for match in _MENTION.finditer(text):
        if _END_MENTION.match(text, match.end()):
            continue  # "@alice@" or "@alice://" is not a mention
        screen_name = match.group(1)
        if len(screen_name.partition("@")[2]) > _MAX_DOMAIN_LENGTH:
            continue  # so "@alice@<300 characters>" counts in full
        found.append(Entity(screen_name, match.start(), match.end(1)))
    return found


def _without_overlaps(entities: list[Entity]) -> list[Entity]:
    """twitter-text's ``remove_overlapping_entities``: the earlier one wins."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: e.start):
        if not kept or kept[-1].end <= entity.start:
            kept.append(entity)
    return kept


def linked_entities(text: str) -> list[Entity]:
    """The URLs and mentions Mastodon links, without overlaps, in text order."""
    return _without_overlaps(url_entities(text) + mention_entities(text))


def countable_text(text: str) -> str:
    """``StatusLengthValidator#countable_text``: the text with its links rewritten."""
    if _BLANK.fullmatch(text):
        return ""
    urls = url_entities(text)
    entities = _without_overlaps(urls + mention_entities(text))
    if not entities:
        return text
    url_starts = {entity.start for entity in urls}
    pieces: list[str] = []
    pos = 0
    for entity in entities:
        pieces.append(text[pos : entity.start])
        if entity.start in url_starts:
            pieces.append(_URL_PLACEHOLDER)
        else:
            pieces.append("@" + entity.text.split("@")[0])
        pos = entity.end
    pieces.append(text[pos:])
    return "".join(pieces)


def status_length(text: str, spoiler_text: str = "") -> int:
    """The length Mastodon compares with its limit for a status and its content warning.

    The content warning counts in full (its URLs are not shortened) and shares
    the limit with the text.
    """
    return grapheme_length(spoiler_text + countable_text(text))
