"""Channel posts → queue files a scheduler reads; events on the hub."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import icalendar
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NOW, REPO, make_hub, run
from hearth.plan.queues import Members, json_bytes

SCHEMA = json.loads((REPO / "docs/queue.schema.json").read_text())

CHANNELS = """\
channels:
  mastodon:
    kind: mastodon
    slots: ["Tue 11:00", "Sat 10:00"]
    utm: {source: mastodon, medium: social}
  x:
    kind: x
    slots: ["Tue 11:00", "Sat 10:00"]
    utm: {source: x, medium: social}
  instagram:
    kind: instagram
    slots: ["Sat 10:00"]
  newsletter:
    kind: newsletter
    every: month
blackouts:
  - {start: 2026-10-31, end: 2026-10-31, reason: Halloween, channels: all}
"""

TOML = '[site]\ntitle = "Garden"\nbase_url = "https://example.org/"\ntimezone = "Europe/Berlin"\n'


def post(slug: str, date: str, channels: str, extra: str = "") -> tuple[str, str]:
    return (f"content/posts/{slug}.md",
            f"---\ntitle: Post {slug}\ndate: {date}\ntags: [community, seed swap]\n"
            f"summary: About {slug}.\n{extra}channels:\n{channels}---\nBody.\n")


def hub_files(**extra) -> dict[str, str]:
    files = {"calendar/channels.yml": CHANNELS,
             "calendar/campaigns/autumn.md": "---\ntitle: Autumn\nstart: 2026-10-01\nend: 2026-11-30\n---\n",
             "content/media/a.jpg": b"\xff\xd8\xff"}
    files.update(dict([
        post("one", "2026-10-22 15:00", '  mastodon: "First {url} {tags}"\n  newsletter: true\n',
             "campaign: autumn\n"),
        post("two", "2026-10-23", '  mastodon: "Second {title} {url}"\n'),
        post("three", "2026-10-28", '  mastodon: "Third {url}"\n  x:\n    text: "On X: {summary} {url}"\n'
             '    at: 2026-10-29 18:00\n'),
    ]))
    files.update(extra)
    return files


def build(tmp_path, files, *args):
    root = make_hub(tmp_path / "hub", files, TOML)
    result = run(root, "build", "--now", NOW, *args)
    return root, result


def test_the_contracts_worked_example_and_the_queue_file(tmp_path):
    root, result = build(tmp_path, hub_files())
    assert result.exit_code == 0, result.output
    queue = json.loads((root / "dist/queues/mastodon.json").read_text())
    jsonschema.validate(queue, SCHEMA)
    # the day of --now: 00:00 of 2026-11-21 in Europe/Rome, in UTC (it changes once a day)
    assert queue["channel"] == "mastodon" and queue["generated"] == "2026-11-20T23:00:00Z"
    times = [item["at"] for item in queue["items"]]
    assert times == ["2026-10-24T10:00:00+02:00", "2026-10-27T11:00:00+01:00", "2026-11-03T11:00:00+01:00"]
    first = queue["items"][0]
    assert first["url"] == ("https://example.org/posts/one/?utm_source=mastodon&utm_medium=social"
                            "&utm_campaign=autumn")
    assert first["text"] == f"First {first['url']} #community #SeedSwap"
    assert first["id"] == "mastodon:one" and first["source"] == "content/posts/one.md"
    assert first["campaign"] == "autumn"
    x = json.loads((root / "dist/queues/x.json").read_text())
    assert x["items"][0]["at"] == "2026-10-29T18:00:00+01:00"
    assert x["items"][0]["text"].startswith("On X: About three. https://example.org/posts/three/")


def test_ids_stay_and_revisions_change_when_an_item_is_edited(tmp_path):
    root, _ = build(tmp_path, hub_files())
    before = {i["id"]: i for i in json.loads((root / "dist/queues/mastodon.json").read_text())["items"]}
    path = root / "content/posts/two.md"
    path.write_text(path.read_text().replace("Second {title}", "Second, edited: {title}"))
    assert run(root, "build", "--now", NOW).exit_code == 0
    after = {i["id"]: i for i in json.loads((root / "dist/queues/mastodon.json").read_text())["items"]}
    assert before.keys() == after.keys()
    assert before["mastodon:two"]["revision"] != after["mastodon:two"]["revision"]
    assert before["mastodon:one"]["revision"] == after["mastodon:one"]["revision"]


def test_buffer_csv_has_the_bulk_upload_columns(tmp_path):
    root = make_hub(tmp_path / "hub", hub_files(), TOML)
    assert run(root, "build", "--now", "2026-10-20T00:00:00Z").exit_code == 0   # before every item
    rows = list(csv.reader(io.StringIO((root / "dist/queues/mastodon.csv").read_text())))
    assert rows[0] == ["Text", "Image URL", "Tags", "Posting Time"]
    assert rows[1][2] == "autumn" and rows[1][3] == "2026-10-24 10:00"


def test_newsletter_digest_per_period_html_and_text(tmp_path):
    root, _ = build(tmp_path, hub_files())
    html = (root / "dist/queues/newsletter/2026-10.html").read_text()
    text = (root / "dist/queues/newsletter/2026-10.txt").read_text()
    assert "Post one" in html and "https://example.org/posts/one/" in text
    assert "Post two" not in html, "only posts that opted in"
    queue = json.loads((root / "dist/queues/newsletter.json").read_text())
    jsonschema.validate(queue, SCHEMA)
    assert queue["items"][0]["id"] == "newsletter:2026-10"


def test_drafts_are_planned_but_never_queued(tmp_path):
    files = hub_files(**dict([post("four", "2026-10-24", '  mastodon: "Draft {url}"\n', "status: draft\n")]))
    root, result = build(tmp_path, files)
    assert result.exit_code == 0, result.output
    queue = (root / "dist/queues/mastodon.json").read_text()
    assert "Draft" not in queue and "posts/four" not in queue


@pytest.mark.parametrize("kind, text, message", [
    ("x", "x" * 281, "X: text is 281 weighted characters; the limit is 280"),
    ("mastodon", "m" * 501, "Mastodon: text is 501"),
])
def test_a_text_over_its_limit_fails_with_file_line_count_and_limit(tmp_path, kind, text, message):
    files = hub_files(**dict([post("long", "2026-10-24", f'  {kind}: "{text}"\n')]))
    root, result = build(tmp_path, files)
    assert result.exit_code == 1
    assert "content/posts/long.md:7:" in result.output and message in result.output
    assert "the limit is" in result.output


def test_at_the_limit_passes(tmp_path):
    files = hub_files(**dict([post("long", "2026-10-24", f'  x: "{"x" * 280}"\n')]))
    root, result = build(tmp_path, files)
    assert result.exit_code == 0, result.output


def test_instagram_needs_media_with_alt_text(tmp_path):
    files = hub_files(**dict([post("gram", "2026-10-24", '  instagram: "Look {tags}"\n')]))
    _, result = build(tmp_path, files)
    assert result.exit_code == 1 and "Instagram: post has 0 media items" in result.output
    files = hub_files(**dict([post("gram", "2026-10-24",
                                   '  instagram:\n    text: "Look {tags}"\n    media: [media/a.jpg]\n',
                                   "media_alt: Seeds on a table\n")]))
    _, result = build(tmp_path / "ok", files)
    assert result.exit_code == 0, result.output


def test_a_channel_post_before_its_page_is_public_is_an_error(tmp_path):
    files = hub_files(**dict([post("early", "2026-10-24 12:00",
                                   '  x:\n    text: "Early {url}"\n    at: 2026-10-24 09:00\n')]))
    _, result = build(tmp_path, files)
    assert result.exit_code == 1
    assert "content/posts/early.md:" in result.output and "before its hub page is public" in result.output


def test_a_channel_text_linking_to_a_draft_is_an_error(tmp_path):
    files = hub_files(**dict([
        post("secret", "2026-10-20", '  mastodon: "x {url}"\n', "status: draft\n"),
        post("teaser", "2026-10-24", '  mastodon: "See https://example.org/posts/secret/ {url}"\n'),
    ]))
    _, result = build(tmp_path, files)
    assert result.exit_code == 1
    assert "[schedule.dead-link] Mastodon text links to a draft (content/posts/secret.md)" in result.output


def test_explicit_time_in_a_blackout_warns_and_strict_fails(tmp_path):
    files = hub_files(**dict([post("boo", "2026-10-24", '  x:\n    text: "Boo {url}"\n    at: 2026-10-31 10:00\n')]))
    root, result = build(tmp_path, files)
    assert result.exit_code == 0
    # the channel as people write it, as the review pages show it
    assert "warning: [schedule.blackout] X post at 2026-10-31T10:00+01:00 falls in the blackout" in result.output
    assert run(root, "build", "--now", NOW, "--strict").exit_code == 1


EVENTS = {
    "calendar/events/call.md": ("---\ntitle: Community call\nstart: 2026-10-01 18:00\nduration: 1h\n"
                                "timezone: Europe/Rome\nonline: https://meet.example.org/call\n"
                                "rrule: FREQ=MONTHLY;BYDAY=1TH;COUNT=6\nexdate: [2026-12-03]\n---\nMonthly call.\n"),
    "calendar/events/swap.md": ("---\ntitle: Seed swap\nstart: 2026-11-28 10:00\nend: 2026-11-28 13:00\n"
                                "location: Turin\nrsvp: https://example.org/rsvp\n---\nBring seeds.\n"),
    "calendar/events/draft.md": "---\ntitle: Secret plan\nstart: 2026-12-01 10:00\nduration: 1h\nstatus: draft\n---\nx\n",
}


def test_events_pages_and_ics_files(tmp_path):
    root, result = build(tmp_path, hub_files(**EVENTS))
    assert result.exit_code == 0, result.output
    hub = root / "dist/hub"
    page = (hub / "events/index.html").read_text()
    assert "Seed swap" in page and "Community call" in page and "Secret plan" not in page
    assert (hub / "events/seed-swap/index.html").is_file() or (hub / "events/swap/index.html").is_file()
    cal = icalendar.Calendar.from_ical((hub / "events/events.ics").read_bytes())
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Community call", "Seed swap"}
    assert "RRULE" in events["Community call"] and "EXDATE" in events["Community call"]
    assert cal.walk("VTIMEZONE"), "time zones are included"
    assert "Seed swap" in (hub / "index.html").read_text(), "the next events show on the home page"
    first = (hub / "events/events.ics").read_bytes()
    assert run(root, "build", "--now", NOW, "--no-cache").exit_code == 0
    assert (hub / "events/events.ics").read_bytes() == first


def test_demo_queues_validate_against_the_schema(tmp_path):
    import shutil
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(REPO / "hearth.toml", root)
    for folder in ("content", "calendar", "guidelines"):
        shutil.copytree(REPO / folder, root / folder)
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    queues = sorted((root / "dist/queues").glob("*.json"))
    assert len(queues) >= 5
    for path in queues:
        document = json.loads(path.read_text())
        jsonschema.validate(document, SCHEMA)
        ats = [datetime.fromisoformat(i["at"]) for i in document["items"]]
        assert ats == sorted(ats), path.name


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(head=st.dictionaries(st.text(), JSON_VALUES, max_size=3),
       members=st.lists(JSON_VALUES, max_size=5))
def test_json_bytes_writes_what_json_dumps_writes_members_made_one_at_a_time(head, members):
    # queues/<channel>.json is written an item at a time (`Members`), never all held:
    # the bytes are json.dumps(indent=2, ensure_ascii=False)'s all the same
    document = {**head, "items": Members(lambda: iter(members))}
    expected = json.dumps({**head, "items": members}, ensure_ascii=False, indent=2) + "\n"
    assert json_bytes(document) == expected.encode()
