"""A Markdown body → its blocks of prose, in document order, with their scopes.

Vale renders Markdown to HTML and walks the tags, then searches the source for
each match to find its line. We read the Markdown directly instead, with a
small CommonMark-shaped scanner, and keep for every character of a block the
offset it was read from (the inline markup of each block is read by
`markdown_inline`).

What becomes a block (the same choices Vale makes):

- headings, paragraphs, list items, block quotes and table cells are blocks,
  each with Vale's scope names (`heading.h2`, `list`, `table.cell`, ...);
- image alt text and (for the link rules) link text are blocks of their own;
- fenced and indented code blocks, front matter keys and link reference
  definitions are never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

import regex

from .blocks import Block, Directive, Origin, run_offsets
from .markdown_inline import InlineScanner, MappedText, has_markup, ref_label

_FENCE = regex.compile(r"(`{3,}|~{3,})")
_ATX = regex.compile(r"(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = regex.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_HEADING_ATTRS = regex.compile(r"[ \t]*\{[#.][^{}]*\}[ \t]*$")
_SETEXT = regex.compile(r"(?:=+|-+)[ \t]*$")
_THEMATIC = regex.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_ITEM = regex.compile(r"([ \t]{0,3})([-+*]|\d{1,9}[.)])([ \t]+|$)")
_TASK = regex.compile(r"\[[ xX]\][ \t]+")
_HTML_RAW = regex.compile(r"<(script|pre|style|textarea)(?:\s|>|$)", regex.I)
_HTML_BLOCK = regex.compile(
    r"</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd"
    r"|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]"
    r"|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup"
    r"|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)"
    r"(?:\s|/?>|$)", regex.I)
_HTML_TAG_LINE = regex.compile(r"</?[A-Za-z][A-Za-z0-9\-]*(?:\s[^<>]*)?/?>\s*$")
_TABLE_DELIM = regex.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_REF_DEF = regex.compile(r"\[((?:[^\]\\]|\\.)+)\]:[ \t]*<?([^\s>]*)>?")
_FOOTNOTE = regex.compile(r"\[\^[^\]]+\]:[ \t]*")


_PLUS_ONE = (1).__add__
_BLANKS = ("", " ", "\t")     # a line's first character when `lstrip` has work to do


def _width(text: str) -> int:
    """Leading indentation in columns (a tab advances to the next multiple of four)."""
    w = 0
    for c in text:
        if c == " ":
            w += 1
        elif c == "\t":
            w += 4 - w % 4
        else:
            break
    return w


def _starts_block(stripped: str) -> bool:
    first = stripped[:1]       # each pattern tried only where its first character is
    if not first or first.isalpha():
        return False
    return bool(first in "`~" and _FENCE.match(stripped)
                or first == "#" and _ATX.match(stripped)
                or _is_thematic(stripped, first)
                or (first in "-+*" or first.isdigit()) and _LIST_ITEM.match(stripped)
                or first in "><")


def _is_thematic(stripped: str, first: str) -> bool:
    """A thematic break (`***`, `- - -`): three of one character, at least."""
    return first in "*-_" and stripped.count(first) >= 3 and bool(_THEMATIC.match(stripped))


class MarkdownProse:
    """The blocks of one Markdown body, in document order."""

    def __init__(self, body: str, origin: Origin, *, want_links: bool = False):
        self.body = body
        self.origin = origin
        self.want_links = want_links
        self.blocks: list[Block] = []
        self.directives: list[Directive] = []
        self.refs: dict[str, tuple[str, int]] = {}
        texts = body.split("\n")
        # each line's offset: the lengths (with their newlines) summed before it
        lines = list(zip(texts, accumulate(map(_PLUS_ONE, map(len, texts)), initial=0)))
        if "]:" in body:          # reference definitions may come after their use
            for text, off in lines:
                stripped = text.lstrip(" ")
                if stripped.startswith("[") and len(text) - len(stripped) < 4:
                    m = _REF_DEF.match(stripped)
                    if m and not m.group(1).startswith("^"):
                        self.refs.setdefault(ref_label(m.group(1)), (m.group(2),
                                             off + len(text) - len(stripped) + m.start(2)))
        self._scan(lines, frozenset({"text"}))

    # A line is (text, offset of its first character in the body).
    def _scan(self, lines: list[tuple[str, int]], sections: frozenset[str]) -> None:
        para: list[tuple[str, int]] = []
        i, n = 0, len(lines)
        para_sections = _PARAGRAPH if sections == _TEXT else sections

        def flush() -> None:
            if para:
                self._inline_block(para, para_sections)
                para.clear()

        while i < n:
            text, off = lines[i]
            stripped = text.lstrip(" \t") if text[:1] in _BLANKS else text
            if not stripped:
                if para:
                    flush()
                i += 1
                continue
            indent = len(text) - len(stripped)
            width = _width(text) if indent else 0
            if width >= 4 and not para:  # indented code block
                i += 1
                while i < n and (not lines[i][0].strip() or _width(lines[i][0]) >= 4):
                    i += 1
                continue
            if width < 4 and stripped[0].isalpha() and (para or "|" not in stripped):
                pass  # a line of prose: no block starts with a letter
            elif width < 4:
                # each construct below starts with its own characters: `first` spares
                # a line the patterns that cannot match it
                first = stripped[0]
                m = _FENCE.match(stripped) if first in "`~" else None
                if m:
                    flush()
                    fence = m.group(1)
                    i += 1
                    while i < n:
                        inner = lines[i][0].strip()
                        if inner.startswith(fence[0] * len(fence)) and not inner.strip(fence[0]) \
                                and _width(lines[i][0]) < 4:
                            i += 1
                            break
                        i += 1
                    continue
                if first == "$" and stripped.startswith("$$"):
                    flush()
                    i += 1
                    if stripped.rstrip().endswith("$$") and len(stripped.rstrip()) > 2:
                        continue
                    while i < n and "$$" not in lines[i][0]:
                        i += 1
                    i += 1
                    continue
                if first == "<" and stripped.startswith("<!--"):
                    flush()
                    start = off + indent
                    while i < n and "-->" not in lines[i][0]:
                        i += 1
                    last_text, last_off = lines[min(i, n - 1)]
                    close = last_text.find("-->")
                    stop = last_off + (close + 3 if close >= 0 else len(last_text))
                    inner = self.body[start:stop]
                    for cm in regex.finditer(r"<!--(.*?)-->", inner, regex.S):
                        self.directives.append(Directive(cm.group(1), start + cm.start(),
                                                         start + cm.end()))
                    rest = last_text[close + 3:] if close >= 0 else ""
                    i += 1
                    if rest.strip():
                        para.append((rest.strip(), last_off + close + 3 +
                                     len(rest) - len(rest.lstrip())))
                    continue
                m = _HTML_RAW.match(stripped) if first == "<" else None
                if m:
                    flush()
                    closer = f"</{m.group(1).lower()}>"
                    while i < n and closer not in lines[i][0].lower():
                        i += 1
                    i += 1
                    continue
                if first == "<" and (_HTML_BLOCK.match(stripped)
                                     or (not para and _HTML_TAG_LINE.match(stripped))):
                    flush()
                    html_lines = []
                    while i < n and lines[i][0].strip():
                        t, o = lines[i]
                        s2 = t.lstrip(" \t")
                        html_lines.append((s2.rstrip(), o + len(t) - len(s2)))
                        i += 1
                    self._inline_block(html_lines, sections)
                    continue
                m = _ATX.match(stripped) if first == "#" else None
                if m:
                    flush()
                    level = len(m.group(1))
                    content = stripped[m.end():]
                    if "{" in content:
                        content = _HEADING_ATTRS.sub("", content)
                    if "#" in content:
                        content = _ATX_CLOSE.sub("", content)
                    content = content.rstrip()
                    lead = len(content) - len(content.lstrip())
                    self._inline_block([(content.lstrip(), off + indent + m.end() + lead)],
                                       _with(sections, "heading", f"h{level}"))
                    i += 1
                    continue
                if para and first in "=-" and _SETEXT.match(stripped):
                    level = 1 if stripped[0] == "=" else 2
                    self._inline_block(para, _with(sections, "heading", f"h{level}"))
                    para.clear()
                    i += 1
                    continue
                if _is_thematic(stripped, first):
                    flush()
                    i += 1
                    continue
                if first == ">":
                    flush()
                    quoted: list[tuple[str, int]] = []
                    while i < n:
                        t, o = lines[i]
                        s2 = t.lstrip(" \t")
                        if s2.startswith(">") and _width(t) < 4:
                            cut = len(t) - len(s2) + 1
                            if t[cut:cut + 1] in (" ", "\t"):
                                cut += 1
                            quoted.append((t[cut:], o + cut))
                        elif s2 and quoted and quoted[-1][0].strip() and not _starts_block(s2):
                            quoted.append((s2, o + len(t) - len(s2)))
                        else:
                            break
                        i += 1
                    self._scan(quoted, _with(sections, "blockquote"))
                    continue
                m = _LIST_ITEM.match(text) if first in "-+*" or first.isdigit() else None
                if m and not (para and (m.group(2)[0].isdigit() and not m.group(2).startswith("1")
                                        or not text[m.end():].strip())):
                    flush()
                    i = self._list_item(lines, i, m, sections)
                    continue
                if not para and "|" in stripped and i + 1 < n \
                        and _TABLE_DELIM.match(lines[i + 1][0]) and "-" in lines[i + 1][0]:
                    i = self._table(lines, i, sections)
                    continue
                if not para and first == "[" and not stripped.startswith("[^") \
                        and _REF_DEF.match(stripped):
                    i += 1
                    continue
                m = _FOOTNOTE.match(stripped) if first == "[" else None
                if m:
                    flush()
                    stripped = stripped[m.end():]
                    indent += m.end()
            content = stripped.rstrip()
            if content.endswith("\\") and not content.endswith("\\\\"):
                content = content[:-1]  # a hard line break
            para.append((content, off + indent))
            i += 1
            # the lines that follow and start with a letter go on the paragraph as they
            # are (the commonest case, read here without the questions above)
            while i < n:
                text, off = lines[i]
                if not text[:1].isalpha():
                    break
                content = text.rstrip()
                if content.endswith("\\") and not content.endswith("\\\\"):
                    content = content[:-1]
                para.append((content, off))
                i += 1
        flush()

    def _list_item(self, lines: list[tuple[str, int]], i: int, m: regex.Match,
                   sections: frozenset[str]) -> int:
        text, off = lines[i]
        spaces = m.group(3)
        content_col = len(m.group(1)) + len(m.group(2)) + (len(spaces) if 0 < len(spaces) <= 4
                                                            else 1)
        first = text[content_col:] if len(text) > content_col else ""
        first_off = off + content_col
        task = _TASK.match(first) if first[:1] == "[" else None
        if task:
            first, first_off = first[task.end():], first_off + task.end()
        item = [(first, first_off)]
        i += 1
        n = len(lines)
        prev_blank = not first.strip()
        while i < n:
            t, o = lines[i]
            if not t.strip():
                item.append(("", o))
                prev_blank = True
                i += 1
                continue
            if _width(t) >= content_col:
                item.append((t[content_col:], o + content_col))
                prev_blank = False
                i += 1
                continue
            s2 = t.lstrip(" \t")
            if prev_blank or _starts_block(s2):
                break
            item.append((s2, o + len(t) - len(s2)))
            i += 1
        while item and not item[-1][0].strip():
            item.pop()
        inner = _with(sections, "list")
        if len(item) == 1 and first[:1].isalpha():     # one line of prose, as _scan reads it
            content = first.rstrip()
            if content.endswith("\\") and not content.endswith("\\\\"):
                content = content[:-1]
            self._inline_block([(content, first_off)], inner)
        else:
            self._scan(item, inner)
        return i

    def _table(self, lines: list[tuple[str, int]], i: int, sections: frozenset[str]) -> int:
        n = len(lines)
        rows = [(lines[i], True)]
        j = i + 2
        while j < n and lines[j][0].strip() and "|" in lines[j][0]:
            rows.append((lines[j], False))
            j += 1
        for (text, off), header in rows:
            extra = frozenset({"table", "header" if header else "cell"})
            for cell_text, cell_off in _cells(text, off):
                if cell_text:
                    self._inline_block([(cell_text, cell_off)], sections | extra)
        return j

    def _inline_block(self, lines: list[tuple[str, int]], sections: frozenset[str]) -> None:
        if len(lines) == 1:
            raw, first = lines[0]
            raw_map: Sequence[int] = range(first, first + len(raw))
        else:
            raw = "\n".join([text for text, _ in lines])
            first = lines[0][1]
            last, last_off = lines[-1]
            # lines that follow each other with nothing cut between them (no indent, no
            # trailing space): their offsets are one run (a newline is never shorter)
            if lines[0][0] and last and last_off + len(last) - first == len(raw):
                raw_map = range(first, first + len(raw))
            else:
                raw_map = _line_runs(lines, len(raw))
        if not raw or raw.isspace():
            return
        if not has_markup(raw):            # plain prose: the text is the raw text
            text, offsets = raw, raw_map
            if text[:1].isspace() or text[-1:].isspace():
                a = len(text) - len(text.lstrip())
                b = len(text.rstrip())
                text, offsets = text[a:b], offsets[a:b]
            self.blocks.append(Block(text, sections, offsets, self.origin, "doc", None, "body", []))
            return
        inline = InlineScanner(raw, raw_map, self.refs, self.want_links, self.directives)
        out = MappedText()
        inline.run(out, 0, len(raw))
        text = out.text()
        offsets = out.offsets()
        if text[:1].isspace() or text[-1:].isspace():  # left by a dropped tag or comment
            a = len(text) - len(text.lstrip())
            b = len(text.rstrip())
            text, offsets = text[a:b], offsets[a:b]
            inline.link_texts = [(x - a, y - a) for x, y in inline.link_texts]
        self.blocks.append(Block(text, sections, offsets, self.origin, links=inline.links))
        for alt_text, alt_offsets in inline.alts:
            if alt_text.strip():
                self.blocks.append(Block(alt_text, (sections - _CONTAINERS) | _ALT,
                                         alt_offsets, self.origin))
        for a, b in inline.link_texts:
            self.blocks.append(Block(text[a:b], _LINK, offsets, self.origin, start=a))


def _line_runs(lines: list[tuple[str, int]], length: int) -> Sequence[int]:
    """The offsets of lines joined by newlines: each line's characters from its own
    offset on, each newline one past the character before it (one run per line that
    does not start right after the previous one's newline)."""
    starts: list[int] = []
    origins: list[int] = []
    pos = 0
    last = -2                   # the offset of the last character placed (-2: none yet)
    for k, (text, off) in enumerate(lines):
        if k:
            if last == -2:      # a newline after nothing: one before the next line
                starts.append(pos)
                origins.append(off - 1)
                last = off - 1
            else:
                last += 1
            pos += 1
        if text:
            if off != last + 1:
                starts.append(pos)
                origins.append(off)
            last = off + len(text) - 1
            pos += len(text)
    return run_offsets(starts, origins, length)


_TEXT = frozenset({"text"})
_PARAGRAPH = frozenset({"text", "paragraph"})
_ALT = frozenset({"text", "attr", "alt"})
_LINK = frozenset({"link"})
_CONTAINERS = frozenset({"paragraph", "heading", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                         "cell", "header"})


_SECTIONS: dict[tuple[frozenset[str], tuple[str, ...]], frozenset[str]] = {}


def _with(sections: frozenset[str], *names: str) -> frozenset[str]:
    """`sections` and `names`, the same set each time they are asked for together."""
    key = (sections, names)
    found = _SECTIONS.get(key)
    if found is None:
        found = _SECTIONS[key] = sections | frozenset(names)
    return found


def _cells(row: str, off: int) -> list[tuple[str, int]]:
    """Split a table row on unescaped pipes outside code spans."""
    cells: list[tuple[str, int]] = []
    start = 0
    i, n = 0, len(row)
    in_code = 0
    while i < n:
        c = row[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            k = i
            while k < n and row[k] == "`":
                k += 1
            run = k - i
            in_code = 0 if in_code == run else (run if not in_code else in_code)
            i = k
            continue
        if c == "|" and not in_code:
            cells.append((row[start:i], off + start))
            start = i + 1
        i += 1
    cells.append((row[start:], off + start))
    if cells and not cells[0][0].strip():
        cells = cells[1:]
    if cells and not cells[-1][0].strip():
        cells = cells[:-1]
    out = []
    for text, o in cells:
        lead = len(text) - len(text.lstrip())
        out.append((text.strip(), o + lead))
    return out


def markdown_blocks(body: str, origin: Origin, *, want_links: bool = False
                    ) -> tuple[list[Block], list[Directive]]:
    """The lintable blocks of a Markdown body and the HTML comments found in it."""
    prose = MarkdownProse(body, origin, want_links=want_links)
    return [b for b in prose.blocks if b.text or b.links], prose.directives

