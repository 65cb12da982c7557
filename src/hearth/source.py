"""Reading one source file: bytes → normalized text, front matter, body, positions.

Every position Hearth reports points into the file as the writer sees it:
1-based lines and columns counted in characters, front matter included. This
module keeps, next to the values, where each front-matter value and key is
written (a compact table by key path, not the YAML node tree), so that a value
(a title, a channel text inside the front matter) can be traced back to its
line and column. A body is kept as an offset into the file's text, not a copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import os
import re
import stat
import sys
import tomllib
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from .diagnostics import Diagnostic, diagnostic
from .marks import EMPTY, MAPPING, SCALAR, SEQUENCE, STYLE_NUMBER, WIDTH, Mark, MarkTable

_BOUNDARY = frontmatter.YAMLHandler.FM_BOUNDARY
# libyaml's loader when PyYAML has it: ten times faster, and its nodes keep marks too
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# aliases may repeat a value, but not blow a few lines up into millions of values
# ("billion laughs"): past this many values beyond those written, the file is refused
MAX_ALIAS_EXPANSION = 100_000


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, except that a timestamp YAML cannot build (2026-02-30,
    an offset of +25:00) stays the text it was, for the date reader to report
    at its line instead of ending the run."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The resolver's tag, remembered for plain scalars (keys recur in every file;
        each is otherwise matched against the resolver's patterns again). With no
        path resolvers a scalar's tag depends on its text alone."""
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return self.DEFAULT_SCALAR_TAG      # quoted (or a block): what resolve gives
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_PLAIN_TAGS) < 1 << 12:
                _PLAIN_TAGS[value] = tag
        return tag


_PLAIN_TAGS: dict[str, str] = {}


def _timestamp(loader: Any, node: Any) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_LOADER = _Loader


class _YAMLProblem(Exception):
    """A YAML text Hearth will not construct: (0-based line, column, message)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _expanded_size(root: Any) -> tuple[int, int | None]:
    """(nodes written, nodes once every alias is expanded) of a node graph, without
    expanding it: an aliased node is one object reached from several places.
    None for the second when an alias refers to a value holding it (a loop)."""
    sizes: dict[int, int] = {}
    distinct: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = ([n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        if done:
            if any(id(c) not in sizes for c in children):
                return len(distinct), None     # a child still being sized: an ancestor
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            continue
        if key in sizes or key in distinct:
            continue
        distinct.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in distinct)
    return len(distinct), sizes.get(id(root), 1)


MAX_DEPTH = 200      # levels of nesting a front matter may have (positions are kept by recursion)


def _too_deep(root: Any) -> bool:
    """Whether the node tree (each node counted where it is first written) nests
    more than MAX_DEPTH levels."""
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return True
        children = ([v for _, v in node.value] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        stack.extend((c, depth + 1) for c in reversed(children))
    return False


def _first_alias(text: str) -> tuple[int, int]:
    """Where the first alias (`*name`) of a YAML text stands (0-based line, column)."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line, event.start_mark.column
    except yaml.YAMLError:
        pass
    return 0, 0


def _load_nodes(text: str) -> tuple[Any, Any]:
    """(node, value) of one YAML document; raises yaml.YAMLError or _YAMLProblem."""
    loader = _LOADER(text)
    try:
        node = _compose(loader)
        return node, None if node is None else _construct(loader, node, text)
    finally:
        loader.dispose()


def _load_marked(text: str) -> tuple[Marks, Any]:
    """(marks, value) of one YAML document, as `_marks` and `_load_nodes` give them;
    raises yaml.YAMLError or _YAMLProblem. A text without `*` holds no alias, so its
    nodes are a tree: values and marks are taken in one walk, with nothing to
    expand (the "billion laughs" check), unless a node asks for more than plain
    maps, lists and scalars (a merge key, a tag), which the constructor does."""
    loader = _LOADER(text)
    try:
        node = _compose(loader)
        if node is None:
            return EMPTY, None
        if "*" not in text:
            try:
                return _TreeWalk(loader).marked(node)
            except _NotPlain:
                pass
        value = _construct(loader, node, text)     # first: it flattens merge keys
        return _marks(node), value
    finally:
        loader.dispose()


def _compose(loader: Any) -> Any:
    try:
        return loader.get_single_node()
    except RecursionError:
        raise _YAMLProblem(0, 0, "the YAML is nested too deeply") from None


def _construct(loader: Any, node: Any, text: str) -> Any:
    """The value of a composed document, once it is known to be safe to build."""
    written, expanded = _expanded_size(node)
    if expanded is None:
        line, column = _first_alias(text)
        raise _YAMLProblem(line, column, "an alias refers to the value that holds it")
    if _too_deep(node):
        raise _YAMLProblem(0, 0, "the YAML is nested too deeply")
    if expanded - written > MAX_ALIAS_EXPANSION:
        line, column = _first_alias(text)
        raise _YAMLProblem(line, column, f"aliases expand {written:,} values into {expanded:,}; "
                           f"Hearth refuses more than {MAX_ALIAS_EXPANSION:,} repeated "
                           "values (write the values out)")
    try:
        return loader.construct_document(node)
    except RecursionError:
        raise _YAMLProblem(0, 0, "the YAML is nested too deeply") from None


@dataclass(frozen=True, slots=True)
class Located:
    """A string value from a file and where its first character stands."""

    text: str
    line: int
    column: int
    style: str | None = None  # YAML scalar style: None plain, ' " | >
    indent: int = 0           # block scalars: the column (0-based) their lines start at
    folds: tuple[tuple[int, int], ...] = ()  # `>`: (offset in text, file line) per line

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, column) of `text[offset]` in the file."""
        offset = max(0, min(offset, len(self.text)))
        if self.folds:
            start, line = next((f for f in reversed(self.folds) if f[0] <= offset),
                               self.folds[0])
            return line, self.indent + offset - start + 1
        before = self.text[:offset]
        newlines = before.count("\n")
        if self.style in ("|", ">"):
            col_in_line = offset - (before.rfind("\n") + 1)
            return self.line + newlines, self.indent + col_in_line + 1
        if newlines == 0:
            return self.line, self.column + offset
        # a plain or quoted scalar folded over lines: good to the line
        return self.line + newlines, offset - before.rfind("\n")


Marks = MarkTable           # key path (mapping keys as written, list indices) → Mark


def _marks(root: Any) -> Marks:
    """The key path → Mark table of a YAML node tree, in document order. A key
    written twice keeps its first value (as the lookups of a node tree did); the
    later one is kept under a path no key leads to (`children` still lists it)."""
    index: dict[tuple, int] = {}
    values: list[int] = []
    paths: dict[int, tuple] = {}          # id(node) → its path, for aliases
    hidden = 0

    def add(node: Any, path: tuple, key: Any) -> None:
        nonlocal hidden
        key_line, key_column = (key.start_mark.line, key.start_mark.column) if key is not None \
            else (-1, -1)
        if id(node) in paths:              # an alias: the value it repeats, under its own key
            target = index[paths[id(node)]] * WIDTH
            fields = values[target:target + WIDTH]
            fields[6:8] = key_line, key_column
            if fields[9] < 0:
                fields[9] = target // WIDTH
            index[path] = len(index)
            values.extend(fields)
            return
        paths[id(node)] = path
        kind = (MAPPING if isinstance(node, yaml.MappingNode)
                else SEQUENCE if isinstance(node, yaml.SequenceNode) else SCALAR)
        start, end = node.start_mark, node.end_mark
        index[path] = len(index)
        values.extend((kind, start.line, start.column, end.line, end.column,
                       STYLE_NUMBER[node.style] if kind == SCALAR else 0, key_line, key_column,
                       len(node.value) if kind == SEQUENCE else 0, -1))
        if kind == MAPPING:
            for k, v in node.value:
                step = sys.intern(k.value) if isinstance(k, yaml.ScalarNode) else None
                if step is None or path + (step,) in index:
                    hidden += 1
                    step = (step, hidden)      # not a string: no lookup reaches it
                add(v, path + (step,), k)
        elif kind == SEQUENCE:
            for number, item in enumerate(node.value):
                add(item, path + (number,), None)

    if root is not None:
        add(root, (), None)
    return MarkTable(index, values) if index else EMPTY


_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALARS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))


class _NotPlain(Exception):
    """A node the tree walk leaves to PyYAML's constructor (a merge key, a tag,
    a key that is no scalar, a value its constructor refuses)."""


class _TreeWalk:
    """A YAML node tree (no aliases) → (its marks, as `_marks` takes them; its value,
    as the safe constructor builds it), in one walk; nesting deeper than MAX_DEPTH
    is refused first, as `_construct` does."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.constructors = loader.yaml_constructors
        self.index: dict[tuple, int] = {}       # as MarkTable takes them
        self.values: list[int] = []
        self.hidden = 0

    def marked(self, root: Any) -> tuple[Marks, Any]:
        value = self.value(root, (), -1, -1, 1)
        return MarkTable(self.index, self.values), value

    def scalar(self, node: Any) -> Any:
        if node.tag == _STR:
            return node.value
        try:
            return self.constructors[node.tag](self.loader, node)
        except Exception:       # its error is the constructor's to raise, in its order
            raise _NotPlain from None

    def value(self, node: Any, path: tuple, key_line: int, key_column: int, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _YAMLProblem(0, 0, "the YAML is nested too deeply")
        tag, start, end, kind = node.tag, node.start_mark, node.end_mark, type(node)
        index = self.index
        if kind is _SCALAR_NODE and tag in _PLAIN_SCALARS:
            index[path] = len(index)
            self.values += (SCALAR, start.line, start.column, end.line, end.column,
                            STYLE_NUMBER[node.style], key_line, key_column, 0, -1)
            if tag != _STR:
                return self.scalar(node)
            value = node.value
            # a short text recurs (a tag, an author, a status): one string for all files
            return sys.intern(value) if len(value) <= _INTERNED else value
        if kind is _SEQUENCE_NODE and tag == _SEQ:
            items = node.value
            index[path] = len(index)
            self.values += (SEQUENCE, start.line, start.column, end.line, end.column, 0,
                            key_line, key_column, len(items), -1)
            return [self.value(item, (*path, number), -1, -1, depth + 1)
                    for number, item in enumerate(items)]
        if kind is _MAPPING_NODE and tag == _MAP:
            index[path] = len(index)
            self.values += (MAPPING, start.line, start.column, end.line, end.column, 0,
                            key_line, key_column, 0, -1)
            mapping: dict = {}
            for key_node, value_node in node.value:
                if type(key_node) is not _SCALAR_NODE or key_node.tag not in _PLAIN_SCALARS:
                    raise _NotPlain
                step: Any = sys.intern(key_node.value)
                # a text key is the interned text: one string for every file's `title`
                key = step if key_node.tag == _STR else self.scalar(key_node)
                if (*path, step) in index:
                    self.hidden += 1
                    step = (step, self.hidden)     # as `_marks` keeps a key written twice
                key_mark = key_node.start_mark
                mapping[key] = self.value(value_node, (*path, step), key_mark.line,
                                          key_mark.column, depth + 1)
            return mapping
        raise _NotPlain


_SCALAR_NODE, _SEQUENCE_NODE, _MAPPING_NODE = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_INTERNED = 40      # texts up to this long are interned


@dataclass(frozen=True, init=False, slots=True)
class SourceDoc:
    """A text file of the hub, read and split, with positions kept."""

    path: str                   # relative to the hub root, forward slashes
    text: str                   # whole file: BOM stripped, line endings as \n (None once released)
    meta: dict[str, Any]        # the front matter as Python values ({} if none)
    body_start: int             # where the body (what follows the front matter) starts in text
    body_line: int              # the file line the body starts on
    front_matter_line: int = 0  # the file line of the first YAML line (0: none)
    marks: Marks = field(default=EMPTY, repr=False, compare=False)   # YAML positions
    key_lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)  # TOML

    def __init__(self, path: str, text: str, meta: dict[str, Any], body: str, body_line: int,
                 front_matter_line: int = 0, node: Any = None,
                 key_lines: dict[str, int] | None = None, marks: Marks | None = None) -> None:
        """`body` must be the end of `text` (it is kept as an offset, not a copy);
        `node` is the YAML node tree of the front matter (kept as its marks), or
        `marks` those marks already taken."""
        if not text.endswith(body):
            raise ValueError("a SourceDoc's body is the end of its text")
        for name, value in (("path", path), ("text", text), ("meta", meta),
                            ("body_start", len(text) - len(body)), ("body_line", body_line),
                            ("front_matter_line", front_matter_line),
                            ("marks", marks if marks is not None else _marks(node)),
                            ("key_lines", key_lines if key_lines is not None else {})):
            object.__setattr__(self, name, value)

    @property
    def body(self) -> str:
        """What follows the front matter."""
        if self.text is None:
            raise RuntimeError(f"{self.path}: its text was released (`release`) and is read again")
        return self.text[self.body_start:]

    def release(self) -> None:
        """Let go of the text: a one-off build, once nothing will read it again
        (`assemble.site.Site.release_texts`); `text` is None from then on."""
        object.__setattr__(self, "text", None)

    def body_position(self, offset: int) -> tuple[int, int]:
        """The (line, column) in the file of `body[offset]`."""
        if offset < 0:
            before = self.body[:offset]
            return self.body_line + before.count("\n"), offset - (before.rfind("\n") + 1) + 1
        start = self.body_start
        end = start + max(0, offset)
        newlines = self.text.count("\n", start, end)
        line_start = max(self.text.rfind("\n", start, end) + 1, start)
        return self.body_line + newlines, end - line_start + 1

    def _walk(self, keys: tuple) -> tuple[Mark | None, Mark | None, tuple]:
        """(the mark of the last key found, the value's mark, its path in `marks`) for
        a path of keys and list indices: a mapping's key as text, a list's index as an
        int; aliases followed to the value they repeat."""
        marks = self.marks
        path: tuple = ()
        mark, key_mark = marks.get(path), None
        if mark is None:
            return None, None, path
        for key in keys:
            if mark.kind == MAPPING:
                step: Any = str(key)
            elif mark.kind == SEQUENCE and isinstance(key, int):
                if key >= mark.size:
                    return key_mark, None, path
                step = key + mark.size if key < 0 else key
            else:
                return key_mark, None, path
            found = marks.get(path + (step,))
            if found is None:
                return key_mark, None, path
            if mark.kind == MAPPING:
                key_mark = found
            mark, path = found, found.link or path + (step,)
        return key_mark, mark, path

    def _value_mark(self, keys: tuple) -> tuple[Mark | None, Mark | None]:
        key_mark, mark, _ = self._walk(keys)
        return key_mark, mark

    def children(self, *keys: Any) -> list[tuple[str, Mark]]:
        """(key, mark) of each entry of the mapping at `keys` written with a plain
        key, in file order, a key written twice included; [] if it is no mapping."""
        _, mark, path = self._walk(keys)
        if mark is None or mark.kind != MAPPING:
            return []
        depth, found = len(path) + 1, []
        for p, m in self.marks.items():
            if len(p) == depth and p[:-1] == path:
                name = p[-1] if isinstance(p[-1], str) else p[-1][0]
                if name is not None:
                    found.append((name, m))
        return found

    def line_of(self, *keys: Any) -> tuple[int, int]:
        """Where the value at `keys` starts; its key, or the front matter, if absent."""
        key_mark, mark = self._value_mark(keys)
        if mark is None and key_mark is None or not self.marks:
            for key in keys[:1] + keys[-1:]:      # TOML front matter: lines only (a table's
                if str(key) in self.key_lines:    # key: its first `key =` line)
                    return self.key_lines[str(key)], 1
            return max(1, self.front_matter_line - 1), 1
        if mark is not None:
            return self.front_matter_line + mark.line, mark.column + 1
        return self.front_matter_line + key_mark.key_line, key_mark.key_column + 1

    def key_position(self, *keys: Any) -> tuple[int, int]:
        """Where the last key of `keys` itself is written (for 'unknown key'
        messages); where its value is, or the front matter, if there is no key."""
        key_mark, mark = self._value_mark(keys)
        if key_mark is None or mark is None:
            return self.line_of(*keys)
        return self.front_matter_line + key_mark.key_line, key_mark.key_column + 1

    def located(self, *keys: Any) -> Located | None:
        """The string at `keys` with its position, or None if absent or not a string."""
        _, mark = self._value_mark(keys)
        if mark is None or mark.kind != SCALAR:
            return None
        value = _scalar_value(self.meta, keys)
        if not isinstance(value, str):
            return None
        line = self.front_matter_line + mark.line
        column = mark.column + 1
        if mark.style in ("|", ">"):
            first = self.front_matter_line + mark.line + 1
            indent = _block_indent(self.text, first)
            folds = _folds(self.text, first, indent, value) if mark.style == ">" else ()
            return Located(value, first, indent + 1, mark.style, indent, folds)
        if mark.style in ("'", '"'):
            column += 1
        return Located(value, line, column, mark.style)


def _scalar_value(meta: Any, keys: tuple) -> Any:
    value = meta
    for key in keys:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _folds(text: str, first: int, indent: int, value: str) -> tuple[tuple[int, int], ...]:
    """Where each line of a folded (`>`) scalar starts in its value: lines joined by
    a space, blank lines kept as newlines. Empty when the value does not agree."""
    folds, pos, pending_blank, started = [], 0, 0, False
    for number, raw in enumerate(text.split("\n")[first - 1:], start=first):
        if raw.strip() and len(raw) - len(raw.lstrip(" ")) < indent:
            break                               # the scalar has ended
        content = raw[indent:] if raw.strip() else ""
        if not content:
            pending_blank += 1
            continue
        if started:
            pos += pending_blank if pending_blank else 1    # "\n"s, or the folding space
        pending_blank, started = 0, True
        if value[pos:pos + len(content)] != content:
            return ()
        folds.append((pos, number))
        pos += len(content)
    return tuple(folds)


def _block_indent(text: str, line: int) -> int:
    lines = text.split("\n")
    for raw in lines[line - 1:]:
        if raw.strip():
            return len(raw) - len(raw.lstrip(" "))
    return 0


def _best_mark(err: yaml.MarkedYAMLError, text: str):
    """Where to point: the problem, unless it was only noticed at the end of the
    text (an unclosed bracket or quote); then where the unclosed thing opened."""
    problem, context = err.problem_mark, err.context_mark
    if problem is not None and context is not None and problem.index >= len(text.rstrip()):
        return context
    return problem or context


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes → text with a BOM stripped and CRLF/CR turned into LF."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, err.start) + 1:err.start].decode("utf-8", "replace")) + 1
        return None, [diagnostic(path, line, column, "error",
                                 f"file is not UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8",
                                 "encoding")]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


_TOML_BOUNDARY = re.compile(r"^\+{3}[ \t]*$", re.MULTILINE)   # python-frontmatter needs `toml` for its own


def parse_toml(path: str, text: str) -> tuple[SourceDoc, list[Diagnostic]]:
    """Hugo's TOML front matter between `+++` lines (migrated blogs use it)."""
    start = _TOML_BOUNDARY.match(text)
    closing = _TOML_BOUNDARY.search(text, start.end())
    if closing is None:
        return SourceDoc(path, text, {}, "", 1), [diagnostic(
            path, 1, 1, "error", "front matter opens with '+++' but is never closed", "front-matter")]
    fm_text = text[start.end():closing.start()]
    fm_line = text.count("\n", 0, start.end()) + 1
    body_offset = closing.end() + (1 if text.startswith("\n", closing.end()) else 0)
    body, body_line = text[body_offset:], text.count("\n", 0, body_offset) + 1
    try:
        meta = tomllib.loads(fm_text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+), column (\d+)", str(err))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        return SourceDoc(path, text, {}, body, body_line, fm_line), [diagnostic(
            path, fm_line + line - 1, column, "error", f"invalid TOML in front matter: {err}", "toml")]
    key_lines = {}
    for number, line in enumerate(fm_text.split("\n")):
        key = re.match(r"\s*[\"']?([\w-]+)[\"']?\s*=", line)
        if key and key.group(1) not in key_lines:
            key_lines[key.group(1)] = fm_line + number
    return SourceDoc(path, text, meta, body, body_line, fm_line, None, key_lines), []


def parse(path: str, text: str) -> tuple[SourceDoc, list[Diagnostic]]:
    """Split front matter from body and load the YAML, keeping positions."""
    if _TOML_BOUNDARY.match(text):
        return parse_toml(path, text)
    start = _BOUNDARY.match(text)
    if not start:
        return SourceDoc(path, text, {}, text, 1), []
    # python-frontmatter's split, without copying the body: the text between the
    # first boundary line and the next
    end = _BOUNDARY.search(text, start.end())
    if end is None:
        return SourceDoc(path, text, {}, "", 1), [diagnostic(
            path, 1, 1, "error", "front matter opens with '---' but is never closed", "front-matter")]
    fm_text = text[start.end():end.start()]
    fm_offset = start.end()
    fm_line = text.count("\n", 0, fm_offset) + 1
    body_offset = fm_offset + len(fm_text)
    closing = _BOUNDARY.match(text, body_offset)
    body_offset = closing.end() if closing else body_offset
    if text.startswith("\n", body_offset):
        body_offset += 1
    body = text[body_offset:]
    body_line = text.count("\n", 0, body_offset) + 1
    try:
        marks, meta = _load_marked(fm_text)
    except _YAMLProblem as err:
        return SourceDoc(path, text, {}, body, body_line, fm_line), [diagnostic(
            path, fm_line + err.line, err.column + 1, "error",
            f"invalid YAML in front matter: {err.message}", "yaml")]
    except yaml.MarkedYAMLError as err:
        mark = _best_mark(err, fm_text)
        line = fm_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 1
        problem = " ".join(p for p in (err.context, err.problem) if p)
        return SourceDoc(path, text, {}, body, body_line, fm_line), [
            diagnostic(path, line, column, "error", f"invalid YAML in front matter: {problem}", "yaml")]
    except yaml.YAMLError as err:
        return SourceDoc(path, text, {}, body, body_line, fm_line), [
            diagnostic(path, fm_line, 1, "error", f"invalid YAML in front matter: {err}", "yaml")]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return SourceDoc(path, text, {}, body, body_line, fm_line), [diagnostic(
            path, fm_line, 1, "error", "front matter must be a mapping of keys to values", "front-matter")]
    meta = {str(k): v for k, v in meta.items()}
    return SourceDoc(path, text, meta, body, body_line, fm_line, marks=marks), []


_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _refusal(path: str, mode: int) -> Diagnostic:
    what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    advice = ": put the file itself here" if stat.S_ISLNK(mode) else ""
    return diagnostic(path, 1, 1, "error", f"not read: {what}; Hearth reads only regular files "
                      f"inside the hub{advice}", "files")


def not_regular(root: Path, relpath: str) -> Diagnostic | None:
    """Why `relpath` may not be read as one of the hub's files, or None if it may.

    Only regular files inside the hub are read: a symbolic link (to a file
    outside, to /proc/self/environ, even to another file of the hub), a folder
    reached through one, a named pipe or a device is refused, so nothing from
    outside the hub's own files reaches the output, and nothing hangs the
    build. The error names the first part of the path that is not plain."""
    parts = relpath.split("/")
    base = os.fspath(root)          # joined as text: a Path per folder costs more than its lstat
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        try:
            mode = os.lstat(os.path.join(base, prefix)).st_mode
        except OSError as err:
            return diagnostic(relpath, 1, 1, "error", f"cannot read the file: {err.strerror or err}",
                              "files")
        plain = stat.S_ISREG(mode) if depth == len(parts) else stat.S_ISDIR(mode)
        if not plain:
            return _refusal(prefix, mode)
    return None


def read_bytes(root: Path, relpath: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of one regular file inside the hub (see `not_regular`), or the
    reason it was not read. The file is opened without following a link and
    without blocking, so one swapped in after the check is refused too."""
    refused = not_regular(root, relpath)
    if refused is not None:
        return None, [refused]
    try:
        handle = os.open(os.path.join(os.fspath(root), relpath), _READ_FLAGS)
    except OSError as err:
        return None, [diagnostic(relpath, 1, 1, "error", f"cannot read the file: {err.strerror or err}",
                                 "files")]
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            return None, [_refusal(relpath, status.st_mode)]
        try:
            chunks = [os.read(handle, status.st_size + 1)]
            while chunks[-1]:                   # to the end, should it have grown
                chunks.append(os.read(handle, 1 << 20))
        except OSError as err:
            return None, [diagnostic(relpath, 1, 1, "error",
                                     f"cannot read the file: {err.strerror or err}", "files")]
        return chunks[0] if len(chunks) <= 2 else b"".join(chunks), []
    finally:
        os.close(handle)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_text(root: Path, relpath: str) -> tuple[str | None, list[Diagnostic]]:
    """One regular file of the hub (see `read_bytes`) as normalized text (see `decode`)."""
    raw, problems = read_bytes(root, relpath)
    if raw is None:
        return None, problems
    return decode(relpath, raw)


def read(root: Path, relpath: str) -> tuple[SourceDoc | None, list[Diagnostic]]:
    """Read and parse one regular file of the hub."""
    text, problems = read_text(root, relpath)
    if text is None:
        return None, problems
    return parse(relpath, text)


def load_yaml(path: str, text: str) -> tuple[Any, Any, list[Diagnostic]]:
    """A whole YAML file (channels.yml, rules.yml): (value, node, diagnostics)."""
    try:
        node, value = _load_nodes(text)
    except _YAMLProblem as err:
        return None, None, [diagnostic(path, err.line + 1, err.column + 1, "error",
                                       f"invalid YAML: {err.message}", "yaml")]
    except yaml.MarkedYAMLError as err:
        mark = _best_mark(err, text)
        problem = " ".join(p for p in (err.context, err.problem) if p)
        return None, None, [diagnostic(path, (mark.line + 1) if mark else 1,
                                       (mark.column + 1) if mark else 1, "error",
                                       f"invalid YAML: {problem}", "yaml")]
    except yaml.YAMLError as err:
        return None, None, [diagnostic(path, 1, 1, "error", f"invalid YAML: {err}", "yaml")]
    return value, node, []


def yaml_doc(path: str, text: str) -> tuple[SourceDoc, list[Diagnostic]]:
    """A whole YAML file as a SourceDoc whose `meta` is the top-level mapping,
    so `line_of` and `located` work for it as for front matter."""
    value, node, problems = load_yaml(path, text)
    if problems:
        return SourceDoc(path, text, {}, "", 1, 1), problems
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return SourceDoc(path, text, {}, "", 1, 1), [diagnostic(
            path, 1, 1, "error", "expected a mapping of keys to values at the top level", "yaml")]
    return SourceDoc(path, text, value, "", 1, 1, node), []
