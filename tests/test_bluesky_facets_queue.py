"""A Bluesky queue item carries rich-text facets with UTF-8 byte offsets, so
its links, mentions and hashtags work whoever sends it."""

from __future__ import annotations

import json

from conftest import NOW, make_hub, run

CHANNELS = """\
channels:
  bluesky:
    kind: bluesky
    slots: ["daily 09:00"]
"""


def test_bluesky_items_have_facets_at_utf8_byte_offsets(tmp_path):
    text = "Встреча 🌱 в саду #garden с @alice.bsky.social: {url}"
    root = make_hub(tmp_path / "hub", {
        "calendar/channels.yml": CHANNELS,
        "content/posts/2026-11-20-meet.md": (
            f"---\ntitle: Meet\ndate: 2026-11-20\nchannels:\n  bluesky: \"{text}\"\n---\nBody.\n"),
    })
    assert run(root, "build", "--now", NOW).exit_code == 0
    [item] = json.loads((root / "dist/queues/bluesky.json").read_text())["items"]
    raw = item["text"].encode("utf-8")
    spans = {raw[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode(): f["features"][0]
             for f in item["facets"]}
    assert spans["#garden"] == {"$type": "app.bsky.richtext.facet#tag", "tag": "garden"}
    assert spans["@alice.bsky.social"]["$type"] == "app.bsky.richtext.facet#mention"
    [link] = [k for k in spans if k.startswith("https://")]
    assert spans[link] == {"$type": "app.bsky.richtext.facet#link", "uri": item["url"]}
    assert link == item["url"]


def test_the_review_preview_links_what_the_platform_links():
    from hearth.review.views import rich_text

    text = "Встреча 🌱 https://example.org/a и go.dev/x"
    bluesky_html = str(rich_text(text, "bluesky"))
    assert bluesky_html.count('class="pv-link"') == 2          # Bluesky links bare domains too
    x_html = str(rich_text(text, "x"))
    assert x_html.count('class="pv-link"') == 2                # so does X (go.dev is on its list)
    mastodon_html = str(rich_text(text, "mastodon"))
    assert mastodon_html.count('class="pv-link"') == 1         # Mastodon only links http(s)://
