"""How the report writes its numbers: the same in the terminal, the page and the charts."""

from __future__ import annotations


def number(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def duration(hours: float | None) -> str:
    if hours is None:
        return "–"
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} d"
