"""`hearth send` end to end, as CI runs it, against the real servers of
tests/servers/: a Bluesky PDS and mastodon-mock. Build → send → ledger →
a second send sends nothing → an edit is a warning, never a second post."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from servers import fixtures as servers

from conftest import NOW, make_hub, run

pds = servers.pds
mastodon_server = servers.mastodon_server
_mastodon_mock_session_server = servers._mastodon_mock_session_server

TOML = '[site]\ntitle = "Garden"\nbase_url = "https://example.org/"\ntimezone = "Europe/Rome"\n'


def ledger(root: Path, channel: str) -> list[dict]:
    path = root / f"calendar/sent/{channel}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def hub(tmp_path: Path, channels: str, entry: str) -> Path:
    return make_hub(tmp_path / "hub", {
        "calendar/channels.yml": channels,
        "content/posts/spring.md": (f"---\ntitle: Spring meetup\ndate: 2026-11-01\nlang: en\n"
                                    f"summary: We meet in the garden.\nchannels:\n{entry}---\nBody.\n"),
    }, TOML)


def test_bluesky_thread_goes_out_once_as_a_reply_chain(tmp_path, pds, monkeypatch):
    handle, password, did = pds.new_account("e2e")
    monkeypatch.setenv("HEARTH_BLUESKY_HANDLE", handle)
    monkeypatch.setenv("HEARTH_BLUESKY_APP_PASSWORD", password)
    root = hub(tmp_path, f"channels:\n  bluesky:\n    kind: bluesky\n    slots: ['Sat 09:00']\n"
                         f"    service: {pds.service}\n",
               "  bluesky:\n    at: 2026-11-21 11:00\n    thread:\n"
               "      - \"Spring meetup 🌱 #garden\"\n      - \"Details: {url}\"\n")
    result = run(root, "send", "--now", NOW, "--format", "json")
    assert result.exit_code == 0, result.output
    [line] = [l for l in ledger(root, "bluesky") if l["state"] == "sent"]
    assert len(line["remote"]["ids"]) == 2
    assert password not in result.output and password not in json.dumps(ledger(root, "bluesky"))
    client = pds.client(handle, password)
    first, second = (client.com.atproto.repo.get_record({
        "repo": did, "collection": "app.bsky.feed.post", "rkey": uri.rsplit("/", 1)[1]})
        for uri in line["remote"]["ids"])
    assert first.value.text == "Spring meetup 🌱 #garden"
    assert first.value.facets[0].features[0].tag == "garden"
    assert first.value.langs == ["en"]
    assert second.value.reply.parent.uri == first.uri
    assert second.value.facets[0].features[0].uri.startswith("https://example.org/posts/spring/")

    again = run(root, "send", "--now", NOW)
    assert again.exit_code == 0 and "0 sent (1 sent earlier)" in again.stderr
    post = root / "content/posts/spring.md"
    post.write_text(post.read_text().replace("Details:", "All details:"))
    edited = run(root, "send", "--now", NOW)
    assert edited.exit_code == 0
    assert "edited after it was sent; not sent again" in edited.stderr
    assert len([l for l in ledger(root, "bluesky") if l["state"] == "sent"]) == 1


def test_mastodon_post_goes_out_once(tmp_path, mastodon_server, monkeypatch):
    monkeypatch.setenv("HEARTH_MASTODON_TOKEN", mastodon_server.token)
    root = hub(tmp_path, f"channels:\n  mastodon:\n    kind: mastodon\n    slots: ['Sat 09:00']\n"
                         f"    instance: {mastodon_server.base_url}\n    visibility: unlisted\n",
               "  mastodon:\n    at: 2026-11-21 11:00\n    text: \"Spring meetup {url}\"\n")
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 0, result.output
    [line] = [l for l in ledger(root, "mastodon") if l["state"] == "sent"]
    [status_id] = line["remote"]["ids"]
    import httpx

    status = httpx.get(f"{mastodon_server.base_url}/api/v1/statuses/{status_id}",
                       headers={"Authorization": f"Bearer {mastodon_server.token}"}).json()
    assert "Spring meetup" in status["content"] and status["visibility"] == "unlisted"
    assert status["language"] == "en"
    assert mastodon_server.token not in result.output
    again = run(root, "send", "--now", NOW)
    assert again.exit_code == 0 and "0 sent (1 sent earlier)" in again.stderr
