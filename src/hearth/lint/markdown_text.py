"""The prose of a Markdown file, cut into blocks that know where each character came from.

Vale renders Markdown to HTML and walks the tags, then searches the source for
each match to find its line. We read the Markdown directly instead, with a
small CommonMark-shaped scanner, and keep for every character of a block the
offset it was read from. A match is then placed exactly, even when the same
words appear twice or the text crosses emphasis and link markup.

What a block's text holds (the same choices Vale makes):

- headings, paragraphs, list items, block quotes and table cells are blocks,
  each with Vale's scope names (`heading.h2`, `list`, `table.cell`, ...);
- emphasis markers and link brackets are dropped, link text kept; the link's
  destination is dropped and remembered for the link rules;
- code spans, URLs and e-mail addresses are masked with `*`, one per
  character, so nothing matches inside them and columns stay true;
- HTML tags and comments are dropped; image alt text becomes its own block;
- fenced and indented code blocks, front matter keys and link reference
  definitions are never read.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Protocol

import regex

MASK = "*"


class Origin(Protocol):
    """Where a block's offsets point: turns an offset into a file (line, column)."""

    def position(self, offset: int) -> tuple[int, int]: ...


class LineIndex:
    """Offsets in a text → (line, column), 1-based, columns in characters."""

    __slots__ = ("base", "first_line", "starts")

    def __init__(self, text: str, first_line: int = 1, base: int | None = None):
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts
        self.first_line = first_line
        self.base = base  # offset of this text inside the whole file, when known

    def position(self, offset: int) -> tuple[int, int]:
        idx = bisect_right(self.starts, offset) - 1
        return self.first_line + idx, offset - self.starts[idx] + 1

    def absolute(self, offset: int) -> int | None:
        return None if self.base is None else self.base + offset

    def offset_of(self, line: int, column: int) -> int:
        """The inverse of `position` (for a line of this text)."""
        idx = min(max(line - self.first_line, 0), len(self.starts) - 1)
        return self.starts[idx] + column - 1


class FieldOrigin:
    """A front-matter string value: positions from `Located`, file offsets from the file."""

    __slots__ = ("file_index", "located")

    def __init__(self, located: Any, file_index: LineIndex | None):
        self.located = located
        self.file_index = file_index

    def position(self, offset: int) -> tuple[int, int]:
        return self.located.position(offset)

    def absolute(self, offset: int) -> int | None:
        if self.file_index is None:
            return None
        line, column = self.located.position(offset)
        return self.file_index.offset_of(line, column)


@dataclass(frozen=True)
class Link:
    """A link target found in a text, with the origin offset of its first character."""

    url: str
    offset: int
    placeholder: bool = False  # `{url}` in a channel text: the post's own address


class Block:
    """A piece of prose to lint, in one scope, with a source offset for each character.

    `offsets[start + i]` is where `text[i]` was read from in its origin; a
    sentence cut from a paragraph shares the paragraph's list.
    """

    __slots__ = (
        "channel",
        "group",
        "links",
        "offsets",
        "origin",
        "sections",
        "start",
        "text",
        "unit",
    )

    def __init__(self, text: str, sections: frozenset[str], offsets: list[int], origin: Any,
                 unit: str = "doc", channel: str | None = None, group: str = "body",
                 links: list[Link] | None = None, start: int = 0):
        self.text = text
        self.sections = sections
        self.offsets = offsets
        self.origin = origin
        self.unit = unit            # consistency/conditional state: the post, or a channel text
        self.channel = channel      # set for channel texts
        self.group = group          # what counts as one text: body, title, summary, channel:x
        self.links = links if links is not None else []
        self.start = start

    def position(self, i: int) -> tuple[int, int]:
        n = len(self.text)
        if not n:
            return self.origin.position(self.offsets[self.start] if self.offsets else 0)
        if i >= n:
            return self.origin.position(self.offsets[self.start + n - 1] + 1)
        return self.origin.position(self.offsets[self.start + max(i, 0)])

    def source_span(self, i: int, j: int) -> tuple[int, int] | None:
        """Origin offsets of text[i:j] when those characters are contiguous in the source."""
        if i >= j or j > len(self.text):
            return None
        first, last = self.offsets[self.start + i], self.offsets[self.start + j - 1]
        if last - first != j - 1 - i:
            return None
        return first, last + 1

    def sub(self, i: int, j: int, extra: frozenset[str]) -> Block:
        key = (self.sections, extra)
        sections = _UNIONS.get(key)
        if sections is None:
            sections = _UNIONS[key] = self.sections | extra
        return Block(self.text[i:j], sections, self.offsets, self.origin, self.unit,
                     self.channel, self.group, [], self.start + i)


_UNIONS: dict[tuple[frozenset[str], frozenset[str]], frozenset[str]] = {}


@dataclass
class Directive:
    """An HTML comment in the body (`hearth-ignore …`, `vale off`), by origin offsets."""

    text: str
    start: int
    end: int


# --- inline markup -----------------------------------------------------------

_INLINE = regex.compile(r"""
    (?P<code>`+)
  | (?P<comment><!--)
  | (?P<autolink><(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*
                    |[A-Za-z0-9.!\#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9][A-Za-z0-9.\-]*)>)
  | (?P<tag></?[A-Za-z][A-Za-z0-9\-]*(?:\s+[A-Za-z_:][\w.:\-]*
            (?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>)
  | (?P<image>!\[)
  | (?P<open>\[)
  | (?P<escape>\\[!-/:-@\[-`{-~])
  | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
  | (?P<emph>\*+|_+|~~)
  | (?P<shortcode>\{\{[<%].*?[%>]\}\})
""", regex.X | regex.S)

# URLs and e-mail addresses can start at any letter, which makes them costly in
# the alternation above; they are found by a second pattern, only in texts
# that have "://", "www." or "@" at all.
_BARE = regex.compile(r"""
    (?P<url>(?<![\w@.\-/])(?:https?://|ftp://|www\.)[^\s<]+)
  | (?P<email>(?<![\w.+\-@])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+)
""", regex.X)

_URL_TAIL = regex.compile(r"[^\s<]+")
_EMAIL_DOMAIN = regex.compile(r"[\w\-]+(?:\.[\w\-]+)+")


class _Found:
    """A bare URL or e-mail address, shaped like the regex matches it sits among."""

    __slots__ = ("e", "lastgroup", "raw", "s")

    def __init__(self, s: int, e: int, raw: str, kind: str):
        self.s, self.e, self.raw, self.lastgroup = s, e, raw, kind

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self) -> str:
        return self.raw[self.s:self.e]


def bare_spans(raw: str, start: int, end: int) -> list[_Found]:
    """Bare URLs and e-mail addresses in raw[start:end], found from their
    literal hearts ("://", "www.", "@") outward rather than at every letter."""
    found: list[_Found] = []
    find = raw.find
    i = find("://", start, end)
    while i >= 0:
        j = i
        while j > start and raw[j - 1].isalpha():
            j -= 1
        if raw[j:i].lower() in ("http", "https", "ftp") and not (
                j > start and (raw[j - 1].isalnum() or raw[j - 1] in "@.-/_")):
            m = _URL_TAIL.match(raw, i + 3, end)
            if m:
                found.append(_Found(j, m.end(), raw, "url"))
        i = find("://", i + 3, end)
    i = find("www.", start, end)
    while i >= 0:
        if not (i > start and (raw[i - 1].isalnum() or raw[i - 1] in "@.-/_")):
            m = _URL_TAIL.match(raw, i + 4, end)
            if m:
                found.append(_Found(i, m.end(), raw, "url"))
        i = find("www.", i + 4, end)
    i = find("@", start, end)
    while i >= 0:
        j = i
        while j > start and (raw[j - 1].isalnum() or raw[j - 1] in "._+-"):
            j -= 1
        m = _EMAIL_DOMAIN.match(raw, i + 1, end)
        if j < i and m and not (j > start and raw[j - 1] == "@"):
            found.append(_Found(j, m.end(), raw, "email"))
        i = find("@", i + 1, end)
    if len(found) > 1:
        found.sort(key=lambda f: f.s)
    return found


_PLACEHOLDER = regex.compile(r"\{[a-z_]+\}")

_URL_TRAILING = "?!.,:;*_~'\"”’"


def _trim_url(url: str) -> str:
    while url:
        last = url[-1]
        if last in _URL_TRAILING or last == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def _is_punct(c: str) -> bool:
    return not (c.isalnum() or c.isspace())


class _Out:
    """Text being built, with the raw-text index of every character."""

    __slots__ = ("chars", "offsets")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []

    def emit(self, text: str, offsets: list[int]) -> None:
        self.chars.append(text)
        self.offsets.extend(offsets)

    def text(self) -> str:
        return "".join(self.chars)

    def length(self) -> int:
        return len(self.offsets)


class _Inline:
    """Strips inline Markdown from `raw`, whose characters come from `raw_map` offsets."""

    def __init__(self, raw: str, raw_map: list[int], refs: dict[str, tuple[str, int]],
                 want_links: bool, directives: list[Directive] | None):
        self.raw = raw
        self.map = raw_map
        self.refs = refs
        self.links: list[Link] = []
        self.alts: list[tuple[str, list[int]]] = []
        self.link_texts: list[tuple[int, int]] = []
        self.want_links = want_links
        self.directives = directives

    def _bare(self, start: int, end: int) -> list[_Found]:
        return bare_spans(self.raw, start, end)

    def run(self, out: _Out, start: int, end: int) -> None:
        raw, rmap = self.raw, self.map
        pos = start
        search = _INLINE.search
        bare = self._bare(start, end)
        b = 0
        while pos < end:
            m = search(raw, pos, end)
            while b < len(bare) and bare[b].start() < pos:
                b += 1  # inside something already read (a link destination, code)
            if b < len(bare) and (m is None or bare[b].start() < m.start()):
                m = bare[b]
                b += 1
            elif m is None:
                break
            s = m.start()
            kind = m.lastgroup
            if s > pos:
                out.emit(raw[pos:s], rmap[pos:s])
            if kind == "code":
                n = len(m.group())
                close = self._code_close(m.end(), end, n)
                if close < 0:
                    out.emit(raw[s:m.end()], rmap[s:m.end()])
                    pos = m.end()
                else:
                    out.emit(MASK * (close + n - s), rmap[s:close + n])
                    pos = close + n
            elif kind == "comment":
                close = raw.find("-->", m.end(), end)
                stop = end if close < 0 else close + 3
                if self.directives is not None:
                    self.directives.append(Directive(raw[s + 4:max(s + 4, stop - 3)],
                                                     rmap[s], rmap[stop - 1] + 1))
                pos = stop
            elif kind == "autolink":
                url = m.group()[1:-1]
                self.links.append(Link(url, rmap[s + 1]))
                out.emit(MASK * (m.end() - s), rmap[s:m.end()])
                pos = m.end()
            elif kind == "tag" or kind == "shortcode":
                pos = m.end()
            elif kind in ("image", "open"):
                pos = self._link(out, m.start(), kind == "image", end)
            elif kind == "url":
                url = _trim_url(m.group())
                if url.startswith("www.") and "." not in url[4:]:
                    out.emit(url, rmap[s:s + len(url)])
                else:
                    self.links.append(Link(url if not url.startswith("www.") else "http://" + url,
                                           rmap[s]))
                    out.emit(MASK * len(url), rmap[s:s + len(url)])
                pos = s + len(url)
            elif kind == "email":
                out.emit(MASK * (m.end() - s), rmap[s:m.end()])
                pos = m.end()
            elif kind == "escape":
                out.emit(raw[s + 1], rmap[s + 1:s + 2])
                pos = m.end()
            elif kind == "entity":
                decoded = html.unescape(m.group())
                if decoded == m.group():
                    out.emit(decoded, rmap[s:m.end()])
                else:
                    out.emit(decoded, [rmap[s]] * len(decoded))
                pos = m.end()
            else:  # emphasis delimiters: dropped when they can open or close
                run = m.group()
                e = m.end()
                before = raw[s - 1] if s > 0 else " "
                after = raw[e] if e < len(raw) else " "
                left = not after.isspace() and (not _is_punct(after) or before.isspace()
                                                or _is_punct(before))
                right = not before.isspace() and (not _is_punct(before) or after.isspace()
                                                  or _is_punct(after))
                if run[0] == "_":
                    opens = left and (not right or _is_punct(before))
                    closes = right and (not left or _is_punct(after))
                else:
                    opens, closes = left, right
                if not (opens or closes):
                    out.emit(run, rmap[s:e])
                pos = e
        if pos < end:
            out.emit(raw[pos:end], rmap[pos:end])

    def _code_close(self, pos: int, end: int, n: int) -> int:
        raw = self.raw
        ticks = "`" * n
        while True:
            i = raw.find(ticks, pos, end)
            if i < 0:
                return -1
            j = i + n
            if (j >= len(raw) or raw[j] != "`") and raw[i - 1] != "`":
                return i
            while j < end and raw[j] == "`":
                j += 1
            pos = j

    def _bracket_close(self, pos: int, end: int) -> int:
        raw = self.raw
        depth = 1
        j = pos
        while j < end:
            c = raw[j]
            if c == "\\":
                j += 2
                continue
            if c == "`":
                n = 1
                while j + n < end and raw[j + n] == "`":
                    n += 1
                close = self._code_close(j + n, end, n)
                j = (close + n) if close >= 0 else j + n
                continue
            if c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
                if depth == 0:
                    return j
            j += 1
        return -1

    def _destination(self, pos: int, end: int) -> tuple[int, str, int] | None:
        """Parse `(dest "title")` starting at `(`: (end index, url, url start)."""
        raw = self.raw
        p = pos + 1
        while p < end and raw[p] in " \t\n":
            p += 1
        url_start = p
        if p < end and raw[p] == "<":
            q = raw.find(">", p, end)
            if q < 0:
                return None
            url, url_start, p = raw[p + 1:q], p + 1, q + 1
        else:
            depth = 0
            q = p
            while q < end and not raw[q].isspace():
                c = raw[q]
                if c == "\\":
                    q += 2
                    continue
                if c == "(":
                    depth += 1
                elif c == ")":
                    if depth == 0:
                        break
                    depth -= 1
                q += 1
            url, p = raw[p:q], q
        while p < end and raw[p] in " \t\n":
            p += 1
        if p < end and raw[p] in "\"'(":
            closer = ")" if raw[p] == "(" else raw[p]
            q = raw.find(closer, p + 1, end)
            if q < 0:
                return None
            p = q + 1
            while p < end and raw[p] in " \t\n":
                p += 1
        if p < end and raw[p] == ")":
            return p + 1, url, url_start
        return None

    def _link(self, out: _Out, s: int, image: bool, end: int) -> int:
        raw, rmap = self.raw, self.map
        text_start = s + (2 if image else 1)
        close = self._bracket_close(text_start, end)
        if not image and close > 0 and raw[text_start] == "^" and raw[close + 1:close + 2] != "(":
            return close + 1  # a footnote reference, [^1]: not prose
        if close < 0:
            out.emit(raw[s:text_start], rmap[s:text_start])
            return text_start
        after = close + 1
        url: str | None = None
        url_at = 0
        link_end = after
        if after < end and raw[after] == "(":
            parsed = self._destination(after, end)
            if parsed:
                link_end, url, url_start = parsed
                url_at = rmap[url_start] if url_start < len(rmap) else rmap[-1]
        if url is None and after < end and raw[after] == "[":
            ref_close = raw.find("]", after + 1, end)
            if ref_close >= 0:
                label = raw[after + 1:ref_close] or raw[text_start:close]
                ref = self.refs.get(_label(label))
                link_end = ref_close + 1
                url, url_at = ref if ref else ("", rmap[after])
        if url is None:
            ref = self.refs.get(_label(raw[text_start:close]))
            if ref is None:
                if image:
                    out.emit(raw[s:text_start], rmap[s:text_start])
                    return text_start
                # not a link: brackets stay literal, their content is read as usual
                out.emit(raw[s], rmap[s:s + 1])
                return s + 1
            url, url_at = ref
        if url:
            self.links.append(Link(url, url_at))
        if image:
            alt = _Out()
            self.run(alt, text_start, close)
            self.alts.append((alt.text(), alt.offsets))
        else:
            before = out.length()
            self.run(out, text_start, close)
            if self.want_links and out.length() > before:
                self.link_texts.append((before, out.length()))
        return link_end


def _label(label: str) -> str:
    return " ".join(label.split()).casefold()


# --- blocks --------------------------------------------------------------------

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
_SKIP_HTML = frozenset({"script", "pre", "style", "textarea"})


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
    return bool(_FENCE.match(stripped) or _ATX.match(stripped) or _THEMATIC.match(stripped)
                or _LIST_ITEM.match(stripped) or stripped.startswith((">", "<")))


class MarkdownProse:
    """The blocks of one Markdown body, in document order."""

    def __init__(self, body: str, origin: Origin, *, want_links: bool = False):
        self.body = body
        self.origin = origin
        self.want_links = want_links
        self.blocks: list[Block] = []
        self.directives: list[Directive] = []
        self.refs: dict[str, tuple[str, int]] = {}
        lines: list[tuple[str, int]] = []
        offset = 0
        for line in body.split("\n"):
            lines.append((line, offset))
            offset += len(line) + 1
        for text, off in lines:  # reference definitions may come after their use
            stripped = text.lstrip(" ")
            if stripped.startswith("[") and len(text) - len(stripped) < 4:
                m = _REF_DEF.match(stripped)
                if m and not m.group(1).startswith("^"):
                    self.refs.setdefault(_label(m.group(1)), (m.group(2),
                                         off + len(text) - len(stripped) + m.start(2)))
        self._scan(lines, frozenset({"text"}))

    # A line is (text, offset of its first character in the body).
    def _scan(self, lines: list[tuple[str, int]], sections: frozenset[str]) -> None:
        para: list[tuple[str, int]] = []
        i, n = 0, len(lines)

        def flush() -> None:
            if para:
                self._inline_block(para, sections | {"paragraph"} if sections == _TEXT
                                   else sections)
                para.clear()

        while i < n:
            text, off = lines[i]
            stripped = text.lstrip(" \t")
            if not stripped:
                flush()
                i += 1
                continue
            indent = len(text) - len(stripped)
            width = _width(text)
            if width >= 4 and not para:  # indented code block
                i += 1
                while i < n and (not lines[i][0].strip() or _width(lines[i][0]) >= 4):
                    i += 1
                continue
            if width < 4 and stripped[0].isalpha() and (para or "|" not in stripped):
                pass  # a line of prose: no block starts with a letter
            elif width < 4:
                m = _FENCE.match(stripped)
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
                if stripped.startswith("$$"):
                    flush()
                    i += 1
                    if stripped.rstrip().endswith("$$") and len(stripped.rstrip()) > 2:
                        continue
                    while i < n and "$$" not in lines[i][0]:
                        i += 1
                    i += 1
                    continue
                if stripped.startswith("<!--"):
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
                m = _HTML_RAW.match(stripped)
                if m:
                    flush()
                    closer = f"</{m.group(1).lower()}>"
                    while i < n and closer not in lines[i][0].lower():
                        i += 1
                    i += 1
                    continue
                if _HTML_BLOCK.match(stripped) or (not para and _HTML_TAG_LINE.match(stripped)):
                    flush()
                    html_lines = []
                    while i < n and lines[i][0].strip():
                        t, o = lines[i]
                        s2 = t.lstrip(" \t")
                        html_lines.append((s2.rstrip(), o + len(t) - len(s2)))
                        i += 1
                    self._inline_block(html_lines, sections)
                    continue
                m = _ATX.match(stripped)
                if m:
                    flush()
                    level = len(m.group(1))
                    content = stripped[m.end():]
                    content = _HEADING_ATTRS.sub("", content)
                    content = _ATX_CLOSE.sub("", content).rstrip()
                    lead = len(content) - len(content.lstrip())
                    self._inline_block([(content.lstrip(), off + indent + m.end() + lead)],
                                       sections | {"heading", f"h{level}"})
                    i += 1
                    continue
                if para and _SETEXT.match(stripped):
                    level = 1 if stripped[0] == "=" else 2
                    self._inline_block(para, sections | {"heading", f"h{level}"})
                    para.clear()
                    i += 1
                    continue
                if _THEMATIC.match(stripped):
                    flush()
                    i += 1
                    continue
                if stripped.startswith(">"):
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
                    self._scan(quoted, sections | {"blockquote"})
                    continue
                m = _LIST_ITEM.match(text)
                if m and not (para and (m.group(2)[0].isdigit() and not m.group(2).startswith("1")
                                        or not text[m.end():].strip())):
                    flush()
                    i = self._list_item(lines, i, m, sections)
                    continue
                if not para and "|" in stripped and i + 1 < n \
                        and _TABLE_DELIM.match(lines[i + 1][0]) and "-" in lines[i + 1][0]:
                    i = self._table(lines, i, sections)
                    continue
                if not para and stripped.startswith("[") and not stripped.startswith("[^") \
                        and _REF_DEF.match(stripped):
                    i += 1
                    continue
                m = _FOOTNOTE.match(stripped)
                if m:
                    flush()
                    stripped = stripped[m.end():]
                    indent += m.end()
            content = stripped.rstrip()
            if content.endswith("\\") and not content.endswith("\\\\"):
                content = content[:-1]  # a hard line break
            para.append((content, off + indent))
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
        task = _TASK.match(first)
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
        self._scan(item, sections | {"list"})
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
        raw_parts: list[str] = []
        raw_map: list[int] = []
        for k, (text, off) in enumerate(lines):
            if k:
                raw_parts.append("\n")
                raw_map.append(raw_map[-1] + 1 if raw_map else off - 1)
            raw_parts.append(text)
            raw_map.extend(range(off, off + len(text)))
        raw = "".join(raw_parts)
        if not raw.strip():
            return
        inline = _Inline(raw, raw_map, self.refs, self.want_links, self.directives)
        out = _Out()
        inline.run(out, 0, len(raw))
        text = out.text()
        offsets = out.offsets
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


_TEXT = frozenset({"text"})
_ALT = frozenset({"text", "attr", "alt"})
_LINK = frozenset({"link"})
_CONTAINERS = frozenset({"paragraph", "heading", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                         "cell", "header"})


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


def field_block(value: str, origin: Any, sections: frozenset[str], *, markdown: bool = True,
                unit: str = "doc", channel: str | None = None, group: str = "body") -> Block:
    """One string (a title, a summary, a channel text) as a block.

    Titles and summaries may carry inline Markdown; channel texts are plain text
    sent as they are, where only URLs and `{placeholders}` are masked.
    """
    raw_map = list(range(len(value)))
    if markdown:
        inline = _Inline(value, raw_map, {}, False, None)
        out = _Out()
        inline.run(out, 0, len(value))
        return Block(out.text(), sections, out.offsets, origin, unit, channel, group, inline.links)
    chars: list[str] = []
    links: list[Link] = []
    pos = 0
    found: list[Any] = bare_spans(value, 0, len(value))
    if "{" in value:
        found += [_Found(m.start(), m.end(), value, "placeholder")
                  for m in _PLACEHOLDER.finditer(value)]
        found.sort(key=lambda f: f.s)
    for m in found:
        s = m.start()
        if s < pos:
            continue
        chars.append(value[pos:s])
        kind = m.lastgroup
        if kind == "url":
            url = _trim_url(m.group())
            links.append(Link(url, s))
            chars.append(MASK * len(url))
            pos = s + len(url)
            continue
        if kind == "placeholder" and m.group() == "{url}":
            links.append(Link("{url}", s, placeholder=True))
        chars.append(MASK * (m.end() - s))
        pos = m.end()
    chars.append(value[pos:])
    return Block("".join(chars), sections, raw_map, origin, unit, channel, group, links)
