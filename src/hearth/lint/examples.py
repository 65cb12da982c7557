"""Rule examples: checked by `hearth check --rules`, shown on the guidelines page.

Each example is linted by its own rule alone, in the rule's own scope: an
example of a heading rule is read as a heading, one of an X rule as an X
text, one of a Russian rule as Russian. A `frontmatter` rule's examples are
whole posts, front matter included.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, sort_diagnostics
from ..source import parse
from .engine import CHANNEL, Prepared, Suppressions, prepare_doc, run_rules
from .blocks import LineIndex
from .markdown_inline import field_block
from .rules import Example, Guide, StyleRule


def example_findings(rule: StyleRule, text: str) -> list[str]:
    """The messages `rule` reports on one example text."""
    guide = Guide((rule,))
    if rule.kind == "frontmatter":
        doc, _ = parse("example.md", text)
        prepared = prepare_doc(guide, doc, None)
    else:
        prepared = _example_prepared(guide, rule, text)
    prepared.lang = rule.lang[0] if rule.lang else None    # a spelling rule's dictionary
    return [hit.message for _, hit in run_rules(prepared, (rule,))]


def _example_prepared(guide: Guide, rule: StyleRule, text: str) -> Prepared:
    origin = LineIndex(text)
    if rule.channels or rule.selector.asks_for("channel"):
        channel = rule.channels[0] if rule.channels else "example"
        unit = f"channel:{channel}"
        block = field_block(text, origin, CHANNEL, markdown=False, unit=unit, channel=channel,
                            group=unit)
        blocks = [block]
    else:
        first = rule.selector.alternatives[0] if rule.selector.alternatives else ()
        wanted = set().union(*(names for names, neg in first if not neg)) if first else set()
        if "link" in wanted:
            sections = frozenset({"link"})
        elif "raw" in wanted:
            sections = frozenset({"raw"})
        else:
            wanted.discard("sentence")
            if "summary" in wanted and rule.check.mode == "document":
                wanted.discard("summary")
            if "heading" in wanted and not wanted & {"h1", "h2", "h3", "h4", "h5", "h6"}:
                wanted.add("h2")
            if not wanted & {"heading", "list", "blockquote", "table", "title", "summary",
                             "attr", "alt"}:
                wanted.add("paragraph")
            sections = frozenset({"text", *wanted})
        blocks = [field_block(text, origin, sections)]
    return Prepared("example", blocks, Suppressions(), None, {})


def check_examples(guide: Guide) -> list[Diagnostic]:
    """A bad example its rule does not catch, or a good one it does, is an error
    at the example's line in the rule file."""
    problems: list[Diagnostic] = []
    for rule in guide.rules:
        for example in rule.bad:
            if not example_findings(rule, example.text):
                problems.append(_problem(rule, example,
                                         f"bad example is not caught by '{rule.id}': "
                                         f"{_quote(example.text)}"))
        for example in rule.good:
            found = example_findings(rule, example.text)
            if found:
                problems.append(_problem(rule, example,
                                         f"good example is caught by '{rule.id}': "
                                         f"{_quote(example.text)} ({found[0]})"))
    return sort_diagnostics(problems)


def _problem(rule: StyleRule, example: Example, message: str) -> Diagnostic:
    return Diagnostic(rule.path, example.line, example.column, "error", message, rule.id)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= 80 else text[:77] + "…") + '"'
