#!/usr/bin/env python3
"""Run one command and print its peak memory and time as JSON.

    python bench/peak_memory.py [--cwd DIR] -- COMMAND...

Every 50 ms the process tree (the command and its forked workers) is sampled:
the sum of PSS (`/proc/<pid>/smaps_rollup`; a page shared by the forked
workers counts once, split among them) and the sum of RSS (a shared page
counts once per process). Prints {"peak_pss_mb", "peak_rss_mb", "wall_s",
"cpu_s", "rc"}; `cpu_s` is user + system of the command and the children it
waited for. `bench/run.py` samples the same way (`measure`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import tree_peaks  # noqa: E402 - bench/ is not a package


def peak_memory(cmd: list[str], cwd: Path | None = None, every: float = 0.05) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL)
    with tree_peaks(proc.pid, every) as peaks:
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    peak_rss, peak_pss = peaks
    return {"peak_pss_mb": round(peak_pss / 2**20, 1), "peak_rss_mb": round(peak_rss / 2**20, 1),
            "wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "rc": os.waitstatus_to_exitcode(status)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cwd", type=Path, default=None, help="run the command here")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        parser.error("no command given")
    print(json.dumps(peak_memory(cmd, args.cwd)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
