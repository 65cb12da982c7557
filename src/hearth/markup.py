"""Markdown → HTML, with what a post page needs around it.

Pure: text in, `Rendered` out. One Markdown instance per process, reset
between documents (building it costs more than most posts).

Safe by default, as Hugo's Markdown (goldmark, `unsafe = false`) is: raw HTML
in a post, block or inline, HTML comments included, becomes
`<!-- raw HTML omitted -->`, and a link or image to a `javascript:`,
`vbscript:`, `file:` or `data:` URL (but `data:image/png|gif|jpeg|webp`) gets
an empty `href`/`src`; an `on…` attribute set through `{: … }` is dropped.
`[build] unsafe_html = true` in hearth.toml passes raw HTML and every URL
through as written, for a hub that trusts everyone who can commit to it.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import math
import re
import zlib
from dataclasses import dataclass, replace
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin
from xml.etree.ElementTree import Element

import markdown
from markdown.inlinepatterns import HtmlInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor
from slugify import slugify

from .list_indent import ListIndent
from .markdown_speed import HtmlBlocksOnlyWhereTagged, speed_up

WORDS = re.compile(r"\w+", re.UNICODE)
TAGS = re.compile(r"<[^>]+>")
WORDS_PER_MINUTE = 220
TOC_MIN_HEADINGS = 3
TOC_MIN_WORDS = 700
OMITTED = "<!-- raw HTML omitted -->"            # what Hugo writes in its place
# "extra" without md_in_html: with raw HTML left out, markdown="1" blocks are too
SAFE_EXTENSIONS = ["abbr", "attr_list", "def_list", "footnotes", "tables"]
# pymdownx.superfences in place of fenced_code: ``` and ~~~ fences in list items
# and block quotes too, as kramdown, goldmark and GitHub read them
FENCES = "pymdownx.superfences"
URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "action", "formaction", "cite", "background",
                  "data", "xlink:href")
SAFE_DATA_IMAGES = ("data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp")
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "file:", "data:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def dangerous_url(url: str) -> bool:
    """goldmark's IsDangerousURL, read as a browser reads the URL: entities
    decoded, case ignored, the tabs, newlines and controls it skips removed."""
    bare = _INVISIBLE.sub("", html.unescape(url)).lower()
    if bare.startswith(SAFE_DATA_IMAGES):
        return False
    return bare.startswith(DANGEROUS_SCHEMES)


def _pack(body: str) -> bytes:
    return zlib.compress(body.encode("utf-8"), 1)


def is_packed_text(text: str) -> bool:
    """Whether a cache entry's first item is a packed body as `to_json` writes it:
    base64 of a stream with zlib's level-1 header (a cache from elsewhere is data:
    an entry of another shape is made again; a forged stream fails when read)."""
    if not text.startswith("eA") or not text.isascii():
        return False
    try:
        return binascii.a2b_base64(text, strict_mode=True)[:2] == b"\x78\x01"
    except binascii.Error:
        return False


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered body. Its HTML is kept packed (UTF-8, zlib level 1: a third of
    the string's memory; at 10,000 posts ≈ 45 MB less held from the Markdown
    stage to the end) and unpacked each time `html` is read: a page, a feed
    entry; its table of contents too (JSON, packed: ≈ 20 MB at 10,000 posts),
    kept only where a page shows one. `Rendered.of` packs; the cache's JSON holds
    the packed HTML in base64 and the table of contents as a list."""
    packed: bytes
    packed_toc: bytes                       # JSON [[level, anchor id, text], …] of h2/h3, packed
    headings: int                           # how many entries that table has
    words: int
    first_paragraph: str                    # plain text, for a default summary

    @classmethod
    def of(cls, body: str, toc: tuple[tuple[int, str, str], ...], words: int,
           first_paragraph: str) -> "Rendered":
        return cls(_pack(body), _pack_toc(toc), len(toc), words, first_paragraph)

    @property
    def html(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8")

    @property
    def toc(self) -> tuple[tuple[int, str, str], ...]:
        """(level, anchor id, text) of each h2/h3."""
        if not self.headings:
            return ()
        return tuple(tuple(t) for t in json.loads(zlib.decompress(self.packed_toc)))

    def with_html(self, body: str) -> "Rendered":
        return replace(self, packed=_pack(body))

    def to_json(self) -> list:
        return [base64.b64encode(self.packed).decode("ascii"), [list(t) for t in self.toc],
                self.words, self.first_paragraph]

    @classmethod
    def from_json(cls, data: list) -> "Rendered":
        """A body as the model keeps it: its table of contents only where a page
        shows one (`wants_toc`; most bodies are too short), as a page reads it."""
        toc, words = data[1], data[2]
        shown = _wants_toc(len(toc), words)
        return cls(base64.b64decode(data[0]), _pack_toc(toc) if shown else b"",
                   len(toc) if shown else 0, words, data[3])

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    @property
    def wants_toc(self) -> bool:
        return _wants_toc(self.headings, self.words)


def _pack_toc(toc: Any) -> bytes:
    if not toc:
        return b""
    return zlib.compress(json.dumps(toc, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def _wants_toc(headings: int, words: int) -> bool:
    """Whether a page shows a body's table of contents."""
    return headings >= TOC_MIN_HEADINGS and words >= TOC_MIN_WORDS


class _MediaLinks(Treeprocessor):
    """Links to `media/...` (relative to content/) and site-root links (`/about/`)
    become paths under the hub's base path, so a hub published at a sub-path works."""

    def __init__(self, md, base_path: str, unsafe_html: bool = False):
        super().__init__(md)
        self.base_path = base_path
        self.unsafe_html = unsafe_html

    @staticmethod
    def fix(element: Element, base_path: str, unsafe_html: bool) -> None:
        if not unsafe_html:
            _neutralise(element)
        for attr in ("src", "href"):
            value = element.get(attr)
            if not value:
                continue
            bare = value.lstrip("./")
            if bare.startswith("content/"):
                bare = bare[len("content/"):]
            if bare.startswith("media/") and "://" not in value:
                element.set(attr, base_path + bare)
            elif value.startswith("/") and not value.startswith("//") and base_path != "/" \
                    and not value.startswith(base_path):
                element.set(attr, base_path + value[1:])

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.attrib:                  # (nothing to fix in one without)
                self.fix(element, self.base_path, self.unsafe_html)
            if element.tag in ("h2", "h3", "h4", "h5", "h6"):
                for link in element.iter("a"):
                    if link.get("class") == "headerlink":
                        title = "".join(t for t in element.itertext() if t != link.text).strip()
                        link.set("aria-label", f"§ {title}")
            if element.tag == "img":
                element.set("loading", "lazy")
                element.set("decoding", "async")


def _neutralise(element: Element) -> None:
    """No script from a link, an image or an attribute list (`{: onclick=… }`)."""
    for attr in list(element.keys()):
        name = attr.lower()
        if name.startswith("on"):
            del element.attrib[attr]
        elif name in URL_ATTRIBUTES and dangerous_url(element.get(attr, "")):
            element.set(attr, "")


class _Omitting:
    """Stands for the Markdown instance before Python-Markdown's raw HTML
    readers: what they would keep of the writer's HTML is stashed as OMITTED."""

    def __init__(self, md: markdown.Markdown):
        self._md = md

    def __getattr__(self, name: str):
        return getattr(self._md, name)

    @property
    def htmlStash(self) -> "_Omitting":     # noqa: N802 (Python-Markdown's name)
        return self

    def store(self, html_text: str) -> str:
        return self._md.htmlStash.store(OMITTED)


class _OmitHtmlBlocks(HtmlBlockPreprocessor):
    def __init__(self, md: markdown.Markdown):
        super().__init__(_Omitting(md))


class _OmitHtmlBlocksWhereTagged(HtmlBlocksOnlyWhereTagged, _OmitHtmlBlocks):
    pass


class _OmitInlineHtml(HtmlInlineProcessor):
    def handleMatch(self, m, data):        # noqa: N802
        return self.md.htmlStash.store(OMITTED), m.start(0), m.end(0)


@lru_cache(maxsize=4096)      # the same headings recur across posts; slugify transliterates
def _anchor(value: str, separator: str) -> str:
    return slugify(value, separator=separator) or "section"


@lru_cache(maxsize=8)
def _markdown(base_path: str, unsafe_html: bool = False) -> markdown.Markdown:
    md = stock_markdown(base_path, unsafe_html)
    speed_up(md)        # the same HTML, sooner (markdown_speed)
    if not unsafe_html:
        md.preprocessors.register(_OmitHtmlBlocksWhereTagged(md), "html_block", 20)
    return md


def stock_markdown(base_path: str, unsafe_html: bool = False) -> markdown.Markdown:
    """Hearth's Markdown reader as Python-Markdown and its extensions build it,
    with Hearth's own processors but without `markdown_speed`'s short cuts."""
    md = markdown.Markdown(
        extensions=[*(["extra"] if unsafe_html else SAFE_EXTENSIONS), FENCES, "sane_lists",
                    "codehilite", "toc"],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"slugify": _anchor, "permalink": "#", "permalink_title": "",
                    "toc_depth": "2-3"},
            "footnotes": {"BACKLINK_TITLE": ""},
        },
        output_format="html",
    )
    md.treeprocessors.register(_MediaLinks(md, base_path, unsafe_html), "hearth-media", 1)
    # after whitespace is normalised (30), before fences are read (25)
    md.preprocessors.register(ListIndent(md), "hearth-list-indent", 29)
    if not unsafe_html:
        md.preprocessors.register(_OmitHtmlBlocks(md), "html_block", 20)
        html_pattern = md.inlinePatterns["html"]
        md.inlinePatterns.register(_OmitInlineHtml(html_pattern.pattern, md), "html", 90)
    return md


def _flatten(tokens) -> list[tuple[int, str, str]]:
    out = []
    for token in tokens:
        out.append((token["level"], token["id"], html.unescape(TAGS.sub("", token["name"]))))
        out += _flatten(token["children"])
    return out


def render_markdown(text: str, base_path: str = "/", unsafe_html: bool = False,
                    as_html: bool = False) -> Rendered:
    """A body → Rendered. `as_html`: the body is HTML already (a Jekyll `.html`
    post), passed through as written but for what the safe mode removes."""
    if as_html:
        body = pass_html(text, base_path, unsafe_html)
        return Rendered.of(body, (), count_words(html.unescape(TAGS.sub(" ", body))),
                        _first_paragraph(body))
    md = _markdown(base_path, unsafe_html)
    md.reset()
    body = md.convert(text)
    plain = html.unescape(TAGS.sub(" ", body))
    return Rendered.of(body, tuple(_flatten(md.toc_tokens)), count_words(plain),
                    _first_paragraph(body))


# \w of ASCII as bytes: word characters → "a", the rest → " "
_ASCII_WORD = bytes(ord("a") if re.match(r"\w", chr(i)) else ord(" ") for i in range(128)) \
    + b" " * 128
_WORD_CHAR = re.compile(r"\w")
_FEW_OTHERS = 16


def count_words(plain: str) -> int:
    """`len(WORDS.findall(plain))`, without making a string of every word:
    each character made "a" (a word character) or " ", the words are the
    starts of runs of "a". A text with many characters beyond ASCII is counted
    by the regex, as replacing each of them would cost more."""
    if not plain.isascii():
        others = {c for c in set(plain) if c > "\x7f"}
        if len(others) > _FEW_OTHERS:
            return len(WORDS.findall(plain))
        for c in others:
            plain = plain.replace(c, "a" if _WORD_CHAR.match(c) else " ")
    marks = plain.encode("ascii").translate(_ASCII_WORD)
    return marks.count(b" a") + marks.startswith(b"a")


def _first_paragraph(body: str) -> str:
    first = re.search(r"<p\b[^>]*>(.*?)</p>", body, re.S)
    return " ".join(html.unescape(TAGS.sub("", first.group(1))).split()) if first else ""


# what an HTML post loses in the safe mode: elements that run code, restyle or
# frame the hub, or submit a form; the rest (and the text) is kept as written
UNSAFE_ELEMENTS = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed",
                             "applet", "form", "input", "button", "textarea", "select", "link",
                             "meta", "base", "noscript", "template"})


class _HtmlPass(HTMLParser):
    def __init__(self, base_path: str, unsafe_html: bool):
        super().__init__(convert_charrefs=False)
        self.base_path = base_path
        self.unsafe_html = unsafe_html
        self.out: list[str] = []
        self.skipping: list[str] = []      # unsafe elements open, whose content is dropped

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs})
        _MediaLinks.fix(element, self.base_path, self.unsafe_html)
        return "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in element.items())

    def handle_starttag(self, tag, attrs):
        if not self.unsafe_html and (tag in UNSAFE_ELEMENTS or self.skipping):
            if tag in UNSAFE_ELEMENTS and tag not in ("link", "meta", "base", "input"):
                self.skipping.append(tag)
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")

    def handle_startendtag(self, tag, attrs):
        if not self.unsafe_html and (tag in UNSAFE_ELEMENTS or self.skipping):
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)} />")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if self.unsafe_html or tag not in UNSAFE_ELEMENTS:
            self.out.append(f"</{tag}>")

    def _text(self, text: str) -> None:
        if not self.skipping:
            self.out.append(text)

    def handle_data(self, data):
        self._text(data)

    def handle_entityref(self, name):
        self._text(f"&{name};")

    def handle_charref(self, name):
        self._text(f"&#{name};")

    def handle_comment(self, data):
        self._text(f"<!--{data}-->" if self.unsafe_html else OMITTED)

    def handle_decl(self, decl):
        pass

    def unknown_decl(self, data):
        pass


def pass_html(text: str, base_path: str = "/", unsafe_html: bool = False) -> str:
    """An HTML body as written: media and site-root links made to work under
    the base path (as in Markdown) and, in the safe mode, `on…` attributes,
    dangerous URLs and script-like elements left out."""
    parser = _HtmlPass(base_path, unsafe_html)
    parser.feed(text)
    parser.close()
    return "".join(parser.out).strip() + "\n"


def shorten(text: str, words: int = 40) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + "…"


_ONE_PARAGRAPH = re.compile(r"<p>(.*)</p>", re.S)
# what may make a line more than its text: inline marks, entities, HTML, a block's start
_MARKDOWN_SIGNS = re.compile(r"[][*_`<>&\\!~^{}]|^\s*(?:[#=|+-]|\d+[.)])|\n\s*\n")
_ONE_LINK = re.compile(r'<a href="([^"]*)">([^<]*)</a>')


@lru_cache(maxsize=4096)
def render_inline(text: str, base_path: str = "/") -> str:
    """One line of Markdown (an author's name) → inline HTML, always in the
    safe mode whatever `unsafe_html` says: raw HTML omitted, dangerous links
    emptied. What would not be one paragraph (`# Ann`, `- Ann`, two
    paragraphs, a block of raw HTML) is shown as its text, tags left out."""
    if not _MARKDOWN_SIGNS.search(text):
        return html.escape(" ".join(text.split()), quote=False)    # a plain name: no parser needed
    body = render_markdown(text, base_path).html.strip()
    inner = _ONE_PARAGRAPH.fullmatch(body)
    if inner is None or "<p>" in inner.group(1):
        return html.escape(" ".join(TAGS.sub("", text).split()), quote=False)
    return inner.group(1)


def link_html(name: str, url: str | None, base_path: str = "/") -> str:
    """A name, linked when there is a URL, as the safe mode writes a link:
    a `javascript:`-like URL emptied, a site-root one put under the base path."""
    if not url:
        return html.escape(name, quote=False)
    element = Element("a", {"href": url})
    _MediaLinks.fix(element, base_path, False)
    href = html.escape(element.get("href", ""), quote=True)
    return f'<a href="{href}">{html.escape(name, quote=False)}</a>'


def plain_text(inline_html: str) -> str:
    """Inline HTML → its text, as a feed or `<meta>` names it."""
    return " ".join(html.unescape(TAGS.sub("", inline_html)).split())


def only_link(inline_html: str) -> str | None:
    """The URL when the HTML is one link and nothing else (`[Ann](https://…)`)."""
    match = _ONE_LINK.fullmatch(inline_html)
    return html.unescape(match.group(1)) if match else None


_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_LINK_ATTRIBUTE = re.compile(r"""(\s(?:src|href|poster|srcset)\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE)
_NOT_RELATIVE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#|\?)", re.IGNORECASE)


ZOLA_LINK = re.compile(r"@/([^\s\"'<>#?)]+)")     # Zola's internal link: @/blog/post.md#part


def internal_links(body: str, resolve) -> str:
    """Zola's internal links in a rendered body (`href="@/inside-rust/x.md#a"`)
    made the URL `resolve` gives for the file path after `@/` (relative to
    Zola's content/), fragment kept; one `resolve` does not know stays as written."""
    if "@/" not in body:
        return body

    def attribute(m: re.Match) -> str:
        name, quoted = m.group(1), m.group(2)
        value = html.unescape(quoted[1:-1]).strip()
        found = ZOLA_LINK.fullmatch(value.split("#", 1)[0].split("?", 1)[0])
        url = resolve(found.group(1)) if found else None
        if url is None:
            return m.group(0)
        rest = value[len(found.group(0)):]
        return f'{name}{quoted[0]}{html.escape(url + rest, quote=True)}{quoted[0]}'

    return _TAG.sub(lambda tag: _LINK_ATTRIBUTE.sub(attribute, tag.group(0)), body)


def rebase_links(body: str, folder: str) -> str:
    """Relative links and images of a rendered body (`photo.jpg`, `./a.pdf`,
    `../other/`) made site-root paths, resolved against `folder` (the URL path
    of a page bundle, `/posts/trip/`) as a browser on the page would: the same
    in the page, and right where the body is shown elsewhere (feeds, lists).
    Only real tags are read: an escaped `src="…"` in a code block is text."""
    def one(value: str) -> str:
        value = value.strip()
        if not value or _NOT_RELATIVE.match(html.unescape(value)):
            return value
        return html.escape(urljoin(folder, html.unescape(value)), quote=True)

    def attribute(m: re.Match) -> str:
        name, quoted = m.group(1), m.group(2)
        value = quoted[1:-1]
        if name.strip().lower().startswith("srcset"):
            parts = [p.strip().split(None, 1) for p in value.split(",") if p.strip()]
            new = ", ".join(" ".join([one(p[0]), *p[1:]]) for p in parts)
        else:
            new = one(value)
        return f'{name}{quoted[0]}{new}{quoted[0]}'

    return _TAG.sub(lambda tag: _LINK_ATTRIBUTE.sub(attribute, tag.group(0)), body)
