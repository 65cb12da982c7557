""".ics files: valid RFC 5545, time zones included, stable, read back by real parsers."""

from __future__ import annotations

import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from hearth.load.calendar import load_events
from hearth.ics import (PRODID, CalendarEntry, event_calendar, review_calendar, single_event,
                        vtimezone)

ROME = ZoneInfo("Europe/Rome")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
BASE = "https://community.example.org/sub/"

EVENTS = {
    "calendar/events/weekly-meetup.md": """
        ---
        title: Weekly meetup
        start: 2026-03-03 18:00
        duration: 2h
        timezone: Europe/Berlin
        rrule: FREQ=WEEKLY;BYDAY=TU;UNTIL=20260428
        exdate: [2026-04-07]
        online: https://meet.example.org/garden
        rsvp: https://example.org/rsvp
        tags: [meetup]
        updated: 2026-02-20 10:00
        ---
        Bring seeds, and a friend.
        """,
    "calendar/events/ny-talk.md": """
        ---
        title: Talk in New York
        start: 2026-11-01 10:00
        end: 2026-11-01 11:30
        timezone: America/New_York
        location: Brooklyn Grange
        ---
        """,
    "calendar/events/seed-fair.md": """
        ---
        title: Seed fair
        start: 2026-10-24
        end: 2026-10-25
        ---
        """,
}


@pytest.fixture
def events(tmp_path):
    for relpath, text in EVENTS.items():
        path = tmp_path / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    loaded, problems = load_events(Path(tmp_path), ROME)
    assert problems == []
    return {e.slug: e for e in loaded}


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def test_events_ics_has_zones_rules_and_stable_fields(events):
    data = event_calendar(events.values(), "Open Garden", BASE)
    assert data == event_calendar(reversed(list(events.values())), "Open Garden", BASE)
    assert b"\r\n" in data and data.endswith(b"END:VCALENDAR\r\n")
    cal = parse(data)
    assert str(cal["PRODID"]) == PRODID and str(cal["VERSION"]) == "2.0"
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == [
        "America/New_York", "Europe/Berlin"]
    vevents = {str(v["UID"]): v for v in cal.walk("VEVENT")}
    assert sorted(vevents) == ["ny-talk@community.example.org", "seed-fair@community.example.org",
                               "weekly-meetup@community.example.org"]
    meetup = vevents["weekly-meetup@community.example.org"]
    assert meetup.decoded("DTSTART") == datetime(2026, 3, 3, 18, 0, tzinfo=BERLIN)
    assert meetup["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert meetup.decoded("DTSTAMP") == datetime(2026, 2, 20, 9, 0, tzinfo=timezone.utc)
    assert meetup["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20260428T215959Z;BYDAY=TU"
    assert b"EXDATE;TZID=Europe/Berlin:20260407T180000" in data
    assert str(meetup["URL"]) == "https://community.example.org/sub/events/weekly-meetup/"
    assert "RSVP: https://example.org/rsvp" in str(meetup["DESCRIPTION"])
    talk = vevents["ny-talk@community.example.org"]
    assert talk.decoded("DTEND") == datetime(2026, 11, 1, 11, 30, tzinfo=NEW_YORK)
    assert str(talk["LOCATION"]) == "Brooklyn Grange"
    assert talk.decoded("DTSTAMP") == datetime(2026, 11, 1, 15, 0, tzinfo=timezone.utc)  # start
    fair = vevents["seed-fair@community.example.org"]
    assert (fair.decoded("DTSTART"), fair.decoded("DTEND")) == (date(2026, 10, 24),
                                                              date(2026, 10, 26))


def test_recurrence_read_back_by_recurring_ical_events_matches_our_occurrences(events):
    recurring_ical_events = pytest.importorskip("recurring_ical_events")
    meetup = events["weekly-meetup"]
    cal = parse(single_event(meetup, "Open Garden", BASE))
    window = (datetime(2026, 3, 1, tzinfo=BERLIN), datetime(2026, 6, 1, tzinfo=BERLIN))
    theirs = [(e.decoded("DTSTART"), e.decoded("DTEND"))
              for e in recurring_ical_events.of(cal).between(*window)]
    ours = meetup.occurrences(*window)
    assert sorted(theirs) == ours
    assert len(ours) == 8                                       # 9 Tuesdays, one exdate
    assert {s.astimezone(BERLIN).hour for s, _ in ours} == {18}  # wall clock across DST
    assert {s.utcoffset() for s, _ in ours} == {timedelta(hours=1), timedelta(hours=2)}


def test_single_event_file(events):
    data = single_event(events["ny-talk"], "Open Garden", BASE,
                        url_for=lambda e: f"https://x.org/e/{e.slug}.html")
    cal = parse(data)
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE", "VEVENT"]
    assert str(cal.walk("VEVENT")[0]["URL"]) == "https://x.org/e/ny-talk.html"
    assert data == single_event(events["ny-talk"], "Open Garden", BASE,
                                url_for=lambda e: f"https://x.org/e/{e.slug}.html")


@pytest.mark.parametrize("key", ["Europe/Berlin", "America/New_York", "Australia/Sydney",
                                 "Asia/Kolkata", "America/Sao_Paulo"])
def test_our_vtimezone_gives_the_same_offsets_as_the_tz_database(key):
    zone = ZoneInfo(key)
    component = vtimezone(key, date(2016, 1, 1), date(2028, 1, 1))
    # read the definition itself, not a lookup of its TZID
    theirs = parse(b"BEGIN:VCALENDAR\r\n" + component.to_ical() + b"END:VCALENDAR\r\n").walk(
        "VTIMEZONE")[0].to_tz(lookup_tzid=False)
    moment = datetime(2016, 1, 1, 12, tzinfo=timezone.utc)
    while moment < datetime(2027, 12, 1, tzinfo=timezone.utc):
        assert moment.astimezone(theirs).utcoffset() == moment.astimezone(zone).utcoffset(), moment
        moment += timedelta(hours=7)


def test_vtimezone_onsets_are_in_the_local_time_before_the_change():
    text = vtimezone("Europe/Berlin", date(2026, 1, 1), date(2027, 1, 1)).to_ical().decode()
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\n" in text     # 02:00 CET -> 03:00 CEST
    assert "BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\n" in text     # 03:00 CEST -> 02:00 CET


def test_review_calendar(events):
    entries = [
        CalendarEntry("mastodon.spring@example.org", "Mastodon: Spring meetup",
                      datetime(2026, 3, 30, 9, 30, tzinfo=ROME), description="Spring is here",
                      url="https://example.org/posts/spring/", categories=("mastodon", "spring"),
                      status="draft"),
        CalendarEntry("campaign.spring@example.org", "Campaign: Spring", date(2026, 3, 1),
                      date(2026, 4, 30), status="ready"),
        CalendarEntry("utc@example.org", "In UTC", datetime(2026, 3, 2, 8, tzinfo=timezone.utc),
                      datetime(2026, 3, 2, 9, tzinfo=timezone.utc),
                      stamp=datetime(2026, 1, 1, tzinfo=timezone.utc)),
    ]
    data = review_calendar(entries)
    assert data == review_calendar(list(reversed(entries)))
    cal = parse(data)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Rome"]
    vevents = {str(v["UID"]): v for v in cal.walk("VEVENT")}
    post = vevents["mastodon.spring@example.org"]
    assert post.decoded("DTSTART") == datetime(2026, 3, 30, 9, 30, tzinfo=ROME)
    assert post.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert str(post["STATUS"]) == "TENTATIVE"
    assert post["CATEGORIES"].cats == ["mastodon", "spring"]
    band = vevents["campaign.spring@example.org"]
    assert (band.decoded("DTSTART"), band.decoded("DTEND")) == (date(2026, 3, 1), date(2026, 5, 1))
    assert str(band["STATUS"]) == "CONFIRMED"
    utc = vevents["utc@example.org"]
    assert b"DTSTART:20260302T080000Z" in data
    assert utc.decoded("DTSTAMP") == datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_every_dtstamp_comes_from_the_input(events):
    data = event_calendar(events.values(), "Open Garden", BASE)
    stamps = sorted(line for line in data.decode().split("\r\n") if line.startswith("DTSTAMP"))
    assert stamps == ["DTSTAMP:20260220T090000Z",   # the meetup's `updated`
                      "DTSTAMP:20261023T220000Z",   # the all-day fair: its start, midnight in Rome
                      "DTSTAMP:20261101T150000Z"]   # the talk: its start
