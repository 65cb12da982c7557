"""`extends: spelling`: Hunspell dictionaries in the language of each text.

Several hubs below are ported from Vale's own test suite (errata-ai/vale,
MIT licence: testdata/features/checks.feature "Spelling", misc.feature
"Spelling", and their fixtures and styles), with Hearth's front matter added.
Where Vale's answer differs it is because Vale ships its own en_US word list
(with words like "CLI" and "nginx"); Hearth uses LibreOffice's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.lint import lint_text, load_guide, spelling
from hearth.lint.spelling import Spelling, dictionary_for_lang, words

VALE_SPELLING = """\
    extends: spelling
    message: "Did you really mean '%s'?"
    level: error
    """

FRONT = "---\ntitle: Notes\ndate: 2026-01-01\n---\n"


@pytest.fixture(scope="module")
def vale_guide(tmp_path_factory):
    """A guide of Vale's built-in Vale.Spelling alone."""
    root = tmp_path_factory.mktemp("spelling")
    (root / "guidelines/styles/Vale").mkdir(parents=True)
    (root / "guidelines/styles/Vale/Spelling.yml").write_text(spelling.VALE_SPELLING, "utf-8")
    return load_guide(root)[0]


def post(body: str, lang: str | None = None, title: str = "Notes") -> str:
    head = f"---\ntitle: {title}\ndate: 2026-01-01\n" + (f"lang: {lang}\n" if lang else "") + "---\n"
    return head + body


def lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": [" in line]


def test_vale_checks_spelling_fixture(hub) -> None:
    # Vale's checks/Spelling: code blocks, URLs and another script are skipped,
    # a hyphenated word is not checked by default, real typos are found.
    root = hub({
        "guidelines/styles/Vale/Spelling.yml": VALE_SPELLING,
        "content/posts/test.md": FRONT + """\
# Intro

Currently a list [link](https://gitlab.com/name[]).

````markdown
```ruby
external_url "https://gitlab.example.com"
```

```yaml
gitlab:
  host: "gitlab.example.com"
```
````

gitlab

オプション

[foo](<bar baz>)

This is a typpo.
A sentence with [remark-gfm](i-am-a-link).
A sentence with remark-gfm.
A sentence with remark-gfm.
A sentence with gfm.
A sentence with remark.
A sentence with remmark.

A sentence with [remark-gfm](i-am-a-link).
""",
    })
    result = run(root, "check")
    assert result.exit_code == 1
    assert lines(result) == [
        "content/posts/test.md:20:1: error: [Vale.Spelling] Did you really mean 'gitlab'?",
        "content/posts/test.md:26:11: error: [Vale.Spelling] Did you really mean 'typpo'?",
        "content/posts/test.md:30:17: error: [Vale.Spelling] Did you really mean 'gfm'?",
        "content/posts/test.md:32:17: error: [Vale.Spelling] Did you really mean 'remmark'?",
    ]


def test_vale_ignore_files_custom_and_own_dictionaries(hub) -> None:
    # Vale's Spelling.Ignore / Spelling.Ignores / Spelling.Test styles: `custom: true`
    # (no default filters), `ignore` word lists relative to the styles folder, and
    # `dictionaries` looked up in styles/config/dictionaries.
    root = hub({
        "guidelines/styles/Spelling/Ignore.yml": """\
            extends: spelling
            message: "'%s' is a typo!"
            custom: true
            dicpath: medical
            dictionaries:
              - en_US
              - en_medical
            ignore: Spelling/ignore/base.txt
            """,
        "guidelines/styles/Spelling/ignore/base.txt": "nginx\n",
        "guidelines/styles/config/dictionaries/en_medical.dic": "1\nabdominocentesis\n",
        "guidelines/styles/config/dictionaries/en_medical.aff": "SET UTF-8\n",
        "content/posts/test.md": FRONT + """\
Nginx is a web server which can also be used as a reverse proxy and HTTP cache.

HTTPie is a command line HTTP client, as human-friendly as possible.

That doesn’t work. That doesn't work. That doesn‘t work.

abdominocentesis is a word.
""",
    })
    result = run(root, "check")
    assert lines(result) == [
        "content/posts/test.md:7:1: warning: [Spelling.Ignore] 'HTTPie' is a typo!",
    ]


def test_vale_own_dictionary_without_the_builtin_one(hub) -> None:
    # Vale's Spelling.Test: a Russian test dictionary alone (`append: false`):
    # 'Test' is a typo there, 'структур' a known form of 'структура'.
    root = hub({
        "guidelines/styles/Spelling/Test.yml": """\
            extends: spelling
            message: "'%s' is a typo!"
            custom: true
            append: false
            dicpath: medical
            dictionaries:
              - test
            """,
        "guidelines/styles/config/dictionaries/test.aff": (
            "SET UTF-8\nSFX S N 9\nSFX S а и [гжийкхчшщ]а\nSFX S а ы [бвдзлмнпрстфц]а\nSFX S а е .\n"
            "SFX S а у .\nSFX S а ой .\nSFX S а 0 .\nSFX S а ам .\nSFX S а ами .\n"
            "SFX S а ах .\n"),
        "guidelines/styles/config/dictionaries/test.dic": "1\nструктура/S\n",
        "content/posts/test.md": post("# Test\n\nструктур\n", title="структура"),
    })
    result = run(root, "check")
    assert lines(result) == ["content/posts/test.md:5:3: warning: [Spelling.Test] 'Test' is a typo!"]


def test_dic_and_aff_on_top_of_the_language_dictionary(hub) -> None:
    root = hub({
        "guidelines/styles/Garden/Words.yml": """\
            extends: spelling
            message: "'%s'?"
            dic: garden.dic
            aff: garden.aff
            append: true
            """,
        "guidelines/styles/garden.dic": "2\nmulchery/S\ncompostella\n",
        "guidelines/styles/garden.aff": "SET UTF-8\nSFX S Y 1\nSFX S 0 s .\n",
        "content/posts/a.md": post("The mulcheries and mulcherys near compostella; a tomatos.\n"),
    })
    result = run(root, "check")
    assert lines(result) == [
        "content/posts/a.md:5:5: warning: [Garden.Words] 'mulcheries'?",
        "content/posts/a.md:5:50: warning: [Garden.Words] 'tomatos'?",
    ]


def test_each_text_is_checked_in_its_language(hub) -> None:
    root = hub({
        "guidelines/rules.yml": """\
            - id: spelling
              extends: spelling
            """,
        "content/posts/en.md": post("We plant tomatos in the communal garden.\n"),
        "content/posts/ru.md": post("Мы сажаем помидоры в общем огароде. Hearth помогает.\n",
                                    lang="ru", title="Сад"),
        "content/posts/it.md": post("Piantiamo pomodori nell'orto comunitario ogni primavrea.\n",
                                    lang="it", title="Orto"),
        "content/posts/sv.md": post("Vi planterar tomater i den gemensamma trädgårdem.\n",
                                    lang="sv", title="Trädgård"),
    })
    result = run(root, "check")
    assert result.exit_code == 0, "spelling findings are warnings unless the rule says otherwise"
    assert lines(result) == [
        "content/posts/en.md:5:10: warning: [spelling] Did you really mean 'tomatos'?",
        "content/posts/it.md:6:47: warning: [spelling] Did you really mean 'primavrea'?",
        "content/posts/ru.md:6:28: warning: [spelling] Did you really mean 'огароде'?",
        "content/posts/sv.md:6:39: warning: [spelling] Did you really mean 'trädgårdem'?",
    ]


def test_the_hub_language_is_the_default(hub) -> None:
    root = hub({
        "guidelines/rules.yml": "- id: spelling\n  extends: spelling\n",
        "content/posts/a.md": "---\ntitle: Orto\ndate: 2026-01-01\n---\nPiantiamo pomodori ogni primavrea.\n",
        "content/posts/b.md": post("We plant tomatos.\n", lang="en"),
    }, toml='[site]\ntitle = "Orto"\nbase_url = "https://example.org/"\nlanguage = "it"\n')
    result = run(root, "check")
    assert lines(result) == [
        "content/posts/a.md:5:25: warning: [spelling] Did you really mean 'primavrea'?",
        "content/posts/b.md:6:10: warning: [spelling] Did you really mean 'tomatos'?",
    ]


def test_brand_names_are_never_misspellings(hub) -> None:
    root = hub({
        "guidelines/accept.txt": "Plantly\n[Gg]ardenhub\nOpen Seedbank\n",
        "guidelines/rules.yml": """\
            - id: spelling
              extends: spelling
            - id: brand
              extends: substitution
              message: "Write '%s', not '%s'."
              swap:
                hearth app: Hearthly
                sprouter: Sproutwise|Sproutwise Pro
            """,
        "content/posts/a.md": post(
            "Hearthly and Sproutwise work with Plantly, gardenhub and the Seedbank. "
            "Plantlyy does not.\n", title="Brands"),
    })
    result = run(root, "check")
    assert lines(result) == [
        "content/posts/a.md:5:72: warning: [spelling] Did you really mean 'Plantlyy'?",
    ]


def test_what_is_not_prose_is_skipped(hub) -> None:
    root = hub({
        "guidelines/rules.yml": "- id: spelling\n  extends: spelling\n",
        "content/posts/a.md": post(
            "Mail ann@exampel.org or see https://exampel.org/pathz and www.exampel.org, "
            "edit ./confg/setings.yml or config.yaml, run `npm instal`, ask @gardenr, "
            "tag #gardenig, version 2.0b3, 3rd, 0x1F, APIs, HTTP, macOS and iPhone. "
            "The gardeners' tools, Ann's spade; it doesn’t rain. Recieve.\n",
            title="Skips"),
    })
    result = run(root, "check")
    assert lines(result) == [
        "content/posts/a.md:5:272: warning: [spelling] Did you really mean 'Recieve'?",
    ]


def test_filters_and_custom(hub) -> None:
    root = hub({
        "guidelines/styles/demo/Spellcheck.yml": """\
            extends: spelling
            message: "Did you really mean '%s'?"
            filters:
              - 'Vale.*\\b'
            """,
        "guidelines/styles/demo/Strict.yml": """\
            extends: spelling
            message: "Strictly, '%s'?"
            custom: true
            """,
        "content/posts/a.md": post("Valeish rules catch a well-knwon typo in HTML.\n"),
    })
    result = run(root, "check")
    assert lines(result) == [
        "content/posts/a.md:5:1: warning: [demo.Strict] Strictly, 'Valeish'?",
        "content/posts/a.md:5:23: warning: [demo.Strict] Strictly, 'well-knwon'?",
    ]


def test_channel_texts_and_titles_are_checked(hub) -> None:
    root = hub({
        "calendar/channels.yml": "mastodon:\n  kind: mastodon\n",
        "guidelines/rules.yml": "- id: spelling\n  extends: spelling\n",
        "content/posts/a.md": (
            "---\ntitle: Seed swop\ndate: 2026-01-01\nchannels:\n"
            "  mastodon: Come to the seed swop! #seeds @garden\n---\nBring seeds.\n"),
    })
    result = run(root, "check")
    found = lines(result)
    assert "content/posts/a.md:2:13: warning: [spelling] Did you really mean 'swop'?" in found
    assert "content/posts/a.md:5:30: warning: [spelling] Did you really mean 'swop'?" in found


def test_missing_files_are_warnings_at_the_rule(hub) -> None:
    root = hub({
        "guidelines/styles/S/Words.yml": """\
            extends: spelling
            message: "'%s'?"
            ignore: [missing.txt]
            dictionaries: [xx_YY]
            """,
        "content/posts/a.md": post("A tomatos.\n"),
    })
    result = run(root, "check")
    assert result.exit_code == 0
    assert lines(result) == [
        "content/posts/a.md:5:3: warning: [S.Words] 'tomatos'?",
        ("guidelines/styles/S/Words.yml:1:1: warning: [guide] rule 'S.Words': dictionary 'xx_YY' "
        "not found (looked in guidelines/styles/config/dictionaries/, "
        "guidelines/styles/dictionaries/ and the built-in dictionaries)"),
        ("guidelines/styles/S/Words.yml:1:1: warning: [guide] rule 'S.Words': ignore file "
        "'missing.txt' not found (looked in guidelines/styles/ and guidelines/styles/S/)"),
    ]


def test_bad_filter_is_an_error_at_its_line(hub) -> None:
    root = hub({
        "guidelines/rules.yml": "- id: sp\n  extends: spelling\n  filters:\n    - 'ok'\n    - '(['\n",
        "content/posts/a.md": post("Fine.\n"),
    })
    result = run(root, "check")
    assert result.exit_code == 1
    assert lines(result)[0].startswith(
        "guidelines/rules.yml:5:7: error: [guide] rule 'sp': filter '([' is not a valid regular "
        "expression")


def test_the_four_languages_ship_with_hearth() -> None:
    assert [dictionary_for_lang(code) for code in ("en", "ru", "it", "sv", "en-GB", "sv-FI")] \
        == ["en_US", "ru_RU", "it_IT", "sv_SE", "en_GB", "sv_FI"]
    assert dictionary_for_lang("tlh") is None


def test_words_are_looked_up_once() -> None:
    check = Spelling("", filters=[], custom=False, ignore=[], dictionaries=[], dicpath="",
                     dic="", aff="", append=False, accepted=[])
    sp = check.speller_for("en")
    assert sp is not None
    check._bad(sp, "tomatos")
    looked = len(sp._known)
    for _ in range(3):
        check._bad(sp, "tomatos")
    assert len(sp._known) == looked


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab’'-_.@/#*: \nЖö1`"), max_size=40))
def test_words_are_inside_the_text_and_never_span_spaces(text: str) -> None:
    for start, end, word in words(text):
        assert text[start:end] == word
        assert word and not any(c.isspace() for c in word)
        assert word[0] not in "'’-" and word[-1] not in "'’-"


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from("tomatos Plantly’'-.@/#*:\nЖö1`(),"), max_size=60))
def test_findings_are_words_of_the_block(vale_guide, text: str) -> None:
    for d in lint_text(vale_guide, text, "x.txt", lang="en"):
        line = text.split("\n")[d.line - 1]
        word = d.message.split("'", 1)[1].rsplit("'", 1)[0]
        assert line[d.column - 1:d.column - 1 + len(word)] == word


def test_substitution_words() -> None:
    class R:
        def __init__(self, swap):
            self.kind = "substitution"
            self.options = {"swap": swap}
    assert spelling.substitution_words([R({"a": "Hearthly|Hearth Pro", "b": "(?:x)+"})]) == \
        ["Hearthly", "Hearth", "Pro"]


def test_guidelines_page_shows_the_spelling_setup(hub) -> None:
    root = hub({
        "guidelines/accept.txt": "Plantly\n",
        "guidelines/rules.yml": "- id: spelling\n  extends: spelling\n",
        "guidelines/index.md": "---\ntitle: Style guide\n---\nHow we write.\n",
        "content/posts/a.md": post("Fine.\n"),
    })
    result = run(root, "build", "--now", "2026-11-21T12:00:00Z")
    assert result.exit_code == 0, result.stdout
    page = next(Path(root, "dist/hub").rglob("guidelines/index.html")).read_text("utf-8")
    assert "Spelling" in page
    assert "en (en_US)" in page and "ru (ru_RU)" in page and "it (it_IT)" in page \
        and "sv (sv_SE)" in page
    assert "Plantly" in page


def built(root: Path) -> list[str]:
    result = run(root, "build", "--now", "2026-11-21T12:00:00Z")
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if ": [" in line]


def test_a_new_accepted_word_is_seen_by_the_next_build(hub) -> None:
    """Lint results are cached between builds: accept.txt is part of their key."""
    root = hub({
        "guidelines/rules.yml": "- id: spelling\n  extends: spelling\n",
        "content/posts/a.md": post("Plantly helps.\n"),
    })
    assert built(root) == [
        "content/posts/a.md:5:1: warning: [spelling] Did you really mean 'Plantly'?"]
    (root / "guidelines/accept.txt").write_text("Plantly\n", "utf-8")
    assert built(root) == []
    (root / "guidelines/accept.txt").write_text("", "utf-8")
    assert built(root) == [
        "content/posts/a.md:5:1: warning: [spelling] Did you really mean 'Plantly'?"]


def test_accepted_terms_match_in_any_case(hub) -> None:
    # Vale's accepted terms are (?i) exceptions of a spelling rule
    root = hub({
        "guidelines/styles/Vale/Spelling.yml": VALE_SPELLING,
        "guidelines/accept.txt": "Wurmhaus\n",
        "content/posts/a.md": FRONT + "WURMHAUS, wurmhaus and Wurmhaus; not Wurmhause.\n",
    })
    assert lines(run(root, "check")) == [
        "content/posts/a.md:5:38: error: [Vale.Spelling] Did you really mean 'Wurmhause'?"]


def test_the_tagger_package_and_nltk_are_never_imported(tmp_path) -> None:
    # textblob-aptagger is installed for its model file only
    import os
    import subprocess
    import sys
    code = ("import sys; from hearth.lint import load_guide, lint_text; "
            f"g, _ = load_guide({str(tmp_path)!r}); "
            "print(lint_text(g, 'Multiple APIs are here.', 'a.md')); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('nltk', 'textblob', 'textblob_aptagger', 'joblib')))")
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "guidelines/rules.yml").write_text(
        "- id: plural\n  extends: sequence\n  message: \"'%s'\"\n  tokens:\n"
        "    - pattern: '[A-Z]{2,}s'\n    - tag: VBP\n", "utf-8")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ,
                                          "PYTHONPATH": str(Path(__file__).parents[1] / "src")})
    found, modules = out.stdout.splitlines()
    assert "rule='plural'" in found     # the tagger ran
    assert modules == "[]"
