"""Hardening, types: a value of the wrong type for any key of any file gives
`path:line:col: error: …` at that key's line with exit 1 (or exit 0 when the
value is one Hearth accepts), never a traceback. Hand-picked cases first, then
hypothesis feeding random YAML values to every key."""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import NOW, make_hub, run
from hearth.build import Builder
from hearth.dates import parse_now
from hearth.load.calendar import BLACKOUT_KEYS, CAMPAIGN_KEYS, CHANNEL_KEYS, EVENT_KEYS
from hearth.load.posts import POST_KEYS

POST = "content/posts/2026-01-05-hello.md"
EVENT = "calendar/events/meetup.md"
CAMPAIGN = "calendar/campaigns/spring.md"
CHANNELS = "calendar/channels.yml"
CHANNELS_YML = "channels:\n  mastodon:\n    slots: [\"Mon 09:30\"]\n"


def check(root: Path):
    result = run(root, "check", "--now", NOW)
    assert "Traceback" not in result.output
    return result


def errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if ": error: " in line]


# --------------------------------------------------------------------------- hand-picked


@pytest.mark.parametrize("line, expected", [
    ("title: [a]", f"{POST}:2:8: error: [front-matter] title must be text, not a list"),
    ("title: {a: 1}", f"{POST}:2:8: error: [front-matter] title must be text, not a mapping"),
    ("title: yes", f"{POST}:2:8: error: [front-matter] title must be text, not true (YAML reads"),
    ("tags: {a: 1}", f"{POST}:2:7: error: [front-matter] tags must be a list of words"),
    ("channels: [1, 2]", f"{POST}:2:11: error: [channels] channels must map channel names"),
    ("summary: [x]", f"{POST}:2:10: error: [front-matter] summary must be text, not a list"),
    ("image: [a.png]", f"{POST}:2:8: error: [front-matter] image must be text, not a list"),
    ("author: {url: x}", f"{POST}:2:9: error: [front-matter] author must be a name or a list"),
    ("weight: heavy", f"{POST}:2:9: error: [front-matter] weight must be a whole number"),
    ("lang: ../../..", f"{POST}:2:7: error: [front-matter] lang must be a language tag like en, "
                       "it or pt-BR, not '../../..'"),
    ("slug: [a]", f"{POST}:2:7: error: [front-matter] slug must be text, not a list"),
    ("updated: soon", f"{POST}:2:10: error: [front-matter] bad updated 'soon'"),
    ("channels:\n  mastodon: {text: \"hi {url}\", media: 5}",
     f"{POST}:3:39: error: [channels] media for channel 'mastodon' must be a file path or a "
     "list of paths, like media: [media/poster.png], not 5"),
    ("channels:\n  mastodon: {text: \"hi {url}\", media_alt: [a]}",
     f"{POST}:3:43: error: [channels] media_alt for channel 'mastodon' must be text, not a list"),
])
def test_a_post_key_of_the_wrong_type_is_an_error_at_its_line(hub, line, expected):
    title = "" if line.startswith("title") else "title: Hello\n"
    root = hub({POST: f"---\n{line}\n{title}---\nBody.\n", CHANNELS: CHANNELS_YML})
    result = check(root)
    assert result.exit_code == 1, result.output
    assert any(e.startswith(expected) for e in errors(result)), result.output


@pytest.mark.parametrize("value, shown", [
    ("[Ann, Bob]", "Ann, Bob"),
    ("[Ann, Bob, Cy]", "Ann, Bob, Cy"),
    ("{name: Ann}", "Ann"),
    ("[{name: Ann}, Bob]", "Ann, Bob"),
    ("Ann and Bob", "Ann and Bob"),
])
def test_a_list_of_authors_is_shown_joined_with_commas(hub, tmp_path, value, shown):
    root = hub({POST: f"---\ntitle: Hello\nauthor: {value}\n---\nBody.\n"})
    result = run(root, "build", "--now", NOW, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out/hub/posts/hello/index.html").read_text()
    assert f'<meta name="author" content="{shown}">' in page
    assert "[" not in shown and "['" not in page


def test_a_lang_with_a_lang_permalink_is_blamed_on_the_post_not_on_hearth_toml(hub):
    toml = '[site]\ntitle = "T"\nbase_url = "https://example.org/"\npermalink = "{lang}/{slug}/"\n'
    root = hub({POST: "---\ntitle: Hello\nlang: ../../..\n---\nBody.\n"}, toml=toml)
    result = check(root)
    assert result.exit_code == 1
    assert errors(result) == [f"{POST}:3:7: error: [front-matter] lang must be a language tag "
                              "like en, it or pt-BR, not '../../..'"]


def test_a_good_lang_goes_into_a_lang_permalink(hub, tmp_path):
    toml = '[site]\ntitle = "T"\nbase_url = "https://example.org/"\npermalink = "{lang}/{slug}/"\n'
    root = hub({POST: "---\ntitle: Hello\nlang: pt-BR\n---\nBody.\n"}, toml=toml)
    result = run(root, "build", "--now", NOW, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out/hub/pt-BR/hello/index.html").is_file()


@pytest.mark.parametrize("slug", ["404.html", "feed.xml", "index.html", "robots.txt",
                                  "search.json", "sitemap.xml", "Feed.XML"])
def test_a_page_slugged_as_a_file_the_hub_writes_is_an_error_at_its_slug(hub, slug):
    root = hub({"content/pages/about.md": f"---\ntitle: About\nslug: {slug}\n---\nx\n"})
    result = check(root)
    assert result.exit_code == 1
    assert errors(result) == [
        f"content/pages/about.md:3:7: error: [duplicate-slug] the URL '{slug}/' is where the hub "
        f"puts its own '{slug.lower()}'; give this file another slug"]


def test_a_channel_with_one_bad_slot_is_reported_once_and_still_exists(hub):
    root = hub({CHANNELS: 'channels:\n  mastodon:\n    slots: ["Mon 09:30", "Xyz 10:00"]\n',
                POST: "---\ntitle: Hello\nchannels:\n  mastodon: \"hi {url}\"\n---\nx\n",
                "content/posts/2026-01-06-other.md":
                    "---\ntitle: Other\nchannels:\n  mastodon: \"there {url}\"\n---\nx\n"})
    result = check(root)
    assert result.exit_code == 1
    assert errors(result) == [f"{CHANNELS}:3:26: error: [channels] 'Xyz' is not a day of the week; "
                              "use Mon Tue Wed Thu Fri Sat Sun, daily, weekdays or weekends"]


def test_a_channel_with_a_bad_kind_is_reported_there_not_on_every_post(hub):
    root = hub({CHANNELS: "channels:\n  fedi:\n    kind: myspace\n",
                POST: "---\ntitle: Hello\nchannels:\n  fedi: \"hi {url}\"\n---\nx\n"})
    result = check(root)
    assert result.exit_code == 1
    assert [e.split(": error: ")[0] for e in errors(result)] == [f"{CHANNELS}:3:11"]


def test_more_than_a_hundred_tags_is_an_error_at_the_tags(hub):
    tags = ", ".join(f"t{i}" for i in range(101))
    root = hub({POST: f"---\ntitle: Hello\ntags: [{tags}]\n---\nx\n"})
    result = check(root)
    assert result.exit_code == 1
    assert errors(result) == [f"{POST}:3:7: error: [front-matter] 101 tags: a post has at most "
                              "100 (every tag is a page of the hub that lists its posts and their "
                              "tags)"]


# --------------------------------------------------------------------------- hypothesis

SCALARS = st.one_of(
    st.integers(min_value=-10**30, max_value=10**30), st.floats(allow_nan=True), st.booleans(),
    st.none(), st.text(max_size=30), st.just("x" * 20_000), st.just("../../.."),
    st.dates(), st.datetimes(), st.just("2026-02-30"), st.just("9999-12-31 23:59"))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=6), inner,
                                                 max_size=3)), max_leaves=8)


def one_line(value) -> str:
    """A YAML value in flow style on one line."""
    text = yaml.safe_dump(value, default_flow_style=True, width=float("inf"))
    text = text.removesuffix("\n...\n").removesuffix("\n")
    # a key with a line break is written over lines; JSON (which YAML reads) is not
    return json.dumps(value, default=str) if "\n" in text else text


def assert_located(files: dict[str, str], path: str, line: int, last: int | None = None) -> None:
    """check on a hub of `files`: exit 0, or exit 1 with errors in `path` on lines
    `line`…`last` (the key's, or a key it conflicts with, like an all-day start and a
    duration of hours); never a traceback."""
    with tempfile.TemporaryDirectory(prefix="hearth-types-") as folder:
        builder = Builder(make_hub(Path(folder) / "hub", files), use_cache=False)
        try:     # `check` without its cache: what the command does, and fast
            found = builder.check(parse_now(NOW)).diagnostics
        finally:
            builder.close()
    shown = "\n".join(d.as_text() for d in found)
    wrong = [d for d in found if d.level == "error"]
    if wrong:
        lines = [d.line for d in wrong if d.path == path]
        assert lines, shown
        assert all(line <= n <= (last or line) for n in lines), shown
        assert line in lines or last is not None, shown


FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

POST_BASE = {"title": "Hello", "date": "2026-01-05"}
EVENT_BASE = {"title": "Meetup", "start": "2026-03-14 18:30", "duration": "2h"}
CAMPAIGN_BASE = {"title": "Spring", "start": "2026-03-01", "end": "2026-03-31"}


def front_matter(base: dict, key: str, value) -> tuple[str, int]:
    """Front matter with `key: value` on line 2, the other keys of `base` after it."""
    lines = [f"{key}: {one_line(value)}"] + [f"{k}: {one_line(v)}" for k, v in base.items()
                                             if k != key]
    return "---\n" + "\n".join(lines) + "\n---\nBody.\n", 2


@pytest.mark.parametrize("key", POST_KEYS)
@FAST
@given(value=VALUES)
def test_any_value_of_any_post_key_is_located_or_accepted(key, value):
    text, line = front_matter(POST_BASE, key, value)
    assert_located({POST: text, CHANNELS: CHANNELS_YML}, POST, line, line + len(POST_BASE))


@pytest.mark.parametrize("key", EVENT_KEYS)
@FAST
@given(value=VALUES)
def test_any_value_of_any_event_key_is_located_or_accepted(key, value):
    text, line = front_matter(EVENT_BASE, key, value)
    assert_located({EVENT: text}, EVENT, line, line + len(EVENT_BASE))


@pytest.mark.parametrize("key", CAMPAIGN_KEYS)
@FAST
@given(value=VALUES)
def test_any_value_of_any_campaign_key_is_located_or_accepted(key, value):
    text, line = front_matter(CAMPAIGN_BASE, key, value)
    assert_located({CAMPAIGN: text, POST: "---\ntitle: Hi\ncampaign: spring\n---\nx\n"},
                   CAMPAIGN, line, line + len(CAMPAIGN_BASE))


@pytest.mark.parametrize("key", CHANNEL_KEYS)
@FAST
@given(value=VALUES)
def test_any_value_of_any_channel_key_is_located_or_accepted(key, value):
    text = f"channels:\n  mastodon:\n    {key}: {one_line(value)}\n"
    # no {url}: a huge but valid `utm` would rightly make the text too long, in the post
    post = "---\ntitle: Hello\nchannels:\n  mastodon: \"hi\"\n---\nx\n"
    assert_located({CHANNELS: text, POST: post}, CHANNELS, 3)


@pytest.mark.parametrize("key", BLACKOUT_KEYS)
@FAST
@given(value=VALUES)
def test_any_value_of_any_blackout_key_is_located_or_accepted(key, value):
    item = {"start": "2026-12-24", "reason": "Holidays"}
    others = "".join(f"    {k}: {one_line(v)}\n" for k, v in item.items() if k != key)
    text = (f"channels:\n  mastodon: {{}}\nblackouts:\n  - {key}: {one_line(value)}\n{others}")
    assert_located({CHANNELS: text}, CHANNELS, 4, 5)


@FAST
@given(value=VALUES)
def test_any_value_of_the_channels_and_blackouts_keys_is_located_or_accepted(value):
    for key in ("channels", "blackouts"):
        assert_located({CHANNELS: f"{key}: {one_line(value)}\n"}, CHANNELS, 1)


@FAST
@given(value=VALUES)
def test_any_value_of_a_post_channel_entry_is_located_or_accepted(value):
    for key in ("text", "at", "media", "media_alt"):
        entry = {"text": "hi {url}", key: value}
        text = f"---\ntitle: Hello\nchannels:\n  mastodon: {one_line(entry)}\n---\nx\n"
        assert_located({POST: text, CHANNELS: CHANNELS_YML}, POST, 4)
