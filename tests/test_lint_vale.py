"""Vale style packages dropped into guidelines/styles/ work unchanged and report what Vale reports.

The two packages in shared/vale-styles/ (Google and write-good) are copied into
a temporary hub as they are. The expectations follow Vale's own behaviour:
its word-bounded token patterns, `%s` messages, substitution messages built
from the suggestions ('a', 'b', or 'c'), and the column of the match start.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from hearth.formats import render
from hearth.lint import lint_doc, lint_text, load_guide
from hearth.source import parse

SHARED = Path(__file__).resolve().parents[2] / "shared" / "vale-styles"  # beside the clone
if not SHARED.is_dir():  # the workplace copy
    SHARED = Path("/work/shared/vale-styles")

pytestmark = pytest.mark.skipif(not (SHARED / "Google").is_dir(),
                                reason="shared/vale-styles is not available")


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    root = tmp_path_factory.mktemp("hub")
    for style in ("Google", "write-good"):
        shutil.copytree(SHARED / style, root / "guidelines" / "styles" / style)
    guide, problems = load_guide(root)
    assert problems == []
    return guide


def lint(guide, text: str, rules: set[str] | None = None) -> str:
    doc, _ = parse("test.md", textwrap.dedent(text).lstrip("\n"))
    found = lint_doc(guide, doc)
    if rules is not None:
        found = [d for d in found if d.rule in rules]
    return render(found, "line")


def test_packages_load_unchanged(guide) -> None:
    ids = {r.id for r in guide.rules}
    assert len([i for i in ids if i.startswith("Google.")]) == 31
    assert {"write-good.Weasel", "write-good.Passive", "write-good.Illusions",
            "write-good.So", "write-good.ThereIs", "write-good.TooWordy",
            "write-good.Cliches", "write-good.E-Prime"} <= ids
    assert guide.rule("Google.Headings").level == "warning"
    assert guide.rule("Google.Acronyms").kind == "conditional"


def test_google_terms(guide) -> None:
    text = """
        # Notes

        I did it again. Then I left.

        Is this for me? TL;DR: read the FAQ, or RTFM!

        Will you bring my tools? We organised a swap.

        See the list above. I lost my cell phone there.
        """
    rules = {"Google.FirstPerson", "Google.Slang", "Google.Will", "Google.Spelling",
             "Google.WordList"}
    assert lint(guide, text, rules) == textwrap.dedent("""\
        test.md:3:1:Google.FirstPerson:Avoid first-person pronouns such as 'I '.
        test.md:3:21:Google.FirstPerson:Avoid first-person pronouns such as ' I '.
        test.md:5:13:Google.FirstPerson:Avoid first-person pronouns such as 'me'.
        test.md:5:17:Google.Slang:Don't use internet slang abbreviations such as 'TL;DR'.
        test.md:5:41:Google.Slang:Don't use internet slang abbreviations such as 'RTFM'.
        test.md:7:1:Google.Will:Avoid using 'Will'.
        test.md:7:16:Google.FirstPerson:Avoid first-person pronouns such as 'my'.
        test.md:7:29:Google.Spelling:In general, use American spelling instead of 'organised'.
        test.md:9:14:Google.WordList:Use 'preceding' instead of 'above'.
        test.md:9:20:Google.FirstPerson:Avoid first-person pronouns such as ' I '.
        test.md:9:28:Google.FirstPerson:Avoid first-person pronouns such as 'my'.
        test.md:9:31:Google.WordList:Use 'phone' or 'mobile phone' instead of 'cell phone'.
        """)


def test_google_punctuation_and_numbers(guide) -> None:
    text = """
        The U.S.A. team met at 10PM; the key(s) are (maybe) lost.

        Note: Bring tools. We need rakes, hoes and gloves.

        A break — like this - is fine... right? Wow!

        It was a publicly-funded garden with 64GB of photos, the 1st one "ever".
        """
    rules = {"Google.Periods", "Google.AMPM", "Google.OptionalPlurals", "Google.Parens",
             "Google.Colons", "Google.OxfordComma", "Google.EmDash", "Google.Ellipses",
             "Google.Exclamation", "Google.LyHyphens", "Google.Units", "Google.Ordinal",
             "Google.Quotes", "Google.Semicolons"}
    assert lint(guide, text, rules) == textwrap.dedent("""\
        test.md:1:5:Google.Periods:Don't use periods with acronyms or initialisms such as 'U.S.A.'.
        test.md:1:24:Google.AMPM:Use 'AM' or 'PM' (preceded by a space).
        test.md:1:28:Google.Semicolons:Use semicolons judiciously.
        test.md:1:34:Google.OptionalPlurals:Don't use plurals in parentheses such as in 'key(s)'.
        test.md:1:37:Google.Parens:Use parentheses judiciously.
        test.md:3:5:Google.Colons:': B' should be in lowercase.
        test.md:3:20:Google.OxfordComma:Use the Oxford comma in 'We need rakes, hoes and'.
        test.md:5:8:Google.EmDash:Don't put a space before or after a dash.
        test.md:5:30:Google.Ellipses:In general, don't use an ellipsis.
        test.md:5:41:Google.Exclamation:Don't use exclamation points in text.
        test.md:7:10:Google.LyHyphens:'publicly-funded' doesn't need a hyphen.
        test.md:7:38:Google.Units:Put a nonbreaking space between the number and the unit in '64GB'.
        test.md:7:58:Google.Ordinal:Spell out all ordinal numbers ('1st') in text.
        test.md:7:58:Google.Units:Put a nonbreaking space between the number and the unit in '1s'.
        test.md:7:66:Google.Quotes:Commas and periods go inside quotation marks.
        """)


def test_google_headings(guide) -> None:
    text = """
        # Plan: Watering turns for the summer

        ## This is a Heading

        ## Another one.

        ## Sending a JSON request

        ## Getting Started With Kubernetes
        """
    rules = {"Google.Headings", "Google.HeadingPunctuation"}
    assert lint(guide, text, rules).splitlines() == [
        ("test.md:3:4:Google.Headings:'This is a Heading' should use sentence-style "
        "capitalization."),
        "test.md:5:14:Google.HeadingPunctuation:Don't put a period at the end of a heading.",
        ("test.md:9:4:Google.Headings:'Getting Started With Kubernetes' should use "
        "sentence-style capitalization."),
    ]


def test_google_substitutions_keep_vale_messages(guide) -> None:
    # Matches never overlap ("It is not": 'It is' wins, 'is not' is gone), and
    # WordList is case-sensitive ("Click on" is not "click on"), as in Vale.
    text = """
        It is not hard: we are here. Click on the checkbox to abort the e-mail, e.g. now.

        The chairman and the firemen came. Mankind will see.
        """
    rules = {"Google.Contractions", "Google.WordList", "Google.Latin", "Google.GenderBias"}
    assert lint(guide, text, rules) == textwrap.dedent("""\
        test.md:1:1:Google.Contractions:Use 'it's' instead of 'It is'.
        test.md:1:17:Google.Contractions:Use 'we're' instead of 'we are'.
        test.md:1:55:Google.WordList:Use 'stop', 'exit', 'cancel', or 'end' instead of 'abort'.
        test.md:1:65:Google.WordList:Use 'email' instead of 'e-mail'.
        test.md:1:73:Google.Latin:Use 'for example' instead of 'e.g.'.
        test.md:3:22:Google.GenderBias:Consider using 'firefighter(s)' instead of 'firemen'.
        """) + ("test.md:3:36:Google.GenderBias:Consider using 'human kind' or 'humanity' "
              "instead of 'Mankind'.\n")


def test_google_acronyms_defined_on_first_use(guide) -> None:
    text = """
        The CGN meets today; use the API.

        The Community Garden Network (CGN) meets again. The CGN grows.
        """
    assert lint(guide, text, {"Google.Acronyms"}) == \
        "test.md:1:5:Google.Acronyms:Spell out 'CGN', if it's unfamiliar to the audience.\n"


def test_write_good(guide) -> None:
    text = """
        So the the plan was made by very many people. There are several
        reasons; in order to help, we accomplish a number of tasks.
        """
    rules = {r for r in (r.id for r in guide.rules) if r.startswith("write-good.")}
    assert lint(guide, text, rules).splitlines() == [
        "test.md:1:1:write-good.So:Don't start a sentence with 'So '.",
        "test.md:1:4:write-good.Illusions:'the' is repeated!",
        ("test.md:1:17:write-good.Passive:'was made' may be passive voice. Use active voice if "
        "you can."),
        "test.md:1:17:write-good.E-Prime:Try to avoid using 'was'.",
        "test.md:1:29:write-good.Weasel:'very' is a weasel word!",
        "test.md:1:47:write-good.ThereIs:Don't start a sentence with 'There are'.",
        "test.md:1:53:write-good.E-Prime:Try to avoid using 'are'.",
        "test.md:1:57:write-good.Weasel:'several' is a weasel word!",
        "test.md:2:10:write-good.TooWordy:'in order to' is too wordy.",
        "test.md:2:31:write-good.TooWordy:'accomplish' is too wordy.",
        "test.md:2:42:write-good.TooWordy:'a number of' is too wordy.",
    ]


def test_code_and_urls_are_not_linted_by_packages(guide) -> None:
    text = """
        Run `I think we will abort` or see https://example.org/we-will-abort.

        ```
        We will abort! I am here.
        ```
        """
    assert lint(guide, text) == ""


def test_plain_text_positions(guide) -> None:
    found = lint_text(guide, "Fine text.\nIt is very good!", "notes.txt")
    assert [d.as_text() for d in found if d.rule in {"Google.Exclamation",
                                                     "write-good.Weasel"}] == [
        "notes.txt:2:7: warning: [write-good.Weasel] 'very' is a weasel word!",
        "notes.txt:2:12: error: [Google.Exclamation] Don't use exclamation points in text.",
    ]
