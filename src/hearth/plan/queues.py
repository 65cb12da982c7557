"""Planning the channel queues: `queues/<channel>.json` for schedulers and
Buffer's bulk-upload CSV. Pure.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Any

from ..assemble.calendar_model import ChannelPost
from ..assemble.site import Site
from .context import media_url
from .outputs import Output


def iso(moment: datetime) -> str:
    return moment.isoformat()


def queue_item(site: Site, cp: ChannelPost) -> dict[str, Any]:
    base = site.settings.site.base_url
    return {"id": cp.id, "revision": cp.revision, "at": iso(cp.at), "text": cp.text, "url": cp.url,
            "media": [{"path": m.path, "alt": m.alt, "url": media_url(base, m.path)} for m in cp.media],
            "source": cp.post.path, "campaign": cp.post.campaign}


def generated_stamp(site: Site) -> str:
    return site.now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan_queues(site: Site) -> list[Output]:
    calendar = site.calendar
    outputs = []
    deps = frozenset({"*"})
    for channel in calendar.channels:
        if channel.kind == "newsletter":
            continue            # planned by plan_newsletters
        items = [queue_item(site, cp) for cp in calendar.queued(channel.name, site.now)]
        document = {"channel": channel.name, "kind": channel.kind, "generated": generated_stamp(site),
                    "items": items}
        outputs.append(Output(f"queues/{channel.name}.json", data=json_bytes(document), deps=deps))
        outputs.append(Output(f"queues/{channel.name}.csv", data=_buffer_csv(site, items), deps=deps))
    return outputs


def json_bytes(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _buffer_csv(site: Site, items: list[dict]) -> bytes:
    """Buffer's bulk-upload columns; Posting Time in the site's zone, as Buffer reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Text", "Image URL", "Tags", "Posting Time"])
    zone = site.settings.site.zone
    for item in items:
        at = datetime.fromisoformat(item["at"]).astimezone(zone)
        writer.writerow([item["text"], item["media"][0]["url"] if item["media"] else "",
                         item["campaign"] or "", at.strftime("%Y-%m-%d %H:%M")])
    return out.getvalue().encode()
