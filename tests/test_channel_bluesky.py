"""Bluesky facet detection, ported from Bluesky's own tests.

SEGMENT_CASES, TAG_CASES and CASHTAG_CASES are the input and expected-output
tables of bluesky-social/atproto ``packages/api/tests/rich-text-detection.test.ts``
(``detectFacets`` "correctly handles a set of text inputs", "correctly detects
tags inline" and "correctly detects cashtags inline"), copied entry for entry.
The checks replay that file's: the text is cut into segments the way
``RichText.segments()`` does, and a mention's value is what its mock resolver
returns, ``did:fake:<handle>``.
"""

from __future__ import annotations

from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.channels import bluesky
from hearth.channels.bluesky import facets

SEGMENT_CASES: list[tuple[str, list[tuple[str, ...]]]] = [
    ("no mention", [("no mention",)]),
    ("@handle.com middle end", [("@handle.com", "did:fake:handle.com"), (" middle end",)]),
    ("start @handle.com end", [("start ",), ("@handle.com", "did:fake:handle.com"), (" end",)]),
    ("start middle @handle.com", [("start middle ",), ("@handle.com", "did:fake:handle.com")]),
    (
        "@handle.com @handle.com @handle.com",
        [
            ("@handle.com", "did:fake:handle.com"),
            (" ",),
            ("@handle.com", "did:fake:handle.com"),
            (" ",),
            ("@handle.com", "did:fake:handle.com"),
        ],
    ),
    ("@full123-chars.test", [("@full123-chars.test", "did:fake:full123-chars.test")]),
    ("not@right", [("not@right",)]),
    ("@handle.com!@#$chars", [("@handle.com", "did:fake:handle.com"), ("!@#$chars",)]),
    (
        "@handle.com\n@handle.com",
        [
            ("@handle.com", "did:fake:handle.com"),
            ("\n",),
            ("@handle.com", "did:fake:handle.com"),
        ],
    ),
    (
        "parenthetical (@handle.com)",
        [
            ("parenthetical (",),
            ("@handle.com", "did:fake:handle.com"),
            (")",),
        ],
    ),
    (
        "👨\u200d👩\u200d👧\u200d👧 @handle.com 👨\u200d👩\u200d👧\u200d👧",
        [
            ("👨\u200d👩\u200d👧\u200d👧 ",),
            ("@handle.com", "did:fake:handle.com"),
            (" 👨\u200d👩\u200d👧\u200d👧",),
        ],
    ),
    (
        "start https://middle.com end",
        [
            ("start ",),
            ("https://middle.com", "https://middle.com"),
            (" end",),
        ],
    ),
    (
        "start https://middle.com/foo/bar end",
        [
            ("start ",),
            ("https://middle.com/foo/bar", "https://middle.com/foo/bar"),
            (" end",),
        ],
    ),
    (
        "start https://middle.com/foo/bar?baz=bux end",
        [
            ("start ",),
            ("https://middle.com/foo/bar?baz=bux", "https://middle.com/foo/bar?baz=bux"),
            (" end",),
        ],
    ),
    (
        "start https://middle.com/foo/bar?baz=bux#hash end",
        [
            ("start ",),
            ("https://middle.com/foo/bar?baz=bux#hash", "https://middle.com/foo/bar?baz=bux#hash"),
            (" end",),
        ],
    ),
    (
        "https://start.com/foo/bar?baz=bux#hash middle end",
        [
            ("https://start.com/foo/bar?baz=bux#hash", "https://start.com/foo/bar?baz=bux#hash"),
            (" middle end",),
        ],
    ),
    (
        "start middle https://end.com/foo/bar?baz=bux#hash",
        [
            ("start middle ",),
            ("https://end.com/foo/bar?baz=bux#hash", "https://end.com/foo/bar?baz=bux#hash"),
        ],
    ),
    (
        "https://newline1.com\nhttps://newline2.com",
        [
            ("https://newline1.com", "https://newline1.com"),
            ("\n",),
            ("https://newline2.com", "https://newline2.com"),
        ],
    ),
    (
        "👨\u200d👩\u200d👧\u200d👧 https://middle.com 👨\u200d👩\u200d👧\u200d👧",
        [
            ("👨\u200d👩\u200d👧\u200d👧 ",),
            ("https://middle.com", "https://middle.com"),
            (" 👨\u200d👩\u200d👧\u200d👧",),
        ],
    ),
    ("start middle.com end", [("start ",), ("middle.com", "https://middle.com"), (" end",)]),
    (
        "start middle.com/foo/bar end",
        [
            ("start ",),
            ("middle.com/foo/bar", "https://middle.com/foo/bar"),
            (" end",),
        ],
    ),
    (
        "start middle.com/foo/bar?baz=bux end",
        [
            ("start ",),
            ("middle.com/foo/bar?baz=bux", "https://middle.com/foo/bar?baz=bux"),
            (" end",),
        ],
    ),
    (
        "start middle.com/foo/bar?baz=bux#hash end",
        [
            ("start ",),
            ("middle.com/foo/bar?baz=bux#hash", "https://middle.com/foo/bar?baz=bux#hash"),
            (" end",),
        ],
    ),
    (
        "start.com/foo/bar?baz=bux#hash middle end",
        [
            ("start.com/foo/bar?baz=bux#hash", "https://start.com/foo/bar?baz=bux#hash"),
            (" middle end",),
        ],
    ),
    (
        "start middle end.com/foo/bar?baz=bux#hash",
        [
            ("start middle ",),
            ("end.com/foo/bar?baz=bux#hash", "https://end.com/foo/bar?baz=bux#hash"),
        ],
    ),
    (
        "newline1.com\nnewline2.com",
        [
            ("newline1.com", "https://newline1.com"),
            ("\n",),
            ("newline2.com", "https://newline2.com"),
        ],
    ),
    (
        "a example.com/index.php php link",
        [
            ("a ",),
            ("example.com/index.php", "https://example.com/index.php"),
            (" php link",),
        ],
    ),
    (
        "a trailing bsky.app: colon",
        [
            ("a trailing ",),
            ("bsky.app", "https://bsky.app"),
            (": colon",),
        ],
    ),
    ("not.. a..url ..here", [("not.. a..url ..here",)]),
    ("e.g.", [("e.g.",)]),
    ("something-cool.jpg", [("something-cool.jpg",)]),
    ("website.com.jpg", [("website.com.jpg",)]),
    ("e.g./foo", [("e.g./foo",)]),
    ("website.com.jpg/foo", [("website.com.jpg/foo",)]),
    (
        "Classic article https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/",
        [
            ("Classic article ",),
            (
                "https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/",
                "https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/",
            ),
        ],
    ),
    (
        "Classic article https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/ ",
        [
            ("Classic article ",),
            (
                "https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/",
                "https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/",
            ),
            (" ",),
        ],
    ),
    (
        "https://foo.com https://bar.com/whatever https://baz.com",
        [
            ("https://foo.com", "https://foo.com"),
            (" ",),
            ("https://bar.com/whatever", "https://bar.com/whatever"),
            (" ",),
            ("https://baz.com", "https://baz.com"),
        ],
    ),
    (
        "punctuation https://foo.com, https://bar.com/whatever; https://baz.com.",
        [
            ("punctuation ",),
            ("https://foo.com", "https://foo.com"),
            (", ",),
            ("https://bar.com/whatever", "https://bar.com/whatever"),
            ("; ",),
            ("https://baz.com", "https://baz.com"),
            (".",),
        ],
    ),
    (
        "parenthentical (https://foo.com)",
        [
            ("parenthentical (",),
            ("https://foo.com", "https://foo.com"),
            (")",),
        ],
    ),
    (
        "except for https://foo.com/thing_(cool)",
        [
            ("except for ",),
            ("https://foo.com/thing_(cool)", "https://foo.com/thing_(cool)"),
        ],
    ),
]

TAG_CASES: list[tuple[str, list[str], list[tuple[int, int]]]] = [
    ("#a", ["a"], [(0, 2)]),
    ("#a #b", ["a", "b"], [(0, 2), (3, 5)]),
    ("#1", [], []),
    ("#1a", ["1a"], [(0, 3)]),
    ("#tag", ["tag"], [(0, 4)]),
    ("body #tag", ["tag"], [(5, 9)]),
    ("#tag body", ["tag"], [(0, 4)]),
    ("body #tag body", ["tag"], [(5, 9)]),
    ("body #1", [], []),
    ("body #1a", ["1a"], [(5, 8)]),
    ("body #a1", ["a1"], [(5, 8)]),
    ("#", [], []),
    ("#?", [], []),
    ("text #", [], []),
    ("text # text", [], []),
    (
        "body #thisisa64characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ["thisisa64characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        [(5, 70)],
    ),
    ("body #thisisa65characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", [], []),
    (
        "body #thisisa64characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
        ["thisisa64characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        [(5, 70)],
    ),
    ("its a #double#rainbow", ["double#rainbow"], [(6, 21)]),
    ("##hashash", ["#hashash"], [(0, 9)]),
    ("##", [], []),
    ("some #n0n3s@n5e!", ["n0n3s@n5e"], [(5, 15)]),
    ("works #with,punctuation", ["with,punctuation"], [(6, 23)]),
    (
        "strips trailing #punctuation, #like. #this!",
        ["punctuation", "like", "this"],
        [(16, 28), (30, 35), (37, 42)],
    ),
    ("strips #multi_trailing___...", ["multi_trailing"], [(7, 22)]),
    ("works with #🦋 emoji, and #butter🦋fly", ["🦋", "butter🦋fly"], [(11, 16), (28, 42)]),
    (
        "#same #same #but #diff",
        ["same", "same", "but", "diff"],
        [(0, 5), (6, 11), (12, 16), (17, 22)],
    ),
    ("this #️⃣tag should not be a tag", [], []),
    ("this ##️⃣tag should be a tag", ["#️⃣tag"], [(5, 16)]),
    ("this #t\nag should be a tag", ["t"], [(5, 7)]),
    ("no match (\\u200B): #\u200b", [], []),
    ("no match (\\u200Ba): #\u200ba", [], []),
    ("match (a\\u200Bb): #a\u200bb", ["a"], [(18, 20)]),
    ("match (ab\\u200B): #ab\u200b", ["ab"], [(18, 21)]),
    ("no match (\\u20e2tag): #⃢tag", [], []),
    ("no match (a\\u20e2b): #a⃢b", ["a"], [(21, 23)]),
    ("match full width number sign (tag): ＃tag", ["tag"], [(36, 42)]),
    ("match full width number sign (tag): ＃#️⃣tag", ["#️⃣tag"], [(36, 49)]),
    ("no match 1?: #1?", [], []),
]

CASHTAG_CASES: list[tuple[str, list[str], list[tuple[int, int]]]] = [
    ("$AAPL", ["$AAPL"], [(0, 5)]),
    ("$aapl", ["$AAPL"], [(0, 5)]),
    ("$A", ["$A"], [(0, 2)]),
    ("$a", ["$A"], [(0, 2)]),
    ("$BTC $ETH", ["$BTC", "$ETH"], [(0, 4), (5, 9)]),
    ("$100", [], []),
    ("$GOOGL", ["$GOOGL"], [(0, 6)]),
    ("$TOOLONG", [], []),
    ("check $LEGO now", ["$LEGO"], [(6, 11)]),
    ("($GOOG)", ["$GOOG"], [(1, 6)]),
    ("$AAPL.", ["$AAPL"], [(0, 5)]),
    ("$AAPL, $MSFT!", ["$AAPL", "$MSFT"], [(0, 5), (7, 12)]),
    ("no$SPACE", [], []),
    ("$", [], []),
    ("$ AAPL", [], []),
    ("$123ABC", [], []),
    ("$ABC12", ["$ABC12"], [(0, 6)]),
    ("$ABC123", [], []),
]


def segments(text: str, found: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """``RichText.segments()`` then the test's ``segmentToOutput``."""
    utf8 = text.encode("utf-8")

    def cut(start: int, end: int) -> str:
        return utf8[start:end].decode("utf-8")

    if not found:
        return [(text,)]
    out: list[tuple[str, ...]] = []
    cursor = 0
    for facet in found:
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        if cursor > start:
            continue  # overlaps the previous facet: segments() skips it
        if cursor < start:
            out.append((cut(cursor, start),))
        if start < end:
            subtext = cut(start, end)
            if not subtext.strip():
                out.append((subtext,))
            else:
                feature = facet["features"][0]
                if feature["$type"].endswith("#mention"):
                    value = f"did:fake:{feature['handle']}"
                else:
                    value = feature.get("uri", "")
                out.append((subtext, value))
        cursor = end
    if cursor < len(utf8):
        out.append((cut(cursor, len(utf8)),))
    return out


@pytest.mark.parametrize(("text", "expected"), SEGMENT_CASES)
def test_detects_facets(text: str, expected: list[tuple[str, ...]]) -> None:
    assert segments(text, facets(text)) == expected


def _tags_in_segments(text: str, cashtags: bool) -> tuple[list[str], list[tuple[int, int]]]:
    """The tags and indices the JS test collects while walking the segments."""
    tags: list[str] = []
    indices: list[tuple[int, int]] = []
    cursor = 0
    for facet in facets(text):
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        if cursor > start:
            continue
        cursor = end
        if start >= end:
            continue
        found = [f["tag"] for f in facet["features"] if f["$type"].endswith("#tag")]
        if cashtags:
            found = [tag for tag in found if tag.startswith("$")]
        tags += found
        if found or not cashtags:
            indices.append((start, end))
    return tags, indices


@pytest.mark.parametrize(("text", "tags", "indices"), TAG_CASES)
def test_detects_tags_inline(text: str, tags: list[str], indices: list[tuple[int, int]]) -> None:
    assert _tags_in_segments(text, cashtags=False) == (tags, indices)


@pytest.mark.parametrize(("text", "tags", "indices"), CASHTAG_CASES)
def test_detects_cashtags_inline(
    text: str, tags: list[str], indices: list[tuple[int, int]]
) -> None:
    assert _tags_in_segments(text, cashtags=True) == (tags, indices)


# --- beyond Bluesky's tests ------------------------------------------------------


def test_byte_offsets_with_emoji_and_cyrillic() -> None:
    text = "Привет 🌍! Смотри https://пример.рф/путь и #тег @анна.bsky.social @anna.bsky.social"
    found = facets(text)
    utf8 = text.encode("utf-8")
    spans = [
        (utf8[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(), f["features"][0])
        for f in found
    ]
    assert spans == [
        (
            "https://пример.рф/путь",
            {"$type": "app.bsky.richtext.facet#link", "uri": "https://пример.рф/путь"},
        ),
        ("#тег", {"$type": "app.bsky.richtext.facet#tag", "tag": "тег"}),
        (
            "@anna.bsky.social",
            {"$type": "app.bsky.richtext.facet#mention", "handle": "anna.bsky.social"},
        ),
    ]
    # "Привет " is 6 two-byte letters and a space, 🌍 four bytes: the link
    # starts after 13 + 4 + 2 + 6 * 2 + 1 bytes, not at character 17.
    assert found[0]["index"] == {
        "byteStart": 32,
        "byteEnd": 32 + len("https://пример.рф/путь".encode()),
    }
    assert text.index("https://") == 17
    assert all(f["$type"] == "app.bsky.richtext.facet" for f in found)


def test_mentions_carry_the_handle_not_a_did() -> None:
    (facet,) = facets("hi @alice.bsky.social")
    assert facet["features"] == [
        {"$type": "app.bsky.richtext.facet#mention", "handle": "alice.bsky.social"}
    ]
    assert "did" not in facet["features"][0]


def test_what_is_not_a_link() -> None:
    assert facets("HTTPS://example.com") == []  # the app checks startsWith('http')
    assert facets("see example.notatld") == []
    assert facets("see example.com.") == [
        {
            "$type": "app.bsky.richtext.facet",
            "index": {"byteStart": 4, "byteEnd": 15},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com"}],
        }
    ]


def test_lengths() -> None:
    assert bluesky.grapheme_length("👨‍👩‍👧‍👦 Привет") == 8
    assert bluesky.byte_length("👨‍👩‍👧‍👦 Привет") == 25 + 1 + 12
    assert bluesky.grapheme_length("a\r\nb") == 3


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from(
                ["https://", "example.com", "@al.test", "#", "＃", "$AB", " ", "(", ")", "."]
            ),
        ),
        max_size=40,
    ).map("".join)
)
def test_facets_stay_inside_the_text(text: str) -> None:
    size = bluesky.byte_length(text)
    starts = [f["index"]["byteStart"] for f in facets(text)]
    assert starts == sorted(starts)
    for facet in facets(text):
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        assert 0 <= start <= end <= size
        text.encode("utf-8")[start:end].decode("utf-8")  # on character boundaries


_CLUSTERING = st.sampled_from(
    list("ab \r\n\u0301\u200d\ufe0f\u20e3\u0915\u094d\u0937\u093f\u0600\u1100\u1161\u11a8\uac00")
    + ["\U0001f1e9", "\U0001f1ea", "\U0001f468", "\U0001f3fd", "\U0001f3f3", "\u26a7", "日", "1"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_CLUSTERING, st.characters()), max_size=40).map("".join))
def test_grapheme_length_is_x_over_the_whole_text(text: str) -> None:
    """The windowed count must equal \\X run over the whole text."""
    assert bluesky.grapheme_length(text) == len(regex.findall(r"\X", text))
