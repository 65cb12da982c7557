"""Counting and checking post texts the way each platform counts them."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.channels.text import (
    KINDS, KindRules, TextProblem, check, count, emoji, hashtags, links, mentions, rules_for,
)

FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467"   # 👨‍👩‍👧, 18 UTF-8 bytes
FLAG = "\U0001F1E9\U0001F1EA"                          # 🇩🇪
THUMB_TONE = "\U0001F44D\U0001F3FD"                    # 👍🏽
GRIN = "\U0001F600"                                    # 😀, 4 bytes
KEYCAP = "1\uFE0F\u20E3"
LONG_URL = "https://example.com/" + "a" * 200

TEXT_LIMITS = {k: r.limit for k, r in KINDS.items() if r.limit is not None}


def length_problems(kind, text, limit=None):
    return [p for p in check(kind, text, ["alt"] * KINDS[kind].min_media, limit)
            if p.message.startswith("text is ")]


# --- the rules table ----------------------------------------------------------

def test_table_matches_the_contract():
    assert set(KINDS) == {"mastodon", "bluesky", "x", "threads", "linkedin", "instagram",
                          "facebook", "discord", "newsletter"}
    assert TEXT_LIMITS == {"mastodon": 500, "bluesky": 300, "x": 280, "threads": 500,
                           "linkedin": 3000, "instagram": 2200, "facebook": 63206,
                           "discord": 2000}
    assert KINDS["newsletter"].limit is None
    assert KINDS["bluesky"].max_bytes == 3000 and KINDS["bluesky"].unit == "graphemes"
    assert KINDS["x"].unit == "weighted characters"
    assert all(isinstance(r, KindRules) and r.kind == k for k, r in KINDS.items())


def test_unknown_kind_counts_graphemes_and_has_no_limits():
    assert count("myspace", "e\u0301" + FAMILY + "ab") == 4
    assert check("myspace", "a" * 100_000, [None] * 50) == []
    assert rules_for("myspace").limit is None
    assert check("myspace", "abcd", [], limit=3)[0].message == \
        "text is 4 graphemes; the limit is 3"


# --- every text limit at its boundary ---------------------------------------------

@pytest.mark.parametrize("kind,limit", sorted(TEXT_LIMITS.items()))
def test_text_limit_boundary(kind, limit):
    assert length_problems(kind, "a" * limit) == []
    [problem] = length_problems(kind, "a" * (limit + 1))
    assert problem == TextProblem(
        f"text is {limit + 1} {KINDS[kind].unit}; the limit is {limit}", limit)


def test_newsletter_has_no_text_limit():
    assert check("newsletter", "word " * 50_000, []) == []


@pytest.mark.parametrize("kind", sorted(TEXT_LIMITS))
def test_limit_override(kind):
    assert length_problems(kind, "a" * 1000, limit=1000) == []
    [problem] = length_problems(kind, "a" * 1001, limit=1000)
    assert problem.message.endswith("the limit is 1000") and problem.offset == 1000


def test_override_can_limit_the_newsletter_and_lower_a_limit():
    assert check("newsletter", "abc", [], limit=2)[0].offset == 2
    assert check("mastodon", "abc", [], limit=2)[0].message == \
        "text is 3 characters; the limit is 2"


# --- media ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(KINDS))
def test_media_count_boundary(kind):
    rules = KINDS[kind]
    if rules.max_media is None:
        assert check(kind, "hi", ["alt"] * 30) == []
        return
    assert check(kind, "hi", ["alt"] * rules.max_media) == []
    [problem] = check(kind, "hi", ["alt"] * (rules.max_media + 1))
    assert problem.message.startswith(f"post has {rules.max_media + 1} ")
    assert problem.message.endswith(f"the limit is {rules.max_media}")
    assert problem.offset is None


def test_instagram_media_required():
    [problem] = check("instagram", "hi", [])
    assert problem.message == "post has 0 media items; it needs at least 1"
    assert check("instagram", "hi", [None]) == []
    assert check("instagram", "hi", [None] * 10) == []
    assert len(check("instagram", "hi", [None] * 11)) == 1


@pytest.mark.parametrize("kind,alt_limit", [("mastodon", 1500), ("x", 1000)])
def test_alt_text_limit_boundary(kind, alt_limit):
    assert check(kind, "hi", ["a" * alt_limit, None]) == []
    [problem] = check(kind, "hi", ["ok", "a" * (alt_limit + 1)])
    assert problem.message == \
        f"image 2 alt text is {alt_limit + 1} characters; the limit is {alt_limit}"


def test_bluesky_alt_required():
    assert check("bluesky", "hi", ["a cat", "a dog"]) == []
    problems = check("bluesky", "hi", ["a cat", None, "  "])
    assert [p.message for p in problems] == [
        "image 2 has no alt text; alt text is required",
        "image 3 has no alt text; alt text is required",
    ]


def test_alt_not_required_elsewhere():
    for kind in ("mastodon", "x", "threads", "linkedin", "facebook", "discord"):
        assert check(kind, "hi", [None, ""]) == []


# --- X: twitter-text v3 weighting ----------------------------------------------------

@pytest.mark.parametrize("text,weighted", [
    ("hello", 5),
    ("café", 4),
    ("Привет", 6),                  # Cyrillic is below U+1100
    ("日本語", 6),                   # CJK weighs 2
    ("한국어", 6),
    ("\u2018quoted\u2019 \u2026", 11),  # curly quotes weigh 1, the ellipsis (U+2026) 1
    (GRIN, 2),
    (FAMILY, 2),                    # a ZWJ sequence is one emoji
    (FLAG, 2),
    (THUMB_TONE, 2),                # skin tone included
    (KEYCAP, 2),
    ("\u2764\uFE0F", 2),            # ❤️
    ("\u00A9", 1),                  # © without VS16 is text
    ("https://t.co", 23),
    (LONG_URL, 23),
    ("see " + LONG_URL + ".", 4 + 23 + 1),
    ("a " + FAMILY + " b", 6),
])
def test_x_weighting(text, weighted):
    assert count("x", text) == weighted


def test_x_boundary_in_cjk_and_emoji():
    assert length_problems("x", "日" * 140) == []
    [problem] = length_problems("x", "日" * 140 + "a")
    assert problem.message == "text is 281 weighted characters; the limit is 280"
    assert problem.offset == 140
    assert length_problems("x", FAMILY * 140) == []
    [problem] = length_problems("x", FAMILY * 141)
    assert problem.message == "text is 282 weighted characters; the limit is 280"
    assert problem.offset == 140 * len(FAMILY)


def test_x_url_counts_23_wherever_the_limit_falls():
    text = "a" * 257 + " " + LONG_URL            # 257 + 1 + 23 = 281
    [problem] = length_problems("x", text)
    assert problem.offset == 258                  # the URL crosses the limit
    assert length_problems("x", "a" * 256 + " " + LONG_URL) == []


def test_x_normalizes_first():
    assert count("x", "e\u0301") == 1              # NFD é is one weight-1 character
    nfd = unicodedata.normalize("NFD", "한국어")  # conjoining jamo weigh 2 each...
    assert count("x", nfd) == 6                    # ...but the composed syllables are counted
    # offsets point into the text as given, not into its normalized form
    [problem] = length_problems("x", "e\u0301" * 281)
    assert problem.offset == 280 * 2


# --- Bluesky: graphemes and bytes -----------------------------------------------------

def test_bluesky_counts_graphemes_and_urls_in_full():
    assert count("bluesky", FAMILY + FLAG + "e\u0301") == 3
    assert count("bluesky", LONG_URL) == len(LONG_URL)


def test_bluesky_byte_limit_boundary():
    text = FAMILY * 166 + "a" * 12                  # 2988 + 12 = 3000 bytes, 178 graphemes
    assert len(text.encode()) == 3000
    assert check("bluesky", text, []) == []
    over = text + "a"
    [problem] = check("bluesky", over, [])
    assert problem == TextProblem("text is 3001 bytes; the limit is 3000", len(text))


def test_bluesky_both_limits():
    problems = check("bluesky", "日" * 1001, [])
    assert [p.message for p in problems] == [
        "text is 1001 graphemes; the limit is 300",
        "text is 3003 bytes; the limit is 3000",
    ]
    assert [p.offset for p in problems] == [300, 1000]


def test_bluesky_emoji_graphemes_boundary():
    assert length_problems("bluesky", FAMILY * 150 + "a" * 150) == []  # 2850 bytes
    [problem] = length_problems("bluesky", FAMILY * 151 + "a" * 150)
    assert problem.message == "text is 301 graphemes; the limit is 300"


# --- Mastodon: URLs and remote mentions ------------------------------------------------

def test_mastodon_counting():
    assert count("mastodon", LONG_URL) == 23
    assert count("mastodon", "http://a.b") == 10        # no valid TLD: Mastodon does not link it
    assert count("mastodon", "http://example.org") == 23
    assert count("mastodon", "@alice@example.social") == len("@alice")
    assert count("mastodon", "hi @alice@example.social!") == len("hi @alice!")
    assert count("mastodon", "@alice") == 6
    assert count("mastodon", "me@example.com") == 14   # an address, not a mention
    assert count("mastodon", FAMILY + "e\u0301") == 2  # characters are grapheme clusters
    assert count("mastodon", "https://x.org/@alice@example.social") == 23


def test_mastodon_boundary_with_urls_and_mentions():
    text = "@alice@example.social " + "a" * 470 + " " + LONG_URL   # 6+1+470+1+23 = 501
    [problem] = length_problems("mastodon", text)
    assert problem.message == "text is 501 characters; the limit is 500"
    assert problem.offset == len(text) - len(LONG_URL)
    assert length_problems("mastodon", "@alice@example.social " + "a" * 469 + " " + LONG_URL) == []


# --- Threads: emoji bytes, links, hashtags ----------------------------------------------

def test_threads_emoji_count_their_bytes():
    assert count("threads", GRIN) == 4
    assert count("threads", FAMILY) == 18
    assert count("threads", FLAG) == 8
    assert count("threads", "日本") == 2
    assert length_problems("threads", GRIN * 125) == []
    [problem] = length_problems("threads", GRIN * 125 + "a")
    assert problem.message == "text is 501 characters; the limit is 500"
    assert problem.offset == 125                    # the "a" after 125 emoji


def test_threads_links_boundary():
    five = " ".join(f"https://e.org/{i}" for i in range(5))
    assert check("threads", five, []) == []
    six = five + " https://e.org/5"
    [problem] = check("threads", six, [])
    assert problem == TextProblem("text has 6 links; the limit is 5",
                                  six.index("https://e.org/5"))


def test_threads_hashtag_boundary():
    assert check("threads", "one #tag only", []) == []
    [problem] = check("threads", "#one and #two", [])
    assert problem == TextProblem("text has 2 hashtags; the limit is 1", 9)


# --- Instagram: hashtags ------------------------------------------------------------------

def test_instagram_hashtag_boundary():
    five = "#a #b #c #d #e"
    assert check("instagram", five, ["alt"]) == []
    [problem] = check("instagram", five + " #сад", ["alt"])
    assert problem.message == "text has 6 hashtags; the limit is 5"
    assert problem.offset == len(five) + 1


# --- extraction ---------------------------------------------------------------------------

def test_hashtags():
    text = "#giardinaggio e #сад, #गार्डन! https://x.org/p#frag C#x &#39; #2024 #a_1 (#paren)"
    assert hashtags(text) == ["#giardinaggio", "#сад", "#गार्डन", "#a_1", "#paren"]


def test_links():
    text = ("(see https://en.wikipedia.org/wiki/Foo_(bar)) and https://x.org/a). "
            "\"https://q.io/?a=1&b=2\" HTTP://UP.ORG, https://. example.com")
    assert links(text) == ["https://en.wikipedia.org/wiki/Foo_(bar)", "https://x.org/a",
                           "https://q.io/?a=1&b=2", "HTTP://UP.ORG"]


def test_mentions():
    assert mentions("@alice, @bob@mas.to. me@example.com https://x.org/@carol") == \
        ["@alice", "@bob@mas.to"]


def test_emoji():
    tag_flag = "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"
    text = f"hi {FAMILY} {FLAG} {THUMB_TONE} {KEYCAP} \u00A9 \u2764\uFE0F \u2764 {tag_flag} 1 #"
    assert emoji(text) == [FAMILY, FLAG, THUMB_TONE, KEYCAP, "\u2764\uFE0F", tag_flag]


# --- properties -------------------------------------------------------------------------------

ALL_KINDS = sorted(KINDS) + ["unknown"]
URL_TAIL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_/=&%~", min_size=1,
                   max_size=60).filter(lambda s: s[-1].isalnum())   # a URL path ends on one


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ALL_KINDS), st.text(max_size=80))
def test_count_is_never_negative(kind, text):
    assert count(kind, text) >= 0


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ALL_KINDS),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=120))
def test_ascii_letters_count_their_number_everywhere(kind, text):
    assert count(kind, text) == len(text)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60), URL_TAIL)
def test_x_appending_a_url_adds_23_and_the_separator(text, tail):
    url = "https://example.com/" + tail   # a valid host: twitter-text links only those
    assert count("x", text + " " + url) == count("x", text) + 1 + 23


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60))
def test_x_nfc_and_nfd_count_the_same(text):
    nfc = unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", text)
    assert count("x", nfc) == count("x", nfd)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(TEXT_LIMITS)), st.text(min_size=1, max_size=60))
def test_limit_is_crossed_exactly_where_the_count_says(kind, text):
    n = count(kind, text)
    assert length_problems(kind, text, limit=n) == []
    if n > 0:
        [problem] = length_problems(kind, text, limit=n - 1)
        assert f" is {n} " in problem.message
        assert problem.offset is not None and 0 <= problem.offset < len(text)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_extracted_items_are_in_the_text(text):
    for item in links(text) + hashtags(text) + mentions(text) + emoji(text):
        assert item in text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab \r\n\t.#@é", "e\u0301", THUMB_TONE, FLAG, FAMILY, "\u200d"]),
                max_size=40).map("".join) | st.text(max_size=40))
def test_grapheme_counts_agree_with_the_clusters(text):
    """The ASCII shortcut (every character a cluster but CR LF) and the remembered
    count give what the clusters give, and `check` finds the same crossing."""
    import regex

    clusters = regex.findall(r"\X", text)
    for kind in ("bluesky", "linkedin", "unknown-kind"):
        assert count(kind, text) == len(clusters)
    limit = max(len(clusters) - 1, 0)
    problems = check("linkedin", text, [], limit=limit)
    if len(clusters) > limit:
        assert problems[0].offset == sum(len(c) for c in clusters[:limit])
