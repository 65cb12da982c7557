"""The demo hub's output against tests/golden/ (regenerate: python tests/update_golden.py)."""

from __future__ import annotations

from update_golden import GOLDEN, build_demo, golden_files


def test_demo_hub_matches_the_golden_output(tmp_path):
    out = tmp_path / "dist"
    build_demo(out)
    produced = golden_files(out)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes()
                for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(produced) == sorted(expected), "run: python tests/update_golden.py, if the change is meant"
    for relpath in expected:
        assert produced[relpath] == expected[relpath], \
            f"{relpath} differs from tests/golden/; run python tests/update_golden.py if the change is meant"
