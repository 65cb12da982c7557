"""Loading reads a value the same way in every folder: posts, events, campaigns, blackouts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from conftest import make_hub

from hearth.dates import parse_time, parse_when
from hearth.load import load
from hearth.settings import load_settings

ROME = ZoneInfo("Europe/Rome")


def sources(tmp_path, files):
    return load(load_settings(make_hub(tmp_path / "hub", files)))


def post_and_event(value: str) -> dict[str, str]:
    return {"content/posts/2026-05-01-p.md": f"---\ntitle: P\n{value}\n---\nBody.\n",
            "calendar/events/e.md": f"---\ntitle: E\nstart: 2026-05-01\n{value}\n---\n"}


# A list of words or a comma-separated text, stripped, empty words dropped: the
# two forms give the same tags, and a post and an event read them alike.
@pytest.mark.parametrize("value, tags", [
    ("tags: [garden, seeds]", ("garden", "seeds")),
    ("tags: garden, seeds", ("garden", "seeds")),
    ("tags: ' garden ,, seeds '", ("garden", "seeds")),
    ("tags: ['  garden', '', 2026]", ("garden", "2026")),
    ("tags:", ()),
])
def test_posts_and_events_read_tags_alike(tmp_path, value, tags):
    read = sources(tmp_path, post_and_event(value))
    assert read.diagnostics == ()
    [post], [event] = read.posts, read.events
    assert post.tags == event.tags == tags


@pytest.mark.parametrize("value", ["tags: [yes, no]", "tags: {a: b}", "tags: [[a]]"])
def test_tags_that_are_not_words_are_an_error_on_posts_and_events(tmp_path, value):
    read = sources(tmp_path, post_and_event(value))
    assert sorted((d.path, d.line, d.level) for d in read.diagnostics) == [
        ("calendar/events/e.md", 4, "error"), ("content/posts/2026-05-01-p.md", 3, "error")]
    assert read.posts[0].tags == () and read.events[0].tags == ()


@pytest.mark.parametrize("text, moment", [
    ("2026-05-04", datetime(2026, 5, 4, tzinfo=ROME)),
    ("2026-05-04 10:00", datetime(2026, 5, 4, 10, tzinfo=ROME)),
    ("2026-05-04 9:30", datetime(2026, 5, 4, 9, 30, tzinfo=ROME)),
    ("2026-05-04T10:00:00+01:00", datetime(2026, 5, 4, 10, tzinfo=timezone(timedelta(hours=1)))),
    ("2019-05-04 10:00:00 +0200", datetime(2019, 5, 4, 10, tzinfo=timezone(timedelta(hours=2)))),
    ("2019-05-04 10:00:00 Z", datetime(2019, 5, 4, 10, tzinfo=timezone.utc)),
])
def test_one_date_semantics(text, moment):
    assert parse_time(text, ROME) == moment
    assert parse_time(text, ROME).utcoffset() == moment.utcoffset()    # a written offset is kept


def test_a_date_alone_stays_a_date_for_a_caller_that_wants_days():
    assert parse_when("2026-05-04", ROME) == date(2026, 5, 4)
    assert parse_when(date(2026, 5, 4), ROME) == date(2026, 5, 4)
    assert parse_when("20260504", ROME) == date(2026, 5, 4)
    assert parse_when("spring", ROME) is None and parse_when(3, ROME) is None


def test_posts_events_campaigns_and_blackouts_read_one_date_alike(tmp_path):
    jekyll = "2019-05-04 10:00:00 +0200"
    read = sources(tmp_path, {
        "content/posts/p.md": f"---\ntitle: P\ndate: {jekyll}\n---\n",
        "calendar/events/e.md": f"---\ntitle: E\nstart: {jekyll}\nduration: 1h\n---\n",
        "calendar/events/day.md": "---\ntitle: D\nstart: '2019-05-04'\n---\n",
        "calendar/campaigns/c.md": f"---\ntitle: C\nstart: '2019-05-04'\nend: {jekyll}\n---\n",
        "calendar/channels.yml": "channels:\n  mastodon: {}\nblackouts:\n  - start: '2019-05-04'\n",
    })
    assert read.diagnostics == ()
    [post] = read.posts
    day, timed = sorted(read.events, key=lambda e: e.all_day, reverse=True)
    assert post.date == timed.start == datetime(2019, 5, 4, 8, tzinfo=timezone.utc)
    assert timed.start.tzinfo == ROME                        # an event lives on its zone's clock
    assert day.all_day and day.start == datetime(2019, 5, 4, tzinfo=ROME)
    campaign = read.campaigns["c"]
    assert campaign.start == campaign.end == date(2019, 5, 4)
    assert read.channels.blackouts[0].start == date(2019, 5, 4)
