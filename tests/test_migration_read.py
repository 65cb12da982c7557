"""A Jekyll or Hugo blog copied into content/posts builds without losing a
post, a link or its formatting (issue 13, points 1, 2, 4, 5 and the build's
warning for template code left as text)."""

from __future__ import annotations

from conftest import NOW, make_hub, run

TOML = """\
[site]
title = "Migrated"
base_url = "https://example.org/"
timezone = "Europe/Rome"
"""

# a Jekyll tree as it is: _posts with kramdown's many suffixes, a language's
# own _posts sub-folder, an .html post, a static file next to the posts
JEKYLL = {
    "content/posts/_posts/2011-05-04-Railscamp-Koeln.markdown":
        "---\nlayout: post\ntitle: Railscamp Köln\n---\nWe met in *Köln*.\n",
    "content/posts/_posts/2012-01-02-old.mdown": "---\ntitle: Old\n---\nOld *post*.\n",
    "content/posts/_posts/2012-01-03-older.mkd": "---\ntitle: Older\n---\nOlder.\n",
    "content/posts/_posts/2012-01-04-oldest.mkdn": "---\ntitle: Oldest\n---\nOldest.\n",
    "content/posts/de/_posts/2013-02-01-hallo.md": "---\ntitle: Hallo\nlang: de\n---\nHallo.\n",
    "content/posts/_posts/2014-03-01-in-html.html":
        "---\ntitle: In HTML\n---\n<p class=\"lead\">Written <em>in HTML</em>, *not* Markdown.</p>\n"
        "<script>alert(1)</script>\n<p><a href=\"/about/\" onclick=\"x()\">about</a></p>\n",
    "content/posts/feed.html": "<html><body>a static page, no front matter</body></html>\n",
    "content/posts/_posts/notes.txt": "scratch\n",
    "content/posts/_posts/cover.jpg": b"\xff\xd8\xff",
}


def build(root, *args):
    result = run(root, "build", "--now", NOW, *args)
    return result, result.output.splitlines()


def page(root, url):
    return (root / "dist/hub" / url / "index.html").read_text(encoding="utf-8")


# -- point 1: every file is accounted for

def test_every_markdown_suffix_and_sub_folder_is_read(tmp_path):
    root = make_hub(tmp_path / "hub", JEKYLL, TOML)
    result, lines = build(root)
    assert result.exit_code == 0, result.output
    for slug in ("Railscamp-Koeln", "old", "older", "oldest", "hallo", "in-html"):
        assert (root / f"dist/hub/posts/{slug}/index.html").is_file(), slug
    assert "<em>Köln</em>" in page(root, "posts/Railscamp-Koeln")


def test_files_not_read_are_named_in_one_warning(tmp_path):
    root = make_hub(tmp_path / "hub", JEKYLL, TOML)
    result, lines = build(root)
    unread = [line for line in lines if "[unread-file]" in line]
    assert unread == [
        "content/posts/_posts/cover.jpg:1:1: warning: [unread-file] 3 files in content/posts not "
        "read (content/posts/_posts/cover.jpg and 2 more): a post is a Markdown file (.md, "
        ".markdown, .mdown, .mkd, .mkdn) or an .html file with front matter; put images and "
        "files in content/media"]


def test_an_html_post_is_passed_through_without_what_runs_code(tmp_path):
    root = make_hub(tmp_path / "hub", JEKYLL, TOML)
    build(root)
    html = page(root, "posts/in-html")
    assert '<p class="lead">Written <em>in HTML</em>, *not* Markdown.</p>' in html
    assert "alert(1)" not in html and "onclick" not in html
    assert '<a href="/about/">about</a>' in html


def test_an_html_post_is_kept_whole_when_the_hub_trusts_raw_html(tmp_path):
    root = make_hub(tmp_path / "hub", JEKYLL, TOML + "[build]\nunsafe_html = true\n")
    build(root)
    assert "<script>alert(1)</script>" in page(root, "posts/in-html")
