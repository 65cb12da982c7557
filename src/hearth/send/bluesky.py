"""Sending to Bluesky: `app.bsky.feed.post` records through the AT Protocol.

One record per part (a thread is a reply chain: every later part names the
first as `root` and the one before as `parent`). The record keys are chosen
here, not by the server: a TID-shaped key derived from the item's
idempotency key and the part's index, so the same item always lands on the
same keys. That is what makes a send repeatable: a create on a key that
already holds our text is recognised as "it arrived" (the reference PDS
answers it with a 500), and `find()` after a lost answer is a `getRecord`
on those keys.

The link card (`app.bsky.embed.external`) is built from the hub post's own
title, summary and image file: the site is never fetched.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from typing import Any, Mapping

import httpx
from atproto import Client, models
from atproto_client.exceptions import (
    AtProtocolError,
    InvokeTimeoutError,
    NetworkError,
    RequestErrorBase,
)
from atproto_client.models.common import XrpcError
from atproto_client.request import Request

from ..channels.bluesky import facets as detect_facets
from .base import Media, Outgoing, Remote, SendFailed, SendUncertain, retry_after_seconds

DEFAULT_SERVICE = "https://bsky.social"
POST = "app.bsky.feed.post"
MAX_IMAGES = 4
TIMEOUT = 30.0
_S32 = "234567abcdefghijklmnopqrstuvwxyz"
# Derived keys carry a timestamp between 2000-01-01 and early 2022: a valid,
# past TID (never one "from the future"), far from the keys of posts made today.
_TID_EPOCH_US = 946_684_800_000_000
_TID_SPAN_US = 700_000_000_000_000


def record_key(key: str, part: int) -> str:
    """The TID-shaped record key of part `part` of the item with idempotency key `key`."""
    digest = int.from_bytes(hashlib.sha256(f"{key}\x00{part}".encode()).digest()[:8], "big")
    micros = _TID_EPOCH_US + (digest >> 10) % _TID_SPAN_US
    value = (micros << 10) | (digest & 0x3FF)          # 53-bit time, 10-bit clock id
    return "".join(_S32[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def make_sender(channel: str, settings: Mapping[str, Any], secrets: Mapping[str, str]
                ) -> BlueskySender:
    return BlueskySender(channel, str(settings.get("service") or DEFAULT_SERVICE),
                         secrets.get("HANDLE", ""), secrets.get("APP_PASSWORD", ""))


class BlueskySender:
    def __init__(self, channel: str, service: str, handle: str, password: str):
        self.channel = channel
        self.service = service.rstrip("/")
        self._handle = handle
        self._password = password
        self._client: Client | None = None
        self._dids: dict[str, str | None] = {}

    # -- the Sender protocol ---------------------------------------------------
    def send(self, item: Outgoing, key: str) -> Remote:
        client = self._login()
        uris: list[str] = []
        cids: list[str] = []
        for index, text in enumerate(item.parts):
            rkey = record_key(key, index)
            record = self._record(item, index, text, uris, cids)
            uri, cid = self._create(client, rkey, record, text)
            uris.append(uri)
            cids.append(cid)
        return self._remote(uris, cids)

    def find(self, item: Outgoing, key: str) -> Remote | None:
        """Every part is on the server under its key, with our text → Remote; else None.

        Some parts only (a thread cut short) is None too: `send` again completes
        it without duplicating the parts that arrived (their keys are taken).
        """
        client = self._login()
        uris, cids = [], []
        for index, text in enumerate(item.parts):
            found = self._get(client, record_key(key, index))
            if found is None or found[2] != text:
                return None
            uris.append(found[0])
            cids.append(found[1])
        return self._remote(uris, cids)

    def numbers(self, uris: list[str]) -> dict[str, dict[str, int]]:
        """likes, reposts, replies, quotes of each post, from `app.bsky.feed.getPosts`.

        The PDS hands that read to its AppView (bsky.social does); a PDS without
        one answers with an error, raised as SendFailed with its words.
        """
        client = self._login()
        counts: dict[str, dict[str, int]] = {}
        for start in range(0, len(uris), 25):          # the lexicon's maximum per call
            try:
                answer = client.app.bsky.feed.get_posts(
                    models.AppBskyFeedGetPosts.Params(uris=uris[start:start + 25]))
            except (AtProtocolError, httpx.HTTPError) as err:
                raise _failure(err) from err
            for post in answer.posts:
                counts[post.uri] = {"likes": post.like_count or 0,
                                    "reposts": post.repost_count or 0,
                                    "replies": post.reply_count or 0,
                                    "quotes": post.quote_count or 0}
        return counts

    # -- the record ------------------------------------------------------------
    def _record(self, item: Outgoing, index: int, text: str, uris: list[str],
                cids: list[str]) -> dict[str, Any]:
        record: dict[str, Any] = {
            "$type": POST, "text": text,
            "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"),
        }
        part_facets = (item.facets[index] if index < len(item.facets)
                       else tuple(detect_facets(text)))
        resolved = [f for f in (self._resolve(facet) for facet in part_facets) if f]
        if resolved:
            record["facets"] = resolved
        if item.lang:
            record["langs"] = [item.lang]
        if index == 0:
            embed = self._embed(item)
            if embed:
                record["embed"] = embed
        else:
            record["reply"] = {"root": {"uri": uris[0], "cid": cids[0]},
                               "parent": {"uri": uris[-1], "cid": cids[-1]}}
        return record

    def _resolve(self, facet: Mapping[str, Any]) -> dict[str, Any] | None:
        """A mention names its account by DID: resolve the handle now; None drops the facet."""
        features = []
        for feature in facet.get("features", ()):
            feature = dict(feature)
            if feature.get("$type") == "app.bsky.richtext.facet#mention" and "did" not in feature:
                did = self._did(str(feature.pop("handle", "")))
                if did is None:
                    return None
                feature["did"] = did
            features.append(feature)
        return {**facet, "features": features}

    def _did(self, handle: str) -> str | None:
        if handle not in self._dids:
            try:
                answer = self._login().com.atproto.identity.resolve_handle(
                    models.ComAtprotoIdentityResolveHandle.Params(handle=handle))
                self._dids[handle] = answer.did
            except RequestErrorBase as err:
                if err.response is not None and err.response.status_code == 400:
                    self._dids[handle] = None       # no such handle: the app drops it too
                else:
                    raise _failure(err) from err
        return self._dids[handle]

    def _embed(self, item: Outgoing) -> dict[str, Any] | None:
        images = [m for m in item.media if m.mime.startswith("image/")][:MAX_IMAGES]
        if images:
            return {"$type": "app.bsky.embed.images",
                    "images": [{"alt": m.alt or "", "image": self._upload(m)} for m in images]}
        if not item.url:
            return None
        external: dict[str, Any] = {"uri": item.url, "title": item.title or "",
                                    "description": item.summary or ""}
        if item.image is not None and item.image.mime.startswith("image/"):
            external["thumb"] = self._upload(item.image)
        return {"$type": "app.bsky.embed.external", "external": external}

    def _upload(self, media: Media) -> dict[str, Any]:
        try:
            data = media.path.read_bytes()
        except OSError as err:
            raise SendFailed(f"cannot read {media.path.name}: {err.strerror or err}") from err
        try:
            blob = self._login().com.atproto.repo.upload_blob(
                data, headers={"Content-Type": media.mime}).blob
        except (AtProtocolError, httpx.HTTPError) as err:
            raise _failure(err) from err        # an upload that went astray is harmless
        return blob.model_dump(by_alias=True, exclude_none=True) | {"$type": "blob"}

    # -- the calls -------------------------------------------------------------
    def _create(self, client: Client, rkey: str, record: dict[str, Any], text: str
                ) -> tuple[str, str]:
        data = models.ComAtprotoRepoCreateRecord.Data(
            repo=_did_of(client), collection=POST, rkey=rkey, record=record)
        try:
            created = client.com.atproto.repo.create_record(data)
            return created.uri, created.cid
        except (AtProtocolError, httpx.HTTPError) as err:
            # Before anything counts as a failure: is it there (a repeat, or an answer lost)?
            try:
                found = self._get(client, rkey)
            except SendFailed:
                found = None
            if found is not None:
                if found[2] == text:
                    return found[0], found[1]
                raise SendFailed(f"record key {rkey} already holds another post") from err
            if _after_sending(err):
                raise SendUncertain(f"no answer from {self.service} to createRecord") from err
            raise _failure(err) from err

    def _get(self, client: Client, rkey: str) -> tuple[str, str, str] | None:
        """(uri, cid, text) of our record under `rkey`, or None when there is none."""
        try:
            got = client.com.atproto.repo.get_record(models.ComAtprotoRepoGetRecord.Params(
                repo=_did_of(client), collection=POST, rkey=rkey))
        except RequestErrorBase as err:
            if err.response is not None and err.response.status_code == 400 and \
                    _error_name(err) in ("RecordNotFound", "InvalidRequest", ""):
                return None
            raise _failure(err) from err
        except httpx.HTTPError as err:
            raise _failure(err) from err
        value = got.value
        text = value.get("text") if isinstance(value, dict) else getattr(value, "text", None)
        return got.uri, str(got.cid), text or ""

    def _login(self) -> Client:
        if self._client is None:
            if not self._handle or not self._password:
                raise SendFailed("no handle or app password")
            client = Client(base_url=self.service, request=Request(timeout=TIMEOUT))
            try:
                # No profile lookup: it needs an AppView, and sending does not.
                client.login(self._handle, self._password, fetch_bsky_profile=False)
            except (AtProtocolError, httpx.HTTPError) as err:
                raise _failure(err) from err
            self._client = client
        return self._client

    def _remote(self, uris: list[str], cids: list[str]) -> Remote:
        handle = self._client._session.handle if self._client and self._client._session \
            else self._handle
        urls = tuple(f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}"
                     for uri in uris)
        return Remote(tuple(uris), urls, {"cids": list(cids)})


def _did_of(client: Client) -> str:
    return client._session.did       # set by login (createSession)


# -- errors --------------------------------------------------------------------


def _error_name(err: RequestErrorBase) -> str:
    content = err.response.content if err.response is not None else None
    return content.error if isinstance(content, XrpcError) else ""


def _after_sending(err: BaseException) -> bool:
    """True when the request may have reached the server and only the answer was lost."""
    cause = err.__cause__ if isinstance(err, NetworkError) and err.response is None else err
    if isinstance(cause, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return False
    if isinstance(err, (InvokeTimeoutError, httpx.TransportError)):
        return True
    return isinstance(err, NetworkError) and err.response is None


def _failure(err: BaseException) -> SendFailed:
    """The platform's own words; 429 and 5xx (and a network that failed) may be retried."""
    if isinstance(err, RequestErrorBase) and err.response is not None:
        response = err.response
        content = response.content
        if isinstance(content, XrpcError):
            words = f"{content.error}: {content.message}" if content.message else content.error
        else:
            words = (content.decode("utf-8", "replace")[:200] if isinstance(content, bytes)
                     else str(content or ""))
        message = f"{response.status_code} {words}".strip()
        status = response.status_code
        if status == 429 or status >= 500:
            return SendFailed(message, retryable=True, retry_after=_retry_after(response.headers))
        return SendFailed(message)
    if isinstance(err, SendFailed):
        return err
    cause = err.__cause__ or err
    return SendFailed(f"network: {type(cause).__name__}: {cause}".rstrip(": "), retryable=True)


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    headers = {str(k).lower(): v for k, v in headers.items()}
    found = retry_after_seconds(headers.get("retry-after"))
    if found is not None:
        return found
    reset = headers.get("ratelimit-reset")        # the PDS: epoch seconds
    if reset is not None:
        try:
            return max(0.0, float(reset) - time.time())
        except ValueError:
            return None
    return None
