"""The `hearth send` settings of one channels.yml entry: `late`, mastodon
`instance` and `visibility`, bluesky `service`, newsletter `to` and `from`.

Each mistake is reported at its value; the channel keeps the default then.
Secrets are never settings: they come from `HEARTH_<NAME>_<FIELD>`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Callable
from urllib.parse import urlsplit

from ..calendar import DEFAULT_BLUESKY_SERVICE, DEFAULT_LATE, VISIBILITIES, SendSettings
from ..dates import parse_duration, shown

SEND_KEYS = ("late", "instance", "service", "visibility", "to", "from")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")

Report = Callable[..., None]       # report(keys, message, level="error")


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def https_url(value: Any) -> str | None:
    """`value` as an https URL without a trailing slash, or None. Plain http is
    taken only for a server on this machine (a local test server: nothing leaves it)."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    local_http = parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS
    if (parts.scheme != "https" and not local_http) or not parts.netloc or parts.query \
            or parts.fragment:
        return None
    return value.strip().rstrip("/")


def parse_send_settings(report: Report, at: tuple, kind: Any, settings: dict) -> SendSettings:
    late = DEFAULT_LATE
    if settings.get("late") is not None:
        value, problem = parse_duration(settings["late"])
        if problem:
            report(at + ("late",), f"late: {problem}")
        elif value is not None and value <= timedelta(0):
            report(at + ("late",), "late must be longer than zero")
        elif value is not None:
            late = value

    def only_for(key: str, wanted: str) -> bool:
        if settings.get(key) is None:
            return False
        if kind != wanted:
            report(at + (key,), f"'{key}' only applies to a {wanted} channel; ignored", "warning")
            return False
        return True

    def url(key: str) -> str | None:
        found = https_url(settings[key])
        if found is None:
            report(at + (key,), f"{key} must be an https URL like https://mastodon.social, "
                                f"not {shown(settings[key])}")
        return found

    instance = url("instance") if only_for("instance", "mastodon") else None
    service = (url("service") if only_for("service", "bluesky") else None) or DEFAULT_BLUESKY_SERVICE
    visibility = "public"
    if only_for("visibility", "mastodon"):
        if settings["visibility"] in VISIBILITIES:
            visibility = settings["visibility"]
        else:
            report(at + ("visibility",), f"visibility must be one of {', '.join(VISIBILITIES)}, "
                                         f"not {shown(settings['visibility'])}")
    to: tuple[str, ...] = ()
    if only_for("to", "newsletter"):
        raw = settings["to"]
        addresses = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else None
        if addresses is None or not addresses:
            report(at + ("to",), "to must be an email address or a list of them")
        else:
            good = []
            for index, address in enumerate(addresses):
                if isinstance(address, str) and _EMAIL.match(address.strip()):
                    good.append(address.strip())
                else:
                    where = at + ("to",) if isinstance(raw, str) else at + ("to", index)
                    report(where, f"{shown(address)} is not an email address")
            to = tuple(good)
    sender = None
    if only_for("from", "newsletter"):
        raw = settings["from"]
        if isinstance(raw, str) and _EMAIL.match(raw.strip()):
            sender = raw.strip()
        else:
            report(at + ("from",), f"from must be an email address, not {shown(raw)}")
    return SendSettings(late, instance, service, visibility, to, sender)
