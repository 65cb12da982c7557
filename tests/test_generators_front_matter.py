"""Other generators' front matter (issue 17, points 3 and 5, and issue 13's
leftovers): Zola's and Hugo's `authors`, a byline's Markdown, the date from
Zola's `path`, the file name or the folder, `lang` from a `<lang>/` folder,
previous/next within one language, Jekyll's `_drafts` and lists in block
quotes. Real-looking Zola, Hugo and multilingual trees, the real CLI."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone

from conftest import NOW, make_hub, run, write_files
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.load.authors import read_authors

TOML = """\
[site]
title = "Migrated"
base_url = "https://example.org/"
timezone = "UTC"
"""


def build(root, *args):
    result = run(root, "build", "--now", NOW, *args)
    return result, result.output.splitlines()


def page(root, url):
    return (root / "dist/hub" / url / "index.html").read_text(encoding="utf-8")


def byline(html: str) -> str:
    return re.search(r'<p class="meta">(.*?)</p>', html, re.S).group(1)


def feed_authors(root, title: str) -> list[str]:
    feed = (root / "dist/hub/feed.xml").read_text(encoding="utf-8")
    entry = re.search(r"<entry[^>]*>\s*<title>" + re.escape(title) + r"</title>(.*?)</entry>",
                      feed, re.S).group(1)
    return re.findall(r"<author>(.*?)</author>", entry)


# -------------------------------------------------------------------- a Zola tree

ZOLA = {
    # Zola: TOML front matter, `authors`, the date only in `path`
    "content/posts/rust-2019.md": """
        +++
        title = "Rust 2019"
        path = "2019/05/12/rust-2019"
        authors = ["The Core Team"]
        +++
        Body.
        """,
    # Zola's own file-name date: an underscore after the day
    "content/posts/2019-06-01_release.md": """
        +++
        title = "Release"
        authors = ["[Ann Lee](https://ann.example) (Example Corp)", "Bob"]
        +++
        Body.
        """,
    "content/posts/inside/2019-07-02-team.md": """
        +++
        title = "Team"
        date = 2019-07-03
        path = "2019/07/01/team"
        authors = ["Cy"]
        +++
        Body.
        """,
}


def test_a_zola_tree_builds_with_its_authors_and_dates(tmp_path):
    root = make_hub(tmp_path / "hub", ZOLA, TOML)
    result, lines = build(root)
    assert result.exit_code == 0, result.output
    assert not [line for line in lines if "did you mean" in line], result.output
    rust = page(root, "2019/05/12/rust-2019")       # Zola's `path` is the post's URL too
    assert '<time datetime="2019-05-12T00:00:00+00:00">' in rust
    assert '<span class="p-author">The Core Team</span>' in rust
    release = page(root, "posts/release")
    assert '<time datetime="2019-06-01T00:00:00+00:00">' in release
    assert byline(release).count('class="p-author"') == 2
    assert ('<span class="p-author"><a href="https://ann.example">Ann Lee</a> (Example Corp)</span>, '
            '<span class="p-author">Bob</span>') in release
    assert '<meta name="author" content="Ann Lee (Example Corp), Bob">' in release
    assert feed_authors(root, "Release") == ["<name>Ann Lee (Example Corp)</name>", "<name>Bob</name>"]
    # the front matter's date beats the path's and the file name's
    assert '<time datetime="2019-07-03T00:00:00+00:00">' in page(root, "2019/07/01/team")


# -------------------------------------------------------------------- a Hugo tree

HUGO = {
    "content/posts/2019/05/12/spring.md": """
        ---
        title: Spring
        author: "[Dee](https://dee.example)"
        ---
        Body.
        """,
    "content/posts/2019-05-13-bundle/index.md": """
        ---
        title: A bundle
        authors:
          - name: Eve
            link: https://eve.example
          - name: Fay
            email: fay@example.org
        ---
        Body.
        """,
    "content/posts/2019/05/12/2019-05-14-named.md": """
        ---
        title: Named
        author: Gus
        authors: [Gus, {name: Hal, url: "javascript:alert(1)"}]
        ---
        Body.
        """,
}


def test_a_hugo_tree_builds_with_folder_dates_and_author_mappings(tmp_path):
    root = make_hub(tmp_path / "hub", HUGO, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    spring = page(root, "posts/spring")
    assert '<time datetime="2019-05-12T00:00:00+00:00">' in spring
    assert '<span class="p-author"><a href="https://dee.example">Dee</a></span>' in spring
    assert feed_authors(root, "Spring") == ["<name>Dee</name><uri>https://dee.example</uri>"]
    # a bundle's slug is another point of the issue: find its page by its title
    bundles = [p for p in (root / "dist/hub/posts").glob("*/index.html")
               if "<title>A bundle" in p.read_text(encoding="utf-8")]
    assert len(bundles) == 1
    text = bundles[0].read_text(encoding="utf-8")
    assert '<time datetime="2019-05-13T00:00:00+00:00">' in text
    assert ('<span class="p-author"><a href="https://eve.example">Eve</a></span>, '
            '<span class="p-author"><a href="mailto:fay@example.org">Fay</a></span>') in text
    # the file name's date beats the folders'; Gus once; an unsafe link emptied
    named = page(root, "posts/named")
    assert '<time datetime="2019-05-14T00:00:00+00:00">' in named
    assert ('<span class="p-author">Gus</span>, <span class="p-author"><a href="">Hal</a></span>'
            in named)
    assert "javascript" not in named


# -------------------------------------------------------------------- authors in every shape

AUTHOR_SHAPES = [
    ('author: Ann', "Ann", ["<name>Ann</name>"]),
    ('author: "[Ann](https://ann.example)"', '<a href="https://ann.example">Ann</a>',
     ["<name>Ann</name><uri>https://ann.example</uri>"]),
    ('author: "*Ann* & Bob"', "<em>Ann</em> &amp; Bob", ["<name>Ann &amp; Bob</name>"]),
    ('author: "<script>x()</script>Ann"', "x()Ann", ["<name>x()Ann</name>"]),
    ('author: "Ann <b>Lee</b>"', "Ann <!-- raw HTML omitted -->Lee<!-- raw HTML omitted -->",
     ["<name>Ann Lee</name>"]),
    ('author: "[Ann](javascript:alert(1))"', '<a href="">Ann</a>', ["<name>Ann</name>"]),
    ('author: "# Ann"', "# Ann", ["<name># Ann</name>"]),
    ('author: {name: Ann, url: "/about/"}', '<a href="/about/">Ann</a>', ["<name>Ann</name>"]),
    ('author: {name: "[Ann](x)", website: "https://a.example"}',
     '<a href="https://a.example">[Ann](x)</a>',
     ["<name>[Ann](x)</name><uri>https://a.example</uri>"]),
    ('authors: Ann', "Ann", ["<name>Ann</name>"]),
    ('authors: [Ann, Bob]', 'Ann</span>, <span class="p-author">Bob',
     ["<name>Ann</name>", "<name>Bob</name>"]),
    ('author: Ann\nauthors: ["[Ann](https://ann.example)", Bob]',
     '<a href="https://ann.example">Ann</a></span>, <span class="p-author">Bob',
     ["<name>Ann</name><uri>https://ann.example</uri>", "<name>Bob</name>"]),
]


def test_every_author_shape_in_the_byline_and_the_feed(tmp_path):
    files = {f"content/posts/2026-01-{n + 1:02d}-p{n}.md": f"---\ntitle: P{n}\n{line}\n---\nBody.\n"
             for n, (line, _, _) in enumerate(AUTHOR_SHAPES)}
    root = make_hub(tmp_path / "hub", files, TOML)
    result, lines = build(root)
    assert result.exit_code == 0, result.output
    assert not [line for line in lines if "did you mean" in line], result.output
    for n, (line, shown, in_feed) in enumerate(AUTHOR_SHAPES):
        html = page(root, f"posts/p{n}")
        assert f'<span class="p-author">{shown}</span>' in byline(html), (line, byline(html))
        assert feed_authors(root, f"P{n}") == in_feed, line


def test_a_hub_under_a_sub_path_puts_a_site_root_author_link_under_it(tmp_path):
    toml = TOML.replace("https://example.org/", "https://example.org/hub/")
    root = make_hub(tmp_path / "hub", {
        "content/posts/2026-01-01-a.md": "---\ntitle: A\nauthor: \"[Ann](/people/ann/)\"\n---\nB.\n"},
        toml)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert '<a href="/hub/people/ann/">Ann</a>' in page(root, "posts/a")


def test_an_author_of_no_known_shape_is_an_error_at_its_line(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2026-01-01-a.md": "---\ntitle: A\nauthors: [Ann, {url: x}]\n---\nBody.\n",
        "content/posts/2026-01-02-b.md": "---\ntitle: B\nauthor: [[Ann]]\n---\nBody.\n",
        "content/posts/2026-01-03-c.md": "---\ntitle: C\nauthor: yes\n---\nBody.\n"}, TOML)
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error:" in line]
    assert errors == [
        "content/posts/2026-01-01-a.md:3:16: error: [front-matter] authors entry 2 must be a name, "
        "a Markdown link or a mapping with a 'name', not a mapping without 'name'",
        "content/posts/2026-01-02-b.md:3:10: error: [front-matter] author entry 1 must be a name, "
        "a Markdown link or a mapping with a 'name', not a list",
        "content/posts/2026-01-03-c.md:3:9: error: [front-matter] author must be a name or a "
        "list of names (plain, Markdown links or mappings with a 'name'), not true (YAML reads "
        "yes/no/true/false as a yes-or-no; quote it)"]


def test_the_report_counts_each_author_of_a_post(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2026-11-02-a.md": "---\ntitle: A\nauthors: [Ann, \"[Bob](https://b.example)\"]\n"
                                         "---\nBody.\n",
        "content/posts/2026-11-03-b.md": "---\ntitle: B\nauthor: Ann\n---\nBody.\n"}, TOML)
    result = run(root, "report", "--now", NOW, "--from", "2026-11-01", "--to", "2026-11-30",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {a["author"]: a["published"] for a in data["authors"]} == {"Ann": 2, "Bob": 1}


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(st.text(max_size=20), max_size=4),
                 st.dictionaries(st.sampled_from(["name", "url", "email", "link"]),
                                 st.text(max_size=20), max_size=3)))
def test_any_author_value_is_safe_html_or_named_as_wrong(value):
    for key in ("author", "authors"):
        authors, bad = read_authors({key: value}, "/")
        assert all(where[0] == key for where in bad)
        for author in authors:
            assert "<script" not in author.html.lower()
            assert not re.search(r'href="\s*javascript:', author.html, re.I)
            assert author.name and "\n" not in author.name
        assert len({a.name.casefold() for a in authors}) == len(authors)


# -------------------------------------------------------------------- dates by each source

def test_dates_by_each_source_and_their_order(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2020/01/02/2020-01-03-both.md":
            "---\ntitle: Both\npath: 2020/01/01/both\n---\nBody.\n",         # path first
        "content/posts/2020/02/02/2020-02-03-name.md": "---\ntitle: Name\n---\nBody.\n",   # name next
        "content/posts/2020/03/02/folder.md": "---\ntitle: Folder\n---\nBody.\n",   # then folders
        "content/posts/2020-04-01-outer/2020-04-02-inner/deep.md": "---\ntitle: Deep\n---\nBody.\n",
        "content/posts/2020-05-05/x.md": "---\ntitle: Day folder\n---\nBody.\n",
    }, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    for url, day in [("2020/01/01/both", "2020-01-01"), ("posts/name", "2020-02-03"),
                     ("posts/folder", "2020-03-02"), ("posts/deep", "2020-04-02"),
                     ("posts/x", "2020-05-05")]:
        assert f'<time datetime="{day}T00:00:00+00:00">' in page(root, url), url


def test_a_post_dated_by_no_source_keeps_the_missing_date_error(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2020/03/nodate.md": "---\ntitle: No date\npath: blog/no-date\n---\nBody.\n"},
        TOML)
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 1
    assert ("content/posts/2020/03/nodate.md:2:8: error: [front-matter] missing required key "
            "'date' (or a YYYY-MM-DD- file-name prefix)") in result.output


def test_a_bad_date_in_path_or_folder_is_an_error_naming_it(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/a.md": "---\ntitle: A\npath: 2019/13/01/a\n---\nBody.\n",
        "content/posts/2019/02/30/b.md": "---\ntitle: B\n---\nBody.\n"}, TOML)
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error:" in line]
    assert errors == [
        "content/posts/2019/02/30/b.md:1:1: error: [front-matter] bad date '2019-02-30' in the "
        "folder name: February 2019 has no day 30",
        "content/posts/a.md:3:7: error: [front-matter] bad date '2019-13-01' in path: there is no "
        "month 13"]


# -------------------------------------------------------------------- a multilingual tree

MULTILINGUAL = {
    "content/posts/2026-01-01-en-one.md": "---\ntitle: En one\n---\nBody.\n",
    "content/posts/zh/2026-01-02-zh-one.md": "---\ntitle: 中文一\n---\n正文。\n",
    "content/posts/2026-01-03-en-two.md": "---\ntitle: En two\n---\nBody.\n",
    "content/posts/zh/2026-01-04-zh-two.md": "---\ntitle: 中文二\n---\n正文。\n",
    "content/posts/fr/2026-01-05-fr-one.md": "---\ntitle: Français\n---\nCorps.\n",
    "content/posts/pt-BR/2026-01-06-pt.md": "---\ntitle: Português\n---\nCorpo.\n",
    "content/posts/zh/2026-01-07-en-in-zh.md": "---\ntitle: English in zh\nlang: en\n---\nBody.\n",
    "content/posts/go/2026-01-08-go.md": "---\ntitle: Go news\n---\nBody.\n",
    "content/posts/zh/sub/2026-01-09-zh-three.md": "---\ntitle: 中文三\n---\n正文。\n",
}


def lang_of(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def neighbours(html: str) -> tuple[str | None, str | None]:
    older = re.search(r'class="older" rel="prev" href="([^"]+)"', html)
    newer = re.search(r'class="newer" rel="next" href="([^"]+)"', html)
    return (older.group(1) if older else None, newer.group(1) if newer else None)


def test_lang_comes_from_a_language_folder_and_prev_next_stay_in_it(tmp_path):
    root = make_hub(tmp_path / "hub", MULTILINGUAL, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    langs = {slug: lang_of(page(root, f"posts/{slug}")) for slug in
             ("en-one", "zh-one", "en-two", "zh-two", "fr-one", "pt", "en-in-zh", "go", "zh-three")}
    assert langs == {"en-one": "en", "zh-one": "zh", "en-two": "en", "zh-two": "zh", "fr-one": "fr",
                     "pt": "pt-BR", "en-in-zh": "en", "go": "en", "zh-three": "zh"}
    # previous = older, next = newer, each within the post's language
    assert neighbours(page(root, "posts/zh-two")) == ("/posts/zh-one/", "/posts/zh-three/")
    assert neighbours(page(root, "posts/zh-one")) == (None, "/posts/zh-two/")
    assert neighbours(page(root, "posts/en-two")) == ("/posts/en-one/", "/posts/en-in-zh/")
    assert neighbours(page(root, "posts/en-in-zh")) == ("/posts/en-two/", "/posts/go/")
    assert neighbours(page(root, "posts/fr-one")) == (None, None)
    assert neighbours(page(root, "posts/pt")) == (None, None)
    assert "中文" in (root / "dist/hub/index.html").read_text(encoding="utf-8")  # one archive still


def test_site_languages_limits_which_folders_are_languages(tmp_path):
    files = {"content/posts/ml/2026-01-01-models.md": "---\ntitle: Models\n---\nBody.\n",
             "content/posts/zh/2026-01-02-zh.md": "---\ntitle: 中文\n---\n正文。\n"}
    root = make_hub(tmp_path / "hub", files, TOML)
    assert build(root)[0].exit_code == 0
    assert lang_of(page(root, "posts/models")) == "ml"        # Malayalam: Babel knows it
    root = make_hub(tmp_path / "hub2", files, TOML + 'languages = ["en", "zh"]\n')
    assert build(root)[0].exit_code == 0
    assert lang_of(page(root, "posts/models")) == "en"
    assert lang_of(page(root, "posts/zh")) == "zh"


def test_a_bad_languages_setting_is_bad_usage(tmp_path):
    root = make_hub(tmp_path / "hub", {}, TOML + 'languages = ["en", "klingon"]\n')
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 2
    assert "hearth.toml:5: unknown language 'klingon' in languages; use codes like en, zh, pt-BR" \
        in result.output
    root = make_hub(tmp_path / "hub2", {}, TOML + 'languages = "en"\n')
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 2
    assert "hearth.toml:5: 'languages' must be a list of strings, like languages = [\"en\", \"zh\"]" \
        in result.output


# -------------------------------------------------------------------- Jekyll's _drafts

DRAFTS_SOURCE = {
    "_config.yml": "title: Old blog\npermalink: /:year/:month/:day/:title.html\n",
    "_posts/2020-01-01-post.md": "---\ntitle: Post\n---\nPublished.\n",
    "_drafts/next-idea.md": "---\nlayout: post\n---\nSee [the post]({% post_url 2020-01-01-post %}).\n",
    "_drafts/2026-12-01-dated.md": "---\ntitle: Dated\n---\nDated draft.\n",
    "_drafts/held.md": "---\ntitle: Held\ndate: 2026-02-01\npublished: false\n---\nHeld.\n",
    "_drafts/bare.markdown": "No front matter at all.\n",
    "fr/_drafts/brouillon.md": "---\ntitle: Brouillon\n---\nTexte.\n",
    "_drafts/notes.txt": "scratch\n",
}


def test_jekyll_drafts_are_imported_as_drafts(tmp_path):
    src = write_files(tmp_path / "old", DRAFTS_SOURCE)
    changed = datetime(2024, 3, 5, 10, 0, tzinfo=timezone.utc).timestamp()
    for path in (src / "_drafts").iterdir():
        os.utime(path, (changed, changed))
    os.utime(src / "fr/_drafts/brouillon.md", (changed, changed))
    hub = tmp_path / "hub"
    assert run(tmp_path, "init", str(hub), "--empty").exit_code == 0
    result = run(hub, "import", "jekyll", str(src))
    assert result.exit_code == 0, result.output
    note = ("warning: [import] dated 2024-03-05, the day the file last changed (as jekyll "
            "--drafts dates a draft): set its day before it is published")
    assert f"content/posts/next-idea.md:1:1: {note}" in result.output
    assert f"content/posts/bare.markdown:1:1: {note}" in result.output
    assert "_drafts/notes.txt:1:1: warning: [import] not a post Hearth reads: not copied" \
        in result.output
    posts = hub / "content/posts"
    assert (posts / "next-idea.md").read_text(encoding="utf-8") == (
        '---\nstatus: draft\ntitle: "Next idea"\ndate: 2024-03-05\nlayout: post\n---\n'
        "See [the post](/2020/01/01/post.html).\n")
    assert (posts / "2026-12-01-dated.md").read_text(encoding="utf-8") == \
        "---\nstatus: draft\ntitle: Dated\n---\nDated draft.\n"
    assert (posts / "held.md").read_text(encoding="utf-8") == DRAFTS_SOURCE["_drafts/held.md"]
    assert (posts / "bare.markdown").read_text(encoding="utf-8") == (
        '---\nstatus: draft\ntitle: "Bare"\ndate: 2024-03-05\n---\nNo front matter at all.\n')
    assert (posts / "fr/brouillon.md").is_file()

    built, _ = build(hub)
    assert built.exit_code == 0, built.output
    assert "post.html" in {p.name for p in (hub / "dist/hub/2020/01/01").iterdir()}
    for draft in ("next-idea", "dated", "held", "bare", "brouillon"):
        assert not list((hub / "dist/hub").rglob(f"{draft}*")), draft
    review = (hub / "dist/review/report/index.html").read_text(encoding="utf-8")
    assert "Next idea" in review and "Brouillon" in review


# -------------------------------------------------------------------- lists in block quotes

def test_two_space_lists_nest_inside_block_quotes(tmp_path):
    body = ("> - a\n>   - b\n>     - c\n> - d\n\nText.\n\n"
            "> > 1. one\n> >    1. one-one\n\nText.\n\n"
            "> quote with a hard  \n> break\n\n"
            "```\n> - not\n>   - a list\n```\n")
    root = make_hub(tmp_path / "hub", {"content/posts/2026-01-01-q.md":
                                       f"---\ntitle: Q\n---\n{body}"}, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    html = page(root, "posts/q")
    compact = re.sub(r"\s+", "", html)
    assert "<blockquote><ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul></blockquote>" \
        in compact
    assert "<blockquote><blockquote><ol><li>one<ol><li>one-one</li></ol></li></ol></blockquote>" \
           "</blockquote>" in compact
    assert "hard<br>" in compact or "hard<br/>" in compact
    assert "&gt;   - a list" in html


# -------------------------------------------------------------------- the style guide

def test_a_rule_requiring_author_is_met_by_authors_and_fix_reads_the_language_folder(tmp_path):
    rules = """
        - id: byline
          extends: frontmatter
          level: error
          required: [author]
        - id: english-only
          extends: substitution
          message: 'Say "%s", not "%s".'
          lang: [en]
          swap:
            utilize: use
        """
    root = make_hub(tmp_path / "hub", {
        "guidelines/rules.yml": rules,
        "content/posts/2026-01-01-a.md": "---\ntitle: A\nauthors: [Ann]\n---\nWe utilize it.\n",
        "content/posts/zh/2026-01-02-b.md": "---\ntitle: B\nauthors: [Li]\n---\nutilize 是英文。\n",
        "content/posts/2026-01-03-c.md": "---\ntitle: C\n---\nNo byline.\n"}, TOML)
    result = run(root, "check", "--now", NOW)
    problems = [line for line in result.output.splitlines() if "[byline]" in line or
                "[english-only]" in line]
    assert problems == [
        "content/posts/2026-01-01-a.md:5:4: warning: [english-only] Say \"use\", not \"utilize\".",
        "content/posts/2026-01-03-c.md:1:1: error: [byline] Add 'author' to the front matter."], \
        result.output
    fixed = run(root, "fix", "--write")
    assert fixed.exit_code == 0, fixed.output
    assert "We use it." in (root / "content/posts/2026-01-01-a.md").read_text(encoding="utf-8")
    assert "utilize 是英文" in (root / "content/posts/zh/2026-01-02-b.md").read_text(encoding="utf-8")
