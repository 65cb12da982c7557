"""`hearth fix`: substitution suggestions applied in place, nothing else touched."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hearth.lint import fix_text, load_guide

RULES = """
- id: brand-name
  extends: substitution
  message: 'Say "%s", not "%s".'
  level: error
  swap:
    Open garden: Open Garden
    '(?<![#@\\w])(?:OpenGarden|Opengarden)': Open Garden
- id: plain
  extends: substitution
  message: 'Prefer "%s" to "%s".'
  ignorecase: true
  swap:
    utili[sz]e: use
    users?: gardeners|members
- id: nothing-to-fix
  extends: existence
  message: "Avoid '%s'."
  tokens: [simply]
"""

VALE_RULE = """
extends: substitution
message: "Use '%s' instead of '%s'."
ignorecase: true
swap:
  e-mail: email
"""

VALE_REPLACE = """
extends: substitution
message: "Use '%s' instead of '%s'."
ignorecase: true
action:
  name: replace
swap:
  cell phone: phone|mobile phone
"""


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    root = tmp_path_factory.mktemp("hub")
    (root / "guidelines" / "styles" / "V").mkdir(parents=True)
    (root / "guidelines" / "rules.yml").write_text(RULES, encoding="utf-8")
    (root / "guidelines" / "styles" / "V" / "Mail.yml").write_text(VALE_RULE, encoding="utf-8")
    (root / "guidelines" / "styles" / "V" / "Phone.yml").write_text(VALE_REPLACE,
                                                                      encoding="utf-8")
    guide, problems = load_guide(root)
    assert problems == []
    return guide


def fix(guide, text: str) -> str:
    return fix_text(guide, textwrap.dedent(text).lstrip("\n"), "post.md")


def test_body_title_and_channel_texts(guide) -> None:
    before = """
        ---
        title: "Open garden news"   # a comment stays
        tags: [Open garden]
        channels:
          mastodon: "News from OpenGarden {url} #OpenGarden"
          linkedin:
            text: |
              We utilise Open garden.
        ---
        Users of Open garden simply utilize it. Call my cell phone.

        ```
        Open garden in code stays.
        ```
        """
    assert fix(guide, before) == textwrap.dedent("""\
        ---
        title: "Open Garden news"   # a comment stays
        tags: [Open garden]
        channels:
          mastodon: "News from Open Garden {url} #OpenGarden"
          linkedin:
            text: |
              We use Open Garden.
        ---
        Gardeners of Open Garden simply use it. Call my phone.

        ```
        Open garden in code stays.
        ```
        """)


def test_case_is_kept_and_vale_rules_without_replace_are_left(guide) -> None:
    assert fix(guide, "Utilise it. USERS and users. Send an E-mail.\n") == \
        "Use it. GARDENERS and gardeners. Send an E-mail.\n"


def test_only_contiguous_unescaped_matches(guide) -> None:
    text = """
        ---
        title: "Say \\"Open garden\\""
        ---
        **Open** garden and [Open garden](https://example.org/Open garden).
        """
    assert fix(guide, text) == textwrap.dedent("""\
        ---
        title: "Say \\"Open garden\\""
        ---
        **Open** garden and [Open Garden](https://example.org/Open garden).
        """)


def test_ignored_lines_are_not_fixed(guide) -> None:
    text = "<!-- hearth-ignore brand-name -->\nOpen garden stays.\nOpen garden goes.\n"
    assert fix(guide, text) == "<!-- hearth-ignore brand-name -->\nOpen garden stays.\n" \
                               "Open Garden goes.\n"


def test_line_endings_and_bom_survive(guide) -> None:
    text = "\ufeff---\r\ntitle: Open garden\r\n---\r\nOpen garden.\r\n"
    assert fix_text(guide, text, "p.md") == \
        "\ufeff---\r\ntitle: Open Garden\r\n---\r\nOpen Garden.\r\n"


def test_nothing_to_fix_returns_the_same_text(guide, tmp_path: Path) -> None:
    text = "All fine here, simply.\n"
    assert fix_text(guide, text, "p.md") is text
    empty, _ = load_guide(tmp_path)
    assert fix_text(empty, "Open garden\n", "p.md") == "Open garden\n"


def test_fixing_twice_changes_nothing_more(guide) -> None:
    once = fix(guide, "OpenGarden users utilise Open garden.\n")
    assert once == "Open Garden gardeners use Open Garden.\n"
    assert fix_text(guide, once, "post.md") == once
