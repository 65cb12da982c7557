"""Vale's built-in style `Vale` (issue 16): a `.vale.ini` whose BasedOnStyles names
`Vale` turns on Vale.Spelling and Vale.Repetition (and, with a Vocab, Vale.Terms
and Vale.Avoid), with Vale's messages, levels and actions
(errata-ai/vale internal/check/definition.go `defaultRules`, manager.go
`loadDefaultRules`). The Repetition scenario is ported from Vale's
testdata/features/checks.feature "Repetition" (MIT licence)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import make_hub, run

FRONT = "---\ntitle: Notes\ndate: 2026-01-01\n---\n"


def lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": [" in line]


def test_based_on_vale_turns_on_spelling_and_repetition(tmp_path: Path) -> None:
    root = make_hub(tmp_path, {
        "guidelines/.vale.ini": "StylesPath = styles\n\n[*]\nBasedOnStyles = Vale\n",
        "guidelines/styles/config/ignore/names.txt": "Plantly\n",
        "guidelines/styles/config/ignore/more/team.txt": "Wurmhaus\n",
        "content/posts/a.md": FRONT + "This is is a typpo about Plantly and the the Wurmhaus.\n",
    })
    result = run(root, "check")
    assert lines(result) == [
        "content/posts/a.md:5:6: error: [Vale.Repetition] 'is' is repeated!",
        "content/posts/a.md:5:14: error: [Vale.Spelling] Did you really mean 'typpo'?",
        "content/posts/a.md:5:38: error: [Vale.Repetition] 'the' is repeated!",
    ]
    assert result.exit_code == 1
    alerts = json.loads(run(root, "check", "--format", "vale-json").stdout)["content/posts/a.md"]
    assert [(a["Check"], a["Action"], a["Match"]) for a in alerts] == [
        ("Vale.Repetition", {"Name": "edit", "Params": ["truncate", " "]}, "is is"),
        ("Vale.Spelling", {"Name": "suggest", "Params": ["spellings"]}, "typpo"),
        ("Vale.Repetition", {"Name": "edit", "Params": ["truncate", " "]}, "the the"),
    ]


def test_accept_lists_and_brand_names_are_never_misspellings(tmp_path: Path) -> None:
    root = make_hub(tmp_path, {
        "guidelines/.vale.ini": "Vocab = Garden\n\n[*]\nBasedOnStyles = Vale, House\n",
        "guidelines/styles/config/vocabularies/Garden/accept.txt": "Kompost\n[Ss]eedlings?\n",
        "guidelines/accept.txt": "Wurmhaus\n",
        "guidelines/styles/House/Brand.yml": """\
            extends: substitution
            message: "Use '%s' instead of '%s'."
            swap:
              plantlee: Plantly
            """,
        # Vale's accepted terms are (?i) exceptions: KOMPOST is accepted too
        "content/posts/a.md": FRONT + "Plantly, KOMPOST, Seedling and Wurmhaus, not Gurdin.\n",
    })
    result = run(root, "check")
    assert lines(result) == [
        "content/posts/a.md:5:10: error: [Vale.Terms] Use 'Kompost' instead of 'KOMPOST'.",
        "content/posts/a.md:5:46: error: [Vale.Spelling] Did you really mean 'Gurdin'?",
    ]


def test_vale_switches_and_levels_apply_to_the_builtins(tmp_path: Path) -> None:
    post = FRONT + "A typpo and and more.\n"
    root = make_hub(tmp_path / "a", {
        "guidelines/.vale.ini": "[*]\nBasedOnStyles = Vale\nVale.Spelling = warning\n"
                                "Vale.Repetition = NO\n",
        "guidelines/styles/config/ignore/none.txt": "",
        "content/posts/a.md": post})
    assert lines(run(root, "check")) == [
        "content/posts/a.md:5:3: warning: [Vale.Spelling] Did you really mean 'typpo'?"]
    # a switch alone loads the style (Vale's needsStyle) and runs only that rule
    root = make_hub(tmp_path / "b", {
        "guidelines/.vale.ini": "[*]\nVale.Repetition = YES\n",
        "guidelines/styles/config/ignore/none.txt": "",
        "content/posts/a.md": post})
    assert lines(run(root, "check")) == [
        "content/posts/a.md:5:9: error: [Vale.Repetition] 'and' is repeated!"]
    # without `Vale` anywhere in the .vale.ini, and without a .vale.ini, nothing of it
    root = make_hub(tmp_path / "c", {
        "guidelines/.vale.ini": "[*]\nBasedOnStyles = House\n",
        "guidelines/styles/House/.keep": "",
        "content/posts/a.md": post})
    assert lines(run(root, "check")) == []
    root = make_hub(tmp_path / "d", {"guidelines/accept.txt": "x\n", "content/posts/a.md": post})
    assert lines(run(root, "check")) == []


def test_vale_repetition_scenario(tmp_path: Path) -> None:
    # checks.feature "Repetition" (fixtures/checks/Repetition, its .vale.ini
    # `Vale.Repetition = YES` with Vocab "Rep" accepting "did"): text.rst as Markdown
    root = make_hub(tmp_path, {
        "guidelines/.vale.ini": "Vocab = Rep\n\n[*]\nVale.Repetition = YES\n",
        "guidelines/styles/config/vocabularies/Rep/accept.txt": "did\n",
        "test.md": """\
            This was almost as as good as the other one.

            Many readers are not aware that the
            the brain will automatically ignore
            a second instance of the word "the"
            when it starts a new line.

            The Liberal Party has taken the old line so beloved of
            economic think tanks since the 1980s of cutting company
            taxes and and assisting innovation, while the ALP's approach
            involves an emphasis on on education spending and concerns
            over inequality that is increasingly becoming the new standard.

            this
            this should be be flagged!!

            All plans except a Personal plan can use Redis. Redis will not be available
            going live on a Personal plan plan.

            Sometimes did did is okay.
            """})
    result = run(root, "check", str(root / "test.md"), "--format", "line")
    assert result.stdout.splitlines() == [
        "test.md:1:17:Vale.Repetition:'as' is repeated!",
        # Hearth's repetition counts across a line break inside a paragraph (Vale's
        # skips a span with a newline; the fixture's own text says why one would not)
        "test.md:3:33:Vale.Repetition:'the' is repeated!",
        "test.md:10:7:Vale.Repetition:'and' is repeated!",
        "test.md:11:22:Vale.Repetition:'on' is repeated!",
        "test.md:14:1:Vale.Repetition:'this' is repeated!",
        "test.md:15:13:Vale.Repetition:'be' is repeated!",
    ]


def test_a_vale_folder_collides_with_the_builtin_style(tmp_path: Path) -> None:
    root = make_hub(tmp_path, {
        "guidelines/.vale.ini": "StylesPath = styles\n\n[*]\nBasedOnStyles = Vale\n",
        "guidelines/styles/Vale/Spelling.yml": """\
            extends: spelling
            message: "Own: '%s'"
            level: warning
            """,
        "content/posts/a.md": FRONT + "A typpo and and more.\n",
    })
    result = run(root, "check")
    assert lines(result) == [
        "content/posts/a.md:5:3: warning: [Vale.Spelling] Own: 'typpo'",
        "content/posts/a.md:5:9: error: [Vale.Repetition] 'and' is repeated!",
        ("guidelines/.vale.ini:4:1: warning: [vale-config] 'Vale' is Vale's built-in style, and "
         "guidelines/styles/Vale collides with it (Vale stops); its rules are used in place of "
         "the built-in ones"),
    ]


def test_preload_reads_the_dictionaries_of_the_languages_met(tmp_path: Path) -> None:
    # what the lint workers need is loaded once, before they fork (a fresh process:
    # dictionaries are shared by every rule and test of one process)
    make_hub(tmp_path, {"guidelines/.vale.ini": "[*]\nBasedOnStyles = Vale\n"})
    text = FRONT + "Hej.\n"
    code = f"""
from hearth.lint import load_guide, preload
from hearth.source import parse
guide, _ = load_guide({str(tmp_path)!r})
check = guide.rule("Vale.Spelling").check
doc, _ = parse("content/posts/a.md", {text!r})
before = check.speller_for("sv").loaded
preload(guide, [(doc, "sv"), (doc, "sv")])
print(before, check.speller_for("sv").loaded, check.speller_for("it").loaded)
"""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)
    assert out.stdout.split() == ["False", "True", "False"]
