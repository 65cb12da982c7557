"""Mastodon's status length, ported from its own validator spec.

The first group is mastodon/mastodon ``spec/validators/status_length_validator_spec.rb``
case for case: the spec stubs ``MAX_CHARS`` to 500 and asserts whether the
validator adds an error, so each test asserts ``status_length(...) > 500`` or
``<= 500``. Its first two cases (remote statuses and local reblogs are not
checked at all) concern which statuses are validated, not how they are
counted, and have no counterpart here.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.channels import mastodon
from hearth.channels.mastodon import MAX_CHARS, status_length

STARTING_STRING = "a" * 476
EXAMPLE_LINK = f"http://{'b' * 30}.com/example"


def too_long(text: str = "", spoiler_text: str = "") -> bool:
    return status_length(text, spoiler_text) > MAX_CHARS


# --- spec/validators/status_length_validator_spec.rb ----------------------------


def test_adds_an_error_when_content_warning_is_over_character_limit() -> None:
    assert too_long(spoiler_text="a" * 520)


def test_adds_an_error_when_text_is_over_character_limit() -> None:
    assert too_long(text="a" * 520)


def test_adds_an_error_when_text_and_content_warning_are_over_character_limit_total() -> None:
    assert too_long(spoiler_text="a" * 250, text="b" * 251)


def test_reduces_calculated_length_of_auto_linkable_space_separated_urls() -> None:
    text = f"{STARTING_STRING} {EXAMPLE_LINK}"  # [starting_string, example_link].join(' ')
    assert not too_long(text)
    assert status_length(text) == 476 + 1 + 23


def test_does_not_reduce_calculated_length_of_non_autolinkable_urls() -> None:
    text = f"{STARTING_STRING}{EXAMPLE_LINK}"  # [starting_string, example_link].join
    assert too_long(text)
    assert status_length(text) == len(text)


def test_does_not_reduce_calculated_length_of_count_overly_long_urls() -> None:
    text = f"http://example.com/valid?{'#foo?' * 1000}"
    assert too_long(text)


def test_counts_only_the_front_part_of_remote_usernames() -> None:
    text = ("a" * 475) + f" @alice@{'b' * 30}.com"
    assert not too_long(text)
    assert status_length(text) == 475 + len(" @alice")


def test_does_count_both_parts_of_remote_usernames_for_overly_long_domains() -> None:
    text = f"@alice@{'b' * 500}.com"
    assert too_long(text)


def test_counts_multi_byte_emoji_as_single_character() -> None:
    text = "✨" * 500
    assert not too_long(text)


def test_counts_zwj_sequence_emoji_as_single_character() -> None:
    text = "\U0001f3f3\ufe0f\u200d\u26a7\ufe0f" * 500  # 🏳️‍⚧️
    assert not too_long(text)
    assert status_length(text) == 500


# --- what Mastodon's extractor decides, beyond the spec ----------------------------


def test_only_urls_mastodon_links_are_shortened() -> None:
    url = "https://example.org/" + "p" * 60
    assert status_length(f"see {url}") == 4 + 23
    assert status_length(f"see{url}") == 3 + len(url)  # glued to a word: not linked
    assert status_length("see example.org/" + "p" * 60) == 4 + 12 + 60  # no scheme: not linked
    assert status_length(f"see gemini://example.org/{'p' * 40}") == 4 + 23
    assert status_length("https://example.invalidtld/" + "p" * 30) == 57  # not on the TLD list


def test_url_boundaries() -> None:
    entities = mastodon.url_entities
    assert [e.text for e in entities("(https://example.org/a_(b))")] == [
        "https://example.org/a_(b)"
    ]
    assert [e.text for e in entities("https://example.org/path.")] == ["https://example.org/path"]
    assert [e.text for e in entities("https://example.org/wiki/TW@")] == [
        "https://example.org/wiki/TW@"  # mastodon/mastodon#31124
    ]
    assert [e.text for e in entities("<https://example.org/x>")] == ["https://example.org/x"]
    assert [e.text for e in entities("https://example.org/日本語 x")] == [
        "https://example.org/日本語"
    ]
    assert [e.text for e in entities("https://t.co/abc's")] == ["https://t.co/abc"]
    # Mastodon's query characters include all of U+00A0 and up, even U+3000
    assert [e.text for e in entities("see https://example.org/?q=日本\u3000語 rest")] == [
        "https://example.org/?q=日本\u3000語"
    ]
    assert entities("https://😷.example.com/") == []  # libidn refuses an unassigned code point
    assert entities("https://" + "a" * 64 + ".com") == []  # label over 63


def test_mentions() -> None:
    def names(text: str) -> list[str]:
        return [e.text for e in mastodon.mention_entities(text)]

    assert names("hi @alice and @bob@example.social!") == ["alice", "bob@example.social"]
    assert names("mail me@example.com") == []  # glued to a word
    assert names("https://example.social/@alice") == []  # after a slash
    assert names("@alice@") == []
    assert names("@Émile") == []
    assert status_length("@bob@example.social") == len("@bob")
    assert status_length("hi @bob") == len("hi @bob")


def test_spoiler_text_is_counted_in_full() -> None:
    url = "https://example.org/" + "p" * 40
    assert status_length("x", spoiler_text=url) == len(url) + 1


def test_blank_text_counts_nothing() -> None:
    assert status_length("   \n\t") == 0
    assert status_length("   ", spoiler_text="cw") == 2


def test_graphemes() -> None:
    assert mastodon.grapheme_length("a\r\nb") == 3
    assert mastodon.grapheme_length("e\u0301") == 1
    assert mastodon.grapheme_length("🇩🇪🇫🇷") == 2
    assert mastodon.grapheme_length("👨‍👩‍👧‍👦 ok") == 4


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.characters(),
            st.sampled_from(["https://", "example.com", "/path", "@alice", "@bob@x.social", " "]),
        ),
        max_size=40,
    ).map("".join)
)
def test_any_text_counts(text: str) -> None:
    length = status_length(text)
    assert 0 <= length <= mastodon.grapheme_length(text) + 23 * len(mastodon.url_entities(text))
    previous_end = 0
    for entity in sorted(mastodon.url_entities(text) + mastodon.mention_entities(text)):
        assert 0 <= entity.start < entity.end <= len(text)
    for entity in mastodon.url_entities(text):
        assert previous_end <= entity.start
        previous_end = entity.end
