"""Loading the guide: rules.yml and Vale files, broken rules as diagnostics with
file and line, scoping (channels, lang, scope), ignore files, examples, and the
guide as the guidelines page shows it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hearth.diagnostics import sort_diagnostics
from hearth.lint import check_examples, lint_doc, lint_text, load_guide, rules_for_people
from hearth.source import parse


def make_guide(root: Path, files: dict[str, str]):
    for rel, text in files.items():
        path = root / "guidelines" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_guide(root)


def texts(diagnostics) -> list[str]:
    return [d.as_text() for d in diagnostics]


def test_missing_folder_is_an_empty_guide(tmp_path: Path) -> None:
    guide, problems = load_guide(tmp_path)
    assert guide.rules == () and problems == []
    doc, _ = parse("a.md", "Anything at all.\n")
    assert lint_doc(guide, doc) == []


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    _guide, problems = make_guide(tmp_path, {
        "rules.yml": """
            - id: ok
              extends: existence
              message: "x"
              tokens: [foo
            """,
        "styles/Bad/Broken.yml": "extends: existence\nmessage: [unclosed\n",
    })
    assert [(d.path, d.line, d.level, d.rule) for d in problems] == [
        ("guidelines/rules.yml", 4, "error", "guide"),
        ("guidelines/styles/Bad/Broken.yml", 2, "error", "guide"),
    ]
    assert problems[0].message.startswith("invalid YAML")


def test_rule_errors_point_at_the_key(tmp_path: Path) -> None:
    guide, problems = make_guide(tmp_path, {
        "rules.yml": """
            - id: good
              extends: existence
              message: "Avoid '%s'."
              tokens: [foo]
            - id: typo
              extends: existence
              message: "x"
              ignorcase: true
              tokens: [bar]
            - id: bad-regex
              extends: existence
              message: "x"
              tokens:
                - fine
                - 'broken(['
            - id: bad-level
              extends: existence
              message: "x"
              level: fatal
              tokens: [x]
            - id: bad-kind
              extends: existense
              message: "x"
            - extends: existence
              message: "no id"
            - id: no-message
              extends: substitution
              swap: {a: b}
            - id: bad-scope
              extends: existence
              message: "x"
              scope: headnig
              tokens: [x]
            - id: good
              extends: existence
              message: "again"
              tokens: [foo]
            """,
        "styles/Vale/Script.yml": "extends: script\nmessage: \"x\"\nscript: \"x\"\n",
    })
    assert [r.id for r in guide.rules] == ["good"]
    problems = sort_diagnostics(problems)
    assert texts(problems) == [
        ("guidelines/rules.yml:8:3: error: [guide] rule 'typo': 'ignorcase' is not a key of "
        "existence rules (did you mean 'ignorecase'?)"),
        "guidelines/rules.yml:15:7: error: [guide] rule 'bad-regex': 'tokens' is not a valid "
        + problems[1].message.split("'tokens' is not a valid ", 1)[1],
        ("guidelines/rules.yml:19:3: error: [guide] rule 'bad-level': 'level' must be one of "
        "error, warning, suggestion, not 'fatal'"),
        "guidelines/rules.yml:22:3: error: [guide] rule 'bad-kind': unknown rule kind 'existense' "
        "(did you mean 'existence'?); use one of " + problems[3].message.split("use one of ")[1],
        ("guidelines/rules.yml:24:3: error: [guide] this rule has no 'id' (a short name like "
        "brand-name)"),
        ("guidelines/rules.yml:26:3: error: [guide] rule 'no-message': missing the required "
        "'message' key"),
        "guidelines/rules.yml:32:3: error: [guide] rule 'bad-scope': unknown scope 'headnig' "
        "(did you mean 'heading'?); use " + problems[6].message.split("; use ")[1],
        ("guidelines/rules.yml:34:1: error: [guide] rule id 'good' is already used at "
        "guidelines/rules.yml:1"),
        ("guidelines/styles/Vale/Script.yml:1:1: warning: [guide] rule 'Vale.Script': 'script' "
        "rules are not supported by Hearth; the rule is skipped"),
    ]


def test_odd_values_never_raise(tmp_path: Path) -> None:
    guide, problems = make_guide(tmp_path, {"rules.yml": """
        - id: bad-exception
          extends: existence
          message: x
          tokens: [a]
          exceptions: ['(']
        - id: tokens-mapping
          extends: existence
          message: x
          tokens: {a: b}
        - id: swap-list
          extends: substitution
          message: x
          swap: [a, b]
        - id: examples-list
          extends: existence
          message: x
          tokens: [a]
          examples: [a, b]
        - id: max-text
          extends: hashtags
          max: lots
        - id: formula
          extends: metric
          message: x
          formula: "__import__('os')"
          condition: "> 1"
        - just a string
        """})
    assert guide.rules == ()
    assert problems[0].message == ("rule 'bad-exception': exception '(' is not a valid regular "
                                   "expression: missing ) at position 1")
    assert [(d.line, d.message.split(":")[0]) for d in problems] == [
        (5, "rule 'bad-exception'"), (9, "rule 'tokens-mapping'"), (13, "rule 'swap-list'"),
        (18, "rule 'examples-list'"), (21, "rule 'max-text'"), (25, "rule 'formula'"),
        (27, "each rule must be a mapping of keys to values")]


def test_vale_style_folders(tmp_path: Path) -> None:
    guide, problems = make_guide(tmp_path, {
        "styles/House/Avoid.yml": "extends: existence\nmessage: \"No '%s'.\"\ntokens: [foo]\n",
        "styles/House/dates/Format.yml": "extends: existence\nmessage: x\ntokens: [bar]\n",
        "styles/House/_drafts/Draft.yml": "extends: nonsense\n",
        "styles/config/vocabularies/House/accept.txt": "foo\n",
        "styles/House/meta.json": "{}",
    })
    assert problems == []
    assert [r.id for r in guide.rules] == ["House.Avoid", "House.dates.Format"]
    rule = guide.rule("House.Avoid")
    assert (rule.level, rule.scope, rule.native) == ("warning", ("text",), False)


def test_accepted_words_are_exceptions(tmp_path: Path) -> None:
    guide, _ = make_guide(tmp_path, {
        "accept.txt": "# words we accept\nHearth\n",
        "rules.yml": """
            - id: caps
              extends: existence
              message: "'%s' is shouting."
              tokens: ['[A-Z][a-z]+th']
            """,
    })
    assert texts(lint_text(guide, "Hearth and Garth.", "t.txt")) == [
        "t.txt:1:12: warning: [caps] 'Garth' is shouting."]


def test_channels_scope_and_lang(tmp_path: Path) -> None:
    guide, problems = make_guide(tmp_path, {"rules.yml": """
        - id: x-only
          extends: existence
          message: "'%s' on X"
          channels: [x]
          tokens: [thread]
        - id: channels-only
          extends: existence
          message: "'%s' in a channel text"
          scope: channel
          tokens: [hello]
        - id: headings-only
          extends: existence
          message: "'%s' in a heading"
          scope: heading
          tokens: [hello, thread]
        - id: not-in-lists
          extends: existence
          message: "'%s' outside lists"
          scope: '~list'
          tokens: [thread]
        - id: swedish
          extends: existence
          message: "'%s' på svenska"
          lang: [sv]
          tokens: [hej]
        """})
    assert problems == []
    doc, _ = parse("p.md", textwrap.dedent("""\
        ---
        title: Hello thread
        lang: sv-SE
        channels:
          x: "hello thread hej"
          mastodon: "hello thread"
        ---
        # Hello thread

        - a thread in a list, hej
        """))
    assert texts(lint_doc(guide, doc)) == [
        "p.md:2:14: warning: [not-in-lists] 'thread' outside lists",
        "p.md:5:7: warning: [channels-only] 'hello' in a channel text",
        "p.md:5:13: warning: [not-in-lists] 'thread' outside lists",
        "p.md:5:13: warning: [x-only] 'thread' on X",
        "p.md:5:20: warning: [swedish] 'hej' på svenska",
        "p.md:6:14: warning: [channels-only] 'hello' in a channel text",
        "p.md:6:20: warning: [not-in-lists] 'thread' outside lists",
        "p.md:8:9: warning: [headings-only] 'thread' in a heading",
        "p.md:8:9: warning: [not-in-lists] 'thread' outside lists",
        "p.md:10:23: warning: [swedish] 'hej' på svenska",
    ]
    assert all(d.rule != "swedish" for d in lint_doc(guide, doc, lang="en"))


def test_limit_caps_findings_per_file(tmp_path: Path) -> None:
    guide, _ = make_guide(tmp_path, {"styles/S/Very.yml": """
        extends: existence
        message: "Cut '%s'."
        limit: 2
        tokens: [very]
        """})
    assert len(lint_text(guide, "very very very very", "t.txt")) == 2


def test_ignore_file(tmp_path: Path) -> None:
    guide, _ = make_guide(tmp_path, {"ignore": """
        # paths the linter skips
        content/archive/
        *.draft.md
        content/posts/2019-*
        !content/archive/keep.md
        """})
    assert guide.ignores("content/archive/old/post.md")
    assert guide.ignores("content/posts/x.draft.md")
    assert guide.ignores("./content/posts/2019-01-01-hello.md")
    assert not guide.ignores("content/posts/2020-01-01-hello.md")
    assert not guide.ignores("content/archive/keep.md")


def test_examples_are_checked(tmp_path: Path) -> None:
    guide, problems = make_guide(tmp_path, {"rules.yml": """
        - id: brand
          extends: substitution
          message: 'Say "%s", not "%s".'
          swap: {Open garden: Open Garden}
          examples:
            good:
              - "Open Garden is great."
              - "Open garden is wrong, and this good example says so."
            bad:
              - "Welcome to Open garden."
              - "This bad example is fine."
        - id: heading-case
          extends: capitalization
          message: "'%s' → '%s'"
          scope: heading
          match: $sentence
          examples:
            good: ["A good heading"]
            bad: ["A Bad Heading"]
        - id: x-link
          extends: links
          channels: [x]
          required: true
          examples:
            good: ["News {url}"]
            bad: ["News"]
        - id: fm
          extends: frontmatter
          required: [summary]
          examples:
            good: ["---\\ntitle: a\\nsummary: b\\n---\\n"]
            bad: ["---\\ntitle: a\\n---\\n"]
        """})
    assert problems == []
    assert texts(check_examples(guide)) == [
        ("guidelines/rules.yml:8:9: error: [brand] good example is caught by 'brand': "
        "\"Open garden is wrong, and this good example says so.\" "
        "(Say \"Open Garden\", not \"Open garden\".)"),
        ("guidelines/rules.yml:11:9: error: [brand] bad example is not caught by 'brand': "
        "\"This bad example is fine.\""),
    ]


def test_rules_for_people(tmp_path: Path) -> None:
    guide, _ = make_guide(tmp_path, {"rules.yml": """
        - id: brand
          extends: substitution
          message: 'Say "%s", not "%s".'
          description: Our name is two words.
          level: error
          swap:
            Open garden: Open Garden
            '(?:OpenGarden|Opengarden)': Open Garden
            users?: gardeners|members
        - id: avoid
          extends: existence
          message: "Avoid '%s'."
          tokens: [simply, 'obvious(?:ly)?']
        - id: dates
          extends: existence
          message: "Write dates in words, not '%s'."
          nonword: true
          tokens: ['\\d+/\\d+']
        - id: tags
          extends: hashtags
          channels: [linkedin]
          max: 2
          examples: {good: ["#One #Two"], bad: ["#One #Two #Three"]}
        - id: mod
          extends: moderation
          words: [idiot*]
        """})
    people = {r["id"]: r for r in rules_for_people(guide)}
    assert list(people) == ["brand", "avoid", "dates", "tags", "mod"]
    assert people["dates"]["avoid"] == [] and people["dates"]["patterns"] == ["\\d+/\\d+"]
    brand = people["brand"]
    assert brand["message"] == 'Say "…", not "…".'
    assert brand["description"] == "Our name is two words."
    assert brand["pairs"] == [
        {"say": ["Open Garden"], "not": "Open garden"},
        {"say": ["Open Garden"], "not": "OpenGarden"},
        {"say": ["Open Garden"], "not": "Opengarden"},
        {"say": ["gardeners", "members"], "not": "user"},
        {"say": ["gardeners", "members"], "not": "users"},
    ]
    assert people["avoid"]["avoid"] == ["simply", "obvious", "obviously"]
    assert people["avoid"]["patterns"] == []
    assert people["tags"]["channels"] == ["linkedin"]
    assert people["tags"]["limits"] == {"what": "hashtags", "max": 2, "min": None}
    assert people["tags"]["examples"] == {"good": ["#One #Two"], "bad": ["#One #Two #Three"]}
    assert people["mod"]["avoid"] == [] and people["mod"]["limits"] == {"words": 1}
