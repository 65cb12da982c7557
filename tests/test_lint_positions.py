"""Positions are the real line and column in the file: front matter included,
columns in characters (code points), also for channel texts inside the front
matter, across Markdown markup, and next to Cyrillic text and emoji."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hearth.lint import channel_texts, lint_doc, lint_text, load_guide
from hearth.source import parse

RULES = """
- id: brand-name
  extends: substitution
  message: 'Say "%s", not "%s".'
  level: error
  swap:
    Open garden: Open Garden
    '(?<![#@\\w])(?:OpenGarden|Opengarden)': Open Garden
- id: ru-brand
  extends: substitution
  message: 'Пишите «%s», а не «%s».'
  level: error
  lang: [ru]
  ignorecase: true
  swap:
    Опен Гарден: Open Garden
"""


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    root = tmp_path_factory.mktemp("hub")
    (root / "guidelines").mkdir()
    (root / "guidelines" / "rules.yml").write_text(RULES, encoding="utf-8")
    guide, problems = load_guide(root)
    assert problems == []
    return guide


def positions(guide, text: str, **kwargs) -> list[tuple[int, int, str]]:
    doc, problems = parse("post.md", textwrap.dedent(text).lstrip("\n"))
    assert problems == []
    return [(d.line, d.column, d.rule) for d in lint_doc(guide, doc, **kwargs)]


def test_front_matter_fields_and_body(guide) -> None:
    found = positions(guide, """
        ---
        title: "Welcome to Open garden"
        date: 2026-01-01
        summary: >
          Our Open garden news.
        image_alt: An Open garden sign
        ---
        Text about Open garden.
        """)
    assert found == [(2, 20, "brand-name"), (5, 7, "brand-name"), (6, 15, "brand-name"),
                     (8, 12, "brand-name")]


def test_multibyte_text_counts_characters(guide) -> None:
    found = positions(guide, """
        ---
        title: Сад 🌱 и Open garden
        ---
        Привет, 👨‍👩‍👧 и 🇮🇹 — Open garden!
        """)
    # 👨‍👩‍👧 is five code points (three people joined by two ZWJ), 🇮🇹 two.
    assert found == [(2, 16, "brand-name"), (4, 22, "brand-name")]


def test_channel_texts_in_front_matter(guide) -> None:
    text = """
        ---
        title: Seeds
        channels:
          mastodon: "Seed swap with OpenGarden! {url} #OpenGarden"
          linkedin:
            text: |
              First line.

              Thanks to the Open garden team: {url}
          x: 'The Open garden seed swap'
          bluesky:
            text: Seeds from Opengarden
        ---
        Body.
        """
    found = positions(guide, text)
    assert found == [(4, 29, "brand-name"), (9, 21, "brand-name"), (10, 11, "brand-name"),
                     (12, 22, "brand-name")]
    doc, _ = parse("post.md", textwrap.dedent(text).lstrip("\n"))
    assert sorted(channel_texts(doc)) == ["bluesky", "linkedin", "mastodon", "x"]
    # The caller may pass the channel texts itself (e.g. only the valid channels).
    only = {"linkedin": channel_texts(doc)["linkedin"]}
    assert [(d.line, d.column) for d in lint_doc(guide, doc, channels=only)] == [(9, 21)]


def test_markup_is_stripped_but_positions_are_kept(guide) -> None:
    found = positions(guide, """
        # Heading with *Open garden*

        1. A list item: [the Open garden site](https://example.org/Open-garden)
           - nested **Open** garden, with `Open garden` in code

        > A quote with Open garden &amp; more.

        | Name | Notes |
        |------|-------|
        | Ada  | `a|b` Open garden |

        Setext Open garden
        ------------------

        ![An Open garden photo](media/p.jpg "Open garden title")
        """)
    assert found == [(1, 17, "brand-name"), (3, 22, "brand-name"), (4, 15, "brand-name"),
                     (6, 16, "brand-name"), (10, 16, "brand-name"), (12, 8, "brand-name"),
                     (15, 6, "brand-name")]


def test_never_linted(guide) -> None:
    found = positions(guide, """
        ---
        Open garden: a key is never linted
        title: Fine
        ---
        ```
        Open garden in a fence
        ```

            Open garden in an indented block

        <div class="Open garden">Open garden inside HTML is prose</div>

        <script>var x = "Open garden";</script>

        Visit https://example.org/Open%20garden or <https://x.org/Open_garden> or
        write to open.garden@example.org. Code `Open garden` and <span title="Open garden">x</span>.

        [x]: https://example.org/Open-garden "Open garden"
        """)
    assert found == [(11, 26, "brand-name")]


def test_ignore_comments(guide) -> None:
    found = positions(guide, """
        ---
        title: Ignore
        # hearth-ignore brand-name
        summary: Open garden in the summary
        ---
        <!-- hearth-ignore brand-name -->
        Open garden on the next line is silenced.
        Open garden two lines below is not.

        <!-- hearth-ignore other-rule -->
        Open garden: another rule is silenced, not this one.

        <!-- hearth-ignore-start -->
        Open garden here.

        And Open garden here.
        <!-- hearth-ignore-end -->

        <!-- vale brand-name = NO -->
        Open garden, Vale style.
        <!-- vale brand-name = YES -->
        Open garden after it.

        <!-- vale off -->
        Open garden
        """)
    assert found == [(8, 1, "brand-name"), (11, 1, "brand-name"), (22, 1, "brand-name")]


def test_lang_scoped_rules(guide) -> None:
    text = """
        ---
        title: Сад
        lang: ru
        ---
        Сообщество Опен Гарден и Open garden.
        """
    assert positions(guide, text) == [(5, 12, "ru-brand"), (5, 26, "brand-name")]
    assert positions(guide, text, lang="ru-RU") == [(5, 12, "ru-brand"), (5, 26, "brand-name")]
    assert positions(guide, text, lang="en") == [(5, 26, "brand-name")]


def test_hashtags_and_mentions_are_not_brand_names(guide) -> None:
    assert positions(guide, """
        Follow #OpenGarden and @OpenGarden, but not OpenGarden.
        """) == [(1, 45, "brand-name")]


def test_lint_text_counts_from_line_one(guide) -> None:
    found = lint_text(guide, "First.\n\n  Some Open garden 🌱 Open garden", "note.txt")
    assert [(d.line, d.column) for d in found] == [(3, 8), (3, 22)]
    found = lint_text(guide, "Post from OpenGarden {url}", "x.txt", scope="channel.x")
    assert [(d.path, d.line, d.column) for d in found] == [("x.txt", 1, 11)]


def test_crlf_and_bom_files_keep_positions(guide, tmp_path: Path) -> None:
    from hearth.source import read
    (tmp_path / "p.md").write_bytes(
        "\ufeff---\r\ntitle: Open garden\r\n---\r\nHi Open garden.\r\n".encode("utf-8"))
    doc, problems = read(tmp_path, "p.md")
    assert problems == []
    assert [(d.line, d.column) for d in lint_doc(guide, doc)] == [(2, 8), (4, 4)]
