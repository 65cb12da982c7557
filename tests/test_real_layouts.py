"""Real blogs' layouts, copied unchanged into content/posts: small trees that
mimic what the Rust blog (Zola, 750 posts) holds — sections with `_index.md`,
an inside-rust section whose `path`s carry their prefix, `aliases` with and
without `.html`, a template-only page, bundles with images in Markdown, raw
HTML and `image =`, Zola's `@/` links, `[extra]`, `description`, `draft`."""

from __future__ import annotations

from conftest import NOW, make_hub, run

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16

TOML = """\
[site]
title = "Rust Blog"
base_url = "https://blog.example.org/"
timezone = "UTC"
permalink = "posts/{slug}/"

[build]
unsafe_html = true

[lint]
since = 2026-12-01
"""

# the Rust blog's content/ as it is in its repository
RUST = {
    "content/posts/_index.md": """\
        +++
        title = "Rust Blog"
        description = "Empowering everyone to build reliable and efficient software."
        sort_by = "permalink"
        [extra]
        index_title = "The Rust Programming Language Blog"
        [[extra.see_also]]
        path = "/inside-rust/"
        text = "the Inside Rust blog"
        +++
        """,
    "content/posts/inside-rust/_index.md": '+++\ntitle = "Inside Rust Blog"\n+++\n',
    "content/posts/releases/_index.md": '+++\ntitle = "Releases"\ntemplate = "releases.html"\n+++\n',
    "content/posts/releases/latest.md": "+++\ntemplate = \"latest.html\"\n+++\n",
    "content/posts/4-Years-Of-Rust.md": """\
        +++
        path = "2019/05/15/4-Years-Of-Rust"
        title = "4 years of Rust"
        authors = ["The Rust Core Team"]
        aliases = ["2019/05/15/4-Years-Of-Rust.html"]
        description = "Four years since 1.0."
        +++

        Read the [survey](@/2024-State-Of-Rust-Survey-results/index.md#results) and
        [the compiler news][news].

        [news]: @/inside-rust/compiler-team-2019.md
        """,
    "content/posts/Rust-1.88.0.md": """\
        +++
        path = "2025/06/26/Rust-1.88.0"
        title = "Announcing Rust 1.88.0"
        authors = ["The Rust Release Team"]
        aliases = ["releases/1.88.0"]

        [extra]
        release = true
        +++

        Rust 1.88.0 is out.
        """,
    "content/posts/inside-rust/compiler-team-2019.md": """\
        +++
        path = "inside-rust/2019/10/15/compiler-team-2019"
        title = "Compiler team news"
        authors = ["Niko Matsakis"]
        aliases = ["inside-rust/2019/10/15/compiler-team-2019.html"]

        [extra]
        team = "the compiler team"
        team_url = "https://www.rust-lang.org/governance/teams/compiler"
        +++

        News from [the 4 years post](@/4-Years-Of-Rust.md) and a
        [link to nowhere](@/no-such-post.md).
        """,
    "content/posts/2024-State-Of-Rust-Survey-results/index.md": """\
        +++
        path = "2025/02/13/2024-State-Of-Rust-Survey-results"
        title = "2024 State of Rust Survey Results"
        authors = ["The Rust Survey Team"]
        aliases = ["2025/02/13/2024-State-Of-Rust-Survey-results.html"]
        image = "where-do-you-live.png"
        image_alt = "A map of where respondents live"
        +++

        ## Results

        <div>
        <img alt="where-do-you-live" height="600" src="where-do-you-live.png"/>
        <span>[<a href="where-do-you-live.svg">SVG</a>]</span>
        </div>

        ![Do you use Rust?](do-you-use-rust.png)
        """,
    "content/posts/2024-State-Of-Rust-Survey-results/where-do-you-live.png": PNG,
    "content/posts/2024-State-Of-Rust-Survey-results/where-do-you-live.svg": "<svg/>\n",
    "content/posts/2024-State-Of-Rust-Survey-results/do-you-use-rust.png": PNG,
    "content/posts/held-back.md": """\
        +++
        path = "2026/01/01/held-back"
        title = "Not yet"
        authors = ["Someone"]
        draft = true
        +++
        Not yet.
        """,
    "static/images/rust-logo.svg": "<svg/>\n",
}


def build(root):
    result = run(root, "build", "--now", NOW)
    return result, result.output.splitlines()


def page(root, url: str) -> str:
    return (root / "dist/hub" / url).read_text(encoding="utf-8")


def test_the_rust_blog_copied_unchanged_builds_with_warnings_only(tmp_path):
    root = make_hub(tmp_path / "hub", RUST, TOML)
    result, lines = build(root)
    assert result.exit_code == 0, result.output
    expected = [
        # the two sections' _index.md are their list pages now; the root one is the home's
        ("content/posts/_index.md:1:1: warning: [unread-file] 1 list page not read "
         "(content/posts/_index.md): only a section's _index.md is read (a sub-folder of "
         "content/posts, not a page bundle or a language folder); Hearth makes the home page "
         "itself: move text to keep into content/pages"),
        ("content/posts/inside-rust/compiler-team-2019.md:13:19: warning: [link] link "
         "'@/no-such-post.md' names no post or page: Zola's '@/' is content/posts/ here "
         "(or content/)"),
        ("content/posts/releases/latest.md:1:1: warning: [unread-file] not read: a page made "
         "by the template 'latest.html' alone (no title, no text); Hearth does not run another "
         "generator's templates"),
    ]
    assert [line for line in lines if ": warning: " in line or ": error: " in line] == expected


def test_every_post_is_at_its_zola_path_and_every_alias_redirects_to_it(tmp_path):
    root = make_hub(tmp_path / "hub", RUST, TOML)
    build(root)
    for url in ("2019/05/15/4-Years-Of-Rust/", "2025/06/26/Rust-1.88.0/",
                "inside-rust/2019/10/15/compiler-team-2019/",
                "2025/02/13/2024-State-Of-Rust-Survey-results/"):
        assert (root / "dist/hub" / url / "index.html").is_file(), url
    # `.html` aliases are files, the others folders, as Zola writes them
    for alias, url in (("2019/05/15/4-Years-Of-Rust.html", "2019/05/15/4-Years-Of-Rust/"),
                       ("releases/1.88.0/index.html", "2025/06/26/Rust-1.88.0/"),
                       ("inside-rust/2019/10/15/compiler-team-2019.html",
                        "inside-rust/2019/10/15/compiler-team-2019/")):
        html = page(root, alias)
        assert f'<link rel="canonical" href="https://blog.example.org/{url}">' in html, alias
        assert f'content="0; url=https://blog.example.org/{url}"' in html, alias
    assert not (root / "dist/hub/2026/01/01/held-back").exists()      # draft = true
    assert not (root / "dist/hub/releases/latest").exists()
    assert (root / "dist/hub/images/rust-logo.svg").is_file()          # static/ at the root


def test_zola_internal_links_point_to_the_posts_new_urls(tmp_path):
    root = make_hub(tmp_path / "hub", RUST, TOML)
    build(root)
    html = page(root, "2019/05/15/4-Years-Of-Rust/index.html")
    assert 'href="/2025/02/13/2024-State-Of-Rust-Survey-results/#results"' in html
    assert 'href="/inside-rust/2019/10/15/compiler-team-2019/"' in html
    html = page(root, "inside-rust/2019/10/15/compiler-team-2019/index.html")
    assert 'href="/2019/05/15/4-Years-Of-Rust/"' in html
    assert 'href="@/no-such-post.md"' in html                           # as written, warned


def test_a_bundles_images_in_markdown_raw_html_and_image_key_are_published_beside_it(tmp_path):
    root = make_hub(tmp_path / "hub", RUST, TOML)
    build(root)
    url = "2025/02/13/2024-State-Of-Rust-Survey-results/"
    html = page(root, url + "index.html")
    assert f'src="/{url}where-do-you-live.png"' in html
    assert f'href="/{url}where-do-you-live.svg"' in html
    assert f'src="/{url}do-you-use-rust.png"' in html
    assert f'content="https://blog.example.org/{url}where-do-you-live.png"' in html   # image =
    for name in ("where-do-you-live.png", "where-do-you-live.svg", "do-you-use-rust.png"):
        assert (root / "dist/hub" / url / name).is_file()


def test_zola_front_matter_is_read_description_as_summary_extra_kept(tmp_path):
    root = make_hub(tmp_path / "hub", RUST, TOML)
    build(root)
    html = page(root, "2019/05/15/4-Years-Of-Rust/index.html")
    assert '<meta name="description" content="Four years since 1.0.">' in html
    assert "The Rust Core Team" in html
    assert '<time datetime="2019-05-15T00:00:00+00:00">' in html       # the date from `path`
    feed = page(root, "feed.xml")
    assert "Four years since 1.0." in feed
    assert "Not yet" not in feed
    result = run(root, "check", "--now", NOW)
    assert "unknown key" not in result.output                          # [extra], path, aliases


def test_an_image_key_leaving_the_bundle_is_not_found_at_its_line(tmp_path):
    files = {
        "content/posts/trip/index.md": "+++\ntitle = \"Trip\"\ndate = 2022-01-02\n"
                                       "image = \"../other/x.png\"\nimage_alt = \"x\"\n+++\nHi.\n",
        "content/posts/other/x.png": PNG,
        "content/posts/trip/cover.png": PNG,
    }
    root = make_hub(tmp_path / "hub", files, TOML)
    result, lines = build(root)
    assert result.exit_code == 1
    assert ("content/posts/trip/index.md:4:1: error: [media] image '../other/x.png' not found "
            "in content/") in lines


def test_zola_taxonomies_tags_are_the_posts_tags(tmp_path):
    files = {"content/posts/hello.md": "+++\ntitle = \"Hello\"\ndate = 2022-03-04\n"
                                       "[taxonomies]\ntags = [\"zola\", \"news\"]\n+++\nHi.\n",
             "content/posts/bad.md": "+++\ntitle = \"Bad\"\ndate = 2022-03-05\n"
                                     "[taxonomies]\ntags = 3\n+++\nHi.\n"}
    root = make_hub(tmp_path / "hub", files, TOML)
    result, lines = build(root)
    assert "content/posts/bad.md:5:1: error: [front-matter] tags must be a list of words" in lines
    del files["content/posts/bad.md"]
    root = make_hub(tmp_path / "hub2", files, TOML)
    result, lines = build(root)
    assert result.exit_code == 0, result.output
    assert (root / "dist/hub/tags/zola/index.html").is_file()
    assert 'href="/tags/news/"' in page(root, "posts/hello/index.html")


def test_a_zola_link_follows_its_target_when_the_target_moves(tmp_path):
    root = make_hub(tmp_path / "hub", RUST, TOML)
    build(root)
    target = root / "content/posts/inside-rust/compiler-team-2019.md"
    target.write_text(target.read_text().replace('path = "inside-rust/2019/10/15/compiler-team-2019"',
                                                 'path = "inside-rust/2019/10/15/compiler-news"'))
    result, _ = build(root)
    assert result.exit_code == 0, result.output
    html = page(root, "2019/05/15/4-Years-Of-Rust/index.html")
    assert 'href="/inside-rust/2019/10/15/compiler-news/"' in html
