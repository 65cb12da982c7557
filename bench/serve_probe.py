#!/usr/bin/env python3
"""Time Hearth's in-process incremental rebuild, as `hearth serve` runs it.

    python bench/serve_probe.py HUB --now T --repeat R --edit content/posts/x.md

Run by bench/run.py in a fresh process per hub (so its peak memory is the serve
process's: the first full build plus the rebuilds). Prints one JSON object:

    {"api": "hearth.serve.Rebuilder", "initial": s, "nochange": [s, ...], "edit": [s, ...]}

and exits 0; or prints {"api": null, "reason": "..."} and exits 3 when
`hearth.serve` has no API this probe recognises, and run.py falls back to
timing a whole `hearth build` process.

The contract looked for (change `open_session` below if `hearth.serve` grows
another shape; it is the only place that knows it):

    session = <Class>(root=Path, now=datetime or ISO text, [host, port, out, strict])
    session.build()            # optional: the first full build; else rebuild(None)
    session.rebuild(changed)   # changed: absolute Paths, or hub-relative str if annotated so

(today: `hearth.serve.Server(root, host, port, now)` and `Server.rebuild(paths)`,
what `hearth serve` calls after the watcher's burst settles.)

A result with `.ok` False, or an exception, is a failure and is reported.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

CLASS_NAMES = ("Rebuilder", "IncrementalBuilder", "Incremental", "IncrementalBuild", "LiveBuild",
               "Session", "Builder", "Server")


def _wants_str(annotation) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    return "str" in str(text) and "datetime" not in str(text) and "Path" not in str(text)


def open_session(root: Path, now: datetime, now_text: str):
    """(session, name) for the incremental build API, or (None, reason)."""
    try:
        from hearth import serve
    except ImportError as err:
        return None, f"no hearth.serve module ({err})"
    candidates = [getattr(serve, n) for n in CLASS_NAMES if inspect.isclass(getattr(serve, n, None))]
    candidates += [obj for _, obj in inspect.getmembers(serve, inspect.isclass)
                   if obj.__module__ == serve.__name__ and obj not in candidates]
    for cls in candidates:
        if not callable(getattr(cls, "rebuild", None)):
            continue
        params = inspect.signature(cls).parameters
        if "root" not in params and "hub" not in params and "path" not in params:
            continue
        values = {"root": root, "hub": root, "path": root, "out": None, "strict": False,
                  "host": "127.0.0.1", "port": 0}
        if "now" in params:
            values["now"] = now_text if _wants_str(params["now"].annotation) else now
        kwargs = {k: v for k, v in values.items() if k in params}
        try:
            return cls(**kwargs), f"{serve.__name__}.{cls.__name__}"
        except TypeError:
            continue
    return None, "hearth.serve has no class with a rebuild() method taking root/now"


def call_rebuild(session, root: Path, changed: set[Path] | None):
    """rebuild(changed) as the API wants it: absolute Paths, or hub-relative
    strings when its annotation says str; None (when the API takes it) = everything."""
    params = list(inspect.signature(session.rebuild).parameters.values())
    if not params:
        return session.rebuild()
    if changed is not None and _wants_str(params[0].annotation):
        changed = {p.relative_to(root).as_posix() for p in changed}
    return session.rebuild(changed if changed is not None else set())


def check(result, what: str) -> None:
    if result is not None and getattr(result, "ok", True) is False:
        problems = getattr(result, "diagnostics", [])
        lines = [str(d) for d in list(problems)[:10]]
        raise SystemExit(json.dumps({"api": "error", "reason": f"{what} failed", "messages": lines}))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("hub", type=Path)
    parser.add_argument("--now", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edit", required=True, help="post to edit, relative to the hub")
    args = parser.parse_args()
    root = args.hub.resolve()
    now = datetime.fromisoformat(args.now).astimezone(UTC)
    session, name = open_session(root, now, args.now)
    if session is None:
        print(json.dumps({"api": None, "reason": name}))
        return 3
    out = {"api": name, "nochange": [], "edit": [], "edit_reload": [], "edit_cpu": [],
           "edit_reload_cpu": []}
    start = time.perf_counter()
    if callable(getattr(session, "build", None)):
        check(session.build(), "first build")
    else:
        params = list(inspect.signature(session.rebuild).parameters.values())
        first = None if params and params[0].default is None else set()
        check(session.rebuild(first) if params else session.rebuild(), "first build")
    out["initial"] = time.perf_counter() - start
    for _ in range(args.repeat):
        start = time.perf_counter()
        check(call_rebuild(session, root, set()), "no-change rebuild")
        out["nochange"].append(time.perf_counter() - start)
    post = root / args.edit
    original = post.read_text(encoding="utf-8")
    try:
        for r in range(args.repeat):
            post.write_text(original + f"\nAn edit for the benchmark, number {r + 1}.\n", encoding="utf-8")
            start, cpu = time.perf_counter(), time.process_time()
            check(call_rebuild(session, root, {post}), "one-post-edit rebuild")
            out["edit"].append(time.perf_counter() - start)
            out["edit_cpu"].append(time.process_time() - cpu)   # less hurt by a busy machine
            if hasattr(session, "reload_ms"):   # the hub page on disk and the reload sent
                out["edit_reload"].append(session.reload_ms / 1000)
            if hasattr(session, "reload_cpu_ms"):
                out["edit_reload_cpu"].append(session.reload_cpu_ms / 1000)
    finally:
        post.write_text(original, encoding="utf-8")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
