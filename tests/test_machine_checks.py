"""Machine checks on the demo hub's whole output (issue 14, point 2).

The demo hub (the repository root) is built once for this module, at the
golden tests' fixed "now". Then:

* a crawler reads every HTML and CSS file in dist/ and follows every local
  href, src, srcset, action and url(): the file must exist and a #fragment
  must name an id (or a name) in the page it points to;
* the Nu Html Checker (vnu.jar, npm vnu-jar) runs once, with the machine's
  Java, over every HTML file in dist/: zero errors;
* axe-core (npm axe-core) is injected with Playwright into one page of every
  page type of the hub, the review site and the newsletter archive, in light
  and in dark (prefers-color-scheme emulated): zero violations.

The checkers are installed by the test command (tests/servers/install_checkers.sh,
into the git-ignored tests/servers/.cache/checkers); these tests skip, saying
so, only when that has not been run or Java/Chromium is missing.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO
from update_golden import build_demo

from browser import CHROMIUM, QuietHandler, served

CHECKERS = REPO / "tests" / "servers" / ".cache" / "checkers" / "node_modules"
VNU_JAR = CHECKERS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = CHECKERS / "axe-core" / "axe.min.js"
INSTALL = "run: bash tests/servers/install_checkers.sh (the README's test command does)"

# One page of every page type, by area: (area, path inside dist/<area>/).
PAGE_TYPES = [
    ("hub", "index.html"),                                # home
    ("hub", "page/2/index.html"),                         # home, later page
    ("hub", "posts/harvest-meetup-recap/index.html"),     # post with an image
    ("hub", "posts/kto-takoi-sadovnik/index.html"),       # post in another script
    ("hub", "about/index.html"),                          # page
    ("hub", "events/index.html"),                         # events list
    ("hub", "events/community-call/index.html"),          # upcoming, recurring event
    ("hub", "events/harvest-meetup-turin/index.html"),    # past event
    ("hub", "guidelines/index.html"),                     # guidelines with the rules table
    ("hub", "guidelines/voice-and-tone/index.html"),      # guideline page
    ("hub", "tags/index.html"),                           # tags index
    ("hub", "tags/meetup/index.html"),                    # one tag
    ("hub", "404.html"),
    ("queues", "newsletter/2026-11.html"),                # newsletter issue
    ("review", "index.html"),
    ("review", "2026-11/index.html"),                     # month
    ("review", "week/2026-W47/index.html"),               # week
    ("review", "agenda/index.html"),
    ("review", "problems/index.html"),
    ("review", "report/index.html"),
]


def _param(area: str, relpath: str, *extra):
    return pytest.param(area, relpath, *extra, id=f"{area}/{relpath}" +
                        "".join(f"-{e}" for e in extra))


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("machine") / "dist"
    build_demo(out)
    return out


# --- (a) links and anchors ---------------------------------------------------------

class _Links(HTMLParser):
    """Every id/name defined and every local reference made by one HTML page."""

    ATTRS = {"href", "src", "action", "poster", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[int, str]] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name == "href" and tag == "base":
                self.base = value
            elif name in self.ATTRS:
                self.refs.append((self.getpos()[0], value))
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    if candidate.strip():
                        self.refs.append((self.getpos()[0], candidate.split()[0]))


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def _area_of(dist: Path, path: Path) -> Path:
    return dist / path.relative_to(dist).parts[0]


def _target(dist: Path, page: Path, ref: str) -> tuple[Path | None, str]:
    """The file a local reference points to (None when it is not local) and its fragment."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None, ""
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    if path.startswith("/"):
        target = _area_of(dist, page) / path.lstrip("/")    # each area is served at its own root
    else:
        target = page.parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target.resolve(), unquote(parts.fragment)


def test_every_local_link_and_anchor_in_dist_resolves(dist):
    ids: dict[Path, set[str]] = {}
    refs: list[tuple[Path, int, str]] = []
    for page in sorted(dist.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        ids[page.resolve()] = parser.ids
        refs.extend((page, line, ref) for line, ref in parser.refs)
    for sheet in sorted(dist.rglob("*.css")):
        text = sheet.read_text("utf-8")
        refs.extend((sheet, text.count("\n", 0, m.start()) + 1, m.group(1))
                    for m in CSS_URL.finditer(text))
    assert len(ids) > 50, "the demo builds pages"

    broken: dict[str, list[str]] = defaultdict(list)
    for page, line, ref in refs:
        target, fragment = _target(dist, page, ref)
        if target is None:
            continue
        where = f"{page.relative_to(dist)}:{line}: {ref}"
        area = page.relative_to(dist).parts[0]
        if not target.is_file():
            broken[area].append(f"{where}: no such file")
        elif fragment and target.suffix == ".html" and fragment not in ids.get(target, set()):
            broken[area].append(f"{where}: no id {fragment!r} in {target.relative_to(dist.resolve())}")
    assert not broken, "broken links:\n" + "\n".join(sum(broken.values(), []))


# --- (b) the Nu Html Checker ---------------------------------------------------------

@pytest.fixture(scope="module")
def vnu_messages(dist) -> dict[str, list[str]]:
    """vnu's errors, run once over all of dist/, by area (hub, queues, review)."""
    java = shutil.which("java")
    if not VNU_JAR.is_file() or not java:
        pytest.skip(f"the Nu Html Checker is not installed ({VNU_JAR} or java missing); {INSTALL}")
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--skip-non-html", "--errors-only",
                           "--format", "json", str(dist)],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stderr or done.stdout)
    by_area: dict[str, list[str]] = defaultdict(list)
    for message in report["messages"]:
        url = message.get("url", "")
        relpath = url.split(dist.name + "/", 1)[-1]
        by_area[relpath.split("/", 1)[0]].append(
            f"{relpath}:{message.get('lastLine', '?')}: {message['type']}: {message['message']}")
    return by_area


@pytest.mark.parametrize("area", [
    "hub", "queues", "review"])
def test_nu_html_checker_finds_no_error(vnu_messages, area):
    errors = vnu_messages.get(area, [])
    assert not errors, f"{len(errors)} vnu errors in dist/{area}:\n" + "\n".join(errors[:40])


# --- (c) axe-core, light and dark ------------------------------------------------------

@pytest.fixture(scope="module")
def axe_pages(dist):
    """A function (area, relpath, scheme) → axe violations, one browser for the module."""
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core is not installed ({AXE_JS} missing); {INSTALL}")
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    axe = AXE_JS.read_text("utf-8")
    # The hub is served at its own root (its links are root-relative); the rest of dist/ at another.
    hub_server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(dist / "hub")))
    dist_server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(dist)))
    import browser as harness

    with served(hub_server), served(dist_server), harness.chromium(sync_api) as chromium:
        pages = {}

        def violations(area: str, relpath: str, scheme: str) -> list[str]:
            if scheme not in pages:
                pages[scheme] = chromium.new_page(color_scheme=scheme)
            page = pages[scheme]
            if area == "hub":
                url = f"http://127.0.0.1:{hub_server.server_address[1]}/{relpath}"
            else:
                url = f"http://127.0.0.1:{dist_server.server_address[1]}/{area}/{relpath}"
            page.goto(url, wait_until="load")
            page.evaluate(axe)
            result = page.evaluate("""async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') +
                    (v.nodes.length > 3 ? ' … ' + v.nodes.length + ' nodes' : ''));
            }""")
            return result

        yield violations
        for page in pages.values():
            page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("area,relpath", [_param(a, p) for a, p in PAGE_TYPES])
def test_axe_finds_no_violation(axe_pages, area, relpath, scheme):
    found = axe_pages(area, relpath, scheme)
    assert not found, f"axe on {area}/{relpath} ({scheme}):\n" + "\n".join(found)
