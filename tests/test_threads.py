"""A channel entry may be a `thread:` of posts (mastodon, bluesky, x, threads):
each part is one post, counted and checked on its own, at its own position."""

from __future__ import annotations

import json

import jsonschema

from conftest import NOW, REPO, make_hub, run

SCHEMA = json.loads((REPO / "docs/queue.schema.json").read_text())

CHANNELS = """\
channels:
  mastodon:
    kind: mastodon
    slots: ["daily 09:00"]
  bluesky:
    kind: bluesky
    slots: ["daily 10:00"]
  linkedin:
    kind: linkedin
    slots: ["daily 11:00"]
"""

POST = """\
---
title: Spring meetup
date: 2026-11-22
channels:
  mastodon:
    thread:
      - "Spring meetup is on! 🧵"
      - "Details and RSVP: {url} #garden"
  bluesky:
    thread:
      - "Встреча 🌱 в саду #garden"
      - "Details and RSVP: {url}"
    media: [media/poster.png]
    media_alt: A poster
---
Body.
"""


def _hub(tmp_path, post: str = POST, extra: dict | None = None):
    files = {"calendar/channels.yml": CHANNELS, "content/posts/2026-11-22-spring.md": post,
             "content/media/poster.png": b"\x89PNG\r\n\x1a\n"}
    return make_hub(tmp_path / "hub", {**files, **(extra or {})})


def test_a_thread_is_queued_as_parts_with_facets_per_part(tmp_path):
    root = _hub(tmp_path)
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    for name in ("mastodon", "bluesky"):
        jsonschema.validate(json.loads((root / f"dist/queues/{name}.json").read_text()), SCHEMA)
    [toot] = json.loads((root / "dist/queues/mastodon.json").read_text())["items"]
    assert "text" not in toot
    url = toot["url"]
    assert toot["parts"] == ["Spring meetup is on! 🧵", f"Details and RSVP: {url} #garden"]
    assert "facets" not in toot

    [sky] = json.loads((root / "dist/queues/bluesky.json").read_text())["items"]
    assert sky["parts"] == ["Встреча 🌱 в саду #garden", f"Details and RSVP: {sky['url']}"]
    assert [m["path"] for m in sky["media"]] == ["media/poster.png"]
    assert len(sky["facets"]) == 2             # one list per part, offsets into that part
    first, second = sky["facets"]
    raw = sky["parts"][0].encode()
    [tag] = first
    start, end = tag["index"]["byteStart"], tag["index"]["byteEnd"]
    assert (start, end) == (len("Встреча 🌱 в саду ".encode()), len(raw))
    assert raw[start:end].decode() == "#garden"
    assert tag["features"] == [{"$type": "app.bsky.richtext.facet#tag", "tag": "garden"}]
    [link] = second
    raw = sky["parts"][1].encode()
    assert link["index"] == {"byteStart": len(b"Details and RSVP: "), "byteEnd": len(raw)}
    assert link["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": sky["url"]}]

    # the Buffer CSV has no thread column: the first part, and the build says so
    csv = (root / "dist/queues/bluesky.csv").read_text()
    assert "Встреча 🌱 в саду #garden" in csv and "Details and RSVP" not in csv
    assert ("hearth: queues/bluesky.csv: Buffer's bulk CSV has no threads; bluesky:spring holds "
            "its first part only (add part 2 as a reply in Buffer)") in result.stderr


def test_the_revision_changes_when_any_part_changes(tmp_path):
    root = _hub(tmp_path)
    assert run(root, "build", "--now", NOW).exit_code == 0
    before = json.loads((root / "dist/queues/mastodon.json").read_text())["items"][0]
    path = root / "content/posts/2026-11-22-spring.md"
    path.write_text(path.read_text().replace("#garden\"", "#gardens\""))
    assert run(root, "build", "--now", NOW).exit_code == 0
    after = json.loads((root / "dist/queues/mastodon.json").read_text())["items"][0]
    assert after["id"] == before["id"] and after["revision"] != before["revision"]


def test_a_part_over_the_limit_is_an_error_at_that_part(tmp_path):
    long = "word " * 70            # 350 graphemes: over Bluesky's 300
    post = POST.replace('      - "Details and RSVP: {url}"', f'      - "{long.strip()}"')
    root = _hub(tmp_path, post)
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 1
    # line 12: the second part of the bluesky thread; its text starts at column 10, and the
    # error points at the 301st grapheme, where the part crosses the limit
    assert ("content/posts/2026-11-22-spring.md:12:310: error: [channel-limit] Bluesky: part 2 of 2: "
            "text is 349 graphemes; the limit is 300") in result.output


def test_thread_on_a_kind_without_threads_is_an_error_at_its_line(tmp_path):
    post = POST.replace("  bluesky:\n    thread:", "  linkedin:\n    thread:")
    root = _hub(tmp_path, post)
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 1
    assert ("content/posts/2026-11-22-spring.md:10:5: error: [channels] channel 'linkedin' is "
            "linkedin, which has no threads: give it one 'text' (threads: mastodon, bluesky, x, "
            "threads)") in result.output


def test_an_empty_thread_or_a_part_that_is_not_text_is_an_error(tmp_path):
    post = POST.replace('      - "Details and RSVP: {url} #garden"', "      - [a, b]")
    post = post.replace('    thread:\n      - "Встреча 🌱 в саду #garden"\n      - "Details and RSVP: {url}"',
                        "    thread: []")
    root = _hub(tmp_path, post)
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 1
    assert ("content/posts/2026-11-22-spring.md:8:9: error: [channels] part 2 of the thread for "
            "channel 'mastodon' must be text, not a list") in result.output
    assert ("content/posts/2026-11-22-spring.md:10:13: error: [channels] the thread for channel "
            "'bluesky' must be a list of texts, one per post, like thread: [\"First post\", "
            "\"Second: {url}\"], not an empty list") in result.output


def test_review_shows_every_part_with_its_own_counter(tmp_path):
    root = _hub(tmp_path)
    assert run(root, "build", "--now", NOW).exit_code == 0
    # the cards, with their previews, are on the week pages
    html = "".join(p.read_text() for p in sorted((root / "dist/review/week").glob("*/index.html")))
    assert html.count('class="pv-part') >= 4
    assert "Spring meetup is on! 🧵" in html and "Details and RSVP:" in html
    assert "Встреча 🌱 в саду" in html
    assert "Thread of 2" in html
    assert "<strong>22</strong> / 500 characters" in html       # part 1
    assert "<strong>49</strong> / 500 characters" in html       # part 2: its URL counts 23


def test_queue_command_shows_the_first_part_and_the_thread_length(tmp_path, monkeypatch):
    root = _hub(tmp_path)
    monkeypatch.setenv("COLUMNS", "160")        # a wide terminal: the text is not cut
    result = run(root, "queue", "mastodon", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "Spring meetup is on! 🧵 (thread of 2)" in result.stdout


def test_a_style_rule_inside_part_two_points_at_part_two(tmp_path):
    rules = """\
    - id: no-utilize
      extends: existence
      level: error
      message: "Say 'use', not '%s'."
      tokens: [utilize]
    """
    post = POST.replace("Details and RSVP: {url} #garden", "We utilize {url} #garden")
    root = _hub(tmp_path, post, {"guidelines/rules.yml": rules})
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 1
    assert ("content/posts/2026-11-22-spring.md:8:13: error: [no-utilize] Say 'use', not 'utilize'."
            in result.output), result.output


def test_caps_hold_for_each_part_and_a_required_link_for_the_whole_thread(tmp_path):
    rules = """\
    - id: channel-link
      extends: links
      message: "Add {url} so readers can find the full post."
      level: warning
      channels: [mastodon, bluesky]
      required: true
    - id: few-hashtags
      extends: hashtags
      message: "Use at most %[2]d hashtag in a post (this one has %[1]d)."
      level: warning
      channels: [mastodon, bluesky]
      max: 1
    """
    post = POST.replace("#garden\"\n  bluesky", "#garden #spring\"\n  bluesky")
    root = _hub(tmp_path, post, {"guidelines/rules.yml": rules})
    result = run(root, "check", "--now", NOW)
    # the link is in part 2 only, yet no part is told to add one; each part has
    # one hashtag but mastodon's part 2 has two: that part alone is over the cap
    assert "channel-link" not in result.output, result.output
    assert result.output.count("few-hashtags") == 1
    assert ("content/posts/2026-11-22-spring.md:8:42: warning: [few-hashtags] Use at most 1 "
            "hashtag in a post (this one has 2).") in result.output
