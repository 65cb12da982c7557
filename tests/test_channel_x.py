"""X counting against twitter-text's own conformance suite, plus properties.

The YAML files in tests/data/twitter-text are sections of twitter-text's
conformance/validate.yml and extract.yml, copied verbatim: if X's counting
and ours ever disagree on one of them, the build would pass a post X rejects.
"""

from __future__ import annotations

import re
import re._constants as sre_constants  # only to check _EMOJI_FIRST below
import re._parser as sre_parser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.channels import x

DATA = Path(__file__).parent / "data" / "twitter-text"


def _cases(file: str, section: str) -> list[Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # tlds.yml is large
    tests = yaml.load((DATA / file).read_text(encoding="utf-8"), Loader=loader)["tests"]
    return [pytest.param(case, id=case["description"]) for case in tests[section]]


def _expected(expected: dict[str, Any]) -> x.ParseResult:
    return x.ParseResult(
        weighted_length=expected["weightedLength"],
        valid=expected["valid"],
        permillage=expected["permillage"],
        valid_range_start=expected["validRangeStart"],
        valid_range_end=expected["validRangeEnd"],
        display_range_start=expected["displayRangeStart"],
        display_range_end=expected["displayRangeEnd"],
    )


# twitter-text runs WeightedTweetsCounterTest with config v2 and the
# discounted-emoji cases with v3 (rb/test/conformance_test.rb); the
# directional-marker cases use the default, v3.
@pytest.mark.parametrize("case", _cases("validate.yml", "WeightedTweetsCounterTest"))
def test_weighted_length_v2(case: dict[str, Any]) -> None:
    assert x.parse_tweet(case["text"], x.CONFIG_V2) == _expected(case["expected"])
    assert x.weighted_length(case["text"], x.CONFIG_V2) == case["expected"]["weightedLength"]


@pytest.mark.parametrize(
    "case", _cases("validate.yml", "WeightedTweetsWithDiscountedEmojiCounterTest")
)
def test_weighted_length_v3(case: dict[str, Any]) -> None:
    assert x.parse_tweet(case["text"]) == _expected(case["expected"])
    assert x.weighted_length(case["text"]) == case["expected"]["weightedLength"]


@pytest.mark.parametrize("case", _cases("validate.yml", "UnicodeDirectionalMarkerCounterTest"))
def test_directional_markers(case: dict[str, Any]) -> None:
    assert x.parse_tweet(case["text"]) == _expected(case["expected"])


@pytest.mark.parametrize("case", _cases("extract.yml", "urls"))
def test_extract_urls(case: dict[str, Any]) -> None:
    assert x.extract_urls(case["text"]) == (case["expected"] or [])


@pytest.mark.parametrize("case", _cases("extract.yml", "tco_urls_with_params"))
def test_extract_tco_urls_with_params(case: dict[str, Any]) -> None:
    assert x.extract_urls(case["text"]) == (case["expected"] or [])


@pytest.mark.parametrize(
    "case",
    _cases("extract.yml", "urls_with_indices")
    + _cases("extract.yml", "urls_with_directional_markers"),
)
def test_extract_urls_with_indices(case: dict[str, Any]) -> None:
    expected = [(u["url"], *u["indices"]) for u in case["expected"] or []]
    assert [tuple(entity) for entity in x.url_entities(case["text"])] == expected
    assert x.url_spans(case["text"]) == [(start, end) for _, start, end in expected]


@pytest.mark.parametrize("case", _cases("tlds.yml", "country") + _cases("tlds.yml", "generic"))
def test_every_tld_is_linked(case: dict[str, Any]) -> None:
    assert x.extract_urls(case["text"]) == case["expected"]


# --- what the conformance files do not pin down ---------------------------------


def test_limit_is_280_in_callers_units() -> None:
    assert x.weighted_length("a" * 280) == 280
    assert x.parse_tweet("a" * 280).valid
    assert not x.parse_tweet("a" * 281).valid
    assert x.weighted_length("日本" * 70) == 280


def test_every_url_weighs_23() -> None:
    long_url = "https://example.org/" + "p" * 200
    assert x.weighted_length(f"see {long_url}") == 4 + 23
    assert x.weighted_length("see example.org/spring") == 4 + 23


def test_url_boundaries() -> None:
    # glued to a letter or after @ # $: no link, counted in full
    assert x.url_spans("xhttps://example.com") == []
    assert x.weighted_length("xhttps://example.com") == 20
    assert x.url_spans("@example.com") == []
    assert x.url_spans("#example.com") == []
    assert x.url_spans("$example.com") == []
    # an apostrophe, CJK, Arabic or a trailing dash ends it
    assert x.extract_urls("example.com's") == ["example.com"]
    assert x.extract_urls("https://example.com/a'b") == ["https://example.com/a'b"]
    assert x.extract_urls("https://example.com/path日本") == ["https://example.com/path"]
    assert x.extract_urls("https://example.com/pathپاکستان") == ["https://example.com/path"]
    assert x.extract_urls("see example.comپاکستان") == ["example.com"]
    assert x.extract_urls("https://example.com/path-") == ["https://example.com/path-"]
    assert x.extract_urls("https://example.com/path.") == ["https://example.com/path"]
    assert x.extract_urls("example.invalidtld") == []
    # a host label over 63 characters is no host
    assert x.extract_urls("https://" + "a" * 64 + ".com") == []
    assert x.extract_urls("https://" + "a" * 63 + ".com") == ["https://" + "a" * 63 + ".com"]


def test_nfc_before_counting() -> None:
    decomposed = "Cafe\u0301 " * 40  # 5 code points per word before NFC, 4 after
    assert x.weighted_length(decomposed) == 5 * 40
    assert x.parse_tweet(decomposed).display_range_end == len(decomposed) - 1


def test_invalid_characters() -> None:
    text = "ok\ufffe ok\uffff\ufeff \ud800 \u202eRTL\u202c"
    assert x.invalid_characters(text) == [2, 6, 7, 9]
    assert not x.parse_tweet("a\uffffb").valid
    assert x.parse_tweet("\u202eabc\u202c").valid  # v3 accepts direction overrides
    assert x.invalid_characters("plain text, 日本語, 😷") == []


def test_emoji_first_characters_cover_the_pattern() -> None:
    """_EMOJI_FIRST must hold every character the emoji pattern can start with."""

    def first(seq: Any) -> set[int]:
        found: set[int] = set()
        for op, av in seq:
            chars, nullable = item(op, av)
            found |= chars
            if not nullable:
                return found
        return found

    def item(op: Any, av: Any) -> tuple[set[int], bool]:
        c = sre_constants
        if op is c.LITERAL:
            return {av}, False
        if op is c.IN:
            chars: set[int] = set()
            for o, a in av:
                chars |= {a} if o is c.LITERAL else set(range(a[0], a[1] + 1))
            return chars, False
        if op is c.SUBPATTERN:
            return first(av[-1]), False
        if op is c.BRANCH:
            return set().union(*(first(alt) for alt in av[1])), False
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            return first(av[2]), av[0] == 0
        if op in (c.ASSERT, c.ASSERT_NOT):
            return set(), True
        raise AssertionError(op)

    starts = first(sre_parser.parse(x._EMOJI_PATTERN))
    assert starts == x._EMOJI_FIRST_SET
    # the coarse scan finds each of them (a keycap base only before U+20E3)
    assert all(x._EMOJI_CANDIDATE.match(chr(cp) + "\u20e3") for cp in starts)


def test_tld_trie_picks_what_the_flat_list_would() -> None:
    """The trie prefers a longer TLD; twitter-text's flat list must never prefer its prefix."""
    ends_host = re.compile(r"[^0-9a-zA-Z@+-]")
    tlds = x.TWITTER_TEXT_GENERIC + x.TWITTER_TEXT_COUNTRY
    for i, shorter in enumerate(tlds):
        for longer in tlds[i + 1 :]:
            if longer.startswith(shorter) and longer != shorter:
                assert not ends_host.match(longer[len(shorter)]), (shorter, longer)
    flat = re.compile(
        "(?:" + "|".join(map(re.escape, x.TWITTER_TEXT_GENERIC)) + r")(?=[^0-9a-zA-Z@+-]|\Z)",
        x._FLAGS,
    )
    trie = re.compile(x._url_patterns().gtld, x._FLAGS)
    for tld in x.TWITTER_TEXT_GENERIC:
        for probe in (tld, tld + "/", tld.upper() + " ", tld[:-1], tld + "x", tld + "大"):
            flat_match, trie_match = flat.match(probe), trie.match(probe)
            assert (flat_match and flat_match.end()) == (trie_match and trie_match.end()), probe


def test_emoji_spans() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
    assert x.emoji_spans(f"a {family} 1\u20e3 \U0001f1e9\U0001f1ea") == [(2, 9), (10, 12), (13, 15)]
    assert x.weighted_length(family * 140) == 280


# --- properties ------------------------------------------------------------------

_pieces = st.one_of(
    st.characters(),
    st.sampled_from(
        list("./:-_@#$'?()t 日😷\u200d\u20e3\ufe0f\u202e\uffff\ud800")
        + ["https://", "http://", "example.com", "t.co/", "xn--", ".jp", "\U0001f468"]
    ),
)
_texts = st.lists(_pieces, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_any_text_counts(text: str) -> None:
    length = x.weighted_length(text)
    assert length >= 0
    assert length == x.parse_tweet(text).weighted_length


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_url_spans_lie_inside_and_apart(text: str) -> None:
    previous_end = 0
    for start, end in x.url_spans(text):
        assert previous_end <= start < end <= len(text)
        previous_end = end
    for start, end in x.emoji_spans(text):
        assert 0 <= start < end <= len(text)


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_a_url_with_a_scheme_is_what_it_spans(text: str) -> None:
    for entity in x.url_entities(text):
        if "://" in entity.url:
            assert text[entity.start : entity.end] == entity.url


def test_surrogates_do_not_crash() -> None:
    assert x.weighted_length("\ud83d") == 2
    assert x.url_spans("\udc00example.com") == [(1, 12)]
    assert re.fullmatch(r"\d+", str(x.parse_tweet("\ud800" * 3).weighted_length))
