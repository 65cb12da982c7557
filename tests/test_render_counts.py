"""After one edit, exactly these outputs are re-rendered and written (Hugo's
`AssertRenderCountPage`, Lektor's `test_second_build_all_builds_nothing`):
hub pages, queues and the review site alike. A second build renders nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import NOW, make_hub
from test_incremental import CHANNELS, post
from hearth.build import Builder
from hearth.dates import resolve_now

# Dates around NOW (2026-11-21) so the review site shows every item.
HUB = {
    "calendar/channels.yml": CHANNELS,
    "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    "content/posts/2026-11-16-a.md": post("Alpha", "2026-11-16", tags="[news]"),
    "content/posts/2026-11-18-b.md": post("Beta", "2026-11-18", tags="[garden]"),
    "content/posts/2026-11-25-c.md": post("Gamma", "2026-11-25", tags="[garden]"),
    "calendar/events/meetup.md": ("---\ntitle: Meetup\nstart: 2026-11-28 18:00\nduration: 2h\n"
                                  "location: Town hall\n---\nCome.\n"),
}
B = "content/posts/2026-11-18-b.md"
REVIEW_W47 = {"review/index.html", "review/2026-11/index.html", "review/agenda/index.html",
              "review/week/2026-W47/index.html"}


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new))


CASES = {
    "post body": ((B, "Body.", "A new body."), 9, {
        "hub/posts/b/index.html", "hub/index.html", "hub/feed.xml", "hub/search.json",
        "hub/tags/garden/index.html", "hub/tags/garden/feed.xml", *REVIEW_W47}),
    "post title": ((B, "title: Beta", "title: Beta renamed"), 11, {
        "hub/posts/b/index.html", "hub/posts/a/index.html",   # a links to b as "newer"
        "hub/index.html", "hub/feed.xml", "hub/search.json",
        "hub/tags/garden/index.html", "hub/tags/garden/feed.xml",
        "queues/mastodon.json",      # {title} is in its text; the CSV holds only items to come
        *REVIEW_W47, "review/calendar.ics", "review/report/index.html"}),
    "channel text": ((B, '"{title} {url}"', '"New text {url}"'), 4, {
        "queues/mastodon.json", *REVIEW_W47, "review/calendar.ics"}),
    "calendar file": (("calendar/events/meetup.md", "Town hall", "Library"), 7, {
        "hub/events/index.html", "hub/events/meetup/index.html", "hub/events/meetup.ics",
        "hub/events/events.ics", "hub/index.html",              # the home page lists it
        "review/index.html", "review/2026-11/index.html", "review/agenda/index.html",
        "review/week/2026-W48/index.html", "review/calendar.ics"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_one_edit_renders_exactly_the_outputs_that_show_it(tmp_path, case):
    (path, old, new), rendered, changed = CASES[case]
    root = make_hub(tmp_path / "hub", HUB)
    now = resolve_now(NOW)
    builder = Builder(root, jobs=1)
    try:
        assert builder.build(now).ok
        edit(root, path, old, new)
        result = builder.build(now)
        assert result.ok
        assert set(result.changed) == changed
        assert result.rendered == rendered
        again = builder.build(now)
        assert (again.rendered, again.written, again.removed) == (0, 0, 0)
    finally:
        builder.close()
    # and the incremental result is what a clean build makes
    clean = Builder(root, out=tmp_path / "clean", use_cache=False, jobs=1)
    assert clean.build(now).ok
    clean.close()
    for file in (root / "dist").rglob("*"):
        if file.is_file():
            twin = tmp_path / "clean" / file.relative_to(root / "dist")
            assert twin.read_bytes() == file.read_bytes(), file
