"""`hearth send`: due items out to real servers on 127.0.0.1, once each, with a ledger."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

BENCH = bool(os.environ.get("HEARTH_SEND_BENCH"))   # the 100-item timing runs only when asked
from servers import fixtures as servers

from conftest import NOW, REPO, make_hub, run

discord_webhook = servers.discord_webhook
smtp_server = servers.smtp_server
smtps_server = servers.smtps_server

TOML = '[site]\ntitle = "Garden"\nbase_url = "https://example.org/"\ntimezone = "Europe/Rome"\n'
CHANNELS = """\
channels:
  discord:
    kind: discord
    slots: ["Sat 09:00"]
  x:
    kind: x
    slots: ["Sat 09:00"]
  news:
    kind: newsletter
    every: month
    to: list@example.org
    from: hub@example.org
    utm: {source: letter, medium: email}
"""


def post(slug: str, at: str, text: str = "", extra: str = "", channels: str = "") -> tuple[str, str]:
    text = text or f"Hello from {slug} {{url}}"
    channels = channels or f'  discord:\n    text: "{text}"\n    at: {at}\n'
    return (f"content/posts/{slug}.md",
            f"---\ntitle: Post {slug}\ndate: 2026-11-01\nsummary: About {slug}.\n{extra}"
            f"channels:\n{channels}---\nBody of {slug}.\n")


def files(*posts: tuple[str, str], channels: str = CHANNELS) -> dict:
    return {"calendar/channels.yml": channels, **dict(posts)}


def ledger(root: Path, channel: str = "discord") -> list[dict]:
    path = root / f"calendar/sent/{channel}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def webhook(discord_webhook, monkeypatch):
    monkeypatch.setenv("HEARTH_DISCORD_WEBHOOK", discord_webhook.url)
    monkeypatch.setenv("HEARTH_SEND_MAX_WAIT", "0.2")
    monkeypatch.setenv("HEARTH_SEND_TIMEOUT", "5")
    return discord_webhook


def posted(server) -> list[str]:
    return [m["content"] for m in server.messages.values()]


def test_a_full_run_sends_once_then_warns_about_an_edit(tmp_path, webhook):
    root = make_hub(tmp_path / "hub", files(post("hello", "2026-11-21 11:00"),
                                            post("later", "2026-11-22 11:00")), TOML)
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert posted(webhook) == ["Hello from hello https://example.org/posts/hello/"]
    message_id = next(iter(webhook.messages))
    url = f"https://discord.com/channels/1/998877665544332211/{message_id}"
    assert result.stdout == f"sent      discord:hello  {url}\n"
    assert "x: not sent by Hearth: their queues and Buffer CSV are for another scheduler" in result.stderr
    assert webhook.requests[0].query == {"wait": ["true"]}
    lines = ledger(root)
    assert [line["state"] for line in lines] == ["pending", "sent"]
    assert lines[1]["remote"] == {"ids": [message_id], "urls": [url]}
    assert list(lines[1]) == ["id", "revision", "at", "sent_at", "state", "remote", "error"]
    assert lines[1]["at"] == "2026-11-21T10:00:00Z"

    again = run(root, "send", "--now", NOW)
    assert again.exit_code == 0 and again.stdout == ""
    assert "send: 0 sent (1 sent earlier)" in again.stderr
    assert len(webhook.messages) == 1

    page = root / "content/posts/hello.md"
    page.write_text(page.read_text().replace("Hello from hello", "Hello again from hello"))
    edited = run(root, "send", "--now", NOW)
    assert edited.exit_code == 0, edited.output
    assert ("content/posts/hello.md:1:1: warning: [send] discord:hello was edited after it was sent; "
            "not sent again") in edited.stderr
    assert "skipped   discord:hello  edited after it was sent; not sent again" in edited.stdout
    assert len(webhook.messages) == 1 and len(ledger(root)) == 2


def test_json_report_lists_objects(tmp_path, webhook):
    root = make_hub(tmp_path / "hub", files(post("hello", "2026-11-21 11:00")), TOML)
    result = run(root, "send", "--now", NOW, "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["channel"] == "discord" and row["id"] == "discord:hello" and row["state"] == "sent"
    assert row["urls"][0].startswith("https://discord.com/channels/1/")


def test_dry_run_sends_and_writes_nothing(tmp_path, webhook):
    root = make_hub(tmp_path / "hub", files(post("hello", "2026-11-21 11:00")), TOML)
    result = run(root, "send", "--now", NOW, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("would-send  discord:hello  2026-11-21T11:00:00+01:00  Hello from hello")
    assert webhook.requests == [] and not (root / "calendar/sent").exists()


def test_a_missing_secret_is_exit_2_naming_the_variable(tmp_path, webhook, monkeypatch):
    monkeypatch.delenv("HEARTH_DISCORD_WEBHOOK")
    root = make_hub(tmp_path / "hub", files(post("hello", "2026-11-21 11:00")), TOML)
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 2
    assert ("hearth: channel 'discord' has items to send, but HEARTH_DISCORD_WEBHOOK is not set "
            "(secrets come from the environment only)") in result.stderr
    assert webhook.requests == [] and ledger(root) == []


def test_no_secret_is_needed_when_nothing_is_due(tmp_path, webhook, monkeypatch):
    monkeypatch.delenv("HEARTH_DISCORD_WEBHOOK")
    root = make_hub(tmp_path / "hub", files(post("later", "2026-11-22 11:00")), TOML)
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 0, result.output


def test_a_rate_limit_is_waited_out(tmp_path, webhook):
    webhook.rate_limit_next(retry_after=0.1, times=2)
    root = make_hub(tmp_path / "hub", files(post("hello", "2026-11-21 11:00")), TOML)
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert [r.status for r in webhook.requests if r.method == "POST"] == [429, 429, 200]
    assert len(webhook.messages) == 1


def test_a_server_that_keeps_failing_fails_the_item_and_the_rest_goes(tmp_path, webhook):
    webhook.fail_next(500, times=3)
    root = make_hub(tmp_path / "hub", files(post("first", "2026-11-21 10:00"),
                                            post("second", "2026-11-21 11:00")), TOML)
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 1
    assert ("failed    discord:first  Discord: Internal Server Error (after 3 tries)") in result.stdout
    assert "sent      discord:second" in result.stdout
    assert posted(webhook) == ["Hello from second https://example.org/posts/second/"]
    states = {(line["id"], line["state"]) for line in ledger(root)}
    assert ("discord:first", "failed") in states and ("discord:second", "sent") in states
    # a failed item is tried again on the next run, while it is not too late
    retry = run(root, "send", "--now", NOW)
    assert retry.exit_code == 0 and "sent      discord:first" in retry.stdout


def test_a_refusal_is_the_platforms_own_words(tmp_path, webhook):
    webhook.fail_next(400, {"code": 50006, "message": "Cannot send an empty message"})
    root = make_hub(tmp_path / "hub", files(post("hello", "2026-11-21 11:00")), TOML)
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 1
    assert "failed    discord:hello  Discord: Cannot send an empty message (code 50006)" in result.stdout
    assert len([r for r in webhook.requests if r.method == "POST"]) == 1   # a 4xx is not retried


def test_an_item_older_than_late_is_missed_once(tmp_path, webhook):
    channels = CHANNELS.replace('    slots: ["Sat 09:00"]\n  x:', '    slots: ["Sat 09:00"]\n    late: 1h\n  x:')
    root = make_hub(tmp_path / "hub", files(post("old", "2026-11-21 10:30"),
                                            post("fresh", "2026-11-21 12:30"), channels=channels), TOML)
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 1
    assert ("missed    discord:old  due 2026-11-21T10:30+01:00, more than 1h ago "
            "(the channel's `late`); not sent late") in result.stdout
    assert posted(webhook) == ["Hello from fresh https://example.org/posts/fresh/"]
    again = run(root, "send", "--now", NOW)
    assert again.exit_code == 0 and again.stdout == ""


def test_two_sends_at_once_never_double_send(tmp_path, webhook):
    root = make_hub(tmp_path / "hub", files(post("hello", "2026-11-21 11:00")), TOML)
    webhook.delay_next(2.0)
    first = subprocess.Popen([sys.executable, "-m", "hearth", "-C", str(root), "send", "--now", NOW],
                             env={**os.environ, "PYTHONPATH": str(REPO / "src")},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: webhook.requests)
    second = run(root, "send", "--now", NOW)
    assert second.exit_code == 2
    assert "hearth: another hearth send is running (calendar/sent/.lock); nothing was sent" in second.stderr
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert len(webhook.messages) == 1


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_run_killed_mid_request_neither_loses_nor_duplicates(tmp_path, webhook):
    root = make_hub(tmp_path / "hub", files(post("first", "2026-11-21 10:00"),
                                            post("second", "2026-11-21 11:00")), TOML)
    webhook.delay_next(30.0)
    proc = subprocess.Popen([sys.executable, "-m", "hearth", "-C", str(root), "send", "--now", NOW],
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for(lambda: webhook.requests)
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert [line["state"] for line in ledger(root)] == ["pending"]
    assert len(webhook.messages) == 1                   # it arrived; the answer never did

    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 1
    assert "uncertain discord:first  a request went out earlier and no answer came" in result.stdout
    assert "sent      discord:second" in result.stdout
    assert len(webhook.messages) == 2                   # first not resent, second sent
    assert [(line["id"], line["state"]) for line in ledger(root)] == [
        ("discord:first", "pending"), ("discord:first", "uncertain"),
        ("discord:second", "pending"), ("discord:second", "sent")]
    again = run(root, "send", "--now", NOW)
    assert "uncertain discord:first" in again.stdout and len(webhook.messages) == 2
    assert len(ledger(root)) == 4                       # reported again, not written again


def test_a_torn_last_line_is_ignored_with_one_warning(tmp_path, webhook):
    root = make_hub(tmp_path / "hub", files(post("hello", "2026-11-21 11:00")), TOML)
    (root / "calendar/sent").mkdir(parents=True)
    (root / "calendar/sent/discord.jsonl").write_text('{"id": "discord:hello", "revis')
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("calendar/sent/discord.jsonl:1:1: warning: [ledger] the last line is "
                               "cut short (a send was killed while writing it); ignored") == 1
    assert [line["state"] for line in ledger(root)] == ["pending", "sent"]


def test_images_go_as_attachments_with_their_alt_text(tmp_path, webhook):
    extra = "image: media/a.png\nimage_alt: A tiny square\n"
    channels = '  discord:\n    text: "Look {url}"\n    at: 2026-11-21 11:00\n    media: [media/a.png]\n'
    hub_files = files(post("pic", "", extra=extra, channels=channels))
    hub_files["content/media/a.png"] = servers_png()
    root = make_hub(tmp_path / "hub", hub_files, TOML)
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 0, result.output
    [request] = [r for r in webhook.requests if r.method == "POST"]
    assert request.files[0]["filename"] == "a.png" and request.files[0]["data"] == servers_png()
    [message] = webhook.messages.values()
    assert message["attachments"][0]["description"] == "A tiny square"


def servers_png() -> bytes:
    from test_servers_smoke import tiny_png
    return tiny_png()


def test_secrets_never_leak(tmp_path, webhook):
    webhook.fail_next(404, {"code": 10015, "message": f"Unknown Webhook {webhook.token}"})
    root = make_hub(tmp_path / "hub", files(post("first", "2026-11-21 10:00"),
                                            post("second", "2026-11-21 11:00")), TOML)
    outputs = [run(root, "send", "--now", NOW), run(root, "send", "--now", NOW, "--format", "json"),
               run(root, "send", "--now", NOW, "--dry-run"), run(root, "build", "--now", NOW)]
    assert len(webhook.messages) == 2
    seen = "".join(r.stdout + r.stderr for r in outputs)
    seen += (root / "calendar/sent/discord.jsonl").read_text()
    seen += "".join(p.read_text(errors="replace") for p in (root / "dist").rglob("*") if p.is_file())
    assert webhook.token not in seen and webhook.url not in seen
    assert "[secret]" in (root / "calendar/sent/discord.jsonl").read_text()


def test_the_newsletter_goes_by_smtp_with_starttls(tmp_path, smtp_server, monkeypatch):
    monkeypatch.setenv("HEARTH_NEWS_SMTP_URL", f"smtp://hearth:hearth-pass@127.0.0.1:{smtp_server.port}")
    monkeypatch.setenv("HEARTH_SMTP_CA_FILE", smtp_server.ca_path)
    channels = '  news: true\n'
    root = make_hub(tmp_path / "hub", files(post("one", "", channels=channels)), TOML)
    result = run(root, "send", "--now", "2026-12-01T09:00:00Z")
    assert result.exit_code == 0, result.output
    [mail] = smtp_server.wait_for(1)
    message = mail.message
    assert mail.tls and mail.login == "hearth" and mail.rcpt_tos == ["list@example.org"]
    assert message["From"] == "hub@example.org" and message["To"] == "list@example.org"
    assert message["Subject"] == "Garden · November 2026"
    assert message["Message-ID"].endswith("@example.org>") and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "https://example.org/posts/one/?utm_source=letter&utm_medium=email" in text.replace("&amp;", "&")
    assert "Post one" in html
    assert "hearth-pass" not in result.output + (root / "calendar/sent/news.jsonl").read_text()
    again = run(root, "send", "--now", "2026-12-01T09:00:00Z")
    assert again.exit_code == 0 and len(smtp_server.messages) == 1


def test_the_newsletter_over_smtps(tmp_path, smtps_server, monkeypatch):
    monkeypatch.setenv("HEARTH_NEWS_SMTP_URL", f"smtps://hearth:hearth-pass@127.0.0.1:{smtps_server.port}")
    monkeypatch.setenv("HEARTH_SMTP_CA_FILE", smtps_server.ca_path)
    root = make_hub(tmp_path / "hub", files(post("one", "", channels="  news: true\n")), TOML)
    result = run(root, "send", "--now", "2026-12-01T09:00:00Z", "--channel", "news")
    assert result.exit_code == 0, result.output
    [mail] = smtps_server.wait_for(1)
    assert mail.tls and mail.message["Subject"] == "Garden · November 2026"


def test_channel_send_settings_are_checked(tmp_path):
    channels = ("channels:\n  mastodon:\n    kind: mastodon\n    instance: http://m.example\n"
                "    visibility: everyone\n    late: soon\n  news:\n    kind: newsletter\n"
                "    to: [list@example.org, nobody]\n")
    root = make_hub(tmp_path / "hub", {"calendar/channels.yml": channels}, TOML)
    result = run(root, "check")
    assert result.exit_code == 1
    for message in ("[channels] instance must be an https URL like https://mastodon.social, "
                    "not 'http://m.example'",
                    "[channels] visibility must be one of public, unlisted, private, direct, not 'everyone'",
                    "[channels] late: 'soon' is not a duration",
                    "[channels] 'nobody' is not an email address"):
        assert message in result.output


def test_a_mastodon_channel_needs_its_instance_to_send(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARTH_MASTODON_TOKEN", "t0ken-t0ken")
    channels = "channels:\n  mastodon:\n    kind: mastodon\n"
    mastodon = '  mastodon:\n    text: "Hi {url}"\n    at: 2026-11-21 11:00\n'
    root = make_hub(tmp_path / "hub", files(post("hello", "", channels=mastodon), channels=channels), TOML)
    result = run(root, "send", "--now", NOW)
    assert result.exit_code == 2
    assert ("hearth: channel 'mastodon' has items to send, but no 'instance:' (like "
            "https://mastodon.social) in calendar/channels.yml") in result.stderr


def test_the_secret_names(tmp_path):
    from hearth.send.run import secret_name
    assert secret_name("mastodon-fr", "TOKEN") == "HEARTH_MASTODON_FR_TOKEN"
    assert secret_name("news_2", "SMTP_URL") == "HEARTH_NEWS_2_SMTP_URL"


@pytest.mark.skipif(not BENCH, reason='a benchmark: HEARTH_SEND_BENCH=1 (bench/README.md)')
def test_a_hundred_due_items(tmp_path, webhook, capsys):
    posts = [post(f"p{n:03d}", f"2026-11-21 {10 + n // 60:02d}:{n % 60:02d}") for n in range(100)]
    channels = CHANNELS.replace("    slots: [\"Sat 09:00\"]\n  x:", "    slots: [\"Sat 09:00\"]\n    late: 1d\n  x:")
    root = make_hub(tmp_path / "hub", files(*posts, channels=channels), TOML)
    start = time.perf_counter()
    result = run(root, "send", "--now", "2026-11-21T12:00:00Z")
    seconds = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert len(webhook.messages) == 100
    with capsys.disabled():
        print(f"\n100 due discord items sent in {seconds:.2f}s")


def test_review_and_report_show_what_was_sent(tmp_path, webhook):
    root = make_hub(tmp_path / "hub", files(post("hello", "2026-11-21 11:00"),
                                            post("other", "2026-11-20 11:00")), TOML)
    assert run(root, "send", "--now", NOW).exit_code == 1          # `other` is missed
    [message_id] = webhook.messages
    url = f"https://discord.com/channels/1/998877665544332211/{message_id}"
    assert run(root, "build", "--now", NOW).exit_code == 0
    week = (root / "dist/review/week/2026-W47/index.html").read_text()    # the full cards
    assert f'<a class="sent" href="{url}"' in week and "Sent ↗" in week
    report = run(root, "report", "--now", NOW)
    assert "Sent by hearth send (calendar/sent/), of the items due: discord 1/2" in report.stdout
    page = (root / "dist/review/report/index.html").read_text()
    assert "of the items due: Discord 1/2." in page        # the page names channels by label
