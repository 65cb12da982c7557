"""The managers' review site and the terminal agenda, on a tiny hub written inline."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest
from conftest import NOW, make_hub, run, snapshot

from hearth import build as pipeline
from hearth.diagnostics import diagnostic
from hearth.review.model import agenda
from hearth.review.pages import plan_review

CHANNELS = """\
channels:
  mastodon:
    kind: mastodon
    slots: ["Mon 09:30", "Wed 09:30"]
    color: "#6364ff"
  x:
    kind: x
    slots: ["Tue 12:00"]
    max_per_day: 1
blackouts:
  - {start: 2026-12-24, end: 2026-12-26, reason: Holidays}
  - {start: 2026-12-01, end: 2026-12-01, reason: Retreat, channels: [x]}
"""

FILES = {
    "calendar/channels.yml": CHANNELS,
    "calendar/campaigns/winter.md": """\
        ---
        title: Winter drive
        start: 2026-11-20
        end: 2026-12-10
        color: "#c2703d"
        goal: 100
        ---
        Brief.
        """,
    "calendar/events/call.md": """\
        ---
        title: Weekly call
        start: 2026-11-26 18:00
        duration: 1h
        rrule: "FREQ=WEEKLY;COUNT=3"
        online: https://meet.example.org/call
        status: ready
        ---
        Come along.
        """,
    "content/posts/2026-11-10-old-news.md": """\
        ---
        title: Old news
        date: 2026-11-10 10:00
        channels:
          mastodon: "Old news {url} #garden"
        ---
        Body.
        """,
    "content/posts/2026-11-23-launch.md": """\
        ---
        title: Launch day
        date: 2026-11-23 08:00
        campaign: winter
        sumary: a typo the loader warns about
        channels:
          mastodon: "We launch today: {url} #launch"
          x:
            text: "We launch today {url}"
            at: 2026-12-01 12:00
        ---
        Body.
        """,
    "content/posts/2026-11-30-draft.md": """\
        ---
        title: A draft idea
        date: 2026-11-30 09:00
        status: draft
        channels:
          mastodon: "Draft text {url}"
        ---
        Body.
        """,
    "content/posts/2026-12-02-in-review.md": """\
        ---
        title: Waiting for approval
        date: 2026-12-02 09:00
        status: review
        ---
        Body.
        """,
}


@pytest.fixture
def review_hub(tmp_path) -> Path:
    return make_hub(tmp_path / "hub", FILES)


def model(root: Path):
    result = pipeline.check(root, datetime(2026, 11, 21, 12, tzinfo=UTC))
    return result.site, result.diagnostics


def by_key(items):
    return {i.key: i for i in items}


# --------------------------------------------------------------------------- the agenda model


def test_agenda_holds_every_kind_of_item_with_its_status(review_hub):
    site, problems = model(review_hub)
    items = by_key(agenda(site, diagnostics=problems))
    assert items["post.old-news"].status == "published"
    assert items["post.launch"].status == "ready"
    assert items["post.draft"].status == "draft"
    assert items["post.in-review"].status == "review"
    assert items["channel.mastodon.old-news"].status == "published"
    assert items["channel.mastodon.launch"].kind == "channel-post"
    assert items["channel.mastodon.launch"].start.isoformat() == "2026-11-23T09:30:00+01:00"
    assert items["channel.mastodon.launch"].color == "#6364ff"
    assert items["channel.mastodon.launch"].campaign == "winter"
    assert items["channel.x.launch"].start.isoformat() == "2026-12-01T12:00:00+01:00"
    assert items["channel.mastodon.draft"].status == "draft"           # drafts are planned too
    calls = [i for i in items.values() if i.kind == "event"]
    assert [c.start.isoformat() for c in calls] == [
        "2026-11-26T18:00:00+01:00", "2026-12-03T18:00:00+01:00", "2026-12-10T18:00:00+01:00"]
    band = items["campaign.winter"]
    assert (band.start, band.end, band.color) == (date(2026, 11, 20), date(2026, 12, 10), "#c2703d")
    blackouts = [i for i in items.values() if i.kind == "blackout"]
    assert {(b.title, b.channels) for b in blackouts} == {("Holidays", ()), ("Retreat", ("x",))}


def test_a_warning_sits_beside_the_item_it_concerns(review_hub):
    site, problems = model(review_hub)
    items = by_key(agenda(site, diagnostics=problems))
    x_rules = [d.rule for d in items["channel.x.launch"].diagnostics]
    assert x_rules == ["schedule.blackout"]
    assert all(d.rule != "schedule.blackout" for d in items["channel.mastodon.launch"].diagnostics)
    assert all(d.rule != "schedule.blackout" for d in items["post.launch"].diagnostics)
    # the front-matter typo is the hub post's, not a channel post's
    typo = [d for d in problems if "sumary" in d.message]
    assert typo and typo[0] in items["post.launch"].diagnostics
    assert typo[0] not in items["channel.x.launch"].diagnostics


def test_a_diagnostic_naming_its_channel_sits_beside_that_channel_post(review_hub):
    site, problems = model(review_hub)
    path = "content/posts/2026-11-23-launch.md"
    named = diagnostic(path, 1, 1, "warning", "worded any way at all", "test", channel="x")
    unknown = diagnostic(path, 1, 1, "warning", "a channel without a post here", "test",
                         channel="nowhere")
    items = by_key(agenda(site, diagnostics=[*problems, named, unknown]))
    assert named in items["channel.x.launch"].diagnostics
    assert named not in items["post.launch"].diagnostics
    assert unknown in items["post.launch"].diagnostics


def test_agenda_window_and_channel(review_hub):
    site, problems = model(review_hub)
    december = agenda(site, date(2026, 12, 1), date(2026, 12, 31), "x", diagnostics=problems)
    assert [(i.kind, i.lane) for i in december] == [
        ("blackout", None), ("channel-post", "x"), ("blackout", None)]
    week = agenda(site, date(2026, 11, 23), date(2026, 11, 29), diagnostics=problems)
    assert {"campaign.winter", "post.launch", "channel.mastodon.launch"} <= {i.key for i in week}
    assert all(i.last_day >= date(2026, 11, 23) and i.first_day <= date(2026, 11, 29) for i in week)


# --------------------------------------------------------------------------- the review site


@pytest.fixture
def built(review_hub, tmp_path) -> Path:
    out = tmp_path / "out"
    result = run(review_hub, "build", "--now", NOW, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out / "review"


def test_the_review_site_has_every_view(built):
    for page in ("index.html", "2026-11/index.html", "2026-12/index.html", "week/2026-W48/index.html",
                 "agenda/index.html", "problems/index.html", "calendar.ics", "robots.txt",
                 "assets/review.css", "assets/review.js"):
        assert (built / page).is_file(), page
    assert (built / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    for page in built.rglob("*.html"):
        assert re.search(r'<meta name="robots" content="noindex', page.read_text()), page
    assert '<meta name="robots" content="noindex, nofollow">' in (built / "index.html").read_text()


def test_the_month_grid_shows_items_filters_and_warnings(built):
    html = (built / "2026-11" / "index.html").read_text()
    assert "November 2026" in html
    for group, value in (("channel", "mastodon"), ("channel", "x"), ("channel", "hub"),
                         ("status", "draft"), ("status", "published"), ("campaign", "winter"),
                         ("campaign", "none")):
        assert f'name="{group}" value="{value}"' in html, (group, value)
    # a chip links to its card on the week's page: the one page with the full cards
    assert 'href="../week/2026-W48/#channel.mastodon.launch"' in html and 'data-channel="mastodon"' in html
    assert 'id="channel.mastodon.launch"' not in html
    assert 'data-status="draft"' in html
    assert "Winter drive" in html                   # the campaign band
    december = (built / "2026-12" / "index.html").read_text()
    assert "Holidays" in december and "Retreat" in december
    week = next(p for p in (built / "week").glob("*/index.html") if 'id="channel.x.launch"' in p.read_text())
    week_html = week.read_text()
    card = week_html[week_html.index('id="channel.x.launch"'):]
    card = card[:card.index("</article>")]
    assert "blackout" in card and "flag-warning" in card
    assert "39 / 280 weighted characters" in re.sub(r"<[^>]+>", "", card)


def test_the_problem_list_links_each_problem_to_its_item(built):
    html = (built / "problems" / "index.html").read_text()
    assert "schedule.blackout" in html
    assert re.search(r'href="\.\./week/2026-W\d\d/#channel\.x\.launch"', html)


def test_calendar_ics_parses_with_stable_uids(built):
    calendar = icalendar.Calendar.from_ical((built / "calendar.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    assert "channel.x.launch@example.org" in uids and "post.draft@example.org" in uids
    launch = next(e for e in events if str(e["UID"]) == "channel.x.launch@example.org")
    assert launch.decoded("DTSTART").isoformat() == "2026-12-01T12:00:00+01:00"
    assert launch.decoded("DTSTAMP") == datetime(2026, 11, 23, 7, tzinfo=UTC)  # the post's date
    winter = next(e for e in events if str(e["UID"]) == "campaign.winter@example.org")
    assert winter.decoded("DTEND") == date(2026, 12, 11)


def test_the_review_site_is_byte_identical_twice(review_hub, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        assert run(review_hub, "build", "--now", NOW, "--out", str(out)).exit_code == 0
    assert snapshot(first / "review") == snapshot(second / "review")


def test_plan_review_is_pure(review_hub):
    site, _ = model(review_hub)
    paths = [o.path for o in plan_review(site)]
    assert paths == [o.path for o in plan_review(site)]
    assert len(paths) == len(set(paths))


# --------------------------------------------------------------------------- the terminal


def test_hearth_calendar_prints_the_agenda(review_hub):
    result = run(review_hub, "calendar", "--now", NOW)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["DAY", "TIME", "CHANNEL", "STATUS", "CAMPAIGN", "PROBLEMS", "TITLE"]
    launch = next(line for line in lines if "x" in line.split() and "Launch day" in line)
    assert launch.startswith("2026-12-01 Tue  12:00")
    assert "1W" in launch
    assert any("draft" in line and "A draft idea" in line for line in lines)
    assert "Old news" not in result.stdout            # before the default window (today − 7 days)


def test_hearth_calendar_json_and_channel(review_hub):
    result = run(review_hub, "calendar", "--now", NOW, "--from", "2026-12-01", "--to", "2026-12-31",
                 "--channel", "x", "--format", "json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [(i["kind"], i["channel"]) for i in items] == [
        ("blackout", None), ("channel-post", "x"), ("blackout", None)]
    post = items[1]
    assert post["start"] == "2026-12-01T12:00:00+01:00" and post["limit"] == 280
    assert post["problems"][0]["rule"] == "schedule.blackout"


def test_hearth_calendar_bad_usage_exits_2(review_hub):
    assert run(review_hub, "calendar", "--channel", "myspace", "--now", NOW).exit_code == 2
    assert run(review_hub, "calendar", "--from", "2026-13-01", "--now", NOW).exit_code == 2
    assert run(review_hub, "calendar", "--from", "2026-12-02", "--to", "2026-12-01").exit_code == 2


def test_hearth_queue_prints_a_channels_queue(review_hub):
    result = run(review_hub, "queue", "mastodon", "--now", NOW)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["AT", "STATE", "ID", "COUNT", "TEXT"]
    assert [line.split()[2] for line in lines[1:]] == ["mastodon:old-news", "mastodon:launch"]
    assert lines[1].split()[1] == "due" and lines[2].split()[1] == "planned"
    due = run(review_hub, "queue", "mastodon", "--due", "--format", "json", "--now", NOW)
    document = json.loads(due.stdout)
    assert document["channel"] == "mastodon"
    assert [i["id"] for i in document["items"]] == ["mastodon:old-news"]


def test_hearth_queue_matches_the_queue_file(review_hub, tmp_path):
    out = tmp_path / "out"
    run(review_hub, "build", "--now", NOW, "--out", str(out))
    printed = json.loads(run(review_hub, "queue", "x", "--format", "json", "--now", NOW).stdout)
    assert printed == json.loads((out / "queues" / "x.json").read_text())


def test_hearth_queue_unknown_channel_exits_2(review_hub):
    result = run(review_hub, "queue", "myspace", "--now", NOW)
    assert result.exit_code == 2
    assert "unknown channel 'myspace'" in result.stderr and "mastodon, x" in result.stderr


def test_content_errors_exit_1_with_the_errors(tmp_path):
    root = make_hub(tmp_path / "bad", {**FILES, "content/posts/2026-11-24-broken.md": """\
        ---
        title: Broken
        date: 2026-11-24
        campaign: summer
        ---
        Body.
        """})
    result = run(root, "calendar", "--now", NOW)
    assert result.exit_code == 1
    assert "unknown campaign 'summer'" in result.stderr
    assert "Broken" in result.stdout                 # the agenda is still printed


def test_previews_style_links_hashtags_and_mentions():
    from hearth.review.views import rich_text

    html = str(rich_text("Hi @ana@social.example, see https://example.org/a/very/long/path/indeed?x=1 #garden & more", "mastodon"))
    assert '<span class="pv-mention">@ana@social.example</span>' in html
    assert '<a class="pv-link" href="https://example.org/a/very/long/path/indeed?x=1"' in html
    assert ">example.org/a/very/long/path/…</a>" in html          # shortened as Mastodon shows it
    assert '<span class="pv-tag">#garden</span>' in html and "&amp; more" in html
    assert "<script>" not in str(rich_text("<script>alert(1)</script>", "x"))


def test_a_recurring_event_never_stretches_the_review(review_hub):
    files = {**FILES, "calendar/events/forever.md": """\
        ---
        title: Daily standup
        start: 2020-01-06 09:00
        duration: 15m
        rrule: "FREQ=DAILY"
        status: ready
        ---
        """}
    root = make_hub(review_hub.parent / "forever", files)
    site, problems = model(root)
    from hearth.review.model import review_window

    first, last = review_window(site)
    assert first == date(2026, 11, 10) and last == date(2026, 12, 26)
    standups = [i for i in agenda(site, diagnostics=problems) if i.title == "Daily standup"]
    assert len(standups) == (last - first).days + 1


def test_a_channel_called_hub_keeps_its_name_in_the_filter(tmp_path):
    files = {**FILES, "calendar/channels.yml": CHANNELS.replace("  x:\n", "  hub:\n    kind: discord\n  x:\n")}
    site, problems = model(make_hub(tmp_path / "named", files))
    items = agenda(site, diagnostics=problems)
    assert {i.lane for i in items if i.kind == "post"} == {"_hub"}
    assert {i.lane for i in items if i.kind == "event"} == {"events"}
