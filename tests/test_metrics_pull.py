"""`hearth metrics pull`: numbers of sent posts → calendar/metrics/, from real servers."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta

from conftest import run
from servers import fixtures as servers

from hearth.load.metrics import parse_metrics
from hearth.send.base import Outgoing
from hearth.send.bluesky import make_sender as bluesky_sender
from hearth.send.mastodon import make_sender as mastodon_sender

pds = servers.pds
_mastodon_mock_session_server = servers._mastodon_mock_session_server
mastodon_server = servers.mastodon_server


def item(channel, parts, id):
    return Outgoing(channel=channel, kind=channel, id=id, revision="r1",
                    at=datetime.now(UTC) - timedelta(minutes=1), parts=tuple(parts), facets=(),
                    media=(), url="https://example.org/posts/spring/", title="Spring",
                    summary="", image=None, lang="en", settings={})


def ledger_line(id, remote):
    return json.dumps({"id": id, "revision": "r1", "at": "2026-11-20T09:00:00Z",
                       "sent_at": "2026-11-20T09:00:03Z", "state": "sent",
                       "remote": {"ids": list(remote.ids), "urls": list(remote.urls)},
                       "error": None})


def act(server, token, method, path, body=None):
    req = urllib.request.Request(server.base_url + path, method=method,
                                 data=json.dumps(body).encode() if body else b"",
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_mastodon_numbers_into_generic_csv(hub, mastodon_server, monkeypatch):
    settings = {"instance": mastodon_server.base_url}
    sender = mastodon_sender("mastodon", settings, {"TOKEN": "alice_token"})
    thread = sender.send(item("mastodon", ["1/2 spring", "2/2 more"], "mastodon:spring"), "k1")
    single = sender.send(item("mastodon", ["autumn"], "mastodon:autumn"), "k2")
    act(mastodon_server, "bob_token", "POST", f"/api/v1/statuses/{thread.ids[0]}/favourite")
    act(mastodon_server, "carol_token", "POST", f"/api/v1/statuses/{thread.ids[0]}/favourite")
    act(mastodon_server, "bob_token", "POST", f"/api/v1/statuses/{thread.ids[1]}/reblog")
    act(mastodon_server, "bob_token", "POST", "/api/v1/statuses",
        {"status": "nice", "in_reply_to_id": single.ids[0]})
    root = hub({
        "calendar/channels.yml": f"channels:\n  mastodon:\n    instance: {mastodon_server.base_url}\n",
        "calendar/sent/mastodon.jsonl": "\n".join([
            json.dumps({"id": "mastodon:spring", "state": "pending"}),
            ledger_line("mastodon:spring", thread),
            ledger_line("mastodon:autumn", single),
            json.dumps({"id": "mastodon:failed", "state": "failed", "remote": None}),
        ]) + "\n",
    })
    monkeypatch.setenv("HEARTH_MASTODON_TOKEN", "alice_token")
    result = run(root, "metrics", "pull")
    assert result.exit_code == 0, result.output
    assert result.stdout == "calendar/metrics/hearth-mastodon.csv: 2 posts\n"
    text = (root / "calendar/metrics/hearth-mastodon.csv").read_text()
    assert text == (
        "id,url,channel,date,impressions,engagements,clicks\n"
        f"mastodon:autumn,{single.urls[0]},mastodon,2026-11-20,,1,\n"
        # 2 favourites + 1 reblog; the reply that is the thread's own part 2 is not counted
        f"mastodon:spring,{thread.urls[0]},mastodon,2026-11-20,,3,\n")
    _, rows, problems = parse_metrics("calendar/metrics/hearth-mastodon.csv", text)
    assert problems == [] and [r.engagements for r in rows] == [1, 3]
    assert "alice_token" not in result.output


def test_missing_secret_is_exit_2(hub):
    root = hub({"calendar/channels.yml": "channels:\n  mastodon-fr:\n    kind: mastodon\n"
                                         "    instance: https://social.example\n",
                "calendar/sent/mastodon-fr.jsonl": ledger_line(
                    "mastodon-fr:x", type("R", (), {"ids": ("1",), "urls": ("u",)})) + "\n"})
    result = run(root, "metrics", "pull")
    assert result.exit_code == 2
    assert result.stderr == ("hearth: HEARTH_MASTODON_FR_TOKEN not set "
                             "(the secret of a channel with sent posts)\n")


def test_nothing_sent(hub):
    root = hub({"calendar/channels.yml": "channels:\n  bluesky: {}\n"})
    result = run(root, "metrics", "pull")
    assert result.exit_code == 0 and result.stdout == "nothing sent yet: no numbers to pull\n"


def test_bluesky_without_appview_says_so(hub, pds, monkeypatch):
    handle, password, _ = pds.new_account("metrics")
    secrets = {"HANDLE": handle, "APP_PASSWORD": password}
    remote = bluesky_sender("bluesky", {"service": pds.service}, secrets).send(
        item("bluesky", ["counted?"], "bluesky:spring"), "k-metrics")
    root = hub({"calendar/channels.yml": f"channels:\n  bluesky:\n    service: {pds.service}\n",
                "calendar/sent/bluesky.jsonl": ledger_line("bluesky:spring", remote) + "\n"})
    monkeypatch.setenv("HEARTH_BLUESKY_HANDLE", handle)
    monkeypatch.setenv("HEARTH_BLUESKY_APP_PASSWORD", password)
    result = run(root, "metrics", "pull")
    # The test PDS has no AppView: app.bsky.feed.getPosts cannot be answered, and the
    # old file (none here) is left alone.
    assert result.exit_code == 1
    assert result.stderr == "hearth: bluesky: 502 UpstreamFailure: Upstream service unreachable\n"
    assert not (root / "calendar/metrics/hearth-bluesky.csv").exists()
    assert password not in result.output
