"""What a post's place says when its front matter does not: its date (from
Zola's `path`, the file name or the folder) and its language (from a
`<lang>/` folder under content/posts). Pure: a path and front matter in.

The date, when the front matter has no `date`, is the first found of:

1. Zola's `path = "2019/05/12/slug"` (a `YYYY/MM/DD` run anywhere in it);
2. the file name: `2019-05-12-post.md` (Jekyll), `2019-05-12_post.md` (Zola);
3. the folders, nearest first: `2019-05-12-post/index.md` (a bundle) or
   `2019/05/12/post.md`.

The language, when the front matter has no `lang`, comes from the first
folder under content/posts when its name is a BCP 47 tag that Babel knows
(`zh`, `fr`, `pt-BR`, `zh-Hant`), and, if `[site] languages` lists the hub's
languages, one of them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

import babel

POSTS = "content/posts/"
PATH_DATE = re.compile(r"(?:^|/)(\d{4})/(\d{2})/(\d{2})(?=/|$)")
NAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[-_]|$)")
# a folder as a language: a lower-case language subtag, then script/region subtags
FOLDER_LANG = re.compile(r"^[a-z]{2,3}(?:[-_](?:[A-Z][a-z]{3}|[A-Z]{2}|\d{3}))*$")


def path_date(meta: dict) -> str | None:
    """`path = "2019/05/12/slug"` → "2019-05-12"."""
    value = meta.get("path")
    if not isinstance(value, str):
        return None
    match = PATH_DATE.search(value.strip())
    return "-".join(match.groups()) if match else None


def folder_date(relpath: str) -> str | None:
    """The date the folders of a post give, nearest folder first: a folder
    named `YYYY-MM-DD…`, or three folders `YYYY/MM/DD`."""
    if not relpath.startswith(POSTS):
        return None
    folders = PurePosixPath(relpath[len(POSTS):]).parent.parts
    for i in range(len(folders) - 1, -1, -1):
        named = NAME_DATE.match(folders[i])
        if named:
            return named.group(1)
        if i >= 2 and re.fullmatch(r"\d{4}/\d{2}/\d{2}", "/".join(folders[i - 2:i + 1])):
            return "-".join(folders[i - 2:i + 1])
    return None


@lru_cache(maxsize=256)
def known_language(tag: str) -> bool:
    """A tag Babel has a locale for (`zh`, `pt-BR`), not merely shaped like one."""
    try:
        babel.Locale.parse(tag.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return False
    return True


def folder_lang(relpath: str, languages: tuple[str, ...] = ()) -> str | None:
    """`content/posts/zh/…` → "zh", when `zh` is a language (and one of
    `languages`, if given); `_` in a folder name is written `-` (`zh_CN` → `zh-CN`)."""
    if not relpath.startswith(POSTS):
        return None
    parts = relpath[len(POSTS):].split("/")
    if len(parts) < 2 or not FOLDER_LANG.match(parts[0]):
        return None
    tag = parts[0].replace("_", "-")
    if languages:
        wanted = {lang.replace("_", "-").casefold() for lang in languages}
        return tag if tag.casefold() in wanted else None
    return tag if known_language(tag) else None

