"""Sections of a Hugo or Zola blog moved in: a sub-folder of content/posts
with an `_index.md` or its own `[permalinks]` entry gets a list page at its
URL (`/inside-rust/`), paginated like the home, with its own Atom feed and a
place in the sitemap (issue 17, the section list pages)."""

from __future__ import annotations

import re

from conftest import NOW, make_hub, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TOML = """\
[site]
title = "Rust Blog"
base_url = "https://blog.example.org/"
timezone = "UTC"
permalink = "{year}/{month}/{day}/{slug}/"
per_page = 2

[permalinks]
inside-rust = "/inside-rust/{year}/{month}/{day}/{slug}/"
"""


def post(title: str, date: str, extra: str = "") -> str:
    return f'+++\ntitle = "{title}"\ndate = {date}\n{extra}+++\n{title} text.\n'


# Zola's content/ copied into content/posts: a root _index.md (the home), a
# section with _index.md and its own permalink, a nested section, a section
# without _index.md that only [permalinks] names, a folder that is neither,
# a language folder and bundles inside a section
ZOLA = {
    "content/posts/_index.md": '+++\ntitle = "Rust Blog"\nsort_by = "date"\n+++\n',
    "content/posts/2024-01-01-top.md": post("Top", "2024-01-01"),
    "content/posts/inside-rust/_index.md": (
        '+++\ntitle = "Inside Rust"\ndescription = "Updates from the Rust teams"\n'
        'sort_by = "date"\n+++\nWant to follow along with Rust development? Read on.\n'),
    "content/posts/inside-rust/2024-02-01-one.md": post("One", "2024-02-01"),
    "content/posts/inside-rust/2024-03-01-two.md": post("Two", "2024-03-01"),
    "content/posts/inside-rust/2024-04-01-bundle/index.md": post("Bundle", "2024-04-01"),
    "content/posts/inside-rust/2024-04-01-bundle/_index.md": "+++\ntitle = \"Not a section\"\n+++\n",
    "content/posts/inside-rust/2024-04-01-bundle/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    "content/posts/inside-rust/2024-05-01-draft.md": post("Draft", "2024-05-01", "draft = true\n"),
    "content/posts/inside-rust/weekly/_index.md": "---\ntitle: This Week\n---\n",
    "content/posts/inside-rust/weekly/2024-06-01-w1.md": post("Week one", "2024-06-01"),
    "content/posts/releases/2024-07-01-r1.md": post("Release one", "2024-07-01"),
    "content/posts/misc/2024-08-01-m.md": post("Misc", "2024-08-01"),
    "content/posts/zh/_index.md": '+++\ntitle = "中文"\n+++\n',
    "content/posts/zh/2024-09-01-hello.md": post("你好", "2024-09-01"),
}
ZOLA_TOML = TOML + 'releases = "/releases/{slug}/"\n'


def build(root, *args):
    result = run(root, "build", "--now", NOW, *args)
    return result, result.output.splitlines()


def hub_text(root, path: str) -> str:
    return (root / "dist/hub" / path).read_text()


def titles(html: str) -> list[str]:
    return re.findall(r'<h[23][^>]*>\s*<a[^>]*>([^<]+)</a>', html)


def test_a_zola_section_gets_a_list_page_at_its_url_newest_first_paginated(tmp_path):
    root = make_hub(tmp_path / "hub", ZOLA, ZOLA_TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    page = hub_text(root, "inside-rust/index.html")
    assert "<title>Inside Rust · Rust Blog</title>" in page
    assert "Updates from the Rust teams" in page
    assert "<p>Want to follow along with Rust development? Read on.</p>" in page
    # its posts at any depth, newest first, drafts left out; two a page (per_page)
    assert titles(page) == ["Week one", "Bundle"]
    assert 'href="/inside-rust/page/2/"' in page
    second = hub_text(root, "inside-rust/page/2/index.html")
    assert titles(second) == ["Two", "One"]
    assert 'href="/inside-rust/"' in second and "Page 2 of 2" in second
    assert not (root / "dist/hub/inside-rust/page/3").exists()


def test_a_nested_section_and_a_permalinks_section_without_index(tmp_path):
    root = make_hub(tmp_path / "hub", ZOLA, ZOLA_TOML)
    build(root)
    weekly = hub_text(root, "inside-rust/weekly/index.html")
    assert "<h1>This Week</h1>" in weekly and titles(weekly) == ["Week one"]
    # named only by [permalinks]: the folder's name is its title, the pattern's start its URL
    releases = hub_text(root, "releases/index.html")
    assert "<h1>releases</h1>" in releases and titles(releases) == ["Release one"]
    hub = root / "dist/hub"
    # a folder with neither, a language folder and a bundle are no sections
    assert not (hub / "misc").exists()
    assert not (hub / "zh/index.html").exists()
    assert not (hub / "inside-rust/2024/04/01/bundle/feed.xml").exists()


def test_only_the_home_and_bundle_and_language_list_pages_are_warned(tmp_path):
    root = make_hub(tmp_path / "hub", ZOLA, ZOLA_TOML)
    _, lines = build(root)
    warned = [line for line in lines if "list page" in line]
    assert warned == [(
        "content/posts/_index.md:1:1: warning: [unread-file] 3 list pages not read "
        "(content/posts/_index.md and 2 more): only a section's _index.md is read (a sub-folder "
        "of content/posts, not a page bundle or a language folder); Hearth makes the home page "
        "itself: move text to keep into content/pages")]
    assert not any("inside-rust/_index.md" in line for line in lines)


def test_a_section_has_its_own_feed_and_is_in_the_sitemap(tmp_path):
    root = make_hub(tmp_path / "hub", ZOLA, ZOLA_TOML)
    build(root)
    feed = hub_text(root, "inside-rust/feed.xml")
    assert "<title>Rust Blog · Inside Rust</title>" in feed
    assert ('<link rel="self" type="application/atom+xml" '
            'href="https://blog.example.org/inside-rust/feed.xml"/>') in feed
    assert feed.count("</entry>") == 4 and "Release one" not in feed and "Draft" not in feed
    page = hub_text(root, "inside-rust/index.html")
    assert ('<link rel="alternate" type="application/atom+xml" title="Rust Blog · Inside Rust" '
            'href="/inside-rust/feed.xml">') in page
    sitemap = hub_text(root, "sitemap.xml")
    for loc in ("inside-rust/", "inside-rust/page/2/", "inside-rust/weekly/", "releases/"):
        assert f"<loc>https://blog.example.org/{loc}</loc>" in sitemap
    assert "feed.xml</loc>" not in sitemap


def test_a_post_at_a_sections_url_is_an_error_at_the_post(tmp_path):
    files = {**ZOLA, "content/posts/clash.md": '+++\ntitle = "Clash"\npath = "inside-rust"\n+++\nx\n'}
    root = make_hub(tmp_path / "hub", files, ZOLA_TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    assert ("content/posts/clash.md:3:1: error: [duplicate-slug] the URL 'inside-rust/' is where "
            "the list of the section content/posts/inside-rust is written; give this file another "
            "path") in lines
    assert not (root / "dist/hub").exists()


def test_a_section_where_the_hub_puts_its_own_pages_is_an_error_at_its_index(tmp_path):
    files = {"content/posts/tags/_index.md": '+++\ntitle = "Tags"\n+++\n',
             "content/posts/tags/2024-01-01-a.md": post("A", "2024-01-01")}
    root = make_hub(tmp_path / "hub", files, TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    assert ("content/posts/tags/_index.md:1:1: error: [duplicate-slug] the section "
            "content/posts/tags would list its posts at 'tags/', which is where the hub puts its "
            "own 'tags/': rename its folder or give it a [permalinks] entry of its own") in lines


def test_a_static_file_where_a_section_writes_is_an_error_at_the_file(tmp_path):
    files = {**ZOLA, "static/inside-rust/feed.xml": "<feed/>\n"}
    root = make_hub(tmp_path / "hub", files, ZOLA_TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    assert ("static/inside-rust/feed.xml:1:1: error: [static] this file would be published at "
            "'inside-rust/feed.xml', where the list of the section content/posts/inside-rust is "
            "written: rename or move one of them") in lines


# a Hugo site: YAML _index.md, a section whose posts share no fixed start
HUGO = {
    "content/posts/news/_index.md": "---\ntitle: News\ndescription: What happened\n---\n",
    "content/posts/news/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nA.\n",
    "content/posts/news/b/index.md": "---\ntitle: B\ndate: 2024-01-03\n---\nB.\n",
    "content/posts/c.md": "---\ntitle: C\ndate: 2024-01-04\n---\nC.\n",
}


def test_a_hugo_section_whose_posts_share_no_prefix_lists_at_its_folder(tmp_path):
    toml = TOML.replace('inside-rust = "/inside-rust/{year}/{month}/{day}/{slug}/"',
                        'news = "/{year}/{slug}/"')
    root = make_hub(tmp_path / "hub", HUGO, toml)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    page = hub_text(root, "news/index.html")
    assert "<h1>News</h1>" in page and "What happened" in page
    assert titles(page) == ["B", "A"]
    assert (root / "dist/hub/2024/b/index.html").exists()
    assert "C" not in titles(page)


def test_a_section_of_a_nameless_folder_is_slugified_and_the_build_is_deterministic(tmp_path):
    files = {"content/posts/Inside Rust/_index.md": "---\ntitle: Inside\n---\n",
             "content/posts/Inside Rust/2024-01-01-a.md": post("A", "2024-01-01")}
    root = make_hub(tmp_path / "hub", files, TOML.split("[permalinks]")[0])
    build(root)
    first = hub_text(root, "inside-rust/index.html")
    run(root, "clean")
    build(root)
    assert hub_text(root, "inside-rust/index.html") == first


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(0, 7), per_page=st.integers(1, 3))
def test_every_public_post_of_a_section_is_listed_once_across_its_pages(tmp_path_factory, count,
                                                                         per_page):
    files = {"content/posts/s/_index.md": "---\ntitle: S\n---\n"}
    for i in range(count):
        files[f"content/posts/s/2024-01-{i + 1:02d}-p{i}.md"] = post(f"P{i}", f"2024-01-{i + 1:02d}")
    toml = TOML.split("[permalinks]")[0].replace("per_page = 2", f"per_page = {per_page}")
    root = make_hub(tmp_path_factory.mktemp("hub"), files, toml)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    pages = max(1, -(-count // per_page))
    listed = []
    for n in range(1, pages + 1):
        listed += titles(hub_text(root, "s/index.html" if n == 1 else f"s/page/{n}/index.html"))
    assert listed == [f"P{i}" for i in reversed(range(count))]
    assert not (root / f"dist/hub/s/page/{pages + 1}").exists()


# -- the starter's post-summary rule takes what the loader reads as the summary

def test_the_starters_post_summary_rule_accepts_zolas_description(tmp_path):
    from pathlib import Path
    starter = Path(__file__).resolve().parents[1] / "guidelines/rules.yml"
    files = {"guidelines/rules.yml": starter.read_text(),
             "content/posts/2024-01-01-described.md": (
                 '+++\ntitle = "Described"\ndescription = "A summary by another name."\n+++\nText.\n'),
             "content/posts/2024-01-02-bare.md": '+++\ntitle = "Bare"\n+++\nText.\n'}
    root = make_hub(tmp_path / "hub", files, TOML.split("[permalinks]")[0])
    result = run(root, "check", "--now", NOW)
    summary = [line for line in result.output.splitlines() if "[post-summary]" in line]
    assert [line.split(":")[0] for line in summary] == ["content/posts/2024-01-02-bare.md"]


def test_a_translated_index_is_not_a_post_and_the_section_keeps_its_own(tmp_path):
    files = {**ZOLA, "content/posts/inside-rust/_index.fr.md": '+++\ntitle = "Dans Rust"\n+++\n'}
    root = make_hub(tmp_path / "hub", files, ZOLA_TOML)
    result, lines = build(root)
    assert result.exit_code == 0, result.output
    assert "<h1>Inside Rust</h1>" in hub_text(root, "inside-rust/index.html")
    assert any("4 list pages not read" in line for line in lines)
    assert "Dans Rust" not in hub_text(root, "feed.xml")


def test_editing_index_md_changes_the_section_page_on_the_next_build(tmp_path):
    root = make_hub(tmp_path / "hub", ZOLA, ZOLA_TOML)
    build(root)
    (root / "content/posts/inside-rust/_index.md").write_text('+++\ntitle = "Inside Rust!"\n+++\n')
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    page = hub_text(root, "inside-rust/index.html")
    assert "<h1>Inside Rust!</h1>" in page and "Read on." not in page
