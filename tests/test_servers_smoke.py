"""Smoke tests of the real test servers in tests/servers/ (see its README.md)."""

from __future__ import annotations

import json
import smtplib
import struct
import urllib.error
import urllib.request
import uuid
import zlib
from email.message import EmailMessage

import pytest
from servers import fixtures as servers

# The fixtures of tests/servers/fixtures.py, made visible to this module.
pds = servers.pds
smtp_server = servers.smtp_server
smtps_server = servers.smtps_server
_mastodon_mock_session_server = servers._mastodon_mock_session_server
mastodon_server = servers.mastodon_server
discord_webhook = servers.discord_webhook


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


# --------------------------------------------------------------------------- PDS

def test_pds_login_post_blob_and_duplicate(pds):
    from atproto import Client, models
    from atproto_client.exceptions import AtProtocolError

    handle, password, did = pds.new_account("smoke")
    client = Client(base_url=pds.service)
    # No AppView behind this PDS: skip app.bsky.actor.getProfile at login.
    assert client.login(handle, password, fetch_bsky_profile=False) is None
    assert client._session.did == did

    blob = client.com.atproto.repo.upload_blob(tiny_png()).blob
    assert blob.mime_type == "image/png" and blob.size > 0

    rkey = "3hearthsmoke2"
    record = models.AppBskyFeedPost.Record(
        text="hello from hearth", created_at=client.get_current_time_iso(), langs=["en"],
        embed=models.AppBskyEmbedImages.Main(images=[
            models.AppBskyEmbedImages.Image(alt="a red pixel", image=blob)]),
    )
    data = models.ComAtprotoRepoCreateRecord.Data(
        repo=did, collection="app.bsky.feed.post", rkey=rkey, record=record)
    created = client.com.atproto.repo.create_record(data)
    assert created.uri == f"at://{did}/app.bsky.feed.post/{rkey}"

    got = client.com.atproto.repo.get_record(models.ComAtprotoRepoGetRecord.Params(
        repo=did, collection="app.bsky.feed.post", rkey=rkey))
    assert got.cid == created.cid
    assert got.value.text == "hello from hearth"
    assert got.value.embed.images[0].alt == "a red pixel"
    assert got.value.embed.images[0].image.ref.link == blob.ref.link

    # The same rkey again: the reference PDS refuses with a 500 InternalServerError
    # ("There is already a value at key ..." in its log), not a 4xx.
    with pytest.raises(AtProtocolError) as err:
        client.com.atproto.repo.create_record(data)
    assert err.value.response.status_code == 500


def test_pds_fixture_account_and_helper(pds):
    from atproto import models

    client = pds.client()  # the fixture's own account, same login path
    assert client._session.handle == pds.handle
    # DID resolution inside the PDS works (PLC reached as localhost, see run_pds.mjs)
    repo = client.com.atproto.repo.describe_repo(
        models.ComAtprotoRepoDescribeRepo.Params(repo=pds.did))
    assert repo.handle == pds.handle and repo.handle_is_correct
    assert pds.service.startswith("http://127.0.0.1:")


# -------------------------------------------------------------------------- SMTP

def _mail(to: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Hearth <hub@example.org>"
    msg["To"] = to
    msg["Subject"] = "Ciao — test"
    msg.set_content("First line\n.\nA line that is just a dot above.\n")
    return msg


def test_smtp_plain_auth_and_starttls(smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as s:
        s.ehlo()
        assert s.has_extn("auth")
        s.login("hearth", "hearth-pass")
        s.send_message(_mail("reader@example.net"))
    if smtp_server.starttls:
        with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as s:
            s.starttls(context=smtp_server.client_ssl_context())
            s.login("hearth", "hearth-pass")
            s.send_message(_mail("second@example.net"))
    mails = smtp_server.wait_for(2 if smtp_server.starttls else 1)
    first = mails[0]
    assert first.rcpt_tos == ["reader@example.net"] and first.login == "hearth"
    assert first.tls is False
    assert first.message["Subject"] == "Ciao — test"
    assert "\n.\n" in first.message.get_content().replace("\r\n", "\n")  # dot-unstuffed
    if smtp_server.starttls:
        assert mails[1].tls is True


def test_smtp_bad_password_and_rejected_rcpt(smtp_server):
    smtp_server.reject_rcpt.add("nobody@example.net")
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as s:
        with pytest.raises(smtplib.SMTPAuthenticationError):
            s.login("hearth", "wrong")
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            s.send_message(_mail("nobody@example.net"))
    assert smtp_server.messages == []


def test_smtps(smtps_server):
    with smtplib.SMTP_SSL(smtps_server.host, smtps_server.port, timeout=10,
                          context=smtps_server.client_ssl_context()) as s:
        s.login("hearth", "hearth-pass")
        s.send_message(_mail("reader@example.net"))
    assert smtps_server.wait_for(1)[0].tls is True


# ---------------------------------------------------------------------- Mastodon

def _mastodon(server, method, path, *, data=None, headers=None, form=None):
    hdrs = {"Authorization": f"Bearer {server.token}", **(headers or {})}
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        hdrs["Content-Type"] = "application/json"
    if form is not None:
        body, ctype = form
        hdrs["Content-Type"] = ctype
    req = urllib.request.Request(server.base_url + path, data=body, headers=hdrs, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def _multipart(fields: dict[str, str], filename: str, content: bytes, ctype: str):
    boundary = uuid.uuid4().hex
    out = b""
    for k, v in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n"
                f"{v}\r\n").encode()
    out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n").encode()
    out += content + f"\r\n--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def test_mastodon_media_status_idempotency(mastodon_server):
    st, media = _mastodon(mastodon_server, "POST", "/api/v2/media",
                          form=_multipart({"description": "a red pixel"}, "p.png",
                                          tiny_png(), "image/png"))
    assert st in (200, 202) and media["description"] == "a red pixel"
    st, again = _mastodon(mastodon_server, "GET", f"/api/v1/media/{media['id']}")
    assert st == 200 and again["url"]

    key = {"Idempotency-Key": "hearth-smoke-1"}
    st, s1 = _mastodon(mastodon_server, "POST", "/api/v1/statuses", headers=key,
                       data={"status": "hello", "media_ids": [media["id"]]})
    assert st == 200 and s1["media_attachments"][0]["id"] == media["id"]
    st, s2 = _mastodon(mastodon_server, "POST", "/api/v1/statuses", headers=key,
                       data={"status": "hello", "media_ids": [media["id"]]})
    assert st == 200 and s2["id"] == s1["id"]
    st, err = _mastodon(mastodon_server, "POST", "/api/v1/statuses", data={"status": "x" * 501})
    assert st == 422 and "too long" in err["error"]

    mastodon_server.fault(path="/api/v1/statuses", methods=["POST"], type="ratelimit", count=1)
    st, _ = _mastodon(mastodon_server, "POST", "/api/v1/statuses", data={"status": "later"})
    assert st == 429


# ----------------------------------------------------------------------- Discord

def _post(url: str, body: bytes, ctype: str):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read() or b"null")


def test_discord_webhook(discord_webhook):
    url = discord_webhook.url + "?wait=true"
    st, _, msg = _post(url, json.dumps({"content": "hello"}).encode(), "application/json")
    assert st == 200 and msg["content"] == "hello" and msg["channel_id"] and msg["id"]

    boundary = uuid.uuid4().hex
    payload = {"content": "with a file",
               "attachments": [{"id": 0, "description": "a red pixel", "filename": "p.png"}]}
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
            f"Content-Type: application/json\r\n\r\n{json.dumps(payload)}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"files[0]\"; "
            f"filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n").encode() + tiny_png() + \
        f"\r\n--{boundary}--\r\n".encode()
    st, _, msg = _post(url, body, f"multipart/form-data; boundary={boundary}")
    assert st == 200
    att = msg["attachments"][0]
    assert att["filename"] == "p.png" and att["description"] == "a red pixel"
    assert att["size"] == len(tiny_png())
    assert discord_webhook.requests[-1].files[0]["data"] == tiny_png()

    st, _, err = _post(url, json.dumps({"content": "x" * 2001}).encode(), "application/json")
    assert st == 400 and err["code"] == 50035 and "content" in err["errors"]

    discord_webhook.rate_limit_next(retry_after=0.5)
    st, headers, err = _post(url, json.dumps({"content": "hi"}).encode(), "application/json")
    assert st == 429 and err["retry_after"] == 0.5 and headers["Retry-After"] == "1"
    assert headers["X-RateLimit-Remaining"] == "0"

    st, _, _ = _post(discord_webhook.url, json.dumps({"content": "no wait"}).encode(),
                     "application/json")
    assert st == 204
    st, _, err = _post(discord_webhook.url.replace("token", "nope") + "?wait=true",
                       json.dumps({"content": "x"}).encode(), "application/json")
    assert st == 404 and err["code"] == 10015
