"""Hugo → Hugo's posts sections (`content/posts`, `post`, `blog`, and any
section the config's `[permalinks]` names): the first into `content/posts`,
each other one into `content/posts/<section>/`; page bundles kept whole
(`<folder>/index.md` with its files beside it); shortcodes rewritten where
Hearth has an equivalent; the config's `[permalinks]` as `[site] permalink`
for the first section and a `[permalinks]` entry for each other one whose
pattern differs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path, PurePosixPath

import yaml

from ..diagnostics import diagnostic
from ..settings import Settings
from ..source import decode
from .rewrite import (POST_SUFFIXES, RULE, Context, Plan, attributes, fence, image, leftovers,
                      mask, media_links, post_urls, unmask)

SECTIONS = ("posts", "post", "blog")
LANG_DIR = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")     # en, pt-br, zh-Hant
CONFIGS = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml", "config.yml",
           "config/_default/hugo.toml", "config/_default/config.toml")
OPEN = r"\{\{([<%])\s*"
CLOSE = r"\s*[>%]\}\}"
ESCAPED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)
NOTE_NAMES = "note|tip|tips|warning|info|caution|important|danger|notice|admonition|alert|callout|hint"
NOTE = re.compile(OPEN + rf"({NOTE_NAMES})\b([^>%]*?)" + CLOSE + r"[ \t]*\n?(.*?)\n?[ \t]*"
                  + r"\{\{[<%]\s*/\s*\2" + CLOSE, re.S)
HIGHLIGHT = re.compile(OPEN + r"highlight\s+(\S+)[^>%]*?" + CLOSE + r"[ \t]*\n?(.*?)"
                       + r"\{\{[<%]\s*/\s*highlight" + CLOSE, re.S)
FIGURE = re.compile(OPEN + r"figure\s+(.*?)\s*/?" + CLOSE, re.S)
REF = re.compile(OPEN + r"(?:rel)?ref\s+(?:\"([^\"]*)\"|'([^']*)'|([^\s>%\"']+))" + CLOSE)
YOUTUBE = re.compile(OPEN + r"youtube\s+(?:id\s*=\s*)?[\"']?([\w-]+)[\"']?[^>%]*?" + CLOSE)
VIMEO = re.compile(OPEN + r"vimeo\s+(?:id\s*=\s*)?[\"']?(\d+)[\"']?[^>%]*?" + CLOSE)
SHORTCODE = re.compile(r"\{\{[<%].{0,300}?[>%]\}\}", re.S)
LINK_TARGET = re.compile(r"""(\]\(\s*<?|\bsrc\s*=\s*["']?|\bhref\s*=\s*["']?|^(?:image|cover|"""
                         r"""thumbnail|featured_image)\s*[:=]\s*["']?)([^\s)"'<>]+)""", re.M)
LABELED = ("notice", "admonition", "alert", "callout", "hint")


def translate(text: str, ctx: Context) -> tuple[str, list]:
    """One post's text with shortcodes rewritten; a warning for each one kept."""
    originals: list[str] = []
    while (m := ESCAPED.search(text)) is not None:
        literal = "{{" + m.group(1) + m.group(2) + m.group(3) + "}}"
        originals.append(literal)
        start = m.start()
        text = text[:start] + literal + text[m.end():]
        text = mask(text, start, start + len(literal))
    text = HIGHLIGHT.sub(lambda m: fence(m.group(2), m.group(3)), text)
    text = NOTE.sub(_note, text)
    text = FIGURE.sub(lambda m: _figure(m, ctx), text)
    text = REF.sub(lambda m: ctx.post_url(next(g for g in m.groups()[1:] if g is not None))
                   or m.group(0), text)
    text = YOUTUBE.sub(lambda m: _video(f"https://www.youtube.com/watch?v={m.group(2)}"), text)
    text = VIMEO.sub(lambda m: _video(f"https://vimeo.com/{m.group(2)}"), text)
    text = LINK_TARGET.sub(lambda m: m.group(1) + (ctx.media(m.group(2)) or m.group(2)), text)
    text = media_links(text, ctx.media)
    problems = leftovers(ctx.path, text, originals, SHORTCODE, "Hugo shortcode")
    return unmask(text, originals), problems


def _video(url: str) -> str:
    return f"[{url}]({url})"


def _note(m: re.Match) -> str:
    name, args, body = m.group(2), m.group(3).strip(), m.group(4)
    words = re.findall(r"""["']([^"']+)["']|(\S+)""", args)
    first = next((a or b for a, b in words), "")
    if "=" in first:
        first = attributes(args).get("type", "") or attributes(args).get("title", "")
    label = (first if name in LABELED and first else name).strip("\"'").capitalize()
    lines = body.strip("\n").split("\n")
    return "\n".join([f"> **{label}**", ">"] + [f"> {line}".rstrip() for line in lines])


def _figure(m: re.Match, ctx: Context) -> str:
    attrs = attributes(m.group(2))
    src = attrs.get("src")
    if not src or "{{" in src:
        return m.group(0)
    src = ctx.media(src) or src
    alt = attrs.get("alt") or attrs.get("title") or attrs.get("caption", "")
    caption = attrs.get("caption") or (attrs.get("title", "") if attrs.get("alt") else "")
    return image(alt, src, re.sub(r"<[^>]+>", "", caption))


TOKENS = {":year": "{year}", ":month": "{month}", ":day": "{day}", ":slug": "{slug}",
          ":title": "{slug}", ":filename": "{slug}", ":contentbasename": "{slug}",
          ":slugorfilename": "{slug}", ":slugorcontentbasename": "{slug}"}


def read_config(src: Path) -> tuple[dict, str | None]:
    for name in CONFIGS:
        path = src / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            try:
                data = tomllib.loads(text) if name.endswith(".toml") else yaml.safe_load(text)
            except (tomllib.TOMLDecodeError, yaml.YAMLError):
                return {}, name
            return (data if isinstance(data, dict) else {}), name
    return {}, None


def content_sections(src: Path, config: dict | None = None) -> list[str]:
    """The blog sections under `content/`: `posts`, `post`, `blog` and the
    sections the config's `[permalinks]` names (`news`), else the same in each
    language folder (`content/en/post`, Hugo's multilingual layout by folder)."""
    content = src / "content"
    named = [str(k) for k in _permalinks(config or {}) if str(k) not in SECTIONS]
    found = [s for s in (*SECTIONS, *sorted(named)) if (content / s).is_dir()]
    if found or not content.is_dir():
        return found
    languages = sorted(d.name for d in content.iterdir() if d.is_dir() and LANG_DIR.match(d.name))
    return [f"{lang}/{s}" for lang in languages for s in SECTIONS if (content / lang / s).is_dir()]


def _permalinks(config: dict) -> dict:
    """Hugo's `[permalinks]` (or its newer `[permalinks.page]`), section → pattern."""
    links = config.get("permalinks") or {}
    if isinstance(links, dict) and isinstance(links.get("page"), dict):
        links = links["page"]
    return links if isinstance(links, dict) else {}


def permalink_from(config: dict, section: str) -> tuple[str | None, str]:
    """Hugo's `[permalinks]` for the section → (Hearth's pattern or None, what could not be kept)."""
    given = _permalinks(config).get(section)
    if not given:
        given = f"/{section}/:slugorfilename/"       # Hugo's default for a section's pages
    if not isinstance(given, str):
        return None, f"permalink {given!r} is not text"
    pattern = given.replace(":section", section)
    for token, field in sorted(TOKENS.items(), key=lambda kv: -len(kv[0])):
        pattern = pattern.replace(token, field)
    unknown = re.findall(r":\w+", pattern)
    if unknown:
        return None, f"{', '.join(unknown)} in '{given}' has no Hearth equivalent"
    notes = ""
    if ":title" in given:
        notes = ("Hugo's :title is the title made a slug, Hearth's {slug} the file name or the "
                 "front matter's slug: set slug where they differ")
    pattern = pattern.strip("/")
    if "{slug}" not in pattern:
        return None, f"'{given}' has no :slug, :title or :filename"
    return (pattern if pattern.endswith(".html") else pattern + "/"), notes


def plan(src: Path, settings: Settings, hub_pattern: str) -> Plan:
    result = Plan()
    config, config_name = read_config(src)
    sections = content_sections(src, config)
    section = sections[0].rpartition("/")[2] if sections else "posts"
    pattern, notes = permalink_from(config, section)
    where = config_name or "hugo.toml"
    if pattern is None:
        result.diagnostics.append(diagnostic(where, 1, 1, "warning", f"permalink not set: {notes}",
                                             RULE))
    else:
        result.permalink = pattern
        if notes:
            result.diagnostics.append(diagnostic(where, 1, 1, "warning",
                                                 f"permalink set to '{pattern}', but {notes}", RULE))
    # a second section (`content/news` beside `content/posts`) is a sub-folder of
    # content/posts with its own [permalinks] entry when its pattern differs
    folders = {name: _folder(name, index, sections) for index, name in enumerate(sections)}
    for name in sections[1:]:
        if "/" in name:
            continue
        own, own_notes = permalink_from(config, name)
        if own is None:
            result.diagnostics.append(diagnostic(where, 1, 1, "warning", f"permalink for "
                                                 f"section '{name}' not set: {own_notes}", RULE))
        elif own != (result.permalink or hub_pattern):
            result.permalinks[name] = own
    texts: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    bundles: dict[str, Path] = {}
    for name in sections:
        base = src / "content" / name
        into = folders[name]
        bundle_dirs = {f.parent for f in base.rglob("index.*") if f.suffix in POST_SUFFIXES
                       and f.parent != base}
        for file in sorted(base.rglob("*")):
            rel = file.relative_to(src).as_posix()
            inside = file.relative_to(base)
            if not file.is_file() or any(p.startswith(".") for p in inside.parts):
                continue
            home = next((d for d in file.parents if d in bundle_dirs), None)
            if file.parent in bundle_dirs and file.name in ("index.md", "index.markdown",
                                                            "index.html"):
                # a page bundle stays one: content/posts/<folder>/index.md, its files beside
                target = into + inside.as_posix()
                bundles[target] = file.parent
                keys = [rel, inside.as_posix(), inside.parent.as_posix(), file.parent.name]
            elif file.name.startswith("_index."):
                result.diagnostics.append(diagnostic(rel, 1, 1, "warning",
                                                     "a section's list page: not copied", RULE))
                continue
            elif home is not None:
                if file.suffix not in POST_SUFFIXES:
                    result.media[into + inside.as_posix()] = file
                continue
            elif file.suffix in POST_SUFFIXES:
                target = into + inside.as_posix()
                keys = [rel, inside.as_posix(), f"{name}/{inside.as_posix()}", file.name, file.stem]
            else:
                continue
            text, problems = decode(rel, file.read_bytes())
            if text is None:
                result.diagnostics += problems
                continue
            texts[target] = text
            names[target] = keys
    index = post_urls(texts, names, settings, result.permalink or hub_pattern, result.permalinks)
    result.newest = max(index.days.values(), default=None)

    def media_in(bundle: Path | None):
        def media(link: str) -> str | None:
            rel = link.split("?")[0].split("#")[0]
            if not rel or "://" in rel or ".." in rel.split("/") or rel.endswith(POST_SUFFIXES):
                return None
            if not rel.startswith("/"):
                return None         # a bundle's own file, copied beside it: works as written
            file = src / "static" / rel.lstrip("/")
            target = rel.lstrip("/")
            if not file.is_file():
                return None
            result.media["content/media/" + target] = file
            return "media/" + target
        return media

    for target, text in texts.items():
        ctx = Context(target, index.url, media_in(bundles.get(target)))
        result.posts[target], problems = translate(text, ctx)
        result.diagnostics += problems
    return result


def _folder(name: str, index: int, sections: list[str]) -> str:
    """Where a section's posts go: the first into content/posts, another one
    into content/posts/<section>/, a language's (`en/post`) into content/posts/<lang>/."""
    if "/" in name:
        return "content/posts/" + name.partition("/")[0] + "/"
    return "content/posts/" if index == 0 else f"content/posts/{name}/"
