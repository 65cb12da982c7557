"""The writer's terminal (issue 14, point 5): build progress, serve's log,
counted nouns, tables that fit, `hearth new post`."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from conftest import NOW, REPO, run

from hearth.cli.table import cells, fit_table
from hearth.serve import Server

POST = "---\ntitle: {title}\ndate: 2026-11-01\nsummary: A summary.\n---\nHello.\n"
CHANNELS = """\
channels:
  mastodon: {kind: mastodon}
  linkedin: {kind: linkedin}
"""


def _hearth(root, *args, env=None):
    """The real command in a process; stderr kept as written (\r and all)."""
    done = subprocess.run([sys.executable, "-m", "hearth", "-C", str(root), *args],
                          capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})})
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                       done.stderr.decode())


# --- progress ---------------------------------------------------------------------

def test_a_build_off_a_terminal_prints_no_progress(hub):
    root = hub({"content/posts/a.md": POST.format(title="A")})
    done = _hearth(root, "build", "--now", NOW)
    assert done.returncode == 0
    assert "\r" not in done.stderr and "reading the hub" not in done.stderr
    assert done.stderr.startswith("built ")


def test_hearth_progress_1_shows_the_stages_and_clears_the_line(hub):
    root = hub({"content/posts/a.md": POST.format(title="A"),
                "content/posts/b.md": POST.format(title="B")})
    done = _hearth(root, "build", "--now", NOW, env={"HEARTH_PROGRESS": "1"})
    assert done.returncode == 0
    assert "reading the hub…" in done.stderr
    assert "read 2 posts, 0 pages, 0 events; rendering Markdown…" in done.stderr
    assert "checking 2 posts against the style guide…" in done.stderr
    assert "\r\x1b[Kbuilt " in done.stderr, "the progress line is cleared before the summary"
    assert done.stdout == ""


def test_a_build_on_a_terminal_shows_progress(hub):
    root = hub({"content/posts/a.md": POST.format(title="A")})
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("HEARTH_PROGRESS", None)
    process = subprocess.Popen([sys.executable, "-m", "hearth", "-C", str(root), "build", "--now", NOW],
                               stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert process.wait(60) == 0
    text = seen.decode()
    assert "reading the hub…" in text and "built 1" not in text[:10]
    assert "\r\x1b[K" in text


# --- serve's log ------------------------------------------------------------------

def test_serve_first_line_says_built_and_a_repeated_failure_prints_once(hub):
    root = hub({"content/posts/a.md": POST.format(title="A")})
    server = Server(root, "127.0.0.1", 0, None)
    lines: list[str] = []
    try:
        server.report(server.safe_rebuild(None), lines.append)
        assert len(lines) == 1 and lines[0].startswith("built ") and " files in " in lines[0]
        assert "reloaded" not in lines[0]
        bad = root / "content/posts/a.md"
        bad.write_text("---\ntitle: A\ndate: 2026-13-01\n---\nHi.\n", encoding="utf-8")
        for _ in range(2):      # one save seen as two changes
            server.report(server.safe_rebuild({"content/posts/a.md"}), lines.append)
        failures = [line for line in lines if line.startswith("build failed")]
        assert len(failures) == 1, lines
        assert "with 1 error;" in failures[0]
        assert sum("no month 13" in line for line in lines) == 1
        bad.write_text(POST.format(title="A again"), encoding="utf-8")
        server.report(server.safe_rebuild({"content/posts/a.md"}), lines.append)
        assert lines[-1].startswith("rebuilt in ") and "pages reloaded after" in lines[-1]
    finally:
        server.builder.close()


# --- counted nouns -----------------------------------------------------------------

def test_summaries_count_in_the_singular_for_one(hub):
    root = hub({"content/posts/a.md": "---\ntitle: A\ndate: 2026-13-01\n---\nHi.\n"})
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 1
    assert "build failed: 1 error;" in result.stderr
    root = hub({"content/posts/a.md": POST.format(title="A"), "content/media/x.txt": "x"})
    result = run(root, "build", "--now", NOW)
    assert "1 errors" not in result.stderr and "1 files" not in result.stderr


# --- tables that fit ------------------------------------------------------------------

def test_fit_table_cuts_the_text_first_and_keeps_the_fixed_columns():
    header = ["AT", "STATE", "ID", "TEXT"]
    rows = [["2026-09-02T09:30+02:00", "due", "mastodon:welcome-to-open-garden", "Hello " * 30],
            ["2026-09-03T09:30+02:00", "planned", "mastodon:x", "Короткий текст 🌱 with emoji"]]
    for width in (80, 100, 70):
        lines = fit_table(rows, header, width, shrink={2: 16})
        assert all(cells(line) <= width for line in lines), (width, lines)
        assert lines[1].startswith("2026-09-02T09:30+02:00  due      ")
        assert lines[1].endswith("…")
    wide = fit_table(rows, header, 300, shrink={2: 16})
    assert "mastodon:welcome-to-open-garden" in wide[1] and not wide[1].endswith("…")


def test_queue_and_calendar_fit_80_columns_off_a_terminal(tmp_path):
    import shutil

    root = tmp_path / "demo"
    root.mkdir()
    for name in ("hearth.toml", "content", "calendar", "guidelines", "templates"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
    env = {"COLUMNS": ""}
    for args in (("queue", "mastodon"), ("calendar",)):
        done = _hearth(root, *args, "--now", NOW, env=env)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert len(lines) > 3
        assert max(cells(line) for line in lines) <= 80, max(lines, key=cells)
    done = _hearth(root, "calendar", "--now", NOW, env={"COLUMNS": "160"})
    assert max(cells(line) for line in done.stdout.splitlines()) <= 160


# --- hearth new post ------------------------------------------------------------------

def test_new_post_with_an_unknown_channel_exits_2_writes_nothing_and_names_the_channels(hub):
    root = hub({"calendar/channels.yml": CHANNELS})
    result = run(root, "new", "post", "Spring meetup", "--channel", "nope", "--now", NOW)
    assert result.exit_code == 2
    assert "unknown channel 'nope'" in result.stderr and "mastodon, linkedin" in result.stderr
    assert not (root / "content" / "posts").exists() or not list((root / "content/posts").iterdir())


def test_new_post_fills_the_author_from_git_and_does_not_warn_while_a_draft(hub):
    root = hub({"calendar/channels.yml": CHANNELS, "guidelines/rules.yml": """\
        - id: post-summary
          extends: frontmatter
          message: "Add a one-sentence 'summary'."
          level: warning
          required: [summary, author]
        """})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "config", "user.name", "Priya Natarajan"], check=True)
    result = run(root, "new", "post", "Spring meetup", "--channel", "mastodon", "--now", NOW)
    assert result.exit_code == 0, result.output
    path = root / result.stdout.strip()
    text = path.read_text("utf-8")
    assert "author: Priya Natarajan\n" in text
    assert "summary: ''   # one sentence for feeds" in text
    check = run(root, "check", "--now", NOW)
    assert check.exit_code == 0 and "post-summary" not in check.output, check.output
    path.write_text(text.replace("status: draft", "status: ready"), encoding="utf-8")
    check = run(root, "check", "--now", NOW)
    assert "warning: [post-summary] Add a one-sentence 'summary'." in check.output
