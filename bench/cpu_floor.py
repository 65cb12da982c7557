#!/usr/bin/env python3
"""Hearth's cold-build CPU time against Python-Markdown's own, for the same bodies.

    python bench/cpu_floor.py HUB [--now T] [--profile FILE] [--repeat R]

In one process, after the imports (so start-up is left out of both):

- the floor: Python-Markdown converting every body Hearth renders (posts, pages,
  guidelines; the bodies `hearth.load` reads, untimed), one `Markdown` instance
  reset between documents, with the extensions and settings Hearth uses
  (`hearth.markup`: abbr, attr_list, def_list, footnotes, tables,
  pymdownx.superfences, sane_lists, codehilite, toc with permalinks) but none of
  Hearth's own processors; and, for reference, "extra + toc" alone;
- Hearth: `Builder(hub, out=<empty temp folder>, use_cache=False, jobs=1).build(now)`,
  the whole cold build (load, Markdown, assemble, validate with lint, plan, render,
  write) in this one process.

CPU time is `time.process_time()` (this process only; jobs=1 forks no worker).
Prints one JSON object (seconds, the ratio Hearth / floor, Hearth's stage
timings); with `--profile FILE` the Hearth build runs under cProfile and the
stats go to FILE (read them with `python -m pstats FILE`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import markdown

from hearth.build import Builder
from hearth.load import load
from hearth.load.front_matter import is_html
from hearth.markup import FENCES, SAFE_EXTENSIONS
from hearth.settings import load_settings

NOW = "2026-11-21T12:00:00Z"


def bodies(root: Path) -> list[str]:
    sources = load(load_settings(root))
    return [p.doc.body for p in (*sources.posts, *sources.pages, *sources.guidelines)
            if not is_html(p.path)]


def hearth_extensions() -> markdown.Markdown:
    """Hearth's extension list and settings, without Hearth's own processors."""
    return markdown.Markdown(
        extensions=[*SAFE_EXTENSIONS, FENCES, "sane_lists", "codehilite", "toc"],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"permalink": "#", "permalink_title": "", "toc_depth": "2-3"},
            "footnotes": {"BACKLINK_TITLE": ""},
        },
        output_format="html")


def floor(texts: list[str], md: markdown.Markdown) -> float:
    start = time.process_time()
    for text in texts:
        md.reset()
        md.convert(text)
    return time.process_time() - start


def hearth_build(root: Path, now: datetime, profile: str | None) -> tuple[float, float, dict]:
    out = Path(tempfile.mkdtemp(prefix="hearth-cpu-")) / "dist"
    builder = Builder(root, out=out, use_cache=False, jobs=1)
    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile()
    try:
        start, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        result = builder.build(now)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - start, time.perf_counter() - wall
    finally:
        builder.close()
        shutil.rmtree(out.parent, ignore_errors=True)
    if not result.ok:
        raise SystemExit(json.dumps({"error": [d.as_text() for d in result.diagnostics[:10]]}))
    if profiler:
        profiler.dump_stats(profile)
    return cpu, wall, {k: round(v, 3) for k, v in result.timings.items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("hub", type=Path)
    parser.add_argument("--now", default=NOW)
    parser.add_argument("--profile")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the least is kept")
    args = parser.parse_args()
    root = args.hub.resolve()
    now = datetime.fromisoformat(args.now.replace("Z", "+00:00")).astimezone(UTC)
    texts = bodies(root)
    ours = hearth_extensions()
    plain = markdown.Markdown(extensions=["extra", "toc"], output_format="html")
    floor(texts[:20], ours)     # warm up: the first conversions import the lexers
    floor(texts[:20], plain)
    runs = []
    for _ in range(args.repeat):
        runs.append((floor(texts, ours), floor(texts, plain), *hearth_build(root, now, args.profile)))
    best = min(runs, key=lambda r: r[2])
    floor_s, plain_s, cpu, wall, timings = best
    print(json.dumps({
        "bodies": len(texts),
        "floor_cpu_s": round(min(r[0] for r in runs), 3),
        "extra_toc_cpu_s": round(min(r[1] for r in runs), 3),
        "hearth_cpu_s": round(cpu, 3), "hearth_wall_s": round(wall, 3),
        "ratio_to_floor": round(cpu / min(r[0] for r in runs), 2),
        "ratio_to_extra_toc": round(cpu / min(r[1] for r in runs), 2),
        "timings": timings}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
