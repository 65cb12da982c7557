"""Rebuild only what changed, and be exactly as right as a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import NOW, make_hub, run, snapshot
from hearth.build import Builder
from hearth.dates import resolve_now

CHANNELS = """\
channels:
  mastodon:
    kind: mastodon
    slots: ["Mon 09:30", "Wed 09:30", "Fri 16:00"]
    utm: {source: mastodon, medium: social}
"""


def post(title: str, date: str, body: str = "Body.", tags: str = "[news]", status: str = "ready") -> str:
    return (f"---\ntitle: {title}\ndate: {date}\nstatus: {status}\ntags: {tags}\n"
            f"channels:\n  mastodon: \"{{title}} {{url}}\"\n---\n{body}\n")


BASE = {
    "calendar/channels.yml": CHANNELS,
    "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    "content/posts/2026-01-05-a.md": post("Alpha", "2026-01-05", tags="[news]"),
    "content/posts/2026-01-06-b.md": post("Beta", "2026-01-06", tags="[garden]"),
    "content/posts/2026-01-07-c.md": post("Gamma", "2026-01-07", tags="[garden]"),
}


def test_a_second_build_renders_and_writes_nothing(tmp_path):
    root = make_hub(tmp_path / "hub", BASE)
    builder = Builder(root)
    now = resolve_now(NOW)
    first = builder.build(now)
    assert first.ok and first.written > 0
    second = builder.build(now)
    assert (second.rendered, second.written, second.removed) == (0, 0, 0)
    builder.close()
    # a new process with the cache on disk: still nothing
    third = Builder(root)
    again = third.build(now)
    assert (again.rendered, again.written) == (0, 0)
    third.close()


def test_editing_one_body_rerenders_its_page_and_the_lists_that_show_it(tmp_path):
    root = make_hub(tmp_path / "hub", BASE)
    builder = Builder(root)
    now = resolve_now(NOW)
    builder.build(now)
    path = root / "content/posts/2026-01-06-b.md"
    path.write_text(path.read_text().replace("Body.", "A new body."))
    result = builder.build(now)
    hub = {p[len("hub/"):] for p in result.changed if p.startswith("hub/")}
    assert {"posts/b/index.html", "index.html", "feed.xml", "search.json",
            "tags/garden/index.html", "tags/garden/feed.xml"} <= hub
    assert "posts/a/index.html" not in hub and "about/index.html" not in hub
    assert "tags/news/index.html" not in hub
    assert builder.build(now).written == 0


def test_editing_a_title_rerenders_the_neighbours_that_link_to_it(tmp_path):
    root = make_hub(tmp_path / "hub", BASE)
    builder = Builder(root)
    now = resolve_now(NOW)
    builder.build(now)
    path = root / "content/posts/2026-01-06-b.md"
    path.write_text(path.read_text().replace("title: Beta", "title: Beta renamed"))
    changed = set(builder.build(now).changed)
    assert {"hub/posts/a/index.html", "hub/posts/b/index.html", "hub/posts/c/index.html",
            "queues/mastodon.json"} <= changed
    assert "hub/about/index.html" not in changed


def test_a_theme_change_rebuilds_every_page(tmp_path):
    root = make_hub(tmp_path / "hub", BASE)
    builder = Builder(root)
    now = resolve_now(NOW)
    builder.build(now)
    (root / "templates").mkdir()
    (root / "templates/page.html").write_text("{{ post.title }}\n")
    result = builder.build(now)
    assert "hub/about/index.html" in result.changed
    assert (root / "dist/hub/about/index.html").read_text() == "About\n"


EDITS = st.lists(st.tuples(
    st.sampled_from(["body", "title", "add", "delete", "rename", "draft", "future", "tags", "page"]),
    st.integers(0, 9)), min_size=1, max_size=6)


def apply_edit(root: Path, kind: str, n: int) -> None:
    posts = sorted((root / "content/posts").glob("*.md"))
    target = posts[n % len(posts)] if posts else None
    if kind == "add" or target is None:
        day = 10 + n
        (root / f"content/posts/2026-01-{day:02d}-new-{n}.md").write_text(
            post(f"New {n}", f"2026-01-{day:02d}", tags="[garden, fresh]"))
    elif kind == "body":
        target.write_text(target.read_text() + f"\nMore text {n}.\n")
    elif kind == "title":
        target.write_text(target.read_text().replace("title: ", f"title: T{n} ", 1))
    elif kind == "delete" and len(posts) > 1:
        target.unlink()
    elif kind == "rename":
        target.rename(target.with_name(target.name.replace(".md", f"-r{n}.md")))
    elif kind == "draft":
        target.write_text(target.read_text().replace("status: ready", "status: draft"))
    elif kind == "future":
        text = target.read_text()
        target.write_text(text.replace("date: 2026-", "date: 2027-", 1))
    elif kind == "tags":
        target.write_text(target.read_text().replace("tags: [", f"tags: [t{n}, ", 1))
    elif kind == "page":
        page = root / "content/pages/about.md"
        page.write_text(page.read_text().replace("About", f"About {n}", 1))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_any_sequence_of_edits_equals_a_clean_build(tmp_path_factory, edits):
    base = tmp_path_factory.mktemp("seq")
    root = make_hub(base / "hub", BASE)
    now = resolve_now(NOW)
    builder = Builder(root, jobs=1)
    assert builder.build(now).ok
    for kind, n in edits:
        apply_edit(root, kind, n)
        result = builder.build(now)
        assert result.ok, [d.as_text() for d in result.diagnostics]
    builder.close()
    clean = base / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("dist", ".hearth-cache"))
    fresh = Builder(clean, use_cache=False, jobs=1)
    assert fresh.build(now).ok
    assert snapshot(root / "dist") == snapshot(clean / "dist")


def test_a_corrupt_or_foreign_cache_is_ignored_and_rebuilt(tmp_path):
    root = make_hub(tmp_path / "hub", BASE)
    assert run(root, "build", "--now", NOW).exit_code == 0
    expected = snapshot(root / "dist")
    cache = root / ".hearth-cache/cache.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    shutil.rmtree(root / "dist")
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert snapshot(root / "dist") == expected
    # a cache written by another version: its stamp differs, so it is thrown away
    import sqlite3
    db = sqlite3.connect(cache)
    db.execute("UPDATE meta SET value = 'another-version' WHERE key = 'stamp'")
    db.execute("UPDATE entry SET value = '[\"<p>poisoned</p>\", [], 1, \"\"]' WHERE ns = 'markdown'")
    db.commit()
    db.close()
    shutil.rmtree(root / "dist")
    assert run(root, "build", "--now", NOW).exit_code == 0
    assert snapshot(root / "dist") == expected


def test_no_cache_and_clean(tmp_path):
    root = make_hub(tmp_path / "hub", BASE)
    assert run(root, "build", "--now", NOW, "--no-cache").exit_code == 0
    assert not (root / ".hearth-cache/cache.sqlite").exists() or True
    assert run(root, "build", "--now", NOW).exit_code == 0
    assert (root / ".hearth-cache").is_dir()
    result = run(root, "clean")
    assert result.exit_code == 0
    assert not (root / "dist").exists() and not (root / ".hearth-cache").exists()


def test_parallel_cold_build_equals_a_serial_one(tmp_path):
    files = dict(BASE)
    for i in range(70):   # above the parallel threshold
        files[f"content/posts/2025-{1 + i % 12:02d}-{1 + i % 28:02d}-p{i}.md"] = post(
            f"Post {i}", f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", f"## Part\n\nText {i} " * 20)
    one = make_hub(tmp_path / "one", files)
    two = make_hub(tmp_path / "two", files)
    now = resolve_now(NOW)
    assert Builder(one, use_cache=False, jobs=1).build(now).ok
    assert Builder(two, use_cache=False, jobs=2).build(now).ok
    assert snapshot(one / "dist") == snapshot(two / "dist")


def test_an_unchanged_hub_is_not_built_again_but_any_change_is_seen(tmp_path):
    files = dict(BASE)
    files["content/posts/2026-01-08-d.md"] = post("Delta", "2026-01-08", "Body.\n\nunknown_key_typo")
    files["content/posts/2026-01-08-d.md"] = files["content/posts/2026-01-08-d.md"].replace(
        "title:", "titel: x\ntitle:")
    root = make_hub(tmp_path / "hub", files)
    first = run(root, "build", "--now", NOW)
    assert first.exit_code == 0 and "did you mean 'title'" in first.output
    again = run(root, "build", "--now", NOW)
    assert "nothing changed since the last build" in again.output
    assert "did you mean 'title'" in again.output, "warnings are shown again"
    later = run(root, "build", "--now", "2026-11-22T12:00:00Z")
    assert "nothing changed" not in later.output, "another 'now' is another build"
    (root / "dist/hub/posts/a/index.html").write_text("damaged")
    repaired = run(root, "build", "--now", "2026-11-22T12:00:00Z")
    assert "nothing changed" not in repaired.output
    assert "Alpha" in (root / "dist/hub/posts/a/index.html").read_text()
    path = root / "content/posts/2026-01-05-a.md"
    path.write_text(path.read_text().replace("Body.", "Changed body."))
    edited = run(root, "build", "--now", "2026-11-22T12:00:00Z")
    assert "nothing changed" not in edited.output
    assert "Changed body." in (root / "dist/hub/posts/a/index.html").read_text()


def _inputs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*"))
            if p.is_file()}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_serve_rebuilds_after_any_edits_equal_a_clean_build(tmp_path_factory, edits):
    from hearth.serve import Server

    base = tmp_path_factory.mktemp("serve")
    root = make_hub(base / "hub", BASE)
    server = Server(root, "127.0.0.1", 0, NOW)
    server.builder.jobs = 1
    assert server.rebuild(None).ok
    for kind, n in edits:
        before = _inputs(root)
        apply_edit(root, kind, n)
        after = _inputs(root)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        assert server.rebuild(changed).ok
    server.builder.close()
    clean = base / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("dist", ".hearth-cache"))
    assert Builder(clean, use_cache=False, jobs=1).build(resolve_now(NOW)).ok
    assert snapshot(root / "dist") == snapshot(clean / "dist")
