"""`extends: sequence`: runs of words by pattern and part-of-speech tag.

The first hub is Vale's own `checks/Sequence` scenario (errata-ai/vale, MIT
licence: testdata/features/checks.feature, fixtures/checks/Sequence/test.md and
styles/LanguageTool/*.yml), with Hearth's front matter added: four lines, so
each of Vale's line numbers is four higher here. Every finding Vale reports,
Hearth reports, at the same column.
"""

from __future__ import annotations

import pickle

import pytest
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.lint import tagger
from hearth.lint.tagger import tag_text, tokenize

FRONT = "---\ntitle: x\ndate: 2026-01-01\n---\n"

LANGUAGETOOL = {
    "guidelines/styles/LanguageTool/WOULD_BE_JJ_VB.yml": """\
        extends: sequence
        message: "The infinitive '%[4]s' after 'be' requries 'to'. Did you mean '%[2]s %[3]s *to* %[4]s'?"
        tokens:
          - tag: MD
          - pattern: be
          - tag: JJ
          - tag: VB|VBN
        """,
    "guidelines/styles/LanguageTool/OF_ALL_TIMES.yml": """\
        extends: sequence
        message: "In this context, the idiom needs to be spelled 'of all time'."
        tokens:
          - tag: JJS
            skip: 3

          - pattern: of
          - pattern: all
          - pattern: times
        """,
    "guidelines/styles/LanguageTool/APOS_ARE.yml": """\
        extends: sequence
        message: Did you mean "%[1]ss" instead of "%[1]s's"?
        tokens:
          - tag: NN
          - pattern: "'s"
          - pattern: are
        action:
          name: edit
          params:
            - replace
            - "'"
            - ""
        """,
    "guidelines/styles/LanguageTool/Metadata.yml": """\
        extends: sequence
        message: "Use data and metadata as plural nouns."
        level: error
        ignorecase: true
        tokens:
          - tag: NN
            pattern: '(?:data|metadata)'
          - tag: VBZ
            skip: 4
        """,
    "guidelines/styles/LanguageTool/ARE_USING.yml": """\
        ---
        extends: sequence
        level: warning
        message: Use 'by using' instead of 'using' when it follows a noun for clarity and grammatical correctness.
        tokens:
          - tag: NN|NNP|NNPS|NNS
          - pattern: using
        """,
}

VALE_SEQUENCE_TEXT = """\
# LanguageTool Rules

It would be great write a story.

Let us know!

Thank you!

Could we please get together with Brent Price and Mike Jordan and discuss whether Todd would be available come over.

In my opinion, he is still the greatest basketball player of all times.

The best player of all times was Pelé.

The Bible is the great best seller of all times.

Karl Popper viewed Peirce as "one of the greatest philosophers of all times".

Have you been to Don's house yet?

The endpoint's are available.

The API's endpoints are available.

Metadata for this one purpose is valid.

Metadata for this one two purpose is valid.

Metadata for this purpose is valid.

We improved the system using new algorithms.

If you are using the ElasticSearch log store do nothing."""


def lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": [" in line]


def test_vale_sequence_scenario(hub) -> None:
    root = hub({**LANGUAGETOOL, "content/posts/test.md": FRONT + VALE_SEQUENCE_TEXT})
    result = run(root, "check")
    assert result.exit_code == 1        # Metadata is an error
    p = "content/posts/test.md"
    assert lines(result) == [
        (f"{p}:7:4: warning: [LanguageTool.WOULD_BE_JJ_VB] The infinitive 'write' after 'be' "
        "requries 'to'. Did you mean 'be great *to* write'?"),
        (f"{p}:13:88: warning: [LanguageTool.WOULD_BE_JJ_VB] The infinitive 'come' after 'be' "
        "requries 'to'. Did you mean 'be available *to* come'?"),
        (f"{p}:15:32: warning: [LanguageTool.OF_ALL_TIMES] In this context, the idiom needs to be "
        "spelled 'of all time'."),
        (f"{p}:17:5: warning: [LanguageTool.OF_ALL_TIMES] In this context, the idiom needs to be "
        "spelled 'of all time'."),
        (f"{p}:19:24: warning: [LanguageTool.OF_ALL_TIMES] In this context, the idiom needs to be "
        "spelled 'of all time'."),
        (f"{p}:21:42: warning: [LanguageTool.OF_ALL_TIMES] In this context, the idiom needs to be "
        "spelled 'of all time'."),
        (f"{p}:25:5: warning: [LanguageTool.APOS_ARE] Did you mean \"endpoints\" instead of "
        "\"endpoint's\"?"),
        f"{p}:29:1: error: [LanguageTool.Metadata] Use data and metadata as plural nouns.",
        f"{p}:33:1: error: [LanguageTool.Metadata] Use data and metadata as plural nouns.",
        (f"{p}:35:17: warning: [LanguageTool.ARE_USING] Use 'by using' instead of 'using' when it "
        "follows a noun for clarity and grammatical correctness."),
    ]


PLURALS = """\
    - id: plural-abbreviations
      extends: sequence
      message: "Write '%[1]ss', not '%[1]s%[2]s', for more than one %[1]s."
      tokens:
        - pattern: '[A-Z]{2,}'
        - pattern: "'s"
        - tag: VBP|VBD|MD
    """


def test_plural_abbreviations(hub) -> None:
    root = hub({
        "guidelines/rules.yml": PLURALS,
        "content/posts/a.md": FRONT + (
            "Multiple API's are available. The API's docs are short. "
            "Two URL's were broken.\n"),
    })
    result = run(root, "check")
    assert lines(result) == [
        ("content/posts/a.md:5:10: warning: [plural-abbreviations] Write 'APIs', not 'API's', "
        "for more than one API."),
        ("content/posts/a.md:5:61: warning: [plural-abbreviations] Write 'URLs', not 'URL's', "
        "for more than one URL."),
    ]


def test_a_sequence_never_crosses_a_sentence(hub) -> None:
    root = hub({
        "guidelines/rules.yml": PLURALS,
        "content/posts/a.md": FRONT + "We use an API's. Are you?\n\n- Our API's\n- are fine\n",
    })
    assert lines(run(root, "check")) == []


def test_negate_skip_and_ignorecase(hub) -> None:
    root = hub({
        "guidelines/rules.yml": """\
            - id: very-not-adjective
              extends: sequence
              message: "'%s %s': 'very' before a word that is no adjective."
              tokens:
                - pattern: very
                - tag: JJ
                  negate: true
            - id: pronoun-later
              extends: sequence
              message: "Ambiguous pronoun."
              ignorecase: true
              tokens:
                - tag: NN|NNP|NNPS|NNS
                  skip: 7
                - tag: PRP|PRP$
                  pattern: he|she|its?|they|his|her|their
            - id: no-pattern
              extends: sequence
              message: "never fires: no token has a pattern"
              tokens:
                - tag: NN
            """,
        "content/posts/a.md": FRONT + (
            "A very good idea. We very much agree.\n\n"
            "The gardener told the neighbour that they were wrong.\n"),
    })
    result = run(root, "check")
    assert lines(result) == [
        ("content/posts/a.md:5:22: warning: [very-not-adjective] 'very much': 'very' before a word "
        "that is no adjective."),
        "content/posts/a.md:7:23: warning: [pronoun-later] Ambiguous pronoun.",
    ]


def test_broken_tokens_are_errors_at_their_line(hub) -> None:
    root = hub({
        "guidelines/rules.yml": """\
            - id: none
              extends: sequence
              message: "x"
            - id: not-a-map
              extends: sequence
              message: "x"
              tokens:
                - very
            - id: bad-key
              extends: sequence
              message: "x"
              tokens:
                - pattern: a
                - patern: b
            - id: bad-regex
              extends: sequence
              message: "x"
              tokens:
                - pattern: '(['
            """,
        "content/posts/a.md": FRONT + "Fine.\n",
    })
    result = run(root, "check")
    assert result.exit_code == 1
    found = lines(result)
    assert found[:3] == [
        ("guidelines/rules.yml:1:3: error: [guide] rule 'none': a sequence rule needs 'tokens', a "
        "list of mappings with 'pattern', 'tag', 'negate' or 'skip'"),
        ("guidelines/rules.yml:8:7: error: [guide] rule 'not-a-map': 'tokens' entry 1 must be a "
        "mapping with 'pattern', 'tag', 'negate' or 'skip'"),
        ("guidelines/rules.yml:14:7: error: [guide] rule 'bad-key': 'tokens' entry 2: 'patern' is "
        "not a token key (pattern, tag, negate, skip)"),
    ]
    assert found[3].startswith("guidelines/rules.yml:19:7: error: [guide] rule 'bad-regex': "
                               "'tokens' entry 1 is not a valid regular expression")


def test_penn_treebank_tags() -> None:
    assert [(t.text, t.tag) for t in tag_text("Multiple API's are available.")] == [
        ("Multiple", "NNP"), ("API", "NNP"), ("'s", "POS"), ("are", "VBP"),
        ("available", "JJ"), (".", ".")]
    assert [(t.text, t.tag) for t in tag_text("He was killed by the storm.")] == [
        ("He", "PRP"), ("was", "VBD"), ("killed", "VBN"), ("by", "IN"), ("the", "DT"),
        ("storm", "NN"), (".", ".")]


def test_the_model_file_holds_only_data(tmp_path) -> None:
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))
    path = tmp_path / "evil.pickle"
    path.write_bytes(pickle.dumps(({}, {}, Evil())))
    with path.open("rb") as f, pytest.raises(pickle.UnpicklingError):
        tagger._DataOnly(f, encoding="latin1").load()


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab'’.,()\"$ AP n't\n"), max_size=40))
def test_tokens_are_spans_of_the_text(text: str) -> None:
    for word, start, end in tokenize(text):
        assert text[start:end] == word and word.strip() == word and word
