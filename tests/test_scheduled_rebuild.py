"""The hourly scheduled build: nothing edited, only the clock moved.

A build keeps, with its stamp, the next instant at which any output would
change (a post's date or expiry, a queue time, an event's start or end, the
next day). A later build of the same inputs before that instant does nothing;
one after it renders exactly the outputs whose content changed, and is byte
for byte what a clean build at the same `now` makes.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import NOW, make_hub, run, snapshot
from test_incremental import CHANNELS, post
from test_render_counts import HUB, REVIEW_W47
from hearth.build import Builder
from hearth.dates import resolve_now

# Delta goes live at 14:30 in Rome (13:30 UTC), between two hourly builds.
D = "content/posts/2026-11-21-d.md"
SCHEDULED = {**HUB, D: post("Delta", "2026-11-21 14:30", tags="[garden]")}
START = resolve_now(NOW)                       # 12:00 UTC


def _clean(root: Path, out: Path, now) -> dict[str, bytes]:
    clean = Builder(root, out=out, use_cache=False, jobs=1)
    try:
        assert clean.build(now).ok
    finally:
        clean.close()
    return snapshot(out)


def test_an_hourly_build_with_nothing_due_renders_nothing(tmp_path):
    root = make_hub(tmp_path / "hub", SCHEDULED)
    builder = Builder(root, jobs=1)
    try:
        assert builder.build(START).ok
        before = snapshot(root / "dist")
        later = builder.build(START + timedelta(minutes=55))      # 12:55 UTC: nothing due yet
        assert later.ok and later.timings.get("unchanged") == 1.0
        assert (later.rendered, later.written, later.removed) == (0, 0, 0)
        assert later.skipped_outputs > 0
    finally:
        builder.close()
    assert snapshot(root / "dist") == before
    assert before == _clean(root, tmp_path / "clean", START + timedelta(minutes=55))


def test_the_cli_says_nothing_changed_until_the_post_goes_live(tmp_path):
    root = make_hub(tmp_path / "hub", SCHEDULED)
    assert run(root, "build", "--now", NOW).exit_code == 0
    quiet = run(root, "build", "--now", "2026-11-21T13:05:00Z")
    assert quiet.exit_code == 0 and "nothing changed since the last build" in quiet.output
    live = run(root, "build", "--now", "2026-11-21T14:05:00Z")
    assert live.exit_code == 0 and "nothing changed" not in live.output
    assert (root / "dist/hub/posts/d/index.html").is_file()
    earlier = run(root, "build", "--now", NOW)          # back in time: built again, never skipped
    assert earlier.exit_code == 0 and "nothing changed" not in earlier.output
    assert not (root / "dist/hub/posts/d").exists()


# Delta going live touches its own page, the lists and feeds that show it, Beta's
# page (Delta is now its newer neighbour), the review pages that show it (their
# status filter counts only what the page shows, so next week's page is untouched),
# the review calendar (its status) and the report (one more post gone out).
LIVE = {
    "hub/posts/d/index.html", "hub/posts/b/index.html", "hub/index.html", "hub/feed.xml",
    "hub/search.json", "hub/sitemap.xml", "hub/tags/index.html",
    "hub/tags/garden/index.html", "hub/tags/garden/feed.xml",
    *REVIEW_W47, "review/problems/index.html",
    "review/calendar.ics", "review/report/index.html",
}


def test_one_post_going_live_renders_exactly_the_outputs_that_show_it(tmp_path):
    root = make_hub(tmp_path / "hub", SCHEDULED)
    builder = Builder(root, jobs=1)
    live_at = START + timedelta(hours=1, minutes=45)            # 13:45 UTC
    try:
        assert builder.build(START).ok
        result = builder.build(live_at)
        assert result.ok and "unchanged" not in result.timings
        assert set(result.changed) == LIVE
        # rendered: the templates among them (search.json and calendar.ics are data)
        assert result.rendered == len(LIVE) - 2 and result.removed == 0
        again = builder.build(live_at + timedelta(minutes=30))
        assert (again.rendered, again.written, again.removed) == (0, 0, 0)
    finally:
        builder.close()
    assert snapshot(root / "dist") == _clean(root, tmp_path / "clean", live_at)


def test_the_next_day_rerenders_the_pages_that_show_today(tmp_path):
    root = make_hub(tmp_path / "hub", HUB)
    builder = Builder(root, jobs=1)
    tomorrow = START + timedelta(hours=12, minutes=30)          # 00:30 in Rome, 22 Nov
    try:
        assert builder.build(START).ok
        result = builder.build(tomorrow)
        assert result.ok and "unchanged" not in result.timings
        changed = set(result.changed)
        assert {"review/index.html", "review/agenda/index.html", "review/report/index.html",
                "queues/mastodon.json"} <= changed                  # "today" and `generated`
        assert not any(p.startswith("hub/posts/") for p in changed)
    finally:
        builder.close()
    assert snapshot(root / "dist") == _clean(root, tmp_path / "clean", tomorrow)


# A hub where much depends on the clock: posts going live and expiring within
# hours, a draft falling due (the report's risk), a weekly event, an item with
# its own time.
CLOCKWORK = {
    "calendar/channels.yml": CHANNELS,
    "content/posts/2026-11-16-a.md": post("Alpha", "2026-11-16"),
    "content/posts/2026-11-21-b.md": post("Beta", "2026-11-21 15:10", tags="[garden]"),
    "content/posts/2026-11-22-c.md": post("Gamma", "2026-11-22 09:00", tags="[garden]"),
    "content/posts/2026-11-23-e.md": post("Eps", "2026-11-23", status="draft"),
    "content/posts/2026-11-18-x.md": post("Expiring", "2026-11-18").replace(
        "status: ready", "status: ready\nexpires: 2026-11-21 17:20"),
    "content/posts/2026-11-19-t.md": post("Timed", "2026-11-19").replace(
        "  mastodon: \"{title} {url}\"", "  mastodon:\n    text: \"{title} {url}\"\n"
        "    at: 2026-11-21 19:45"),
    "calendar/events/call.md": ("---\ntitle: Call\nstart: 2026-11-14 16:00\nduration: 1h\n"
                                "rrule: FREQ=WEEKLY\n---\nWeekly.\n"),
}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.integers(1, 36 * 60), min_size=1, max_size=4))
def test_scheduled_rebuilds_equal_a_clean_build_at_the_same_now(tmp_path_factory, steps):
    base = tmp_path_factory.mktemp("sched")
    root = make_hub(base / "hub", CLOCKWORK)
    builder = Builder(root, jobs=1)
    now = START
    try:
        assert builder.build(now).ok
        for i, minutes in enumerate(steps):
            now += timedelta(minutes=minutes)
            result = builder.build(now)
            assert result.ok, [d.as_text() for d in result.diagnostics]
            assert snapshot(root / "dist") == _clean(root, base / f"clean-{i}", now), now
    finally:
        builder.close()


def test_a_fresh_checkout_of_the_same_files_is_still_unchanged(tmp_path):
    """CI checks the repository out again for every run: every file has a new
    modification time and the same content, and the build cache is restored."""
    root = make_hub(tmp_path / "hub", SCHEDULED)
    assert run(root, "build", "--now", NOW).exit_code == 0
    for file in (root / "content").rglob("*"):
        if file.is_file():
            file.write_bytes(file.read_bytes())
    quiet = run(root, "build", "--now", "2026-11-21T13:05:00Z")
    assert quiet.exit_code == 0 and "nothing changed since the last build" in quiet.output
    path = root / D
    path.write_text(path.read_text().replace("Body.", "Another body."))
    edited = run(root, "build", "--now", "2026-11-21T13:05:00Z")
    assert "nothing changed" not in edited.output


def test_the_previous_output_is_kept_as_the_next_builds_staging_folder(tmp_path):
    """A later build writes only its changed files into the spare (the output before
    last, hard links) and swaps it in; `hearth clean` removes the spare too."""
    root = make_hub(tmp_path / "hub", SCHEDULED)
    spares = lambda: sorted(p.name for p in root.iterdir() if p.name.startswith(".dist.spare-"))  # noqa: E731
    assert run(root, "build", "--now", NOW).exit_code == 0
    assert spares() == []                                  # a first build has no previous output
    assert run(root, "build", "--now", "2026-11-21T14:05:00Z").exit_code == 0    # Delta goes live
    kept = spares()
    assert len(kept) == 1
    unchanged = root / "dist/hub/posts/a/index.html"
    assert os.stat(unchanged).st_ino == os.stat(root / kept[0] / "hub/posts/a/index.html").st_ino
    path = root / "content/posts/2026-11-16-a.md"
    path.write_text(path.read_text().replace("Body.", "A new body."))
    assert run(root, "build", "--now", "2026-11-21T14:05:00Z").exit_code == 0
    assert len(spares()) == 1 and spares() != kept
    assert snapshot(root / "dist") == _clean(root, tmp_path / "clean", resolve_now("2026-11-21T14:05:00Z"))
    assert run(root, "clean").exit_code == 0
    assert spares() == []
