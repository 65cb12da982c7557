"""Page bundles, sections and `static/`: which files under content/posts are
posts and which are a post's own files, the folder a post is in, and the
files of the hub's `static/` folder.

A page bundle (Hugo's leaf bundle, Zola's asset co-location) is a folder
under content/posts holding `index.md` (or any Markdown suffix, or an
`.html` post): that file is the post, named after the folder, and every
other file below the folder is the post's own, published beside its page
when the post is. Hidden files are skipped and links refused exactly as in
content/media (`front_matter.hub_files`, `source.not_regular`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..diagnostics import Diagnostic, diagnostic
from ..source import not_regular
from .front_matter import HTML_SUFFIXES, MARKDOWN_SUFFIXES, hub_files, is_html, is_markdown

POSTS = "content/posts"
STATIC = "static"
WELL_KNOWN = ".well-known"          # RFC 8615: the one hidden folder a site publishes
_INDEX_SUFFIXES = frozenset((*MARKDOWN_SUFFIXES, *HTML_SUFFIXES))


def is_bundle_index(relpath: str) -> bool:
    """`content/posts/<folder…>/index.md` (any Markdown suffix, or `.html`): a
    bundle's post. `content/posts/index.md` itself is a plain post."""
    folder, _, name = relpath.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    return (stem == "index" and bool(dot) and folder.startswith(POSTS + "/")
            and ("." + suffix.lower()) in _INDEX_SUFFIXES)


def is_list_page(relpath: str) -> bool:
    """Hugo's and Zola's `_index.md`: a section's list page, not a post."""
    name = relpath.rpartition("/")[2]
    return (name.startswith("_index.") and name.count(".") == 1
            and (is_markdown(relpath) or is_html(relpath)))


def post_stem(relpath: str, kind: str) -> str:
    """The name a post's slug and date prefix come from: the file name without
    its suffix, or a bundle's folder name (`2020-05-01-trip/index.md` → `2020-05-01-trip`)."""
    path = PurePosixPath(relpath)
    return path.parent.name if kind == "post" and is_bundle_index(relpath) else path.stem


def post_folder(relpath: str) -> str:
    """The folder a post is in, relative to content/posts (`inside-rust`,
    `inside-rust/2020`, or '' at the top); a bundle is in its folder's parent."""
    # plain strings, not PurePosixPath: this runs for every post of every build
    rel = relpath.rpartition("/")[0]
    if is_bundle_index(relpath):
        rel = rel.rpartition("/")[0]
    return rel[len(POSTS) + 1:] if rel.startswith(POSTS + "/") else ""


def section_of(relpath: str) -> str:
    """`{section}`: the first sub-folder under content/posts, '' for a top-level post."""
    return post_folder(relpath).split("/")[0]


def bundles(posts: list[str]) -> dict[str, str]:
    """Bundle folder → its post, for the bundle index files among `posts` (paths
    relative to the hub). An inner bundle's index is its outer bundle's file."""
    found: dict[str, str] = {}
    for relpath in sorted(posts, key=lambda p: (p.count("/"), p)):
        if not is_bundle_index(relpath):
            continue
        folder = relpath.rpartition("/")[0]
        if folder in found or owner(relpath, found) is not None:
            continue
        found[folder] = relpath
    return found


def owner(relpath: str, folders: dict[str, str]) -> str | None:
    """The bundle folder `relpath` is inside, or None."""
    parent = relpath.rpartition("/")[0]
    while parent.startswith(POSTS + "/"):
        if parent in folders:
            return parent
        parent = parent.rpartition("/")[0]
    return None


@dataclass
class Layout:
    """content/posts read as posts and bundles."""

    posts: list[str]                        # the files to read as posts
    unread: list[str]                       # files neither read nor published (warned)
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)   # bundle post → its files
    diagnostics: list[Diagnostic] = field(default_factory=list)


def bundle_layout(root: Path, posts: list[str], unread: list[str]) -> Layout:
    """Split content/posts' Markdown files (`posts`) and other files (`unread`)
    into posts, bundle files and files left unread. A bundle's other Markdown
    files are not posts (Hugo reads them as the bundle's resources) and are not
    published: they join the unread warning. `_index.md` list pages are one
    warning of their own. A link, pipe or device inside a bundle is an error."""
    lists = [p for p in posts if is_list_page(p)]
    posts = [p for p in posts if not is_list_page(p)]
    folders = bundles(posts)
    layout = Layout([], [])
    inner: list[str] = []
    own: dict[str, list[str]] = {post: [] for post in folders.values()}
    for relpath in posts:
        folder = owner(relpath, folders)
        if folder is None or relpath == folders[folder]:
            layout.posts.append(relpath)
        elif is_markdown(relpath):
            inner.append(relpath)
        else:
            own[folders[folder]].append(relpath)
    for relpath in unread:
        folder = owner(relpath, folders)
        (layout.unread if folder is None else own[folders[folder]]).append(relpath)
    layout.unread.sort()
    layout.files = {post: tuple(sorted(found)) for post, found in own.items() if found}
    if folders:
        listed = set(posts)
        refused = [rel for rel in hub_files(root, POSTS)[1]
                   if rel not in listed and owner(rel, folders) is not None]
        layout.diagnostics += [p for p in (not_regular(root, rel) for rel in refused) if p is not None]
    if lists:
        layout.diagnostics.append(_one_warning(
            lists, "section list page", "Hearth makes the home, tag and feed pages itself; move "
            "text to keep into content/pages"))
    if inner:
        layout.diagnostics.append(_one_warning(
            inner, "Markdown file", "inside a page bundle only index.md is a post, and its other "
            "Markdown files are not published; move one out of the folder to make it a post"))
    return layout


def _one_warning(paths: list[str], what: str, why: str) -> Diagnostic:
    """One `[unread-file]` warning for many files, at the first."""
    more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
    return diagnostic(paths[0], 1, 1, "warning",
                      f"{len(paths)} {what}{'s' if len(paths) > 1 else ''} not read "
                      f"({paths[0]}{more}): {why}", "unread-file")


def static_files(root: Path) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """`static/`'s regular files (paths relative to the hub), hidden ones left
    out but for `static/.well-known/`; a link, pipe or device there is an error
    naming it, as in content/media."""
    files, others = hub_files(root, STATIC)
    if (root / STATIC / WELL_KNOWN).is_dir() or (root / STATIC / WELL_KNOWN).is_symlink():
        more, refused = hub_files(root, f"{STATIC}/{WELL_KNOWN}")
        files += more
        others += refused
    problems = [p for p in (not_regular(root, rel) for rel in sorted(others)) if p is not None]
    return tuple(sorted(files)), problems
