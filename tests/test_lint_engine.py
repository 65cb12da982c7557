"""The engine's parts: Markdown → prose blocks, Vale pattern translation and
message formatting, sentences and counts, and the shortcuts that make linting
fast (literal prefilters, one pass over a whole document) changing nothing."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from hearth.lint import checks, engine, lint_doc, load_guide
from hearth.lint.blocks import LineIndex, RunOffsets
from hearth.lint.markdown_inline import has_markup
from hearth.lint.markdown_scan import markdown_blocks
from hearth.lint.patterns import anchors, compile_pattern, context_free, go_format, to_sentence
from hearth.lint.prose import grade_levels, sentence_spans, syllables, text_metrics
from hearth.source import parse, read

REPO = Path(__file__).resolve().parents[1]


def blocks(body: str) -> list[tuple[str, tuple[str, ...]]]:
    found, _ = markdown_blocks(body, LineIndex(body), want_links=True)
    return [(b.text, tuple(sorted(b.sections))) for b in found]


def test_markdown_blocks() -> None:
    body = textwrap.dedent("""\
        Intro with a [ref link][r], a footnote[^1] and a hard\\
        break. Escaped \\*stars\\* and an &amp; entity.

        * Item one
          continued lazily
          1. nested *item*
        - [x] done task

        <details>
        <summary>More about it</summary>
        Hidden text.
        </details>

        <!-- a comment -->
        Term  
        After a hard break.

        [r]: https://example.org/ref "Title"
        [^1]: The footnote text.
        """)
    assert blocks(body) == [
        (("Intro with a ref link, a footnote and a hard\nbreak. Escaped *stars* and an & "
         "entity."), ("paragraph", "text")),
        ("ref link", ("link",)),
        ("Item one\ncontinued lazily", ("list", "text")),
        ("nested item", ("list", "text")),
        ("done task", ("list", "text")),
        ("More about it\nHidden text.", ("text",)),
        ("Term\nAfter a hard break.", ("paragraph", "text")),
        ("The footnote text.", ("paragraph", "text")),
    ]


def test_block_offsets_point_into_the_source() -> None:
    body = "Some **bold _and_ nested** text with `code` and &eacute; and a [link](/x).\n"
    found, _ = markdown_blocks(body, LineIndex(body))
    block = found[0]
    assert block.text == "Some bold and nested text with ****** and é and a link."
    for i, ch in enumerate(block.text):
        if ch not in "*é":
            assert body[block.offsets[i]] == ch


def test_offsets_are_kept_as_runs_that_read_like_one_per_character() -> None:
    # indented continuation lines, a blockquote and a trailing hard break cut the
    # offsets into runs; each character still points at itself in the source
    body = ("- first line of an item\n  its *indented* continuation\n\n"
            "> quoted line one\n> and **two**\n\nPlain line\nand the next\\\nend.\n")
    found, _ = markdown_blocks(body, LineIndex(body))
    for block in found:
        for i, ch in enumerate(block.text):
            if ch != "\n":
                assert body[block.offsets[block.start + i]] == ch, (block.text, i)
    runs = RunOffsets([0, 3, 5], [10, 20, 30], 8)
    assert [runs[i] for i in range(8)] == [10, 11, 12, 20, 21, 30, 31, 32] == runs.tolist()
    assert runs[-1] == 32 and len(runs) == 8 and list(runs[2:6]) == [12, 20, 21, 30]
    assert runs[3:5] == range(20, 22)
    with pytest.raises(IndexError):
        runs[8]


def test_has_markup_is_the_pattern_it_replaced() -> None:
    import re
    pattern = re.compile(r"[`<\[\\&*_~{@]|://|www\.")
    for text in ("plain words", "a `b`", "see http://x", "www.y", "me@x.org", "x &amp; y",
                 "{{< sc >}}", "a\\b", "~~s~~", "under_score", "ftp:/", "ww.w"):
        assert has_markup(text) == bool(pattern.search(text)), text


def test_directives_are_collected() -> None:
    body = "<!-- hearth-ignore a, b -->\nText <!-- inline --> here.\n```\n<!-- not one -->\n```\n"
    _, directives = markdown_blocks(body, LineIndex(body))
    assert [d.text.strip() for d in directives] == ["hearth-ignore a, b", "inline"]


def test_pattern_translation_and_flags() -> None:
    assert compile_pattern(r"foo\z").search("a foo")
    assert compile_pattern(r"\Qa.b\E").search("a.b") and not compile_pattern(r"\Qa.b\E").search(
        "axb")
    # Go scopes a mid-pattern flag to the rest of its group, as VERSION1 does
    pattern = compile_pattern(r"(?i)(?m)\b(?:foo|(?-i)API)\b")
    assert pattern.search("FOO") and pattern.search("API") and not pattern.search("api")
    assert compile_pattern(r"\bслово\b").search("одно слово тут")  # Unicode word boundaries


def test_go_format_and_to_sentence() -> None:
    assert go_format("Use '%s' instead of '%s'.", "a") == "Use 'a' instead of ''."
    assert go_format("%d words (max %[2]d), 100%%", 12, 8) == "12 words (max 8), 100%"
    assert go_format("no verbs", "x") == "no verbs"
    assert to_sentence(["a"]) == "'a'"
    assert to_sentence(["a", "b"]) == "'a' or 'b'"
    assert to_sentence(["a", "b", "c"], quote='"') == '"a", "b", or "c"'


@pytest.mark.parametrize("pattern, expected", [
    ("just", {"just"}),
    (r"(?i)(?m)\b(?:simply|of course)\b", {"simply", "of course"}),
    (r"utili[sz]e", {"utili"}),
    (r"users?", {"user"}),
    (r"(?<![#@])(?:OpenGarden|Open-Garden)", {"opengarden", "open-garden"}),
    (r"\.\.\.", {"..."}),
    (r"[^\s]+", None),
    (r"a|\d+", None),
    (r"(?x) a b", None),
])
def test_anchors(pattern: str, expected: set[str] | None) -> None:
    found = anchors(pattern)
    assert (None if found is None else set(found)) == expected


def test_context_free() -> None:
    assert context_free(r"(?<![\d/.])\d{1,2}(?![\d/])")
    assert context_free(r"(?<!\w)(?:foo)(?!\w)")
    assert not context_free(r"\b(?:eg|e\.g\.)(?=[\s,;])")
    assert not context_free(r"(?<!:[^ ]+?):\s[A-Z]")


def test_sentences_and_counts() -> None:
    text = "Mr. Smith came, e.g. on foot. He left! Did he? Yes. J. Doe stayed."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Mr. Smith came, e.g. on foot.", "He left!", "Did he?", "Yes.", "J. Doe stayed."]
    assert [syllables(w) for w in ("garden", "community", "the", "table", "released")] == \
        [2, 4, 1, 2, 2]
    metrics = text_metrics("The cat sat. The dog ran far away.\n\nIt rained.")
    assert (metrics["sentences"], metrics["words"], metrics["paragraphs"]) == (3, 10, 2)
    grades = grade_levels({"words": 100, "sentences": 5, "syllables": 150, "complex_words": 10,
                           "characters": 450, "polysyllabic_words": 10})
    assert round(grades["Flesch-Kincaid"], 2) == round(0.39 * 20 + 11.8 * 1.5 - 15.59, 2)
    assert round(grades["Gunning Fog"], 2) == 12.0


def _slow_paths(monkeypatch) -> None:
    """Turn off every shortcut: no prefilters, every pattern run block by block."""
    for cls in [checks.Check, *checks.Check.__subclasses__(),
                *checks.ScanCheck.__subclasses__()]:
        if "might_match" in vars(cls):
            monkeypatch.setattr(cls, "might_match", lambda self, lower, text: True)
    from hearth.lint import brand
    monkeypatch.setattr(brand.Count, "might_match", lambda self, lower, text: True)

    def per_block(prepared, rule, check, targets):
        return [checks.Hit(b, s, e, msg, m, sug) for b in targets
                for s, e, msg, m, sug in check.scan(b.text)]
    monkeypatch.setattr(engine, "_run_scan", per_block)


def test_shortcuts_change_nothing(monkeypatch, tmp_path: Path) -> None:
    shared = REPO.parent / "shared" / "vale-styles"
    if not shared.is_dir():
        pytest.skip("the Vale packages in ../shared/vale-styles are not beside this checkout")
    root = tmp_path / "hub"
    shutil.copytree(REPO / "guidelines", root / "guidelines")
    for style in ("Google", "write-good"):
        if (shared / style).is_dir():
            shutil.copytree(shared / style, root / "guidelines" / "styles" / style)
    guide, problems = load_guide(root)
    assert problems == []
    docs = []
    for path in sorted((REPO / "content").rglob("*.md")):
        doc, _ = read(REPO, path.relative_to(REPO).as_posix())
        if doc is not None:
            docs.append(doc)
    extra, _ = parse("extra.md", textwrap.dedent("""\
        ---
        title: Tricky
        ---
        A line ends with e.g.
        Next, "quoted". So the the OpenGarden users utilise 10PM on 17/5!

        - i.e. it is; we are here... Wow!
        """))
    docs.append(extra)
    fast = [lint_doc(guide, d, lang="en") for d in docs]
    _slow_paths(monkeypatch)
    slow = [lint_doc(guide, d, lang="en") for d in docs]
    assert fast == slow
    assert sum(map(len, fast)) > 100


MARKDOWN_BITS = ["# ", "## ", "- ", "1. ", "> ", "    ", "```", "~~~", "|", "---", "***", "`",
                 "*", "_", "[", "]", "(", ")", "![", "<", ">", "<!--", "-->", "&amp;", "\\",
                 "https://x.org/a", "a@b.org", "{url}", "#tag", "@ada", "\n", "\n\n", " ",
                 "Open garden", "Привет", "🌱", "👨‍👩‍👧", "\t", "[^1]", "[r]: /x", "$$",
                 "<div>", "</div>", "<script>", "word", "the the", "!"]


def test_any_markdown_lints_without_error() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    root = REPO
    guide, _ = load_guide(root)

    @hypothesis.settings(max_examples=150, deadline=None, database=None)
    @hypothesis.given(st.lists(st.sampled_from(MARKDOWN_BITS), max_size=40))
    def check(bits: list[str]) -> None:
        body = "".join(bits)
        doc, _ = parse("f.md", "---\ntitle: T\n---\n" + body)
        lines = doc.text.split("\n")
        for d in lint_doc(guide, doc, lang="en"):
            assert 1 <= d.line <= len(lines) + 1
            assert 1 <= d.column <= len(lines[d.line - 1]) + 2 if d.line <= len(lines) else True

    check()
