"""A one-off build with two jobs renders and lints in workers forked before load
(`feed.MarkdownFeed`): the same output and the same problems as one process."""

from __future__ import annotations

import shutil

from conftest import NOW, make_hub, snapshot
from hearth import feed, parallel
from hearth.build import Builder
from hearth.dates import resolve_now

RULES = """\
- id: House.Utilize
  extends: substitution
  message: "Use '%s' instead of '%s'."
  level: warning
  ignorecase: true
  swap:
    utilize: use
- id: House.Weasel
  extends: existence
  message: "'%s' is a weasel word."
  level: suggestion
  ignorecase: true
  tokens: [obviously]
"""

SPELLING = """\
- id: House.Spelling
  extends: spelling
  message: "Did you really mean '%s'?"
  level: warning
"""


def many_posts(count: int = 150) -> dict[str, str]:
    files = {"guidelines/rules.yml": RULES,
             "content/pages/about.md": "---\ntitle: About\n---\nWe utilize plain words, café.\n"}
    for i in range(count):
        day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
        body = (f"## Part {i}\n\nWe utilize the gärden, obviously — “{i}”.\n\n- one\n- two\n"
                if i % 3 else f"Plain text {i}.\n")
        channel = "{summary} {url}" if i % 5 == 0 else "{title} {url}"
        files[f"content/posts/{day}-p{i}.md"] = (
            f"---\ntitle: Post {i} ünïcode\ndate: {day}\ntags: [t{i % 7}]\n"
            f"channels:\n  mastodon: \"{channel} obviously\"\n---\n{body}")
    files["calendar/channels.yml"] = ("channels:\n  mastodon:\n    kind: mastodon\n"
                                      "    slots: [\"Mon 09:30\", \"Fri 16:00\"]\n")
    return files


def build(root, jobs: int, use_cache: bool = False):
    builder = Builder(root, use_cache=use_cache, jobs=jobs)
    try:
        return builder.build(resolve_now(NOW))
    finally:
        builder.close()


def rows(result) -> list:
    return [d.as_row() for d in result.diagnostics]


def test_early_workers_give_the_serial_output_and_problems(tmp_path, monkeypatch):
    started = []
    real = parallel.Workers.__init__

    def counting(self, jobs):
        started.append(jobs)
        real(self, jobs)

    given = []
    submit = parallel.Workers.submit

    def recording(self, function, *args):
        given.append(function.__name__)
        return submit(self, function, *args)

    monkeypatch.setattr(parallel.Workers, "__init__", counting)
    monkeypatch.setattr(parallel.Workers, "submit", recording)
    monkeypatch.setattr(feed, "CHUNK", 16)      # several tasks, a last one not full
    one = make_hub(tmp_path / "one", many_posts())
    two = make_hub(tmp_path / "two", many_posts())
    serial, parallel_ = build(one, 1), build(two, 2)
    assert started == [2]       # the two-job build used the early workers, the other not
    # 151 bodies and 151 documents to lint, 16 a task
    assert given == ["_render_chunk"] * 10 + ["_lint_chunk"] * 10
    assert rows(serial) == rows(parallel_) and any(r[5] == "House.Weasel" for r in rows(serial))
    assert serial.ok and snapshot(one / "dist") == snapshot(two / "dist") != {}


def test_cached_bodies_are_not_sent_and_a_partly_cached_build_is_the_same(tmp_path, monkeypatch):
    root = make_hub(tmp_path / "hub", many_posts())
    first = build(root, 2, use_cache=True)
    assert first.ok
    expected = snapshot(root / "dist")
    sent: list[int] = []
    real = parallel.Workers.submit

    def counting(self, function, *args):
        if function is feed._render_chunk:
            sent.append(len(args[0]))
        return real(self, function, *args)

    monkeypatch.setattr(parallel.Workers, "submit", counting)
    shutil.rmtree(root / "dist")
    again = build(root, 2, use_cache=True)      # every body and lint result cached: no worker
    assert sent == [] and rows(again) == rows(first) and snapshot(root / "dist") == expected
    for i in range(0, 150, 2):                  # half the posts changed: only those are rendered
        path = next((root / "content/posts").glob(f"*-p{i}.md"))
        path.write_text(path.read_text().replace("Part", "Section").replace("Plain", "Bare"))
    shutil.rmtree(root / "dist")
    partly = build(root, 2, use_cache=True)
    assert sum(sent) == 75      # the changed bodies only
    clean = make_hub(tmp_path / "clean", {})
    shutil.rmtree(clean)
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns(".hearth-cache", "dist"))
    assert rows(partly) == rows(build(clean, 1))
    assert snapshot(root / "dist") == snapshot(clean / "dist")


def test_a_guide_with_dictionaries_lints_in_workers_forked_after_them(tmp_path, monkeypatch):
    files = many_posts(60)
    files["guidelines/rules.yml"] = RULES + SPELLING
    preloaded = []
    real = Builder._lint_all

    def spy(self, guide, jobs):
        from hearth import lint
        preloaded.append(lint.needs_preload(guide, [(doc, lang) for doc, lang, _ in jobs]))
        return real(self, guide, jobs)

    monkeypatch.setattr(Builder, "_lint_all", spy)
    one = make_hub(tmp_path / "one", files)
    two = make_hub(tmp_path / "two", files)
    serial, parallel_ = build(one, 1), build(two, 2)
    assert preloaded == [True, True]
    assert rows(serial) == rows(parallel_) and any(r[5] == "House.Spelling" for r in rows(serial))
    assert serial.ok and snapshot(one / "dist") == snapshot(two / "dist") != {}
