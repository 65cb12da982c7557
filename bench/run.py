#!/usr/bin/env python3
"""Build the same generated posts with Hearth, Pelican and Hugo; print a table.

    python bench/run.py [--sizes 1000,5000,10000] [--repeat 3] [--skip MODE,...]

For each size N: generate (or reuse) bench/out/nN/ with bench/generate.py, then
time each tool/mode --repeat times in a fresh process per run and report the
median and the peak memory. Installs what is missing: Pelican + Markdown in the
bench-only venv bench/.venv, Hugo with `apt-get install -y hugo`. Writes the
table to bench/results.md (after every size, so an interrupted run keeps what
it measured). See bench/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
VENV = BENCH / ".venv"
RESULTS = BENCH / "results.md"
NOW = "2026-11-21T12:00:00Z"
PAGE = os.sysconf("SC_PAGE_SIZE")

sys.path.insert(0, str(BENCH))
import generate

# (key, label) in table order
MODES = [
    ("hearth-cold", "Hearth cold build"),
    ("hearth-warm", "Hearth warm build (cache + output present, nothing changed)"),
    ("hearth-warm-ci", "Hearth warm CI build (cache present, no output)"),
    ("hearth-sched-nochange", "Hearth scheduled rebuild, nothing changed (an hour later)"),
    ("hearth-sched-live", "Hearth scheduled rebuild, one post goes live (two hours later)"),
    ("hearth-nochange", "Hearth no-change rebuild"),
    ("hearth-edit", "Hearth one-post-edit rebuild (serve, all outputs)"),
    ("hearth-edit-reload", "Hearth one-post edit: hub page on disk + reload sent (serve)"),
    ("pelican-cold", "Pelican cold (no cache)"),
    ("pelican-cached", "Pelican cached (second run)"),
    ("hugo", "Hugo build"),
]
LABELS = dict(MODES)


# --- running and measuring ------------------------------------------------------

@dataclass
class Run:
    seconds: float
    peak_mb: float              # RSS: the larger of wait4's max and the sampled tree sum
    rc: int
    output: str = ""
    pss_mb: float | None = None  # sampled sum of PSS over the process tree (smaps_rollup)


@dataclass
class Row:
    mode: str
    n: int
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        ok = [r.seconds for r in self.runs if r.rc == 0]
        return statistics.median(ok) if ok else None

    @property
    def peak(self) -> float | None:
        ok = [r.peak_mb for r in self.runs if r.rc == 0]
        return max(ok) if ok else None

    @property
    def peak_pss(self) -> float | None:
        ok = [r.pss_mb for r in self.runs if r.rc == 0 and r.pss_mb is not None]
        return max(ok) if ok else None


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids


def _tree_memory(pid: int) -> tuple[int, int]:
    """(resident bytes, proportional set size bytes) of a process and all its
    descendants, now. PSS divides each shared page among the processes sharing it
    (forked workers share the parent's pages), so the tree's PSS sum is what it
    really costs; the RSS sum counts a shared page once per process."""
    rss = pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                rss += int(f.read().split()[1]) * PAGE
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            continue
        stack += _children(p)
    return rss, pss


@contextlib.contextmanager
def tree_peaks(pid: int, every: float = 0.05):
    """Sample the summed RSS and PSS of `pid`'s process tree every `every` seconds
    while the block runs; yields [peak RSS, peak PSS] in bytes, final once it ends."""
    peaks = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = _tree_memory(pid)
            peaks[0], peaks[1] = max(peaks[0], rss), max(peaks[1], pss)
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peaks
    finally:
        done.set()
        sampler.join()


def measure(cmd: list[str], cwd: Path, log: Path, timeout: float, env: dict | None = None) -> Run:
    """Run cmd in a fresh process; wall time, and peak memory as the larger of
    the process's own max RSS (wait4, includes reaped children) and the sampled
    RSS sum of its process tree (counts parallel workers alive at once), and the
    peak of the sampled PSS sum of the tree."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env, start_new_session=True)

        def kill() -> None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        with tree_peaks(proc.pid) as peaks:
            timer = threading.Timer(timeout, kill)
            timer.start()
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            timer.cancel()
        peak_tree, peak_pss = peaks
        proc.returncode = os.waitstatus_to_exitcode(status)
    rc = proc.returncode
    if rc < 0:
        rc = 124 if seconds >= timeout else rc
    peak = max(usage.ru_maxrss * 1024, peak_tree) / 2**20
    text = log.read_text(encoding="utf-8", errors="replace")
    return Run(seconds, peak, rc, text, peak_pss / 2**20 if peak_pss else None)


def excerpt(text: str, head: int = 12) -> str:
    lines = [line for line in text.rstrip().splitlines() if line.strip()]
    if len(lines) <= head + 3:
        return "\n".join(lines)
    return "\n".join(lines[:head] + [f"… ({len(lines) - head - 3} more lines)"] + lines[-3:])


def sh(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("  $", " ".join(str(c) for c in cmd), flush=True)
    kw.setdefault("check", False)
    return subprocess.run(cmd, **kw)


def quiet(cmd: list[str], cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120,
                              check=False)
        return (done.stdout + done.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"({err})"


# --- tools ------------------------------------------------------------------------

def ensure_pelican() -> Path | None:
    pelican = VENV / "bin" / "pelican"
    if not pelican.exists():
        print("installing Pelican into bench/.venv", flush=True)
        if not (VENV / "bin" / "python").exists():
            sh([sys.executable, "-m", "venv", str(VENV)], check=True)
        done = sh([str(VENV / "bin" / "pip"), "install", "-q", "pelican", "markdown"])
        if done.returncode != 0 or not pelican.exists():
            print("  Pelican could not be installed; its rows are skipped", flush=True)
            return None
    return pelican


def ensure_hugo() -> str | None:
    hugo = shutil.which("hugo")
    if hugo:
        return hugo
    print("installing Hugo with apt-get", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    done = sh(["apt-get", "install", "-y", "-q", "hugo"], env=env, capture_output=True)
    if done.returncode != 0:
        sh(["apt-get", "update", "-q"], env=env, capture_output=True)
        sh(["apt-get", "install", "-y", "-q", "hugo"], env=env, capture_output=True)
    hugo = shutil.which("hugo")
    if not hugo:
        print("  Hugo could not be installed; its rows are skipped", flush=True)
    return hugo


def hearth_command() -> list[str]:
    exe = shutil.which("hearth")
    return [exe] if exe else [sys.executable, "-m", "hearth"]


def versions(pelican: Path | None, hugo: str | None) -> dict[str, str]:
    v = {"python": platform.python_version()}
    hearth = hearth_command()
    v["hearth"] = quiet(hearth + ["--version"]).splitlines()[-1] if hearth else "?"
    commit = quiet(["git", "rev-parse", "--short", "HEAD"], cwd=REPO)
    dirty = quiet(["git", "status", "--porcelain", "--untracked-files=no", "--", "src"], cwd=REPO)
    v["hearth"] += f" (commit {commit}{', src/ has uncommitted changes' if dirty else ''})"
    if pelican:
        v["pelican"] = quiet([str(pelican), "--version"])
        v["markdown (Pelican venv)"] = quiet([str(VENV / "bin" / "python"), "-c",
                                              "import markdown; print(markdown.__version__)"])
    v["markdown (Hearth)"] = quiet([sys.executable, "-c", "import markdown; print(markdown.__version__)"])
    if hugo:
        v["hugo"] = quiet([hugo, "version"])
    return v


# --- the hubs ---------------------------------------------------------------------

def ensure_hub(n: int, seed: int) -> Path:
    """bench/out/nN, regenerated when generate.py, N or the seed changed."""
    folder = OUT / f"n{n}"
    stamp = hashlib.sha256((BENCH / "generate.py").read_bytes() + f"|{n}|{seed}".encode()).hexdigest()
    stamp_file = folder / ".bench-stamp"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        print(f"reusing {folder.relative_to(REPO)}", flush=True)
        return folder
    start = time.perf_counter()
    generate.generate(n, folder, seed)
    stamp_file.write_text(stamp)
    print(f"  generated in {time.perf_counter() - start:.1f} s", flush=True)
    return folder


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            out[path] = (st.st_mtime_ns, st.st_size)
    return out


def rmtree(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


# --- one size -----------------------------------------------------------------------

class Bench:
    def __init__(self, args, pelican: Path | None, hugo: str | None) -> None:
        self.args = args
        self.pelican = pelican
        self.hugo = hugo
        self.rows: list[Row] = []
        self.hearth = hearth_command()
        help_text = quiet(self.hearth + ["build", "--help"])
        self.no_cache = "--no-cache" in help_text

    def row(self, mode: str, n: int) -> Row | None:
        if mode in self.args.skip:
            return None
        row = Row(mode, n)
        self.rows.append(row)
        return row

    def repeat(self, row: Row | None, folder: Path, cmd: list[str], cwd: Path, before=None) -> bool:
        """Time cmd --repeat times into row; False (and row.error) on the first failure."""
        if row is None:
            return True
        for r in range(self.args.repeat):
            if before:
                before()
            run = measure(cmd, cwd, folder / "logs" / f"{row.mode}-{r + 1}.log", self.args.timeout)
            row.runs.append(run)
            status = "ok" if run.rc == 0 else f"FAILED (exit {run.rc})"
            pss = f"{run.pss_mb:7.0f}" if run.pss_mb is not None else "      ?"
            print(f"  {row.mode:16} run {r + 1}: {run.seconds:8.2f} s  {run.peak_mb:7.0f} MB RSS "
                  f"{pss} MB PSS  {status}",
                  flush=True)
            if run.rc != 0:
                row.error = f"`{' '.join(cmd[-6:])}` exit {run.rc}:\n{excerpt(run.output)}"
                return False
        return True

    def size(self, n: int) -> None:
        print(f"\n== N = {n}", flush=True)
        folder = ensure_hub(n, self.args.seed)
        hub, pel, hugo_dir = folder / "hub", folder / "pelican", folder / "hugo"
        rmtree(folder / "logs")

        if self.hugo:
            row = self.row("hugo", n)
            self.repeat(row, folder, [self.hugo, "--quiet", "-d", "public"], hugo_dir,
                        before=lambda: (rmtree(hugo_dir / "public"), rmtree(hugo_dir / "resources")))

        if self.pelican:
            row = self.row("pelican-cold", n)
            self.repeat(row, folder, [str(self.pelican), "content", "-s", "pelicanconf.py", "-o", "output"],
                        pel, before=lambda: (rmtree(pel / "output"), rmtree(pel / "cache")))
            row = self.row("pelican-cached", n)
            if row is not None:
                rmtree(pel / "output")
                rmtree(pel / "cache")
                cached = [str(self.pelican), "content", "-s", "pelicanconf_cached.py", "-o", "output"]
                prime = measure(cached, pel, folder / "logs" / "pelican-prime.log", self.args.timeout)
                print(f"  pelican-prime        : {prime.seconds:8.2f} s (fills the cache, not counted)",
                      flush=True)
                if prime.rc != 0:
                    row.error = f"priming run exit {prime.rc}:\n{excerpt(prime.output)}"
                else:
                    self.repeat(row, folder, cached, pel)

        self.hearth_size(n, folder, hub)
        rmtree(pel / "output")
        rmtree(hugo_dir / "public")

    def hearth_size(self, n: int, folder: Path, hub: Path) -> None:
        base = self.hearth + ["-C", str(hub)]
        build = base + ["build", "--now", NOW]
        dist = hub / "dist"

        def clean() -> None:
            subprocess.run(base + ["clean"], capture_output=True, check=False)

        row = self.row("hearth-cold", n)
        cold = build + (["--no-cache"] if self.no_cache else [])
        if row is not None:
            row.notes.append("`hearth clean`, then `build" + (" --no-cache`" if self.no_cache else "`"))
        if not self.repeat(row, folder, cold, hub, before=clean):
            print("  Hearth failed; its other rows are skipped for this size", flush=True)
            return
        # fill the cache (a --no-cache build may not have written it)
        prime = measure(build, hub, folder / "logs" / "hearth-prime.log", self.args.timeout)
        print(f"  hearth-prime         : {prime.seconds:8.2f} s (fills the cache, not counted)", flush=True)
        if prime.rc != 0:
            if row is not None:
                row.error = f"priming build exit {prime.rc}:\n{excerpt(prime.output)}"
            return

        row = self.row("hearth-warm", n)
        if row is not None:
            before_files = snapshot(dist)
            self.repeat(row, folder, build, hub)
            after = snapshot(dist)
            changed = sum(1 for p, v in after.items() if before_files.get(p) != v)
            removed = len(set(before_files) - set(after))
            row.notes.append(f"{changed} of {len(after)} output files written or touched" +
                             (f", {removed} removed" if removed else "") +
                             f" in {self.args.repeat} run{'s' if self.args.repeat > 1 else ''}")

        row = self.row("hearth-warm-ci", n)
        if row is not None:
            row.notes.append("output folder removed before each run, `.hearth-cache/` kept")
        self.repeat(row, folder, build, hub, before=lambda: rmtree(dist))

        self.scheduled(n, folder, hub, base)

        posts = sorted((hub / "content" / "posts").glob("*.md"))
        newest = posts[-1]
        nochange, edit = self.row("hearth-nochange", n), self.row("hearth-edit", n)
        reload_row = self.row("hearth-edit-reload", n)
        if nochange is None and edit is None:
            return
        probe = measure([sys.executable, str(BENCH / "serve_probe.py"), str(hub), "--now", NOW,
                         "--repeat", str(self.args.repeat), "--edit", str(newest.relative_to(hub))],
                        hub, folder / "logs" / "serve-probe.log", self.args.timeout)
        result = {}
        try:
            result = json.loads(probe.output.strip().splitlines()[-1])
        except (ValueError, IndexError):
            result = {"api": "error", "reason": excerpt(probe.output)}
        if probe.rc == 0 and result.get("api"):
            print(f"  serve API {result['api']}: first build {result['initial']:.2f} s", flush=True)
            for row, key in ((nochange, "nochange"), (edit, "edit"), (reload_row, "edit_reload")):
                if row is None or not result.get(key):
                    continue
                row.runs = [Run(s, probe.peak_mb, 0, "", probe.pss_mb) for s in result[key]]
                row.notes.append(f"in-process `{result['api']}.rebuild()`; peak is the serve "
                                 "process's, first full build included")
                print(f"  {row.mode:16} runs: {', '.join(f'{s * 1000:.0f} ms' for s in result[key])}",
                      flush=True)
            return
        if probe.rc != 3:
            for row in (nochange, edit):
                if row is not None:
                    row.error = f"serve probe failed: {result.get('reason')} {result.get('messages', '')}"
            return
        # no incremental API yet: a whole `hearth build` process
        why = result.get("reason", "no serve API")
        if nochange is not None:
            nochange.notes.append(f"fallback, {why}: a whole `hearth build` process, output + cache present")
            self.repeat(nochange, folder, build, hub)
        if edit is not None:
            edit.notes.append(f"fallback, {why}: a whole `hearth build` process after appending a "
                              f"line to the newest post")
            original = newest.read_text(encoding="utf-8")
            count = iter(range(1, 10**6))
            try:
                self.repeat(edit, folder, build, hub, before=lambda: newest.write_text(
                    original + f"\nAn edit for the benchmark, number {next(count)}.\n", encoding="utf-8"))
            finally:
                newest.write_text(original, encoding="utf-8")


    def scheduled(self, n: int, folder: Path, hub: Path, base: list[str]) -> None:
        """The hourly CI run with nothing edited: a post dated 14:30 in Rome (13:30 UTC)
        is added; each repetition builds at NOW (12:00 UTC, untimed), then times a
        build at 13:00 UTC (nothing due: the target is a skip) and at 14:00 UTC (the
        post has gone live: only what shows it is rendered)."""
        quiet_row, live_row = self.row("hearth-sched-nochange", n), self.row("hearth-sched-live", n)
        if quiet_row is None and live_row is None:
            return
        newest = sorted((hub / "content" / "posts").glob("*.md"))[-1]
        text = newest.read_text(encoding="utf-8")
        lines = text.split("\n")
        lines = ["date: 2026-11-21 14:30" if line.startswith("date:") else
                 ('title: "Goes live between two hourly builds"' if line.startswith("title:") else line)
                 for line in lines]
        extra = hub / "content" / "posts" / "2026-11-21-goes-live-between-two-builds.md"
        extra.write_text("\n".join(lines), encoding="utf-8")
        said: dict[str, str] = {}
        try:
            for r in range(self.args.repeat):
                prime = measure(base + ["build", "--now", NOW], hub,
                                folder / "logs" / f"hearth-sched-prime-{r + 1}.log", self.args.timeout)
                if prime.rc != 0:
                    for row in (quiet_row, live_row):
                        if row is not None:
                            row.error = f"priming build exit {prime.rc}:\n{excerpt(prime.output)}"
                    return
                for row, now in ((quiet_row, "2026-11-21T13:00:00Z"), (live_row, "2026-11-21T14:00:00Z")):
                    if row is None:
                        continue
                    run = measure(base + ["build", "--now", now], hub,
                                  folder / "logs" / f"{row.mode}-{r + 1}.log", self.args.timeout)
                    row.runs.append(run)
                    print(f"  {row.mode:16} run {r + 1}: {run.seconds:8.2f} s  {run.peak_mb:7.0f} MB RSS "
                          f"{run.pss_mb or 0:7.0f} MB PSS", flush=True)
                    if run.rc != 0:
                        row.error = f"build --now {now} exit {run.rc}:\n{excerpt(run.output)}"
                        return
                    summary = [line for line in run.output.splitlines()
                               if line.startswith(("built ", "nothing changed"))]
                    said[row.mode] = summary[-1] if summary else "?"
        finally:
            extra.unlink()
        for row, when in ((quiet_row, "13:00 UTC"), (live_row, "14:00 UTC")):
            if row is not None and row.mode in said:
                line = said[row.mode]
                done = ("skipped: nothing to render" if line.startswith("nothing changed") else
                        ", ".join(re.findall(r"\d+ (?:written|removed)", line)) or line)
                row.notes.append(f"`build --now` {when} after one at 12:00 UTC; a post dated 13:30 UTC "
                                 f"added; {done}")


# --- the report -----------------------------------------------------------------------

def fmt_s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.2f}"


def ratio_cell(a: float | None, b: float | None, target: float) -> str:
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    mark = "✓" if r <= target else f"✗ ({r / target:.1f}× the target)"
    return f"{r:.2f} {mark}"


def report(bench: Bench, args, info: dict, elapsed: float, finished: bool) -> str:
    rows = bench.rows
    by = {(r.mode, r.n): r for r in rows}
    sizes = sorted({r.n for r in rows})
    lines = [
        "# Hearth benchmark results",
        "",
        (f"Run {info['date']} on {info['machine']}: sizes {', '.join(map(str, args.sizes))}, "
         f"median of {args.repeat}, seed {args.seed}, Hearth `--now {NOW}`; "
         f"{'took' if finished else 'interrupted after'} {elapsed / 60:.1f} min. "
         "Made by `python bench/run.py` (see bench/README.md)."),
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in info["versions"].items()]
    lines += ["", "| tool / mode | N | median s | s per 1k posts | peak RSS MB | peak PSS MB | runs (s) | notes |",
              "|---|---:|---:|---:|---:|---:|---|---|"]
    for mode, label in MODES:
        for n in sizes:
            row = by.get((mode, n))
            if row is None:
                continue
            med, peak, pss = row.median, row.peak, row.peak_pss
            per_k = f"{med / n * 1000:.3f}" if med is not None else "—"
            runs = ", ".join(f"{r.seconds:.3f}" for r in row.runs)
            notes = "; ".join(row.notes + (["**failed**, see below"] if row.error else []))
            lines.append(f"| {label} | {n} | {fmt_s(med)} | {per_k} | "
                         f"{f'{peak:.0f}' if peak is not None else '—'} | "
                         f"{f'{pss:.0f}' if pss is not None else '—'} | {runs} | {notes} |")

    def med(mode, n):
        row = by.get((mode, n))
        return row.median if row else None

    lines += ["", "## Against the targets (issue 5)", "",
              ("| N | Hearth cold / Pelican cold (≤ 0.4) | Hearth warm / Hugo (≤ 0.5) | "
               "one-post edit (≤ 200 ms at 5k, ≤ 300 ms at 10k) | scheduled, nothing changed (≤ 1 s at 5k) | "
               "Hearth peak PSS MB (≤ 300 at 10k; RSS) |"),
              "|---:|---|---|---|---|---|"]
    for n in sizes:
        edit = med("hearth-edit-reload", n) or med("hearth-edit", n)
        limit = 0.2 if n <= 5000 else 0.3
        if edit is None:
            edit_cell = "—"
        else:
            edit_cell = f"{edit * 1000:.0f} ms " + ("✓" if edit <= limit else
                                                   f"✗ ({edit / limit:.1f}× the target)")
            row = by.get(("hearth-edit", n))
            if row and any("fallback" in note for note in row.notes):
                edit_cell += " (whole build process)"
        hearth_rows = [r for r in rows if r.n == n and r.mode.startswith("hearth")]
        rss = max((r.peak for r in hearth_rows if r.peak is not None), default=None)
        peak = max((r.peak_pss for r in hearth_rows if r.peak_pss is not None), default=None)
        peak_cell = "—" if peak is None else f"{peak:.0f}" + (
            "" if n < 10000 else (" ✓" if peak <= 300 else f" ✗ ({peak / 300:.1f}× the target)"))
        if rss is not None:
            peak_cell += f" (RSS {rss:.0f})"
        sched = med("hearth-sched-nochange", n)
        sched_cell = "—" if sched is None else f"{sched:.3f} s" + (
            "" if n != 5000 else (" ✓" if sched <= 1 else f" ✗ ({sched:.1f}× the target)"))
        lines.append(f"| {n} | {ratio_cell(med('hearth-cold', n), med('pelican-cold', n), 0.4)} | "
                     f"{ratio_cell(med('hearth-warm', n), med('hugo', n), 0.5)} | {edit_cell} | "
                     f"{sched_cell} | {peak_cell} |")

    failures = [r for r in rows if r.error]
    if failures:
        lines += ["", "## Failures", ""]
        for r in failures:
            lines += [f"**{LABELS[r.mode]}, N = {r.n}**", "", "```", r.error, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000",
                        type=lambda s: [int(x) for x in s.split(",") if x.strip()])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip", default="", type=lambda s: {x.strip() for x in s.split(",") if x.strip()},
                        help="modes to leave out: " + ", ".join(k for k, _ in MODES) +
                             ", or a tool: hearth, pelican, hugo")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed for one run")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    for tool in ("hearth", "pelican", "hugo"):
        if tool in args.skip:
            args.skip |= {k for k, _ in MODES if k.startswith(tool)}
    unknown = args.skip - {k for k, _ in MODES} - {"hearth", "pelican", "hugo"}
    if unknown:
        parser.error(f"unknown mode(s) in --skip: {', '.join(sorted(unknown))}")

    started = time.perf_counter()
    pelican = None if {"pelican-cold", "pelican-cached"} <= args.skip else ensure_pelican()
    hugo = None if "hugo" in args.skip else ensure_hugo()
    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}",
        "versions": versions(pelican, hugo),
    }
    for k, v in info["versions"].items():
        print(f"{k}: {v}")
    bench = Bench(args, pelican, hugo)
    finished = False
    try:
        for n in args.sizes:
            bench.size(n)
            args.results.write_text(report(bench, args, info, time.perf_counter() - started, False))
        finished = True
    finally:
        text = report(bench, args, info, time.perf_counter() - started, finished)
        args.results.write_text(text)
        print("\n" + text)
        print(f"written to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
