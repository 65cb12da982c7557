"""Hearth's own rule kinds: what brand guides need and Vale lacks.

- `hashtags`, `mentions`, `emoji`, `exclamations`: at most `max` (at least
  `min`) per text: the body of a post, its title, its summary, or one
  channel text. Emoji are counted by grapheme cluster (`\\X`), so a family
  emoji or a flag counts once, as the platforms count them.
- `links`: a required link, allowed domains, no URL shorteners, UTM
  parameters present. A channel text's `{url}` is the post's own address
  (Hearth adds the UTM parameters itself), so it always passes.
- `frontmatter`: required keys, length limits, alt text for the image.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import regex

from ..model import SUMMARY_KEYS
from .checks import Check, Hit, RuleError
from .blocks import Block
from .patterns import go_format

COUNTED = {
    # a hashtag or mention starts a word: after a space, an opening bracket or quote
    "hashtags": regex.compile(r"(?<![^\s(\[{\"'“‘«])#\w*\p{L}\w*"),
    "mentions": regex.compile(r"(?<![^\s(\[{\"'“‘«])@\w+(?:[.\-]\w+)*(?:@[\w\-]+(?:\.[\w\-]+)+)?"),
    "emoji": regex.compile(r"(?=[\p{Extended_Pictographic}\p{Regional_Indicator}])\X"),
    "exclamations": regex.compile(r"[!！‼❗❕]"),
}
_EMOJI_START = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}]")
# Cheap tests a text must pass before it is worth counting in.
_QUICK = {
    "hashtags": lambda text: "#" in text,
    "mentions": lambda text: "@" in text,
    "emoji": lambda text: not text.isascii() and _EMOJI_START.search(text) is not None,
    "exclamations": lambda text: "!" in text or (not text.isascii() and any(
        c in text for c in "！‼❗❕")),
}
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\p{Regional_Indicator}")

DEFAULT_MESSAGES = {
    "hashtags": "Use at most %[2]d hashtags in one text (this one has %[1]d).",
    "mentions": "Use at most %[2]d mentions in one text (this one has %[1]d).",
    "emoji": "Use at most %[2]d emoji in one text (this one has %[1]d).",
    "exclamations": "Use at most %[2]d exclamation marks in one text (this one has %[1]d).",
}
MIN_MESSAGES = {
    "hashtags": "Use at least %[2]d hashtags in this text (it has %[1]d).",
    "mentions": "Mention at least %[2]d accounts in this text (it has %[1]d).",
    "emoji": "Use at least %[2]d emoji in this text (it has %[1]d).",
    "exclamations": "Use at least %[2]d exclamation marks in this text (it has %[1]d).",
}


class Count(Check):
    """Counts hashtags, mentions, emoji or exclamation marks in each text."""

    mode = "unit"

    def __init__(self, kind: str, message: str | None, max_: int | None, min_: int | None):
        if max_ is None and min_ is None:
            raise RuleError(f"a '{kind}' rule needs 'max' or 'min'", "max")
        self.kind = kind
        self.pattern = COUNTED[kind]
        self.max = max_
        self.min = min_
        self.message = message

    def might_match(self, lower: str, text: str) -> bool:
        if self.min is not None:
            return True
        if not _QUICK[self.kind](text):
            return False
        return len(self.pattern.findall(text)) > (self.max or 0)

    def items(self, block: Block) -> list[tuple[int, int]]:
        if self.kind == "emoji":
            return [m.span() for m in self.pattern.finditer(block.text)
                    if _EMOJI_PRESENTATION.search(m.group())]
        return [m.span() for m in self.pattern.finditer(block.text)]

    def run_unit(self, blocks: list[Block], scope: str = "all") -> list[Hit]:
        """`scope`: "all", or for a thread "caps" (max, each part) or "needs" (min, the thread)."""
        found = [(b, a, e) for b in blocks for a, e in self.items(b)]
        count = len(found)
        if self.max is not None and count > self.max and scope != "needs":
            block, a, e = found[self.max]
            message = go_format(self.message or DEFAULT_MESSAGES[self.kind], count, self.max)
            return [Hit(block, a, e, message, block.text[a:e])]
        if self.min is not None and count < self.min and blocks and scope != "caps":
            message = go_format(self.message or MIN_MESSAGES[self.kind], count, self.min)
            return [Hit(blocks[0], 0, 0, message)]
        return []


SHORTENERS = frozenset({
    "bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "buff.ly", "is.gd", "rebrand.ly",
    "cutt.ly", "tiny.cc", "lnkd.in", "shorturl.at", "t.ly", "rb.gy", "bl.ink", "short.io",
    "s.id", "v.gd", "qr.ae", "dlvr.it", "trib.al", "fb.me", "amzn.to", "youtu.be",
})


def _host_in(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


class Links(Check):
    """Link rules for each text: required link, allowed domains, shorteners, UTM."""

    mode = "unit"

    def __init__(self, message: str | None, required: bool, allowed_domains: list[str],
                 shorteners: bool, utm: list[str], utm_domains: list[str],
                 max_: int | None = None):
        if not (required or allowed_domains or not shorteners or utm or max_ is not None):
            raise RuleError("a 'links' rule needs at least one of 'required', 'max', "
                            "'allowed_domains', 'shorteners: false' or 'utm'", "required")
        self.message = message
        self.required = required
        self.max = max_
        self.allowed = tuple(d.lower().lstrip(".") for d in allowed_domains)
        self.shorteners_allowed = shorteners
        self.utm = tuple(utm)
        self.utm_domains = tuple(d.lower().lstrip(".") for d in utm_domains) or self.allowed

    def run_unit(self, blocks: list[Block], scope: str = "all") -> list[Hit]:
        """`scope`: "all", or for a thread "caps" (max and each link, each part) or
        "needs" (a required link, anywhere in the thread)."""
        hits: list[Hit] = []
        seen: set[tuple[int, int]] = set()
        links = []
        for block in blocks:
            for link in block.links:
                if (id(block.origin), link.offset) not in seen:
                    seen.add((id(block.origin), link.offset))
                    links.append((block, link))
        if self.required and not links and blocks and scope != "caps":
            message = self.message or "Add a link: this text has none (write {url} for the post)."
            hits.append(Hit(blocks[0], 0, 0, go_format(message, "")))
        if scope == "needs":
            return hits
        if self.max is not None and len(links) > self.max:
            block, link = links[self.max]
            line, column = block.origin.position(link.offset)
            message = self.message or "Use at most %[2]d links in this text (it has %[1]d)."
            hits.append(Hit(block, 0, 0, go_format(message, len(links), self.max), link.url,
                            line=line, column=column))
        for block, link in links:
            if link.placeholder:
                continue
            parts = urlsplit(link.url if "://" in link.url else "")
            host = (parts.hostname or "").lower()
            if not host:
                continue  # a relative link to this site, an anchor, mailto:
            problem = None
            if not self.shorteners_allowed and host in SHORTENERS:
                problem = f"Don't use a link shortener ({host}); link to the page itself: %s"
            elif self.allowed and not _host_in(host, self.allowed):
                problem = "Link to our own sites only; %s is not on the allowed list."
            elif self.utm and (not self.utm_domains or _host_in(host, self.utm_domains)):
                query = parse_qs(parts.query)
                missing = [p for p in self.utm if p not in query]
                if missing:
                    problem = ("Add " + ", ".join(missing)
                               + " to %s so we can see where readers come from.")
            if problem:
                line, column = block.origin.position(link.offset)
                hits.append(Hit(block, 0, 0, go_format(self.message or problem, link.url),
                                link.url, line=line, column=column))
        return hits


_ALIASES = {"author": ("authors",), "authors": ("author",),
            **{key: tuple(k for k in SUMMARY_KEYS if k != key) for key in SUMMARY_KEYS}}


class FrontMatter(Check):
    """Required keys, lengths (in characters) and image alt text, for a post's front matter."""

    mode = "doc"

    def __init__(self, message: str | None, required: list[str], max_length: dict,
                 min_length: dict, image_alt: bool):
        if not (required or max_length or min_length or image_alt):
            raise RuleError("a 'frontmatter' rule needs 'required', 'max_length', "
                            "'min_length' or 'image_alt'", "required")
        for option, value in (("max_length", max_length), ("min_length", min_length)):
            if not isinstance(value, dict) or not all(isinstance(v, int) for v in value.values()):
                raise RuleError(f"'{option}' maps keys to numbers, like {{title: 70}}", option)
        self.message = message
        self.required = tuple(required)
        self.max_length = dict(max_length)
        self.min_length = dict(min_length)
        self.image_alt = image_alt

    def run_doc(self, doc) -> list[Hit]:
        hits: list[Hit] = []
        meta = doc.meta

        def at(key: str, message: str, *args: object, value: bool = True) -> None:
            line, column = doc.line_of(key) if value else doc.key_position(key)
            hits.append(Hit(None, 0, 0, go_format(self.message or message, *args), key,
                            line=line, column=column))

        # A draft is still being written: its required keys are asked for from review on.
        drafting = str(meta.get("status") or "").strip().lower() == "draft"
        for key in () if drafting else self.required:
            # a key the loader reads in its place passes: Zola's and Hugo's `authors`
            # is an `author` (and the other way round), their `description` a `summary`
            if any(meta.get(alias) not in (None, "", [], {}) for alias in _ALIASES.get(key, ())):
                continue
            if meta.get(key) in (None, "", [], {}):
                at(key, "Add '%s' to the front matter.", key, value=False)
        for key, limit in self.max_length.items():
            value = meta.get(key)
            if isinstance(value, str) and len(regex.findall(r"\X", value.strip())) > limit:
                at(key, "'%s' is %d characters long; keep it to %d.", key,
                   len(regex.findall(r"\X", value.strip())), limit)
        for key, limit in self.min_length.items():
            value = meta.get(key)
            if isinstance(value, str) and value.strip() and \
                    len(regex.findall(r"\X", value.strip())) < limit:
                at(key, "'%s' is %d characters long; write at least %d.", key,
                   len(regex.findall(r"\X", value.strip())), limit)
        if self.image_alt and meta.get("image") and not str(meta.get("image_alt") or "").strip():
            at("image", "The image needs alt text: add 'image_alt' saying what it shows.", "image")
        return hits
