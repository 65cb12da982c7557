"""The brand style guide linter.

`load_guide` reads `guidelines/rules.yml` and Vale style folders into a
`Guide`; `lint_doc` and `lint_text` check texts against it; `fix_text`
applies substitution suggestions; `check_examples` checks the rules' own
examples; `rules_for_people` feeds the guidelines page.

The modules, in the order a text goes through them: `rules` (load and compile),
`markdown_scan` and `markdown_inline` (Markdown → `blocks` of prose with exact
positions), `engine` (rules × blocks → Diagnostics), with the rule kinds in
`checks` (Vale's), `brand` and `moderation` (Hearth's), `patterns` for Vale's
regex syntax and `prose` for sentences and syllables.
"""

from .engine import channel_texts, lint_doc, lint_text, needs_preload, preload
from .examples import check_examples
from .fix import fix_text
from .people import rules_for_people
from .rules import Guide, StyleRule, load_guide

__all__ = ["Guide", "StyleRule", "channel_texts", "check_examples", "fix_text", "lint_doc",
           "lint_text", "load_guide", "needs_preload", "preload", "rules_for_people"]
