"""`hearth send` to Bluesky, against a real PDS on 127.0.0.1 (tests/servers/)."""

from __future__ import annotations

import os

import re
import struct
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

BENCH = bool(os.environ.get("HEARTH_SEND_BENCH"))   # the 100-item timing runs only when asked
from servers import fixtures as servers
from servers.recorder import start_recorder

from hearth.channels.bluesky import facets
from hearth.send.base import Media, Outgoing, SendFailed, SendUncertain
from hearth.send.bluesky import make_sender, record_key

pds = servers.pds
POST = "app.bsky.feed.post"


def png(size: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def item(parts, *, media=(), image=None, lang="en", with_facets=True, id="bluesky:spring"):
    return Outgoing(
        channel="bluesky", kind="bluesky", id=id, revision="r1",
        at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC), parts=tuple(parts),
        facets=tuple(tuple(facets(p)) for p in parts) if with_facets else (),
        media=tuple(media), url="https://community.example.org/posts/spring/?utm_source=bluesky",
        title="Spring meetup", summary="Seeds, soil and coffee.", image=image, lang=lang,
        settings={})


@pytest.fixture
def account(pds):
    handle, password, did = pds.new_account("send")
    rec = start_recorder(pds.service)
    try:
        yield rec, {"HANDLE": handle, "APP_PASSWORD": password}, did
    finally:
        rec.stop()


def sender_for(rec, secrets):
    return make_sender("bluesky", {"service": rec.base_url}, secrets)


def get(pds, secrets, did, rkey):
    from atproto import models
    client = pds.client(secrets["HANDLE"], secrets["APP_PASSWORD"])
    return client.com.atproto.repo.get_record(models.ComAtprotoRepoGetRecord.Params(
        repo=did, collection=POST, rkey=rkey))


def test_record_keys_are_tids_and_stable():
    keys = {record_key("bluesky:spring@r1", i) for i in range(50)}
    assert len(keys) == 50
    assert all(re.fullmatch(r"[2-7a-j][2-7a-z]{12}", k) for k in keys)
    assert record_key("bluesky:spring@r1", 0) == record_key("bluesky:spring@r1", 0)
    assert record_key("bluesky:spring@r1", 0) != record_key("bluesky:spring@r2", 0)


def test_post_with_facets_link_card_and_langs(pds, account, tmp_path):
    rec, secrets, did = account
    thumb = tmp_path / "cover.png"
    thumb.write_bytes(png(2))
    text = (f"Grüße 🌱 from @{secrets['HANDLE']} and @nobody-here.test: "
            "https://community.example.org/posts/spring #garden")
    out = item([text], image=Media(thumb, "cover", "image/png"), lang="de")
    remote = sender_for(rec, secrets).send(out, "bluesky:spring@r1")

    rkey = record_key("bluesky:spring@r1", 0)
    assert remote.ids == (f"at://{did}/{POST}/{rkey}",)
    assert remote.urls == (f"https://bsky.app/profile/{secrets['HANDLE']}/post/{rkey}",)
    assert len(remote.extra["cids"]) == 1
    got = get(pds, secrets, did, rkey)
    value = got.value
    assert value.text == text and value.langs == ["de"]
    raw = text.encode()
    spans = {raw[f.index.byte_start:f.index.byte_end].decode(): f.features[0] for f in value.facets}
    # the mention that resolves carries the DID; the one that does not is dropped
    assert spans[f"@{secrets['HANDLE']}"].did == did
    assert "@nobody-here.test" not in spans
    assert spans["https://community.example.org/posts/spring"].uri == \
        "https://community.example.org/posts/spring"
    assert spans["#garden"].tag == "garden"
    card = value.embed.external
    assert value.embed.py_type == "app.bsky.embed.external"
    assert (card.uri, card.title, card.description) == (out.url, "Spring meetup",
                                                         "Seeds, soil and coffee.")
    assert card.thumb.mime_type == "image/png"
    assert rec.calls == [
        "POST /xrpc/com.atproto.server.createSession",
        "GET /xrpc/com.atproto.identity.resolveHandle",
        "GET /xrpc/com.atproto.identity.resolveHandle",
        "POST /xrpc/com.atproto.repo.uploadBlob",
        "POST /xrpc/com.atproto.repo.createRecord",
    ]


def test_images_with_alt_and_no_card(pds, account, tmp_path):
    rec, secrets, did = account
    media = []
    for n in range(5):
        path = tmp_path / f"p{n}.png"
        path.write_bytes(png(n + 1))
        media.append(Media(path, f"picture {n}" if n != 1 else None, "image/png"))
    out = item(["Five pictures, four fit"], media=media, image=Media(media[0].path, "x", "image/png"))
    sender_for(rec, secrets).send(out, "k-images")
    value = get(pds, secrets, did, record_key("k-images", 0)).value
    assert value.embed.py_type == "app.bsky.embed.images"
    assert [i.alt for i in value.embed.images] == ["picture 0", "", "picture 2", "picture 3"]
    assert rec.calls.count("POST /xrpc/com.atproto.repo.uploadBlob") == 4


def test_thread_is_a_reply_chain(pds, account):
    rec, secrets, did = account
    out = item(["1/3 A thread", "2/3 goes on", "3/3 and ends"], lang=None)
    remote = sender_for(rec, secrets).send(out, "k-thread")
    assert len(remote.ids) == 3
    cids = remote.extra["cids"]
    values = [get(pds, secrets, did, record_key("k-thread", i)).value for i in range(3)]
    assert values[0].reply is None and values[0].langs is None
    assert values[0].embed.py_type == "app.bsky.embed.external"      # the card on the first only
    for i in (1, 2):
        assert values[i].embed is None
        assert (values[i].reply.root.uri, values[i].reply.root.cid) == (remote.ids[0], cids[0])
        assert (values[i].reply.parent.uri, values[i].reply.parent.cid) == \
            (remote.ids[i - 1], cids[i - 1])


def test_a_repeat_is_recognised_not_posted_twice(pds, account):
    rec, secrets, did = account
    out = item(["Once only https://community.example.org/posts/spring"])
    first = sender_for(rec, secrets).send(out, "k-once")
    rec.clear()
    again = sender_for(rec, secrets).send(out, "k-once")
    assert again.ids == first.ids and again.extra == first.extra
    # the create is refused (500 from the reference PDS), then looked up: it is ours
    assert rec.calls[-2:] == ["POST /xrpc/com.atproto.repo.createRecord",
                              "GET /xrpc/com.atproto.repo.getRecord"]
    from atproto import models
    listed = pds.client(secrets["HANDLE"], secrets["APP_PASSWORD"]).com.atproto.repo.list_records(
        models.ComAtprotoRepoListRecords.Params(repo=did, collection=POST))
    assert len(listed.records) == 1


def test_key_taken_by_another_text_fails(pds, account):
    rec, secrets, _ = account
    sender_for(rec, secrets).send(item(["first text"]), "k-taken")
    with pytest.raises(SendFailed, match="already holds another post"):
        sender_for(rec, secrets).send(item(["other text"]), "k-taken")


def test_lost_answer_is_uncertain_then_found(pds, account):
    rec, secrets, _ = account
    out = item(["Did it arrive?", "yes, both parts"])
    sender = sender_for(rec, secrets)
    assert sender.find(out, "k-lost") is None                    # nothing yet
    # The answer to the first createRecord is lost; the check right after
    # finds it, so the thread goes on. The second one's lookup is lost too.
    rec.drop_answer("createRecord")
    rec.drop_answer("createRecord")
    rec.drop_answer("getRecord", skip=1)
    calls = len(rec.calls)
    with pytest.raises(SendUncertain):
        sender.send(out, "k-lost")
    assert rec.calls[calls:] == ["POST /xrpc/com.atproto.repo.createRecord",
                                 "GET /xrpc/com.atproto.repo.getRecord",
                                 "POST /xrpc/com.atproto.repo.createRecord",
                                 "GET /xrpc/com.atproto.repo.getRecord"]
    found = sender_for(rec, secrets).find(out, "k-lost")
    assert found is not None and len(found.ids) == 2
    # a thread cut short is not "found": sending again completes it (keys taken are ours)
    partial = item(["Did it arrive?", "yes, both parts", "and a third"])
    assert sender.find(partial, "k-lost") is None
    assert len(sender.send(partial, "k-lost").ids) == 3


def test_bad_password_and_too_long_text(pds, account):
    rec, secrets, _ = account
    with pytest.raises(SendFailed) as err:
        sender_for(rec, {**secrets, "APP_PASSWORD": "wrong-pass"}).send(item(["x"]), "k-bad")
    assert not err.value.retryable
    assert "401 AuthenticationRequired: Invalid identifier or password" in err.value.message
    assert "wrong-pass" not in err.value.message
    with pytest.raises(SendFailed) as err:
        sender_for(rec, secrets).send(item(["x" * 301], with_facets=False), "k-long")
    assert not err.value.retryable
    assert "400 InvalidRequest" in err.value.message and "grapheme" in err.value.message


def test_server_down_is_a_retryable_failure(tmp_path):
    port = servers.free_port()
    sender = make_sender("bluesky", {"service": f"http://127.0.0.1:{port}"},
                         {"HANDLE": "a.test", "APP_PASSWORD": "p"})
    with pytest.raises(SendFailed) as err:
        sender.send(item(["x"]), "k")
    assert err.value.retryable and "ConnectError" in err.value.message


@pytest.mark.skipif(not BENCH, reason='a benchmark: HEARTH_SEND_BENCH=1 (bench/README.md)')
def test_hundred_posts(pds, account, capsys):
    rec, secrets, _ = account
    sender = sender_for(rec, secrets)
    start = time.perf_counter()
    for n in range(100):
        sender.send(item([f"Post number {n} https://community.example.org/posts/p{n}"],
                         id=f"bluesky:p{n}"), f"bluesky:p{n}@r1")
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n100 Bluesky posts: {elapsed:.2f} s, {len(rec.calls)} calls")
    assert rec.calls.count("POST /xrpc/com.atproto.repo.createRecord") == 100
    assert rec.calls.count("POST /xrpc/com.atproto.server.createSession") == 1
