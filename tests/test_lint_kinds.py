"""One fixture per rule kind, with the exact lines it must print (like Vale's feature tests).

Each folder of tests/fixtures/lint/ holds a rule set (Vale files under a style
folder such as `Test/`, or a Hearth `rules.yml`), one or more Markdown inputs,
and `expected.txt`: the `hearth check --format line` output, which is Vale's
`--output=line`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hearth.formats import render
from hearth.lint import lint_doc, load_guide
from hearth.source import read

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and (p / "expected.txt").exists())


def hub_from_fixture(case: Path, root: Path) -> Path:
    (root / "guidelines").mkdir(parents=True)
    for item in case.iterdir():
        if item.is_dir():
            shutil.copytree(item, root / "guidelines" / "styles" / item.name)
        elif item.name == "rules.yml":
            shutil.copy(item, root / "guidelines" / "rules.yml")
        elif item.suffix == ".md":
            shutil.copy(item, root / item.name)
    return root


@pytest.mark.parametrize("name", CASES)
def test_fixture_output(name: str, tmp_path: Path) -> None:
    case = FIXTURES / name
    root = hub_from_fixture(case, tmp_path / "hub")
    guide, problems = load_guide(root)
    assert problems == []
    found = []
    for md in sorted(case.glob("*.md")):
        doc, errors = read(root, md.name)
        assert errors == []
        found += lint_doc(guide, doc)
    assert render(found, "line") == (case / "expected.txt").read_text(encoding="utf-8")


def test_every_kind_has_a_fixture() -> None:
    kinds = {"existence", "substitution", "occurrence", "repetition", "consistency",
             "capitalization", "conditional", "metric", "readability", "hashtags", "mentions",
             "emoji", "exclamations", "links", "frontmatter", "moderation"}
    assert kinds <= set(CASES)
