"""Python-Markdown's inline pass, trying a pattern only where it can match.

Python-Markdown's `InlineProcessor` runs every inline pattern's regex over
every text node (about 15 patterns on each paragraph, list item, cell and
heading: 430,000 tries for 1,000 posts, a third of the Markdown time). Most
can match only where a certain character is: a code span needs a backtick, a
link a `[`, raw HTML a `<`. `FastInlineProcessor` is Python-Markdown's own
processor that skips a pattern when none of its trigger strings occurs in the
text from where the pattern would start searching: exactly the case in which
the regex finds nothing, so the pattern is skipped without its `handleMatch`
ever being called, and the output is the same, byte for byte.

A pattern is given triggers only when the regex it is searched with is one
this module has read (`KNOWN`, compared as text, with Python-Markdown's
flags) or is a `DelimiterProcessor`'s alternation of its literal tokens; any
other pattern, an extension's own, is tried everywhere as before.
"""

from __future__ import annotations

import re

from markdown import inlinepatterns, treeprocessors, util

# regex → strings of which one must occur at or after the position searched
# from: each is outside any lookbehind, in every alternative of the regex
KNOWN: dict[str, tuple[str, ...]] = {
    # `…` or an even run of backslashes before a backtick (a lookahead: after the start)
    inlinepatterns.BACKTICK_RE: ("`",),
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),                     # reference and short reference too
    inlinepatterns.IMAGE_LINK_RE: ("![",),              # image reference and short one too
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    r"\[\^([^\]]*)\]": ("[^",),                         # footnotes' FOOTNOTE_RE
}


def triggers(pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """What must occur in the text for `pattern` to match; None: unknown, always try.
    Read from the regex `__applyPattern` searches with, whatever the pattern's class."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None                          # old style: matched against a slice, not searched
    regex = pattern.getCompiledRegExp()
    if regex.flags != _FLAGS:
        return None                          # re.VERBOSE, say, would read "  \n" otherwise
    tokens = getattr(pattern, "tokens", None)    # a DelimiterProcessor's `*` and `_`
    if isinstance(pattern, inlinepatterns.DelimiterProcessor) and tokens \
            and regex.pattern == "|".join(re.escape(t) for t in tokens):
        return tuple(tokens)
    return KNOWN.get(regex.pattern)


_FLAGS = re.compile("", re.DOTALL | re.UNICODE).flags


class FastInlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's inline processor; a pattern whose triggers do not occur
    in the text from `startIndex` on counts as not matched, as its regex would."""

    def run(self, tree, ancestors=None):
        self._patterns = [(p, triggers(p)) for p in self.inlinePatterns]
        return super().run(tree, ancestors)

    # Python-Markdown's private `__handleInline`, called by its `run` and by its
    # `__applyPattern` for a matched node's text (names mangled as Python does)
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803
        if isinstance(data, util.AtomicString):
            return data
        patterns = self._patterns
        apply = self._InlineProcessor__applyPattern
        start = 0
        count = len(patterns)
        while patternIndex < count:
            pattern, needed = patterns[patternIndex]
            if needed is not None:
                for piece in needed:
                    if data.find(piece, start) >= 0:
                        break
                else:                       # as __applyPattern's "no match": next pattern, from 0
                    patternIndex += 1
                    start = 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def use_fast_inline(md) -> None:
    """Put `FastInlineProcessor` where Python-Markdown's own inline pass is."""
    md.treeprocessors.register(FastInlineProcessor(md), "inline", 20)
