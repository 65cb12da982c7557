"""Running the guide: a document → its blocks → each rule on the blocks in its scope.

Per document the prose is extracted once. Each rule is compiled once, when the
guide loads. Pattern rules (`existence`, `substitution`, `moderation`), the bulk
of any guide, run once over all the blocks of their scope joined by blank
lines, and each match is handed back to the block it falls in: one regex pass
per rule per document instead of one per block. A pattern that looks around
(and might see the neighbouring block) runs block by block, as does any block
a match crossed into.

Before any of that, each rule gets a cheap look at the whole document (Vale's
`MightMatch`): literals one of which every match must contain (`anchors`), a
looser pattern, a count. Most rules find nothing in most posts, and are done
after one substring search. `test_lint_engine.test_shortcuts_change_nothing`
checks that every shortcut gives the same findings as the plain way.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex

from ..diagnostics import Diagnostic, sort_diagnostics
from ..source import SourceDoc
from .checks import Hit, ScanCheck
from .blocks import Block, FieldOrigin, LineIndex
from .markdown_inline import field_block
from .markdown_scan import markdown_blocks
from .patterns import PatternError, compile_pattern
from .prose import sentence_spans
from .rules import Guide, StyleRule

SEPARATOR = "\n\n"

TITLE = frozenset({"text", "title"})
SUMMARY = frozenset({"text", "summary"})
IMAGE_ALT = frozenset({"text", "attr", "alt"})
CHANNEL = frozenset({"text", "channel"})
RAW = frozenset({"raw"})
# What Vale's document-level "summary" holds: paragraphs, list items, quotes.
_SUMMARY_PARTS = frozenset({"paragraph", "list", "blockquote"})
_SENTENCE = frozenset({"sentence"})


@dataclass
class Prepared:
    """A document cut into blocks, ready for any number of rules."""

    path: str
    blocks: list[Block]
    suppressions: Suppressions
    doc: SourceDoc | None = None
    structure: dict[str, float] | None = None
    ignored: list[tuple[tuple[int, int], tuple[int, int]]] | None = None  # (line, col) ranges
    shield: regex.Pattern | None = None
    lang: str | None = None      # the text's language: spelling rules pick their dictionary by it

    def __post_init__(self) -> None:
        self._targets: dict[Any, list[Block]] = {}
        self._joined: dict[Any, tuple[str, list[int]]] = {}
        self._sentences: dict[int, list[Block]] = {}
        self.text = SEPARATOR.join(b.text for b in self.blocks if "link" not in b.sections)
        # the same for ASCII, where `lower` is quicker
        self.lower = self.text.lower() if self.text.isascii() else self.text.casefold()
        self._sigs = [(b.sections, b.channel) for b in self.blocks]
        self._kinds = set(self._sigs)

    def targets(self, rule: StyleRule) -> list[Block]:
        """The blocks `rule` runs on, in document order. Sentences are cut from their
        paragraph only for rules that ask for them, and only from paragraphs the
        rule could fire in (a 40-word limit cannot break in a 30-word paragraph)."""
        parent_ok = getattr(rule.check, "parent_might_match", None)
        sentences = rule.selector.asks_for("sentence")
        key = (rule.scope, rule.channels, id(rule.check) if sentences and parent_ok else None)
        found = self._targets.get(key)
        if found is None:
            applies = _applies_cache.setdefault((rule.scope, rule.channels), {})

            def ok(sig: tuple[frozenset[str], str | None]) -> bool:
                decided = applies.get(sig)
                if decided is None:
                    decided = applies[sig] = rule.applies(*sig)
                return decided

            oks = {sig: ok(sig) for sig in self._kinds}
            found = []
            for b, sig in zip(self.blocks, self._sigs):
                if oks[sig]:
                    found.append(b)
                if sentences and "text" in b.sections and "heading" not in b.sections \
                        and ok((b.sections | _SENTENCE, b.channel)) \
                        and (parent_ok is None or parent_ok(b)):
                    found.extend(self.sentences(b))
            self._targets[key] = found
        return found

    def sentences(self, block: Block) -> list[Block]:
        found = self._sentences.get(id(block))
        if found is None:
            found = self._sentences[id(block)] = [
                block.sub(a, e, _SENTENCE) for a, e in sentence_spans(block.text)]
        return found

    def joined(self, rule: StyleRule, blocks: list[Block]) -> tuple[str, list[int]]:
        key = (rule.scope, rule.channels)
        found = self._joined.get(key)
        if found is None:
            starts, pos = [], 0
            for b in blocks:
                starts.append(pos)
                pos += len(b.text) + len(SEPARATOR)
            found = self._joined[key] = (SEPARATOR.join(b.text for b in blocks), starts)
        return found


# Whether a scope takes a kind of block depends on nothing else: decided once per run.
_applies_cache: dict[Any, dict[Any, bool]] = {}


# --- suppressions: <!-- hearth-ignore … --> and Vale's comments -----------------

_DIRECTIVE = regex.compile(
    r"^\s*(?:(?P<kind>hearth-ignore(?:-start|-end)?)\b(?P<ids>[^\n]*?)"
    r"|vale\s+(?P<vale>off|on)"
    r"|vale\s+(?P<set>styles?)\s*=\s*(?P<styles>[^\n]*?)"
    r"|vale\s+(?P<rule>[\w.\-]+)(?:\[(?P<matches>[^\]]*)\])?\s*=\s*(?P<state>YES|NO|on|off))"
    r"\s*$", regex.I)
_QUOTED = regex.compile(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'')
_YAML_COMMENT = regex.compile(r"(?:^|\s)#\s*(hearth-ignore(?:-start|-end)?\b[^\n]*)$")


@dataclass(frozen=True)
class Region:
    """Lines `first`..`last` where rules are silenced: those of `ids` (rule ids or
    style names; None: all), only for the matched texts of `matches` when given;
    `only`: every style but those of `ids` (Vale's `<!-- vale style = X -->`)."""

    ids: frozenset[str] | None
    first: int
    last: int
    matches: frozenset[str] | None = None
    only: bool = False

    def covers(self, rule_id: str, line: int, match: str | None) -> bool:
        if not self.first <= line <= self.last:
            return False
        style = rule_id.split(".", 1)[0] if "." in rule_id else None
        if self.only:
            return style is not None and style not in (self.ids or ())
        if self.ids is not None and rule_id not in self.ids and style not in self.ids:
            return False
        return self.matches is None or (match is not None and match.strip() in self.matches)


class Suppressions:
    """Line ranges where some rules (or all) are silenced."""

    def __init__(self) -> None:
        self.regions: list[Region] = []

    def add(self, ids: frozenset[str] | None, first: int, last: int,
            matches: frozenset[str] | None = None, only: bool = False) -> None:
        self.regions.append(Region(ids, first, last, matches, only))

    def covers(self, rule_id: str, line: int, match: str | None = None) -> bool:
        return any(r.covers(rule_id, line, match) for r in self.regions)

    @classmethod
    def build(cls, lines: list[str], comments: Iterable[tuple[str, int, int]],
              yaml_lines: range | None = None) -> Suppressions:
        """`comments`: (comment text, first line, last line); `lines`: the whole file."""
        found = cls()
        entries = [(text, first, last, False) for text, first, last in comments]
        if yaml_lines is not None:
            for number in yaml_lines:
                if 0 < number <= len(lines):
                    m = _YAML_COMMENT.search(lines[number - 1])
                    if m:
                        alone = lines[number - 1].lstrip().startswith("#")
                        entries.append((m.group(1), number if alone else number - 1,
                                        number if alone else number - 1, True))
        entries.sort(key=lambda e: e[1])
        open_regions: list[tuple[frozenset[str] | None, int]] = []
        # Vale's switches: key (rule or style, and the matches) → where it went off
        vale_open: dict[tuple[str, frozenset[str] | None], int] = {}
        styles_set: tuple[frozenset[str], int] | None = None
        for text, first, last, in_yaml in entries:
            m = _DIRECTIVE.match(text)
            if not m:
                continue
            if m.group("kind"):
                kind = m.group("kind").lower()
                ids = frozenset(i for i in regex.split(r"[\s,]+", m.group("ids").strip()) if i)
                if kind == "hearth-ignore":
                    target = _next_content_line(lines, last, in_yaml)
                    found.add(ids or None, target, target)
                elif kind == "hearth-ignore-start":
                    open_regions.append((ids or None, first))
                elif open_regions:
                    ids_, start = open_regions.pop()
                    found.add(ids_, start, last)
            elif m.group("vale"):
                if m.group("vale").lower() == "off":
                    vale_open.setdefault(("", None), first)
                elif ("", None) in vale_open:
                    found.add(None, vale_open.pop(("", None)), last)
            elif m.group("set"):
                if styles_set is not None:
                    found.add(styles_set[0], styles_set[1], last, only=True)
                names = frozenset(n for n in regex.split(r"[\s,]+", m.group("styles")) if n)
                styles_set = (names, first)
            else:
                rule = m.group("rule")
                matches = None
                if m.group("matches") is not None:
                    matches = frozenset(a or b for a, b in _QUOTED.findall(m.group("matches")))
                key = (rule, matches)
                if m.group("state").lower() in ("no", "off"):
                    vale_open.setdefault(key, first)
                elif key in vale_open:
                    found.add(frozenset({rule}), vale_open.pop(key), last, matches)
                elif matches is None:       # `Style.Rule = YES` also ends its match switches
                    for other in [k for k in vale_open if k[0] == rule]:
                        found.add(frozenset({rule}), vale_open.pop(other), last, other[1])
        end = len(lines) + 1
        for ids, start in open_regions:
            found.add(ids, start, end)
        for (rule, matches), start in vale_open.items():
            found.add(frozenset({rule}) if rule else None, start, end, matches)
        if styles_set is not None:
            found.add(styles_set[0], styles_set[1], end, only=True)
        return found


def _next_content_line(lines: list[str], after: int, yaml: bool) -> int:
    """The first line after `after` with text on it that is not just a comment."""
    for number in range(after + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if not stripped or (stripped.startswith("<!--") and stripped.endswith("-->")):
            continue
        if yaml and stripped.startswith("#"):
            continue
        return number
    return after + 1


# --- preparing documents ---------------------------------------------------------

def channel_texts(doc: SourceDoc) -> dict[str, Any]:
    """The channel texts of a post's front matter (short form or `text:`), located;
    a `thread:` gives a tuple of its parts, each located on its own."""
    found: dict[str, Any] = {}
    channels = doc.meta.get("channels")
    if not isinstance(channels, dict):
        return found
    for name, value in channels.items():
        if isinstance(value, str):
            located = doc.located("channels", name)
        elif isinstance(value, dict) and isinstance(value.get("text"), str):
            located = doc.located("channels", name, "text")
        elif isinstance(value, dict) and isinstance(value.get("thread"), list):
            located = tuple(p for i in range(len(value["thread"]))
                            if (p := doc.located("channels", name, "thread", i)) is not None)
        else:
            continue
        if located:
            found[str(name)] = located
    return found


def _frontmatter_blocks(doc: SourceDoc, key: str, file_index: LineIndex) -> list[Block]:
    """`text.frontmatter.KEY`: the front-matter value of KEY (a text, or each text of
    a list) as prose at its exact place in the file; only rules asking for it see it."""
    value = doc.meta.get(key)
    located = [doc.located(key)] if isinstance(value, str) else \
        [doc.located(key, i) for i in range(len(value))] if isinstance(value, list) else []
    sections = frozenset({"text", "frontmatter", key})
    return [field_block(loc.text, FieldOrigin(loc, file_index), sections, markdown=False,
                        group=f"frontmatter:{key}")
            for loc in located if loc is not None and loc.text.strip()]


def prepare_doc(guide: Guide, doc: SourceDoc, channels: dict[str, Any] | None) -> Prepared:
    body_start = len(doc.text) - len(doc.body)
    body_origin = LineIndex(doc.body, doc.body_line, base=body_start)
    blocks, directives = markdown_blocks(doc.body, body_origin, want_links=guide.wants_links)
    file_index = LineIndex(doc.text)
    fields: list[Block] = []
    for key, sections in (("title", TITLE), ("summary", SUMMARY), ("image_alt", IMAGE_ALT)):
        located = doc.located(key)
        if located is not None and located.text.strip():
            fields.append(field_block(located.text, FieldOrigin(located, file_index), sections,
                                      group=key))
    for key in guide.frontmatter_keys:
        fields += _frontmatter_blocks(doc, key, file_index)
    if channels is None:
        channels = channel_texts(doc)
    for name, value in channels.items():
        # a thread's parts are each one text (occurrence and metric rules count
        # per post) and one unit (consistency holds across the thread)
        parts = value if isinstance(value, (tuple, list)) else (value,)
        unit = f"channel:{name}"
        for number, located in enumerate(parts, start=1):
            if located is None or not getattr(located, "text", "").strip():
                continue
            group = unit if len(parts) == 1 else f"{unit}#{number}"
            fields.append(field_block(located.text, FieldOrigin(located, file_index), CHANNEL,
                                      markdown=False, unit=unit, channel=name, group=group))
    fields.sort(key=lambda b: b.position(0))
    config = guide.config
    if config is not None and config.skipped:      # SkippedScopes of the .vale.ini
        blocks = [b for b in blocks if not b.sections & config.skipped]
    all_blocks = fields + blocks
    if guide.wants_raw:
        all_blocks.append(Block(doc.text, RAW, range(len(doc.text)), file_index,
                                group="raw"))
    if directives or "hearth-ignore" in doc.text:   # a comment in the body or the YAML
        comments = []
        for d in directives:
            first, _ = body_origin.position(d.start)
            last, _ = body_origin.position(max(d.start, d.end - 1))
            comments.append((d.text, first, last))
        yaml_lines = range(doc.front_matter_line, doc.body_line) if doc.front_matter_line \
            else None
        suppressions = Suppressions.build(doc.text.split("\n"), comments, yaml_lines)
    else:
        suppressions = Suppressions()
    structure: dict[str, float] = {}
    for sections, count in Counter(b.sections for b in blocks).items():  # in first-seen order
        for part in _structure_parts(sections):
            structure[part] = structure.get(part, 0) + count
    ignored = _ignored_spans(doc.text, file_index, config.settings_for(doc.path).ignores) \
        if config is not None else None
    return Prepared(doc.path, all_blocks, suppressions, doc, structure, ignored or None,
                    guide.shield)


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_PARTS: dict[frozenset[str], tuple[str, ...]] = {}


def _structure_parts(sections: frozenset[str]) -> tuple[str, ...]:
    """What a block of these sections counts for in the document's structure
    (`heading_h2`, `list`, `blockquote`), decided once per set of sections."""
    found = _PARTS.get(sections)
    if found is None:
        found = _PARTS[sections] = (
            *(f"heading_{s}" for s in sections if s in _HEADINGS),
            *(s for s in ("list", "blockquote") if s in sections))
    return found


def _ignored_spans(text: str, index: LineIndex, patterns: tuple[str, ...]
                   ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the BlockIgnores and TokenIgnores of the .vale.ini match in the file."""
    spans = []
    for pattern in patterns:
        try:
            compiled = compile_pattern(pattern)
        except PatternError:
            continue            # the config reader has said so
        for m in compiled.finditer(text):
            if m.end() > m.start():
                spans.append((index.position(m.start()), index.position(m.end())))
    return spans


def prepare_text(guide: Guide, text: str, path: str, scope: str) -> Prepared:
    """A plain text (not Markdown) as one block in `scope` (`text`, `heading.h2`,
    `title`, `channel.x` …), positions counted from its first line."""
    origin = LineIndex(text, 1, base=0)
    channel = None
    parts = [p for p in scope.replace(":", ".").split(".") if p]
    if parts and parts[0] == "channel":
        channel = parts[1] if len(parts) > 1 else "channel"
        sections = CHANNEL
    else:
        sections = frozenset({"text", *parts})
    unit = f"channel:{channel}" if channel else "doc"
    block = field_block(text, origin, sections, markdown=False, unit=unit, channel=channel,
                        group=unit if channel else "body")
    blocks = [block] if block.text.strip() else []
    lines = text.split("\n")
    comments = [(m.group(1), text.count("\n", 0, m.start()) + 1, text.count("\n", 0, m.end()) + 1)
                for m in regex.finditer(r"<!--(.*?)-->", text, regex.S)]
    return Prepared(path, blocks, Suppressions.build(lines, comments), None, {},
                    shield=guide.shield)


# --- running rules ----------------------------------------------------------------

def run_rules(prepared: Prepared, rules: Iterable[StyleRule]) -> list[tuple[StyleRule, Hit]]:
    found: list[tuple[StyleRule, Hit]] = []
    lower, text = prepared.lower, prepared.text
    for rule in rules:
        check = rule.check
        if not check.might_match(lower, text):
            continue
        mode = check.mode
        if mode == "doc":
            if prepared.doc is not None and not rule.channels:
                run_doc: Any = check.run_doc  # type: ignore[attr-defined]
                found += [(rule, h) for h in run_doc(prepared.doc)]
            continue
        if mode == "document":
            found += [(rule, h) for h in _run_document(prepared, rule)]
            continue
        targets = prepared.targets(rule)
        if not targets:
            continue
        if mode == "scan":
            scan: Any = check
            found += [(rule, h) for h in _run_scan(prepared, rule, scan, targets)]
        elif mode == "unit":
            groups: dict[str, list[Block]] = {}
            threads: dict[str, list[Block]] = {}
            for b in targets:
                if "sentence" not in b.sections:
                    groups.setdefault(b.group, []).append(b)
                    if "#" in b.group:          # a thread's part (group "channel:x#2")
                        threads.setdefault(b.group.partition("#")[0], []).append(b)
            run_unit: Any = check.run_unit  # type: ignore[attr-defined]
            for group, blocks in groups.items():
                # a thread: what a rule caps holds for each part (each is one post),
                # what it asks for (a link, a hashtag) for the thread as a whole
                found += [(rule, h) for h in run_unit(blocks, "caps" if "#" in group else "all")]
            for blocks in threads.values():
                found += [(rule, h) for h in run_unit(blocks, "needs")]
        else:
            states: dict[str, dict] = {}
            for b in targets:
                state = states.get(b.unit)
                if state is None:
                    state = states[b.unit] = {"lower": lower, "lang": prepared.lang}
                found += [(rule, h) for h in check.run(b, state)]
    return found


def _run_scan(prepared: Prepared, rule: StyleRule, check: ScanCheck,
              targets: list[Block]) -> list[Hit]:
    if len(targets) == 1 or not check.context_free:
        return [Hit(b, s, e, msg, match, sugg) for b in targets
                for s, e, msg, match, sugg in check.scan(b.text)]
    joined, starts = prepared.joined(rule, targets)
    hits: list[Hit] = []
    redo: set[int] = set()
    for s, e, msg, match, sugg in check.scan(joined):
        i = bisect_right(starts, s) - 1
        block = targets[i]
        local = s - starts[i]
        if local + (e - s) > len(block.text):
            j = bisect_right(starts, max(s, e - 1)) - 1
            redo.update(range(i, min(j, len(targets) - 1) + 1))
            if local >= len(block.text) and i + 1 < len(targets):
                redo.add(i + 1)
            continue
        hits.append(Hit(block, local, local + (e - s), msg, match, sugg))
    if redo:
        redone = {id(targets[i]) for i in redo}
        hits = [h for h in hits if id(h.block) not in redone]
        for i in sorted(redo):
            b = targets[i]
            hits += [Hit(b, s, e, msg, match, sugg)
                     for s, e, msg, match, sugg in check.scan(b.text)]
    return hits


def _run_document(prepared: Prepared, rule: StyleRule) -> list[Hit]:
    check: Any = rule.check
    hits: list[Hit] = []
    if rule.channels:
        for b in prepared.blocks:
            if b.channel in rule.channels and "sentence" not in b.sections:
                measured = check.measure(b.text, {})
                if measured and measured[1]:
                    hits.append(Hit(b, 0, 0, check.finding(measured[0])))
        return hits
    parts = [b.text for b in prepared.blocks if b.group == "body" and b.sections & _SUMMARY_PARTS
             and "sentence" not in b.sections]
    if not parts:
        return hits
    measured = check.measure("\n\n".join(parts), prepared.structure or {})
    if measured and measured[1]:
        hits.append(Hit(None, 0, 0, check.finding(measured[0]), line=1, column=1))
    return hits


def to_diagnostics(prepared: Prepared, found: list[tuple[StyleRule, Hit]]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    counts: dict[str, int] = {}
    located = []
    for rule, hit in found:
        if hit.line:
            line, column = hit.line, hit.column
        elif hit.block is not None:
            line, column = hit.block.position(hit.start)
        else:
            line, column = 1, 1
        located.append((line, column, rule, hit))
    located.sort(key=lambda t: (t[0], t[1]))
    seen: set[tuple[int, int, str, str]] = set()
    ignored = prepared.ignored or ()
    for line, column, rule, hit in located:
        if prepared.suppressions.covers(rule.id, line, hit.match):
            continue
        if ignored and any(a <= (line, column) < b for a, b in ignored):
            continue
        if prepared.shield is not None and rule.vocab and _shielded(prepared.shield, hit):
            continue
        key = (line, column, rule.id, hit.message)
        if key in seen:
            continue
        seen.add(key)
        if rule.limit:
            counts[rule.id] = counts.get(rule.id, 0) + 1
            if counts[rule.id] > rule.limit:
                continue
        message = hit.message.replace("\r", "").replace("\n", " ")  # runs of spaces stay
        match = hit.match or (hit.block.text[hit.start:hit.end] if hit.block is not None else "")
        out.append(Diagnostic(prepared.path, max(1, line), max(1, column),
                              rule.level, message, rule.id,  # type: ignore[arg-type]
                              match=match, end_column=_end_column(hit, line, column, match),
                              suggestions=tuple(hit.suggestions)))
    return out


def _end_column(hit: Hit, line: int, column: int, match: str) -> int:
    """Vale's `Span[1]`: the column of the match's last character, on its first line."""
    if hit.block is not None and hit.end > hit.start and not hit.line:
        end_line, end_col = hit.block.position(hit.end - 1)
        if end_line == line and end_col >= column:
            return end_col
    first = match.split("\n", 1)[0]
    return max(1, column) + max(0, len(first) - 1)


def _shielded(shield: regex.Pattern, hit: Hit) -> bool:
    """Is the hit a part (not the whole) of an accepted term of several words?"""
    block = hit.block
    if block is None or hit.end <= hit.start:
        return False
    for m in shield.finditer(block.text):
        if m.start() <= hit.start and hit.end <= m.end() and (m.start(), m.end()) != (
                hit.start, hit.end):
            return True
        if m.start() > hit.start:
            break
    return False


def lint_doc(guide: Guide, doc: SourceDoc, lang: str | None = None,
             channels: dict[str, Any] | None = None) -> list[Diagnostic]:
    """Lint a Markdown file: its body, its title, summary and image_alt, and its
    channel texts (`channels`: name → Located text, before placeholders are filled;
    None reads them from the front matter). `lang` defaults to the post's `lang`;
    rules scoped with `lang:` run only on texts in one of their languages."""
    lang = lang or (doc.meta.get("lang") if isinstance(doc.meta.get("lang"), str) else None)
    rules = guide.rules_for(lang, doc.path)
    if not rules:
        return []
    prepared = prepare_doc(guide, doc, channels)
    prepared.lang = lang
    return sort_diagnostics(to_diagnostics(prepared, run_rules(prepared, rules)))


def preload(guide: Guide, docs: Iterable[tuple[SourceDoc, str | None]]) -> None:
    """Load now what the rules for these documents (doc, lang) will need — spelling
    dictionaries, the tagger — so that forked lint workers share one copy instead
    of each loading its own (0.5–2.4 s per dictionary and worker)."""
    for (lang, _), rules in _needed(guide, docs).items():
        for rule in rules:
            warm = getattr(rule.check, "preload", None)
            if warm is not None:
                # a failure here (a missing model) is met again, and reported, in the worker
                with contextlib.suppress(Exception):
                    warm(lang)


def needs_preload(guide: Guide, docs: Iterable[tuple[SourceDoc, str | None]]) -> bool:
    """Do the rules for these documents load anything big (`preload`)? If not, a
    worker that did not fork from a preloaded process lints them at no extra cost."""
    return any(getattr(rule.check, "preload", None) is not None
               for rules in _needed(guide, docs).values() for rule in rules)


def _needed(guide: Guide, docs: Iterable[tuple[SourceDoc, str | None]]
            ) -> dict[tuple[str | None, str], tuple[StyleRule, ...]]:
    """The rules each (language, path) of these documents is linted with."""
    needed: dict[tuple[str | None, str], tuple[StyleRule, ...]] = {}
    for doc, lang in docs:
        lang = lang or (doc.meta.get("lang") if isinstance(doc.meta.get("lang"), str) else None)
        key = (lang, doc.path if guide.config is not None else "")
        if key not in needed:
            needed[key] = guide.rules_for(lang, doc.path)
    return needed


def lint_text(guide: Guide, text: str, path: str, scope: str = "text",
              lang: str | None = None) -> list[Diagnostic]:
    """Lint plain text (no Markdown) in one scope; positions count from line 1."""
    rules = guide.rules_for(lang, path)
    if not rules:
        return []
    prepared = prepare_text(guide, text, path, scope)
    prepared.lang = lang
    return sort_diagnostics(to_diagnostics(prepared, run_rules(prepared, rules)))


__all__ = ["Prepared", "Suppressions", "channel_texts", "lint_doc", "lint_text", "needs_preload",
           "preload", "prepare_doc", "prepare_text", "run_rules", "to_diagnostics"]
