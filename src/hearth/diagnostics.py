"""One place for problems.

Loaders, validators and the linter return `Diagnostic`s; they never print and
never raise for a user's mistake. Only the CLI prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Literal

Level = Literal["error", "warning", "suggestion"]

LEVEL_RANK: dict[str, int] = {"suggestion": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a hub's files.

    `path` is the file's path relative to the hub root, with forward slashes.
    `line` and `column` are 1-based; columns count characters, not bytes.
    `rule` names what fired: a style rule id (`brand-name`, `Google.Exclamation`)
    or one of Hearth's own checks (`yaml`, `front-matter`, `schedule`, ...).
    """

    path: str
    line: int
    column: int
    level: Level
    message: str
    rule: str = ""
    channel: str | None = None    # the channel the problem is about, when it is about one
    item: str | None = None       # the queue item's id (`<channel>:<slug>`), when there is one
    match: str = ""               # a style rule's matched text (Vale's `Match`)
    end_column: int = 0           # the column of the match's last character on `line` (0: none)
    suggestions: tuple[str, ...] = ()   # what a substitution offers instead

    def __post_init__(self) -> None:
        if not isinstance(self.suggestions, tuple):      # a row read back from JSON
            object.__setattr__(self, "suggestions", tuple(self.suggestions))

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, -LEVEL_RANK[self.level], self.rule, self.message)

    def as_text(self) -> str:
        """Compiler style: `path:line:col: level: [rule] message`."""
        rule = f"[{self.rule}] " if self.rule else ""
        return f"{self.path}:{self.line}:{self.column}: {self.level}: {rule}{self.message}"

    def as_row(self) -> list:
        """The fields in order, for the build cache (`Diagnostic(*row)` reads it back)."""
        return [self.path, self.line, self.column, self.level, self.message, self.rule,
                self.channel, self.item, self.match, self.end_column, list(self.suggestions)]

    def at_least(self, level: str) -> bool:
        return LEVEL_RANK[self.level] >= LEVEL_RANK[level]


def diagnostic(path: str, line: int | None, column: int | None, level: Level, message: str,
               rule: str = "", channel: str | None = None, item: str | None = None) -> Diagnostic:
    """Build a Diagnostic, placing unknown positions at the start of the file."""
    return Diagnostic(path, max(1, line or 1), max(1, column or 1), level, message, rule, channel,
                      item)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted, with exact duplicates removed (two stages may find the same thing)."""
    return sorted(set(diagnostics), key=lambda d: d.sort_key)


def promote_warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: every warning becomes an error."""
    return [replace(d, level="error") if d.level == "warning" else d for d in diagnostics]


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.level == "error" for d in diagnostics)
