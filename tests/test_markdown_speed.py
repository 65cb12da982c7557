"""markdown_speed's short cuts give exactly Python-Markdown's own output.

For random Markdown-ish texts (inline marks, brackets, HTML, entities,
escapes, list, quote, table, header, fence and reference lines, words and
newlines), a reader with `speed_up` applied writes the same HTML and the same
table of contents (`toc_tokens`) as the one without, both for Hearth's reader (safe and
unsafe) and for Python-Markdown with Hearth's extensions and nothing of Hearth's.
"""

from __future__ import annotations

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth import markup
from hearth.markdown_speed import (FastInlineProcessor, PlainParagraphParser, speed_up,
                                   triggers)

PIECES = [
    "word", "Ann", "HTML", "x", "1", "42", " ", " ", "  ", "    ", "\n", "\n", "\n\n", "  \n",
    "*", "**", "_", "__", "***", "[", "]", "(", ")", "!", "![", "<", ">", "&", "`", "``", "\\",
    "\\\\", "#", "## ", "- ", "* ", "+ ", "1. ", "2) ", "> ", "|", " | ", "---", "===", ": ",
    "~~~", "```", "```python\n", "[^1]", "[^1]: note", "*[HTML]: Hyper Text", "[a]: /x",
    "[a]", "[link](http://e.org)", "<http://e.org>", "<a@b.org>", "<b>", "</b>", "<!-- c -->",
    "&amp;", "&#39;", "&x", "{: .c }", "{: #i }", "[TOC]", "media/p.png", "@", ":", "\t",
    "\x02", "\x03", "é", "'", '"',
]

texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.text(alphabet="ab *_[]()!<>&`\\\n#-|:", max_size=60),
)


def stock_extensions() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[*markup.SAFE_EXTENSIONS, markup.FENCES, "sane_lists", "codehilite", "toc"],
        extension_configs={"codehilite": {"css_class": "highlight", "guess_lang": False},
                           "toc": {"permalink": "#", "toc_depth": "2-3"}},
        output_format="html")


def pairs() -> list[tuple[markdown.Markdown, markdown.Markdown]]:
    fast_plain = stock_extensions()
    speed_up(fast_plain)
    return [(markup.stock_markdown("/"), markup._markdown("/")),
            (markup.stock_markdown("/sub/", True), markup._markdown("/sub/", True)),
            (stock_extensions(), fast_plain)]


PAIRS = pairs()


NO_TOC = '<div class="toc"></div>'     # md.toc of the fast reader without a [TOC] marker


def convert(md: markdown.Markdown, text: str) -> tuple[str, list, str]:
    md.reset()
    return md.convert(text), md.toc_tokens, md.toc


def same(fast: tuple, stock: tuple) -> bool:
    """The same HTML and table of contents; `md.toc` (the table as HTML, which
    Hearth does not read) the same, or left empty where the text has no marker."""
    return fast[:2] == stock[:2] and fast[2] in (stock[2], NO_TOC)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_the_fast_reader_writes_what_python_markdown_writes(text):
    for stock, fast in PAIRS:
        assert same(convert(fast, text), convert(stock, text))


def test_the_fast_parts_are_in_place():
    for _, fast in PAIRS:
        assert type(fast.treeprocessors["inline"]) is FastInlineProcessor
        assert type(fast.parser) is PlainParagraphParser
    inline = markup._markdown("/").inlinePatterns
    assert {name: triggers(inline[name]) for name in ("backtick", "link", "em_strong", "html")} \
        == {"backtick": ("`",), "link": ("[",), "em_strong": ("*", "_"), "html": ("<",)}


def test_known_cases_match():
    cases = ["a *b* _c_ **d** `e` [f](/g) ![h](media/i.png) <j> &amp; k\\*",
             "# T\n\n[TOC]\n\n## A\n\n### B\n\n## C",
             "- a\n  - b\n\n> q\n> - r\n\n1. x\n\n   ```\n   code\n   ```\n",
             "| a | b |\n|---|---|\n| 1 | 2 |\n\nterm\n: def\n\n*[HTML]: Hyper\n\nHTML x[^1]\n\n[^1]: n",
             "text  \nbreak\n\n<div>\nraw\n</div>\n\nsee <http://e.org> and <a@b.org>"]
    for text in cases:
        for stock, fast in PAIRS:
            assert same(convert(fast, text), convert(stock, text))
    for stock, fast in PAIRS:          # with a marker, md.toc is built as ever
        assert convert(fast, cases[1]) == convert(stock, cases[1])


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab _-1\n\t.é—’٣\u00a0x&;", max_size=60) | st.text(max_size=40))
def test_words_are_counted_as_the_regex_counts_them(text):
    assert markup.count_words(text) == len(markup.WORDS.findall(text))
