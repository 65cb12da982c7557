"""Scheduling channel posts, as the contract's "Items without `at`…" paragraph says."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.calendar import Blackout, Channel, Channels, Slot
from hearth.load.calendar import parse_slot
from hearth.assemble.schedule import (Request, duplicate_text_warnings, gap_warnings, make_schedule,
                             schedule_with_warnings)

BERLIN = ZoneInfo("Europe/Berlin")
ROME = ZoneInfo("Europe/Rome")


def channel(name: str = "mastodon", slots: tuple[str, ...] = (), max_per_day: int | None = None,
            min_gap: timedelta | None = None, silence: int | None = 14,
            kind: str = "mastodon") -> Channel:
    parsed = sorted({s for text in slots for s in parse_slot(text)[0]})
    return Channel(name, kind, tuple(parsed), max_per_day, min_gap, {}, None, None, silence, 1)


def channels(*chans: Channel, blackouts: tuple[Blackout, ...] = ()) -> Channels:
    return Channels({c.name: c for c in chans}, blackouts)


def blackout(start: date, end: date | None = None, only: set[str] | None = None) -> Blackout:
    return Blackout(start, end or start, "closed", frozenset(only) if only else None, 3)


def request(key: str, when: datetime, chan: str = "mastodon", at: datetime | None = None,
            text: str = "", line: int = 5) -> Request:
    return Request(key, chan, when, at, (when, key), text, line)


def placed(result, key: str, chan: str = "mastodon") -> str:
    return result.placements[(key, chan)].isoformat()


def rules(result) -> list[tuple[str, str, str]]:
    return sorted((d.path, d.level, d.rule) for d in result.diagnostics)


# --------------------------------------------------------------------------- the contract


def test_the_contracts_worked_example_across_the_end_of_summer_time():
    cal = channels(channel(slots=("Tue 11:00", "Sat 10:00")),
                   blackouts=(blackout(date(2026, 10, 31)),))
    result = make_schedule(cal, [
        request("content/posts/a.md", datetime(2026, 10, 22, 15, 0, tzinfo=BERLIN)),
        request("content/posts/b.md", datetime(2026, 10, 23, 0, 0, tzinfo=BERLIN)),
        request("content/posts/c.md", datetime(2026, 10, 28, 0, 0, tzinfo=BERLIN)),
    ], BERLIN)
    assert placed(result, "content/posts/a.md") == "2026-10-24T10:00:00+02:00"
    assert placed(result, "content/posts/b.md") == "2026-10-27T11:00:00+01:00"
    assert placed(result, "content/posts/c.md") == "2026-11-03T11:00:00+01:00"
    assert result.diagnostics == []


def test_start_of_summer_time_keeps_the_wall_clock_slot():
    cal = channels(channel(slots=("Sat 10:00", "Mon 10:00")))
    result = make_schedule(cal, [
        request("a.md", datetime(2026, 3, 27, 12, 0, tzinfo=BERLIN)),
        request("b.md", datetime(2026, 3, 28, 9, 0, tzinfo=BERLIN)),
    ], BERLIN)
    assert placed(result, "a.md") == "2026-03-28T10:00:00+01:00"
    assert placed(result, "b.md") == "2026-03-30T10:00:00+02:00"


def test_a_slot_skipped_by_the_clock_change_moves_to_the_real_wall_time():
    cal = channels(channel(slots=("Sun 02:30",)))
    result = make_schedule(cal, [request("a.md", datetime(2026, 3, 28, tzinfo=BERLIN))], BERLIN)
    assert placed(result, "a.md") == "2026-03-29T03:30:00+02:00"


def test_not_before_in_another_zone_is_compared_as_an_instant_and_written_in_the_site_zone():
    cal = channels(channel(slots=("daily 09:00",)))
    tokyo = datetime(2026, 5, 4, 16, 30, tzinfo=ZoneInfo("Asia/Tokyo"))   # 09:30 in Rome
    result = make_schedule(cal, [request("a.md", tokyo)], ROME)
    assert placed(result, "a.md") == "2026-05-05T09:00:00+02:00"


def test_order_is_date_then_path_not_input_order():
    cal = channels(channel(slots=("Mon 09:00", "Tue 09:00")))
    when = datetime(2026, 6, 1, 8, 0, tzinfo=ROME)   # a Monday
    result = make_schedule(cal, [request("z.md", when), request("a.md", when)], ROME)
    assert placed(result, "a.md") == "2026-06-01T09:00:00+02:00"
    assert placed(result, "z.md") == "2026-06-02T09:00:00+02:00"


def test_blackout_for_some_channels_only():
    cal = channels(channel("mastodon", ("daily 09:00",)), channel("bluesky", ("daily 09:00",)),
                   blackouts=(blackout(date(2026, 6, 1), date(2026, 6, 3), {"mastodon"}),))
    when = datetime(2026, 6, 1, 8, 0, tzinfo=ROME)
    result = make_schedule(cal, [request("a.md", when, "mastodon"),
                                 request("a.md", when, "bluesky")], ROME)
    assert placed(result, "a.md", "mastodon") == "2026-06-04T09:00:00+02:00"
    assert placed(result, "a.md", "bluesky") == "2026-06-01T09:00:00+02:00"


def test_max_per_day_pushes_to_the_next_day():
    cal = channels(channel(slots=("daily 09:00", "daily 12:00", "daily 15:00"), max_per_day=2))
    when = datetime(2026, 6, 1, 8, 0, tzinfo=ROME)
    result = make_schedule(cal, [request(f"{n}.md", when) for n in "abc"], ROME)
    assert [placed(result, f"{n}.md")[:16] for n in "abc"] == [
        "2026-06-01T09:00", "2026-06-01T12:00", "2026-06-02T09:00"]


def test_min_gap_skips_slots_too_close_and_counts_explicit_items():
    cal = channels(channel(slots=("daily 09:00", "daily 10:00", "daily 15:00"),
                           min_gap=timedelta(hours=3)))
    when = datetime(2026, 6, 1, 8, 0, tzinfo=ROME)
    pinned = datetime(2026, 6, 1, 11, 0, tzinfo=ROME)
    result = make_schedule(cal, [request("a.md", when), request("b.md", when, at=pinned),
                                 request("c.md", when)], ROME)
    assert placed(result, "b.md")[:16] == "2026-06-01T11:00"
    assert placed(result, "a.md")[:16] == "2026-06-01T15:00"   # 09:00 and 10:00 are < 3h from 11:00
    assert placed(result, "c.md")[:16] == "2026-06-02T09:00"
    assert result.diagnostics == []


def test_an_explicit_time_is_never_taken_by_an_automatic_item():
    cal = channels(channel(slots=("daily 09:00",)))
    when = datetime(2026, 6, 1, 8, 0, tzinfo=ROME)
    result = make_schedule(cal, [request("a.md", when),
                                 request("b.md", when + timedelta(days=5),
                                         at=datetime(2026, 6, 1, 9, 0, tzinfo=ROME))], ROME)
    assert placed(result, "b.md")[:16] == "2026-06-01T09:00"
    assert placed(result, "a.md")[:16] == "2026-06-02T09:00"


def test_explicit_times_are_kept_but_warned_about():
    cal = channels(channel(slots=("daily 09:00",), max_per_day=2, min_gap=timedelta(hours=2)),
                   blackouts=(blackout(date(2026, 12, 25)),))
    public = datetime(2026, 12, 1, tzinfo=ROME)
    result = make_schedule(cal, [
        request("xmas.md", public, at=datetime(2026, 12, 25, 10, 0, tzinfo=ROME)),
        request("one.md", public, at=datetime(2026, 12, 2, 9, 0, tzinfo=ROME)),
        request("two.md", public, at=datetime(2026, 12, 2, 9, 0, tzinfo=ROME)),
        request("three.md", public, at=datetime(2026, 12, 2, 10, 0, tzinfo=ROME)),
    ], ROME)
    assert placed(result, "xmas.md") == "2026-12-25T10:00:00+01:00"
    assert placed(result, "three.md") == "2026-12-02T10:00:00+01:00"
    assert rules(result) == [
        ("three.md", "warning", "schedule.cadence"),
        ("three.md", "warning", "schedule.min-gap"),
        ("two.md", "warning", "schedule.clash"),
        ("xmas.md", "warning", "schedule.blackout"),
    ]
    clash = next(d for d in result.diagnostics if d.rule == "schedule.clash")
    assert clash.line == 5 and "one.md" in clash.message


def test_an_explicit_time_before_the_hub_page_is_public_is_an_error():
    cal = channels(channel(slots=("daily 09:00",)))
    result = make_schedule(cal, [request("a.md", datetime(2026, 6, 5, 12, 0, tzinfo=ROME),
                                         at=datetime(2026, 6, 5, 11, 0, tzinfo=ROME))], ROME)
    assert rules(result) == [("a.md", "error", "schedule.early")]


def test_a_channel_without_slots_sends_at_the_public_time():
    cal = channels(channel("newsletter", kind="newsletter", silence=None),
                   blackouts=(blackout(date(2026, 6, 2)),))
    result = make_schedule(cal, [
        request("a.md", datetime(2026, 6, 1, 17, 45, tzinfo=ROME), "newsletter"),
        request("b.md", datetime(2026, 6, 1, 17, 45, tzinfo=ROME), "newsletter"),
        request("c.md", datetime(2026, 6, 2, 10, 0, tzinfo=ROME), "newsletter"),
    ], ROME)
    assert placed(result, "a.md", "newsletter") == "2026-06-01T17:45:00+02:00"
    assert placed(result, "b.md", "newsletter") == "2026-06-01T17:45:00+02:00"
    assert placed(result, "c.md", "newsletter") == "2026-06-03T00:00:00+02:00"


def test_no_free_slot_within_400_days_is_an_error():
    cal = channels(channel(slots=("Mon 09:00",)),
                   blackouts=(blackout(date(2026, 1, 1), date(2027, 12, 31)),))
    result = make_schedule(cal, [request("a.md", datetime(2026, 6, 1, tzinfo=ROME), line=7)], ROME)
    assert result.placements == {}
    [problem] = result.diagnostics
    assert (problem.path, problem.line, problem.level, problem.rule) == (
        "a.md", 7, "error", "schedule.full")


def test_an_unknown_channel_is_an_error_naming_the_valid_ones():
    cal = channels(channel(slots=("Mon 09:00",)))
    result = make_schedule(cal, [request("a.md", datetime(2026, 6, 1, tzinfo=ROME), "mastodn")],
                           ROME)
    [problem] = result.diagnostics
    assert problem.rule == "schedule.channel" and "mastodon" in problem.message


def test_a_long_backlog_stays_fast_and_in_order():
    cal = channels(channel(slots=("daily 09:00", "daily 17:00")))
    start = datetime(2026, 1, 1, tzinfo=ROME)
    reqs = [request(f"p{n:04}.md", start) for n in range(700)]
    result = make_schedule(cal, reqs, ROME)
    times = [result.placements[(f"p{n:04}.md", "mastodon")] for n in range(700)]
    assert times == sorted(times) and len(set(times)) == 700
    assert times[-1].date() == date(2026, 1, 1) + timedelta(days=349)


# --------------------------------------------------------------------------- warnings


def test_gap_warning_when_a_channel_is_silent_too_long():
    cal = channels(channel(slots=("daily 09:00",), silence=14))
    reqs = [request("a.md", datetime(2026, 6, 1, tzinfo=ROME)),
            request("b.md", datetime(2026, 6, 15, tzinfo=ROME)),     # 14 days: fine
            request("c.md", datetime(2026, 7, 1, tzinfo=ROME), line=9)]  # 16 days: warn
    result = make_schedule(cal, reqs, ROME)
    [problem] = gap_warnings(cal, reqs, result, ROME)
    assert (problem.path, problem.line, problem.rule) == ("c.md", 9, "schedule.gap")
    assert "16 days" in problem.message
    assert gap_warnings(cal, reqs, result, ROME, after=datetime(2026, 7, 2, tzinfo=ROME)) == []


def test_duplicate_text_within_a_week_on_one_channel():
    cal = channels(channel("mastodon", ("daily 09:00",)), channel("bluesky", ("daily 09:00",)))
    text = "Spring meetup is on — https://example.org/p #community"
    reqs = [request("a.md", datetime(2026, 6, 1, tzinfo=ROME), text=text),
            request("b.md", datetime(2026, 6, 4, tzinfo=ROME), text=text.upper() + "  "),
            request("c.md", datetime(2026, 6, 20, tzinfo=ROME), text=text),
            request("d.md", datetime(2026, 6, 2, tzinfo=ROME), "bluesky", text=text)]
    result = make_schedule(cal, reqs, ROME)
    [problem] = duplicate_text_warnings(reqs, result)
    assert (problem.path, problem.rule) == ("b.md", "schedule.duplicate")
    assert "a.md" in problem.message
    combined = schedule_with_warnings(cal, reqs, ROME)
    assert {d.rule for d in combined.diagnostics} == {"schedule.duplicate", "schedule.gap"}


# --------------------------------------------------------------------------- properties

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
EPOCH = datetime(2026, 3, 1)   # two DST changes (north and south) fall in the window


@st.composite
def scenarios(draw):
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    chans = []
    for name in ("mastodon", "bluesky"):
        slot_list = draw(st.lists(
            st.tuples(st.integers(0, 6), st.integers(0, 23), st.sampled_from([0, 30])),
            min_size=1, max_size=5))
        slots = tuple(sorted({Slot(d, time(h, m)) for d, h, m in slot_list}))
        max_per_day = draw(st.none() | st.integers(1, 3))
        gap = draw(st.none() | st.integers(1, 8).map(lambda h: timedelta(hours=h)))
        chans.append(Channel(name, name, slots, max_per_day, gap, {}, None, None, 14, 1))
    blackouts = []
    for _ in range(draw(st.integers(0, 3))):
        first = (EPOCH + timedelta(days=draw(st.integers(0, 70)))).date()
        only = draw(st.sampled_from([None, frozenset({"mastodon"}), frozenset({"bluesky"})]))
        blackouts.append(Blackout(first, first + timedelta(days=draw(st.integers(0, 6))), "",
                                  only, 1))
    requests = []
    for n in range(draw(st.integers(1, 20))):
        when = (EPOCH + timedelta(minutes=draw(st.integers(0, 60 * 24 * 60)))).replace(
            tzinfo=zone)
        at = None
        if draw(st.integers(0, 4)) == 0:
            at = when + timedelta(minutes=draw(st.integers(-600, 600)))
        chan = draw(st.sampled_from(["mastodon", "bluesky"]))
        path = f"content/posts/p{n}.md"
        requests.append(Request(path, chan, when, at, (when, path), "", n + 1))
    return Channels({c.name: c for c in chans}, tuple(blackouts)), requests, zone


@settings(max_examples=120, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_scheduling_invariants(scenario, rnd):
    cal, requests, zone = scenario
    result = make_schedule(cal, requests, zone)

    for request in requests:
        at = result.placements.get(request.id)
        chan = cal[request.channel]
        if request.at is not None:
            assert at == request.at                          # explicit times are kept
            continue
        if at is None:                                       # only when nothing was free
            assert any(d.rule == "schedule.full" for d in result.diagnostics)
            continue
        others = [t for (key, name), t in result.placements.items()
                  if name == request.channel and key != request.key]
        assert at.tzinfo is zone and at.utcoffset() == at.astimezone(zone).utcoffset()
        assert at >= request.not_before                      # never before its hub page
        assert at not in others                              # one item per slot
        assert any(at == datetime.combine(at.date(), s.time, zone).astimezone(
            timezone.utc).astimezone(zone) for s in chan.slots if s.weekday == at.weekday())
        assert cal.blackout_on(at.date(), request.channel) is None
        if chan.max_per_day is not None:
            assert sum(t.date() == at.date() for t in others) < chan.max_per_day
        if chan.min_gap is not None:
            assert all(abs(t - at) >= chan.min_gap for t in others)

    shuffled = list(requests)
    rnd.shuffle(shuffled)
    again = make_schedule(cal, shuffled, zone)
    assert again.placements == result.placements
    assert sorted(again.diagnostics, key=lambda d: d.sort_key) == sorted(
        result.diagnostics, key=lambda d: d.sort_key)
