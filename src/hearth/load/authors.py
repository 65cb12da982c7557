"""A post's authors from its front matter: `author` (Jekyll, Hugo) and
`authors` (Zola, Hugo), in every shape those generators' blogs write them.

Each entry is one of:

- a name: `Ann Lee`;
- a Markdown string: `[Ann Lee](https://ann.example) (Example Corp)`, shown as
  inline Markdown in the safe mode (no raw HTML; `javascript:`-like links
  emptied), named in feeds by its text (`Ann Lee (Example Corp)`);
- a mapping: `{name: Ann Lee, url: https://ann.example}` (`link`, `website`,
  `homepage` for `url` too; an `email` alone becomes a `mailto:` link; other
  keys, `avatar` or `twitter`, are not read).

`author` and `authors` each take one entry or a list of them; both may be
given, and each name is kept once (with its link, if one of its entries has one),
in the order `author` then `authors` give them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..markup import link_html, only_link, plain_text, render_inline
from ..model import Author

URL_KEYS = ("url", "link", "website", "homepage", "href")


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, date)):
        return None
    text = " ".join(str(value).split())
    return text or None


def one_author(value: Any, base_path: str) -> Author | None | bool:
    """One entry → an Author; None when empty; False when it is no shape above."""
    if isinstance(value, dict):
        name = _text(value.get("name"))
        if name is None:
            return False
        url = next((_text(value[k]) for k in URL_KEYS if _text(value.get(k))), None)
        if url is None and _text(value.get("email")):
            url = "mailto:" + str(_text(value["email"]))
        html = link_html(name, url, base_path)
        return Author(name, (only_link(html) or None) if url else None, html)
    text = _text(value)
    if text is None:
        return None if value is None or value == "" else False
    html = render_inline(text, base_path)
    return Author(plain_text(html) or text, only_link(html) or None, html)


def read_authors(meta: dict, base_path: str) -> tuple[tuple[Author, ...], list[tuple]]:
    """`author` and `authors` → the authors, each name once, and where each
    entry is that is none of the shapes above: `(key,)` or `(key, index)`."""
    found: list[Author] = []
    bad: list[tuple] = []
    for key in ("author", "authors"):
        value = meta.get(key)
        listed = isinstance(value, list)
        for index, entry in enumerate(value if listed else [value]):
            author = one_author(entry, base_path)
            if author is False:
                bad.append((key, index) if listed else (key,))
            elif author is not None:
                found.append(author)
    unique: dict[str, Author] = {}
    for author in found:
        key = author.name.casefold()
        if key not in unique or ("<a " in author.html and "<a " not in unique[key].html):
            unique[key] = author            # the same name with a link wins, in the first's place
    return tuple(unique.values()), bad
