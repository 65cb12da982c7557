"""The review site and the report as a manager meets them: on a phone, in the
dark, on busy days, with blackouts of some channels, with filter numbers that
match the page, cards that open their file in the repository, and no link
that leads nowhere."""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import MINIMAL_TOML, NOW, REPO, make_hub, run
from hypothesis import given
from hypothesis import strategies as st

from hearth.load.repository import Repository, web_url
from test_review import FILES

BUSY_DAY = "2026-11-25"
BUSY = {f"content/posts/{BUSY_DAY}-busy-{n}.md": f"""\
    ---
    title: Busy post {n}
    date: {BUSY_DAY} {8 + n:02d}:00
    ---
    Body {n}.
    """ for n in range(6)}
PHONE_FILES = {**FILES, **BUSY}


def build(root: Path, out: Path) -> Path:
    result = run(root, "build", "--now", NOW, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out / "review"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_hub(tmp_path_factory.mktemp("hub"), PHONE_FILES)
    return build(root, tmp_path_factory.mktemp("out"))


def month(site: Path, key: str = "2026-11") -> str:
    return (site / key / "index.html").read_text(encoding="utf-8")


def grid(html: str) -> str:
    return html[html.index('<ol class="weeks">'):html.index('<section class="details"')]


# --------------------------------------------------------------------------- busy days


def test_a_busy_day_shows_three_chips_then_more_that_opens_the_day(site):
    html = month(site)
    day = html[html.index(f'data-date="{BUSY_DAY}"'):]
    day = day[:day.index("</li>\n        <li class=\"day") if "<li class=\"day" in day else None]
    shown, rest = day.split('<details class="more">', 1)
    assert shown.count('class="item chip') == 3
    assert "+3 more<span class=\"visually-hidden\"> on Wednesday, November 25, 2026</span>" in rest
    assert rest.split("</details>")[0].count('class="item chip') == 3
    assert f'href="../week/2026-W48/#day-{BUSY_DAY}">Open the day</a>' in rest
    week = (site / "week" / "2026-W48" / "index.html").read_text(encoding="utf-8")
    assert f'id="day-{BUSY_DAY}"' in week, "the day the link opens"


def test_month_pages_hold_chips_not_cards(site):
    html = month(site)
    cards = re.findall(r'<article class="item card kind-([\w-]+)', html)
    assert set(cards) <= {"campaign", "blackout"}, "the full cards live on the week pages"
    assert 'class="pv ' not in html, "no platform preview on a month page"


# --------------------------------------------------------------------------- blackouts


def test_a_blackout_is_a_band_naming_its_channels_and_its_reason_once(site):
    december = grid(month(site, "2026-12"))
    retreat = re.findall(r'<li class="item band band-blackout[^"]*"[^>]*data-channels="x"[^>]*>(.*?)</li>',
                         december, re.DOTALL)
    assert len(retreat) == 1
    text = re.sub(r"<[^>]+>", "", retreat[0])
    assert "Blackout X · Retreat" in text, "the channel by its label, the reason once"
    assert december.count("Retreat") == 1
    # a blackout of some channels does not shade the day: the other channels still post
    assert not re.search(r'class="day[^"]* closed[^"]*" data-date="2026-12-01"', december)
    for d in ("2026-12-24", "2026-12-25", "2026-12-26"):
        assert re.search(rf'class="day[^"]* closed[^"]*" data-date="{d}"', december), d
    assert december.count("Holidays") == 1
    assert "band-blackout band-all" in december


# --------------------------------------------------------------------------- labels


def _counts(html: str, group: str) -> dict[str, int]:
    form = html[html.index('<form class="filters"'):html.index("</form>")]
    return {v: int(n) for v, n in re.findall(
        rf'name="{group}" value="([^"]+)" checked>.*?<span class="check-count">(\d+)<', form, re.DOTALL)}


@pytest.mark.parametrize("page", ["2026-11/index.html", "2026-12/index.html",
                                  "week/2026-W48/index.html", "agenda/index.html"])
def test_filter_counts_are_what_the_page_shows(site, page):
    html = (site / page).read_text(encoding="utf-8")
    shown = "chip" if "/week/" not in f"/{page}" and "agenda" not in page else "card"
    items = re.findall(rf'<(?:li|article) class="item (?:{shown}|row) kind-(?:post|channel-post|event)'
                       rf'[^"]*"[^>]*? data-kind="[^"]*" data-channel="([^"]*)" data-status="([^"]*)"', html)
    channels = _counts(html, "channel")
    assert channels == {v: sum(1 for c, _ in items if c == v) for v in channels}, page
    statuses = _counts(html, "status")
    assert statuses == {v: sum(1 for _, s in items if s == v) for v in statuses}, page
    assert sum(channels.values()) == len(items) > 0


def test_channels_are_named_the_same_everywhere(site):
    html = month(site)
    assert re.search(r'value="x" checked>\s*<span class="swatch" aria-hidden="true"></span>\s*'
                     r'<span class="check-label">X</span>', html)
    assert '<span class="check-label">Mastodon</span>' in html
    report = (site / "report" / "index.html").read_text(encoding="utf-8")
    assert ">mastodon<" not in report and "Mastodon" in report


def test_a_future_event_is_ready_not_published(site):
    week = (site / "week" / "2026-W49" / "index.html").read_text(encoding="utf-8")
    card = week[week.index('id="event.call.'):]
    card = card[:card.index("</article>")]
    assert "Ready" in card and "Published" not in card


def test_the_report_has_the_review_header(site):
    report = (site / "report" / "index.html").read_text(encoding="utf-8")
    nav = report[report.index('<nav class="views"'):report.index("</nav>")]
    for view in ("Month", "Week", "Agenda", "Problems", "Report"):
        assert f">{view}" in nav, view
    assert 'href="../report/" aria-current="page"' in nav
    assert 'href="../calendar.ics" class="subscribe"' in report
    assert "Nov 23" in report or "Nov 16" in report, "Babel's dates, as on the calendar"


# --------------------------------------------------------------------------- links


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "id" in found:
            self.ids.add(found["id"])
        if tag in ("a", "link") and found.get("href") is not None:
            self.hrefs.append(found["href"])


def dead_links(folder: Path) -> list[str]:
    pages = {}
    for path in folder.rglob("*.html"):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser
    dead = []
    for path, parser in pages.items():
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                dead.append(f"{path.relative_to(folder.resolve())}: {href}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                dead.append(f"{path.relative_to(folder.resolve())}: {href} (no such anchor)")
    return dead


def test_no_dead_link_or_anchor_in_the_review_site(site):
    assert dead_links(site) == []


def test_no_dead_link_or_anchor_in_the_demo_review(tmp_path):
    from update_golden import build_demo

    build_demo(tmp_path / "out")
    assert dead_links(tmp_path / "out" / "review") == []


# --------------------------------------------------------------------------- repository links


def _source_links(site: Path) -> set[str]:
    week = (site / "week" / "2026-W48" / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'<a class="src" href="([^"]+)"', week))


def test_cards_link_to_their_file_from_the_setting(tmp_path):
    toml = MINIMAL_TOML.replace("[site]\n", '[site]\nrepository = "https://gitlab.com/org/hub/"\n'
                                           'branch = "trunk"\n')
    root = make_hub(tmp_path / "hub", FILES, toml)
    links = _source_links(build(root, tmp_path / "out"))
    assert "https://gitlab.com/org/hub/-/blob/trunk/content/posts/2026-11-23-launch.md" in links


def test_cards_link_to_their_file_from_the_git_remote(tmp_path):
    repo = tmp_path / "repo"
    root = make_hub(repo / "site", FILES)
    for args in (("init", "-q", "-b", "live"), ("remote", "add", "origin", "git@github.com:org/hub.git")):
        subprocess.run(["git", "-C", str(repo), *args], check=True)
    links = _source_links(build(root, tmp_path / "out"))
    assert "https://github.com/org/hub/blob/live/site/content/posts/2026-11-23-launch.md" in links


def test_changing_only_the_remote_rebuilds_the_source_links(tmp_path):
    repo = tmp_path / "repo"
    root = make_hub(repo / "site", FILES)
    for args in (("init", "-q", "-b", "live"), ("remote", "add", "origin", "https://github.com/org/hub")):
        subprocess.run(["git", "-C", str(repo), *args], check=True)
    build(root, tmp_path / "out")
    subprocess.run(["git", "-C", str(repo), "remote", "set-url", "origin",
                    "https://codeberg.org/org/hub.git"], check=True)
    links = _source_links(build(root, tmp_path / "out"))
    assert "https://codeberg.org/org/hub/src/branch/live/site/content/posts/2026-11-23-launch.md" in links
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "-b", "trunk"], check=True)
    links = _source_links(build(root, tmp_path / "out"))
    assert "https://codeberg.org/org/hub/src/branch/trunk/site/content/posts/2026-11-23-launch.md" in links


def test_without_a_repository_the_source_is_plain_text(site):
    assert _source_links(site) == set()
    week = (site / "week" / "2026-W48" / "index.html").read_text(encoding="utf-8")
    assert '<span class="src">content/posts/2026-11-23-launch.md</span>' in week


@pytest.mark.parametrize("remote, web", [
    ("https://github.com/org/hub.git", "https://github.com/org/hub"),
    ("git@github.com:org/hub.git", "https://github.com/org/hub"),
    ("ssh://git@gitlab.com/group/sub/hub.git", "https://gitlab.com/group/sub/hub"),
    ("https://user@codeberg.org/org/hub", "https://codeberg.org/org/hub"),
    ("/srv/git/hub.git", ""),
    ("hub", ""),
])
def test_web_address_of_a_remote(remote, web):
    assert web_url(remote) == web


@given(st.sampled_from(["github.com", "gitlab.com", "codeberg.org"]),
       st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
       st.from_regex(r"[a-z][a-z0-9._-]{0,8}", fullmatch=True).filter(lambda s: not s.endswith(".git")))
def test_both_remote_forms_give_one_address(host, org, name):
    https, scp = web_url(f"https://{host}/{org}/{name}.git"), web_url(f"git@{host}:{org}/{name}.git")
    assert https == scp == f"https://{host}/{org}/{name}"
    link = Repository(https, "main").file_url("content/posts/a b.md")
    assert link.endswith("/main/content/posts/a%20b.md")
    assert ("/-/blob/" in link) == (host == "gitlab.com")
    assert ("/src/branch/" in link) == (host == "codeberg.org")


# --------------------------------------------------------------------------- one palette


def _palette(css: str, dark: bool) -> dict[str, str]:
    if dark:
        css = css[css.index("prefers-color-scheme:") if "prefers-color-scheme:" in css
                  else css.index("prefers-color-scheme"):]
    block = css[css.index(":root"):]
    block = block[:block.index("}")]
    return dict(re.findall(r"(--[a-z0-9]+):\s*([^;]+?)\s*[;}]", block + ";"))


def test_the_review_uses_the_hub_palette_in_both_schemes():
    hub = (REPO / "templates" / "assets" / "style.css").read_text(encoding="utf-8")
    review = (REPO / "templates" / "review" / "assets" / "review.css").read_text(encoding="utf-8")
    for dark in (False, True):
        mine, theirs = _palette(review, dark), _palette(hub, dark)
        shared = {k for k in mine if k in ("--bg", "--sf", "--s2", "--fg", "--mu", "--ac", "--oa",
                                            "--fc", "--er", "--wa")}
        assert len(shared) == 10, sorted(mine)
        assert {k: mine[k] for k in shared} == {k: theirs[k] for k in shared}, dark


# --------------------------------------------------------------------------- in a browser


PAGES = ["", "2026-11/", "2026-12/", "week/2026-W48/", "week/2026-W49/", "agenda/",
         "problems/", "report/"]


@pytest.fixture(scope="module")
def site_url(site):
    from browser import QuietHandler, served

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with served(server):
        yield f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="module")
def chromium_browser():
    import browser as harness

    with harness.chromium(harness.require_chromium()) as launched:
        yield launched


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_fits_a_phone(chromium_browser, site_url, scheme):
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    for path in PAGES:
        page.goto(site_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        tabs = page.locator("nav.views a")
        assert all(tabs.nth(i).is_visible() for i in range(tabs.count())), path
        last = page.locator("nav.views li").last.bounding_box()
        assert last["x"] + last["width"] <= 390, ("the Report tab is clipped", path)
    # the report's chart keeps its text legible: it scrolls in its box rather than shrink
    page.goto(site_url + "report/")
    svg = page.locator("#cadence svg").bounding_box()
    assert svg["width"] >= 600
    context.close()


def test_dark_mode_is_applied(chromium_browser, site_url):
    for scheme, background in (("light", "rgb(251, 250, 247)"), ("dark", "rgb(18, 22, 20)")):
        context = chromium_browser.new_context(color_scheme=scheme)
        page = context.new_page()
        for path in ("2026-11/", "report/"):
            page.goto(site_url + path)
            assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background, \
                (scheme, path)
        context.close()


def test_more_opens_the_rest_of_the_day(chromium_browser, site_url):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "2026-11/")
    day = page.locator(f'[data-date="{BUSY_DAY}"]')
    assert day.locator(".chip:visible").count() == 3
    day.locator("summary", has_text="+3 more").click()
    assert day.locator(".chip:visible").count() == 6
    context.close()


# --------------------------------------------------------------------------- the agenda at scale

AGENDA_FILES = {f"content/posts/{day}-p{day[5:7]}{day[8:]}.md": f"""\
    ---
    title: Post of {day}
    date: {day} 10:00
    summary: A post.
    ---
    Body.
    """ for day in ("2026-10-01", "2026-11-10", "2026-11-16", "2026-11-24", "2026-12-20")}


def test_the_agenda_shows_cards_for_the_coming_week_only(tmp_path):
    """From a week back (Nov 14, now is Nov 21): cards up to a week ahead, rows
    after, linking to the cards on the week pages; older days are the month
    pages' (a 2,000-post hub's agenda was 411 KB of them)."""
    site = build(make_hub(tmp_path / "hub", AGENDA_FILES), tmp_path / "out")
    html = (site / "agenda" / "index.html").read_text(encoding="utf-8")
    assert "Post of 2026-10-01" not in html and "Post of 2026-11-10" not in html
    cards = re.findall(r'<article class="item card kind-post[^"]*" id="([^"]+)"', html)
    rows = re.findall(r'<li class="item row kind-post[^>]*>\s*<a class="row-link" href="([^"]+)"', html)
    assert len(cards) == 2 and all(re.search(r"p11(16|24)", c) for c in cards), cards
    assert len(rows) == 1 and rows[0].startswith("../week/2026-W51/#") and "p1220" in rows[0]
    week = (site / "week" / "2026-W51" / "index.html").read_text(encoding="utf-8")
    assert f'id="{rows[0].split("#")[1]}"' in week, "the row leads to the card"
    assert re.search(r'Earlier days: <a data-keep-query href="\.\./2026-10/">', html)
