"""A Hugo or Zola blog moved in as it is: page bundles (a folder with
`index.md` and its files), sections with their own permalinks, a post's own
`url:`/`permalink:`, and the site's `static/` folder (issue 17, points 1, 2, 4)."""

from __future__ import annotations

import os

from conftest import NOW, make_hub, run
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.assemble.redirects import page_file
from hearth.assemble.urls import own_url
from hearth.model import Post
from hearth.source import SourceDoc
from hearth.write import plain_relpath

TOML = """\
[site]
title = "Moved in"
base_url = "https://example.org/"
timezone = "Europe/Rome"
permalink = "{year}/{month}/{day}/{slug}/"
"""

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16

# a Hugo blog's content/posts, bundles and plain posts side by side
HUGO = {
    "content/posts/_index.md": "---\ntitle: Posts\n---\nAll our posts.\n",
    "content/posts/2020-05-01-first.md": "---\ntitle: First\n---\nA plain post.\n",
    "content/posts/bike-trip/index.md": """\
        ---
        title: Bike trip
        date: 2021-06-12T09:00:00+02:00
        tags: [travel]
        ---
        ![The pass at dawn](pass.jpg)

        The [route as a PDF](./files/route.pdf), the [first post](../first/)
        and a [page elsewhere](https://example.com/x).

        ```html
        <img src="pass.jpg">
        ```
        """,
    "content/posts/bike-trip/pass.jpg": PNG,
    "content/posts/bike-trip/files/route.pdf": b"%PDF-1.4\n",
    "content/posts/bike-trip/.DS_Store": b"\0",
    "content/posts/bike-trip/notes.md": "scratch notes, not a post\n",
    "content/posts/2021-09-01-garden-day/index.markdown": """\
        ---
        title: Garden day
        ---
        <figure>![Beds](beds.png)</figure>
        """,
    "content/posts/2021-09-01-garden-day/beds.png": PNG,
    "content/posts/secret-plan/index.md": """\
        ---
        title: Secret plan
        date: 2021-07-01
        draft: true
        ---
        ![map](map.png)
        """,
    "content/posts/secret-plan/map.png": PNG,
}

# a Zola blog: TOML front matter, assets beside index.md, a section folder
ZOLA = {
    "content/posts/_index.md": "+++\ntitle = \"Blog\"\nsort_by = \"date\"\n+++\n",
    "content/posts/hello-zola/index.md": """\
        +++
        title = "Hello Zola"
        date = 2022-03-04
        [taxonomies]
        tags = ["zola"]
        +++
        ![Ferris](ferris.svg) and [the data](data/table.csv).
        """,
    "content/posts/hello-zola/ferris.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    "content/posts/hello-zola/data/table.csv": "a,b\n1,2\n",
    "content/posts/inside-rust/_index.md": "+++\ntitle = \"Inside Rust\"\n+++\n",
    "content/posts/inside-rust/2022-05-06-compiler-team/index.md": """\
        +++
        title = "Compiler team"
        +++
        ![The team](team.png)
        """,
    "content/posts/inside-rust/2022-05-06-compiler-team/team.png": PNG,
    "content/posts/inside-rust/2022-06-07-plain.md": "+++\ntitle = \"Plain\"\n+++\nPlain.\n",
}


def build(root, *args):
    result = run(root, "build", "--now", NOW, *args)
    return result, result.output.splitlines()


def hub_file(root, path):
    return root / "dist/hub" / path


def published(root) -> set[str]:
    hub = root / "dist/hub"
    return {p.relative_to(hub).as_posix() for p in hub.rglob("*") if p.is_file()
            and not p.relative_to(hub).as_posix().startswith(("assets/", "tags/"))}


# -- point 1: page bundles

def test_a_hugo_bundle_is_one_post_named_after_its_folder_with_its_files_beside_it(tmp_path):
    root = make_hub(tmp_path / "hub", HUGO, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    files = published(root)
    assert {"2021/06/12/bike-trip/index.html", "2021/06/12/bike-trip/pass.jpg",
            "2021/06/12/bike-trip/files/route.pdf",
            "2021/09/01/garden-day/index.html", "2021/09/01/garden-day/beds.png",
            "2020/05/01/first/index.html"} <= files
    assert not any("index/" in f or "DS_Store" in f or f.endswith("notes.md") for f in files), files
    assert hub_file(root, "2021/06/12/bike-trip/pass.jpg").read_bytes() == PNG
    page = hub_file(root, "2021/06/12/bike-trip/index.html").read_text()
    assert 'src="/2021/06/12/bike-trip/pass.jpg"' in page
    assert 'href="/2021/06/12/bike-trip/files/route.pdf"' in page
    assert 'href="/2021/06/12/first/"' in page         # ../first/ resolved as a browser would
    assert 'href="https://example.com/x"' in page
    assert '&quot;pass.jpg&quot;' in page               # code is text, not a link


def test_the_feed_shows_a_bundles_images_at_their_published_path(tmp_path):
    root = make_hub(tmp_path / "hub", HUGO, TOML)
    build(root)
    feed = hub_file(root, "feed.xml").read_text()
    assert "src=&#34;/2021/06/12/bike-trip/pass.jpg&#34;" in feed or \
        'src="/2021/06/12/bike-trip/pass.jpg"' in feed.replace("&quot;", '"')
    assert 'src="pass.jpg"' not in feed and "src=&#34;pass.jpg" not in feed


def test_a_draft_bundles_files_are_not_published_until_it_is(tmp_path):
    root = make_hub(tmp_path / "hub", HUGO, TOML)
    build(root)
    assert not any("secret-plan" in f or f.endswith("map.png") for f in published(root))
    post = root / "content/posts/secret-plan/index.md"
    post.write_text(post.read_text().replace("draft: true\n", ""))
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert hub_file(root, "2021/07/01/secret-plan/map.png").read_bytes() == PNG


def test_a_future_bundles_files_wait_for_its_date(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/soon/index.md": "---\ntitle: Soon\ndate: 2027-01-01\n---\n![x](x.png)\n",
        "content/posts/soon/x.png": PNG}, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert not any("soon" in f for f in published(root))


def test_list_pages_and_markdown_inside_a_bundle_are_not_posts_and_are_named(tmp_path):
    root = make_hub(tmp_path / "hub", HUGO, TOML)
    _, lines = build(root)
    assert ("content/posts/_index.md:1:1: warning: [unread-file] 1 list page not read "
            "(content/posts/_index.md): only a section's _index.md is read (a sub-folder of "
            "content/posts, not a page bundle or a language folder); Hearth makes the home page "
            "itself: move text to keep into content/pages") in lines
    assert [line for line in lines if "[unread-file]" in line and "list page" not in line] == [
        "content/posts/bike-trip/notes.md:1:1: warning: [unread-file] 1 Markdown file not read "
        "(content/posts/bike-trip/notes.md): inside a page bundle only index.md is a post, and its "
        "other Markdown files are not published; move one out of the folder to make it a post"]
    assert not any("_index" in f or f.startswith("posts/") for f in published(root))


def test_two_bundles_of_one_name_in_two_years_live_apart_when_the_permalink_says_so(tmp_path):
    files = {"content/posts/2019/hello/index.md": "---\ntitle: Hello 2019\ndate: 2019-01-01\n---\n"
                                                  "![a](a.png)\n",
             "content/posts/2019/hello/a.png": b"2019",
             "content/posts/2020/hello/index.md": "---\ntitle: Hello 2020\ndate: 2020-01-01\n---\n"
                                                  "![a](a.png)\n",
             "content/posts/2020/hello/a.png": b"2020"}
    root = make_hub(tmp_path / "dated", files, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert hub_file(root, "2019/01/01/hello/a.png").read_bytes() == b"2019"
    assert hub_file(root, "2020/01/01/hello/a.png").read_bytes() == b"2020"

    flat = make_hub(tmp_path / "flat", files, TOML.replace("{year}/{month}/{day}/{slug}/",
                                                           "posts/{slug}/"))
    result, lines = build(flat)
    assert result.exit_code == 1
    assert ("content/posts/2020/hello/index.md:1:1: error: [duplicate-slug] two files share the "
            "URL 'posts/hello/': content/posts/2019/hello/index.md and this one; give one a "
            "different slug") in lines


def test_a_bundle_folder_with_a_date_prefix_gives_the_date_and_a_slug_gives_the_url(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2021-02-03-old-name/index.md": "---\ntitle: T\nslug: new-name\n---\nx\n"},
        TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert hub_file(root, "2021/02/03/new-name/index.html").is_file()


def test_a_link_inside_a_bundle_is_refused_never_followed(tmp_path):
    root = make_hub(tmp_path / "hub", HUGO, TOML)
    (tmp_path / "outside.txt").write_text("SECRET")
    os.symlink(tmp_path / "outside.txt", root / "content/posts/bike-trip/leak.txt")
    result, lines = build(root)
    assert result.exit_code == 1
    assert ("content/posts/bike-trip/leak.txt:1:1: error: [files] not read: a symbolic link; "
            "Hearth reads only regular files inside the hub: put the file itself here") in lines
    assert not (root / "dist/hub").exists() or "SECRET" not in str(
        [p.read_text(errors="replace") for p in (root / "dist/hub").rglob("*.txt")])


def test_a_bundle_file_where_another_page_is_published_is_an_error(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/trip/index.md": "---\ntitle: Trip\ndate: 2021-01-01\n---\nx\n",
        "content/posts/trip/sub/index.html": "<p>a static page</p>\n",
        "content/posts/sub.md": "---\ntitle: Sub\ndate: 2021-01-01\nurl: /2021/01/01/trip/sub/\n"
                                "---\nx\n"}, TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    assert ("content/posts/trip/sub/index.html:1:1: error: [static] this file would be published "
            "at '2021/01/01/trip/sub/index.html', where content/posts/sub.md is published: rename "
            "or move one of them") in lines


def test_a_zola_tree_builds_with_sections_and_colocated_assets(tmp_path):
    toml = TOML + '\n[permalinks]\ninside-rust = "/inside-rust/{year}/{month}/{day}/{slug}/"\n'
    root = make_hub(tmp_path / "hub", ZOLA, toml)
    result, lines = build(root)
    assert result.exit_code == 0, result.output
    files = published(root)
    assert {"2022/03/04/hello-zola/index.html", "2022/03/04/hello-zola/ferris.svg",
            "2022/03/04/hello-zola/data/table.csv",
            "inside-rust/2022/05/06/compiler-team/index.html",
            "inside-rust/2022/05/06/compiler-team/team.png",
            "inside-rust/2022/06/07/plain/index.html"} <= files
    page = hub_file(root, "inside-rust/2022/05/06/compiler-team/index.html").read_text()
    assert 'src="/inside-rust/2022/05/06/compiler-team/team.png"' in page
    assert sum("list page not read (content/posts/_index.md)" in line for line in lines) == 1
    assert "inside-rust/index.html" in files and "inside-rust/feed.xml" in files


def test_a_bundle_under_a_sub_path_links_under_it(tmp_path):
    toml = TOML.replace("https://example.org/", "https://example.org/blog/")
    root = make_hub(tmp_path / "hub", HUGO, toml)
    build(root)
    page = hub_file(root, "2021/06/12/bike-trip/index.html").read_text()
    assert 'src="/blog/2021/06/12/bike-trip/pass.jpg"' in page


def test_an_html_permalink_puts_a_bundles_files_in_a_folder_of_its_name(tmp_path):
    toml = TOML.replace("{year}/{month}/{day}/{slug}/", "{year}/{slug}.html")
    root = make_hub(tmp_path / "hub", HUGO, toml)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert hub_file(root, "2021/bike-trip/pass.jpg").is_file()
    assert 'src="/2021/bike-trip/pass.jpg"' in hub_file(root, "2021/bike-trip.html").read_text()


# -- point 2: per-folder permalinks, {section}, a post's own URL

SECTIONS = {
    "content/posts/2024-01-05-top.md": "---\ntitle: Top\n---\nx\n",
    "content/posts/inside-rust/2024-02-06-team.md": "---\ntitle: Team\n---\nx\n",
    "content/posts/inside-rust/weekly/2024-03-07-w1.md": "---\ntitle: W1\n---\nx\n",
    "content/posts/releases/2024-04-08-v2.md": "---\ntitle: V2\n---\nx\n",
}


def test_a_permalinks_table_gives_each_folder_its_pattern_and_the_longest_folder_wins(tmp_path):
    toml = TOML + """
[permalinks]
inside-rust = "/inside-rust/{year}/{month}/{day}/{slug}/"
"inside-rust/weekly" = "this-week/{slug}/"
"""
    root = make_hub(tmp_path / "hub", SECTIONS, toml)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    files = published(root)
    assert {"2024/01/05/top/index.html", "inside-rust/2024/02/06/team/index.html",
            "this-week/w1/index.html", "2024/04/08/v2/index.html"} <= files


def test_section_in_a_pattern_is_the_first_folder_and_drops_out_at_the_top(tmp_path):
    toml = TOML.replace("{year}/{month}/{day}/{slug}/", "{section}/{year}/{slug}/")
    root = make_hub(tmp_path / "hub", SECTIONS, toml)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert {"2024/top/index.html", "inside-rust/2024/team/index.html",
            "inside-rust/2024/w1/index.html", "releases/2024/v2/index.html"} <= published(root)


def test_bad_permalinks_entries_are_named_at_their_line(tmp_path):
    toml = TOML + """
[permalinks]
news = "news/{year}/"
"../up" = "x/{slug}/"
blog = "blog/{title}/{slug}/"
docs = 3
"""
    root = make_hub(tmp_path / "hub", {}, toml)
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 2
    for message in ("hearth.toml:8: [permalinks] 'news' must contain {slug}",
                    "hearth.toml:9: [permalinks] key '../up' must be a sub-folder of content/posts, "
                    "like inside-rust or news/2020",
                    "hearth.toml:10: [permalinks] 'blog' has unknown field {title}",
                    "hearth.toml:11: [permalinks] 'docs' must be a string"):
        assert message in result.output, result.output


def test_a_posts_own_url_or_permalink_is_its_url(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2020-01-01-hugo.md": "---\ntitle: Hugo\nurl: /about/team/\n---\nx\n",
        "content/posts/2011-05-04-jekyll.md": "---\ntitle: J\npermalink: /2011/old-name.html\n---\n",
        "content/posts/2012-06-07-tokens.md": "---\ntitle: T\npermalink: /blog/:year/:title/\n---\n",
        "content/posts/2013-01-01-bare.md": "---\ntitle: B\npermalink: /bare\nurl: /bare\n---\n",
        "content/posts/zola.md": "+++\ntitle = \"Z\"\ndate = 2014-01-01\npath = \"2014/zola-way\"\n+++\n",
        "content/pages/about.md": "---\ntitle: About us\npermalink: /about-us/\n---\nx\n"}, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert {"about/team/index.html", "2011/old-name.html", "blog/2012/tokens/index.html",
            "bare/index.html", "about-us/index.html", "2014/zola-way/index.html"} <= published(root)
    assert "https://example.org/about/team/" in hub_file(root, "sitemap.xml").read_text()


def test_an_own_url_that_takes_another_posts_url_is_a_duplicate_at_its_line(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2020-01-01-first.md": "---\ntitle: First\n---\nx\n",
        "content/posts/2020-02-02-second.md": "---\ntitle: Second\ndate: 2020-02-02\n"
                                              "url: /2020/01/01/first/\n---\nx\n",
        "content/posts/2020-03-03-third.md": "---\ntitle: Third\npermalink: /tags/\n---\nx\n"},
        TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    assert ("content/posts/2020-02-02-second.md:4:6: error: [duplicate-slug] two files share the "
            "URL '2020/01/01/first/': content/posts/2020-01-01-first.md and this one; give one a "
            "different url") in lines
    assert ("content/posts/2020-03-03-third.md:3:12: error: [duplicate-slug] the URL 'tags/' is "
            "where the hub puts its own 'tags/'; give this file another permalink") in lines


def test_bad_own_urls_are_each_an_error_at_their_line_in_one_run(tmp_path):
    bad = {
        "a": ("url: about/", "url 'about/' must start with '/' (a path from the site's root, "
                             "like /2011/05/04/old-name/)"),
        "b": ("permalink: /../../etc/passwd", "permalink '/../../etc/passwd' would leave the hub "
                                              "or name a hidden file: write a plain path, without "
                                              "'..', '?' or '#'"),
        "c": ("url: https://old.example.org/x/", "url 'https://old.example.org/x/' is a full URL: "
                                                 "write the path on this site, like "
                                                 "/2011/05/04/old-name/"),
        "d": ("url: /", "url '/' is the home page: give the post a path of its own"),
        "e": ("permalink: /:categories/:title/", "permalink '/:categories/:title/' has :categories, "
                                                  "which Hearth cannot fill: use :year :month :day "
                                                  ":title or {slug} {year} {month} {day} {lang} "
                                                  "{section}"),
        "f": ("url: [a, b]", "url must be a path on this site, like /2011/05/04/old-name/"),
        "g": ("url: /x/.git/", "url '/x/.git/' would leave the hub or name a hidden file: write a "
                               "plain path, without '..', '?' or '#'"),
    }
    files = {f"content/posts/2020-01-0{i + 1}-{name}.md": f"---\ntitle: {name}\n{line}\n---\nx\n"
             for i, (name, (line, _)) in enumerate(bad.items())}
    files["content/posts/2020-02-01-both.md"] = "---\ntitle: both\nurl: /one/\npermalink: /two/\n---\n"
    root = make_hub(tmp_path / "hub", files, TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    for i, (name, (line, message)) in enumerate(bad.items()):
        column = 6 if line.startswith("url") else 12
        assert f"content/posts/2020-01-0{i + 1}-{name}.md:3:{column}: error: [permalink] {message}" \
            in lines, (name, result.output)
    assert ("content/posts/2020-02-01-both.md:4:12: error: [permalink] url and permalink both set, "
            "to different paths: keep one") in lines
    assert "Traceback" not in result.output


def _post(meta: dict) -> Post:
    doc = SourceDoc("content/posts/x.md", "", meta, "", 1)
    return Post(doc, "post", "x", "X", None, "ready", None, (), None, None, None, "en", None, (),
                extra=meta)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["url", "permalink", "path"]),
       st.one_of(st.text(max_size=40), st.text(alphabet="/.:?#\\%ab{}_-", max_size=20)))
def test_an_own_url_is_refused_or_stays_inside_the_hub(key, value):
    own = own_url(_post({key: value}))
    assert own is not None
    assert (own.url is None) != (own.problem is None)
    if own.url is not None and "{" not in own.url:
        assert plain_relpath(page_file(own.url)), own.url


# -- point 4: static/

def test_static_is_copied_to_the_hubs_root_without_hidden_files(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2021-01-01-a.md": "---\ntitle: A\n---\n![logo](/img/logo.png)\n",
        "static/img/logo.png": PNG,
        "static/assets/old-theme.css": "body{}\n",
        "static/CNAME": "example.org\n",
        "static/.well-known/security.txt": "Contact: mailto:a@example.org\n",
        "static/.env": "TOKEN=secret\n",
        "static/.git/config": "[core]\n",
        "static/img/.DS_Store": b"\0",
    }, TOML)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    files = {p.relative_to(root / "dist/hub").as_posix() for p in (root / "dist/hub").rglob("*")
             if p.is_file()}
    assert {"img/logo.png", "assets/old-theme.css", "CNAME", ".well-known/security.txt"} <= files
    assert not any(f.endswith((".env", "config", ".DS_Store")) for f in files), files
    assert hub_file(root, "img/logo.png").read_bytes() == PNG
    assert 'src="/img/logo.png"' in hub_file(root, "2021/01/01/a/index.html").read_text()


def test_a_static_file_edit_is_seen_by_the_next_build(tmp_path):
    root = make_hub(tmp_path / "hub", {"static/robots-note.txt": "one\n"}, TOML)
    build(root)
    (root / "static/robots-note.txt").write_text("two, longer\n")
    result, _ = build(root)
    assert result.exit_code == 0
    assert hub_file(root, "robots-note.txt").read_text() == "two, longer\n"


def test_a_link_in_static_is_refused(tmp_path):
    root = make_hub(tmp_path / "hub", {"static/img/a.png": PNG}, TOML)
    (root / ".env").write_text("TOKEN=secret\n")
    os.symlink("../../.env", root / "static/img/env.txt")
    os.symlink("/etc", root / "static/etc")
    result, lines = build(root)
    assert result.exit_code == 1
    for path in ("static/img/env.txt", "static/etc"):
        assert (f"{path}:1:1: error: [files] not read: a symbolic link; Hearth reads only regular "
                "files inside the hub: put the file itself here") in lines, result.output


def test_a_linked_static_folder_is_refused(tmp_path):
    root = make_hub(tmp_path / "hub", {}, TOML)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/a.txt").write_text("a")
    os.symlink(tmp_path / "elsewhere", root / "static")
    result, lines = build(root)
    assert result.exit_code == 1
    assert any(line.startswith("static:1:1: error: [files] not read: a symbolic link") for line in lines)


def test_a_static_file_where_the_hub_writes_a_page_is_an_error_at_the_file(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/posts/2021-01-01-a.md": "---\ntitle: A\n---\nx\n",
        "content/media/logo.png": PNG,
        "static/2021/01/01/a/index.html": "<p>old page</p>\n",
        "static/index.html": "<p>old home</p>\n",
        "static/robots.txt": "User-agent: *\n",
        "static/media/logo.png": PNG,
        "static/assets/style.css": "body{}\n",
        "static/tags/x.html": "x\n",
    }, TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    for message in (
            "static/2021/01/01/a/index.html:1:1: error: [static] this file would be published at "
            "'2021/01/01/a/index.html', where content/posts/2021-01-01-a.md is published: rename or "
            "move one of them",
            "static/index.html:1:1: error: [static] this file would be published at 'index.html', "
            "where the hub puts its own files: rename or move it",
            "static/robots.txt:1:1: error: [static] this file would be published at 'robots.txt', "
            "where the hub puts its own files: rename or move it",
            "static/media/logo.png:1:1: error: [static] this file would be published at "
            "'media/logo.png', where content/media/logo.png is published: rename or move one of "
            "them",
            "static/assets/style.css:1:1: error: [static] this file would be published at "
            "'assets/style.css', where the theme's file of that name is published: rename or move "
            "one of them",
            "static/tags/x.html:1:1: error: [static] this file would be published at 'tags/x.html', "
            "where the hub puts its own files: rename or move it"):
        assert message in lines, result.output
    assert not (root / "dist/hub").exists()


# -- hearth import keeps a post's own permalink, and links to it follow it

def test_import_keeps_a_jekyll_posts_own_permalink_and_links_to_it(tmp_path):
    from conftest import write_files
    src = write_files(tmp_path / "old", {
        "_config.yml": "title: Old\npermalink: /:year/:month/:day/:title.html\n",
        "_posts/2010-07-21-moved.md": "---\ntitle: Moved\npermalink: /about/history/\n---\nOld.\n",
        "_posts/2010-08-02-linker.md": "---\ntitle: Linker\n---\n"
                                       "See [it]({% post_url 2010-07-21-moved %}).\n"})
    hub = tmp_path / "hub"
    assert run(tmp_path, "init", "--empty", str(hub)).exit_code == 0
    result = run(hub, "import", "jekyll", str(src))
    assert result.exit_code == 0, result.output
    assert "permalink: /about/history/" in (hub / "content/posts/2010-07-21-moved.md").read_text()
    assert "[it](/about/history/)" in (hub / "content/posts/2010-08-02-linker.md").read_text()
    result, _ = build(hub)
    assert result.exit_code == 0, result.output
    assert (hub / "dist/hub/about/history/index.html").is_file()
    assert 'href="/about/history/"' in (hub / "dist/hub/2010/08/02/linker.html").read_text()


def test_a_static_file_where_the_hub_needs_a_folder_is_an_error(tmp_path):
    root = make_hub(tmp_path / "hub", {
        "content/pages/about.md": "---\ntitle: About\n---\nx\n",
        "static/about": "a file named like the page's folder\n"}, TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    assert ("static/about:1:1: error: [static] this file would be published at 'about', where the "
            "hub needs a folder of that name: rename or move it") in lines


def test_a_section_folder_that_is_not_url_safe_is_slugified_in_the_url(tmp_path):
    toml = TOML.replace("{year}/{month}/{day}/{slug}/", "{section}/{slug}/")
    root = make_hub(tmp_path / "hub", {
        "content/posts/Новости и #планы/2024-01-01-a.md": "---\ntitle: A\n---\nx\n"}, toml)
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert hub_file(root, "novosti-i-plany/a/index.html").is_file()


def test_a_file_added_to_or_removed_from_a_bundle_is_seen_by_the_next_build(tmp_path):
    root = make_hub(tmp_path / "hub", HUGO, TOML)
    build(root)
    (root / "content/posts/bike-trip/map.gpx").write_text("<gpx/>\n")
    (root / "content/posts/bike-trip/pass.jpg").unlink()
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    assert hub_file(root, "2021/06/12/bike-trip/map.gpx").read_text() == "<gpx/>\n"
    assert not hub_file(root, "2021/06/12/bike-trip/pass.jpg").exists()


# -- a bundle's own files named in front matter (`image: cover.png`, channel `media:`)

BUNDLE_IMAGE = {
    "calendar/channels.yml": """\
        channels:
          instagram:
            kind: instagram
            slots: ["Sat 10:00"]
        """,
    "content/posts/bike-trip/index.md": """\
        ---
        title: Bike trip
        date: 2026-11-14
        summary: Over the pass.
        image: cover.png
        image_alt: The pass at dawn
        channels:
          instagram:
            text: "Over the pass {url}"
            media: [./photos/road.png]
            media_alt: The road down
        ---
        Up and down.
        """,
    "content/posts/bike-trip/cover.png": PNG,
    "content/posts/bike-trip/photos/road.png": PNG,
    "content/media/shared.png": PNG,
    "content/posts/garden/index.md": """\
        ---
        title: Garden
        date: 2026-11-15
        image: media/shared.png
        image_alt: Beds
        ---
        Beds.
        """,
}


def test_an_image_or_channel_media_naming_a_bundles_file_is_that_file(tmp_path):
    root = make_hub(tmp_path / "hub", BUNDLE_IMAGE, TOML)
    result, lines = build(root)
    assert result.exit_code == 0, result.output
    page = hub_file(root, "2026/11/14/bike-trip/index.html").read_text()
    assert 'content="https://example.org/2026/11/14/bike-trip/cover.png"' in page
    assert hub_file(root, "2026/11/14/bike-trip/cover.png").read_bytes() == PNG
    # `media/…` in a bundle is still content/media
    page = hub_file(root, "2026/11/15/garden/index.html").read_text()
    assert 'content="https://example.org/media/shared.png"' in page
    queue = (root / "dist/queues/instagram.json").read_text()
    assert '"url": "https://example.org/2026/11/14/bike-trip/photos/road.png"' in queue
    assert '"path": "posts/bike-trip/photos/road.png"' in queue
    assert (root / "dist/review/posts/bike-trip/cover.png").read_bytes() == PNG   # its thumbnail


def test_a_bundle_image_that_is_not_there_is_an_error_naming_the_bundle_path(tmp_path):
    files = dict(BUNDLE_IMAGE)
    del files["content/posts/bike-trip/cover.png"]
    del files["content/posts/bike-trip/photos/road.png"]
    root = make_hub(tmp_path / "hub", files, TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    assert ("content/posts/bike-trip/index.md:5:8: error: [media] image "
            "'posts/bike-trip/cover.png' not found in content/") in lines
    assert ("content/posts/bike-trip/index.md:10:13: error: [media] media file "
            "'posts/bike-trip/photos/road.png' not found in content/") in lines
