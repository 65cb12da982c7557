"""Old URLs of a migrated post: Jekyll's `redirect_from` and Hugo's `aliases`
→ the files a redirect page is written to. Pure; `validate` reports what is
wrong with one, `plan.hub` writes the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Post

REDIRECT_KEYS = ("redirect_from", "aliases")
# URL paths the hub writes itself; a post, page or redirect there would overwrite them
HUB_OWN = ("tags/", "events/", "guidelines/", "assets/", "media/", "page/", "feed.xml",
           "sitemap.xml", "robots.txt", "search.json", "404.html", "index.html")


@dataclass(frozen=True)
class Redirect:
    file: str               # where the page is written, under the hub: old/path/index.html
    post: Post              # where it sends the reader
    line: int
    column: int
    problem: str | None     # why it cannot be written (the value is not a path on the site)


def redirects_of(post: Post) -> list[Redirect]:
    """Every old path `post` names. `redirect_from: /a/b` becomes `a/b.html`
    (what Jekyll's jekyll-redirect-from writes), `aliases: [/a/b]` becomes
    `a/b/index.html` (what Hugo writes); a path ending with `/` is a folder and
    one ending with `.html`/`.htm` a file for both."""
    found = []
    for key in REDIRECT_KEYS:
        value = post.extra.get(key)
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        for index, old in enumerate(values):
            where = (key, index) if isinstance(value, list) else (key,)
            line, column = post.doc.line_of(*where)
            file, problem = _file_for(old, key)
            found.append(Redirect(file, post, line, column, problem))
    return found


def _file_for(old: object, key: str) -> tuple[str, str | None]:
    if not isinstance(old, str) or not old.strip():
        return "", f"{key} must be a path or a list of paths, like /2011/05/04/old-name.html"
    path = old.strip()
    if "://" in path or path.startswith("//"):
        return "", (f"{key} '{path}' is a full URL: write the path on this site, "
                    f"like /2011/05/04/old-name.html")
    path = path.split("#", 1)[0].split("?", 1)[0]
    parts = path.split("/")
    if "\\" in path or ".." in parts or any(p.startswith(".") for p in parts if p):
        return "", f"{key} '{old}' would leave the hub or name a hidden file: write a plain path"
    path = path.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html", None
    if path.lower().endswith((".html", ".htm")):
        return path, None
    return (path + ".html", None) if key == "redirect_from" else (path + "/index.html", None)


def page_file(url: str) -> str:
    """A URL path of the hub → the file it is served from."""
    return url + "index.html" if url.endswith("/") or not url else url


def reserved_file(file: str) -> bool:
    """A file the hub writes itself, or one under a folder it owns."""
    key = file.casefold()
    return any(key == r or (r.endswith("/") and key.startswith(r)) for r in HUB_OWN)
