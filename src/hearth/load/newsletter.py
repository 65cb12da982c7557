"""Loading `calendar/newsletter/`: the intro a manager writes for one digest.

`calendar/newsletter/<period>.md` (e.g. `2026-11.md` for a monthly digest,
`2026-W47.md` for an ISO week) holds the intro of that period's digest, in
Markdown, for every newsletter channel whose `every:` the name fits;
`calendar/newsletter/<channel>/<period>.md` is for one channel only and wins
over the shared file. Front matter is optional; `subject:` replaces the
digest's subject line. An intro makes its period's digest even when no post
of that period opted in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..calendar import Channels
from ..diagnostics import Diagnostic, Level, diagnostic
from ..source import read
from .front_matter import markdown_files

NEWSLETTER_DIR = "calendar/newsletter"
INTRO_KEYS = ("subject",)
RULE = "newsletter"

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_WEEK = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$")


@dataclass(frozen=True)
class NewsletterIntro:
    path: str
    channel: str | None          # None: every newsletter channel the period fits
    period: str                  # 2026-11 | 2026-W47
    subject: str | None          # replaces the digest's subject line
    body: str                    # Markdown


def period_every(name: str) -> str | None:
    """`month` for 2026-11, `week` for 2026-W47 (a week the year has), else None."""
    if _MONTH.match(name):
        return "month"
    week = _WEEK.match(name)
    if week:
        last = date(int(week.group(1)), 12, 28).isocalendar()[1]    # 52 or 53
        return "week" if int(week.group(2)) <= last else None
    return None


def load_intros(root: Path, channels: Channels) -> tuple[tuple[NewsletterIntro, ...], list[Diagnostic]]:
    newsletters = {c.name: c.every or "month" for c in channels if c.kind == "newsletter"}
    intros: list[NewsletterIntro] = []
    problems: list[Diagnostic] = []
    for relpath in markdown_files(root, NEWSLETTER_DIR):
        parts = relpath[len(NEWSLETTER_DIR) + 1:].split("/")
        period = parts[-1].rsplit(".", 1)[0]
        channel = parts[0] if len(parts) == 2 else None

        def problem(message: str, level: Level = "error", line: int = 1, column: int = 1) -> None:
            problems.append(diagnostic(relpath, line, column, level, message, RULE, channel))

        if len(parts) > 2:
            problem(f"put a newsletter intro in {NEWSLETTER_DIR}/ or {NEWSLETTER_DIR}/<channel>/, "
                    "not deeper")
            continue
        every = period_every(period)
        if every is None:
            problem(f"'{period}' is not a newsletter period; name the file after the digest's "
                    "month (2026-11.md) or ISO week (2026-W47.md)")
            continue
        if channel is not None and channel not in newsletters:
            valid = ", ".join(newsletters) or "none in calendar/channels.yml"
            problem(f"'{channel}' is not a newsletter channel (newsletter channels: {valid})")
            continue
        fits = [name for name, e in newsletters.items() if e == every and channel in (None, name)]
        if not fits:
            wanted = "a month (2026-11.md)" if every == "week" else "an ISO week (2026-W47.md)"
            names = [channel] if channel else list(newsletters)
            if names:
                problem(f"no {every}ly newsletter takes this intro: "
                        + ", ".join(f"'{n}' is every: {newsletters[n]}" for n in names)
                        + f"; name the file after {wanted}")
            else:
                problem("no newsletter channel in calendar/channels.yml uses this intro", "warning")
            continue
        doc, found = read(root, relpath)
        problems += found
        if doc is None or found:
            continue
        for key in doc.meta:
            if key not in INTRO_KEYS:
                line, column = doc.key_position(key)
                problem(f"unknown newsletter intro key '{key}'; valid: {', '.join(INTRO_KEYS)}",
                        "warning", line, column)
        subject = doc.meta.get("subject")
        if subject is not None and (not isinstance(subject, str) or not subject.strip()):
            line, column = doc.line_of("subject")
            problem("subject must be a line of text", line=line, column=column)
            continue
        intros.append(NewsletterIntro(relpath, channel, period,
                                      subject.strip() if subject else None, doc.body.strip()))
    return tuple(intros), problems
