"""Markdown → HTML, with what a post page needs around it.

Pure: text in, `Rendered` out. One Markdown instance per process, reset
between documents (building it costs more than most posts).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
from slugify import slugify

WORDS = re.compile(r"\w+", re.UNICODE)
TAGS = re.compile(r"<[^>]+>")
WORDS_PER_MINUTE = 220
TOC_MIN_HEADINGS = 3
TOC_MIN_WORDS = 700


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[tuple[int, str, str], ...]   # (level, anchor id, text) of h2/h3
    words: int
    first_paragraph: str                    # plain text, for a default summary

    def to_json(self) -> list:
        return [self.html, [list(t) for t in self.toc], self.words, self.first_paragraph]

    @classmethod
    def from_json(cls, data: list) -> "Rendered":
        return cls(data[0], tuple(tuple(t) for t in data[1]), data[2], data[3])

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    @property
    def wants_toc(self) -> bool:
        return len(self.toc) >= TOC_MIN_HEADINGS and self.words >= TOC_MIN_WORDS


class _MediaLinks(Treeprocessor):
    """Links to `media/...` (relative to content/) and site-root links (`/about/`)
    become paths under the hub's base path, so a hub published at a sub-path works."""

    def __init__(self, md, base_path: str):
        super().__init__(md)
        self.base_path = base_path

    def run(self, root: Element) -> None:
        for element in root.iter():
            for attr in ("src", "href"):
                value = element.get(attr)
                if not value:
                    continue
                bare = value.lstrip("./")
                if bare.startswith("content/"):
                    bare = bare[len("content/"):]
                if bare.startswith("media/") and "://" not in value:
                    element.set(attr, self.base_path + bare)
                elif value.startswith("/") and not value.startswith("//") and self.base_path != "/" \
                        and not value.startswith(self.base_path):
                    element.set(attr, self.base_path + value[1:])
            if element.tag in ("h2", "h3", "h4", "h5", "h6"):
                for link in element.iter("a"):
                    if link.get("class") == "headerlink":
                        title = "".join(t for t in element.itertext() if t != link.text).strip()
                        link.set("aria-label", f"§ {title}")
            if element.tag == "img":
                element.set("loading", "lazy")
                element.set("decoding", "async")


def _anchor(value: str, separator: str) -> str:
    return slugify(value, separator=separator) or "section"


@lru_cache(maxsize=8)
def _markdown(base_path: str) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["extra", "sane_lists", "codehilite", "toc"],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"slugify": _anchor, "permalink": "#", "permalink_title": "",
                    "toc_depth": "2-3"},
            "footnotes": {"BACKLINK_TITLE": ""},
        },
        output_format="html",
    )
    md.treeprocessors.register(_MediaLinks(md, base_path), "hearth-media", 1)
    return md


def _flatten(tokens) -> list[tuple[int, str, str]]:
    out = []
    for token in tokens:
        out.append((token["level"], token["id"], html.unescape(TAGS.sub("", token["name"]))))
        out += _flatten(token["children"])
    return out


def render_markdown(text: str, base_path: str = "/") -> Rendered:
    md = _markdown(base_path)
    md.reset()
    body = md.convert(text)
    plain = html.unescape(TAGS.sub(" ", body))
    first = re.search(r"<p>(.*?)</p>", body, re.S)
    first_text = " ".join(html.unescape(TAGS.sub("", first.group(1))).split()) if first else ""
    return Rendered(body, tuple(_flatten(md.toc_tokens)), len(WORDS.findall(plain)), first_text)


def shorten(text: str, words: int = 40) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + "…"
