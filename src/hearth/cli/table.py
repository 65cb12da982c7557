"""Tables that fit the terminal: the rows of `hearth queue` and `hearth calendar`.

The width is the terminal's (`shutil.get_terminal_size`, which honours
`COLUMNS`); when the output is not a terminal (a pipe, a file, CI) it is 80
columns, unless `COLUMNS` says otherwise. The date, time, state and channel
columns are never cut: the last, free-text column is cut first (down to 32
cells, with "…"), then a column named in `shrink` (down to its minimum),
then the text again (down to 10). No column is left out: scripts read
the table by position. Widths count what a terminal shows: wide (East
Asian, emoji) characters take two cells, combining marks none.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Sequence

NOT_A_TERMINAL = 80
TEXT_MIN = 10
TEXT_ROOMY = 32


def cells(text: str) -> int:
    """How many terminal cells `text` takes."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in "…" when cut."""
    if cells(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        need = cells(c)
        if used + need > width - 1:
            break
        out.append(c)
        used += need
    return "".join(out) + "…"


def terminal_width() -> int:
    return shutil.get_terminal_size((NOT_A_TERMINAL, 24)).columns


def fit_table(rows: Sequence[Sequence[str]], header: Sequence[str], width: int,
              shrink: dict[int, int] | None = None) -> list[str]:
    """Left-aligned columns two spaces apart, in at most `width` cells a line
    (unless even the uncut columns are wider)."""
    shrink = dict(shrink or {})
    keep = list(range(len(header)))
    last = len(header) - 1

    def natural(i: int) -> int:
        return max(cells(r[i]) for r in [header, *rows])

    def layout(columns: list[int]) -> dict[int, int]:
        widths = {i: natural(i) for i in columns}
        excess = sum(widths.values()) + 2 * (len(columns) - 1) - width
        steps = [(last, TEXT_ROOMY)] + [(c, shrink[c]) for c in shrink if c in widths] + [(last, TEXT_MIN)]
        for i, floor in steps:
            if excess <= 0:
                break
            floor = max(floor, cells(header[i]))
            cut_by = min(excess, max(0, widths[i] - floor))
            widths[i] -= cut_by
            excess -= cut_by
        return widths

    widths = layout(keep)
    lines = []
    for row in [header, *rows]:
        parts = []
        for i in keep:
            text = cut(row[i], widths[i])
            parts.append(text if i == last else text + " " * (widths[i] - cells(text)))
        lines.append("  ".join(parts).rstrip())
    return lines
