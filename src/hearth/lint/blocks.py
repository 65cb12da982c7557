"""Blocks of prose that know where each character came from.

A block is a piece of text to lint (a paragraph, a heading, a title, a channel
text) in one scope, and for every character of its text the offset it was read
from in its origin. A match is then placed exactly, even when the same words
appear twice or the text crosses emphasis and link markup. The origin turns an
offset into a (line, column) of the file: a `LineIndex` for a Markdown body or a
plain text, a `FieldOrigin` for a front-matter string traced through the YAML.

`markdown_scan` cuts a Markdown body into blocks, `markdown_inline` reads the
inline markup of each and turns a front-matter string into a block.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, overload


class Origin(Protocol):
    """Where a block's offsets point: turns an offset into a file (line, column)."""

    def position(self, offset: int) -> tuple[int, int]: ...


class LineIndex:
    """Offsets in a text → (line, column), 1-based, columns in characters.

    The line starts are found on the first question: most documents are asked
    none (no finding, no comment), and each would cost a pass over its text."""

    __slots__ = ("_starts", "base", "first_line", "text")

    def __init__(self, text: str, first_line: int = 1, base: int | None = None):
        self.text = text
        self._starts: list[int] | None = None
        self.first_line = first_line
        self.base = base  # offset of this text inside the whole file, when known

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            text = self.text
            starts = [0]
            find = text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        starts = self.starts
        idx = bisect_right(starts, offset) - 1
        return self.first_line + idx, offset - starts[idx] + 1

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


class RunOffsets(Sequence[int]):
    """The offsets of a text read in runs, each run from consecutive characters of the
    origin (a paragraph's lines, say): `origins[k] + (i - starts[k])` for the run `k`
    that holds index `i`. It stands for the list of one offset per character, which a
    long document would spend most of its preparation building and never read."""

    __slots__ = ("length", "origins", "starts")

    def __init__(self, starts: list[int], origins: list[int], length: int):
        self.starts = starts
        self.origins = origins
        self.length = length

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[int]: ...

    def __getitem__(self, i: int | slice) -> int | Sequence[int]:
        if isinstance(i, slice):
            return self._cut(*i.indices(self.length)[:2]) if i.step in (None, 1) \
                else self.tolist()[i]
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError("offset index out of range")
        k = bisect_right(self.starts, i) - 1
        return self.origins[k] + i - self.starts[k]

    def _cut(self, a: int, b: int) -> Sequence[int]:
        if b <= a:
            return range(0)
        first = bisect_right(self.starts, a) - 1
        last = bisect_right(self.starts, b - 1)
        if last - first == 1:
            start = self.origins[first] + a - self.starts[first]
            return range(start, start + b - a)
        starts = [max(s - a, 0) for s in self.starts[first:last]]
        origins = self.origins[first:last]
        origins[0] += a - self.starts[first]
        return RunOffsets(starts, origins, b - a)

    def tolist(self) -> list[int]:
        out: list[int] = []
        ends = [*self.starts[1:], self.length]
        for start, end, origin in zip(self.starts, ends, self.origins):
            out.extend(range(origin, origin + end - start))
        return out


def run_offsets(starts: list[int], origins: list[int], length: int) -> Sequence[int]:
    """The offsets of runs (see `RunOffsets`), as a plain `range` when there is one run."""
    if len(starts) == 1:
        return range(origins[0], origins[0] + length)
    return RunOffsets(starts, origins, length)


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

    def __init__(self, text: str, sections: frozenset[str], offsets: Sequence[int], origin: Any,
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
