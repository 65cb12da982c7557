"""Hardening `hearth serve` (issue 12, serve): no edit or internal error stops the
preview, idle connections are closed, nothing outside dist/ is served, and
the options fail as usage errors.

The server runs for real on 127.0.0.1, port 0, in a thread of the test
process (so the tests can count its threads); requests go over real sockets.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import markdown
import pytest

from conftest import NOW, make_hub, run
from conftest import wait_for as poll
from hearth.dates import parse_now
from hearth.serve import Server

POST = "---\ntitle: {title}\ndate: {date}\n---\nHello there. {body}\n"
PATH = "content/posts/2026-01-05-hello.md"
TOML = '[site]\ntitle = "T"\nbase_url = "https://example.org/community/"\n'


def post(title: str, date: str = "2026-01-05", body: str = "") -> str:
    return POST.format(title=title, date=date, body=body)


# ------------------------------------------------------------------ the harness

class Preview:
    """A real Server in a thread; `get` answers over a real HTTP connection."""

    def __init__(self, root: Path, idle_timeout: float = 30.0):
        self.root = root
        self.lines: list[str] = []
        self.server = Server(root, "127.0.0.1", 0, now=parse_now(NOW), idle_timeout=idle_timeout)
        self.thread = threading.Thread(target=self.server.run, args=(self.lines.append,),
                                       daemon=True)
        self.thread.start()
        assert self.server.ready.wait(60), self.lines
        self.port = self.server.httpd.server_port

    def get(self, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.putrequest("GET", path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def status(self) -> dict:
        code, body = self.get("/_hearth/status")
        assert code == 200
        return json.loads(body)

    def page(self) -> str:
        code, body = self.get("/community/posts/hello/")
        assert code == 200, code
        return body.decode()

    def edit(self, relpath: str, text: str) -> dict:
        """Write a file and wait for the rebuild it causes; the state after it."""
        epoch = self.status()["epoch"]
        (self.root / relpath).write_text(text)
        return wait_for(lambda: (s := self.status())["epoch"] > epoch and s)

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(20)
        assert not self.thread.is_alive()


def wait_for(predicate, seconds: float = 30.0):
    return poll(predicate, seconds)     # a longer default: these rebuilds run on a loaded machine


@pytest.fixture
def hub_root(tmp_path) -> Path:
    return make_hub(tmp_path / "hub", {PATH: post("First")}, toml=TOML)


@pytest.fixture
def preview(hub_root):
    started: list[Preview] = []

    def start(idle_timeout: float = 30.0) -> Preview:
        started.append(Preview(hub_root, idle_timeout))
        return started[-1]

    yield start
    for one in started:
        one.stop()


def failure_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if "last good build" in line]


# ------------------------------------------------------------------ bad edits and internal errors

def test_an_impossible_date_keeps_the_last_good_build_and_the_next_edit_is_served(preview):
    live = preview()
    assert "First" in live.page()
    state = live.edit(PATH, post("Broken", date="2026-02-30"))
    assert len(state["errors"]) >= 1 and PATH in state["errors"][0], state
    assert "First" in live.page(), "the last good build stays up"
    assert live.server.loop.is_alive(), "the build thread lives on"
    assert not any("Traceback" in line for line in live.lines)
    wait_for(lambda: failure_lines(live.lines))     # printed once the round ends
    assert len(failure_lines(live.lines)) == 1, live.lines

    state = live.edit(PATH, post("Second"))
    assert state["errors"] == [], "the overlay clears"
    assert "Second" in live.page()


def test_an_internal_error_in_a_rebuild_is_shown_logged_once_and_survived(preview, monkeypatch):
    """A bug anywhere in a build (here: the Markdown library raising on one body)
    must not stop serve, whatever raises it."""
    real = markdown.Markdown.convert

    def convert(self, source):
        if "BOOM" in source:
            raise RuntimeError("markdown blew up")
        return real(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", convert)
    live = preview()
    state = live.edit(PATH, post("Broken", body="BOOM"))
    assert len(state["errors"]) == 1
    message = state["errors"][0]
    assert f"after changes to {PATH}" in message and "RuntimeError: markdown blew up" in message
    assert "First" in live.page()
    crashes = wait_for(lambda: [line for line in live.lines if "build crashed" in line])
    assert len(crashes) == 1 and "RuntimeError: markdown blew up" in crashes[0]

    # Editing again while still broken: still up, one more line, same overlay.
    state = live.edit(PATH, post("Broken again", body="BOOM!"))
    assert "RuntimeError" in state["errors"][0]
    assert wait_for(lambda: len([line for line in live.lines if "build crashed" in line]) == 2)
    assert live.server.loop.is_alive()

    # Any other file's edit is built too: the next good build is complete, not partial.
    state = live.edit(PATH, post("Fixed"))
    assert state["errors"] == []
    assert "Fixed" in live.page()
    assert not any("Traceback" in line for line in live.lines)


def test_a_bad_clock_setting_during_serve_is_an_error_in_the_overlay_not_a_dead_thread(
        hub_root, monkeypatch):
    """SOURCE_DATE_EPOCH turning bad under a running serve raises inside the
    rebuild itself (no content involved)."""
    live = Server(hub_root, "127.0.0.1", 0, now=None)
    lines: list[str] = []
    thread = threading.Thread(target=live.run, args=(lines.append,), daemon=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    thread.start()
    try:
        assert live.ready.wait(60)
        harness = Preview.__new__(Preview)
        harness.root, harness.lines, harness.server, harness.port = (
            hub_root, lines, live, live.httpd.server_port)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "junk")
        state = harness.edit(PATH, post("Second"))
        assert "SOURCE_DATE_EPOCH" in state["errors"][0]
        assert "First" in harness.page()
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
        state = harness.edit(PATH, post("Third"))
        assert state["errors"] == [] and "Third" in harness.page()
    finally:
        live.shutdown()
        thread.join(20)


def test_a_broken_hearth_toml_keeps_serving_and_clears_after_the_fix(preview, hub_root):
    live = preview()
    state = live.edit("hearth.toml", "[site\ntitle = 1\n")
    assert state["errors"] and state["errors"][0].startswith("hearth.toml:")
    assert "First" in live.page()
    assert live.server.loop.is_alive()
    wait_for(lambda: failure_lines(live.lines))     # printed once the round ends
    assert len(failure_lines(live.lines)) == 1 and live.lines[-1].startswith("settings error")
    state = live.edit("hearth.toml", TOML)
    assert state["errors"] == []
    state = live.edit(PATH, post("After the fix"))
    assert "After the fix" in live.page()


def test_a_first_build_that_crashes_still_serves_the_overlay_and_recovers(hub_root, monkeypatch):
    real = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert",
                        lambda self, source: (_ for _ in ()).throw(ValueError("nope"))
                        if "BOOM" in source else real(self, source))
    (hub_root / PATH).write_text(post("Broken", body="BOOM"))
    live = Preview(hub_root)
    try:
        assert "ValueError: nope" in live.status()["errors"][0]
        code, body = live.get("/community/posts/hello/")
        assert code == 404 and b"/_hearth/events" in body, "the overlay script is on the 404 page"
        state = live.edit(PATH, post("Good"))
        assert state["errors"] == [] and "Good" in live.page()
    finally:
        live.stop()


def test_the_event_stream_carries_the_error_and_then_its_clearing(preview):
    live = preview()
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as s:
        s.sendall(b"GET /_hearth/events HTTP/1.1\r\nHost: x\r\n\r\n")
        stream = s.makefile("rb")
        first = next_event(stream)
        assert first["errors"] == []
        (live.root / PATH).write_text(post("Broken", date="2026-02-30"))
        broken = next_event(stream)
        assert broken["epoch"] > first["epoch"] and PATH in broken["errors"][0]
        (live.root / PATH).write_text(post("Good"))
        fixed = next_event(stream)
        assert fixed["errors"] == []


def next_event(stream) -> dict:
    while True:
        line = stream.readline()
        assert line, "the stream ended"
        if line.startswith(b"data: "):
            return json.loads(line[6:])


# ------------------------------------------------------------------ idle connections

def test_idle_connections_are_closed_after_the_timeout_and_the_server_still_answers(preview):
    live = preview(idle_timeout=1.0)
    time.sleep(0.3)
    before = threading.active_count()
    sockets = [socket.create_connection(("127.0.0.1", live.port), timeout=5) for _ in range(100)]
    try:
        wait_for(lambda: threading.active_count() >= before + 90, 10)
        assert live.get("/community/posts/hello/")[0] == 200, "answers while 100 sockets idle"
        wait_for(lambda: threading.active_count() <= before + 2, 15)
        closed = 0
        for s in sockets:
            s.settimeout(2)
            try:
                closed += s.recv(1) == b""
            except (ConnectionResetError, TimeoutError):
                closed += 1
        assert closed == 100, "the server closed every idle socket"
    finally:
        for s in sockets:
            s.close()
    assert "First" in live.page()


def test_a_kept_alive_connection_that_goes_quiet_is_closed_too(preview):
    live = preview(idle_timeout=1.0)
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=5)
    connection.request("GET", "/_hearth/status")
    response = connection.getresponse()
    response.read()
    assert response.status == 200 and not response.will_close
    time.sleep(1.8)
    assert connection.sock.recv(1) == b"", "closed after going quiet"
    connection.close()


def test_the_event_stream_outlives_the_idle_timeout(preview):
    live = preview(idle_timeout=1.0)
    with socket.create_connection(("127.0.0.1", live.port), timeout=5) as s:
        s.sendall(b"GET /_hearth/events HTTP/1.1\r\nHost: x\r\n\r\n")
        stream = s.makefile("rb")
        first = next_event(stream)
        started = time.monotonic()
        comments = 0
        while time.monotonic() - started < 2.5:
            line = stream.readline()
            assert line, "the stream was closed"
            comments += line.startswith(b": keep-alive")
        assert comments >= 3, "keep-alive comments come more often than the timeout"
        (live.root / PATH).write_text(post("Later"))
        later = next_event(stream)
        assert later["epoch"] > first["epoch"]
    assert "Later" in live.page()


# ------------------------------------------------------------------ nothing outside dist/

def test_nothing_outside_the_output_folder_is_served(preview, hub_root, tmp_path):
    live = preview()
    secret = "TOP-SECRET-42"
    (hub_root / "secret.txt").write_text(secret)
    (tmp_path / "outside.txt").write_text(secret)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text(f"<body>{secret}</body>")
    hub = hub_root / "dist" / "hub"
    (hub / "leak.txt").symlink_to(tmp_path / "outside.txt")
    (hub / "leakdir").symlink_to(tmp_path / "outside")
    (hub / "toml.txt").symlink_to(hub_root / "hearth.toml")
    (hub / "etc.txt").symlink_to("/etc/hostname")
    (hub / "loop.txt").symlink_to(hub / "loop.txt")
    (hub / "relative.txt").symlink_to("../../secret.txt")
    (hub / "folder").mkdir()
    (hub / "folder" / "index.html").symlink_to(tmp_path / "outside" / "index.html")
    os.mkfifo(hub / "pipe.txt")
    for path in (
        "/community/../secret.txt", "/community/../../secret.txt",
        "/community/%2e%2e/secret.txt", "/community/%2E%2E/%2e%2e/secret.txt",
        "/community/..%2fsecret.txt", "/community/..%2Fsecret.txt", "/community/%2e%2e%2fsecret.txt",
        "/community/..\\secret.txt", "/community/..%5csecret.txt", "/community/%5c..%5csecret.txt",
        "/community/secret.txt%00.html", "/community/%00", "/community/..%00/secret.txt",
        "/community//etc/hostname", "/community/%2fetc%2fhostname", "/community/%2F" + str(
            hub_root / "secret.txt").lstrip("/"),
        "/_review/../../secret.txt", "/_review/%2e%2e/%2e%2e/secret.txt",
        "/_queues/../../secret.txt", "/_review/../hub/../../secret.txt",
        "/secret.txt", "/../secret.txt", "/hearth.toml", "/dist/hub/index.html",
        "/community/leak.txt", "/community/leakdir/", "/community/leakdir/index.html",
        "/community/toml.txt", "/community/etc.txt", "/community/loop.txt",
        "/community/relative.txt", "/community/folder/", "/community/pipe.txt",
        "/community/" + "a" * 5000, "/community/%ff%fe", "/community/posts/hello/../../../secret.txt",
    ):
        code, body = live.get(path)
        assert code in (400, 404), (path, code)
        assert secret.encode() not in body and b"[site]" not in body, path
    assert live.get("/community/posts/hello/")[0] == 200, "still serving"
    assert live.get("/community/posts/hello/index.html")[0] == 200


def test_a_folder_without_a_slash_redirects_to_a_safe_location(preview):
    live = preview()
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=5)
    connection.request("GET", "/community/posts/hello")
    response = connection.getresponse()
    response.read()
    assert response.status == 301 and response.getheader("Location") == "/community/posts/hello/"
    connection.close()


# ------------------------------------------------------------------ options and the host

def test_a_port_out_of_range_or_a_bad_now_is_a_usage_error(hub_root):
    for args in (("--port", "99999"), ("--port", "-1"), ("--now", "junk"),
                 ("--now", "2026-02-30T10:00:00Z")):
        result = run(hub_root, "serve", *args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and "Usage:" in result.output


def test_a_bad_source_date_epoch_is_a_usage_error(hub_root, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "junk")
    result = run(hub_root, "serve", "--port", "0")
    assert result.exit_code == 2
    assert result.stderr.startswith("hearth: SOURCE_DATE_EPOCH='junk' is not a whole number of seconds")


def test_a_port_in_use_is_a_usage_error_before_anything_is_built(hub_root):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(hub_root, "serve", "--port", str(port))
    assert result.exit_code == 2
    assert result.stderr == f"hearth: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert not (hub_root / "dist").exists(), "nothing was built"


def test_an_unknown_host_is_a_usage_error(hub_root):
    result = run(hub_root, "serve", "--host", "no-such-host.invalid", "--port", "0")
    assert result.exit_code == 2
    assert result.stderr.startswith("hearth: cannot listen on no-such-host.invalid:0: ")
    assert "Traceback" not in result.output


def serve_process(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "hearth", "-C", str(root), "serve", "--port", "0",
                             "--now", NOW, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


def read_until(stream, text: str) -> list[str]:
    lines = []
    for line in stream:
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"{text!r} never came: {lines}")


@pytest.mark.parametrize("host, warned", [("0.0.0.0", True), ("127.0.0.1", False),
                                          ("localhost", False)])
def test_a_host_off_loopback_warns_that_drafts_are_on_the_network(hub_root, host, warned):
    process = serve_process(hub_root, "--host", host)
    try:
        read_until(process.stdout, "serving the hub at")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
    err = process.stderr.read()
    expected = (f"hearth: warning: listening on {host}: the preview, drafts and the review site "
                f"included, is reachable from the network; use --host 127.0.0.1 to keep it on "
                f"this machine\n")
    assert err == (expected if warned else ""), err
    assert process.returncode == 0


# ------------------------------------------------------------------ a killed serve

def test_a_serve_killed_while_rebuilding_leaves_a_site_the_next_serve_serves(hub_root):
    """SIGKILL at a random moment after an edit; the next serve starts, serves the
    latest content and shows no error."""
    rng = random.Random(12)
    for attempt in range(3):
        process = serve_process(hub_root)
        try:
            read_until(process.stdout, "serving the hub at")
            (hub_root / PATH).write_text(post(f"Edit {attempt}"))
            time.sleep(rng.uniform(0.0, 0.4))
        finally:
            process.kill()
            process.wait(10)
    live = Preview(hub_root)
    try:
        assert live.status()["errors"] == []
        assert "Edit 2" in live.page()
        assert "Traceback" not in " ".join(live.lines)
    finally:
        live.stop()


# ------------------------------------------------------------------ in the browser

def test_the_overlay_shows_an_internal_error_and_clears_after_the_fix(preview, monkeypatch):
    import browser

    if not browser.CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright import sync_api

    real = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert",
                        lambda self, source: (_ for _ in ()).throw(RuntimeError("kaput"))
                        if "BOOM" in source else real(self, source))
    live = preview()
    with browser.chromium(sync_api) as chromium:
        page = chromium.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"http://127.0.0.1:{live.port}/community/posts/hello/")
        page.wait_for_timeout(300)          # the event stream connects
        (live.root / PATH).write_text(post("Broken", body="BOOM"))
        page.wait_for_selector("#hearth-errors", timeout=15000)
        assert "RuntimeError: kaput" in page.inner_text("#hearth-errors")
        assert "First" in page.inner_text("h1"), "the last good page stays"
        (live.root / PATH).write_text(post("Fixed"))
        page.wait_for_function("document.querySelector('h1').textContent.includes('Fixed')",
                               timeout=15000)
        assert page.query_selector("#hearth-errors") is None
        assert errors == []
