"""`hearth serve` as a writer uses it: a real process, real files, real HTTP."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

import browser
from conftest import make_hub, wait_for

POST = "---\ntitle: {title}\ndate: 2026-01-05\n---\nHello there.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()




@pytest.fixture
def served(tmp_path):
    root = make_hub(tmp_path / "hub", {"content/posts/2026-01-05-hello.md": POST.format(title="First")},
                    toml='[site]\ntitle = "T"\nbase_url = "https://example.org/community/"\n')
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "hearth", "-C", str(root), "serve", "--port",
                                str(port), "--now", "2026-11-21T12:00:00Z"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _up(base))
        yield root, base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def _up(base: str) -> bool:
    try:
        return get(base + "/_hearth/status")[0] == 200
    except OSError:
        return False


def status(base: str) -> dict:
    return json.loads(get(base + "/_hearth/status")[1])


def test_serve_rebuilds_on_edit_and_shows_errors_until_fixed(served):
    root, base, _ = served
    code, html = get(base + "/community/posts/hello/")
    assert code == 200 and "First" in html and "/_hearth/events" in html
    assert "/_hearth/events" not in (root / "dist/hub/posts/hello/index.html").read_text(), \
        "the reload script is added when serving, never written into dist/"
    epoch = status(base)["epoch"]
    post = root / "content/posts/2026-01-05-hello.md"
    post.write_text(POST.format(title="Second"))
    wait_for(lambda: status(base)["epoch"] > epoch)
    assert "/community/posts/hello/" in status(base)["changed"]
    assert "Second" in get(base + "/community/posts/hello/")[1]

    # (the first edit's round may still announce its lists and review pages: wait
    # for what this edit changes, not for the next announcement)
    post.write_text("---\ntitle: [broken\n---\nx\n")
    state = wait_for(lambda: (s := status(base))["errors"] and s)
    assert "content/posts/2026-01-05-hello.md:2" in state["errors"][0]
    assert "Second" in get(base + "/community/posts/hello/")[1], "the last good build stays up"

    post.write_text(POST.format(title="Third"))
    state = wait_for(lambda: (s := status(base))["errors"] == [] and s)
    assert "Third" in get(base + "/community/posts/hello/")[1]


def test_new_deleted_and_renamed_files_are_seen(served):
    root, base, _ = served
    epoch = status(base)["epoch"]
    new = root / "content/posts/2026-01-06-new.md"
    new.write_text(POST.format(title="Brand new"))
    wait_for(lambda: status(base)["epoch"] > epoch)
    assert get(base + "/community/posts/new/")[0] == 200
    epoch = status(base)["epoch"]
    new.rename(root / "content/posts/2026-01-06-moved.md")
    # the moved page comes first; the old one goes in the same rebuild's full pass
    wait_for(lambda: status(base)["epoch"] > epoch and get(base + "/community/posts/moved/")[0] == 200
             and get(base + "/community/posts/new/")[0] == 404)


def test_serve_refuses_paths_outside_dist(served):
    root, base, _ = served
    (root / "secret.txt").write_text("secret")
    for path in ("/community/../secret.txt", "/community/%2e%2e/%2e%2e/secret.txt",
                 "/community/..%2fsecret.txt", "/secret.txt", "/_review/../../secret.txt"):
        code, body = get(base + path)
        assert code == 404 and "secret" not in body, path


def test_serve_listens_on_loopback_and_stops_cleanly_on_ctrl_c(served):
    _, base, process = served
    assert base.startswith("http://127.0.0.1:")
    process.send_signal(signal.SIGINT)
    assert process.wait(10) == 0
    output = process.stdout.read()
    assert "Traceback" not in output


@pytest.mark.skipif(not browser.CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_browser_reloads_and_shows_the_error_overlay(served):
    from playwright import sync_api

    root, base, _ = served
    post = root / "content/posts/2026-01-05-hello.md"
    with browser.chromium(sync_api) as chromium:
        page = chromium.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "/community/posts/hello/")
        page.wait_for_timeout(300)          # the event stream connects
        post.write_text(POST.format(title="Reloaded"))
        page.wait_for_function("document.querySelector('h1') && "
                               "document.querySelector('h1').textContent.includes('Reloaded')",
                               timeout=15000)
        post.write_text("---\ntitle: [broken\n---\nx\n")
        page.wait_for_selector("#hearth-errors", timeout=15000)
        assert "content/posts/2026-01-05-hello.md:2" in page.inner_text("#hearth-errors")
        assert "Reloaded" in page.inner_text("h1"), "the last good page stays"
        post.write_text(POST.format(title="Fixed"))
        page.wait_for_function("document.querySelector('h1').textContent.includes('Fixed')",
                               timeout=15000)
        assert page.query_selector("#hearth-errors") is None
        assert errors == []
