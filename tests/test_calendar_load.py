"""Loading calendar/: channels.yml, events and campaigns, every mistake at its line."""

from __future__ import annotations

import textwrap
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hearth.calendar import Slot
from hearth.dates import parse_duration
from hearth.load.calendar import (load_campaigns, load_channels, load_events, palette_color,
                                  parse_slot)

ROME = ZoneInfo("Europe/Rome")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def calendar_hub(tmp_path):
    """A hub folder with the given files (path → dedented text)."""
    def write(files: dict[str, str]) -> Path:
        for relpath, text in files.items():
            path = tmp_path / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return tmp_path
    return write


def found(diagnostics) -> list[tuple]:
    return sorted((d.path, d.line, d.column, d.level) for d in diagnostics)


def only(diagnostics):
    assert len(diagnostics) == 1, [d.as_text() for d in diagnostics]
    return diagnostics[0]


# --------------------------------------------------------------------------- small parsers


@pytest.mark.parametrize("text, expected", [
    ("Mon 09:30", [Slot(0, time(9, 30))]),
    ("monday 9:30", [Slot(0, time(9, 30))]),
    ("SUN 23:59", [Slot(6, time(23, 59))]),
    ("Thurs 8:00", [Slot(3, time(8, 0))]),
    ("weekdays 10:00", [Slot(d, time(10)) for d in range(5)]),
    ("daily 07:15", [Slot(d, time(7, 15)) for d in range(7)]),
])
def test_slots(text, expected):
    assert parse_slot(text) == (expected, None)


@pytest.mark.parametrize("text", ["Mon 9", "Mon 24:00", "Funday 09:00", "T 09:00", 570, None])
def test_bad_slots(text):
    slots, problem = parse_slot(text)
    assert slots == [] and problem


@pytest.mark.parametrize("text, expected", [
    ("3h", timedelta(hours=3)), ("90m", timedelta(minutes=90)),
    ("1h30m", timedelta(minutes=90)), ("2d", timedelta(days=2)), ("PT1H30M", timedelta(minutes=90)),
])
def test_durations(text, expected):
    assert parse_duration(text) == (expected, None)


@pytest.mark.parametrize("text", ["3 hours", "", "h", 90, "1:30"])
def test_bad_durations(text):
    assert parse_duration(text)[0] is None


# --------------------------------------------------------------------------- channels.yml


CHANNELS = """
channels:
  mastodon:
    kind: mastodon
    slots: ["Mon 09:30", "Wed 09:30", "Fri 16:00"]
    max_per_day: 2
    min_gap: 3h
    utm: {source: mastodon, utm_medium: social}
  bluesky:
    slots: ["weekdays 12:00"]
    limit: 280
  newsletter:
    kind: newsletter
    every: week
blackouts:
  - {start: 2026-12-24, end: 2026-12-26, reason: Holidays, channels: all}
  - {start: 2026-08-10, channels: [bluesky]}
"""


def test_channels_file_as_the_contract_shows_it(calendar_hub):
    root = calendar_hub({"calendar/channels.yml": CHANNELS})
    chans, problems = load_channels(root, ROME)
    assert problems == []
    assert chans.names == ("mastodon", "bluesky", "newsletter")
    mastodon = chans["mastodon"]
    assert [str(s) for s in mastodon.slots] == ["Mon 09:30", "Wed 09:30", "Fri 16:00"]
    assert (mastodon.max_per_day, mastodon.min_gap) == (2, timedelta(hours=3))
    assert mastodon.utm == {"source": "mastodon", "medium": "social"}
    assert (mastodon.max_silence_days, mastodon.line) == (14, 2)
    bluesky = chans["bluesky"]
    assert bluesky.kind == "bluesky" and bluesky.limit == 280 and len(bluesky.slots) == 5
    newsletter = chans["newsletter"]
    assert (newsletter.every, newsletter.max_silence_days, newsletter.slots) == ("week", None, ())
    holidays, august = sorted(chans.blackouts, key=lambda b: b.line)
    assert (holidays.start, holidays.end, holidays.reason, holidays.channels) == (
        date(2026, 12, 24), date(2026, 12, 26), "Holidays", None)
    assert (august.start, august.end, august.channels) == (
        date(2026, 8, 10), date(2026, 8, 10), frozenset({"bluesky"}))
    assert chans.blackout_on(date(2026, 8, 10), "bluesky") is august
    assert chans.blackout_on(date(2026, 8, 10), "mastodon") is None


def test_a_yaml_document_marker_and_a_bom_are_fine(calendar_hub):
    root = calendar_hub({})
    (root / "calendar").mkdir()
    (root / "calendar/channels.yml").write_bytes(
        b"\xef\xbb\xbf---\r\nchannels:\r\n  x:\r\n    slots: [Mon 09:00]\r\n")
    chans, problems = load_channels(root, ROME)
    assert problems == [] and [str(s) for s in chans["x"].slots] == ["Mon 09:00"]
    assert chans["x"].line == 3


def test_no_channels_file_means_no_channels(calendar_hub):
    chans, problems = load_channels(calendar_hub({}), ROME)
    assert (len(chans), chans.blackouts, problems) == (0, (), [])


@pytest.mark.parametrize("body, line, column, level, words", [
    ("channels:\n  m:\n    kind: mastodn\n", 3, 11, "error",
     ["unknown kind 'mastodn'", "did you mean 'mastodon'", "bluesky, x, threads"]),
    ("channels:\n  m:\n    kind: mastodon\n    slots: [\"Mon 09:30\", \"Mun 10:00\"]\n", 4, 26,
     "error", ["'Mun'"]),
    ("channels:\n  m:\n    kind: mastodon\n    slots:\n      - 9:30\n", 5, 9, "error",
     ["quote"]),
    ("channels:\n  m:\n    kind: mastodon\n    max_per_dya: 2\n", 4, 5, "warning",
     ["unknown channel setting 'max_per_dya'", "did you mean 'max_per_day'"]),
    ("channels:\n  m:\n    kind: mastodon\n    min_gap: 3 hours\n", 4, 14, "error",
     ["90m, 3h"]),
    ("channels:\n  m:\n    kind: mastodon\n    max_per_day: 0\n", 4, 18, "error", ["max_per_day"]),
    ("channels:\n  m:\n    kind: newsletter\n    every: year\n", 4, 12, "error", ["week, month"]),
    ("channels:\n  blog: {}\n", 2, 9, "error", ["needs a kind"]),
    ("channels:\n  ../x:\n    kind: x\n", 3, 5, "error", ["lower-case"]),
    ("channels:\n  x:\n    utm: {sorce: x}\n", 3, 11, "warning", ["did you mean 'source'"]),
    ("chanels:\n  x: {}\n", 1, 1, "warning", ["did you mean 'channels'"]),
    ("channels:\n  x: {}\nblackouts:\n  - {start: 2026-12-24, end: 2026-12-20}\n", 4, 30,
     "error", ["ends (2026-12-20) before it starts"]),
    ("channels:\n  x: {}\nblackouts:\n  - {start: 2026-12-24, channels: [x, mastodon]}\n", 4,
     39, "error", ["unknown channel 'mastodon'"]),
    ("channels:\n  x: {}\nblackouts:\n  - {start: Christmas}\n", 4, 13, "error",
     ["must be a date"]),
    ("channels:\n  x: [unclosed\n", 2, 6, "error", ["invalid YAML"]),
])
def test_each_mistake_in_channels_yml_is_reported_at_its_line(calendar_hub, body, line, column,
                                                              level, words):
    root = calendar_hub({"calendar/channels.yml": body})
    _, problems = load_channels(root, ROME)
    problem = only(problems)
    assert (problem.path, problem.line, problem.column, problem.level) == (
        "calendar/channels.yml", line, column, level), problem.as_text()
    for word in words:
        assert word in problem.message, problem.message


def test_a_bad_channel_does_not_hide_the_good_ones(calendar_hub):
    root = calendar_hub({"calendar/channels.yml": """
        channels:
          x: {slots: ["Mon 10:00"], max_silence_days: null}
          broken: {kind: myspace}
        """})
    chans, problems = load_channels(root, ROME)
    assert chans.names == ("x",) and chans["x"].max_silence_days is None
    assert found(problems) == [("calendar/channels.yml", 3, 18, "error")]


# --------------------------------------------------------------------------- events


def test_an_event_with_recurrence_exceptions_and_its_own_zone(calendar_hub):
    root = calendar_hub({"calendar/events/Weekly Meetup.md": """
        ---
        title: Weekly meetup
        start: 2026-03-03 18:00
        duration: 2h
        timezone: Europe/Berlin
        rrule: RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260428
        exdate: [2026-04-07]
        online: https://meet.example.org/garden
        rsvp: https://example.org/rsvp
        tags: [meetup, garden]
        status: review
        ---
        Bring seeds.
        """})
    [event], problems = load_events(root, ROME)
    assert problems == []
    assert (event.slug, event.title, event.status, event.tags) == (
        "weekly-meetup", "Weekly meetup", "review", ("meetup", "garden"))
    assert event.start == datetime(2026, 3, 3, 18, 0, tzinfo=BERLIN)
    assert event.end - event.start == timedelta(hours=2)
    assert event.timezone == BERLIN
    assert event.rrule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260428T215959Z"
    assert event.body == "Bring seeds.\n"
    assert event.online == "https://meet.example.org/garden" and event.location is None
    starts = [s.isoformat() for s, _ in event.occurrences(
        datetime(2026, 3, 20, tzinfo=BERLIN), datetime(2026, 12, 31, tzinfo=BERLIN))]
    assert starts == ["2026-03-24T18:00:00+01:00", "2026-03-31T18:00:00+02:00",   # DST: still 18:00
                      "2026-04-14T18:00:00+02:00",                                  # 04-07 excluded
                      "2026-04-21T18:00:00+02:00", "2026-04-28T18:00:00+02:00"]    # UNTIL inclusive


def test_an_event_occurrence_overlapping_the_window_counts(calendar_hub):
    root = calendar_hub({"calendar/events/party.md": """
        ---
        title: Party
        start: 2026-11-14 20:00
        end: 2026-11-15 02:00
        location: Community garden, Via Roma 1
        ---
        """})
    [event], problems = load_events(root, ROME)
    assert problems == [] and event.location == "Community garden, Via Roma 1"
    assert event.occurrences(datetime(2026, 11, 15, 1, tzinfo=ROME),
                             datetime(2026, 11, 16, tzinfo=ROME)) == [(event.start, event.end)]
    assert event.occurrences(datetime(2026, 11, 15, 2, tzinfo=ROME),
                             datetime(2026, 11, 16, tzinfo=ROME)) == []


def test_an_all_day_event_has_an_inclusive_end_date(calendar_hub):
    root = calendar_hub({"calendar/events/fair.md": """
        ---
        title: Seed fair
        start: 2026-10-24
        end: 2026-10-25
        ---
        """})
    [event], problems = load_events(root, ROME)
    assert problems == [] and event.all_day
    assert (event.start, event.end) == (datetime(2026, 10, 24, tzinfo=ROME),
                                        datetime(2026, 10, 26, tzinfo=ROME))


def test_unicode_file_names_become_transliterated_slugs(calendar_hub):
    text = "---\ntitle: T\nstart: 2026-05-01\n---\n"
    root = calendar_hub({"calendar/events/кто-такой.md": text})
    [event], _ = load_events(root, ROME)
    assert event.slug == "kto-takoi"


def test_two_events_with_one_slug_is_an_error(calendar_hub):
    text = "---\ntitle: T\nstart: 2026-05-01\n---\n"
    root = calendar_hub({"calendar/events/Meetup.md": text, "calendar/events/meetup.md": text})
    events, problems = load_events(root, ROME)
    assert len(events) == 1
    assert "also the slug of calendar/events/Meetup.md" in only(problems).message


def test_events_in_sub_folders_load_and_hidden_files_do_not(calendar_hub):
    text = "---\ntitle: T\nstart: 2026-05-01\n---\n"
    root = calendar_hub({"calendar/events/top.md": text,
                         "calendar/events/2026/spring/fair.md": text,
                         "calendar/events/.fair.md": text,            # an editor's or a tool's
                         "calendar/events/.drafts/secret.md": text})
    events, problems = load_events(root, ROME)
    assert problems == []
    assert sorted(e.path for e in events) == ["calendar/events/2026/spring/fair.md",
                                              "calendar/events/top.md"]
    assert sorted(e.slug for e in events) == ["fair", "top"]


def test_two_events_with_one_slug_in_two_folders_is_an_error(calendar_hub):
    text = "---\ntitle: T\nstart: 2026-05-01\n---\n"
    root = calendar_hub({"calendar/events/2025/meetup.md": text,
                         "calendar/events/2026/meetup.md": text})
    events, problems = load_events(root, ROME)
    assert [e.path for e in events] == ["calendar/events/2025/meetup.md"]
    assert "also the slug of calendar/events/2025/meetup.md" in only(problems).message


EVENT_HEAD = "---\ntitle: Meetup\n"


@pytest.mark.parametrize("front, line, column, level, words", [
    ("start: next tuesday\nduration: 2h\n", 3, 8, "error", ["bad start", "ISO 8601"]),
    ("start: 2026-03-03 18:00\n", 3, 8, "error", ["end or a duration"]),
    ("start: 2026-03-03 18:00\nend: 2026-03-03 17:00\n", 4, 6, "error", ["must be after start"]),
    ("start: 2026-03-03 18:00\nend: 2026-03-03 20:00\nduration: 2h\n", 5, 11, "error",
     ["either end or duration"]),
    ("start: 2026-03-03 18:00\nduration: two hours\n", 4, 11, "error", ["duration"]),
    ("start: 2026-03-03 18:00\nduration: 2h\ntimezone: Europe/Berln\n", 5, 11, "error",
     ["unknown time zone", "Europe/Berlin"]),
    ("start: 2026-03-03 18:00\nduration: 2h\nrrule: FREQ=WEEKLY;BYDAY=XX\n", 5, 8, "error",
     ["bad rrule"]),
    ("start: 2026-03-03 18:00\nduration: 2h\nrrule: BYDAY=TU\n", 5, 8, "error",
     ["FREQ is missing"]),
    ("start: 2026-03-03 18:00\nduration: 2h\nrrule: FREQ=WEEKLY;BYDAY=MO\n", 5, 8, "warning",
     ["not one of the rrule's dates"]),
    ("start: 2026-03-03 18:00\nduration: 2h\nrrule: FREQ=WEEKLY\nexdate: [2026-03-05]\n", 6, 10,
     "warning", ["not an occurrence"]),
    ("start: 2026-03-03 18:00\nduration: 2h\nexdate: 2026-03-10\n", 5, 9, "warning",
     ["without an rrule"]),
    ("start: 2026-03-03 18:00\nduration: 2h\nonline: zoom\n", 5, 9, "error", ["web address"]),
    ("start: 2026-03-03 18:00\nduration: 2h\nstatus: published\n", 5, 9, "error",
     ["draft, review, ready"]),
    ("start: 2026-03-03 18:00\nduration: 2h\nlocaton: Rome\n", 5, 1, "warning",
     ["did you mean 'location'"]),
    ("start: 2026-03-03\nend: 2026-03-04 10:00\n", 4, 6, "error", ["end date without a time"]),
])
def test_each_mistake_in_an_event_is_reported_at_its_line(calendar_hub, front, line, column,
                                                          level, words):
    root = calendar_hub({"calendar/events/meetup.md": EVENT_HEAD + front + "---\nBody\n"})
    events, problems = load_events(root, ROME)
    problem = only(problems)
    assert (problem.path, problem.line, problem.column, problem.level) == (
        "calendar/events/meetup.md", line, column, level), problem.as_text()
    for word in words:
        assert word in problem.message, problem.message
    unusable = ("bad start", "end or a duration", "must be after start", "either end or duration",
                "duration", "unknown time zone", "end date without a time")
    assert len(events) == (0 if words[0] in unusable else 1)   # the others still load


@pytest.mark.parametrize("front", ["start: 2026-03-03 18:00\nduration: 2h\n",
                                   "title: ' '\nstart: 2026-03-03 18:00\nduration: 2h\n"])
def test_an_event_without_a_title_is_an_error(calendar_hub, front):
    root = calendar_hub({"calendar/events/meetup.md": "---\n" + front + "---\n"})
    events, problems = load_events(root, ROME)
    problem = only(problems)
    assert events == [] and "needs a title" in problem.message
    assert problem.line == (1 if front.startswith("start") else 2)


def test_a_draft_status_is_kept_and_other_keys_reach_the_templates(calendar_hub):
    root = calendar_hub({"calendar/events/meetup.md": EVENT_HEAD + (
        "start: 2026-03-03T18:00:00+01:00\nduration: 90m\nstatus: draft\nspeaker: Ada\n---\n")})
    [event], problems = load_events(root, ROME)
    assert problems == []
    assert event.status == "draft" and event.meta["speaker"] == "Ada"
    assert event.start == datetime(2026, 3, 3, 18, 0, tzinfo=ROME) and event.start.tzinfo == ROME


def test_broken_front_matter_yaml_is_reported_with_its_line(calendar_hub):
    root = calendar_hub({"calendar/events/meetup.md": "---\ntitle: [oops\nstart: x\n---\n"})
    events, problems = load_events(root, ROME)
    assert events == [] and only(problems).rule == "yaml" and only(problems).line >= 2


# --------------------------------------------------------------------------- campaigns


def test_campaigns(calendar_hub):
    root = calendar_hub({
        "calendar/campaigns/spring.md": """
            ---
            title: Spring planting
            start: 2026-03-01
            end: 2026-04-30
            goal: 200
            color: "#ABC"
            ---
            Get 200 gardens to sign up.
            """,
        "calendar/campaigns/autumn.md": "---\ntitle: Autumn\nstart: 2026-09-01\nend: 2026-09-30\n"
                                        "goal: more volunteers\n---\n",
    })
    campaigns, problems = load_campaigns(root, ROME)
    assert problems == []
    assert list(campaigns) == ["autumn", "spring"]
    spring = campaigns["spring"]
    assert (spring.title, spring.start, spring.end, spring.goal, spring.color) == (
        "Spring planting", date(2026, 3, 1), date(2026, 4, 30), 200, "#aabbcc")
    assert spring.body == "Get 200 gardens to sign up.\n"
    assert spring.path == "calendar/campaigns/spring.md" and spring.covers(date(2026, 4, 30))
    assert campaigns["autumn"].goal == "more volunteers"
    assert campaigns["autumn"].color == palette_color("autumn")   # stable default


@pytest.mark.parametrize("front, line, column, words", [
    ("title: S\nstart: 2026-03-01\nend: 2026-02-01\n", 4, 6, ["before start"]),
    ("title: S\nstart: spring\nend: 2026-04-01\n", 3, 8, ["bad start"]),
    ("title: S\nstart: 2026-03-01\nend: 2026-04-01\ncolor: blue\n", 5, 8, ["hex colour"]),
    ("start: 2026-03-01\nend: 2026-04-01\n", 1, 1, ["needs a title"]),
    ("title: S\nstart: 2026-03-01\n", 1, 1, ["needs an end"]),
])
def test_each_mistake_in_a_campaign_is_reported_at_its_line(calendar_hub, front, line, column,
                                                            words):
    root = calendar_hub({"calendar/campaigns/spring.md": "---\n" + front + "---\n"})
    _, problems = load_campaigns(root, ROME)
    problem = only(problems)
    assert (problem.path, problem.line, problem.column, problem.level) == (
        "calendar/campaigns/spring.md", line, column, "error"), problem.as_text()
    for word in words:
        assert word in problem.message, problem.message


def test_campaigns_in_sub_folders_load_and_one_name_is_one_file(calendar_hub):
    text = "---\ntitle: C\nstart: 2026-03-01\nend: 2026-03-31\n---\n"
    root = calendar_hub({"calendar/campaigns/2026/spring.md": text,
                         "calendar/campaigns/autumn.md": text,
                         "calendar/campaigns/old/autumn.md": text})
    campaigns, problems = load_campaigns(root, ROME)
    assert list(campaigns) == ["autumn", "spring"]
    assert campaigns["spring"].path == "calendar/campaigns/2026/spring.md"
    assert campaigns["autumn"].path == "calendar/campaigns/autumn.md"
    problem = only(problems)
    assert (problem.path, problem.level, problem.message) == (
        "calendar/campaigns/old/autumn.md", "error",
        "campaign name 'autumn' is also the name of calendar/campaigns/autumn.md; rename one file")
