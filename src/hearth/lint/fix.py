"""`hearth fix`: apply substitution suggestions, and touch nothing else.

A suggestion is applied only where the matched words stand in the file exactly
as they were matched (not split by markup, not inside an escaped YAML string),
only on lines no `hearth-ignore` silences, and never where two findings
overlap. Everything else in the file, including its line endings and a BOM,
comes back byte for byte.
"""

from __future__ import annotations

from ..source import parse
from .checks import Substitution
from .engine import prepare_doc, run_rules
from .rules import Guide


def fix_text(guide: Guide, doc_text: str, path: str, lang: str | None = None) -> str:
    """The text of a Markdown file with each substitution's first suggestion applied;
    `lang` (a post's `<lang>/` folder) when the front matter has none."""
    bom = doc_text.startswith("\ufeff")
    text = doc_text[1:] if bom else doc_text
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    if "\r" in text:
        return doc_text  # old Mac line endings: leave the file alone rather than guess
    doc, _ = parse(path, text)
    lang = doc.meta.get("lang") if isinstance(doc.meta.get("lang"), str) else lang
    rules = [r for r in guide.rules_for(lang, path)
             if isinstance(r.check, Substitution) and r.check.replace]
    if not rules:
        return doc_text
    prepared = prepare_doc(guide, doc, None)
    edits: list[tuple[int, int, str]] = []
    for rule, hit in run_rules(prepared, rules):
        block = hit.block
        if block is None or not hit.suggestions or "sentence" in block.sections:
            continue
        span = block.source_span(hit.start, hit.end)
        if span is None:
            continue
        absolute = getattr(block.origin, "absolute", None)
        if absolute is None:
            continue
        start, end = absolute(span[0]), absolute(span[1] - 1)
        if start is None or end is None:
            continue
        end += 1
        if text[start:end] != hit.match:
            continue
        line = text.count("\n", 0, start) + 1
        if prepared.suppressions.covers(rule.id, line, hit.match):
            continue
        edits.append((start, end, hit.suggestions[0]))
    if not edits:
        return doc_text
    edits.sort()
    applied: list[tuple[int, int, str]] = []
    for edit in edits:
        if applied and edit[0] < applied[-1][1]:
            continue  # overlapping findings: keep the first, the next run gets the rest
        applied.append(edit)
    out, last = [], 0
    for start, end, replacement in applied:
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    result = "".join(out)
    if crlf:
        result = result.replace("\n", "\r\n")
    return ("\ufeff" if bom else "") + result
