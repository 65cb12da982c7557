"""Python-Markdown made cheaper where it would do nothing, with the same output.

Most of what Python-Markdown spends on a post is trying things that cannot
apply: every inline pattern's regex over every text node (about 15 patterns:
430,000 tries for 1,000 posts, a third of the Markdown time), every block
processor's test on every paragraph, a walk of the tree for a `[TOC]` marker
no post writes, a line-by-line fence search in posts without a fence. Each
short cut here skips such work only where a cheap check shows it would find
nothing (a code span needs a backtick, a fence three backticks or tildes), so
the HTML is the same, byte for byte (tests/test_markdown_speed.py checks it
against the stock reader on random texts):

- `FastInlineProcessor`: an inline pattern is tried only on a text holding
  one of its trigger strings (`KNOWN`; a `DelimiterProcessor`'s tokens);
- `PlainParagraphParser`: a plain block goes straight to the paragraph processor;
- `QuickWhitespace`: lines of spaces emptied by a regex that starts at a newline;
- `FencesOnlyWhereFenced`, `HtmlBlocksOnlyWhereTagged`: the fence and raw
  HTML block readers return a text without fences or tags as it is;
- `TocMarkerOnlyWhereWritten`: `md.toc` (the table of contents as HTML, which
  Hearth does not read: it reads `md.toc_tokens`) is built only for a text
  with a `[TOC]` marker, and toc's two walks over every element made one.

A pattern or processor Python-Markdown or an extension adds that is not one
read here is used as before.
"""

from __future__ import annotations

import html
import re
from xml.etree.ElementTree import Element

from markdown import blockprocessors as bp
from markdown import inlinepatterns, treeprocessors, util
from markdown.blockparser import BlockParser
from markdown.preprocessors import NormalizeWhitespace
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.def_list import DefListIndentProcessor, DefListProcessor
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor
from markdown.extensions.tables import TableProcessor
from markdown.extensions.toc import (TocTreeprocessor, escape_cdata, nest_toc_tokens,
                                     remove_fnrefs, render_inner_html, run_postprocessors,
                                     strip_tags, unescape, unique)
from markdown.util import AMP_SUBSTITUTE
from pymdownx.superfences import SuperFencesBlockPreprocessor, SuperFencesCodeBlockProcessor

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
    """Python-Markdown's inline processor; a pattern none of whose triggers
    occurs in the text counts as not matched, as its regex would not match.

    Which triggers a text holds is read once per text: a match replaces part
    of it by a placeholder (`STX klzzwxh:0001 ETX`), which holds none and
    cannot join two characters into one (`!` and `[` into `![`), so a trigger
    missing from the text is missing from what it becomes too."""

    def run(self, tree, ancestors=None):
        self._patterns = list(self.inlinePatterns)
        self._triggers = [triggers(p) for p in self._patterns]
        self._all_triggers = sorted({t for ts in self._triggers if ts for t in ts})
        self._candidates: dict[tuple[str, ...], tuple[int, ...]] = {}
        return super().run(tree, ancestors)

    def _candidates_for(self, present: tuple[str, ...]) -> tuple[int, ...]:
        """The patterns worth trying on a text holding these triggers, in order."""
        found = self._candidates.get(present)
        if found is None:
            found = self._candidates[present] = tuple(
                index for index, needed in enumerate(self._triggers)
                if needed is None or any(t in present for t in needed))
        return found

    # Python-Markdown's private `__handleInline`, called by its `run` and by its
    # `__applyPattern` for a matched node's text (names mangled as Python does);
    # the loop is its loop over the patterns, less the skipped ones
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803
        if isinstance(data, util.AtomicString):
            return data
        present = tuple(t for t in self._all_triggers if t in data)
        apply = self._InlineProcessor__applyPattern
        patterns = self._patterns
        for index in self._candidates_for(present):
            if index < patternIndex:
                continue
            pattern = patterns[index]
            start = 0                       # each pattern searches from the start
            matched = True
            while matched:                  # and again after its match, from past it
                data, matched, start = apply(pattern, data, index, start)
        return data


class FencesOnlyWhereFenced(SuperFencesBlockPreprocessor):
    """pymdownx.superfences' preprocessor; a text with no ``` and no ~~~ is
    returned as it is, as its line-by-line search would (a fence opens only
    at three backticks or tildes), after `run` has reset its state as usual."""

    def search_nested(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "```" not in text and "~~~" not in text:
            return lines
        return super().search_nested(lines)


class QuickWhitespace(NormalizeWhitespace):
    """Python-Markdown's first preprocessor, but for its `(?<=\\n) +\\n`
    (a line of spaces emptied), tried at every character as a lookbehind
    starts it: `\\n +(?=\\n)` empties the same lines, searched from each newline."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if "\n " in source:
            source = _SPACE_LINE.sub("\n", source)
        return source.split("\n")


_SPACE_LINE = re.compile(r"\n +(?=\n)")


class HtmlBlocksOnlyWhereTagged:
    """Mixed into a subclass of Python-Markdown's raw HTML block reader
    (`HtmlBlockPreprocessor`; Hearth's `_OmitHtmlBlocks`): a text with no `<`
    and no `&` is returned as it is, as the reader's HTML parser, seeing only
    data, would give it back."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<" not in text and "&" not in text:
            return lines
        return super().run(lines)


class TocMarkerOnlyWhereWritten(TocTreeprocessor):
    """toc's treeprocessor, but for `md.toc`: the table of contents as HTML is
    built only for a text with a `[TOC]` marker, where it goes into the page
    (Hearth reads `md.toc_tokens`, never `md.toc`, which is left an empty
    `<div class="toc"></div>` otherwise); the walk that looks for the marker's
    paragraph (joining every element's text) is made only when some element's
    own text is the marker, which that walk requires.

    `run` is toc's own (Python-Markdown 3.11), but for its two walks over every
    element (the ids in use, then the headings) made one: the headings are
    collected with the ids, then given their ids and links in document order,
    as before (what a heading gets adds no id and no heading before a later one)."""

    _empty_toc: str | None = None

    def run(self, doc) -> None:
        used_ids: set[str] = set()
        headings = []
        marked = False
        # tag → whether toc reads it as a heading (`header_rgx`); this class is set on
        # toc's instance (`_recast`), so what it keeps is made on first use
        header_tags = self.__dict__.setdefault("_header_tags", {})
        marker = self.marker
        for el in doc.iter():
            given = el.get("id")
            if given is not None:
                used_ids.add(given)
            tag = el.tag
            is_header = header_tags.get(tag)
            if is_header is None:
                is_header = header_tags[tag] = isinstance(tag, str) \
                    and self.header_rgx.match(tag) is not None
            if is_header:
                headings.append(el)
            if marker and not marked and el.text and el.text.strip() == marker:
                marked = True
        # a permalink's own text is set after the walk above: it can be the marker too
        self._marked = marked or bool(marker) and self.use_permalinks not in (False, None) \
            and marker in (str(self.use_permalinks), f"{AMP_SUBSTITUTE}para;")
        id_counters: dict[str, int] = {}
        toc_tokens = []
        for el in headings:
            self.set_level(el)
            innerhtml = render_inner_html(remove_fnrefs(el), self.md)
            name = strip_tags(innerhtml)
            # Do not override pre-existing ids
            if "id" not in el.attrib:
                el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids,
                                         id_counters)
            data_toc_label = ""
            if "data-toc-label" in el.attrib:
                data_toc_label = run_postprocessors(unescape(el.attrib["data-toc-label"]), self.md)
                # Overwrite name with sanitized value of `data-toc-label`.
                name = escape_cdata(strip_tags(data_toc_label))
                # Remove the data-toc-label attribute as it is no longer needed
                del el.attrib["data-toc-label"]
            if int(el.tag[-1]) >= self.toc_top and int(el.tag[-1]) <= self.toc_bottom:
                toc_tokens.append({
                    "level": int(el.tag[-1]),
                    "id": unescape(el.attrib["id"]),
                    "name": name,
                    "html": innerhtml,
                    "data-toc-label": data_toc_label,
                })
            if self.use_anchors:
                self.add_anchor(el, el.attrib["id"])
            if self.use_permalinks not in [False, None]:
                self.add_permalink(el, el.attrib["id"])
        toc_tokens = nest_toc_tokens(toc_tokens)
        self.md.toc_tokens = toc_tokens
        if not self._marked:
            # the same empty `<div class="toc"></div>` whatever the text: made once
            if self._empty_toc is None:
                self._empty_toc = self._serialized(Element("div", {"class": self.toc_class}))
            self.md.toc = self._empty_toc
            return
        div = self.build_toc_div(toc_tokens)
        if self.marker:
            self.replace_marker(doc, div)
        self.md.toc = self._serialized(div)

    def _serialized(self, div) -> str:
        # serialize and attach to markdown instance.
        toc = self.md.serializer(div)
        for pp in self.md.postprocessors:
            toc = pp.run(toc)
        return toc


# Block processors that ignore a block which does not start with a space or a
# newline, has no `|`, and has no line starting (after at most three spaces)
# with one of `-#=_*+>:[` or a digit (`_NOT_PLAIN`): each one's test is then
# false (or its `run` puts the block back and says False), as its regex reads,
# with four-space tabs. Empty, indented, code: a leading space or newline;
# table: `|`; headers `#`, `=`/`-` under a line; rule `-_*`; lists a digit or
# `*+-`; definition `:`; quote `>`; footnote `[^`, abbreviation `*[`, link reference `[`.
PLAIN_IGNORED = (bp.EmptyBlockProcessor, bp.ListIndentProcessor, DefListIndentProcessor,
                 bp.CodeBlockProcessor, SuperFencesCodeBlockProcessor, TableProcessor,
                 bp.HashHeaderProcessor, bp.SetextHeaderProcessor, bp.HRProcessor,
                 bp.OListProcessor, bp.UListProcessor, SaneOListProcessor,
                 SaneUListProcessor, DefListProcessor, bp.BlockQuoteProcessor,
                 FootnoteBlockProcessor, AbbrBlockprocessor, bp.ReferenceProcessor)
_NOT_PLAIN = re.compile(r"\||^ {0,3}[-#=_*+>:\[0-9]", re.MULTILINE)


class PlainParagraphParser(BlockParser):
    """Python-Markdown's block parser; a plain block (see `PLAIN_IGNORED`) goes
    straight to the paragraph processor, which every processor before it would
    have let it reach, when those are all of the kinds listed there."""

    def parseBlocks(self, parent, blocks) -> None:  # noqa: N802 (Python-Markdown's name)
        processors = list(self.blockprocessors)
        paragraph = _paragraph_after_known(processors, self.md.tab_length)
        while blocks:
            block = blocks[0]
            if paragraph is not None and block[:1] not in ("", " ", "\n") \
                    and _NOT_PLAIN.search(block) is None:
                paragraph.run(parent, blocks)
                continue
            for processor in processors:
                if processor.test(parent, blocks[0]):
                    if processor.run(parent, blocks) is not False:
                        break


def _paragraph_after_known(processors, tab_length: int):
    if tab_length != 4:
        return None
    for processor in processors:
        if type(processor) is bp.ParagraphProcessor:
            return processor
        if type(processor) not in PLAIN_IGNORED:
            return None
    return None


def speed_up(md) -> None:
    """Python-Markdown's inline pass, and the whitespace, fence and `[TOC]` readers where
    they are the stock ones, replaced by the faster equivalents above."""
    md.treeprocessors.register(FastInlineProcessor(md), "inline", 20)
    if type(md.parser) is BlockParser:
        md.parser.__class__ = PlainParagraphParser
    _recast(md.preprocessors, "fenced_code_block", SuperFencesBlockPreprocessor,
            FencesOnlyWhereFenced)
    _recast(md.preprocessors, "normalize_whitespace", NormalizeWhitespace, QuickWhitespace)
    _recast(md.treeprocessors, "toc", TocTreeprocessor, TocMarkerOnlyWhereWritten)


def _recast(registry, name: str, stock: type, faster: type) -> None:
    # the instance is kept (extensions hold it, and its bound methods: superfences
    # its `highlight`), only its class changes, to a subclass overriding one method
    if name in registry and type(registry[name]) is stock:
        registry[name].__class__ = faster
