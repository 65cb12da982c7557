"""What the Jekyll and Hugo importers share: an import plan, post URLs, media
links, protected spans, positions of what is left untranslated, and the
minimal edit of hearth.toml that sets the permalink."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Callable

from ..assemble.urls import post_url
from ..diagnostics import Diagnostic, diagnostic
from ..load.bundles import post_folder
from ..load.posts import load_post
from ..settings import Settings

POST_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mkdown", ".html")
MASK_OPEN, MASK_CLOSE, MASK_CHAR = "\x02", "\x03", "\x01"
# a site-root path to a file, as a link or an image writes it: `/assets/img/a.png`
SITE_PATH = re.compile(r"(?<![\w/.:~%-])/(?:[\w.~%+@-]+/)*[\w~%+@-][\w.~%+@-]*\.[A-Za-z0-9]{1,5}\b")
RULE = "import"


@dataclass
class Context:
    """What translating one post needs: where it goes, other posts' URLs, media."""

    path: str                                   # the post's path in the hub, for messages
    post_url: Callable[[str], str | None]       # a reference to a post → its site-root URL
    media: Callable[[str], str | None]          # a link as written → `media/...`, or None
    site: dict = field(default_factory=dict)    # the site's own settings (`site.*` in Liquid)


@dataclass
class Plan:
    """What an import would write: posts (hub path → text), media (hub path →
    source file), the permalink to set, and every problem found."""

    posts: dict[str, str] = field(default_factory=dict)
    media: dict[str, Path] = field(default_factory=dict)
    permalink: str | None = None
    permalinks: dict[str, str] = field(default_factory=dict)   # sub-folder → its own pattern
    newest: date | None = None                  # the newest imported post's day
    diagnostics: list[Diagnostic] = field(default_factory=list)


def mask(text: str, start: int, end: int) -> str:
    """Text whose span is hidden from every later rewrite (a `{% raw %}` body)."""
    body = "".join("\n" if c == "\n" else MASK_CHAR for c in text[start:end])
    return text[:start] + MASK_OPEN + body + MASK_CLOSE + text[end:]


def unmask(text: str, originals: list[str]) -> str:
    spans = iter(originals)
    return re.sub(f"{MASK_OPEN}[^{MASK_CLOSE}]*{MASK_CLOSE}", lambda m: next(spans), text)


def leftovers(path: str, masked: str, originals: list[str], pattern: re.Pattern, what: str
              ) -> list[Diagnostic]:
    """A warning at `path:line:col` of the final text for each construct still there."""
    final = unmask(masked, originals)
    problems = []
    shift_spans = [(m.start(), m.end()) for m in re.finditer(
        f"{MASK_OPEN}[^{MASK_CLOSE}]*{MASK_CLOSE}", masked)]
    for match in pattern.finditer(masked):
        offset = match.start() + sum(len(original) - (end - start) for (start, end), original
                                     in zip(shift_spans, originals) if end <= match.start())
        line = final.count("\n", 0, offset) + 1
        column = offset - (final.rfind("\n", 0, offset) + 1) + 1
        shown = " ".join(match.group(0).split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        problems.append(diagnostic(path, line, column, "warning",
                                   f"{what} {shown} has no Hearth equivalent: left as is", RULE))
    return problems


def attributes(text: str) -> dict[str, str]:
    """`url="a b" alt='c' width=3` → {'url': 'a b', 'alt': 'c', 'width': '3'}."""
    found = {}
    for m in re.finditer(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""", text):
        found[m.group(1).lower()] = next(g for g in m.groups()[1:] if g is not None)
    return found


def quoted(text: str) -> bool:
    """A value given as text, not a Liquid/Go variable (`url="a.png"`, not `url=page.x`)."""
    return bool(re.search(r"""=\s*["']""", text))


def image(alt: str, src: str, caption: str = "") -> str:
    alt = alt.replace("[", "(").replace("]", ")").replace("\n", " ").strip()
    out = f"![{alt}]({src.replace(' ', '%20')})"
    if caption and caption.strip() != alt:
        out += "\n*" + " ".join(caption.split()).replace("*", r"\*") + "*"
    return out


def fence(language: str, code: str) -> str:
    language = language.strip("\"'")
    code = code.strip("\n")
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return f"{ticks}{language}\n{code}\n{ticks}"


def media_links(text: str, media: Callable[[str], str | None]) -> str:
    """Every site-root path to a copied file becomes `media/...`."""
    def swap(m: re.Match) -> str:
        return media(m.group(0)) or m.group(0)
    return SITE_PATH.sub(swap, text)


class PostIndex:
    """Every imported post under each name a source may refer to it by."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.days: dict[str, date] = {}         # hub path → the post's day as written

    def add(self, names: list[str], url: str) -> None:
        for name in names:
            self.keys.setdefault(name.strip("/"), url)

    def url(self, reference: str) -> str | None:
        ref, _, anchor = reference.strip().strip("\"'").partition("#")
        ref = ref.strip("/")
        suffix = f"#{anchor}" if anchor else ""
        candidates = [ref, PurePosixPath(ref).name, PurePosixPath(ref).stem]
        if PurePosixPath(ref).stem in ("index", "_index") and "/" in ref:
            candidates.append(PurePosixPath(ref).parent.name)
        for candidate in candidates:
            if candidate in self.keys:
                return self.keys[candidate] + suffix
            for known_suffix in POST_SUFFIXES:
                if candidate + known_suffix in self.keys:
                    return self.keys[candidate + known_suffix] + suffix
        if not ref and anchor:
            return suffix
        return None


def post_urls(posts: dict[str, str], names: dict[str, list[str]], settings: Settings,
              pattern: str, permalinks: dict[str, str] | None = None) -> PostIndex:
    """The URL each post will have in the hub, computed by Hearth's own reader
    and permalink from the files as they will be written (in a scratch folder);
    `permalinks`: the sub-folders' own patterns the import will set."""
    index = PostIndex()
    with tempfile.TemporaryDirectory(prefix="hearth-import-") as scratch:
        root = Path(scratch)
        for relpath, text in posts.items():
            target = root / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for relpath in posts:
            post, _ = load_post(root, relpath, "post", settings)
            if post is not None:
                folder = post_folder(relpath)
                own = [k for k in permalinks or {} if folder == k or folder.startswith(k + "/")]
                chosen = (permalinks or {})[max(own, key=len)] if own else pattern
                index.add(names[relpath], "/" + post_url(settings, post, chosen))
                if post.date is not None:
                    index.days[relpath] = post.date.date()
    return index


def set_setting(toml_text: str, section: str, key: str, value: str, origin: str) -> str:
    """hearth.toml with `[section] key = value` (a TOML literal) set, every other
    line kept as written."""
    line = f'{key} = {value}  # from {origin} by hearth import'
    lines = toml_text.splitlines(keepends=True)
    current = None
    section_at = None
    for number, text in enumerate(lines):
        header = re.match(r"\s*\[([^\]]+)\]\s*(#.*)?$", text)
        if header:
            current = header.group(1).strip()
            if current == section:
                section_at = number
            continue
        if current == section and re.match(rf"\s*{re.escape(key)}\s*=", text):
            lines[number] = line + "\n"
            return "".join(lines)
    if section_at is None:
        return toml_text.rstrip("\n") + f"\n\n[{section}]\n" + line + "\n" if toml_text.strip() \
            else f"[{section}]\n" + line + "\n"
    lines.insert(section_at + 1, line + "\n")
    return "".join(lines)