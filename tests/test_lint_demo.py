"""The demo hub's own style guide: it loads cleanly, its examples hold, the demo
posts pass it, and a writer's mistakes are each caught at the right place."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hearth.lint import check_examples, lint_doc, load_guide, rules_for_people
from hearth.source import parse, read

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def guide():
    guide, problems = load_guide(REPO)
    assert problems == []
    return guide


def test_guide_covers_what_the_brand_needs(guide) -> None:
    kinds = {r.kind for r in guide.rules}
    assert {"substitution", "existence", "moderation", "hashtags", "exclamations", "links",
            "frontmatter", "capitalization", "occurrence", "consistency"} <= kinds
    assert {"ru", "it", "sv"} <= {code for r in guide.rules for code in r.lang}
    assert any(r.channels == ("linkedin",) or "linkedin" in r.channels for r in guide.rules
               if r.kind == "hashtags")


def test_every_example_holds(guide) -> None:
    assert check_examples(guide) == []
    assert sum(len(r.good) + len(r.bad) for r in guide.rules) > 40


def test_demo_content_has_no_errors(guide) -> None:
    files = sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "guidelines").glob("*.md"))
    assert files
    errors = []
    for path in files:
        rel = path.relative_to(REPO).as_posix()
        if guide.ignores(rel):
            continue
        doc, _problems = read(REPO, rel)
        if doc is None:
            continue
        lang = doc.meta.get("lang") if isinstance(doc.meta.get("lang"), str) else "en"
        errors += [d.as_text() for d in lint_doc(guide, doc, lang=lang) if d.level == "error"]
    assert errors == []


def test_a_writers_mistakes_are_each_caught(guide) -> None:
    doc, _ = parse("content/posts/2026-05-01-spring.md", textwrap.dedent("""\
        ---
        title: "Spring at Open garden!"
        date: 2026-05-01
        image: media/spring.jpg
        channels:
          x: "Spring is here!! {url}"
          linkedin:
            text: |
              OpenGarden opens its spring season.
              Read more: https://bit.ly/spring #Spring #Garden #Community
        ---
        Hey guys, the OpenGarden spring swap is on 17/5. Bring the the seeds.

        Don't be an idiot: utilise the [sign-up form](https://community.example.org/signup).
        """))
    found = [d.as_text() for d in lint_doc(guide, doc, lang="en")]
    p = "content/posts/2026-05-01-spring.md"
    assert found == [
        (f"{p}:1:1: warning: [post-summary] Add a one-sentence 'summary': it is used in feeds, "
        "the newsletter and link previews."),
        f'{p}:2:19: error: [brand-name] Say "Open Garden", not "Open garden".',
        (f"{p}:4:8: error: [image-alt] The image needs alt text: add 'image_alt' saying what the "
        "picture shows."),
        (f"{p}:6:21: warning: [x-exclamation] On X, lead with the news, not with exclamation "
        "marks."),
        (f"{p}:6:22: warning: [one-exclamation] One exclamation mark per text is plenty (this one "
        "has 2)."),
        f'{p}:9:7: error: [brand-name] Say "Open Garden", not "OpenGarden".',
        (f"{p}:10:18: error: [no-shorteners] Don't hide links behind a shortener "
        "(https://bit.ly/spring); readers want to see where they go."),
        (f"{p}:10:56: warning: [hashtags] Use at most two hashtags (this text has 3), at the end, "
        "in CamelCase."),
        (f'{p}:12:5: error: [inclusive] Use "everyone" or "folks" instead of "guys": it includes '
        "everyone."),
        f'{p}:12:15: error: [brand-name] Say "Open Garden", not "OpenGarden".',
        (f"{p}:12:44: warning: [dates-in-words] Write dates in words ('17 October'); '17/5' reads "
        "differently around the world."),
        f"{p}:12:56: error: [repeated-word] 'the' is repeated.",
        f"{p}:14:13: error: [moderation] 'idiot' is on our moderation list; please rephrase.",
        (f'{p}:14:20: warning: [plain-words] Prefer "use" to "utilise": plain words travel '
        "further."),
    ]


def test_guidelines_page_data(guide) -> None:
    people = {r["id"]: r for r in rules_for_people(guide)}
    assert {"say": ["Open Garden"], "not": "Open garden"} in people["brand-name"]["pairs"]
    assert people["moderation"]["avoid"] == []  # the word list is not published
    assert people["hashtags"]["limits"]["max"] == 2
    assert people["brand-name"]["examples"]["bad"]
