"""Shared test helpers: tiny hubs written inline, the real CLI run on them."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearth.cli import cli

REPO = Path(__file__).resolve().parents[1]
NOW = "2026-11-21T12:00:00Z"

MINIMAL_TOML = """\
[site]
title = "Test Hub"
base_url = "https://example.org/"
timezone = "Europe/Rome"
"""


def make_hub(root: Path, files: dict[str, str | bytes], toml: str = MINIMAL_TOML) -> Path:
    """Write a hub: hearth.toml plus `files` (path → text, dedented, or raw bytes)."""
    root.mkdir(parents=True, exist_ok=True)
    return write_files(root, {"hearth.toml": toml, **files})


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` under `root` (path → text, dedented, or raw bytes)."""
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def run(root: Path, *args: str):
    """Run the real CLI on a hub; returns Click's Result (exit_code, stdout, stderr)."""

    runner = CliRunner()
    return runner.invoke(cli, ["-C", str(root), *args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def hub(tmp_path):
    def factory(files: dict[str, str | bytes] | None = None, toml: str = MINIMAL_TOML) -> Path:
        return make_hub(tmp_path / "hub", files or {}, toml)
    return factory


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one browser test module (see tests/browser.py)."""
    import browser as harness

    with harness.chromium(harness.require_chromium()) as launched:
        yield launched


def wait_for(predicate, seconds: float = 15.0):
    """Poll `predicate` until it returns something true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")
