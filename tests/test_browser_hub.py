"""The demo hub in a real browser, published under a sub-path.

The repository's hub is copied to a temporary folder, its base_url set to
http://127.0.0.1:<port>/sub/, built with the real `hearth` command and served
under /sub/ only, so any link that forgets the sub-path answers 404. Headless
Chromium (Debian's /usr/bin/chromium) opens the pages, types in the search box
and flips the theme. Skipped where Chromium or Playwright is missing.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from conftest import NOW, REPO

from browser import QuietHandler, require_chromium, served

sync_api = require_chromium()
MAX_PAGES = 250
HUB_FILES = ("hearth.toml", "content", "calendar", "guidelines", "templates")


class _Handler(QuietHandler):
    """Serves the built hub under /sub/ and nothing else."""

    def __init__(self, *args, root: Path, **kwargs):
        self.root = root
        super().__init__(*args, directory=str(root), **kwargs)

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith("/sub/"):
            return str(self.root / "__outside_the_sub_path__")
        return super().translate_path(path[len("/sub"):])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, built hub folder) of the demo hub, served under /sub/."""
    root = tmp_path_factory.mktemp("browser") / "hub"
    root.mkdir()
    for name in HUB_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copy2(source, root / name)
    hub = root / "dist" / "hub"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, root=hub))
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}/sub/"
    toml = root / "hearth.toml"
    text, count = re.subn(r'(?m)^base_url\s*=.*$', f'base_url = "{base}"', toml.read_text("utf-8"))
    assert count == 1, "the demo hearth.toml has one base_url"
    toml.write_text(text, "utf-8")

    command = [shutil.which("hearth") or sys.executable, "-C", str(root), "build", "--now", NOW]
    if not shutil.which("hearth"):
        command[1:1] = ["-m", "hearth"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (hub / "index.html").is_file()

    with served(server):
        yield base, hub


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.errors.append(f"exception: {e}"))
    page.on("requestfailed", lambda r: page.errors.append(f"request failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and page.errors.append(f"{r.status}: {r.url}"))
    yield page
    context.close()


class _Refs(HTMLParser):
    """Every URL a page points at: a/link href, img/script/source src, srcset."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "link" and a.get("href"):
            self.assets.append(a["href"])
        elif tag in ("img", "script", "source", "iframe") and a.get("src"):
            self.assets.append(a["src"])
        for candidate in (a.get("srcset") or "").split(","):
            if candidate.strip():
                self.assets.append(candidate.split()[0])


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers.get_content_type(), answer.read()
    except urllib.error.HTTPError as err:
        return err.code, "", b""


def _public_post(hub: Path) -> dict:
    entries = json.loads((hub / "search.json").read_text("utf-8"))
    assert entries, "the demo hub has public posts"
    return max(entries, key=lambda e: len(e["title"]))


def test_every_link_and_image_from_home_answers_200(site):
    base, _ = site
    host = urlsplit(base).netloc
    status: dict[str, int] = {}
    referrer: dict[str, str] = {base: "(start)"}
    pages = deque([base])
    crawled = 0
    while pages and crawled < MAX_PAGES:
        url = pages.popleft()
        code, kind, body = _fetch(url)
        status[url] = code
        crawled += 1
        if code != 200 or kind != "text/html":
            continue
        refs = _Refs()
        refs.feed(body.decode("utf-8"))
        for raw in refs.links + refs.assets:
            target = urldefrag(urljoin(url, raw))[0]
            if urlsplit(target).netloc != host or target in referrer:
                continue                      # other hosts (RSVP, meeting links) or already seen
            referrer[target] = url
            if raw in refs.links and target.endswith(("/", ".html")):
                pages.append(target)          # a page: crawl it
            else:
                status[target] = _fetch(target)[0]
    broken = [f"{referrer[u]} → {u} ({code})" for u, code in status.items() if code != 200]
    assert crawled > 20, f"only {crawled} pages reachable from home"
    assert not broken, "broken links or images:\n" + "\n".join(sorted(broken))
    assert all(u.startswith(base) for u in status), "every same-host URL stays under the sub-path"


@pytest.mark.parametrize("path", ["", "POST", "events/", "guidelines/", "tags/", "404.html"])
def test_pages_open_without_console_errors(site, page, path):
    base, hub = site
    if path == "POST":
        path = _public_post(hub)["url"].split("/sub/", 1)[1]
    page.goto(base + path, wait_until="load")
    assert page.errors == [], page.errors
    assert page.locator("main#main").count() == 1
    assert page.locator("header nav a").count() >= 3
    for img in page.locator("main img").all():
        assert img.evaluate("i => i.complete && i.naturalWidth > 0") or img.get_attribute("loading") == "lazy"
        assert img.get_attribute("alt") is not None, "every image has alt text (empty if decorative)"


def test_search_box_finds_a_post_by_a_word_of_its_title(site, page):
    base, hub = site
    post = _public_post(hub)
    word = max(re.findall(r"\w+", post["title"]), key=len)
    page.goto(base, wait_until="load")
    page.fill("#q", word.lower())
    hit = page.locator("#search-results a", has_text=post["title"]).first
    hit.wait_for(timeout=5000)
    assert hit.get_attribute("href") == post["url"]
    page.keyboard.press("Enter")
    page.wait_for_url(base + post["url"].split("/sub/", 1)[1])
    assert page.locator("h1").inner_text().strip() == post["title"]
    page.fill("#q", "zzqxjv nothing matches this")
    page.locator("#search-results .empty").wait_for(timeout=5000)
    assert page.errors == [], page.errors


def test_theme_toggle_switches_and_remembers(site, page):
    base, _ = site
    page.goto(base, wait_until="load")

    def background() -> str:
        return page.evaluate("getComputedStyle(document.body).backgroundColor")

    before, theme = background(), page.evaluate("document.documentElement.dataset.theme || ''")
    page.click(".theme-toggle")
    after = page.evaluate("document.documentElement.dataset.theme")
    assert after in ("light", "dark") and after != theme
    assert background() != before
    page.reload(wait_until="load")
    assert page.evaluate("document.documentElement.dataset.theme") == after, "the choice is remembered"
    page.click(".theme-toggle")
    assert background() == before
    assert page.errors == [], page.errors


def test_pages_work_without_javascript(site, browser):
    base, hub = site
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(base + _public_post(hub)["url"].split("/sub/", 1)[1])
        assert page.locator(".prose").inner_text().strip()
        assert not page.locator("form.search").is_visible(), "a search box that cannot work is hidden"
        assert not page.locator(".theme-toggle").is_visible()
        assert page.locator(".site-nav a").first.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the phone layout scrolls sideways ({width}px)"
    finally:
        context.close()
