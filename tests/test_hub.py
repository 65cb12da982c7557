"""The public hub, built from tiny inline hubs with the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import yaml
from hypothesis import given, settings, strategies as st
from slugify import slugify

from conftest import NOW, REPO, make_hub, run, snapshot

ATOM = "{http://www.w3.org/2005/Atom}"


def post(title: str, date: str | None = "2026-01-05", body: str = "Body text.", **meta) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if date:
        lines.append(f"date: {date}")
    lines += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()]
    return "\n".join(lines + ["---", body, ""])


SECRET = "zebra-unicorn-secret"

WORKFLOW_HUB = {
    "content/posts/2026-01-05-public.md": post("Public post", body="Open to all."),
    "content/posts/2026-01-06-draft.md": post(f"Draft {SECRET}", "2026-01-06", f"Draft body {SECRET}",
                                              status="draft", image="media/draft-only.jpg",
                                              image_alt="draft"),
    "content/posts/2026-01-07-review.md": post(f"Review {SECRET}", "2026-01-07", SECRET, status="review"),
    "content/posts/2026-12-24-future.md": post(f"Future {SECRET}", "2026-12-24", SECRET),
    "content/posts/2026-01-08-expired.md": post(f"Expired {SECRET}", "2026-01-08", SECRET,
                                                expires="2026-02-01"),
    "content/media/draft-only.jpg": b"\xff\xd8\xffdraft",
    "content/media/logo.png": b"\x89PNG",
}


def test_only_ready_due_unexpired_posts_reach_the_hub(hub):
    root = hub(WORKFLOW_HUB)
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    files = snapshot(root / "dist" / "hub")
    for path, content in files.items():
        assert SECRET.encode() not in content, f"non-public text leaked into {path}"
    assert "posts/public/index.html" in files
    assert not any("draft" in p or "future" in p or "expired" in p or "review" in p for p in files)
    assert "media/draft-only.jpg" not in files, "a draft's image leaked"
    assert "media/logo.png" in files, "unreferenced media is copied"


def test_a_future_post_appears_once_its_time_has_come(hub):
    root = hub(WORKFLOW_HUB)
    run(root, "build", "--now", "2026-12-24T00:00:00+01:00")
    assert (root / "dist/hub/posts/future/index.html").is_file()
    run(root, "build", "--now", "2026-12-23T23:59:59+01:00")
    assert not (root / "dist/hub/posts/future/index.html").exists()


def test_same_input_and_now_give_byte_identical_output(hub, tmp_path):
    root = make_hub(tmp_path / "demo", {}, (REPO / "hearth.toml").read_text())
    for folder in ("content", "calendar", "guidelines"):
        subprocess.run(["cp", "-r", str(REPO / folder), str(root / folder)], check=True)
    assert run(root, "build", "--now", NOW, "--out", str(tmp_path / "a")).exit_code == 0
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795262400"}   # 2026-11-21T12:00:00Z
    second = subprocess.run([sys.executable, "-m", "hearth", "-C", str(root), "build", "--out",
                             str(tmp_path / "b")], env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_slug_from_file_name_prefix_date_and_transliteration(hub):
    root = hub({
        "content/posts/2026-03-02-кто-такой.md": "---\ntitle: Кто такой\n---\nТекст.\n",
        "content/posts/2026-03-03-spring-meetup.md": "---\ntitle: A title that changes\nslug: custom\n---\nx\n",
    })
    assert run(root, "build", "--now", NOW).exit_code == 0
    assert (root / "dist/hub/posts/kto-takoi/index.html").is_file()
    assert (root / "dist/hub/posts/custom/index.html").is_file()
    html = (root / "dist/hub/posts/kto-takoi/index.html").read_text()
    assert 'datetime="2026-03-02T00:00:00+01:00"' in html, "the prefix is the date, 00:00 site time"


def test_permalink_patterns_as_jekyll_and_hugo_users_migrate(hub):
    toml = ('[site]\ntitle = "T"\nbase_url = "https://example.org/blog/"\ntimezone = "UTC"\n'
            'permalink = "{lang}/{year}/{month}/{day}/{slug}.html"\n')
    root = hub({"content/posts/2026-03-02-hello.md": post("Hello", "2026-03-02 09:30", lang="it")},
               toml=toml)
    assert run(root, "build", "--now", NOW).exit_code == 0
    page = root / "dist/hub/it/2026/03/02/hello.html"
    assert page.is_file()
    html = page.read_text()
    assert '<link rel="canonical" href="https://example.org/blog/it/2026/03/02/hello.html">' in html
    assert '<html lang="it">' in html


def test_sub_path_base_url_prefixes_every_link(hub):
    toml = '[site]\ntitle = "T"\nbase_url = "https://example.org/community"\n'
    root = hub({
        "content/posts/2026-01-05-a.md": post("A", body="See [about](/about/) and ![x](media/p.png)",
                                              tags=["news"]),
        "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
        "content/media/p.png": b"\x89PNG",
    }, toml=toml)
    assert run(root, "build", "--now", NOW).exit_code == 0
    html = (root / "dist/hub/posts/a/index.html").read_text()
    assert 'href="/community/about/"' in html
    assert 'src="/community/media/p.png"' in html
    assert 'href="/community/assets/style.css"' in html
    assert 'href="/community/tags/news/"' in html
    feed = ET.parse(root / "dist/hub/feed.xml").getroot()
    assert feed.find(f"{ATOM}entry/{ATOM}id").text == "https://example.org/community/posts/a/"
    robots = (root / "dist/hub/robots.txt").read_text()
    assert "Sitemap: https://example.org/community/sitemap.xml" in robots


def test_home_paginates_and_lists_newest_first(hub):
    files = {f"content/posts/2026-01-{d:02d}-p{d}.md": post(f"Post {d}", f"2026-01-{d:02d}")
             for d in range(1, 24)}
    root = hub(files, toml='[site]\ntitle = "T"\nper_page = 10\n')
    assert run(root, "build", "--now", NOW).exit_code == 0
    home = (root / "dist/hub/index.html").read_text()
    assert home.index("Post 23") < home.index("Post 14")
    assert "Post 13" not in home
    assert (root / "dist/hub/page/2/index.html").is_file()
    assert (root / "dist/hub/page/3/index.html").is_file()
    assert not (root / "dist/hub/page/4").exists()
    last = (root / "dist/hub/page/3/index.html").read_text()
    assert "Post 1<" in last or "Post 1\n" in last or ">Post 1</a>" in last


def test_post_page_has_meta_reading_time_and_neighbours(hub):
    body = "## One\n\n" + "word " * 400 + "\n\n## Two\n\ntext\n\n## Three\n\n```python\nprint(1)\n```\n"
    root = hub({
        "content/posts/2026-01-01-old.md": post("Old", "2026-01-01"),
        "content/posts/2026-01-02-mid.md": post("Mid", "2026-01-02", body + "word " * 400,
                                                author="Ada", tags=["events", "Community Gardening"],
                                                summary="The middle one.", image="media/m.jpg",
                                                image_alt="A middle garden"),
        "content/posts/2026-01-03-new.md": post("New", "2026-01-03"),
        "content/media/m.jpg": b"\xff\xd8\xff",
    })
    assert run(root, "build", "--now", NOW).exit_code == 0
    html = (root / "dist/hub/posts/mid/index.html").read_text()
    assert '<meta property="og:title" content="Mid">' in html
    assert '<meta property="og:image" content="https://example.org/media/m.jpg">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<link rel="canonical" href="https://example.org/posts/mid/">' in html
    assert "Ada" in html and "4 min read" in html
    assert 'alt="A middle garden"' in html
    assert 'class="highlight"' in html, "fenced code is highlighted"
    assert 'href="#one"' in html, "long posts get a table of contents"
    assert 'href="/posts/old/"' in html and 'href="/posts/new/"' in html
    assert (root / "dist/hub/tags/community-gardening/index.html").is_file()
    assert (root / "dist/hub/tags/community-gardening/feed.xml").is_file()


def test_localized_dates_and_ui_strings(hub):
    root = hub({
        "content/posts/2026-03-02-ru.md": post("Привет", "2026-03-02", lang="ru"),
        "content/posts/2026-03-02-sv.md": post("Hej", "2026-03-02", lang="sv"),
        "content/posts/2026-03-02-it.md": post("Ciao", "2026-03-02", lang="it"),
    })
    assert run(root, "build", "--now", NOW).exit_code == 0
    ru = (root / "dist/hub/posts/ru/index.html").read_text()
    assert '<html lang="ru">' in ru and "2 марта 2026" in ru and "мин чтения" in ru
    sv = (root / "dist/hub/posts/sv/index.html").read_text()
    assert "2 mars 2026" in sv and "min läsning" in sv
    it = (root / "dist/hub/posts/it/index.html").read_text()
    assert "2 marzo 2026" in it


def test_feeds_sitemap_search_index_and_404(hub):
    root = hub({"content/posts/2026-01-05-a.md": post("A & B", summary="Sum", tags=["x"]),
                "content/pages/about.md": "---\ntitle: About\n---\nAbout.\n"})
    assert run(root, "build", "--now", NOW).exit_code == 0
    out = root / "dist/hub"
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "A & B"
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locs = {e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {"https://example.org/", "https://example.org/posts/a/", "https://example.org/about/"} <= locs
    index = json.loads((out / "search.json").read_text())
    assert index == [{"date": "2026-01-05", "lang": "en", "summary": "Sum", "tags": ["x"],
                      "title": "A & B", "url": "/posts/a/"}]
    assert (out / "404.html").is_file() and (out / "robots.txt").is_file()


def test_hub_templates_override_the_theme_file_by_file(hub):
    root = hub({"content/posts/2026-01-05-a.md": post("A"),
                "templates/post.html": "OWN {{ post.title }} {{ post.extra.mood }}\n"})
    (root / "content/posts/2026-01-05-a.md").write_text(
        "---\ntitle: A\nmood: sunny\n---\nx\n", encoding="utf-8")
    assert run(root, "build", "--now", NOW).exit_code == 0
    assert (root / "dist/hub/posts/a/index.html").read_text() == "OWN A sunny\n"
    assert "<!doctype html>" in (root / "dist/hub/index.html").read_text(), "others stay built-in"


def test_check_writes_nothing(hub):
    root = hub({"content/posts/2026-01-05-a.md": post("A")})
    result = run(root, "check", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert not (root / "dist").exists()


def test_init_makes_a_hub_that_builds_at_once(tmp_path):
    target = tmp_path / "new-hub"
    result = run(tmp_path, "init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "hearth.toml").is_file() and (target / ".github/workflows/hearth.yml").is_file()
    built = run(target, "build", "--now", NOW)
    assert built.exit_code == 0, built.output
    assert (target / "dist/hub/index.html").is_file()
    again = run(tmp_path, "init", str(target))
    assert again.exit_code == 2 and "not empty" in again.output


def test_new_post_fills_front_matter_and_refuses_to_overwrite(hub):
    root = hub({"calendar/channels.yml": "channels:\n  mastodon: {kind: mastodon}\n"})
    result = run(root, "new", "post", "Spring meetup", "--channel", "mastodon",
                 "--now", "2026-03-02T08:00:00Z")
    assert result.exit_code == 0, result.output
    path = root / "content/posts/2026-03-02-spring-meetup.md"
    meta = yaml.safe_load(path.read_text().split("---")[1])
    assert meta["title"] == "Spring meetup" and meta["status"] == "draft"
    assert meta["channels"] == {"mastodon": "{title} {url}"}
    again = run(root, "new", "post", "Spring meetup", "--now", "2026-03-02T08:00:00Z")
    assert again.exit_code == 2 and "already exists" in again.output
    assert run(root, "check", "--now", NOW).exit_code == 0


def test_every_command_has_help_with_examples():
    from click.testing import CliRunner

    from hearth.cli import cli
    for name in ("build", "check", "fix", "init", "serve", "calendar", "queue", "report", "clean",
                 "theme-path", "new", "new post"):
        result = CliRunner().invoke(cli, [*name.split(), "--help"])
        assert result.exit_code == 0 and "Example" in result.output, name


def test_python_build_py_with_no_arguments_builds(tmp_path):
    root = make_hub(tmp_path / "h", {"content/posts/2026-01-05-a.md": post("A")})
    result = subprocess.run([sys.executable, str(REPO / "build.py")], cwd=root,
                            capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": "1795262400"})
    assert result.returncode == 0, result.stderr
    assert (root / "dist/hub/posts/a/index.html").is_file()


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_file_name_gives_a_safe_slug(name):
    slug = slugify(name.strip(" .")) or "post"
    assert "/" not in slug and ".." not in slug and slug == slug.strip("-")


def test_nothing_is_written_outside_the_output_folder(hub, tmp_path):
    root = hub({"content/posts/2026-01-05-a.md": post("A", slug="..")})
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub"]


def test_a_migrated_jekyll_or_hugo_blog_builds_and_keeps_its_drafts_private(hub):
    root = hub({
        "content/posts/2019-05-04-jekyll-post.md": (
            "---\nlayout: post\ntitle: \"A Jekyll post\"\ndate: 2019-05-04 10:00:00 +0200\n"
            "categories: [news, garden]\ntags: [jekyll]\n---\nHello from Jekyll.\n"),
        "content/posts/2019-05-05-jekyll-unpublished.md": (
            f"---\ntitle: Not yet\npublished: false\n---\n{SECRET}\n"),
        "content/posts/hugo-draft.md": (
            f"---\ntitle: Hugo draft\ndate: 2019-06-01T09:00:00+02:00\ndraft: true\n---\n{SECRET}\n"),
        "content/posts/hugo-toml.md": (
            "+++\ntitle = \"Hugo TOML post\"\ndate = 2019-07-01T09:00:00+02:00\ntags = [\"hugo\"]\n"
            "description = \"From TOML.\"\n+++\nHugo TOML body.\n"),
    })
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    files = snapshot(root / "dist" / "hub")
    assert "posts/jekyll-post/index.html" in files and "posts/hugo-toml/index.html" in files
    assert not any(SECRET.encode() in content for content in files.values())
    jekyll = files["posts/jekyll-post/index.html"].decode()
    assert 'datetime="2019-05-04T10:00:00+02:00"' in jekyll
    assert "From TOML." in files["posts/hugo-toml/index.html"].decode(), "description is the summary"


def test_bad_toml_front_matter_points_at_its_line(hub):
    root = hub({"content/posts/2019-07-01-t.md": "+++\ntitle = \"T\"\ndate = nope\n+++\nx\n"})
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 1
    assert "content/posts/2019-07-01-t.md:3:" in result.output and "[toml] invalid TOML" in result.output
