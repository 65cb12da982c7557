"""How X counts a text: twitter-text v3, ported from its JavaScript library.

X refuses a post whose *weighted length* is over 280, and it decides that
length with twitter-text (github.com/twitter/twitter-text, v3.1.0, Apache-2.0),
not with ``len()``. A build that counted any other way would pass texts X
rejects, or reject texts X takes. So this module follows twitter-text's own
code (``js/src/parseTweet.js``, ``extractUrlsWithIndices.js``, ``lib/idna.js``
and ``regexp/*.js``) rule for rule and is checked against its conformance
suite (``tests/data/twitter-text``):

- The text is NFC-normalised first, as twitter-text does, so "A" + U+0301
  counts as one character.
- Code points U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F and U+2032-U+2037
  weigh 1; every other code point weighs 2 (CJK, most emoji, astral planes).
- An emoji sequence twitter-text knows (ZWJ family, flag, keycap, skin tone)
  weighs 2 as a whole. The list is twitter-text's own, from its Ruby library
  (``rb/lib/twitter-text/emoji_regex.rb``, Emoji 12); a sequence newer than
  that is counted code point by code point, so it can only be over-counted.
- A URL weighs 23 whatever its length, but only what twitter-text's extractor
  calls a URL: ``example.com`` without a scheme only when its TLD is on
  twitter-text's list (:mod:`hearth.channels.tlds`); host labels of at most 63
  characters after punycode; no URL right after ``@ # $`` or a letter/digit;
  the URL ends where its character classes end (an apostrophe, CJK, Arabic),
  a trailing ``.`` is left out, and a ``t.co`` link keeps only its slug
  (``t.co/abc's`` and ``t.co/abc-`` end at ``abc``).

Weights are kept in twitter-text's scaled units (x100) inside and divided at
the end, so 280 is the limit callers see.

Where twitter-text's own libraries disagree (outside its conformance suite),
this module takes the side of its Java and Ruby libraries, which work on code
points, over the JavaScript one, which works on UTF-16 units:

- case-insensitive matching folds ASCII letters only (JavaScript also folds
  Cyrillic and Greek, so ``пример.РФ`` is a link there and not here);
- a URL ends or starts only between code points (JavaScript can start a host
  at the second half of a surrogate pair, after an emoji);
- a scheme-less URL whose host had a non-ASCII part weighs its whole span
  (JavaScript skips only as many characters as the URL string it reports).

Offsets returned by :func:`url_spans`, :func:`emoji_spans` and
:func:`invalid_characters` are Python string indices (code points) into the
text as given, as in twitter-text's conformance files; only
:class:`ParseResult`'s ranges are UTF-16, as twitter-text reports them.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from .tlds import TWITTER_TEXT_COUNTRY, TWITTER_TEXT_GENERIC, trie_pattern

__all__ = [
    "CONFIG_V2",
    "CONFIG_V3",
    "Config",
    "ParseResult",
    "UrlEntity",
    "emoji_spans",
    "extract_urls",
    "invalid_characters",
    "parse_tweet",
    "url_entities",
    "url_spans",
    "weighted_length",
]


# --- configuration (twitter-text config/v2.json, v3.json) ---------------------


@dataclass(frozen=True)
class Config:
    """One twitter-text configuration; every weight is in units of ``scale``."""

    version: int
    max_weighted_length: int = 280
    scale: int = 100
    default_weight: int = 200
    # (first code point, last code point, weight); all share one weight here.
    ranges: tuple[tuple[int, int, int], ...] = (
        (0x0000, 0x10FF, 100),
        (0x2000, 0x200D, 100),
        (0x2010, 0x201F, 100),
        (0x2032, 0x2037, 100),
    )
    emoji_parsing: bool = True
    transformed_url_length: int = 23


#: Config v2: weighted code points, but an emoji sequence weighs per code point.
CONFIG_V2 = Config(version=2, emoji_parsing=False)
#: Config v3 (what X uses): as v2, and a whole emoji sequence weighs 2.
CONFIG_V3 = Config(version=3)


@dataclass(frozen=True)
class ParseResult:
    """twitter-text's ``parseTweet`` result, its field names in snake case.

    ``valid_range_end`` and ``display_range_end`` are inclusive UTF-16 offsets
    into the text as given (before normalisation), as twitter-text reports
    them, so a composer can show where the text stops fitting.
    """

    weighted_length: int
    valid: bool
    permillage: int
    valid_range_start: int
    valid_range_end: int
    display_range_start: int
    display_range_end: int


class UrlEntity(NamedTuple):
    """A URL twitter-text extracts: its text and ``[start, end)`` offsets."""

    url: str
    start: int
    end: int


# --- the URL regular expression (js/src/regexp/*.js) --------------------------

# What twitter-text rejects outright. U+202A-U+202E are *not* here: v3 accepts
# directional formatting characters (its conformance case "Tweet text
# containing directional characters should be considered valid") and treats
# them as URL boundaries instead.
_INVALID_CHARS = r"\ufffe\ufeff\uffff"
_DIRECTIONAL = r"\u202a-\u202e\u061c\u200e\u200f\u2066\u2067\u2068\u2069"
_SPACES = r"\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# twitter-text's punct group, character for character (it has no '"' or '`').
_PUNCT = r"\!'#%&'\(\)*\+,\\\-\.\/:;<=>\?@\[\]\^_{|}~\$"
_LATIN_ACCENTS = (
    r"\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    r"\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = r"\u0400-\u04ff"


def _tld_alternation(tlds: tuple[str, ...]) -> str:
    # JS's lookahead ends the TLD at anything but an ASCII letter, digit, @, + or -;
    # \Z rather than $, which in Python also matches before a final newline.
    return "(?:" + trie_pattern(tlds) + r"(?=[^0-9a-zA-Z@+-]|\Z))"


_PUNYCODE = r"(?:xn--[\-0-9a-z]+)"
_DOMAIN_CHAR = rf"[^{_PUNCT}{_SPACES}{_INVALID_CHARS}{_DIRECTIONAL}]"
_SUBDOMAIN = rf"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_DOMAIN_NAME = rf"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"

_PATH_CHAR = rf"[a-z{_CYRILLIC}0-9!\*';:=\+,\.\$\/%#\[\]\-\u2013_~@\|&{_LATIN_ACCENTS}]"
_BALANCED_PARENS = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
_PATH_END = rf"[\+\-a-z{_CYRILLIC}0-9=_#\/{_LATIN_ACCENTS}]|(?:{_BALANCED_PARENS})"
_PATH = (
    rf"(?:(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_END})"
    rf"|(?:@{_PATH_CHAR}+/))"
)
_QUERY_CHAR = r"[a-z0-9!?\*'@\(\);:&=\+\$\/%#\[\]\-_\.,~|]"
_QUERY_END = r"[a-z0-9\-_&=#\/]"
_PRECEDING = rf"(?:[^A-Za-z0-9@＠$#＃{_INVALID_CHARS}]|[{_DIRECTIONAL}]|^)"

# ASCII-only case folding: see the module docstring.
_FLAGS = re.IGNORECASE | re.ASCII


class _UrlPatterns(NamedTuple):
    extract_url: re.Pattern[str]
    valid_ascii_domain: re.Pattern[str]
    gtld: str


@functools.cache
def _url_patterns() -> _UrlPatterns:
    """The patterns that hold the TLD lists, compiled on first use, not at import.

    Building and compiling them takes about a tenth of a second, which a
    command that never counts an X text should not pay.
    """
    gtld = _tld_alternation(TWITTER_TEXT_GENERIC)
    tld = f"(?:{gtld}|{_tld_alternation(TWITTER_TEXT_COUNTRY)}|{_PUNYCODE})"
    domain = rf"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}{tld})"
    extract_url = re.compile(
        "("  # 1: the whole match
        rf"({_PRECEDING})"  # 2: the character before the URL
        "("  # 3: the URL
        r"(https?:\/\/)?"  # 4: scheme
        rf"({domain})"  # 5: domain
        r"(?::([0-9]+))?"  # 6: port
        rf"(\/{_PATH}*)?"  # 7: path
        rf"(\?{_QUERY_CHAR}*{_QUERY_END})?"  # 8: query
        "))",
        _FLAGS,
    )
    valid_ascii_domain = re.compile(rf"(?:(?:[\-a-z0-9{_LATIN_ACCENTS}]+)\.)+{tld}", _FLAGS)
    return _UrlPatterns(extract_url, valid_ascii_domain, gtld)


_VALID_TCO_URL = re.compile(
    rf"^https?:\/\/t\.co\/([a-z0-9]+)(?:\?{_QUERY_CHAR}*{_QUERY_END})?", _FLAGS
)
_INVALID_BEFORE_SCHEMELESS = re.compile(r"[-_.\/]\Z")
_PUNYCODE_SEPARATORS = re.compile("[\u3002\uff0e\uff61]")

_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_DOMAIN_LABEL_LENGTH = 63


def _punycode_label_length(label: str) -> int:
    """Length of punycode.js ``toASCII(label)``: non-ASCII parts become ``xn--…``."""
    parts = _PUNYCODE_SEPARATORS.split(label)
    total = len(parts) - 1  # the dots punycode.js joins the parts with
    for part in parts:
        if part.isascii():
            total += len(part)
        else:
            total += 4 + len(part.encode("punycode", "surrogatepass"))
    return total


def _valid_domain(domain: str) -> bool:
    """twitter-text ``idna.toAscii`` succeeds: the extractor drops the URL otherwise."""
    if domain.startswith("xn--") and not _url_patterns().valid_ascii_domain.search(domain):
        return False  # a punycode host cannot hold non-ASCII characters
    return all(
        1 <= _punycode_label_length(label) <= _MAX_DOMAIN_LABEL_LENGTH
        for label in domain.split(".")
    )


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


_NON_SPACES = re.compile(rf"[^{_SPACES}]*")


def _url_matches(text: str) -> Iterator[re.Match[str]]:
    """``extract_url.finditer(text)``, but only where a URL can be.

    No URL holds a space and every URL holds a dot, so only the runs of
    non-space characters around a dot are searched, each from the space
    before it (the URL's possible preceding character). Searching the whole
    text finds the same matches, several times slower.
    """
    extract_url = _url_patterns().extract_url
    reverse = text[::-1]
    size = len(text)
    pos = 0
    while (dot := text.find(".", pos)) >= 0:
        behind = _NON_SPACES.match(reverse, size - dot)
        start = dot - (behind.end() - (size - dot)) if behind else dot
        ahead = _NON_SPACES.match(text, dot)
        pos = ahead.end() if ahead else dot + 1
        yield from extract_url.finditer(text, max(start - 1, 0), pos)


def url_entities(text: str) -> list[UrlEntity]:
    """Every URL twitter-text's ``extractUrlsWithIndices`` finds, in order.

    ``url`` is what twitter-text reports, which for a scheme-less URL inside
    a non-ASCII run is only its ASCII part (``"例子example.com"`` gives
    ``example.com``).
    """
    if not text or "." not in text:
        return []
    entities: list[UrlEntity] = []
    for match in _url_matches(text):
        before, url, scheme, domain, path = match.group(2, 3, 4, 5, 7)
        end = match.end()
        start = end - len(url)
        # A URL over 4096 characters is no URL to X. (In JS the punycoded host
        # replaces the host here, but toAscii returns the host unchanged.)
        if not _valid_domain(domain) or len(scheme or "https://") + len(url) > _MAX_URL_LENGTH:
            continue
        if not scheme:
            if _INVALID_BEFORE_SCHEMELESS.search(before):
                continue
            # Only the ASCII domains inside the match are links, so
            # "twitter.comこれはexample.com" holds two.
            last: UrlEntity | None = None
            ascii_end = 0
            for ascii_match in _url_patterns().valid_ascii_domain.finditer(domain):
                ascii_domain = ascii_match.group(0)
                ascii_start = domain.find(ascii_domain, ascii_end)
                ascii_end = ascii_start + len(ascii_domain)
                last = UrlEntity(ascii_domain, start + ascii_start, start + ascii_end)
                entities.append(last)
            if last is None:
                continue
            if path:  # the path belongs to the last ASCII domain
                entities[-1] = UrlEntity(url.replace(domain, last.url, 1), last.start, end)
        else:
            tco = _VALID_TCO_URL.search(url)
            if tco:
                # t.co links are only ever a slug (and a query): "…/abc's" ends at "abc".
                if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                    continue
                url = tco.group(0)
                end = start + len(url)
            entities.append(UrlEntity(url, start, end))
    return entities


def url_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every URL in ``text`` as twitter-text extracts it."""
    return [(entity.start, entity.end) for entity in url_entities(text)]


def extract_urls(text: str) -> list[str]:
    """The URLs twitter-text's ``extractUrls`` returns for ``text``."""
    return [entity.url for entity in url_entities(text)]


# --- characters twitter-text refuses -------------------------------------------

_REFUSED = re.compile(rf"[{_INVALID_CHARS}\ud800-\udfff]")
_TWITTER_INVALID = re.compile(rf"[{_INVALID_CHARS}]")


def invalid_characters(text: str) -> list[int]:
    """Offsets of the characters that make X refuse ``text``, or that no post can hold.

    twitter-text v3 refuses U+FFFE, U+FEFF and U+FFFF. A surrogate code point
    in a Python string is never paired (a pair would be one astral character),
    cannot be encoded as UTF-8 and so cannot be sent at all: it is reported
    too. Directional formatting characters (U+202A-U+202E, U+2066-U+2069) are
    not: twitter-text v3 accepts them.
    """
    return [match.start() for match in _REFUSED.finditer(text)]


# --- emoji -----------------------------------------------------------------------


def emoji_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every emoji sequence twitter-text's v3 counting knows.

    Scans only from characters an emoji can start with: the emoji pattern is
    an alternation hundreds of branches long, slow to try at every position.
    """
    if text.isascii():  # even a keycap needs U+20E3
        return []
    spans: list[tuple[int, int]] = []
    pos = 0
    for candidate in _EMOJI_CANDIDATE.finditer(text):
        begin = candidate.start()
        if begin < pos or ord(candidate.group()) not in _EMOJI_FIRST_SET:
            continue
        match = _emoji().match(text, begin)
        if match:
            spans.append((begin, match.end()))
            pos = match.end()
    return spans


# --- weighing --------------------------------------------------------------------


def _normalize(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


class _Token(NamedTuple):
    """A URL or an emoji sequence, weighed as a whole (scaled weight)."""

    start: int
    end: int
    weight: int


def _entities(text: str, config: Config) -> list[_Token]:
    """URL and emoji tokens as parseTweet visits them.

    parseTweet walks the text and, at each position, takes a URL starting
    there, else an emoji, else one character; an entity starting inside one
    already taken is never visited.
    """
    url_weight = config.transformed_url_length * config.scale
    # (start, 0 for a URL / 1 for an emoji, token): a URL first at a shared
    # start, as parseTweet looks for a URL first.
    found = [(s, 0, _Token(s, e, url_weight)) for s, e in url_spans(text)]
    if config.emoji_parsing:
        found += [(s, 1, _Token(s, e, config.default_weight)) for s, e in emoji_spans(text)]
        found.sort(key=lambda item: item[:2])
    taken: list[_Token] = []
    pos = 0
    for _, _, token in found:
        if token.start >= pos:
            taken.append(token)
            pos = token.end
    return taken


class _Weigher:
    """Weighs runs of plain characters for one configuration, in bulk."""

    def __init__(self, config: Config) -> None:
        weights = {weight for _, _, weight in config.ranges}
        if len(weights) > 1:
            raise ValueError("twitter-text configurations give every range one weight")
        self.light = weights.pop() if weights else config.default_weight
        self.heavy = config.default_weight
        light = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi, _ in config.ranges)
        self.heavy_char = re.compile(f"[^{light}]" if light else "(?s:.)")
        # The common case, skipped without a regex: ASCII weighs light in v2 and v3.
        self.ascii_is_light = any(lo == 0 and hi >= 0x7F for lo, hi, _ in config.ranges)

    def run(self, text: str) -> int:
        """The scaled weight of ``text``, a run of characters outside any entity."""
        if not text:
            return 0
        if self.ascii_is_light and text.isascii():
            heavy = 0
        else:
            heavy = len(self.heavy_char.findall(text))
        return self.light * (len(text) - heavy) + self.heavy * heavy

    def char(self, ch: str) -> int:
        return self.heavy if self.heavy_char.match(ch) else self.light


_WEIGHERS: dict[Config, _Weigher] = {}
_V3_WEIGHER = _Weigher(CONFIG_V3)


def _weigher(config: Config) -> _Weigher:
    if config is CONFIG_V3:
        return _V3_WEIGHER
    if config not in _WEIGHERS:
        _WEIGHERS[config] = _Weigher(config)
    return _WEIGHERS[config]


def _scaled_length(text: str, tokens: list[_Token], weigher: _Weigher) -> int:
    total = 0
    pos = 0
    for token in tokens:
        total += weigher.run(text[pos : token.start]) + token.weight
        pos = token.end
    return total + weigher.run(text[pos:])


def weighted_length(text: str, config: Config = CONFIG_V3) -> int:
    """X's weighted length of ``text``; a post fits when it is 1-280.

    The same number as :func:`parse_tweet`'s, without working out where the
    text stops fitting.
    """
    normalized = _normalize(text)
    scaled = _scaled_length(normalized, _entities(normalized, config), _weigher(config))
    return scaled // config.scale  # every twitter-text weight is a multiple of the scale


def parse_tweet(text: str, config: Config = CONFIG_V3) -> ParseResult:
    """twitter-text's ``parseTweet``: the weighted length, validity and ranges."""
    normalized = _normalize(text)
    tokens = _entities(normalized, config)
    weigher = _weigher(config)
    scaled = _scaled_length(normalized, tokens, weigher)
    limit = config.max_weighted_length * config.scale
    if scaled <= limit and not _TWITTER_INVALID.search(normalized):
        valid_units = _utf16_len(normalized)  # every character is inside the valid range
        clean = True
    else:
        valid_units, clean = _valid_prefix_units(normalized, tokens, weigher, limit)
    length = scaled // config.scale
    text_units = _utf16_len(text)
    # parseTweet reports the last valid index in the normalised text, shifted
    # by how much normalisation shortened it.
    valid_end = max(valid_units - 1, 0) + text_units - _utf16_len(normalized)
    return ParseResult(
        weighted_length=length,
        valid=clean and 0 < length <= config.max_weighted_length,
        permillage=math.floor(length / config.max_weighted_length * 1000),
        valid_range_start=0,
        valid_range_end=valid_end,
        display_range_start=0,
        display_range_end=max(text_units - 1, 0),
    )


def _valid_prefix_units(
    text: str, tokens: list[_Token], weigher: _Weigher, limit: int
) -> tuple[int, bool]:
    """UTF-16 length of the longest prefix that fits, and whether the text is clean.

    The slow path of parseTweet's loop, only taken by texts that are too long
    or hold a refused character. As there, a refused character invalidates
    the rest of the text, and the prefix is counted in whole tokens.
    """
    clean = True
    scaled = 0
    units = 0
    valid_units = 0
    pieces: list[tuple[int, int, int]] = []
    pos = 0
    for token in tokens:
        pieces += [(i, i + 1, -1) for i in range(pos, token.start)]
        pieces.append((token.start, token.end, token.weight))
        pos = token.end
    pieces += [(i, i + 1, -1) for i in range(pos, len(text))]
    for start, end, weight in pieces:
        piece = text[start:end]
        scaled += weigher.char(piece) if weight < 0 else weight
        units += _utf16_len(piece)
        # parseTweet tests only a token's last character: a URL or emoji
        # never ends in a refused character, so this is the character itself.
        if clean and _TWITTER_INVALID.match(piece[-1]):
            clean = False
        if clean and scaled <= limit:
            valid_units = units
    return valid_units, clean


# --- twitter-text's emoji pattern -------------------------------------------------
# Converted from rb/lib/twitter-text/emoji_regex.rb (twitter-text v3.1.0,
# generated there from Unicode's emoji data): only \u{…} became \U…, the
# pattern is otherwise unchanged. _EMOJI_FIRST is the set of characters it can
# start with, worked out from the pattern (tests/test_channel_x.py checks it).

_EMOJI_PATTERN = (
    r"(?:\U0001f468\U0001f3fb\u200d\U0001f91d\u200d\U0001f468[\U0001f3fc-\U0001f3ff]|"
    r"\U0001f468\U0001f3fc\u200d\U0001f91d\u200d\U0001f468[\U0001f3fb\U0001f3fd-"
    r"\U0001f3ff]|"
    r"\U0001f468\U0001f3fd\u200d\U0001f91d\u200d\U0001f468[\U0001f3fb\U0001f3fc\U0001f3fe"
    r"\U0001f3ff]|"
    r"\U0001f468\U0001f3fe\u200d\U0001f91d\u200d\U0001f468[\U0001f3fb-\U0001f3fd"
    r"\U0001f3ff]|"
    r"\U0001f468\U0001f3ff\u200d\U0001f91d\u200d\U0001f468[\U0001f3fb-\U0001f3fe]|"
    r"\U0001f469\U0001f3fb\u200d\U0001f91d\u200d\U0001f468[\U0001f3fc-\U0001f3ff]|"
    r"\U0001f469\U0001f3fb\u200d\U0001f91d\u200d\U0001f469[\U0001f3fc-\U0001f3ff]|"
    r"\U0001f469\U0001f3fc\u200d\U0001f91d\u200d\U0001f468[\U0001f3fb\U0001f3fd-"
    r"\U0001f3ff]|"
    r"\U0001f469\U0001f3fc\u200d\U0001f91d\u200d\U0001f469[\U0001f3fb\U0001f3fd-"
    r"\U0001f3ff]|"
    r"\U0001f469\U0001f3fd\u200d\U0001f91d\u200d\U0001f468[\U0001f3fb\U0001f3fc\U0001f3fe"
    r"\U0001f3ff]|"
    r"\U0001f469\U0001f3fd\u200d\U0001f91d\u200d\U0001f469[\U0001f3fb\U0001f3fc\U0001f3fe"
    r"\U0001f3ff]|"
    r"\U0001f469\U0001f3fe\u200d\U0001f91d\u200d\U0001f468[\U0001f3fb-\U0001f3fd"
    r"\U0001f3ff]|"
    r"\U0001f469\U0001f3fe\u200d\U0001f91d\u200d\U0001f469[\U0001f3fb-\U0001f3fd"
    r"\U0001f3ff]|"
    r"\U0001f469\U0001f3ff\u200d\U0001f91d\u200d\U0001f468[\U0001f3fb-\U0001f3fe]|"
    r"\U0001f469\U0001f3ff\u200d\U0001f91d\u200d\U0001f469[\U0001f3fb-\U0001f3fe]|"
    r"\U0001f9d1\U0001f3fb\u200d\U0001f91d\u200d\U0001f9d1[\U0001f3fb-\U0001f3ff]|"
    r"\U0001f9d1\U0001f3fc\u200d\U0001f91d\u200d\U0001f9d1[\U0001f3fb-\U0001f3ff]|"
    r"\U0001f9d1\U0001f3fd\u200d\U0001f91d\u200d\U0001f9d1[\U0001f3fb-\U0001f3ff]|"
    r"\U0001f9d1\U0001f3fe\u200d\U0001f91d\u200d\U0001f9d1[\U0001f3fb-\U0001f3ff]|"
    r"\U0001f9d1\U0001f3ff\u200d\U0001f91d\u200d\U0001f9d1[\U0001f3fb-\U0001f3ff]|"
    r"\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1|\U0001f46b[\U0001f3fb-\U0001f3ff]|"
    r"\U0001f46c[\U0001f3fb-\U0001f3ff]|\U0001f46d[\U0001f3fb-\U0001f3ff]|"
    r"[\U0001f46b-\U0001f46d])|"
    r"[\U0001f468\U0001f469\U0001f9d1][\U0001f3fb-\U0001f3ff]?\u200d(?:\u2695\ufe0f|"
    r"\u2696\ufe0f|\u2708\ufe0f|"
    r"[\U0001f33e\U0001f373\U0001f393\U0001f3a4\U0001f3a8\U0001f3eb\U0001f3ed\U0001f4bb"
    r"\U0001f4bc\U0001f527\U0001f52c\U0001f680\U0001f692\U0001f9af-\U0001f9b3\U0001f9bc"
    r"\U0001f9bd])|"
    r"[\u26f9\U0001f3cb\U0001f3cc\U0001f574\U0001f575](?:[\ufe0f\U0001f3fb-\U0001f3ff]"
    r"\u200d[\u2640\u2642]\ufe0f)|"
    r"[\U0001f3c3\U0001f3c4\U0001f3ca\U0001f46e\U0001f471\U0001f473\U0001f477\U0001f481"
    r"\U0001f482\U0001f486\U0001f487\U0001f645-\U0001f647\U0001f64b\U0001f64d\U0001f64e"
    r"\U0001f6a3\U0001f6b4-\U0001f6b6\U0001f926\U0001f935\U0001f937-\U0001f939\U0001f93d"
    r"\U0001f93e\U0001f9b8\U0001f9b9\U0001f9cd-\U0001f9cf\U0001f9d6-\U0001f9dd]["
    r"\U0001f3fb-\U0001f3ff]?\u200d[\u2640\u2642]\ufe0f|"
    r"(?:\U0001f468\u200d\u2764\ufe0f\u200d\U0001f48b\u200d\U0001f468|"
    r"\U0001f469\u200d\u2764\ufe0f\u200d\U0001f48b\u200d[\U0001f468\U0001f469]|"
    r"\U0001f468\u200d\U0001f468\u200d\U0001f466\u200d\U0001f466|"
    r"\U0001f468\u200d\U0001f468\u200d\U0001f467\u200d[\U0001f466\U0001f467]|"
    r"\U0001f468\u200d\U0001f469\u200d\U0001f466\u200d\U0001f466|"
    r"\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d[\U0001f466\U0001f467]|"
    r"\U0001f469\u200d\U0001f469\u200d\U0001f466\u200d\U0001f466|"
    r"\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d[\U0001f466\U0001f467]|"
    r"\U0001f468\u200d\u2764\ufe0f\u200d\U0001f468|"
    r"\U0001f469\u200d\u2764\ufe0f\u200d[\U0001f468\U0001f469]|"
    r"\U0001f3f3\ufe0f\u200d\u26a7\ufe0f|\U0001f468\u200d\U0001f466\u200d\U0001f466|"
    r"\U0001f468\u200d\U0001f467\u200d[\U0001f466\U0001f467]|"
    r"\U0001f468\u200d\U0001f468\u200d[\U0001f466\U0001f467]|"
    r"\U0001f468\u200d\U0001f469\u200d[\U0001f466\U0001f467]|"
    r"\U0001f469\u200d\U0001f466\u200d\U0001f466|"
    r"\U0001f469\u200d\U0001f467\u200d[\U0001f466\U0001f467]|"
    r"\U0001f469\u200d\U0001f469\u200d[\U0001f466\U0001f467]|"
    r"\U0001f3f3\ufe0f\u200d\U0001f308|\U0001f3f4\u200d\u2620\ufe0f|"
    r"\U0001f46f\u200d\u2640\ufe0f|\U0001f46f\u200d\u2642\ufe0f|"
    r"\U0001f93c\u200d\u2640\ufe0f|\U0001f93c\u200d\u2642\ufe0f|"
    r"\U0001f9de\u200d\u2640\ufe0f|\U0001f9de\u200d\u2642\ufe0f|"
    r"\U0001f9df\u200d\u2640\ufe0f|\U0001f9df\u200d\u2642\ufe0f|"
    r"\U0001f415\u200d\U0001f9ba|\U0001f441\u200d\U0001f5e8|"
    r"\U0001f468\u200d[\U0001f466\U0001f467]|\U0001f469\u200d[\U0001f466\U0001f467])|"
    r"[#*0-9]\ufe0f?\u20e3|(?:[©®\u2122\u265f]\ufe0f)|"
    r"[\u203c\u2049\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf\u23ed-\u23ef"
    r"\u23f1\u23f2\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u2604"
    r"\u260e\u2611\u2614\u2615\u2618\u2620\u2622\u2623\u2626\u262a\u262e\u262f\u2638-"
    r"\u263a\u2640\u2642\u2648-\u2653\u2660\u2663\u2665\u2666\u2668\u267b\u267f\u2692-"
    r"\u2697\u2699\u269b\u269c\u26a0\u26a1\u26a7\u26aa\u26ab\u26b0\u26b1\u26bd\u26be\u26c4"
    r"\u26c5\u26c8\u26cf\u26d1\u26d3\u26d4\u26e9\u26ea\u26f0-\u26f5\u26f8\u26fa\u26fd"
    r"\u2702\u2708\u2709\u270f\u2712\u2714\u2716\u271d\u2721\u2733\u2734\u2744\u2747\u2757"
    r"\u2763\u2764\u27a1\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d"
    r"\u3297\u3299\U0001f004\U0001f170\U0001f171\U0001f17e\U0001f17f\U0001f202\U0001f21a"
    r"\U0001f22f\U0001f237\U0001f321\U0001f324-\U0001f32c\U0001f336\U0001f37d\U0001f396"
    r"\U0001f397\U0001f399-\U0001f39b\U0001f39e\U0001f39f\U0001f3cd\U0001f3ce\U0001f3d4-"
    r"\U0001f3df\U0001f3f3\U0001f3f5\U0001f3f7\U0001f43f\U0001f441\U0001f4fd\U0001f549"
    r"\U0001f54a\U0001f56f\U0001f570\U0001f573\U0001f576-\U0001f579\U0001f587\U0001f58a-"
    r"\U0001f58d\U0001f5a5\U0001f5a8\U0001f5b1\U0001f5b2\U0001f5bc\U0001f5c2-\U0001f5c4"
    r"\U0001f5d1-\U0001f5d3\U0001f5dc-\U0001f5de\U0001f5e1\U0001f5e3\U0001f5e8\U0001f5ef"
    r"\U0001f5f3\U0001f5fa\U0001f6cb\U0001f6cd-\U0001f6cf\U0001f6e0-\U0001f6e5\U0001f6e9"
    r"\U0001f6f0\U0001f6f3](?:\ufe0f|(?!\ufe0e))|"
    r"(?:[\u261d\u26f7\u26f9\u270c\u270d\U0001f3cb\U0001f3cc\U0001f574\U0001f575"
    r"\U0001f590](?:\ufe0f|(?!\ufe0e))|"
    r"[\u270a\u270b\U0001f385\U0001f3c2-\U0001f3c4\U0001f3c7\U0001f3ca\U0001f442\U0001f443"
    r"\U0001f446-\U0001f450\U0001f466-\U0001f469\U0001f46e\U0001f470-\U0001f478\U0001f47c"
    r"\U0001f481-\U0001f483\U0001f485-\U0001f487\U0001f4aa\U0001f57a\U0001f595\U0001f596"
    r"\U0001f645-\U0001f647\U0001f64b-\U0001f64f\U0001f6a3\U0001f6b4-\U0001f6b6\U0001f6c0"
    r"\U0001f6cc\U0001f90f\U0001f918-\U0001f91c\U0001f91e\U0001f91f\U0001f926\U0001f930-"
    r"\U0001f939\U0001f93d\U0001f93e\U0001f9b5\U0001f9b6\U0001f9b8\U0001f9b9\U0001f9bb"
    r"\U0001f9cd-\U0001f9cf\U0001f9d1-\U0001f9dd])[\U0001f3fb-\U0001f3ff]?|"
    r"(?:\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f|"
    r"\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f|"
    r"\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f|"
    r"\U0001f1e6[\U0001f1e8-\U0001f1ec\U0001f1ee\U0001f1f1\U0001f1f2\U0001f1f4\U0001f1f6-"
    r"\U0001f1fa\U0001f1fc\U0001f1fd\U0001f1ff]|"
    r"\U0001f1e7[\U0001f1e6\U0001f1e7\U0001f1e9-\U0001f1ef\U0001f1f1-\U0001f1f4\U0001f1f6-"
    r"\U0001f1f9\U0001f1fb\U0001f1fc\U0001f1fe\U0001f1ff]|"
    r"\U0001f1e8[\U0001f1e6\U0001f1e8\U0001f1e9\U0001f1eb-\U0001f1ee\U0001f1f0-\U0001f1f5"
    r"\U0001f1f7\U0001f1fa-\U0001f1ff]|"
    r"\U0001f1e9[\U0001f1ea\U0001f1ec\U0001f1ef\U0001f1f0\U0001f1f2\U0001f1f4\U0001f1ff]|"
    r"\U0001f1ea[\U0001f1e6\U0001f1e8\U0001f1ea\U0001f1ec\U0001f1ed\U0001f1f7-\U0001f1fa]|"
    r"\U0001f1eb[\U0001f1ee-\U0001f1f0\U0001f1f2\U0001f1f4\U0001f1f7]|"
    r"\U0001f1ec[\U0001f1e6\U0001f1e7\U0001f1e9-\U0001f1ee\U0001f1f1-\U0001f1f3\U0001f1f5-"
    r"\U0001f1fa\U0001f1fc\U0001f1fe]|"
    r"\U0001f1ed[\U0001f1f0\U0001f1f2\U0001f1f3\U0001f1f7\U0001f1f9\U0001f1fa]|"
    r"\U0001f1ee[\U0001f1e8-\U0001f1ea\U0001f1f1-\U0001f1f4\U0001f1f6-\U0001f1f9]|"
    r"\U0001f1ef[\U0001f1ea\U0001f1f2\U0001f1f4\U0001f1f5]|"
    r"\U0001f1f0[\U0001f1ea\U0001f1ec-\U0001f1ee\U0001f1f2\U0001f1f3\U0001f1f5\U0001f1f7"
    r"\U0001f1fc\U0001f1fe\U0001f1ff]|"
    r"\U0001f1f1[\U0001f1e6-\U0001f1e8\U0001f1ee\U0001f1f0\U0001f1f7-\U0001f1fb"
    r"\U0001f1fe]|\U0001f1f2[\U0001f1e6\U0001f1e8-\U0001f1ed\U0001f1f0-\U0001f1ff]|"
    r"\U0001f1f3[\U0001f1e6\U0001f1e8\U0001f1ea-\U0001f1ec\U0001f1ee\U0001f1f1\U0001f1f4"
    r"\U0001f1f5\U0001f1f7\U0001f1fa\U0001f1ff]|\U0001f1f4\U0001f1f2|"
    r"\U0001f1f5[\U0001f1e6\U0001f1ea-\U0001f1ed\U0001f1f0-\U0001f1f3\U0001f1f7-\U0001f1f9"
    r"\U0001f1fc\U0001f1fe]|\U0001f1f6\U0001f1e6|"
    r"\U0001f1f7[\U0001f1ea\U0001f1f4\U0001f1f8\U0001f1fa\U0001f1fc]|"
    r"\U0001f1f8[\U0001f1e6-\U0001f1ea\U0001f1ec-\U0001f1f4\U0001f1f7-\U0001f1f9\U0001f1fb"
    r"\U0001f1fd-\U0001f1ff]|"
    r"\U0001f1f9[\U0001f1e6\U0001f1e8\U0001f1e9\U0001f1eb-\U0001f1ed\U0001f1ef-\U0001f1f4"
    r"\U0001f1f7\U0001f1f9\U0001f1fb\U0001f1fc\U0001f1ff]|"
    r"\U0001f1fa[\U0001f1e6\U0001f1ec\U0001f1f2\U0001f1f3\U0001f1f8\U0001f1fe\U0001f1ff]|"
    r"\U0001f1fb[\U0001f1e6\U0001f1e8\U0001f1ea\U0001f1ec\U0001f1ee\U0001f1f3\U0001f1fa]|"
    r"\U0001f1fc[\U0001f1eb\U0001f1f8]|\U0001f1fd\U0001f1f0|"
    r"\U0001f1fe[\U0001f1ea\U0001f1f9]|\U0001f1ff[\U0001f1e6\U0001f1f2\U0001f1fc]|"
    r"[\u23e9-\u23ec\u23f0\u23f3\u267e\u26ce\u2705\u2728\u274c\u274e\u2753-\u2755\u2795-"
    r"\u2797\u27b0\u27bf\ue50a\U0001f0cf\U0001f18e\U0001f191-\U0001f19a\U0001f1e6-"
    r"\U0001f1ff\U0001f201\U0001f232-\U0001f236\U0001f238-\U0001f23a\U0001f250\U0001f251"
    r"\U0001f300-\U0001f320\U0001f32d-\U0001f335\U0001f337-\U0001f37c\U0001f37e-\U0001f384"
    r"\U0001f386-\U0001f393\U0001f3a0-\U0001f3c1\U0001f3c5\U0001f3c6\U0001f3c8\U0001f3c9"
    r"\U0001f3cf-\U0001f3d3\U0001f3e0-\U0001f3f0\U0001f3f4\U0001f3f8-\U0001f43e\U0001f440"
    r"\U0001f444\U0001f445\U0001f451-\U0001f465\U0001f46a\U0001f46f\U0001f479-\U0001f47b"
    r"\U0001f47d-\U0001f480\U0001f484\U0001f488-\U0001f4a9\U0001f4ab-\U0001f4fc\U0001f4ff-"
    r"\U0001f53d\U0001f54b-\U0001f54e\U0001f550-\U0001f567\U0001f5a4\U0001f5fb-\U0001f644"
    r"\U0001f648-\U0001f64a\U0001f680-\U0001f6a2\U0001f6a4-\U0001f6b3\U0001f6b7-\U0001f6bf"
    r"\U0001f6c1-\U0001f6c5\U0001f6d0-\U0001f6d2\U0001f6d5\U0001f6eb\U0001f6ec\U0001f6f4-"
    r"\U0001f6fa\U0001f7e0-\U0001f7eb\U0001f90d\U0001f90e\U0001f910-\U0001f917\U0001f91d"
    r"\U0001f920-\U0001f925\U0001f927-\U0001f92f\U0001f93a\U0001f93c\U0001f93f-\U0001f945"
    r"\U0001f947-\U0001f971\U0001f973-\U0001f976\U0001f97a-\U0001f9a2\U0001f9a5-\U0001f9aa"
    r"\U0001f9ae-\U0001f9b4\U0001f9b7\U0001f9ba\U0001f9bc-\U0001f9ca\U0001f9d0\U0001f9de-"
    r"\U0001f9ff\U0001fa70-\U0001fa73\U0001fa78-\U0001fa7a\U0001fa80-\U0001fa82\U0001fa90-"
    r"\U0001fa95])|\ufe0f"
)

_EMOJI_FIRST = (
    r"\x23\x2a\x30-\x39\xa9\xae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9-\u21aa\u231a-"
    r"\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa-\u25ab\u25b6\u25c0\u25fb-"
    r"\u25fe\u2600-\u2604\u260e\u2611\u2614-\u2615\u2618\u261d\u2620\u2622-\u2623\u2626"
    r"\u262a\u262e-\u262f\u2638-\u263a\u2640\u2642\u2648-\u2653\u265f-\u2660\u2663\u2665-"
    r"\u2666\u2668\u267b\u267e-\u267f\u2692-\u2697\u2699\u269b-\u269c\u26a0-\u26a1\u26a7"
    r"\u26aa-\u26ab\u26b0-\u26b1\u26bd-\u26be\u26c4-\u26c5\u26c8\u26ce-\u26cf\u26d1\u26d3-"
    r"\u26d4\u26e9-\u26ea\u26f0-\u26f5\u26f7-\u26fa\u26fd\u2702\u2705\u2708-\u270d\u270f"
    r"\u2712\u2714\u2716\u271d\u2721\u2728\u2733-\u2734\u2744\u2747\u274c\u274e\u2753-"
    r"\u2755\u2757\u2763-\u2764\u2795-\u2797\u27a1\u27b0\u27bf\u2934-\u2935\u2b05-\u2b07"
    r"\u2b1b-\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299\ue50a\ufe0f\U0001f004\U0001f0cf"
    r"\U0001f170-\U0001f171\U0001f17e-\U0001f17f\U0001f18e\U0001f191-\U0001f19a\U0001f1e6-"
    r"\U0001f1ff\U0001f201-\U0001f202\U0001f21a\U0001f22f\U0001f232-\U0001f23a\U0001f250-"
    r"\U0001f251\U0001f300-\U0001f321\U0001f324-\U0001f393\U0001f396-\U0001f397\U0001f399-"
    r"\U0001f39b\U0001f39e-\U0001f3f0\U0001f3f3-\U0001f3f5\U0001f3f7-\U0001f4fd\U0001f4ff-"
    r"\U0001f53d\U0001f549-\U0001f54e\U0001f550-\U0001f567\U0001f56f-\U0001f570\U0001f573-"
    r"\U0001f57a\U0001f587\U0001f58a-\U0001f58d\U0001f590\U0001f595-\U0001f596\U0001f5a4-"
    r"\U0001f5a5\U0001f5a8\U0001f5b1-\U0001f5b2\U0001f5bc\U0001f5c2-\U0001f5c4\U0001f5d1-"
    r"\U0001f5d3\U0001f5dc-\U0001f5de\U0001f5e1\U0001f5e3\U0001f5e8\U0001f5ef\U0001f5f3"
    r"\U0001f5fa-\U0001f64f\U0001f680-\U0001f6c5\U0001f6cb-\U0001f6d2\U0001f6d5\U0001f6e0-"
    r"\U0001f6e5\U0001f6e9\U0001f6eb-\U0001f6ec\U0001f6f0\U0001f6f3-\U0001f6fa\U0001f7e0-"
    r"\U0001f7eb\U0001f90d-\U0001f93a\U0001f93c-\U0001f945\U0001f947-\U0001f971\U0001f973-"
    r"\U0001f976\U0001f97a-\U0001f9a2\U0001f9a5-\U0001f9aa\U0001f9ae-\U0001f9ca\U0001f9cd-"
    r"\U0001f9ff\U0001fa70-\U0001fa73\U0001fa78-\U0001fa7a\U0001fa80-\U0001fa82\U0001fa90-"
    r"\U0001fa95"
)


@functools.cache
def _emoji() -> re.Pattern[str]:
    return re.compile(_EMOJI_PATTERN)  # on first use, like the URL patterns


# A set lookup, as a class of 154 ranges with astral ones is slow to test in re.
_EMOJI_FIRST_SET = frozenset(
    cp
    for lo, hi in re.findall(r"(.)(?:-(.))?", _EMOJI_FIRST.encode().decode("unicode_escape"))
    for cp in range(ord(lo), ord(hi or lo) + 1)
)
# Every first character above is one of these; a keycap's digit, # or * is
# only a start when U+FE0F or U+20E3 follows it.
_EMOJI_CANDIDATE = re.compile(r"[#*0-9](?=[\ufe0f\u20e3])|[\xa9\xae\u203c-\U0010ffff]")
