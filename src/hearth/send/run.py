"""The send loop: for each decision (send/plan.py), record `pending`, call
the platform's sender, record the outcome; retries for 429 and 5xx are
bounded. Secrets come from the environment only and are scrubbed from
every message and ledger line.
"""

from __future__ import annotations

import importlib
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from ..assemble.site import Site
from ..calendar import Channel
from ..plan.newsletter import plan_newsletter
from ..render import render
from ..theme import make_environment
from .base import Outgoing, Remote, SendFailed, Sender, SendUncertain
from .ledger import LedgerFile, record
from .plan import MISSED, Decision, outgoing

SECRET_FIELDS = {"bluesky": ("HANDLE", "APP_PASSWORD"), "mastodon": ("TOKEN",),
                 "discord": ("WEBHOOK",), "newsletter": ("SMTP_URL",)}
TRIES = 3
MAX_WAIT_ENV = "HEARTH_SEND_MAX_WAIT"   # caps each wait between tries (seconds; default 30)
DEFAULT_MAX_WAIT = 30.0


class SendUsage(Exception):
    """A secret or a setting is missing for a channel with due items (exit 2)."""


@dataclass(frozen=True)
class Outcome:
    """One line of the report."""

    channel: str
    id: str
    state: str                     # sent | skipped | failed | missed | uncertain | would-send | would-check
    at: str
    message: str = ""
    urls: tuple[str, ...] = ()
    source: str | None = None
    warning: bool = False          # edited after it was sent

    def as_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "id": self.id, "state": self.state, "at": self.at,
                "message": self.message, "urls": list(self.urls)}


def secret_name(channel: str, name: str) -> str:
    """`HEARTH_<NAME>_<FIELD>`: channel `mastodon-fr` → `HEARTH_MASTODON_FR_TOKEN`."""
    return f"HEARTH_{re.sub(r'[^A-Z0-9]', '_', channel.upper())}_{name}"


def load_sender_module(kind: str) -> Any | None:
    """`hearth.send.<kind>`, or None when this Hearth has no sender for it yet."""
    try:
        return importlib.import_module(f"hearth.send.{kind}")
    except ModuleNotFoundError as err:
        if err.name == f"hearth.send.{kind}":
            return None
        raise


def secrets_for(channels: list[Channel], env: Mapping[str, str]
                ) -> tuple[dict[str, dict[str, str]], list[str]]:
    """(channel → its secret fields, the problems: missing variables and settings)."""
    found: dict[str, dict[str, str]] = {}
    problems = []
    for channel in channels:
        fields = {}
        for name in SECRET_FIELDS[channel.kind]:
            variable = secret_name(channel.name, name)
            value = env.get(variable, "")
            if not value.strip():
                problems.append(f"channel '{channel.name}' has items to send, but {variable} "
                                "is not set (secrets come from the environment only)")
            else:
                fields[name] = value.strip()
        found[channel.name] = fields
        if channel.kind == "mastodon" and channel.send.instance is None:
            problems.append(f"channel '{channel.name}' has items to send, but no 'instance:' "
                            "(like https://mastodon.social) in calendar/channels.yml")
        if channel.kind == "newsletter" and (not channel.send.to or channel.send.sender is None):
            missing = [k for k, v in (("to", channel.send.to), ("from", channel.send.sender)) if not v]
            problems.append(f"channel '{channel.name}' has a digest to send, but no "
                            f"{' and '.join(repr(k + ':') for k in missing)} in calendar/channels.yml")
    return found, problems


class Scrubber:
    """Takes every secret value out of a text before it is shown or written."""

    def __init__(self, secrets: Mapping[str, Mapping[str, str]]):
        from urllib.parse import quote, unquote, urlsplit
        values: set[str] = set()
        for fields in secrets.values():
            for value in fields.values():
                values |= {value, quote(value, safe=""), unquote(value)}
                parts = urlsplit(value)
                values |= {p for p in (parts.password, parts.path.rsplit("/", 1)[-1]) if p}
        self.values = sorted((v for v in values if len(v) >= 4), key=len, reverse=True)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self.values:
                value = value.replace(secret, "[secret]")
            return value
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self(v) for v in value]
        return value


def digests(site: Site, decisions: list[Decision]) -> dict[str, tuple[str, str]]:
    """Each newsletter item's (HTML, text), rendered as the build renders them."""
    wanted = [d for d in decisions if d.channel.kind == "newsletter" and d.action in ("send", "check")]
    if not wanted:
        return {}
    env = make_environment(site.settings.root)
    found: dict[str, tuple[str, str]] = {}
    for channel in {d.channel.name: d.channel for d in wanted}.values():
        rendered = {o.path: o for o in plan_newsletter(site, channel)}
        for d in wanted:
            if d.channel.name != channel.name:
                continue
            parts = []
            for key in ("html", "plain"):
                output = rendered.get(f"queues/{d.item[key]}")
                content = render(env, output) if output is not None else b""
                parts.append(content.decode("utf-8") if isinstance(content, bytes) else "")
            found[d.id] = (parts[0], parts[1])
    return found


def max_wait(env: Mapping[str, str]) -> float:
    try:
        return max(0.0, float(env.get(MAX_WAIT_ENV, DEFAULT_MAX_WAIT)))
    except ValueError:
        return DEFAULT_MAX_WAIT


def with_retries(sender: Sender, item: Outgoing, key: str, cap: float,
                 sleep: Callable[[float], None] = time.sleep) -> Remote:
    for attempt in range(TRIES):
        try:
            return sender.send(item, key)
        except SendFailed as err:
            if not err.retryable or attempt == TRIES - 1:
                if err.retryable:
                    err.message = f"{err.message} (after {TRIES} tries)"
                raise
            wait = err.retry_after if err.retry_after is not None else float(2 ** attempt)
            sleep(min(max(wait, 0.0), cap))
    raise AssertionError("unreachable")


def remote_record(remote: Remote) -> dict[str, Any]:
    return {"ids": list(remote.ids), "urls": list(remote.urls), **dict(remote.extra)}


def clock() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Runner:
    """One run over the decisions, under the lock (the CLI holds it)."""

    site: Site
    root: Path
    env: Mapping[str, str]
    secrets: dict[str, dict[str, str]]
    senders: dict[str, Any] = field(default_factory=dict)     # channel → Sender, made when first needed
    files: dict[str, LedgerFile] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scrub = Scrubber(self.secrets)
        self.cap = max_wait(self.env)

    def ledger(self, channel: str) -> LedgerFile:
        if channel not in self.files:
            self.files[channel] = LedgerFile(self.root, channel)
        return self.files[channel]

    def write(self, d: Decision, state: str, remote: Mapping[str, Any] | None = None,
              error: str | None = None, revision: str | None = None) -> None:
        line = record(d.id, revision or d.revision, d.at, clock(), state, remote, error)
        self.ledger(d.channel.name).append(self.scrub(line))

    def sender(self, channel: Channel) -> Sender:
        if channel.name not in self.senders:
            module = load_sender_module(channel.kind)
            assert module is not None
            self.senders[channel.name] = module.make_sender(
                channel.name, channel.send.as_mapping(), self.secrets.get(channel.name, {}))
        return self.senders[channel.name]

    def run(self, decisions: list[Decision]) -> list[Outcome]:
        bodies = digests(self.site, decisions)
        outcomes = []
        try:
            for d in decisions:
                outcome = self.one(d, bodies)
                if outcome is not None:
                    outcomes.append(outcome)
        finally:
            for file in self.files.values():
                file.close()
        return outcomes

    def outcome(self, d: Decision, state: str, message: str = "", urls: tuple[str, ...] = (),
                warning: bool = False) -> Outcome:
        return Outcome(d.channel.name, d.id, state, d.item["at"], self.scrub(message),
                       tuple(self.scrub(list(urls))), d.item.get("source"), warning)

    def one(self, d: Decision, bodies: Mapping[str, tuple[str, str]]) -> Outcome | None:
        if d.action == "done":
            return None
        if d.action == "edited":
            return self.outcome(d, "skipped", d.reason, d.entry.urls if d.entry else (), True)
        if d.action == "missed":
            self.write(d, "failed", error=MISSED + d.reason)
            return self.outcome(d, "missed", d.reason)
        if load_sender_module(d.channel.kind) is None:
            return self.outcome(d, "skipped", f"this Hearth has no {d.channel.kind} sender yet")
        item = outgoing(self.site, d, bodies)
        try:
            sender = self.sender(d.channel)
        except SendFailed as err:
            self.write(d, "failed", error=err.message)
            return self.outcome(d, "failed", err.message)
        if d.action == "check":
            return self.check(d, sender, item)
        self.write(d, "pending")
        try:
            remote = with_retries(sender, item, d.key, self.cap)
        except SendFailed as err:
            self.write(d, "failed", error=err.message)
            return self.outcome(d, "failed", err.message)
        except SendUncertain as err:
            message = f"no answer came ({err}); not retried: check the channel by hand"
            self.write(d, "uncertain", error=message)
            return self.outcome(d, "uncertain", message)
        except Exception as err:  # noqa: BLE001 - the request may have gone out: never resend blindly
            message = f"{type(err).__name__}: {err}; not retried: check the channel by hand"
            self.write(d, "uncertain", error=message)
            return self.outcome(d, "uncertain", message)
        self.write(d, "sent", remote=remote_record(remote))
        return self.outcome(d, "sent", urls=remote.urls)

    def check(self, d: Decision, sender: Sender, item: Outgoing) -> Outcome:
        """An item whose last request got no answer: did it arrive?"""
        assert d.entry is not None
        try:
            found = sender.find(item, d.key)
        except (SendFailed, SendUncertain) as err:
            found, problem = None, str(err)
        else:
            problem = ""
        if found is not None:
            self.write(d, "sent", remote=remote_record(found), revision=d.entry.revision)
            return self.outcome(d, "sent", "found on the platform after a run that got no answer",
                                found.urls)
        message = ("a request went out earlier and no answer came; it may have been posted. "
                   "Check the channel, then add a line with \"state\": \"sent\" (it was posted) "
                   f"or remove the item's lines (send it again) in calendar/sent/{d.channel.name}.jsonl")
        if problem:
            message += f" ({problem})"
        if d.entry.state == "pending":
            self.write(d, "uncertain", error=message, revision=d.entry.revision)
        return self.outcome(d, "uncertain", message)


def environment() -> Mapping[str, str]:
    return os.environ
