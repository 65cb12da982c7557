"""What time it is, and how Hearth reads a time the user wrote.

One date semantics for every file and option: ISO 8601; a date alone is
00:00; a naive time is in the site's zone (for `--now`: UTC).
"""

from __future__ import annotations

import os
from datetime import datetime, timezone


class BadNow(ValueError):
    """--now or SOURCE_DATE_EPOCH is not a time."""


def parse_now(text: str) -> datetime:
    """`--now` as written: ISO 8601, naive = UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadNow(f"--now {text!r} is not an ISO 8601 time, like 2026-03-01T08:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def resolve_now(now: str | datetime | None) -> datetime:
    """`--now`, else SOURCE_DATE_EPOCH, else the clock (to the second)."""
    if isinstance(now, datetime):
        return now
    if now:
        return parse_now(now)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise BadNow(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    return datetime.now(timezone.utc).replace(microsecond=0)
