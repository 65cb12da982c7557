"""`hearth send` to Mastodon, against mastodon-mock on 127.0.0.1 (tests/servers/)."""

from __future__ import annotations

import os

import json
import struct
import time
import urllib.request
import zlib
from datetime import UTC, datetime, timedelta

import pytest

BENCH = bool(os.environ.get("HEARTH_SEND_BENCH"))   # the 100-item timing runs only when asked
from servers import fixtures as servers
from servers.recorder import start_recorder

from hearth.send.base import Media, Outgoing, SendFailed, SendUncertain
from hearth.send.mastodon import make_sender

_mastodon_mock_session_server = servers._mastodon_mock_session_server
mastodon_server = servers.mastodon_server


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def item(parts, *, media=(), lang="fr", at=None, id="mastodon:spring"):
    return Outgoing(
        channel="mastodon", kind="mastodon", id=id, revision="r1",
        at=at or datetime.now(UTC) - timedelta(minutes=1), parts=tuple(parts), facets=(),
        media=tuple(media), url="https://community.example.org/posts/spring/",
        title="Spring", summary="", image=None, lang=lang, settings={})


@pytest.fixture
def rec(mastodon_server):
    proxy = start_recorder(mastodon_server.base_url)
    try:
        yield proxy
    finally:
        proxy.stop()


def sender_for(rec, token="alice_token", **settings):
    return make_sender("mastodon", {"instance": rec.base_url, **settings}, {"TOKEN": token})


def status(server, sid):
    req = urllib.request.Request(f"{server.base_url}/api/v1/statuses/{sid}",
                                 headers={"Authorization": f"Bearer {server.token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_status_with_media_language_and_visibility(mastodon_server, rec, tmp_path):
    pic = tmp_path / "seed.png"
    pic.write_bytes(png())
    out = item(["Bonjour à tous https://community.example.org/posts/spring/ #jardin"],
               media=[Media(pic, "Une graine rouge", "image/png"), Media(pic, None, "image/png")],
               lang="fr-CA")
    remote = sender_for(rec, visibility="unlisted").send(out, "mastodon:spring@r1")
    assert len(remote.ids) == 1 and remote.urls[0]
    got = status(mastodon_server, remote.ids[0])
    assert got["language"] == "fr" and got["visibility"] == "unlisted"
    assert [m["description"] for m in got["media_attachments"]] == ["Une graine rouge", None]
    assert got["url"] == remote.urls[0]
    assert rec.calls == ["POST /api/v2/media", "POST /api/v2/media", "POST /api/v1/statuses"]


def test_thread_is_replies(mastodon_server, rec):
    remote = sender_for(rec).send(item(["1/3 un fil", "2/3 qui suit", "3/3 et finit"]), "k-thread")
    got = [status(mastodon_server, sid) for sid in remote.ids]
    assert got[0]["in_reply_to_id"] is None and got[0]["visibility"] == "public"
    assert got[1]["in_reply_to_id"] == remote.ids[0]
    assert got[2]["in_reply_to_id"] == remote.ids[1]


def test_same_key_twice_is_one_status(mastodon_server, rec):
    out = item(["Une seule fois"])
    first = sender_for(rec).send(out, "k-once")
    again = sender_for(rec).send(out, "k-once")
    assert again.ids == first.ids
    me = json.loads(urllib.request.urlopen(urllib.request.Request(
        f"{mastodon_server.base_url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": "Bearer alice_token"}), timeout=10).read())
    listed = json.loads(urllib.request.urlopen(urllib.request.Request(
        f"{mastodon_server.base_url}/api/v1/accounts/{me['id']}/statuses",
        headers={"Authorization": "Bearer alice_token"}), timeout=10).read())
    assert [s["id"] for s in listed if "Une seule fois" in s["content"]] == list(first.ids)


def test_lost_answer_is_uncertain_then_found(mastodon_server, rec):
    out = item(["Arrivé ? https://community.example.org/posts/spring/?utm_source=mastodon",
                "la suite"])
    sender = sender_for(rec)
    assert sender.find(out, "k-lost") is None
    rec.drop_answer("/api/v1/statuses", skip=1)       # the first reply arrives, its answer is lost
    with pytest.raises(SendUncertain):
        sender.send(out, "k-lost")
    rec.clear()
    found = sender.find(out, "k-lost")
    assert found is not None and len(found.ids) == 2
    assert status(mastodon_server, found.ids[1])["in_reply_to_id"] == found.ids[0]
    assert rec.calls[0] == "GET /api/v1/accounts/verify_credentials"
    assert rec.calls[1].startswith("GET /api/v1/accounts/") and rec.calls[1].endswith("/statuses")
    # an older identical status does not count: it was posted before the item was due
    later = item(out.parts, at=datetime.now(UTC) + timedelta(hours=1))
    assert sender.find(later, "k-lost") is None


def test_refusals_keep_the_platform_words(mastodon_server, rec):
    with pytest.raises(SendFailed) as err:
        sender_for(rec).send(item(["x" * 501]), "k-long")
    assert err.value.message.startswith("422 ") and "too long" in err.value.message
    assert not err.value.retryable
    with pytest.raises(SendFailed) as err:
        sender_for(rec, token="not-a-token").send(item(["hi"]), "k-bad")
    assert err.value.message.startswith("401 ") and not err.value.retryable
    assert "not-a-token" not in err.value.message


def test_rate_limit_and_5xx_are_retryable(mastodon_server, rec):
    mastodon_server.fault(path="/api/v1/statuses", methods=["POST"], type="ratelimit",
                          status=429, count=1)
    with pytest.raises(SendFailed) as err:
        sender_for(rec).send(item(["plus tard"]), "k-429")
    assert err.value.retryable and err.value.retry_after == 300
    assert err.value.message == "429 Too many requests"
    mastodon_server.fault(path="/api/v2/media", type="status", status=503, count=1)
    with pytest.raises(SendFailed) as err:
        sender_for(rec).send(item(["x"], media=[Media(__import__("pathlib").Path(__file__),
                                                      None, "image/png")]), "k-503")
    assert err.value.retryable and err.value.message.startswith("503 ")
    # and then it goes through with the same key
    assert sender_for(rec).send(item(["plus tard"]), "k-429").ids


def test_no_instance_is_refused():
    with pytest.raises(SendFailed, match="instance must be an https:// URL"):
        make_sender("mastodon", {}, {"TOKEN": "t"}).send(item(["x"]), "k")


@pytest.mark.skipif(not BENCH, reason='a benchmark: HEARTH_SEND_BENCH=1 (bench/README.md)')
def test_hundred_posts(mastodon_server, rec, capsys):
    sender = sender_for(rec)
    start = time.perf_counter()
    for n in range(100):
        sender.send(item([f"Message {n} https://community.example.org/posts/p{n}/"],
                         id=f"mastodon:p{n}"), f"mastodon:p{n}@r1")
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n100 Mastodon posts: {elapsed:.2f} s, {len(rec.calls)} calls")
    assert rec.calls == ["POST /api/v1/statuses"] * 100
