#!/usr/bin/env python3
"""The serve edit path stage by stage, in CPU and wall time (works on older Hearths too).

    python bench/serve_stages.py HUB

Builds once like `hearth serve`, then three times appends a line to the newest
post and runs what `Server.rebuild({post})` runs: the model, the first pass
(with `Builder.emit(only=...)`, the edited post's own page; before it existed,
the hub pages that show the post), then the rest. The model is given the
edited path (`Builder.model(changed=...)`, as serve's watcher gives it) where
it takes one. Prints one JSON object:
`reload_cpu`/`reload_wall` (to the first pass on disk), `total_cpu`/`total_wall`.
Compare two versions of Hearth on one machine by running it with each on
PYTHONPATH, one after the other.
"""
import sys, time, json, inspect
from pathlib import Path
from datetime import datetime
from hearth.serve import Server
from hearth.settings import load_settings
from hearth import build as B
root = Path(sys.argv[1]).resolve()
now = datetime.fromisoformat("2026-11-21T12:00:00+00:00")
s = Server(root, "127.0.0.1", 0, now)
t = time.perf_counter(); s.rebuild(None); initial = time.perf_counter() - t
post = sorted((root / "content/posts").glob("*.md"))[-1]
rel = post.relative_to(root).as_posix()
orig = post.read_text()
has_only = "only" in inspect.signature(B.Builder.emit).parameters
has_changed = "changed" in inspect.signature(B.Builder.model).parameters   # the watcher's paths
out = {"initial": initial, "reload_cpu": [], "reload_wall": [], "total_cpu": [], "total_wall": []}
b = s.builder
try:
    for i in range(3):
        post.write_text(orig + f"\nAn edit number {i}.\n")
        c0, w0 = time.process_time(), time.perf_counter()
        st = load_settings(root)
        site, problems, timings = (b.model(st, now, changed={rel}) if has_changed
                                   else b.model(st, now))
        od = b.out_dir(st)
        if has_only:
            r = b.emit(site, problems, timings, od, areas=("hub",), changed={rel}, only=B.own_pages(site, {rel}))
        else:
            r = b.emit(site, problems, timings, od, areas=("hub",), changed={rel})
        out["reload_cpu"].append(time.process_time() - c0); out["reload_wall"].append(time.perf_counter() - w0)
        if has_only:
            b.emit(site, problems, timings, od, areas=("hub",), changed={rel})
        b.emit(site, problems, timings, od)
        if hasattr(__import__("hearth.serve").serve, "tidy_memory"):
            __import__("hearth.serve").serve.tidy_memory()     # as Server.rebuild ends
        out["total_cpu"].append(time.process_time() - c0); out["total_wall"].append(time.perf_counter() - w0)
        out.setdefault("first_changed", r.changed)
finally:
    post.write_text(orig)
b.close()
print(json.dumps(out))
