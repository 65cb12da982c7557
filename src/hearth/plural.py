"""Counted nouns for the terminal's summaries: `1 error`, `2 errors`, `1 file`.

English only: the terminal speaks English (the hub's pages are translated,
see theme.py). One helper so no summary says "1 errors" again.
"""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """`n` and the noun in the form `n` takes: counted(1, "file") → "1 file"."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
