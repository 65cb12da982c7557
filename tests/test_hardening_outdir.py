"""Hardening of the output folder and the cache (issue 12), grouped by kind:
data loss (Hearth writes and deletes only inside an output folder it owns),
disk (machine faults name the path and leave the previous output as it was;
an unusable cache never stops a build) and kill (a killed build leaves the old
tree or the new one, never a mix)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import NOW, REPO, make_hub, run, snapshot

POST = """\
---
title: {title}
date: 2026-01-{day:02d}
---
{body}
"""


def posts(n: int, body: str = "Some words about the garden.") -> dict[str, str]:
    return {f"content/posts/2026-01-{1 + i % 28:02d}-p{i}.md":
            POST.format(title=f"Post {i}", day=1 + i % 28, body=body) for i in range(n)}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file (hidden ones too) under `folder`, by relative path."""
    return snapshot(folder) if folder.exists() else {}


def leftovers(parent: Path) -> list[str]:
    return sorted(n for n in os.listdir(parent) if ".new-" in n or ".old-" in n or
                  n.endswith(".hearth-tmp"))


@pytest.fixture
def small_hub(hub):
    return hub(posts(3))


# ------------------------------------------------------------------ data loss

@pytest.mark.parametrize("out", [".", "..", "content", "calendar", "./content/posts"])
def test_data_loss_out_option_naming_the_hub_or_its_inputs_is_refused(small_hub, out):
    (small_hub / "calendar").mkdir()
    before = tree(small_hub.parent)
    cwd = os.getcwd()
    os.chdir(small_hub)
    try:
        result = run(small_hub, "build", "--now", NOW, "--out", out)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2
    assert result.output.startswith(f"hearth: --out {Path(out)}: ")
    assert "nothing was written" in result.output
    assert tree(small_hub.parent) == before, "nothing touched, not even the cache"


@pytest.mark.parametrize("setting, why", [
    (".", "is the hub itself"), ("", "is the hub itself"), ("..", "holds the hub"),
    ("/", "holds the hub"), ("content", "holds the hub's inputs"),
    ("templates/out", "which holds the hub's inputs"), (".git", "holds the hub's inputs"),
    (".hearth-cache", "holds the hub's inputs")])
def test_data_loss_output_setting_naming_the_hub_or_its_inputs_is_refused(hub, setting, why):
    root = hub(posts(2) | {"templates/base.html.keep": "x", ".git/HEAD": "ref: refs/heads/main\n"},
               toml=f'[site]\ntitle = "T"\nbase_url = "https://example.org/"\n'
                    f'[build]\noutput = "{setting}"\n')
    before = tree(root.parent)
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f'hearth: [build] output = "{setting}": ')
    assert why in result.output
    assert tree(root.parent) == before
    cleaned = run(root, "clean")
    assert cleaned.exit_code == 2 and "nothing was removed" in cleaned.output
    assert tree(root.parent) == before, "clean never removes the hub"


def test_data_loss_a_folder_hearth_did_not_make_is_left_alone(small_hub, tmp_path):
    pages = tmp_path / "gh-pages"
    (pages / ".git").mkdir(parents=True)
    (pages / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (pages / "CNAME").write_text("community.example.org\n")
    before = tree(pages)
    result = run(small_hub, "build", "--now", NOW, "--out", str(pages))
    assert result.exit_code == 2
    assert f"{pages} is a folder Hearth did not make (it holds .git, CNAME)" in result.output
    assert tree(pages) == before
    assert leftovers(tmp_path) == []


def test_data_loss_what_is_not_a_plain_folder_is_refused(small_hub, tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("mine")
    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    for out, why in ((file, "is not a folder"), (Path("/dev/null"), "is not a folder"),
                     (link, "is a symbolic link")):
        result = run(small_hub, "build", "--now", NOW, "--out", str(out))
        assert result.exit_code == 2, out
        assert result.output.startswith(f"hearth: --out {out}: {out} {why}")
    assert file.read_text() == "mine" and list(target.iterdir()) == []
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_data_loss_an_older_hearths_output_is_adopted_and_marked(small_hub):
    for area in ("hub", "queues", "review"):
        (small_hub / "dist" / area).mkdir(parents=True)
    (small_hub / "dist/hub/old.html").write_text("old")
    result = run(small_hub, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert (small_hub / "dist/.hearth-output").read_text().startswith("hearth-output 1\n")
    assert not (small_hub / "dist/hub/old.html").exists(), "a first build replaces it whole"


def test_data_loss_clean_removes_only_what_hearth_made(small_hub):
    assert run(small_hub, "build", "--now", NOW).exit_code == 0
    (small_hub / ".hearth-cache/notes.txt").write_text("mine")
    result = run(small_hub, "clean")
    assert result.exit_code == 0
    assert not (small_hub / "dist").exists()
    assert (small_hub / ".hearth-cache/notes.txt").read_text() == "mine"
    assert not (small_hub / ".hearth-cache/cache.sqlite").exists()
    assert "kept" in result.output and "holds files Hearth did not make" in result.output
    (small_hub / "dist").mkdir()
    (small_hub / "dist/CNAME").write_text("x")
    refused = run(small_hub, "clean")
    assert refused.exit_code == 2 and "did not make (it holds CNAME)" in refused.output
    assert (small_hub / "dist/CNAME").read_text() == "x"


def test_data_loss_output_folders_get_the_permissions_the_umask_gives(small_hub):
    old = os.umask(0o022)
    try:
        assert run(small_hub, "build", "--now", NOW).exit_code == 0
    finally:
        os.umask(old)
    for folder in ("dist", "dist/hub", "dist/hub/posts"):
        assert stat.S_IMODE((small_hub / folder).stat().st_mode) == 0o755, folder


def test_data_loss_a_rebuild_swaps_the_whole_folder_and_keeps_unchanged_files(small_hub):
    assert run(small_hub, "build", "--now", NOW).exit_code == 0
    dist = small_hub / "dist"
    readonly = dist / "hub/robots.txt"
    readonly.chmod(0o444)
    unchanged = os.stat(dist / "hub/posts/p2/index.html").st_ino
    path = small_hub / "content/posts/2026-01-01-p0.md"
    path.write_text(path.read_text().replace("Some words", "Other words"))
    result = run(small_hub, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "Other words" in (dist / "hub/posts/p0/index.html").read_text()
    assert os.stat(dist / "hub/posts/p2/index.html").st_ino == unchanged, "a hard link, not a copy"
    assert leftovers(small_hub) == []
    clean = make_hub(small_hub.parent / "clean", {p.relative_to(small_hub).as_posix(): p.read_bytes()
                                                   for p in (small_hub / "content").rglob("*.md")},
                     toml=(small_hub / "hearth.toml").read_text())
    assert run(clean, "build", "--now", NOW).exit_code == 0
    assert tree(dist) == tree(clean / "dist")


def test_data_loss_the_next_build_cleans_what_a_killed_one_left(small_hub):
    assert run(small_hub, "build", "--now", NOW).exit_code == 0
    marker = (small_hub / "dist/.hearth-output").read_bytes()
    for name in (".dist.new-0001", ".dist.old-0002"):
        (small_hub / name / "hub").mkdir(parents=True)
        (small_hub / name / ".hearth-output").write_bytes(marker)
    (small_hub / ".dist.new-0003").mkdir()                       # killed right after mkdir
    (small_hub / ".dist.new-mine").mkdir()                       # not Hearth's: kept
    (small_hub / ".dist.new-mine/notes.txt").write_text("mine")
    (small_hub / "dist/hub/.index.html.hearth-tmp").write_text("half")   # an older Hearth's
    path = small_hub / "content/posts/2026-01-01-p0.md"
    path.write_text(path.read_text() + "\nMore.\n")
    assert run(small_hub, "build", "--now", NOW).exit_code == 0
    assert leftovers(small_hub) == [".dist.new-mine"]
    assert leftovers(small_hub / "dist/hub") == []


def test_data_loss_a_build_killed_between_the_fallback_renames_is_repaired(small_hub):
    assert run(small_hub, "build", "--now", NOW).exit_code == 0
    expected = tree(small_hub / "dist")
    os.rename(small_hub / "dist", small_hub / ".dist.old-0001")   # the output is missing
    assert run(small_hub, "build", "--now", NOW).exit_code == 0
    assert tree(small_hub / "dist") == expected and leftovers(small_hub) == []


# ------------------------------------------------------------------ disk

@pytest.fixture
def tmpfs(tmp_path):
    """A small tmpfs of our own (tests run as root in CI); skipped where mount is refused."""
    mounted: list[Path] = []

    def make(name: str, size: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                              capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not root'})")
        mounted.append(folder)
        return folder

    yield make
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def test_disk_no_space_left_names_the_file_and_keeps_the_previous_output(small_hub, tmpfs):
    disk = tmpfs("disk", "2m")
    out = disk / "site"
    assert run(small_hub, "build", "--now", NOW, "--out", str(out)).exit_code == 0
    before = tree(out)
    (small_hub / "content/media").mkdir(parents=True)
    (small_hub / "content/media/big.bin").write_bytes(os.urandom(3_000_000))
    path = small_hub / "content/posts/2026-01-01-p0.md"
    path.write_text(path.read_text().replace("title:", "image: media/big.bin\nimage_alt: A big picture\ntitle:"))
    result = run(small_hub, "build", "--now", NOW, "--out", str(out))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"hearth: cannot write {out}/")
    assert "No space left on device; the previous output is untouched" in result.output
    assert "Traceback" not in result.output
    assert tree(out) == before and leftovers(disk) == []


def test_disk_read_only_output_folder_is_a_clear_error(small_hub, tmpfs):
    disk = tmpfs("ro", "4m")
    out = disk / "site"
    assert run(small_hub, "build", "--now", NOW, "--out", str(out)).exit_code == 0
    before = tree(out)
    remount_read_only(disk)
    path = small_hub / "content/posts/2026-01-01-p0.md"
    path.write_text(path.read_text() + "\nEdited.\n")
    result = run(small_hub, "build", "--now", NOW, "--out", str(out))
    assert result.exit_code == 2
    assert result.output.startswith(f"hearth: cannot write {disk}")
    assert "Read-only file system; the previous output is untouched" in result.output
    assert tree(out) == before


def test_disk_output_under_a_regular_file_is_a_clear_error(small_hub, tmp_path):
    (tmp_path / "afile").write_text("x")
    result = run(small_hub, "build", "--now", NOW, "--out", str(tmp_path / "afile/site"))
    assert result.exit_code == 2
    assert result.output.startswith(f"hearth: cannot write {tmp_path / 'afile'}")
    assert (tmp_path / "afile").read_text() == "x"


def test_disk_read_only_checkout_checks_and_builds_elsewhere(small_hub, tmpfs, tmp_path):
    disk = tmpfs("checkout", "4m")
    root = make_hub(disk / "hub", {p.relative_to(small_hub).as_posix(): p.read_bytes()
                                   for p in (small_hub / "content").rglob("*.md")})
    remount_read_only(disk)
    checked = run(root, "check", "--now", NOW)
    assert checked.exit_code == 0, checked.output
    assert "hearth:" not in checked.output
    out = tmp_path / "site"
    built = run(root, "build", "--now", NOW, "--out", str(out))
    assert built.exit_code == 0, built.output
    assert built.output.count("hearth: cannot write .hearth-cache/: Read-only file system; "
                              "this build runs without the cache") == 1
    assert (out / "hub/index.html").is_file()


def test_disk_check_writes_nothing(small_hub):
    before = tree(small_hub.parent)
    assert run(small_hub, "check", "--now", NOW).exit_code == 0
    assert tree(small_hub.parent) == before and not (small_hub / ".hearth-cache").exists()
    assert run(small_hub, "build", "--now", NOW).exit_code == 0
    cache = (small_hub / ".hearth-cache/cache.sqlite").read_bytes()
    assert run(small_hub, "check", "--now", NOW).exit_code == 0
    assert (small_hub / ".hearth-cache/cache.sqlite").read_bytes() == cache


def test_disk_a_cache_that_is_a_file_is_left_alone(small_hub):
    (small_hub / ".hearth-cache").write_text("my notes")
    result = run(small_hub, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert result.output.count("hearth: .hearth-cache is not a folder, so it is not Hearth's "
                               "cache") == 1
    assert (small_hub / ".hearth-cache").read_text() == "my notes"
    assert run(small_hub, "clean").exit_code == 0
    assert (small_hub / ".hearth-cache").read_text() == "my notes"


def test_disk_a_cache_folder_of_the_wrong_shape_is_not_a_traceback(small_hub):
    (small_hub / ".hearth-cache/cache.sqlite").mkdir(parents=True)
    result = run(small_hub, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "hearth: .hearth-cache/cache.sqlite is not a file; this build runs without the cache" \
        in result.output


def test_disk_a_damaged_cache_is_made_again(small_hub):
    (small_hub / ".hearth-cache").mkdir()
    (small_hub / ".hearth-cache/cache.sqlite").write_bytes(b"not a database" * 100)
    result = run(small_hub, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert result.output.count("hearth: .hearth-cache/cache.sqlite could not be read") == 1
    again = run(small_hub, "build", "--now", NOW)
    assert "nothing changed" in again.output and "hearth:" not in again.output


def test_disk_cache_entries_of_the_wrong_shape_are_ignored(small_hub, tmp_path):
    assert run(small_hub, "build", "--now", NOW).exit_code == 0
    expected = tree(small_hub / "dist")
    db = sqlite3.connect(small_hub / ".hearth-cache/cache.sqlite")
    db.execute("""UPDATE entry SET value = CASE ns WHEN 'markdown' THEN '["<p>x</p>", 5, "a", 1]'
                  WHEN 'lint' THEN '[[1, 2, 3]]' WHEN 'manifest' THEN '{"hub/index.html": "x"}'
                  ELSE '"junk"' END""")
    db.execute("INSERT INTO entry VALUES ('markdown', 'k', 'not json')")
    db.commit()
    db.close()
    path = small_hub / "content/posts/2026-01-01-p0.md"
    path.write_text(path.read_text() + "\n")
    result = run(small_hub, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert result.output.count("holds entries Hearth did not write") == 1
    assert tree(small_hub / "dist") == expected


# ------------------------------------------------------------------ kill

def _build(root: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.Popen([sys.executable, "-m", "hearth", "-C", str(root), "build", "--now", NOW],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def test_kill_a_killed_build_leaves_the_old_tree_or_the_new_one(tmp_path):
    """A real build killed with SIGKILL at random moments, first builds and incremental
    rebuilds alike: the output is always exactly the old tree or exactly the new one, and
    the next build succeeds and leaves no staging folder behind."""
    root = make_hub(tmp_path / "hub", posts(70, "A paragraph about seeds and soil. " * 30))
    dist = root / "dist"
    started = time.perf_counter()
    first = _build(root)
    assert first.wait(60) == 0, first.stderr.read()
    duration = time.perf_counter() - started
    rng = random.Random(12)
    outcomes = []
    for attempt in range(10):
        old = tree(dist)
        if attempt % 3 == 2:      # a first build over an existing output: no cache, no manifest
            for name in os.listdir(root / ".hearth-cache"):
                os.unlink(root / ".hearth-cache" / name)
        path = root / f"content/posts/2026-01-{1 + attempt % 28:02d}-p{attempt}.md"
        path.write_text(path.read_text() + f"\nEdit number {attempt}.\n")
        build = _build(root)
        time.sleep(rng.uniform(0.3, duration))
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(10)
        middle = tree(dist)
        again = _build(root)
        assert again.wait(60) == 0, again.stderr.read()
        new = tree(dist)
        assert old != new
        assert middle in (old, new), f"attempt {attempt}: a mixed tree"
        assert leftovers(root) == [] and not any(
            p.name.endswith(".hearth-tmp") for p in dist.rglob("*"))
        outcomes.append("old" if middle == old else "new")
    print("kills landed:", outcomes)
    assert "old" in outcomes, "no kill landed before the swap; make the hub bigger"
