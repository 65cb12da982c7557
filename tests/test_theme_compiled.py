"""Compiled templates kept between builds (`make_environment(root, compiled=…)`)."""

from __future__ import annotations

from pathlib import Path

from hearth.theme import make_environment


def test_compiled_templates_render_alike_and_follow_edits(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    (hub / "templates").mkdir(parents=True)
    page = hub / "templates" / "hello.html"
    page.write_text("Hello {{ name }}!\n")
    folder = tmp_path / "compiled"

    first = make_environment(hub, folder).get_template("hello.html").render(name="<b>")
    assert first == "Hello &lt;b&gt;!\n"
    assert any(folder.iterdir())                       # kept for the next build
    again = make_environment(hub, folder).get_template("hello.html").render(name="<b>")
    assert again == first == make_environment(hub).get_template("hello.html").render(name="<b>")

    page.write_text("Bye {{ name }}!\n")               # an edited template is compiled again
    assert make_environment(hub, folder).get_template("hello.html").render(name="x") == "Bye x!\n"


def test_a_compiled_folder_that_cannot_be_made_costs_nothing_but_time(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = make_environment(hub, blocker / "compiled")
    assert env.get_template("redirect.html") is not None
