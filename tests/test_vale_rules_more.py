"""Vale's behaviour where Hearth used to differ (issue 16): any scope name,
front-matter scopes, anchored `raw:` patterns, messages as written, `$sentence`
capitalisation, in-file comments and multi-word accepted phrases.

The expectations are Vale's own: scenarios from Vale's test suite
(testdata/features/*.feature, fixtures in testdata/fixtures/) are ported with
their files and compared line for line in Vale's `--format line`.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import make_hub, run, write_files
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.formats import render
from hearth.lint import lint_doc, load_guide
from hearth.source import parse


def guide_from(root: Path, files: dict[str, str]):
    write_files(root, {f"guidelines/{rel}": text for rel, text in files.items()})
    return load_guide(root)


def vale_lines(guide, text: str, path: str = "test.md") -> list[str]:
    doc, _ = parse(path, textwrap.dedent(text).lstrip("\n"))
    return render(lint_doc(guide, doc), "line").splitlines()


TODO_RULE = """
    extends: existence
    message: "'%s' left in text"
    scope: {scope}
    tokens: [TODO, XXX]
    """


# --- scopes ---------------------------------------------------------------------

def test_unknown_scope_parts_never_match_and_keep_the_rule(tmp_path: Path) -> None:
    guide, problems = guide_from(tmp_path, {
        "styles/rules/Caption.yml": TODO_RULE.format(scope="table.caption"),
        "styles/rules/Rst.yml": TODO_RULE.format(scope="paragraph.rst"),
        "styles/rules/NotNav.yml": TODO_RULE.format(scope="~text.frontmatter.navigation_title"),
        "styles/rules/Either.yml": TODO_RULE.format(scope="[table.caption, heading]"),
    })
    assert problems == []
    assert {r.id for r in guide.rules} == {"rules.Caption", "rules.Rst", "rules.NotNav",
                                           "rules.Either"}
    assert vale_lines(guide, """
        # A TODO heading

        A TODO paragraph.
        """) == [
        "test.md:1:5:rules.Either:'TODO' left in text",
        "test.md:1:5:rules.NotNav:'TODO' left in text",
        "test.md:3:3:rules.NotNav:'TODO' left in text",
    ]


def test_rules_yml_still_names_a_misspelt_scope(tmp_path: Path) -> None:
    _guide, problems = guide_from(tmp_path, {"rules.yml": """
        - id: typo
          extends: existence
          message: x
          scope: headnig
          tokens: [a]
        - id: fm
          extends: existence
          message: x
          scope: text.frontmatter.description
          tokens: [a]
        """})
    assert [p.as_text().split(";")[0] for p in problems] == [
        ("guidelines/rules.yml:4:3: error: [guide] rule 'typo': unknown scope 'headnig' "
        "(did you mean 'heading'?)")]


def test_frontmatter_scope_lints_the_value_at_its_place(tmp_path: Path) -> None:
    guide, problems = guide_from(tmp_path, {
        "styles/rules/FmTitle.yml": TODO_RULE.format(scope="text.frontmatter.title"),
        "styles/rules/FmDesc.yml": TODO_RULE.format(scope="text.frontmatter.description"),
        "styles/rules/FmTags.yml": TODO_RULE.format(scope="text.frontmatter.tags"),
        "styles/rules/Body.yml": TODO_RULE.format(scope="text"),
    })
    assert problems == []
    assert vale_lines(guide, """
        ---
        title: "Fix the TODO list"
        description: >
          A long
          XXX text.
        tags: [garden, TODO]
        other: TODO
        ---
        Body TODO.
        """) == [
        "test.md:2:17:rules.Body:'TODO' left in text",     # the title is text too
        "test.md:2:17:rules.FmTitle:'TODO' left in text",
        "test.md:5:3:rules.FmDesc:'XXX' left in text",
        "test.md:6:16:rules.FmTags:'TODO' left in text",
        "test.md:9:6:rules.Body:'TODO' left in text",
    ]


# --- raw patterns and messages ----------------------------------------------------

def test_anchored_raw_patterns_apply_to_every_block(tmp_path: Path) -> None:
    guide, _ = guide_from(tmp_path, {
        "styles/rules/Start.yml": """
            extends: existence
            message: "Don't start a paragraph with '%s'."
            scope: paragraph
            raw: ['^(?:So|Well)\\b']
            """,
        "styles/rules/End.yml": """
            extends: existence
            message: "Don't end with '%s'."
            nonword: true
            scope: paragraph
            tokens: ['\\.\\.\\.$']
            """,
    })
    assert vale_lines(guide, """
        So we start...

        Well, then it ends...

        And So is fine... here.
        """) == [
        "test.md:1:1:rules.Start:Don't start a paragraph with 'So'.",
        "test.md:1:12:rules.End:Don't end with '...'.",
        "test.md:3:1:rules.Start:Don't start a paragraph with 'Well'.",
        "test.md:3:19:rules.End:Don't end with '...'.",
    ]


def test_messages_keep_their_runs_of_spaces(tmp_path: Path) -> None:
    guide, _ = guide_from(tmp_path, {"styles/rules/Obvious.yml": """
        extends: substitution
        message: "Use %s instead of '%s'."
        swap:
          obvious: ''
        """})
    assert vale_lines(guide, "This is obvious.\n") == [
        "test.md:1:9:rules.Obvious:Use  instead of 'obvious'."]


# --- capitalization (Vale's checks.feature: SentenceCase, Capitalization) -----------

SENTENCE_CASE = r"""
    extends: capitalization
    message: "'%s' should be sentence-cased"
    level: warning
    scope: heading
    match: $sentence
    exceptions:
      - Section
      - Level
      - Title
      - Azure
      - Axon
      - Axon Framework
      - Axon Server
      - Axon Synapse
    indicators:
      - ":"
    prefix: '^[a-z]\.\s'
    """


def test_vale_sentence_case_scenario(tmp_path: Path) -> None:
    guide, _ = guide_from(tmp_path, {"styles/demo/SentenceCase.yml": SENTENCE_CASE})
    assert vale_lines(guide, """
        # Use the `APPEND` operator

        ## Level 1 Section Title

        # this isn't in sentence case

        ## `this` is in sentence case

        ## 1 this also is in sentence case

        # This Does Not Comply

        # Find the thief: Introduction
        """) == [
        "test.md:5:3:demo.SentenceCase:'this isn't in sentence case' should be sentence-cased",
        "test.md:11:3:demo.SentenceCase:'This Does Not Comply' should be sentence-cased",
    ]


def test_vale_capitalization_numbered_headings(tmp_path: Path) -> None:
    guide, _ = guide_from(tmp_path, {"styles/demo/SentenceCase.yml": SENTENCE_CASE})
    assert vale_lines(guide, """
        # 1. An important heading

        Some text.

        ## An unimportant heading

        Some text

        ## An unimportant Heading

        Some text

        ## a. An unimportant heading

        ## B. An unimportant heading

        ## Axon Server connection

        ## 8. Install the tools
        """, "test4.md") == [
        "test4.md:9:4:demo.SentenceCase:'An unimportant Heading' should be sentence-cased",
        "test4.md:15:4:demo.SentenceCase:'B. An unimportant heading' should be sentence-cased",
    ]


def test_all_caps_words_are_right_only_in_title_case(tmp_path: Path) -> None:
    rule = """
        extends: capitalization
        message: "'%s' should use {case} case"
        scope: heading
        match: ${case}
        threshold: 1
        """
    guide, _ = guide_from(tmp_path, {
        "styles/demo/Sentence.yml": rule.format(case="sentence"),
        "styles/demo/Title.yml": rule.format(case="title"),
    })
    assert vale_lines(guide, """
        # Send the JSON REQUEST now

        # Send the JSON Request Now
        """) == [
        "test.md:1:3:demo.Sentence:'Send the JSON REQUEST now' should use sentence case",
        "test.md:1:3:demo.Title:'Send the JSON REQUEST now' should use title case",
        "test.md:3:3:demo.Sentence:'Send the JSON Request Now' should use sentence case",
    ]


# --- in-file comments (Vale's comments.feature, fixture comments/test.md) -------------

COMMENT_STYLES = {
    "styles/vale/Redundancy.yml": """
        extends: existence
        message: "'%s' is redundant"
        ignorecase: true
        level: error
        tokens:
          - (?:added|extra) bonus
          - ACT test
          - already existing
        """,
    "styles/demo/Ending-Preposition.yml": r"""
        message: "Don't end a sentence with '%s'"
        extends: existence
        level: suggestion
        raw:
          - '\b(?:at|from|of|to|in|for|on|by)[.!]'
        """,
}

COMMENTS_MD = """
    <!-- vale off -->

    This is some text ACT test

    This is some text ACT test

    <!-- vale on -->

    <!-- vale vale.Redundancy = NO -->

    This is some text ACT test

    <!-- vale vale.Redundancy = YES -->

    This is some text ACT test

    <!-- vale demo.Ending-Preposition = NO -->

    This is some text ACT test. This is a sentence for.

    This is a sentance of.

    <!-- vale demo.Ending-Preposition = YES -->

    This is a sentance of.

    1. Consider the following `deployment.yaml` file.

       ```yaml
       apiVersion: v1
       kind: Service
       ```

    2. few other steps.
    <!-- vale off -->
    1. This is a sentance of.
       ```bash
       SSH should not typically be used within containers.
       ```
    <!-- vale on -->

    something else.

    This is a sentance of.

    - Unordered list example.
    <!-- vale off -->
    - This is a sentance of.
    <!-- vale on -->
    - one more item.
    """


def test_vale_comments_scenario(tmp_path: Path) -> None:
    guide, _ = guide_from(tmp_path, COMMENT_STYLES)
    # Vale's expected lines, the fixture's code blocks shortened by 33 lines
    assert vale_lines(guide, COMMENTS_MD) == [
        "test.md:15:19:vale.Redundancy:'ACT test' is redundant",
        "test.md:19:19:vale.Redundancy:'ACT test' is redundant",
        "test.md:25:20:demo.Ending-Preposition:Don't end a sentence with 'of.'",
        "test.md:44:20:demo.Ending-Preposition:Don't end a sentence with 'of.'",
    ]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["off", "on", "rule-off", "rule-on", "text"]), max_size=12))
def test_vale_off_and_rule_switches_hold_until_switched_back(tmp_path_factory, steps) -> None:
    guide, _ = guide_from(tmp_path_factory.mktemp("hub"), COMMENT_STYLES)
    comment = {"off": "<!-- vale off -->", "on": "<!-- vale on -->",
               "rule-off": "<!-- vale vale.Redundancy = NO -->",
               "rule-on": "<!-- vale vale.Redundancy = YES -->"}
    lines, expected, off, rule_off = [], [], False, False
    for step in steps:
        if step == "text":
            if not off and not rule_off:
                expected.append(f"test.md:{len(lines) + 1}:5:vale.Redundancy:'ACT test' is "
                                "redundant")
            lines += ["The ACT test.", ""]
        else:
            off = {"off": True, "on": False}.get(step, off)
            rule_off = {"rule-off": True, "rule-on": False}.get(step, rule_off)
            lines += [comment[step], ""]
    doc, _ = parse("test.md", "\n".join(lines) + "\n")
    assert render(lint_doc(guide, doc), "line").splitlines() == expected


def test_comments_for_styles_and_single_matches(tmp_path: Path) -> None:
    guide, _ = guide_from(tmp_path, {**COMMENT_STYLES, "rules.yml": """
        - id: no-todo
          extends: existence
          message: "'%s' left in text"
          tokens: [TODO]
        """})
    assert vale_lines(guide, """
        <!-- vale vale.Redundancy["ACT test", "already existing"] = NO -->
        An ACT test, an already existing added bonus. TODO
        <!-- vale vale.Redundancy["ACT test", "already existing"] = YES -->
        An ACT test again.

        <!-- vale vale = NO -->
        An extra bonus for.
        <!-- vale vale = YES -->
        <!-- vale style = demo -->
        An extra bonus for. TODO
        <!-- vale styles = vale, demo -->
        An extra bonus for.
        """) == [
        "test.md:2:34:vale.Redundancy:'added bonus' is redundant",
        "test.md:2:47:no-todo:'TODO' left in text",
        "test.md:4:4:vale.Redundancy:'ACT test' is redundant",
        "test.md:7:16:demo.Ending-Preposition:Don't end a sentence with 'for.'",
        "test.md:10:16:demo.Ending-Preposition:Don't end a sentence with 'for.'",
        "test.md:10:21:no-todo:'TODO' left in text",
        "test.md:12:4:vale.Redundancy:'extra bonus' is redundant",
        "test.md:12:16:demo.Ending-Preposition:Don't end a sentence with 'for.'",
    ]


# --- accepted terms of several words (Vale 3.15) ---------------------------------------

def test_multi_word_accepted_terms_shield_their_words(tmp_path: Path) -> None:
    guide, _ = guide_from(tmp_path, {
        "accept.txt": "Open Source Garden\n",
        "styles/rules/Words.yml": """
            extends: existence
            message: "Avoid '%s'."
            ignorecase: true
            tokens: [open source, garden]
            """,
        "styles/rules/NoVocab.yml": """
            extends: existence
            message: "Avoid '%s' everywhere."
            vocab: false
            tokens: [Garden]
            """,
    })
    assert vale_lines(guide, "The Open Source Garden is an open source garden.\n") == [
        "test.md:1:17:rules.NoVocab:Avoid 'Garden' everywhere.",
        "test.md:1:30:rules.Words:Avoid 'open source'.",
        "test.md:1:42:rules.Words:Avoid 'garden'.",
    ]


# --- output: the match, and Vale's own JSON ---------------------------------------------

def test_json_has_the_match_and_vale_json_is_vales_shape(tmp_path: Path) -> None:
    root = make_hub(tmp_path, {
        "guidelines/styles/demo/Terms.yml": """
            extends: substitution
            message: "Use '%s' instead of '%s'."
            level: error
            description: "Say it <plainly> & briefly."
            link: https://example.org/terms
            action:
              name: replace
            swap:
              utilise: use
            """,
        "guidelines/styles/demo/Very.yml": """
            extends: existence
            message: "Avoid '%s'."
            level: suggestion
            tokens: [very]
            """,
        "b.md": "Fine.\n",
        "a.md": "We utilise it,\nvery much.\n",
    })
    result = run(root, "check", str(root / "a.md"), str(root / "b.md"), "--format", "json")
    assert [(d["line"], d["column"], d["rule"], d["match"]) for d in json.loads(result.stdout)] \
        == [(1, 4, "demo.Terms", "utilise"), (2, 1, "demo.Very", "very")]
    result = run(root, "check", str(root / "a.md"), str(root / "b.md"), "--format", "vale-json")
    assert result.stdout == textwrap.dedent("""\
        {
          "a.md": [
            {
              "Action": {
                "Name": "replace",
                "Params": [
                  "use"
                ]
              },
              "Span": [
                4,
                10
              ],
              "Check": "demo.Terms",
              "Description": "Say it \\u003cplainly\\u003e \\u0026 briefly.",
              "Link": "https://example.org/terms",
              "Message": "Use 'use' instead of 'utilise'.",
              "Severity": "error",
              "Match": "utilise",
              "Line": 1
            },
            {
              "Action": {
                "Name": "",
                "Params": null
              },
              "Span": [
                1,
                4
              ],
              "Check": "demo.Very",
              "Description": "",
              "Link": "",
              "Message": "Avoid 'very'.",
              "Severity": "suggestion",
              "Match": "very",
              "Line": 2
            }
          ]
        }
        """)
    assert result.exit_code == 1
    assert run(root, "check", str(root / "b.md"), "--format", "vale-json").stdout == "{}\n"
