"""Every bad-input rule of the contract: the message, the line, exit 1 (2 for
settings), no traceback, and the previous output left exactly as it was."""

from __future__ import annotations

import pytest

from conftest import NOW, run, snapshot

GOOD_POST = """\
---
title: Hello
date: 2026-01-05
---
Body.
"""


def build_twice(hub, bad_files: dict, toml: str | None = None):
    """Build a good hub, then break it; return (result of the bad build, root)."""
    root = hub({"content/posts/2026-01-05-hello.md": GOOD_POST}) if toml is None else \
        hub({"content/posts/2026-01-05-hello.md": GOOD_POST})
    first = run(root, "build", "--now", NOW)
    assert first.exit_code == 0, first.output
    before = snapshot(root / "dist")
    for relpath, content in bad_files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    result = run(root, "build", "--now", NOW)
    assert "Traceback" not in result.output
    assert snapshot(root / "dist") == before, "a failed build changed dist/"
    return result, root


CASES = {
    "broken YAML": (
        {"content/posts/2026-02-01-broken.md": "---\ntitle: Broken\ndate: 2026-02-01\ntags: [a, b\n---\nx\n"},
        "content/posts/2026-02-01-broken.md:4:7: error: [yaml] invalid YAML in front matter"),
    "missing title": (
        {"content/posts/2026-02-01-untitled.md": "---\ndate: 2026-02-01\n---\nx\n"},
        "content/posts/2026-02-01-untitled.md:1:1: error: [front-matter] missing required key 'title'"),
    "bad date": (
        {"content/posts/when.md": "---\ntitle: When\ndate: next tuesday\n---\nx\n"},
        "content/posts/when.md:3:7: error: [front-matter] bad date 'next tuesday'"),
    "no date at all": (
        {"content/posts/undated.md": "---\ntitle: Undated\n---\nx\n"},
        "content/posts/undated.md:2:8: error: [front-matter] missing required key 'date'"),
    "bad status": (
        {"content/posts/2026-02-01-s.md": "---\ntitle: S\nstatus: published\n---\nx\n"},
        "content/posts/2026-02-01-s.md:3:9: error: [front-matter] status must be one of draft, review, ready"),
    "unknown channel": (
        {"content/posts/2026-02-01-c.md": "---\ntitle: C\nchannels:\n  myspace: \"hi {url}\"\n---\nx\n"},
        "content/posts/2026-02-01-c.md:4:3: error: [channel] unknown channel 'myspace'"),
    "unknown campaign": (
        {"content/posts/2026-02-01-k.md": "---\ntitle: K\ncampaign: spring\n---\nx\n"},
        "content/posts/2026-02-01-k.md:3:11: error: [campaign] unknown campaign 'spring'"),
    "two posts with one slug": (
        {"content/posts/2026-02-01-hello.md": "---\ntitle: Other hello\n---\nx\n"},
        "error: [duplicate-slug] two files share the URL 'posts/hello/'"),
    "page on a path the hub uses": (
        {"content/pages/tags.md": "---\ntitle: Our tags\n---\nx\n"},
        "content/pages/tags.md:1:1: error: [duplicate-slug] the URL 'tags/' is where the hub puts its own 'tags/'"),
    "slug leaving the output folder": (
        {"content/posts/2026-02-01-evil.md": "---\ntitle: Evil\nslug: ../../../etc/passwd\n---\nx\n"},
        "content/posts/2026-02-01-evil.md:3:7: error: [front-matter] slug '../../../etc/passwd' would leave"),
    "not UTF-8": (
        {"content/posts/2026-02-01-latin1.md": "---\ntitle: Caf\xe9\n---\nx\n".encode("latin-1")},
        "content/posts/2026-02-01-latin1.md:2:11: error: [encoding] file is not UTF-8 (byte 0xe9)"),
    "empty file": (
        {"content/posts/2026-02-01-empty.md": ""},
        "content/posts/2026-02-01-empty.md:1:1: error: [front-matter] empty file"),
    "unclosed front matter": (
        {"content/posts/2026-02-01-open.md": "---\ntitle: Open\n"},
        "content/posts/2026-02-01-open.md:1:1: error: [front-matter] front matter opens with '---' but is never closed"),
    "image without alt text": (
        {"content/posts/2026-02-01-img.md": "---\ntitle: Img\nimage: media/a.jpg\n---\nx\n",
         "content/media/a.jpg": b"\xff\xd8\xff"},
        "content/posts/2026-02-01-img.md:3:8: error: [alt-text] image needs alt text"),
    "missing image file": (
        {"content/posts/2026-02-01-img.md": "---\ntitle: Img\nimage: media/nope.jpg\nimage_alt: A cat\n---\nx\n"},
        "content/posts/2026-02-01-img.md:3:8: error: [media] image 'media/nope.jpg' not found"),
    "template error": (
        {"templates/post.html": "{% extends 'base.html' %}\n{% block main %}\n{{ post.no_such_field }}\n{% endblock %}\n"},
        "templates/post.html:3:1: error: [template] template error:"),
    "template syntax error": (
        {"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n",
         "content/pages/about.md": "---\ntitle: About\n---\nx\n"},
        "templates/page.html:3:1: error: [template] template error:"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_reported_with_its_line_and_leaves_dist_alone(hub, name):
    files, expected = CASES[name]
    result, _ = build_twice(hub, files)
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output


def test_every_problem_is_reported_in_one_run_sorted(hub):
    result, _ = build_twice(hub, {
        "content/posts/b.md": "---\ntitle: B\ndate: soon\n---\nx\n",
        "content/posts/a.md": "---\ndate: 2026-01-01\n---\nx\n",
    })
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines == sorted(lines)
    assert lines[0].startswith("content/posts/a.md:") and lines[1].startswith("content/posts/b.md:")


def test_typo_in_a_key_is_a_warning_and_unknown_keys_are_kept(hub):
    root = hub({"content/posts/2026-01-05-hello.md":
                "---\ntitle: Hello\ntitel: Oops\ncategories: [news]\n---\nx\n"})
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0
    assert "content/posts/2026-01-05-hello.md:3:1: warning: [front-matter] unknown key 'titel'; " \
           "did you mean 'title'?" in result.output
    assert "categories" not in result.output
    strict = run(root, "build", "--now", NOW, "--strict")
    assert strict.exit_code == 1


@pytest.mark.parametrize("toml, message", [
    ('[site]\ntitle = "T"\ntimezon = "UTC"\n',
     "hearth.toml:3: unknown key 'timezon' in [site]; did you mean 'timezone'?"),
    ('[site]\ntitle = "T"\n[bulid]\noutput = "x"\n',
     "hearth.toml:3: unknown section [bulid]; did you mean 'build'?"),
    ('[site]\ntitle = "T"\nbase_url = "/relative/"\n',
     "hearth.toml:3: base_url must be absolute"),
    ('[site]\ntitle = "T"\ntimezone = "Mars/Olympus"\n', "hearth.toml:3: unknown time zone 'Mars/Olympus'"),
    ('[site]\ntitle = "T"\npermalink = "../{slug}/"\n', "hearth.toml:3: permalink must stay inside the site"),
    ('[site]\ntitle = "T"\npermalink = "{year}/{title}/"\n', "hearth.toml:3: permalink must contain {slug}"),
    ('[site]\ndescription = "no title"\n', "hearth.toml:1: [site] needs a 'title'"),
    ('[site\ntitle = "T"\n', "hearth.toml:1: invalid TOML"),
])
def test_bad_settings_exit_2_with_the_key_and_a_suggestion(hub, toml, message):
    root = hub({}, toml=toml)
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (root / "dist").exists()


def test_no_hearth_toml_is_bad_usage(tmp_path):
    result = run(tmp_path, "build")
    assert result.exit_code == 2
    assert "no hearth.toml" in result.output


def test_bad_now_is_bad_usage(hub):
    root = hub({})
    result = run(root, "build", "--now", "yesterday")
    assert result.exit_code == 2
    assert "Invalid value for '--now': 'yesterday' is not an ISO 8601 time" in result.output


def test_bom_and_crlf_are_read_as_plain_text(hub):
    root = hub({"content/posts/2026-01-05-bom.md":
                "\ufeff---\r\ntitle: BOM post\r\ndate: 2026-01-05\r\n---\r\nLine one\r\n\r\n## Two\r\n".encode()})
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    html = (root / "dist/hub/posts/bom/index.html").read_text()
    assert "BOM post" in html and "\r" not in html and "<h2" in html


def test_yaml_error_line_counts_the_front_matter_offset(hub):
    root = hub({"content/pages/about.md": "---\ntitle: About\nsummary: \"unterminated\nlang: en\n---\nx\n"})
    result = run(root, "check")
    assert result.exit_code == 1
    assert "content/pages/about.md:" in result.output and "[yaml]" in result.output
    line = int(result.output.split("content/pages/about.md:")[1].split(":")[0])
    assert line in (3, 4, 5)
