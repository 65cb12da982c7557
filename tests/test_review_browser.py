"""The review site's filters in a real browser (Debian's Chromium, headless).

Clicked as a manager would: hide a channel, a status, a campaign; reload and
find the same view (the state is in the URL); with JavaScript off, everything
shows.
"""

from __future__ import annotations

import functools
import http.server

import pytest

from browser import QuietHandler, require_chromium, served

sync_api = require_chromium()

from conftest import NOW, make_hub, run
from test_review import FILES


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    root = make_hub(tmp_path_factory.mktemp("hub"), FILES)
    out = tmp_path_factory.mktemp("out")
    assert run(root, "build", "--now", NOW, "--out", str(out)).exit_code == 0
    handler = functools.partial(QuietHandler, directory=str(out / "review"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with served(server):
        yield f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def hidden_count(page, selector: str) -> int:
    return page.locator(selector).evaluate_all("els => els.filter(e => e.hidden).length")


def visible_count(page, selector: str) -> int:
    return page.locator(selector).evaluate_all("els => els.filter(e => !e.closest('[hidden]')).length")


def box(page, group: str, value: str):
    return page.locator(f'#filters input[name="{group}"][value="{value}"]')


def test_channel_filter_hides_and_survives_a_reload(page, site_url):
    page.goto(site_url + "2026-11/")
    mastodon = '.item[data-channel="mastodon"]'
    assert page.locator(mastodon).count() > 0
    assert hidden_count(page, ".item") == 0
    box(page, "channel", "mastodon").uncheck()
    assert visible_count(page, mastodon) == 0
    assert visible_count(page, '.item[data-channel="hub"]') > 0
    assert "channel=" in page.url and "mastodon" not in page.url.split("channel=")[1].split("&")[0]
    page.reload()
    assert not box(page, "channel", "mastodon").is_checked()
    assert box(page, "channel", "x").is_checked()
    assert visible_count(page, mastodon) == 0
    # the other views keep the filter: their links carry the query
    href = page.locator("nav.views a", has_text="Agenda").get_attribute("href")
    assert "channel=" in href
    page.locator("nav.views a", has_text="Agenda").click()
    page.wait_for_load_state()
    assert not box(page, "channel", "mastodon").is_checked()
    assert visible_count(page, '.card[data-channel="mastodon"]') == 0
    assert page.console_errors == []


def test_status_and_campaign_filters(page, site_url):
    page.goto(site_url + "2026-11/")
    drafts = '.item[data-status="draft"]'
    assert visible_count(page, drafts) > 0
    box(page, "status", "draft").uncheck()
    assert visible_count(page, drafts) == 0
    assert visible_count(page, '.item[data-status="ready"]') > 0
    box(page, "campaign", "winter").uncheck()
    assert visible_count(page, '.item[data-campaign="winter"]') == 0
    assert visible_count(page, '.band[data-kind="campaign-band"]') == 0
    assert visible_count(page, '.item[data-campaign="none"][data-status="published"]') > 0
    assert "status=" in page.url and "campaign=" in page.url
    page.get_by_role("button", name="Show everything").click()
    assert hidden_count(page, ".item") == 0
    assert "?" not in page.url
    assert page.console_errors == []


def test_blackout_follows_the_channels_it_closes(page, site_url):
    page.goto(site_url + "2026-12/")
    retreat = '.band-blackout[data-channels="x"]'      # a band, like a campaign's
    holidays = '.band-blackout[data-channels=""]'
    assert visible_count(page, retreat) == 1
    assert visible_count(page, holidays) == 1
    box(page, "channel", "x").uncheck()
    assert visible_count(page, retreat) == 0
    assert visible_count(page, holidays) == 1          # "all channels" stays
    assert page.console_errors == []


def test_without_javascript_everything_shows(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(site_url + "2026-11/?channel=hub")
    assert hidden_count(page, ".item") == 0
    assert page.locator(".item").count() == page.locator(".item:visible").count()
    context.close()


def test_chips_lead_to_their_details(page, site_url):
    page.goto(site_url + "2026-11/")
    page.locator('.chip a[href$="#channel.mastodon.launch"]').click()
    assert page.url.endswith("/week/2026-W48/#channel.mastodon.launch"), "the card is on its week's page"
    card = page.locator('[id="channel.mastodon.launch"]')
    assert card.locator(".pv-text").inner_text().startswith("We launch today")
    assert card.evaluate("el => el.matches(':target')")
    assert page.console_errors == []
