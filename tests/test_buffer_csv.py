"""Buffer's bulk-upload CSV: only the items still to come, at most 100 rows a file."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

from conftest import NOW, make_hub, run

TOML = '[site]\ntitle = "Garden"\nbase_url = "https://example.org/"\ntimezone = "Europe/Berlin"\n'
CHANNELS = "channels:\n  discord:\n    kind: discord\n"
COLUMNS = ["Text", "Image URL", "Tags", "Posting Time"]


def rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def posts(count: int, first: datetime, prefix: str) -> dict[str, str]:
    """`count` posts an hour apart from `first` (UTC), each with a discord text."""
    files = {}
    for n in range(count):
        at = (first + timedelta(hours=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        files[f"content/posts/{prefix}-{n:03d}.md"] = (
            f"---\ntitle: {prefix} {n}\ndate: {at}\nchannels:\n  discord: \"{prefix} {n} {{url}}\"\n"
            "---\nBody.\n")
    return files


def test_250_future_and_5_past_items_make_three_files_of_100_100_50(tmp_path):
    now = datetime(2026, 11, 21, 12, tzinfo=timezone.utc)
    files = {"calendar/channels.yml": CHANNELS,
             **posts(5, now - timedelta(days=3), "past"),
             **posts(250, now + timedelta(hours=1), "future")}
    root = make_hub(tmp_path / "hub", files, TOML)
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    queues = root / "dist/queues"
    assert sorted(p.name for p in queues.glob("discord*.csv")) == \
        ["discord-2.csv", "discord-3.csv", "discord.csv"]
    parts = [rows(queues / name) for name in ("discord.csv", "discord-2.csv", "discord-3.csv")]
    assert all(part[0] == COLUMNS for part in parts), "every file has Buffer's header"
    assert [len(part) - 1 for part in parts] == [100, 100, 50]
    texts = [row[0] for part in parts for row in part[1:]]
    assert not any(text.startswith("past ") for text in texts), "no past item is uploaded again"
    assert texts[0].startswith("future 0 https://example.org/posts/future-000/")
    assert texts[-1].startswith("future 249 ")
    times = [row[3] for part in parts for row in part[1:]]
    assert times == sorted(times) and times[0] == "2026-11-21 14:00", "Posting Time in the site zone"
    queue = json.loads((queues / "discord.json").read_text())
    assert len(queue["items"]) == 255, "the JSON queue still lists past items for schedulers"


def test_nothing_to_come_leaves_a_header_only_csv_and_no_stale_parts(tmp_path):
    now = datetime(2026, 11, 21, 12, tzinfo=timezone.utc)
    files = {"calendar/channels.yml": CHANNELS, **posts(120, now + timedelta(hours=1), "soon")}
    root = make_hub(tmp_path / "hub", files, TOML)
    assert run(root, "build", "--now", NOW).exit_code == 0
    assert (root / "dist/queues/discord-2.csv").is_file()
    later = "2026-12-31T00:00:00Z"                  # every item is past now
    result = run(root, "build", "--now", later)
    assert result.exit_code == 0, result.output
    assert rows(root / "dist/queues/discord.csv") == [COLUMNS]
    assert not (root / "dist/queues/discord-2.csv").exists(), "an earlier build's part is removed"


def test_an_item_at_exactly_now_is_past(tmp_path):
    files = {"calendar/channels.yml": CHANNELS,
             **posts(1, datetime(2026, 11, 21, 12, tzinfo=timezone.utc), "now"),
             **posts(1, datetime(2026, 11, 21, 12, 1, tzinfo=timezone.utc), "next")}
    root = make_hub(tmp_path / "hub", files, TOML)
    assert run(root, "build", "--now", NOW).exit_code == 0
    texts = [row[0] for row in rows(root / "dist/queues/discord.csv")[1:]]
    assert len(texts) == 1 and texts[0].startswith("next 0 ")
