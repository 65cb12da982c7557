"""Sending to Mastodon: media, then one status per part, through the REST API.

httpx rather than Mastodon.py: the calls are four, and the `Idempotency-Key`
header, the timeouts and "did the request go out?" must be exact.

Each part is `POST /api/v1/statuses` with `Idempotency-Key: <key>-<index>`,
so a repeat within the server's window (about an hour) gets the same status
back; later parts reply to the one before (`in_reply_to_id`). The media of
the item go with the first part, uploaded with their descriptions through
`POST /api/v2/media`; a `202` (still processing) is polled until the
attachment has a `url`.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any, Mapping

import httpx

from .base import Media, Outgoing, Remote, SendFailed, SendUncertain, retry_after_seconds

TIMEOUT = 30.0
MAX_MEDIA = 4
MEDIA_WAIT = 60.0        # seconds a 202 upload may take to process before we give up
RECENT = 40              # statuses looked through by find()
VISIBILITIES = ("public", "unlisted", "private", "direct")


def make_sender(channel: str, settings: Mapping[str, Any], secrets: Mapping[str, str]
                ) -> MastodonSender:
    return MastodonSender(channel, str(settings.get("instance") or ""),
                          secrets.get("TOKEN", ""), str(settings.get("visibility") or "public"))


class MastodonSender:
    def __init__(self, channel: str, instance: str, token: str, visibility: str = "public"):
        self.channel = channel
        self.instance = instance.rstrip("/")
        self.visibility = visibility
        self._token = token
        self._http: httpx.Client | None = None

    # -- the Sender protocol ---------------------------------------------------
    def send(self, item: Outgoing, key: str) -> Remote:
        http = self._client()
        media_ids = [self._upload(http, m) for m in item.media[:MAX_MEDIA]]
        ids: list[str] = []
        urls: list[str] = []
        for index, text in enumerate(item.parts):
            body: dict[str, Any] = {"status": text, "visibility": self.visibility}
            if index == 0 and media_ids:
                body["media_ids"] = media_ids
            if item.lang:
                body["language"] = item.lang.split("-")[0].lower()   # ISO 639: fr-CA → fr
            if ids:
                body["in_reply_to_id"] = ids[-1]
            status = self._call(http, "POST", "/api/v1/statuses", json=body, sends=True,
                                headers={"Idempotency-Key": f"{key}-{index}"})
            ids.append(str(status["id"]))
            urls.append(str(status.get("url") or status.get("uri") or ""))
        return Remote(tuple(ids), tuple(urls))

    def find(self, item: Outgoing, key: str) -> Remote | None:
        """Every part among the account's recent statuses (same text, chained) → Remote."""
        http = self._client()
        me = self._call(http, "GET", "/api/v1/accounts/verify_credentials")
        recent = self._call(http, "GET", f"/api/v1/accounts/{me['id']}/statuses",
                            params={"limit": RECENT, "exclude_reblogs": "true"})
        since = item.at - timedelta(minutes=5)   # it was due at `at`: never sent before
        ids: list[str] = []
        urls: list[str] = []
        for text in item.parts:
            wanted = _comparable(text)
            parent = ids[-1] if ids else None
            match = next((s for s in reversed(recent)          # oldest first
                          if _comparable(_plain(s.get("content") or "")) == wanted
                          and _created(s) >= since
                          and (str(s["in_reply_to_id"]) if s.get("in_reply_to_id") else None)
                          == parent), None)
            if match is None:
                return None
            ids.append(str(match["id"]))
            urls.append(str(match.get("url") or match.get("uri") or ""))
        return Remote(tuple(ids), tuple(urls))

    def numbers(self, status_id: str) -> dict[str, int]:
        """favourites, reblogs and replies of one status (GET /api/v1/statuses/:id)."""
        got = self._call(self._client(), "GET", f"/api/v1/statuses/{status_id}")
        return {"favourites": int(got.get("favourites_count") or 0),
                "reblogs": int(got.get("reblogs_count") or 0),
                "replies": int(got.get("replies_count") or 0)}

    # -- the calls -------------------------------------------------------------
    def _client(self) -> httpx.Client:
        if not self.instance.startswith(("https://", "http://")):
            raise SendFailed(f"instance must be an https:// URL, not {self.instance!r}")
        if not self._token:
            raise SendFailed("no token")
        if self._http is None:
            self._http = httpx.Client(
                base_url=self.instance, timeout=TIMEOUT, follow_redirects=False,
                headers={"Authorization": f"Bearer {self._token}",
                         "User-Agent": "hearth (https://pypi.org/project/hearth-hub/)"})
        return self._http

    def _upload(self, http: httpx.Client, media: Media) -> str:
        try:
            data = media.path.read_bytes()
        except OSError as err:
            raise SendFailed(f"cannot read {media.path.name}: {err.strerror or err}") from err
        fields = {"description": media.alt} if media.alt else {}
        answer, status = self._call(http, "POST", "/api/v2/media", data=fields, with_status=True,
                                    files={"file": (media.path.name, data, media.mime)})
        waited, pause = 0.0, 0.5
        while status == 202 or not answer.get("url"):      # processing: wait, bounded
            if waited >= MEDIA_WAIT:
                raise SendFailed(f"{media.path.name} still processing after {MEDIA_WAIT:.0f} s",
                                 retryable=True)
            time.sleep(pause)
            waited += pause
            pause = min(pause * 2, 5.0)
            answer, status = self._call(http, "GET", f"/api/v1/media/{answer['id']}",
                                        with_status=True)
        return str(answer["id"])

    def _call(self, http: httpx.Client, method: str, path: str, *, sends: bool = False,
              with_status: bool = False, **kwargs: Any) -> Any:
        try:
            response = http.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as err:
            raise SendFailed(f"network: {type(err).__name__}: {err}", retryable=True) from err
        except httpx.TransportError as err:
            if sends:       # it went out; whether it arrived only the server knows
                raise SendUncertain(f"no answer from {self.instance} to {method} {path}") from err
            raise SendFailed(f"network: {type(err).__name__}: {err}", retryable=True) from err
        if response.status_code >= 400 or response.status_code < 200:
            raise _failure(response)
        try:
            answer = response.json()
        except ValueError as err:
            if sends:
                raise SendUncertain(f"{method} {path}: an answer that is not JSON") from err
            raise SendFailed(f"{method} {path}: an answer that is not JSON", retryable=True) from err
        if not isinstance(answer, (dict, list)):
            raise SendFailed(f"{method} {path}: unexpected answer", retryable=True)
        return (answer, response.status_code) if with_status else answer


def _failure(response: httpx.Response) -> SendFailed:
    """The platform's own words (`error`, then `error_description`)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    words = ""
    if isinstance(body, dict):
        words = str(body.get("error") or "")
        if body.get("error_description"):
            words = f"{words}: {body['error_description']}" if words else body["error_description"]
    if not words:
        words = response.reason_phrase or response.text[:200]
    message = f"{response.status_code} {words}"
    if response.status_code == 429 or response.status_code >= 500:
        return SendFailed(message, retryable=True, retry_after=_retry_after(response.headers))
    return SendFailed(message)


def _retry_after(headers: httpx.Headers) -> float | None:
    found = retry_after_seconds(headers.get("retry-after"))
    if found is not None:
        return found
    reset = headers.get("x-ratelimit-reset")     # Mastodon: an ISO 8601 time
    if reset:
        try:
            return max(0.0, datetime.fromisoformat(reset.replace("Z", "+00:00")).timestamp()
                       - time.time())
        except ValueError:
            try:
                return max(0.0, float(reset) - time.time())
            except ValueError:
                return None
    return None


# -- matching our text in the server's HTML --------------------------------------

_BREAK = re.compile(r"<br\s*/?>", re.I)
_PARA = re.compile(r"</p>\s*<p[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_REMOTE_MENTION = re.compile(r"(?<![\w@])@([\w.]+)@[\w.-]+")
_SPACE = re.compile(r"\s+")


def _plain(content: str) -> str:
    """A status's `content` HTML as the text that was typed (links keep their hidden parts)."""
    text = _PARA.sub("\n\n", content)
    text = _BREAK.sub("\n", text)
    return html.unescape(_TAG.sub("", text))


def _comparable(text: str) -> str:
    # Mastodon shows a remote mention as @name only; spacing is the server's.
    return _SPACE.sub(" ", _REMOTE_MENTION.sub(r"@\1", text)).strip()


def _created(status: Mapping[str, Any]) -> datetime:
    try:
        return datetime.fromisoformat(str(status.get("created_at")).replace("Z", "+00:00"))
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
