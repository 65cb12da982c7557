"""Newsletter digests: a real subject and heading, the manager's intro, UTM on every hub link."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from conftest import NOW, REPO, make_hub, run

SCHEMA = json.loads((REPO / "docs/queue.schema.json").read_text())
UTM = "utm_source=letter&utm_medium=email"


def toml(language: str = "en") -> str:
    return ('[site]\ntitle = "Garden"\nbase_url = "https://example.org/hub/"\n'
            f'timezone = "Europe/Berlin"\nlanguage = "{language}"\n')


def channels(every: str = "month", utm: str = "{source: letter, medium: email}") -> str:
    return f"channels:\n  news:\n    kind: newsletter\n    every: {every}\n    utm: {utm}\n"


def post(slug: str, date: str, extra: str = "") -> tuple[str, str]:
    return (f"content/posts/{slug}.md",
            f"---\ntitle: Post {slug}\ndate: {date}\nsummary: About {slug}.\n{extra}"
            "channels:\n  news: true\n---\nBody.\n")


EVENT = ("calendar/events/swap.md",
         "---\ntitle: Seed swap\nstart: 2026-12-05 10:00\nduration: 2h\nlocation: Turin\n---\nBring seeds.\n")


def build(tmp_path, files: dict, language: str = "en"):
    root = make_hub(tmp_path / "hub", files, toml(language))
    result = run(root, "build", "--now", NOW)
    return root, result


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


def test_every_hub_link_carries_the_channel_utm(tmp_path):
    files = {"calendar/channels.yml": channels(), **dict([post("one", "2026-11-03"), EVENT]),
             "calendar/campaigns/autumn.md": "---\ntitle: Autumn\nstart: 2026-10-01\nend: 2026-11-30\n---\n",
             **dict([post("two", "2026-11-04", "campaign: autumn\n")]),
             "calendar/newsletter/2026-11.md": ("See [the swap](/events/swap/), [our page](posts/one/), "
                                                "[elsewhere](https://other.example/x) and "
                                                "https://example.org/hub/tags/.\n")}
    root, result = build(tmp_path, files)
    assert result.exit_code == 0, result.output
    html = (root / "dist/queues/news/2026-11.html").read_text()
    links = hrefs(html)
    hub = [h for h in links if h.startswith("https://example.org/hub/")]
    assert len(hub) >= 8 and all(UTM in h for h in hub), hub
    assert [h for h in links if not h.startswith("https://example.org/hub/")] == ["https://other.example/x"]
    assert "https://example.org/hub/posts/two/?" + UTM + "&utm_campaign=autumn" in links
    assert "https://example.org/hub/events/swap/?" + UTM in links
    assert "https://example.org/hub/?" + UTM in links, "the hub's home"
    text = (root / "dist/queues/news/2026-11.txt").read_text()
    urls = re.findall(r"https?://[^\s)]+", text)
    assert urls and all(UTM in u for u in urls if u.startswith("https://example.org/hub/"))
    assert "the swap (https://example.org/hub/events/swap/?" + UTM + ")" in text
    assert "https://example.org/hub/tags/?" + UTM + "." in text, "trailing full stop stays outside"


@pytest.mark.parametrize("language, every, date, period, heading", [
    ("en", "month", "2026-11-03", "2026-11", "November 2026"),
    ("ru", "month", "2026-11-03", "2026-11", "Ноябрь 2026"),
    ("en", "week", "2026-11-18", "2026-W47", "Week 47 of 2026"),
    ("de", "week", "2026-11-18", "2026-W47", "Woche 47 des Jahres 2026"),
])
def test_subject_and_heading_name_the_period_in_the_site_language(tmp_path, language, every, date,
                                                                     period, heading):
    root, result = build(tmp_path, {"calendar/channels.yml": channels(every), **dict([post("one", date)])},
                         language)
    assert result.exit_code == 0, result.output
    html = (root / f"dist/queues/news/{period}.html").read_text()
    assert re.search(r"<h1[^>]*>([^<]*)</h1>", html).group(1).startswith(heading)
    assert f"<title>Garden · {heading}" in html
    queue = json.loads((root / "dist/queues/news.json").read_text())
    jsonschema.validate(queue, SCHEMA)
    item = queue["items"][0]
    assert item["id"] == f"news:{period}" and item["subject"].startswith(f"Garden · {heading}")
    assert item["text"] == item["subject"]
    if every == "week":
        assert "16" in html and "22" in html, "a week's heading has its dates under it"


def test_the_intro_file_gives_the_intro_and_may_replace_the_subject(tmp_path):
    files = {"calendar/channels.yml": channels(), **dict([post("one", "2026-11-03")]),
             "calendar/newsletter/2026-11.md": "---\nsubject: Our autumn, in one letter\n---\n"
                                               "A **busy** month.\n",
             "calendar/newsletter/2026-12.md": "Nothing posted yet, but the swap is on.\n"}
    root, result = build(tmp_path, {**files, EVENT[0]: EVENT[1]})
    assert result.exit_code == 0, result.output
    html = (root / "dist/queues/news/2026-11.html").read_text()
    assert "A <strong>busy</strong> month." in html and "<title>Our autumn, in one letter</title>" in html
    assert "A **busy** month." in (root / "dist/queues/news/2026-11.txt").read_text()
    items = {i["id"]: i for i in json.loads((root / "dist/queues/news.json").read_text())["items"]}
    assert items["news:2026-11"]["subject"] == "Our autumn, in one letter"
    assert items["news:2026-12"]["subject"] == "Garden · December 2026", "an intro alone makes a digest"


def test_a_channel_folder_intro_wins_over_the_shared_one(tmp_path):
    files = {"calendar/channels.yml": channels(), **dict([post("one", "2026-11-03")]),
             "calendar/newsletter/2026-11.md": "Shared intro.\n",
             "calendar/newsletter/news/2026-11.md": "Only for news.\n"}
    root, result = build(tmp_path, files)
    assert result.exit_code == 0, result.output
    html = (root / "dist/queues/news/2026-11.html").read_text()
    assert "Only for news." in html and "Shared intro." not in html


def test_editing_the_intro_changes_the_digest_and_its_revision(tmp_path):
    files = {"calendar/channels.yml": channels(), **dict([post("one", "2026-11-03")]),
             "calendar/newsletter/2026-11.md": "First words.\n"}
    root, _ = build(tmp_path, files)
    before = json.loads((root / "dist/queues/news.json").read_text())["items"][0]["revision"]
    (root / "calendar/newsletter/2026-11.md").write_text("Second words.\n")
    assert run(root, "build", "--now", NOW).exit_code == 0
    assert "Second words." in (root / "dist/queues/news/2026-11.html").read_text()
    assert json.loads((root / "dist/queues/news.json").read_text())["items"][0]["revision"] != before


@pytest.mark.parametrize("path, content, message", [
    ("calendar/newsletter/november.md", "Hi.\n",
     "calendar/newsletter/november.md:1:1: error: [newsletter] 'november' is not a newsletter period; "
     "name the file after the digest's month (2026-11.md) or ISO week (2026-W47.md)"),
    ("calendar/newsletter/2026-W47.md", "Hi.\n",
     "calendar/newsletter/2026-W47.md:1:1: error: [newsletter] no weekly newsletter takes this intro: "
     "'news' is every: month; name the file after a month (2026-11.md)"),
    ("calendar/newsletter/letters/2026-11.md", "Hi.\n",
     "calendar/newsletter/letters/2026-11.md:1:1: error: [newsletter] 'letters' is not a newsletter "
     "channel (newsletter channels: news)"),
    ("calendar/newsletter/2026-11.md", "---\nsubject: [a, b]\n---\nHi.\n",
     "calendar/newsletter/2026-11.md:2:10: error: [newsletter] subject must be a line of text"),
    ("calendar/newsletter/2026-11.md", "---\nsubjet: Hi\n---\nHi.\n",
     "calendar/newsletter/2026-11.md:2:1: warning: [newsletter] unknown newsletter intro key 'subjet'; "
     "valid: subject"),
])
def test_a_misplaced_or_malformed_intro_is_reported_where_it_is(tmp_path, path, content, message):
    files = {"calendar/channels.yml": channels(), **dict([post("one", "2026-11-03")]), path: content}
    root = make_hub(tmp_path / "hub", files, toml())
    result = run(root, "check", "--now", NOW)
    assert message in result.output
    assert result.exit_code == (0 if ": warning:" in message else 1)
