"""serve's first pass after an edit: the hub pages that show the changed files go
straight into the output folder (no staging folder of links to every file), and
they are exactly what a clean build writes; the full pass that follows makes the
whole output equal to a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import NOW, make_hub, snapshot
from hearth.build import Builder, own_pages
from hearth.dates import resolve_now
from hearth.serve import Server
from test_incremental import BASE, EDITS, apply_edit, post


def inputs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("content", "calendar", "guidelines")
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


def clean_build(root: Path, where: Path) -> dict[str, bytes]:
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(root, where, ignore=shutil.ignore_patterns("dist", ".hearth-cache"))
    assert Builder(where, use_cache=False, jobs=1).build(resolve_now(NOW)).ok
    return snapshot(where / "dist")


def first_pass(server: Server, changed: set[str]):
    """What `Server.rebuild` does before the full pass: the model, the changed
    posts' own pages, then the hub outputs that depend on the changed files."""
    builder = server.builder
    site, problems, timings = builder.model(server.settings, server.now())
    out_dir = builder.out_dir(server.settings)
    own = own_pages(site, changed)
    mine = builder.emit(site, problems, timings, out_dir, areas=("hub",), changed=changed,
                        only=own or None)
    if own:
        assert set(mine.changed) <= own | {p for p in mine.changed if not (out_dir / p).exists()}, \
            "the first step writes the edited pages only (and removes stale ones)"
    lists = builder.emit(site, problems, timings, out_dir, areas=("hub",), changed=changed)
    lists.changed = sorted(set(mine.changed) | set(lists.changed))
    lists.diagnostics = mine.diagnostics if not mine.ok else lists.diagnostics
    return site, problems, timings, out_dir, lists


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_the_first_pass_writes_what_a_clean_build_writes(tmp_path_factory, edits):
    base = tmp_path_factory.mktemp("patch")
    root = make_hub(base / "hub", BASE)
    server = Server(root, "127.0.0.1", 0, NOW)
    server.builder.jobs = 1
    assert server.rebuild(None).ok
    for kind, n in edits:
        before = inputs(root)
        apply_edit(root, kind, n)
        after = inputs(root)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        folder = (root / "dist").stat().st_ino
        site, problems, timings, out_dir, fast = first_pass(server, changed)
        assert fast.ok, [d.as_text() for d in fast.diagnostics]
        assert (root / "dist").stat().st_ino == folder, "written in place, not swapped"
        assert not list((root / "dist").rglob("*.hearth-tmp"))
        assert not list(root.glob(".dist.new-*"))
        clean = clean_build(root, base / "clean")
        mine = snapshot(root / "dist")
        for path in fast.changed:
            assert mine.get(path) == clean.get(path), path
        rest = server.builder.emit(site, problems, timings, out_dir)
        assert rest.ok
        assert snapshot(root / "dist") == clean
    server.builder.close()


def test_an_edit_rewrites_only_the_pages_that_show_it_then_the_rest(tmp_path):
    root = make_hub(tmp_path / "hub", BASE)
    server = Server(root, "127.0.0.1", 0, NOW)
    server.builder.jobs = 1
    assert server.rebuild(None).ok
    path = root / "content/posts/2026-01-06-b.md"
    path.write_text(path.read_text().replace("Body.", "A new body."))
    result = server.rebuild({"content/posts/2026-01-06-b.md"})
    assert result.ok
    # the post, its neighbours' links are unchanged (same title), the home page and
    # the garden tag show its summary, the feeds carry the body
    assert result.changed == ["hub/feed.xml", "hub/index.html", "hub/posts/b/index.html",
                              "hub/search.json", "hub/tags/garden/feed.xml",
                              "hub/tags/garden/index.html"]
    assert "A new body." in (root / "dist/hub/posts/b/index.html").read_text()
    assert server.reload_ms > 0
    # the first build, then the post's page, then the lists; the queues and the review
    # site do not show the body, so nothing else changed and nothing more is announced
    assert server.state.epoch == 3
    assert "files changed" in server.log[-1]
    server.builder.close()
    assert snapshot(root / "dist") == clean_build(root, tmp_path / "clean")


def test_a_bad_edit_writes_nothing_and_the_fix_writes_the_page(tmp_path):
    root = make_hub(tmp_path / "hub", BASE)
    server = Server(root, "127.0.0.1", 0, NOW)
    server.builder.jobs = 1
    assert server.rebuild(None).ok
    page = root / "dist/hub/posts/b/index.html"
    good = page.read_bytes()
    path = root / "content/posts/2026-01-06-b.md"
    original = path.read_text()
    path.write_text(original.replace("title: Beta", "title: [Beta").replace("Body.", "Broken."))
    result = server.rebuild({"content/posts/2026-01-06-b.md"})
    assert result is not None and not result.ok
    assert page.read_bytes() == good, "the last good build stays"
    path.write_text(original.replace("Body.", "Fixed."))
    assert server.rebuild({"content/posts/2026-01-06-b.md"}).ok
    assert "Fixed." in page.read_text()
    server.builder.close()
    assert snapshot(root / "dist") == clean_build(root, tmp_path / "clean")


def test_the_edited_post_page_goes_first_alone(tmp_path):
    root = make_hub(tmp_path / "hub", BASE)
    server = Server(root, "127.0.0.1", 0, NOW)
    server.builder.jobs = 1
    assert server.rebuild(None).ok
    path = root / "content/posts/2026-01-06-b.md"
    path.write_text(path.read_text().replace("Body.", "A new body."))
    changed = {"content/posts/2026-01-06-b.md"}
    builder = server.builder
    site, problems, timings = builder.model(server.settings, server.now())
    out_dir = builder.out_dir(server.settings)
    assert own_pages(site, changed) == {"hub/posts/b/index.html"}
    first = builder.emit(site, problems, timings, out_dir, areas=("hub",), changed=changed,
                         only=own_pages(site, changed))
    assert first.ok and first.changed == ["hub/posts/b/index.html"]
    assert "A new body." not in (root / "dist/hub/index.html").read_text(), "not yet"
    lists = builder.emit(site, problems, timings, out_dir, areas=("hub",), changed=changed)
    assert "hub/posts/b/index.html" not in lists.changed, "already current"
    assert "hub/index.html" in lists.changed
    server.builder.close()


# Edits that validate has something to say about, and one that takes them back: serve's
# model is patched per changed file (URLs, validate's per-document results and the
# calendar key kept by `Post`), so its diagnostics must be a clean build's after each.
MISTAKES = st.lists(st.tuples(
    st.sampled_from(["body", "title", "add", "delete", "rename", "draft", "tags", "page",
                     "slug", "campaign", "image", "alias", "zola", "fix",
                     "channel", "guideline", "bundle", "hidden", "media"]),
    st.integers(0, 9)), min_size=1, max_size=7)


def make_mistake(root: Path, kind: str, n: int) -> None:
    """One edit; those below the first line are outside serve's one-file reload
    (load then walks the hub), or beside it (a hidden file it never reads)."""
    if kind == "channel":      # a second channel, or back to one: posts naming it change
        channels = root / "calendar/channels.yml"
        text = channels.read_text()
        extra = "  bsky:\n    kind: bluesky\n    slots: [\"Tue 10:00\"]\n"
        channels.write_text(text.replace(extra, "") if extra in text else text + extra)
        return
    if kind == "guideline":
        (root / "guidelines").mkdir(exist_ok=True)
        (root / f"guidelines/rule-{n % 3}.md").write_text(
            f"---\ntitle: Rule {n}\nstatus: ready\n---\nWrite plainly, {n}.\n")
        return
    if kind == "bundle":        # a post as a folder with an image beside it
        folder = root / f"content/posts/2026-01-0{1 + n % 3}-trip"
        folder.mkdir(exist_ok=True)
        (folder / "index.md").write_text("---\ntitle: Trip\ndate: 2026-01-02\nstatus: ready\n"
                                         "tags: [news]\nimage: posts/" + folder.name
                                         + "/cover.jpg\n---\nPhotos.\n")
        (folder / "cover.jpg").write_bytes(bytes([n]) * 8)
        return
    if kind == "hidden":
        (root / f"content/posts/.draft-{n}.md").write_text("---\ntitle: [unread\n---\n")
        return
    if kind == "media":
        (root / "content/media").mkdir(exist_ok=True)
        (root / f"content/media/none-{n}.jpg").write_bytes(b"jpg")
        return
    posts = sorted((root / "content/posts").glob("*.md"))
    if kind not in ("slug", "campaign", "image", "alias", "zola", "fix") or not posts:
        apply_edit(root, kind, n)
        return
    if kind == "fix":
        for path in posts:
            lines = path.read_text().splitlines(keepends=True)
            path.write_text("".join(line for line in lines if not line.startswith(
                ("slug: ", "campaign: ", "image: ", "aliases: ", "[x](@/"))))
        return
    target = posts[n % len(posts)]
    other = posts[(n + 1) % len(posts)].stem.split("-", 3)[-1]
    text = target.read_text()
    if kind == "zola":
        target.write_text(text + f"[x](@/{posts[(n + 1) % len(posts)].name if n % 2 else 'gone.md'})\n")
        return
    line = {"slug": f"slug: {other}\n", "campaign": f"campaign: nope-{n}\n",
            "image": f"image: media/none-{n}.jpg\n", "alias": f"aliases: [/old-{n}/]\n"}[kind]
    target.write_text(text.replace("---\n", "---\n" + line, 1))


@settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=MISTAKES)
def test_serve_diagnostics_and_output_after_any_edits_equal_a_clean_builds(tmp_path_factory, edits):
    base = tmp_path_factory.mktemp("mistakes")
    root = make_hub(base / "hub", BASE)
    server = Server(root, "127.0.0.1", 0, NOW)
    server.builder.jobs = 1
    assert server.rebuild(None).ok
    for kind, n in edits:
        before = inputs(root)
        make_mistake(root, kind, n)
        after = inputs(root)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        mine = server.rebuild(changed)
        clean = base / "clean"
        if clean.exists():
            shutil.rmtree(clean)
        shutil.copytree(root, clean, ignore=shutil.ignore_patterns("dist", ".hearth-cache"))
        fresh = Builder(clean, use_cache=False, jobs=1).build(resolve_now(NOW))
        assert [d.as_text() for d in mine.diagnostics] == [d.as_text() for d in fresh.diagnostics]
        if fresh.ok:
            assert snapshot(root / "dist") == snapshot(clean / "dist")
    server.builder.close()


def test_an_editors_temporary_file_is_not_read_and_an_edit_reads_one_file(tmp_path, monkeypatch):
    """serve trusts the watcher's paths: a body edit reads that file alone (no walk
    of the hub), a temporary file that came and went changes nothing, and an
    empty change set with `now` unchanged rebuilds nothing."""
    import hearth.load as load_module

    root = make_hub(tmp_path / "hub", BASE)
    server = Server(root, "127.0.0.1", 0, NOW)
    server.builder.jobs = 1
    assert server.rebuild(None).ok
    walks = []
    monkeypatch.setattr(load_module, "content_files",
                        lambda *a: walks.append(a) or load_module.front_matter.content_files(*a))
    path = root / "content/posts/2026-01-06-b.md"
    path.write_text(path.read_text().replace("Body.", "A new body."))
    assert server.rebuild({"content/posts/2026-01-06-b.md",
                           "content/posts/2026-01-06-b.md~", "content/posts/4913"}).ok
    assert walks == []
    assert "A new body." in (root / "dist/hub/posts/b/index.html").read_text()
    epoch = server.state.epoch
    assert server.rebuild(set()).ok and server.state.epoch == epoch
    (root / "content/posts/2026-01-08-d.md").write_text(post("Delta", "2026-01-08"))
    assert server.rebuild({"content/posts/2026-01-08-d.md"}).ok
    assert walks, "a new file: the hub is walked"
    server.builder.close()
    assert snapshot(root / "dist") == clean_build(root, tmp_path / "clean")
