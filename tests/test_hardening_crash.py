"""Hardening, crash: impossible and far-off dates, absurd durations and rrules,
YAML bombs, huge inputs and careless command lines give a located error (or a
usage error) and the right exit code, all in one run, quickly; never a traceback."""

from __future__ import annotations

import json
import os
import stat
import time

import pytest

from conftest import NOW, run

POST = "content/posts/2026-01-05-hello.md"
CHANNELS = "calendar/channels.yml"
RANGE = "outside the dates Hearth reads (1900-01-01 to 9000-12-31); leave the key out rather " \
        "than write a far-off date"


def check(root, *args):
    result = run(root, "check", "--now", NOW, *args)
    assert "Traceback" not in result.output
    return result


def errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if ": error: " in line]


# --------------------------------------------------------------------------- dates in posts


@pytest.mark.parametrize("line, expected", [
    ("date: 2026-02-30", "3:7: error: [front-matter] bad date '2026-02-30': February 2026 has no day 30"),
    ("date: 2026-13-01", "3:7: error: [front-matter] bad date '2026-13-01': there is no month 13"),
    ('date: "2026-01-01 25:00"',
     "3:7: error: [front-matter] bad date '2026-01-01 25:00': 25:00:00 is not a time of day"),
    ("date: 2026-01-01T10:00:00+25:00",
     "3:7: error: [front-matter] bad date '2026-01-01T10:00:00+25:00': +25:00 is not a UTC offset"),
    ("date: 0001-01-01", f"3:7: error: [front-matter] bad date 0001-01-01: year 1 is {RANGE}"),
    ("date: 9999-12-31 23:59", f"3:7: error: [front-matter] bad date '9999-12-31 23:59': year 9999 is {RANGE}"),
    ("expires: 9999-12-31", f"3:10: error: [front-matter] bad expires date 9999-12-31: year 9999 is {RANGE}"),
    ("updated: 2026-02-30", "3:10: error: [front-matter] bad updated '2026-02-30': February 2026 has no day 30"),
])
def test_an_impossible_or_far_off_post_date_is_an_error_at_its_line(hub, line, expected):
    root = hub({"content/posts/hello.md": f"---\ntitle: Hello\n{line}\n"
                + ("" if line.startswith("date") else "date: 2026-01-05\n") + "---\nBody.\n"})
    result = check(root)
    assert result.exit_code == 1
    assert any(e.startswith(f"content/posts/hello.md:{expected}") for e in errors(result)), result.output


def test_a_far_off_channel_time_is_an_error_at_its_line(hub):
    root = hub({CHANNELS: "channels:\n  mastodon: {}\n",
                POST: "---\ntitle: Hello\nchannels:\n  mastodon: {text: \"hi {url}\", "
                      "at: 9999-12-31 23:59}\n---\nx\n"})
    result = check(root)
    assert result.exit_code == 1
    assert errors(result) == [f"{POST}:4:36: error: [channels] bad time '9999-12-31 23:59' for "
                              f"channel 'mastodon': year 9999 is {RANGE}"]


def test_a_date_prefix_that_is_no_date_is_an_error(hub):
    root = hub({"content/posts/2026-02-30-hello.md": "---\ntitle: Hello\n---\nx\n"})
    result = check(root)
    assert result.exit_code == 1
    assert errors(result) == ["content/posts/2026-02-30-hello.md:1:1: error: [front-matter] bad date "
                              "prefix '2026-02-30' in the file name: February 2026 has no day 30"]


def test_every_bad_date_of_a_hub_is_reported_in_one_run(hub):
    root = hub({
        "content/posts/a.md": "---\ntitle: A\ndate: 2026-02-30\n---\nx\n",
        "content/posts/b.md": "---\ntitle: B\ndate: 0001-01-01\n---\nx\n",
        CHANNELS: "channels:\n  mastodon:\n    min_gap: 99999999w\n"
                  "blackouts:\n  - {start: 2026-02-30}\n  - {start: 0001-01-01, end: 9999-12-31}\n",
        "calendar/events/meetup.md": "---\ntitle: Meetup\nstart: 2026-13-01 18:00\nduration: 2h\n---\n",
        "calendar/campaigns/spring.md": "---\ntitle: Spring\nstart: 0001-01-01\nend: 9999-12-31\n---\n",
    })
    result = check(root)
    assert result.exit_code == 1
    assert [e.split(": error: ")[0] for e in errors(result)] == [
        "calendar/campaigns/spring.md:3:8", "calendar/campaigns/spring.md:4:6",
        f"{CHANNELS}:3:14", f"{CHANNELS}:5:13", f"{CHANNELS}:6:13", f"{CHANNELS}:6:30",
        "calendar/events/meetup.md:3:8", "content/posts/a.md:3:7", "content/posts/b.md:3:7"]


def test_an_event_with_a_bad_start_still_reports_its_other_bad_times(hub):
    root = hub({"calendar/events/meetup.md": "---\ntitle: Meetup\nstart: 2026-02-30 18:00\n"
                                             "end: 2026-13-01\nupdated: 0001-01-01\n---\n"})
    result = check(root)
    assert result.exit_code == 1
    assert [e.split(": error: ")[0] for e in errors(result)] == [
        "calendar/events/meetup.md:3:8", "calendar/events/meetup.md:4:6",
        "calendar/events/meetup.md:5:10"]


@pytest.mark.parametrize("fmt", ["sarif", "github", "json"])
def test_bad_dates_still_print_in_every_format(hub, fmt):
    root = hub({"content/posts/a.md": "---\ntitle: A\ndate: 2026-02-30\n---\nx\n"})
    result = check(root, "--format", fmt)
    assert result.exit_code == 1
    if fmt == "github":
        assert result.output.startswith("::error file=content/posts/a.md,line=3,col=7,")
    else:
        text = json.dumps(json.loads(result.output))
        assert "February 2026 has no day 30" in text


# --------------------------------------------------------------------------- channels.yml


@pytest.mark.parametrize("body, expected", [
    ("channels:\n  mastodon:\n    min_gap: 99999999w\n",
     f"{CHANNELS}:3:14: error: [channels] min_gap: '99999999w' is longer than ten years, the "
     "longest duration Hearth reads"),
    ("channels:\n  mastodon:\n    min_gap: " + "9" * 5000 + "w\n",
     f"{CHANNELS}:3:14: error: [channels] min_gap: '" + "9" * 40 + "…' is longer than ten years"),
    ("blackouts:\n  - {start: 2026-02-30}\n",
     f"{CHANNELS}:2:13: error: [channels] blackout start must be a date like 2026-12-24, not "
     "'2026-02-30' (February 2026 has no day 30)"),
    ("blackouts:\n  - {start: 2026-01-01, end: 9999-12-31}\n",
     f"{CHANNELS}:2:30: error: [channels] blackout end must be a date like 2026-12-24, not "
     f"9999-12-31 (year 9999 is {RANGE})"),
])
def test_a_bad_time_in_channels_yml_is_an_error_at_its_line(hub, body, expected):
    result = check(hub({CHANNELS: body}))
    assert result.exit_code == 1
    assert any(e.startswith(expected) for e in errors(result)), result.output


# --------------------------------------------------------------------------- events


EVENT = "calendar/events/meetup.md"


@pytest.mark.parametrize("lines, expected", [
    ("start: 2026-02-30 18:00\nduration: 2h",
     "3:8: error: [event] bad start '2026-02-30 18:00': February 2026 has no day 30"),
    ("start: 2026-03-14 18:00\nend: 9999-12-31 23:59",
     f"4:6: error: [event] bad end '9999-12-31 23:59': year 9999 is {RANGE}"),
    ("start: 9000-12-31 23:00\nduration: 3000d",
     "4:11: error: [event] the event would end on 9009-03-19, after 9000-12-31, the last date "
     "Hearth reads"),
    ("start: 2026-03-14 18:00\nduration: 99999999w",
     "4:11: error: [event] duration: '99999999w' is longer than ten years"),
    ("start: 2026-03-14 18:00\nduration: 2h\nrrule: FREQ=WEEKLY\nexdate: 0001-01-01",
     f"6:9: error: [event] bad exdate 0001-01-01: year 1 is {RANGE}"),
    ("start: 2026-03-14 18:00\nduration: 2h\nupdated: 2026-13-13",
     "5:10: error: [event] bad updated '2026-13-13': there is no month 13"),
    ("start: 2026-03-14 18:00\nduration: 2h\nrrule: FREQ=DAILY;UNTIL=99991231",
     "5:8: error: [event] bad UNTIL '99991231' in rrule: use a date from 1900-01-01 to 9000-12-31"),
    ("start: 2026-03-14 18:00\nduration: 1h\nrrule: FREQ=HOURLY;COUNT=999999999",
     "5:8: error: [event] an event cannot repeat every second, minute or hour"),
    ("start: 2026-03-14 00:00\nduration: 1h\nrrule: FREQ=DAILY;BYHOUR=1,2,3,4,5,6,7,8,9,10",
     "5:8: error: [event] the rrule repeats the event more than 1464 times in a year"),
    ("start: 2026-03-14 18:00\ntimezone: " + "x" * 5000 + "\nduration: 2h",
     "4:11: error: [event] unknown time zone 'xxxxxxxxxx"),
])
def test_a_bad_time_in_an_event_is_an_error_at_its_line(hub, lines, expected):
    result = check(hub({EVENT: f"---\ntitle: Meetup\n{lines}\n---\n"}))
    assert result.exit_code == 1
    assert any(e.startswith(f"{EVENT}:{expected}") for e in errors(result)), result.output


def test_an_event_with_a_count_of_a_billion_builds_quickly(hub, tmp_path):
    root = hub({EVENT: "---\ntitle: Meetup\nstart: 2026-03-14 18:00\nduration: 2h\n"
                       "rrule: FREQ=DAILY;COUNT=999999999\n---\n",
                "calendar/events/far.md": "---\ntitle: Far\nstart: 8999-03-14 18:00\n"
                                          "duration: 2h\nrrule: FREQ=WEEKLY\n---\n"})
    started = time.monotonic()
    result = run(root, "build", "--now", NOW, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 20
    ics = (tmp_path / "out/hub/events/events.ics").read_text()
    assert "RRULE:FREQ=DAILY;COUNT=999999999" in ics
    assert ics.count("BEGIN:VTIMEZONE") == 1


def test_a_post_dated_thousands_of_years_ahead_adds_no_thousands_of_review_weeks(hub, tmp_path):
    root = hub({POST: "---\ntitle: Hello\n---\nx\n",
                "content/posts/far.md": "---\ntitle: Far\ndate: 8000-06-01 10:00\n---\nx\n"})
    result = run(root, "build", "--now", NOW, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    weeks = list((tmp_path / "out/review/week").iterdir())
    assert 150 <= len(weeks) <= 175      # from a quarter back to three years ahead


# --------------------------------------------------------------------------- hangs


def alias_bomb(indent: str = "") -> str:
    lines = [f"{indent}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{indent}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines)


def test_an_alias_bomb_in_front_matter_is_refused_quickly_at_its_first_alias(hub):
    root = hub({POST: f"---\ntitle: Hello\n{alias_bomb()}\ntags: *a9\n---\nx\n"})
    started = time.monotonic()
    result = check(root)
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert errors(result) == [
        f"{POST}:4:10: error: [yaml] invalid YAML in front matter: aliases expand 33 values into "
        "8,335,593,970; Hearth refuses more than 100,000 repeated values (write the values out)"]


def test_an_alias_bomb_in_channels_yml_is_refused_quickly_at_its_first_alias(hub):
    root = hub({CHANNELS: f"x:\n{alias_bomb('  ')}\nchannels:\n  mastodon: {{utm: *a9}}\n"})
    started = time.monotonic()
    result = check(root)
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert errors(result)[0].startswith(f"{CHANNELS}:3:12: error: [yaml] invalid YAML: aliases "
                                        "expand")


def test_an_alias_that_holds_itself_is_an_error(hub):
    result = check(hub({CHANNELS: "channels: &c\n  mastodon: *c\n"}))
    assert result.exit_code == 1
    assert errors(result) == [f"{CHANNELS}:2:13: error: [yaml] invalid YAML: an alias refers to "
                              "the value that holds it"]


def test_a_few_honest_aliases_still_work(hub):
    root = hub({CHANNELS: "defaults: &d {slots: [\"Mon 09:30\"], max_per_day: 1}\n"
                          "channels:\n  mastodon: *d\n  bluesky: *d\n"})
    result = check(root)
    assert errors(result) == []


def test_ten_thousand_tags_on_one_post_are_refused_in_seconds(hub):
    tags = ", ".join(f"tag{i}" for i in range(10_000))
    root = hub({POST: f"---\ntitle: Hello\ntags: [{tags}]\n---\nx\n"})
    started = time.monotonic()
    result = run(root, "build", "--now", NOW)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert errors(result) == [f"{POST}:3:7: error: [front-matter] 10,000 tags: a post has at most "
                              "100 (every tag is a page of the hub that lists its posts and their "
                              "tags)"]


def test_deeply_nested_front_matter_is_an_error_not_a_crash(hub):
    root = hub({POST: "---\ntitle: Hello\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\nx\n"})
    result = check(root)
    assert result.exit_code == 1
    assert errors(result)[0].startswith(f"{POST}:")


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("now", ["0001-01-01", "9999-12-31T23:59:59", "1899-12-31T23:00:00"])
def test_now_out_of_range_is_a_usage_error(hub, now):
    result = run(hub({POST: "---\ntitle: Hello\n---\nx\n"}), "check", "--now", now)
    assert result.exit_code == 2
    assert f"Invalid value for '--now': '{now}' is outside the times Hearth reads " \
           "(1900-01-01 to 9000-12-31)" in result.output


def test_source_date_epoch_out_of_range_is_a_usage_error(hub, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    result = run(hub({POST: "---\ntitle: Hello\n---\nx\n"}), "check")
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH='253402300799' is outside the times Hearth reads" in result.output


def test_calendar_from_out_of_range_is_a_usage_error(hub):
    result = run(hub({}), "calendar", "--from", "0001-01-01", "--now", NOW)
    assert result.exit_code == 2
    assert "'0001-01-01' is outside the dates Hearth reads (1900-01-01 to 9000-12-31)" in result.output


def test_new_post_with_a_300_character_title_gets_a_short_file_name(hub):
    root = hub({})
    title = " ".join(["community"] * 30)
    result = run(root, "new", "post", title, "--now", NOW)
    assert result.exit_code == 0, result.output
    name = result.output.strip().rsplit("/", 1)[-1]
    assert name.startswith("2026-11-21-community-community")
    assert len(name.removeprefix("2026-11-21-").removesuffix(".md")) <= 80
    assert not name.removesuffix(".md").endswith("-")
    assert f"title: {title}" in (root / result.output.strip()).read_text()


def test_new_post_with_one_endless_word_is_cut_to_80_characters(hub):
    result = run(hub({}), "new", "post", "x" * 300, "--now", NOW)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"content/posts/2026-11-21-{'x' * 80}.md"


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_new_post_with_an_empty_title_is_a_usage_error(hub, title):
    root = hub({})
    result = run(root, "new", "post", title, "--now", NOW)
    assert result.exit_code == 2
    assert 'the title is empty; write one, like: hearth new post "Spring meetup"' in result.output
    assert not (root / "content/posts").exists()


def test_new_post_with_an_unknown_channel_is_a_usage_error_naming_the_channels(hub):
    root = hub({CHANNELS: "channels:\n  mastodon: {}\n  bluesky: {}\n"})
    result = run(root, "new", "post", "Hello", "--channel", "nope", "--now", NOW)
    assert result.exit_code == 2
    assert "unknown channel 'nope'; channels in calendar/channels.yml: mastodon, bluesky" in result.output
    assert not (root / "content/posts").exists()


def test_new_post_with_a_channel_when_there_are_none(hub):
    result = run(hub({}), "new", "post", "Hello", "--channel", "mastodon", "--now", NOW)
    assert result.exit_code == 2
    assert "unknown channel 'mastodon'; channels in calendar/channels.yml: none yet" in result.output


def test_new_post_with_a_known_channel_still_works(hub):
    root = hub({CHANNELS: "channels:\n  mastodon: {}\n"})
    result = run(root, "new", "post", "Hello", "--channel", "mastodon", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "mastodon: '{title} {url}'" in (root / result.output.strip()).read_text()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_fix_write_keeps_the_files_permissions(hub):
    root = hub({
        "guidelines/rules.yml": "- id: brand\n  extends: substitution\n  message: 'Say \"%s\".'\n"
                                "  swap:\n    github: GitHub\n",
        POST: "---\ntitle: Hello\n---\nWe use github daily.\n"})
    path = root / POST
    path.chmod(0o640)
    result = run(root, "fix", "--write")
    assert result.exit_code == 0, result.output
    assert "We use GitHub daily." in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
