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
# what `hearth import` rewrites; for anything else the hint says to write it as Markdown
_IMPORTED_TAGS = {"highlight", "raw", "post_url", "link", "include"}
_IMPORTED_SHORTCODES = {"figure", "ref", "relref", "highlight", "youtube", "vimeo", "note", "tip",
                        "tips", "warning", "info", "caution", "important", "danger", "notice",
                        "admonition", "alert", "callout", "hint"}
_BY_HAND = "Hearth has no equivalent: write it as Markdown"


def first_template_code(doc: SourceDoc) -> Diagnostic | None:
    """A warning at the first Liquid tag or variable or Hugo shortcode left as text, if any."""
    if not _MAY_HAVE.search(doc.text, doc.body_start):    # most bodies: not even copied
        return None
    body = doc.body
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
    hugo = "'hearth import hugo' translates it"
    jekyll = "'hearth import jekyll' translates it"
    if found.group("hugo"):
        name = found.group("hugo")
        shown = f"{{{{< {name}{more(found.group('hugo_args'))} >}}}}"
        return f"Hugo shortcode left as text: {shown}; " \
            + (hugo if name in _IMPORTED_SHORTCODES else _BY_HAND)
    if found.group("hugo_md"):
        name = found.group("hugo_md")
        shown = f"{{{{% {name}{more(found.group('hugo_md_args'))} %}}}}"
        return f"Hugo shortcode left as text: {shown}; " \
            + (hugo if name in _IMPORTED_SHORTCODES else _BY_HAND)
    if found.group("tag"):
        name = found.group("tag")
        shown = f"{{% {name}{more(found.group('tag_args'))} %}}"
        return f"Liquid tag left as text: {shown}; " \
            + (jekyll if name in _IMPORTED_TAGS else _BY_HAND)
    name = found.group("var")
    shown = f"{{{{ {name}{more(found.group('var_args'))} }}}}"
    return f"Liquid variable left as text: {shown}; " \
        + (jekyll if name.startswith("site.") else _BY_HAND)
