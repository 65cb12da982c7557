"""Inline Markdown → plain text with the source offset of every character.

What is kept of a text's inline markup (the same choices Vale makes):

- emphasis markers and link brackets are dropped, link text kept; the link's
  destination is dropped and remembered for the link rules;
- code spans, URLs and e-mail addresses are masked with `*`, one per
  character, so nothing matches inside them and columns stay true;
- HTML tags and comments are dropped; image alt text becomes its own block.

`field_block` makes one block of a single string: a title or a summary read as
inline Markdown, or a channel text read as the plain text it is sent as.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import regex

from .blocks import Block, Directive, Link, RunOffsets, run_offsets

MASK = "*"


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

# The characters a match of _INLINE starts with.
_INLINE_FIRST = "`<![\\&*_~{"


def _inline_search(raw: str, pos: int, end: int, firsts: str) -> Any:
    """`_INLINE.search(raw, pos, end)`, found faster: the pattern tried only where one
    of its first characters is (the nearest found by substring searches, each
    bounded by the nearest so far), not at every position of the prose between.
    `firsts`: those of _INLINE_FIRST that are in `raw` at all."""
    find = raw.find
    match = _INLINE.match
    while True:
        nearest = end
        for c in firsts:
            i = find(c, pos, nearest)
            if i >= 0:
                nearest = i
        if nearest == end:
            return None
        m = match(raw, nearest, end)
        if m is not None:
            return m
        pos = nearest + 1


# URLs and e-mail addresses can start at any letter, which makes them costly in
# the alternation above; they are found by a second pattern, only in texts
# that have "://", "www." or "@" at all.
_BARE = regex.compile(r"""
    (?P<url>(?<![\w@.\-/])(?:https?://|ftp://|www\.)[^\s<]+)
  | (?P<email>(?<![\w.+\-@])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+)
""", regex.X)

_URL_TAIL = regex.compile(r"[^\s<]+")
_EMAIL_DOMAIN = regex.compile(r"[\w\-]+(?:\.[\w\-]+)+")


# Any character inline Markdown starts with (the patterns above) and the hearts of
# bare URLs and e-mail addresses: a text with none of them is plain prose.
_MARKUP_CHARS = "`<[\\&*_~{@"


def has_markup(text: str) -> bool:
    """Might `text` hold inline Markdown? (One substring search per character, each
    far quicker than a pattern looking for all of them at every position.)"""
    for c in _MARKUP_CHARS:
        if c in text:
            return True
    return "://" in text or "www." in text


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


# What the bracket and destination readers stop at; `re`'s \s is `str.isspace`.
_BRACKET_STOP = re.compile(r"[\\`\[\]]")
_DESTINATION_STOP = re.compile(r"[\s\\()]")

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


class MappedText:
    """Text being built, with the origin offset of every character, kept as runs of
    consecutive offsets (see `blocks.RunOffsets`) rather than one number per character."""

    __slots__ = ("_next", "chars", "origins", "pos", "starts")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []     # where each run begins in the text
        self.origins: list[int] = []    # and the offset its first character was read from
        self.pos = 0
        self._next = -1                 # the offset that would continue the last run

    def emit(self, text: str, offsets: Sequence[int]) -> None:
        """Add `text`, read from `offsets` (a slice of the raw text's offsets)."""
        self.chars.append(text)
        if type(offsets) is range:
            if offsets:
                self._run(offsets.start, len(offsets))
        elif isinstance(offsets, RunOffsets):
            ends = [*offsets.starts[1:], offsets.length]
            for start, end, origin in zip(offsets.starts, ends, offsets.origins):
                self._run(origin, end - start)
        else:
            for origin in offsets:
                self._run(origin, 1)

    def _run(self, origin: int, length: int) -> None:
        if origin != self._next:
            self.starts.append(self.pos)
            self.origins.append(origin)
        self.pos += length
        self._next = origin + length

    def text(self) -> str:
        return "".join(self.chars)

    def length(self) -> int:
        return self.pos

    def offsets(self) -> Sequence[int]:
        return run_offsets(self.starts, self.origins, self.pos) if self.starts else range(0)


class InlineScanner:
    """Strips inline Markdown from `raw`, whose characters come from `raw_map` offsets."""

    def __init__(self, raw: str, raw_map: Sequence[int], refs: dict[str, tuple[str, int]],
                 want_links: bool, directives: list[Directive] | None):
        self.raw = raw
        self.map = raw_map
        self.refs = refs
        self.links: list[Link] = []
        self.alts: list[tuple[str, Sequence[int]]] = []
        self.link_texts: list[tuple[int, int]] = []
        self.want_links = want_links
        self.directives = directives
        self.firsts = "".join([c for c in _INLINE_FIRST if c in raw])

    def _bare(self, start: int, end: int) -> list[_Found]:
        return bare_spans(self.raw, start, end)

    def run(self, out: MappedText, start: int, end: int) -> None:
        raw, rmap = self.raw, self.map
        pos = start
        search = _inline_search
        firsts = self.firsts
        bare = self._bare(start, end)
        b = 0
        while pos < end:
            m = search(raw, pos, end, firsts)
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
        skip = _BRACKET_STOP.search
        while j < end:
            found = skip(raw, j, end)     # the characters between matter to nothing below
            if found is None:
                break
            j = found.start()
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
            found = _DESTINATION_STOP.search(raw, p, end)
            q = end if found is None else found.start()  # what is before it is all the URL's
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

    def _link(self, out: MappedText, s: int, image: bool, end: int) -> int:
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
                ref = self.refs.get(ref_label(label))
                link_end = ref_close + 1
                url, url_at = ref if ref else ("", rmap[after])
        if url is None:
            ref = self.refs.get(ref_label(raw[text_start:close]))
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
            alt = MappedText()
            self.run(alt, text_start, close)
            self.alts.append((alt.text(), alt.offsets()))
        else:
            before = out.length()
            self.run(out, text_start, close)
            if self.want_links and out.length() > before:
                self.link_texts.append((before, out.length()))
        return link_end


def ref_label(label: str) -> str:
    """A link label the way CommonMark matches labels: spaces collapsed, case folded."""
    return " ".join(label.split()).casefold()

def field_block(value: str, origin: Any, sections: frozenset[str], *, markdown: bool = True,
                unit: str = "doc", channel: str | None = None, group: str = "body") -> Block:
    """One string (a title, a summary, a channel text) as a block.

    Titles and summaries may carry inline Markdown; channel texts are plain text
    sent as they are, where only URLs and `{placeholders}` are masked.
    """
    raw_map = range(len(value))
    if markdown and not has_markup(value):
        return Block(value, sections, raw_map, origin, unit, channel, group, [])
    if markdown:
        inline = InlineScanner(value, raw_map, {}, False, None)
        out = MappedText()
        inline.run(out, 0, len(value))
        return Block(out.text(), sections, out.offsets(), origin, unit, channel, group,
                     inline.links)
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

