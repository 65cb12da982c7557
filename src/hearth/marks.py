"""Where each front-matter value is written: a compact table, by key path.

A hub holds one table per file for as long as the model lives (lint, validation
and serve's rebuilds point problems at these positions). A table is a flat
array of ints, ten per value, and the key paths with their index are shared
by every file whose front matter has the same shape (the same keys, in the same
order: most of a hub's posts), so a file costs its ints and little more: a
fifth of a dict of `Mark` tuples.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import NamedTuple

SCALAR, MAPPING, SEQUENCE = 0, 1, 2


class Mark(NamedTuple):
    """Where one front-matter value is written (0-based, in the YAML text), and its key.

    The compact stand-in for a YAML node: a front matter's marks are kept, by
    key path, instead of the node tree they came from."""

    kind: int               # SCALAR, MAPPING or SEQUENCE
    line: int               # where the value starts
    column: int
    end_line: int           # where it ends (often where what follows starts)
    end_column: int
    style: str | None       # a scalar's YAML style: None or "" plain, ' " | >
    key_line: int           # its key (-1: a list item, the top level)
    key_column: int
    size: int               # a list's number of items
    link: tuple | None      # an alias: the path of the value it repeats


# a scalar's style, by its number in a table (plain: None from PyYAML, "" from libyaml)
STYLES = (None, "", "'", '"', "|", ">")
STYLE_NUMBER = {style: number for number, style in enumerate(STYLES)}
WIDTH = 10                                  # ints per value: a Mark's fields
MAX_SHAPES = 1 << 12                        # shapes shared; past that, a table keeps its own

# the key paths of a front matter, in document order → (those paths, path → index)
_SHAPES: dict[tuple, tuple[tuple, dict[tuple, int]]] = {}


class MarkTable:
    """Key path (mapping keys as written, list indices) → `Mark`, in document order."""

    __slots__ = ("_paths", "_index", "_values")

    def __init__(self, index: dict[tuple, int], values: list[int]) -> None:
        """`index`: each path's number in document order; `values`: WIDTH ints per path,
        a Mark's fields with the style as its number in STYLES and the link as its
        path's number (-1: none)."""
        paths = tuple(index)
        shape = _SHAPES.get(paths)
        if shape is None:
            shape = (paths, index)
            if len(_SHAPES) < MAX_SHAPES:
                _SHAPES[paths] = shape
        self._paths, self._index = shape
        try:
            self._values = array("i", values)
        except OverflowError:                   # a position past 2**31: wider ints
            self._values = array("q", values)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, path: object) -> bool:
        return path in self._index

    def get(self, path: tuple) -> Mark | None:
        number = self._index.get(path)
        return None if number is None else self._mark(number)

    def items(self) -> Iterator[tuple[tuple, Mark]]:
        for number, path in enumerate(self._paths):
            yield path, self._mark(number)

    def _mark(self, number: int) -> Mark:
        start = number * WIDTH
        (kind, line, column, end_line, end_column, style, key_line, key_column, size,
         link) = self._values[start:start + WIDTH]
        return Mark(kind, line, column, end_line, end_column, STYLES[style], key_line,
                    key_column, size, None if link < 0 else self._paths[link])


EMPTY = MarkTable({}, [])
