"""Hardening, leaks: nothing but the hub's own regular files is read, nothing a
non-public item uses reaches dist/hub however its path is written, no script
from a post reaches a page, and what is hidden stays out. Real hubs, real CLI."""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

from conftest import NOW, make_hub, run, snapshot

SECRET = "zebra-unicorn-secret"
GIF = b"GIF89a" + SECRET.encode()

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and pipes")


def post(title: str, body: str = "Body text.", date: str = "2026-01-05", **meta) -> str:
    lines = ["---", f"title: {json.dumps(title)}", f"date: {date}"]
    lines += [f"{k}: {json.dumps(v)}" for k, v in meta.items()]
    return "\n".join(lines + ["---", body, ""])


PUBLIC = {"content/posts/2026-01-05-public.md": post("Public post", "Open to all.")}


def leaks(folder) -> list[str]:
    """Every file under `folder` that holds the secret (none, if all is well)."""
    if not folder.exists():
        return []
    return sorted(path for path, data in snapshot(folder).items() if SECRET.encode() in data)


def build(root, *extra):
    return run(root, "build", "--now", NOW, *extra)


def errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if ": error: " in line]


# --------------------------------------------------------------------------- 1. regular files only


@pytest.fixture
def outside(tmp_path):
    """A folder next to the hub, with a secret file, a secret post and a secret folder."""
    folder = tmp_path / "outside"
    (folder / "posts").mkdir(parents=True)
    (folder / "secret.txt").write_text(f"TOKEN={SECRET}\n")
    (folder / "secret.md").write_text(post(f"Leak {SECRET}", SECRET))
    (folder / "posts" / "2026-01-04-other.md").write_text(post(f"Other {SECRET}", SECRET))
    (folder / "secret.gif").write_bytes(GIF)
    return folder


def hub_with_link(tmp_path, link: str, target, files=None):
    root = make_hub(tmp_path / "hub", {**PUBLIC, **(files or {})})
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / link)
    return root


REFUSED_LINK = "error: [files] not read: a symbolic link; Hearth reads only regular files inside the hub: put the file itself here"


@posix_only
@pytest.mark.parametrize("link, target", [
    ("content/media/env.txt", "{outside}/secret.txt"),
    ("content/media/photo.gif", "{outside}/secret.gif"),
    ("content/posts/2026-01-06-linked.md", "{outside}/secret.md"),
    ("content/pages/linked.md", "{outside}/secret.md"),
    ("guidelines/linked.md", "{outside}/secret.md"),
    ("calendar/events/linked.md", "{outside}/secret.md"),
    ("calendar/campaigns/linked.md", "{outside}/secret.md"),
    ("calendar/channels.yml", "{outside}/secret.txt"),
    ("guidelines/rules.yml", "{outside}/secret.txt"),
    ("guidelines/accept.txt", "{outside}/secret.txt"),
    ("templates/assets/extra.css", "{outside}/secret.txt"),
    ("templates/post.html", "{outside}/secret.txt"),
    ("calendar/metrics/mastodon.csv", "{outside}/secret.txt"),
    ("content/posts/more", "{outside}/posts"),            # a folder link
    ("content/media/shared", "{outside}"),                # a folder link among media
])
def test_a_link_to_a_file_outside_the_hub_is_an_error_and_is_never_read(tmp_path, outside, link, target):
    root = hub_with_link(tmp_path, link, target.format(outside=outside))
    result = build(root)
    assert result.exit_code == 1, result.output
    assert f"{link}:1:1: {REFUSED_LINK}" in result.output
    assert SECRET not in result.output, "the linked file was read"
    assert leaks(root / "dist") == []


@posix_only
def test_a_link_to_proc_self_environ_never_reaches_dist(tmp_path):
    root = hub_with_link(tmp_path, "content/media/env.txt", "/proc/self/environ")
    for command in (("build", "--now", NOW), ("check", "--now", NOW)):
        result = run(root, *command)
        assert result.exit_code == 1, result.output
        assert f"content/media/env.txt:1:1: {REFUSED_LINK}" in result.output
    assert not (root / "dist/hub/media/env.txt").exists()
    path_value = os.environ.get("PATH", "").encode()
    dist = snapshot(root / "dist") if (root / "dist").exists() else {}
    assert path_value and not any(path_value in data for data in dist.values())


@posix_only
def test_even_a_link_to_another_file_of_the_hub_is_refused(tmp_path):
    """Hugo follows no link; neither do we: inside the hub sit .env files and
    hearth.toml, and a link cannot tell which of its targets is public."""
    root = hub_with_link(tmp_path, "content/media/copy.gif", "logo.gif",
                         {"content/media/logo.gif": b"GIF89a", ".env": f"TOKEN={SECRET}\n"})
    os.symlink("../../.env", root / "content/media/dotenv.txt")
    result = build(root)
    assert result.exit_code == 1
    assert f"content/media/copy.gif:1:1: {REFUSED_LINK}" in result.output
    assert f"content/media/dotenv.txt:1:1: {REFUSED_LINK}" in result.output


@posix_only
def test_the_content_folder_itself_linked_elsewhere_is_refused_once(tmp_path, outside):
    (outside / "media").mkdir()
    (outside / "media" / "x.gif").write_bytes(GIF)
    root = make_hub(tmp_path / "hub", {})
    os.symlink(outside, root / "content")
    result = build(root)
    assert result.exit_code == 1
    assert errors(result) == [f"content:1:1: {REFUSED_LINK}"]
    assert leaks(root / "dist") == []


@posix_only
def test_a_dangling_link_is_an_error_not_a_traceback(tmp_path):
    root = hub_with_link(tmp_path, "content/posts/2026-01-06-gone.md", "/nonexistent/gone.md")
    (root / "content/media").mkdir(parents=True)
    os.symlink("/nonexistent/gone.gif", root / "content/media/gone.gif")
    result = build(root)
    assert result.exit_code == 1, result.output
    assert errors(result) == [f"content/media/gone.gif:1:1: {REFUSED_LINK}",
                              f"content/posts/2026-01-06-gone.md:1:1: {REFUSED_LINK}"]


@posix_only
@pytest.mark.parametrize("path", ["content/media/pipe.gif", "content/posts/2026-01-06-pipe.md",
                                  "calendar/channels.yml", "guidelines/styles/Ours/Pipe.yml"])
def test_a_named_pipe_is_refused_without_hanging_the_build(tmp_path, path):
    root = make_hub(tmp_path / "hub", PUBLIC)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / path)
    result = build(root)
    assert result.exit_code == 1, result.output
    assert f"{path}:1:1: error: [files] not read: a named pipe; Hearth reads only regular files " \
           "inside the hub" in result.output


# --------------------------------------------------------------------------- 2. media of non-public items


DRAFT_SPELLINGS = [
    "![a](media/./x.gif)",
    "![a](media/sub/../x.gif)",
    "![a](./media/x.gif)",
    "![a](/media/x.gif)",
    "![a](../media/x.gif)",
    "![a](../../media/x.gif)",
    "![a](content/media/x.gif)",
    "![a]({{base}}media/x.gif)",
    "![a](<media/x.gif>)",
    "![a](media/x.gif?v=2)",
    "![a](media/x.gif#top)",
    "![a](https://example.org/media/x.gif)",
    "![a](//example.org/media/x.gif)",
    "![a](media/X.GIF)",
    "![a](media%2Fx.gif)",
    "![a](media/x&#46;gif)",
    '<img src="media/x.gif" alt="a">',
    "<img src='/media/x.gif'>",
    "[the photo][p]\n\n[p]: media/x.gif",
    "[download](media/x.gif)",
    "`media/x.gif` in code",
]


@pytest.mark.parametrize("spelling", DRAFT_SPELLINGS)
def test_a_drafts_media_stays_out_of_the_hub_however_its_path_is_written(hub, spelling):
    root = hub({**PUBLIC,
                "content/posts/2026-01-06-draft.md": post("Draft", f"Soon.\n\n{spelling}\n", status="draft"),
                "content/media/x.gif": GIF,
                "content/media/logo.png": b"\x89PNG"})
    result = build(root)
    assert result.exit_code == 0, result.output
    files = snapshot(root / "dist/hub")
    assert "media/x.gif" not in files
    assert "media/logo.png" in files, "unreferenced media is still copied"
    assert leaks(root / "dist/hub") == []


def test_a_percent_encoded_name_with_a_space_is_the_drafts_too(hub):
    root = hub({**PUBLIC,
                "content/posts/2026-01-06-draft.md": post("Draft", "![a](media/draft%20photo.gif)",
                                                          status="draft"),
                "content/media/draft photo.gif": GIF})
    assert build(root).exit_code == 0
    assert leaks(root / "dist/hub") == []
    assert not (root / "dist/hub/media/draft photo.gif").exists()


@pytest.mark.parametrize("item", [
    {"content/pages/soon.md": post("Soon", "![a](./media/x.gif)", status="review")},
    {"guidelines/draft.md": post("Draft rule", "![a](media/./x.gif)", status="draft")},
    {"content/posts/2026-12-24-future.md": post("Future", "![a](/media/x.gif)", date="2026-12-24")},
    {"content/posts/2026-01-02-gone.md": post("Gone", "![a](media/x.gif)", expires="2026-01-03")},
    {"content/posts/2026-01-06-fm.md": post("Draft", "Soon.", status="draft", thumbnail="media/x.gif")},
    {"calendar/events/picnic.md": "---\ntitle: Picnic\nstart: 2026-12-01 10:00\nduration: 2h\n"
                                  "status: draft\n---\n![a](media/x.gif)\n"},
    {"calendar/campaigns/spring.md": "---\ntitle: Spring\nstart: 2026-03-01\nend: 2026-03-31\n---\n"
                                     "Poster: media/x.gif\n"},
])
def test_no_non_public_item_publishes_its_media(hub, item):
    root = hub({**PUBLIC, **item, "content/media/x.gif": GIF})
    result = build(root)
    assert result.exit_code == 0, result.output
    assert "media/x.gif" not in snapshot(root / "dist/hub")
    assert leaks(root / "dist/hub") == []


@pytest.mark.parametrize("public_spelling", ["![a](media/x.gif)", "![a](./media/X.GIF)",
                                             "[a][x]\n\n[x]: /media/x.gif"])
def test_a_file_a_public_post_uses_is_copied_even_if_a_draft_uses_it_too(hub, public_spelling):
    root = hub({"content/posts/2026-01-05-public.md": post("Public", public_spelling),
                "content/posts/2026-01-06-draft.md": post("Draft", "![a](media/x.gif)", status="draft"),
                "content/media/x.gif": GIF})
    assert build(root).exit_code == 0
    assert "media/x.gif" in snapshot(root / "dist/hub")


def test_a_public_posts_mere_mention_in_code_does_not_publish_a_drafts_file(hub):
    root = hub({"content/posts/2026-01-05-public.md": post("Public", "Run `ls media/x.gif` to see it."),
                "content/posts/2026-01-06-draft.md": post("Draft", "![a](media/x.gif)", status="draft"),
                "content/media/x.gif": GIF})
    assert build(root).exit_code == 0
    assert "media/x.gif" not in snapshot(root / "dist/hub")


def test_hidden_media_files_are_not_published(hub):
    root = hub({**PUBLIC, "content/media/.DS_Store": SECRET, "content/media/.cache/x.gif": GIF,
                "content/media/logo.png": b"\x89PNG"})
    assert build(root).exit_code == 0
    files = snapshot(root / "dist/hub")
    assert "media/logo.png" in files and leaks(root / "dist/hub") == []


# --------------------------------------------------------------------------- 3. scripts in content


SCRIPT_LINKS = [
    "[click](javascript:alert('x'))",
    "[click](JavaScript:alert('x'))",
    "[click](java&#115;cript:alert('x'))",
    "[click](vbscript:msgbox)",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "![pic](javascript:alert('x'))",
    "[click][r]\n\n[r]: javascript:alert('x')",
    "[click](https://example.org/){: onclick=\"alert('x')\" }",
    "[click](https://example.org/){: href=\"javascript:alert('x')\" }",
]


@pytest.mark.parametrize("link", SCRIPT_LINKS)
def test_script_links_in_markdown_are_neutralised_as_hugo_does(hub, link):
    root = hub({"content/posts/2026-01-05-public.md": post("Public", f"Look: {link}\n")})
    assert build(root).exit_code == 0
    page = (root / "dist/hub/posts/public/index.html").read_text()
    article = page[page.index("<article"):]
    assert not re.search(r"javascript:|vbscript:|data:text|onclick", article, re.IGNORECASE), article
    assert 'href=""' in article or 'src=""' in article or "<a " in article


def test_a_data_image_stays_an_image(hub):
    root = hub({"content/posts/2026-01-05-public.md": post("Public", "![dot](data:image/png;base64,iVBORw0KGgo=)")})
    assert build(root).exit_code == 0
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in (root / "dist/hub/posts/public/index.html").read_text()


RAW_HTML = f"""Before.

<script>alert('{SECRET}')</script>

<div onclick="steal()">{SECRET} block</div>

Inline <span style="color:red">styled</span> and <img src=x onerror="alert(1)"> end.

<!-- Reviewer note: {SECRET} -->
"""


def test_raw_html_is_omitted_by_default_as_hugo_does(hub):
    root = hub({"content/posts/2026-01-05-public.md": post("Public", RAW_HTML)})
    assert build(root).exit_code == 0
    page = (root / "dist/hub/posts/public/index.html").read_text()
    assert SECRET not in page and "onerror" not in page and "steal()" not in page
    assert "<!-- raw HTML omitted -->" in page
    assert "<p>Before.</p>" in page
    assert "<p>Inline <!-- raw HTML omitted -->styled<!-- raw HTML omitted --> and " in page, \
        "inline, only the tags go (goldmark): the text between them is the writer's"


def test_a_hub_owner_allows_raw_html_in_hearth_toml(hub):
    toml = ('[site]\ntitle = "Test Hub"\nbase_url = "https://example.org/"\n'
            '[build]\nunsafe_html = true\n')
    root = hub({"content/posts/2026-01-05-public.md": post("Public", RAW_HTML + "\n[x](javascript:go())\n")},
               toml=toml)
    assert build(root).exit_code == 0
    page = (root / "dist/hub/posts/public/index.html").read_text()
    assert '<span style="color:red">styled</span>' in page and f"<!-- Reviewer note: {SECRET} -->" in page
    assert "<script>alert(" in page and 'href="javascript:go()"' in page


def test_unsafe_html_must_be_true_or_false(hub):
    toml = '[site]\ntitle = "Test Hub"\n[build]\nunsafe_html = "yes"\n'
    result = run(hub({}, toml=toml), "build")
    assert result.exit_code == 2
    assert "hearth.toml:4: 'unsafe_html' must be true or false" in result.output


def test_script_links_in_events_are_neutralised_too(hub):
    root = hub({**PUBLIC, "calendar/events/meetup.md": (
        "---\ntitle: Meetup\nstart: 2026-12-01 18:00\nduration: 2h\n---\n[rsvp](javascript:alert(1))\n<b>raw</b>\n")})
    assert build(root).exit_code == 0
    page = (root / "dist/hub/events/meetup/index.html").read_text()
    assert "javascript:" not in page and "<b>raw</b>" not in page


# --------------------------------------------------------------------------- 4. absolute image URLs


def test_an_absolute_image_url_is_used_as_written(hub):
    image = "https://cdn.example.net/photos/spring.jpg"
    root = hub({"content/posts/2026-01-05-public.md": post("Public", image=image, image_alt="Spring"),
                "calendar/channels.yml": "channels:\n  ig: {kind: instagram}\n"})
    root.joinpath("content/posts/2026-01-05-public.md").write_text(
        post("Public", image=image, image_alt="Spring", channels={"ig": "Spring is here"}))
    result = build(root)
    assert result.exit_code == 0, result.output
    page = (root / "dist/hub/posts/public/index.html").read_text()
    assert f'<meta property="og:image" content="{image}">' in page
    assert f'src="{image}"' in page
    assert "example.org/https" not in page and '"/https:' not in page
    home = (root / "dist/hub/index.html").read_text()
    assert f'src="{image}"' in home
    queue = json.loads((root / "dist/queues/ig.json").read_text())
    assert queue["items"][0]["media"][0]["url"] == image


def test_a_relative_image_is_still_under_the_base_url(hub):
    toml = '[site]\ntitle = "Test Hub"\nbase_url = "https://example.org/sub/"\n'
    root = hub({"content/posts/2026-01-05-public.md": post("Public", image="media/a.jpg", image_alt="A"),
                "content/media/a.jpg": b"\xff\xd8\xff"}, toml=toml)
    assert build(root).exit_code == 0
    page = (root / "dist/hub/posts/public/index.html").read_text()
    assert 'content="https://example.org/sub/media/a.jpg"' in page and 'src="/sub/media/a.jpg"' in page


# --------------------------------------------------------------------------- 5. hidden and AppleDouble files


def test_hidden_drafts_and_appledouble_files_are_skipped_silently(hub):
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\x00\x00\x00\x09\xff\xfe" + SECRET.encode()
    root = hub({**PUBLIC,
                "content/posts/.draft-idea.md": post(f"Idea {SECRET}", SECRET),
                "content/posts/._2026-01-05-public.md": apple_double,
                "content/pages/._about.md": apple_double,
                "calendar/events/._meetup.md": apple_double,
                "guidelines/._voice.md": apple_double,
                "content/posts/.trash/2026-01-06-old.md": post(f"Old {SECRET}", SECRET)})
    result = build(root)
    assert result.exit_code == 0, result.output
    assert result.output.count("warning") == 0 and "._" not in result.output
    assert leaks(root / "dist") == []
    check = run(root, "check", "--now", NOW)
    assert check.exit_code == 0, check.output


@posix_only
def test_fix_leaves_linked_posts_and_pipes_alone(tmp_path, outside):
    root = hub_with_link(tmp_path, "content/posts/2026-01-06-linked.md", outside / "secret.md", {
        "content/posts/2026-01-05-public.md": post("Public", "A zebra here."),
        "guidelines/rules.yml": "- id: we\n  extends: substitution\n  message: Say %s\n"
                                "  swap: {zebra: Zebra}\n"})
    os.symlink(outside / "posts", root / "content/posts/more")
    os.mkfifo(root / "content/posts/2026-01-07-pipe.md")
    before = (outside / "secret.md").read_bytes()
    result = run(root, "fix", "--write")
    assert result.exit_code == 0, result.output
    assert "fixed content/posts/2026-01-05-public.md" in result.output
    assert "A Zebra here." in (root / "content/posts/2026-01-05-public.md").read_text()
    assert (outside / "secret.md").read_bytes() == before
    assert (root / "content/posts/2026-01-06-linked.md").is_symlink()


def test_a_rebuild_removes_a_file_a_draft_starts_to_use(hub):
    root = hub({**PUBLIC, "content/media/x.gif": GIF})
    assert build(root).exit_code == 0
    assert (root / "dist/hub/media/x.gif").is_file(), "unreferenced: copied"
    (root / "content/posts/2026-01-06-draft.md").write_text(
        post("Draft", "![a](media/./x.gif)", status="draft"))
    assert build(root).exit_code == 0
    assert not (root / "dist/hub/media/x.gif").exists()
    assert leaks(root / "dist/hub") == []
