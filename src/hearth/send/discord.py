"""Discord: an incoming webhook (`POST <webhook>?wait=true`).

The text goes as `content` (≤ 2000 characters, checked at build); images
as multipart `files[n]` with their alt text as the attachment's
`description`. `wait=true` makes Discord answer with the message, whose id
is recorded; its link is `https://discord.com/channels/<guild>/<channel>/<id>`
(the guild from one GET of the webhook). A thread's later parts follow as
messages of their own. A request that went out and got no answer is
uncertain: a webhook cannot be searched, so `find` knows nothing.
"""

from __future__ import annotations

import json
import os
from typing import Any, Mapping

import httpx

from .base import Outgoing, Remote, SendFailed, SendUncertain

TIMEOUT_ENV = "HEARTH_SEND_TIMEOUT"      # seconds to wait for an answer (default 30)


def timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, "30"))
    except ValueError:
        return 30.0


def platform_error(response: httpx.Response) -> str:
    """Discord's own words: `message (code): field: reason`, else the HTTP status."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not body.get("message"):
        return f"HTTP {response.status_code} {response.reason_phrase}".strip()
    text = str(body["message"])
    if body.get("code"):
        text += f" (code {body['code']})"
    errors = body.get("errors")
    if isinstance(errors, dict):
        details = [f"{name}: {e.get('message')}" for name, value in errors.items()
                   if isinstance(value, dict) for e in value.get("_errors", []) if isinstance(e, dict)]
        if details:
            text += ": " + "; ".join(details)
    return f"Discord: {text}"


class DiscordSender:
    def __init__(self, webhook: str):
        self.webhook = webhook.rstrip("/")
        self.client = httpx.Client(timeout=timeout(), follow_redirects=False)
        self.guild: str | None = None

    def _guild(self) -> str | None:
        if self.guild is None:
            try:
                answer = self.client.get(self.webhook)
                if answer.status_code == 200:
                    self.guild = str(answer.json().get("guild_id") or "") or None
            except (httpx.HTTPError, ValueError):
                return None
        return self.guild

    def _post(self, content: str, media: tuple) -> dict[str, Any]:
        url = f"{self.webhook}?wait=true"
        payload: dict[str, Any] = {"content": content, "allowed_mentions": {"parse": []}}
        try:
            if media:
                payload["attachments"] = [
                    {"id": n, "filename": m.path.name, **({"description": m.alt} if m.alt else {})}
                    for n, m in enumerate(media)]
                files = {f"files[{n}]": (m.path.name, m.path.read_bytes(), m.mime)
                         for n, m in enumerate(media)}
                answer = self.client.post(url, data={"payload_json": json.dumps(payload)}, files=files)
            else:
                answer = self.client.post(url, json=payload)
        except (httpx.ConnectError, httpx.ConnectTimeout) as err:
            raise SendFailed(f"cannot reach Discord: {type(err).__name__}", retryable=True) from None
        except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError,
                httpx.WriteError) as err:
            raise SendUncertain(f"Discord: {type(err).__name__} after the request went out") from None
        except OSError as err:
            raise SendFailed(f"cannot read an image: {err.strerror}") from None
        if answer.status_code == 429:
            retry = None
            try:
                retry = float(answer.json().get("retry_after"))
            except (ValueError, TypeError, AttributeError):
                header = answer.headers.get("retry-after")
                retry = float(header) if header and header.replace(".", "", 1).isdigit() else None
            raise SendFailed(platform_error(answer), retryable=True, retry_after=retry)
        if answer.status_code >= 500:
            raise SendFailed(platform_error(answer), retryable=True)
        if answer.status_code >= 400:
            raise SendFailed(platform_error(answer))
        try:
            message = answer.json()
        except ValueError:
            raise SendUncertain("Discord answered without the message (no JSON)") from None
        if not isinstance(message, dict) or "id" not in message:
            raise SendUncertain("Discord answered without the message id")
        return message

    def send(self, item: Outgoing, key: str) -> Remote:
        ids, urls = [], []
        for index, part in enumerate(item.parts):
            try:
                message = self._post(part, item.media if index == 0 else ())
            except SendFailed as err:
                if index == 0:
                    raise
                raise SendUncertain(f"part {index + 1} failed after part 1 was posted: "
                                    f"{err.message}") from None
            ids.append(str(message["id"]))
            guild = self._guild()
            channel = message.get("channel_id")
            urls.append(f"https://discord.com/channels/{guild}/{channel}/{message['id']}"
                        if guild and channel else "")
        return Remote(tuple(ids), tuple(urls))

    def find(self, item: Outgoing, key: str) -> Remote | None:
        return None              # a webhook cannot list the channel's messages


def make_sender(channel: str, settings: Mapping[str, Any], secrets: Mapping[str, str]) -> DiscordSender:
    return DiscordSender(secrets["WEBHOOK"])
