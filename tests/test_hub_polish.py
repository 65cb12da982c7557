"""The hub's finish (issue 14): ended events, the home page on a phone, the
guidelines page's messages and examples, the search box without JavaScript."""

from __future__ import annotations

import functools
import http.server
import re

import pytest

from conftest import NOW, run

EVENT = """\
---
title: {title}
start: {start}
end: {end}
location: Turin
rsvp: https://example.org/rsvp
---
Come along.
"""


def _built(hub, files):
    root = hub(files)
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    return root / "dist" / "hub"


def test_a_past_event_says_it_has_ended_and_offers_no_rsvp(hub):
    out = _built(hub, {
        "calendar/events/old.md": EVENT.format(title="Old meetup", start="2026-10-17T10:00",
                                               end="2026-10-17T16:00"),
        "calendar/events/new.md": EVENT.format(title="New meetup", start="2026-12-17T10:00",
                                               end="2026-12-17T16:00"),
    })
    old = (out / "events/old/index.html").read_text("utf-8")
    assert "This event has ended." in old
    assert "Add to calendar" not in old and "RSVP" not in old and "example.org/rsvp" not in old
    new = (out / "events/new/index.html").read_text("utf-8")
    assert "This event has ended." not in new
    assert "Add to calendar" in new and 'href="https://example.org/rsvp"' in new


def test_an_event_in_progress_has_not_ended(hub):
    out = _built(hub, {"calendar/events/now.md": EVENT.format(
        title="All-day swap", start="2026-11-21T09:00", end="2026-11-21T18:00")})
    page = (out / "events/now/index.html").read_text("utf-8")
    assert "This event has ended." not in page and "Add to calendar" in page


def test_the_ended_page_follows_now_and_stays_deterministic(hub, tmp_path):
    root = hub({"calendar/events/e.md": EVENT.format(title="Meetup", start="2026-11-25T10:00",
                                                     end="2026-11-25T12:00")})
    page = root / "dist/hub/events/e/index.html"
    assert run(root, "build", "--now", NOW).exit_code == 0
    before = page.read_bytes()
    assert b"This event has ended." not in before
    assert run(root, "build", "--now", "2026-11-26T12:00:00Z").exit_code == 0
    assert b"This event has ended." in page.read_bytes()
    assert run(root, "build", "--now", NOW).exit_code == 0
    assert page.read_bytes() == before


def test_the_guidelines_page_fills_the_rule_messages_and_keeps_example_lines(hub):
    out = _built(hub, {
        "guidelines/rules.yml": """\
            - id: product-name
              extends: substitution
              message: 'Write the product name as "%s", not "%s".'
              level: warning
              swap:
                Plot planner: Plot Planner
              examples:
                good: ["Plan your beds in Plot Planner."]
                bad: ["Try the new Plot planner."]
            - id: repeated
              extends: repetition
              message: "'%s' is repeated."
              level: error
              alpha: true
              ignorecase: true
              tokens: ['[^\\s.!?]+']
              examples:
                bad: ["Bring the the seeds.", "Bring the seeds.\\nThe the tools stay."]
            - id: few-hashtags
              extends: hashtags
              message: "Use at most two hashtags (this text has %d)."
              level: warning
              max: 2
            """,
    })
    page = (out / "guidelines/index.html").read_text("utf-8")
    assert "Write the product name as &#34;Plot Planner&#34;, not &#34;Plot planner&#34;." in page
    assert "&#39;the&#39; is repeated." in page
    assert "Use at most two hashtags (this text has more than 2)." in page
    assert "…" not in re.sub(r'placeholder="[^"]*"', "", page)
    assert '<code class="example-block">Bring the seeds.\nThe the tools stay.</code>' in page


def test_without_javascript_the_search_box_gives_way_to_the_tags_index(hub):
    out = _built(hub, {"content/posts/a.md": "---\ntitle: A\ndate: 2026-11-01\ntags: [x]\n---\nHi.\n"})
    page = (out / "index.html").read_text("utf-8")
    assert re.search(r'<a class="search-fallback" href="/tags/">.*Browse posts by tag</a>', page)
    css = (out / "assets/style.css").read_text("utf-8")
    assert "html:not(.js) .search," in css and "html.js .search-fallback{display:none}" in css


# --- in a browser ----------------------------------------------------------------

MANY_POSTS = {f"content/posts/p{i:02}.md": f"---\ntitle: Post number {i}\ndate: 2026-11-{i + 1:02}\n"
              f"summary: A post with a summary long enough to take a few lines on a phone.\n---\n"
              f"Body {i}.\n" for i in range(12)}


@pytest.fixture
def served_hub(hub):
    import browser as harness

    harness.require_chromium()
    out = _built(hub, {**MANY_POSTS, **{
        f"calendar/events/e{i}.md": EVENT.format(title=f"Meetup {i}", start=f"2026-12-{i + 1:02}T10:00",
                                                 end=f"2026-12-{i + 1:02}T12:00") for i in range(3)}})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(harness.QuietHandler, directory=str(out)))
    with harness.served(server):
        yield f"http://127.0.0.1:{server.server_address[1]}/"


def test_on_a_phone_upcoming_events_come_before_the_posts(served_hub, browser):
    for width, scheme in ((390, "light"), (390, "dark"), (1280, "light")):
        page = browser.new_page(viewport={"width": width, "height": 844}, color_scheme=scheme)
        page.goto(served_hub)
        top = page.evaluate("document.getElementById('upcoming-heading').getBoundingClientRect().top"
                            " + scrollY")
        assert top < 900, f"'Upcoming events' is {top:.0f} px down at {width} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shown = page.locator(".sidebar .event-list > li:visible").count()
        assert shown == (2 if width < 1024 else 3)
        page.close()


def test_without_javascript_the_header_links_to_the_tags_index(served_hub, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_hub)
    assert not page.locator("form.search").is_visible()
    link = page.locator("a.search-fallback")
    assert link.is_visible()
    link.click()
    assert page.url.endswith("/tags/")
    context.close()
