"""A Jekyll or Hugo blog copied into content/posts builds without losing a
post, a link or its formatting (issue 13, points 1, 2, 4, 5 and the build's
warning for template code left as text)."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import NOW, make_hub, run

from hearth.cli import cli

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
        "files in content/media, or beside the post in its own folder as index.md (a page "
        "bundle)"]


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


# -- point 4: every old URL still works

JEKYLL_TOML = TOML + 'permalink = "{year}/{month}/{day}/{slug}.html"\n'


def test_slugs_from_file_names_keep_case_and_dots_and_unicode_is_transliterated(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2011-05-04-Railscamp-Koeln.md": "---\ntitle: R\n---\nx\n",
        "content/posts/2012-06-01-3.0-released.markdown": "---\ntitle: Three\n---\nx\n",
        "content/posts/2013-01-01-кто-такой.md": "---\ntitle: K\n---\nx\n",
        "content/posts/2013-01-02-Café au lait.md": "---\ntitle: C\n---\nx\n",
    }, JEKYLL_TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    hub = root / "dist/hub"
    for path in ("2011/05/04/Railscamp-Koeln.html", "2012/06/01/3.0-released.html",
                 "2013/01/01/kto-takoi.html", "2013/01/02/cafe-au-lait.html"):
        assert (hub / path).is_file(), path


def test_the_url_date_is_the_date_as_written_not_the_site_zone_s(tmp_path):
    # 23:30 in California is already the 5th in Rome; Jekyll's URL says the 4th
    root = make_hub(tmp_path / "hub", {
        "content/posts/late.md": "---\ntitle: Late\ndate: 2011-05-04 23:30:00 -0700\n---\nx\n",
        "content/posts/later.md": "---\ntitle: Later\ndate: 2011-05-04T23:45:00-07:00\n---\nx\n",
    }, JEKYLL_TOML)
    build(root)
    assert (root / "dist/hub/2011/05/04/late.html").is_file()
    assert (root / "dist/hub/2011/05/04/later.html").is_file()


REDIRECTS = {
    "content/posts/2011-05-04-moved.md":
        "---\ntitle: Moved\nredirect_from:\n  - /blog/moved/\n  - /old/moved\n---\nx\n",
    "content/posts/2012-01-01-hugo.md":
        "---\ntitle: Hugo post\naliases: [/posts/old-hugo, /p/42.html]\n---\nx\n",
    "content/posts/2012-01-02-single.md": "---\ntitle: Single\nredirect_from: /single.html\n---\nx\n",
    "content/pages/about.md": "---\ntitle: About\naliases: /about-us/\n---\nx\n",
}


def test_redirect_pages_for_redirect_from_and_aliases(tmp_path):
    root = make_hub(tmp_path / "hub", REDIRECTS, JEKYLL_TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    hub = root / "dist/hub"
    target = "https://example.org/2011/05/04/moved.html"
    for path in ("blog/moved/index.html", "old/moved.html"):
        html = (hub / path).read_text()
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
        assert f'<link rel="canonical" href="{target}">' in html
        assert f'<a href="{target}">Moved</a>' in html
        assert '<meta name="robots" content="noindex">' in html
    assert (hub / "posts/old-hugo/index.html").is_file(), "Hugo writes an alias as a folder"
    assert "2012/01/01/hugo.html" in (hub / "p/42.html").read_text()
    assert "2012/01/02/single.html" in (hub / "single.html").read_text()
    assert "https://example.org/about/" in (hub / "about-us/index.html").read_text()
    sitemap = (hub / "sitemap.xml").read_text()
    assert "moved.html" in sitemap and "blog/moved" not in sitemap and "old-hugo" not in sitemap


def test_a_draft_gets_no_redirect_page(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2011-05-04-d.md": "---\ntitle: D\nstatus: draft\nredirect_from: /d-old/\n---\nx\n",
    }, JEKYLL_TOML)
    build(root)
    assert not (root / "dist/hub/d-old").exists()


def test_a_redirect_that_would_replace_a_page_or_another_redirect_is_an_error_at_its_line(tmp_path):
    root = make_hub(tmp_path / "hub", {
        **REDIRECTS,
        "content/posts/2013-01-01-clash.md":
            "---\ntitle: Clash\nredirect_from:\n  - /2011/05/04/moved.html\n  - /blog/moved/\n"
            "  - /tags/\n  - https://old.example.org/x\n  - [1]\n---\nx\n",
    }, JEKYLL_TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    path = "content/posts/2013-01-01-clash.md"
    assert [line for line in lines if "[redirect]" in line] == [
        f"{path}:4:5: error: [redirect] the old URL '2011/05/04/moved.html' is where "
        "content/posts/2011-05-04-moved.md lives: a redirect there would replace it",
        f"{path}:5:5: error: [redirect] the old URL 'blog/moved/index.html' is already redirected "
        "by content/posts/2011-05-04-moved.md",
        f"{path}:6:5: error: [redirect] the old URL 'tags/index.html' is where the hub puts its "
        "own pages",
        f"{path}:7:5: error: [redirect] redirect_from 'https://old.example.org/x' is a full URL: "
        "write the path on this site, like /2011/05/04/old-name.html",
        f"{path}:8:5: error: [redirect] redirect_from must be a path or a list of paths, like "
        "/2011/05/04/old-name.html",
    ]


# -- point 5: a migrated archive publishes

RULES = """\
- id: no-utilize
  extends: existence
  message: "Say 'use', not '%s'."
  level: error
  tokens: [utilize]
"""


def archive(toml_extra: str = "") -> dict:
    return {
        "hearth.toml": TOML + toml_extra,
        "guidelines/rules.yml": RULES,
        "content/posts/_posts/2015-03-01-old.markdown": "---\ntitle: Old\n---\nWe utilize seeds.\n",
        "content/posts/2026-01-01-new.md": "---\ntitle: New\n---\nWe utilize seeds.\n",
        "content/pages/about.md": "---\ntitle: About\n---\nWe utilize it.\n",
    }


def test_lint_since_leaves_older_posts_alone_but_lints_newer_posts_and_pages(tmp_path):
    files = archive("\n[lint]\nsince = 2026-01-01\n")
    root = make_hub(tmp_path / "hub", files, files["hearth.toml"])
    result = run(root, "check")
    assert result.exit_code == 1
    found = [line for line in result.output.splitlines() if "[no-utilize]" in line]
    assert [line.split(":")[0] for line in found] == ["content/pages/about.md",
                                                      "content/posts/2026-01-01-new.md"]


def test_without_since_every_post_is_linted(tmp_path):
    files = archive()
    root = make_hub(tmp_path / "hub", files, files["hearth.toml"])
    found = [line for line in run(root, "check").output.splitlines() if "[no-utilize]" in line]
    assert len(found) == 3


def test_lint_since_must_be_a_day(tmp_path):
    root = make_hub(tmp_path / "hub", {}, TOML + '\n[lint]\nsince = "last year"\n')
    result = run(root, "check")
    assert result.exit_code == 2
    assert "hearth.toml:7: 'since' must be a day, like since = 2026-01-01" in result.output


def test_init_empty_makes_a_hub_without_the_demo_content(tmp_path):
    target = tmp_path / "old-blog"
    result = CliRunner().invoke(cli, ["init", "--empty", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "hearth.toml").is_file()
    assert (target / "calendar/channels.yml").is_file()
    assert (target / "guidelines/rules.yml").is_file()
    assert (target / ".github/workflows/hearth.yml").is_file()
    for folder in ("content/posts", "content/media", "calendar/events"):
        assert [p.name for p in (target / folder).iterdir()] == [".gitkeep"], folder
    # the one page kept: the moderation policy links to it
    assert sorted(p.name for p in (target / "content/pages").iterdir()) == [
        ".gitkeep", "code-of-conduct.md"]
    assert 'title = "Old Blog"' in (target / "hearth.toml").read_text()
    built = run(target, "build", "--now", NOW)
    assert built.exit_code == 0, built.output
    assert "no problems" in built.output
    assert (target / "dist/hub/code-of-conduct/index.html").is_file()


# -- point 2: Markdown as the source wrote it

KRAMDOWN = """\
---
title: Written for kramdown
---
Lead paragraph.
{: .lead #top}

- two-space lists
  - nest
    - and nest again
- as kramdown and GitHub read them

And:

* four-space lists
    * still nest

1. Install:

   ~~~sh
   gem install jekyll
   ~~~

2. Run:

   ```
   jekyll serve
   ```

~~~ruby
puts "tilde fence"
~~~

Note this.
{: .note}

## Set up {#setup}

## Getting started

    an indented code block
"""


def test_nested_lists_fences_and_attribute_lists_as_kramdown_reads_them(tmp_path):
    root = make_hub(tmp_path / "hub", {"content/posts/2015-01-01-k.markdown": KRAMDOWN}, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    html = page(root, "posts/k")
    assert '<p class="lead" id="top">Lead paragraph.</p>' in html
    assert "<li>two-space lists<ul>\n<li>nest<ul>\n<li>and nest again</li>" in html
    assert "<li>four-space lists<ul>\n<li>still nest</li>" in html
    install = html[html.index("Install:"):html.index("Run:")]
    assert "gem" in install and "<code>" in install and "~~~" not in install
    run_step = html[html.index("Run:"):html.index("tilde fence")]
    assert "jekyll serve" in run_step and "```" not in run_step and "</li>" in run_step
    assert "~~~" not in html and "tilde fence" in html
    assert '<p class="note">Note this.</p>' in html
    assert '<h2 id="setup">Set up' in html
    assert '<h2 id="getting-started">Getting started' in html
    assert "<code>an indented code block\n</code>" in html


def test_a_list_after_a_paragraph_line_is_not_reindented():
    from hearth.list_indent import reindent
    lines = ["Some text", "- not a list here", "    kept as written"]
    assert reindent(lines) == lines
    assert reindent(["- a", "  - b", "", "  more of a"]) == ["- a", "    - b", "", "    more of a"]


# -- without `hearth import`: template code left as text is named, once a post

def test_liquid_and_shortcodes_left_as_text_are_warned_once_a_post(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/_posts/2012-01-01-liquid.markdown":
            "---\ntitle: Liquid\n---\nIntro.\n\nSee [the last one]({% post_url 2011-05-04-x %}) "
            "and {% link about.md %}.\n\n![x]({{ site.baseurl }}/img.png)\n",
        "content/posts/_posts/2012-01-02-var.md":
            "---\ntitle: Var\n---\n```\n{% raw %}quoted in code{% endraw %}\n```\n\n"
            "Code `{{ page.title }}` is fine; ![x]({{ site.baseurl }}/img.png) is not.\n",
        "content/posts/hugo/figure.md":
            "---\ntitle: Figure\ndate: 2020-01-01\n---\nA\n\n  {{< figure src=\"/a.png\" >}}\n"
            "{{% note %}}x{{% /note %}}\n",
        "content/posts/hugo/note.md":
            "---\ntitle: Note\ndate: 2020-01-02\n---\n{{% note %}}\nx\n{{% /note %}}\n",
        "content/posts/clean.md": "---\ntitle: Clean\ndate: 2020-01-03\n---\nA {curly} brace.\n",
    }, TOML)
    result, lines = build(root)
    assert result.exit_code == 0
    assert [line for line in lines if "[migration]" in line] == [
        "content/posts/_posts/2012-01-01-liquid.markdown:6:20: warning: [migration] Liquid tag "
        "left as text: {% post_url … %}; 'hearth import jekyll' translates it",
        "content/posts/_posts/2012-01-02-var.md:8:39: warning: [migration] Liquid variable left "
        "as text: {{ site.baseurl }}; 'hearth import jekyll' translates it",
        "content/posts/hugo/figure.md:7:3: warning: [migration] Hugo shortcode left as text: "
        "{{< figure … >}}; 'hearth import hugo' translates it",
        "content/posts/hugo/note.md:5:1: warning: [migration] Hugo shortcode left as text: "
        "{{% note %}}; 'hearth import hugo' translates it",
    ]
