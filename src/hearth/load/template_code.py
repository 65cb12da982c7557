"""Jekyll's Liquid and Hugo's shortcodes left in a post as text: the first one
in each post is named in a warning, so a blog copied in without `hearth import`
learns which posts show `{% post_url … %}` to their readers.

Code is code: what is inside a fence or an inline code span (a post about
Jekyll quoting its tags) is not template code left behind.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, diagnostic
from ..source import SourceDoc

_FENCE = re.compile(r"^ {0,3}(?:[-*+]\s+|\d+[.)]\s+)*\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_FOUND = re.compile(
    r"\{\{<\s*/?\s*(?P<hugo>[\w/.-]+)(?P<hugo_args>[^>]*?)>\}\}"
    r"|\{\{%\s*/?\s*(?P<hugo_md>[\w/.-]+)(?P<hugo_md_args>.*?)%\}\}"
    r"|\{%-?\s*(?P<tag>\w+)(?P<tag_args>.*?)-?%\}"
    r"|\{\{-?\s*(?P<var>(?:site|page|post|paginator|include|layout|jekyll|content)\b[\w.]*)"
    r"(?P<var_args>.*?)-?\}\}")
_MAY_HAVE = re.compile(r"\{[{%]")


def first_template_code(doc: SourceDoc) -> Diagnostic | None:
    """A warning at the first Liquid tag or variable or Hugo shortcode left as text, if any."""
    body = doc.body
    if not _MAY_HAVE.search(body):
        return None
    fence: str | None = None
    offset = 0
    for line in body.split("\n"):
        start = offset
        offset += len(line) + 1
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if "{" not in line:
            continue
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        found = _FOUND.search(text)
        if found is None:
            continue
        line_no, column = doc.body_position(start + found.start())
        return diagnostic(doc.path, line_no, column, "warning", _message(found), "migration")
    return None


def _message(found: re.Match) -> str:
    more = lambda args: " …" if args.strip() else ""     # noqa: E731
    if found.group("hugo"):
        shown = f"{{{{< {found.group('hugo')}{more(found.group('hugo_args'))} >}}}}"
        return f"Hugo shortcode left as text: {shown}; 'hearth import hugo' translates it"
    if found.group("hugo_md"):
        shown = f"{{{{% {found.group('hugo_md')}{more(found.group('hugo_md_args'))} %}}}}"
        return f"Hugo shortcode left as text: {shown}; 'hearth import hugo' translates it"
    if found.group("tag"):
        shown = f"{{% {found.group('tag')}{more(found.group('tag_args'))} %}}"
        return f"Liquid tag left as text: {shown}; 'hearth import jekyll' translates it"
    shown = f"{{{{ {found.group('var')}{more(found.group('var_args'))} }}}}"
    return f"Liquid variable left as text: {shown}; 'hearth import jekyll' translates it"
