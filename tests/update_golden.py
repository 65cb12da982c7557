"""Regenerate the demo hub's golden output when a change is meant:

    python tests/update_golden.py

It builds the demo hub (the repository root) at a fixed 'now' and stores the
queue files exactly, and the list of every output file, under tests/golden/.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
NOW = "2026-11-21T12:00:00Z"


def build_demo(out: Path) -> None:
    sys.path.insert(0, str(REPO / "src"))
    from hearth.build import build
    from hearth.dates import resolve_now

    result = build(REPO, resolve_now(NOW), out=out, use_cache=False)
    if not result.ok:
        raise SystemExit("\n".join(d.as_text() for d in result.diagnostics if d.level == "error"))


def golden_files(out: Path) -> dict[str, bytes]:
    files = {"files.txt": "".join(p.relative_to(out).as_posix() + "\n"
                                  for p in sorted(out.rglob("*")) if p.is_file()).encode()}
    for path in sorted((out / "queues").glob("*.*")):
        if path.suffix in (".json", ".csv"):
            files[f"queues/{path.name}"] = path.read_bytes()
    return files


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dist"
        build_demo(out)
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        for relpath, content in golden_files(out).items():
            target = GOLDEN / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    print(f"golden output written to {GOLDEN}")


if __name__ == "__main__":
    main()
