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
from ..source import not_regular, read
from .front_matter import HTML_SUFFIXES, MARKDOWN_SUFFIXES, hub_files, is_html, is_markdown
from .implied import folder_lang

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
    """Hugo's and Zola's `_index.md` (or Zola's translation `_index.fr.md`): a
    section's list page, not a post."""
    stem = file_stem(relpath)
    return ((stem == "_index" or stem.startswith("_index."))
            and (is_markdown(relpath) or is_html(relpath)))


def post_stem(relpath: str, kind: str) -> str:
    """The name a post's slug and date prefix come from: the file name without
    its suffix, or a bundle's folder name (`2020-05-01-trip/index.md` → `2020-05-01-trip`)."""
    if kind == "post" and is_bundle_index(relpath):
        return relpath.rpartition("/")[0].rpartition("/")[2]
    return file_stem(relpath)


def file_stem(relpath: str) -> str:
    """`PurePosixPath(relpath).stem` of a normalized relative path, in plain strings
    (it runs for every file of every build)."""
    name = relpath.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


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
    # a section's folder (relative to content/posts) → its `_index.md`, or None
    sections: dict[str, str | None] = field(default_factory=dict)


def sections(posts: list[str], lists: list[str], folders: dict[str, str],
             permalinks: dict[str, str], languages: tuple[str, ...] = ()) -> dict[str, str | None]:
    """The sections among content/posts' sub-folders (Hugo's and Zola's): a
    folder with an `_index.md` of its own, or one `[permalinks]` names that
    holds a post, at any depth. A page bundle's folder (or one inside it) and
    a `<lang>/` folder are not sections; nor is content/posts itself (the home)."""
    def usable(folder: str) -> bool:
        hub_folder = f"{POSTS}/{folder}"
        return (bool(folder) and hub_folder not in folders and owner(hub_folder + "/x", folders) is None
                and not ("/" not in folder and folder_lang(f"{hub_folder}/x", languages)))

    found: dict[str, str | None] = {}
    # `_index.md` itself before a translation (`_index.fr.md`), which stays unread
    for relpath in sorted(lists, key=lambda p: (PurePosixPath(p).stem != "_index", p)):
        folder = relpath.rpartition("/")[0][len(POSTS) + 1:]
        if usable(folder) and folder not in found:
            found[folder] = relpath
    held = {post_folder(p) for p in posts}
    for folder in permalinks:
        if folder not in found and usable(folder) and any(
                h == folder or h.startswith(folder + "/") for h in held):
            found[folder] = None
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class SectionSource:
    """A section as read: its folder and what its `_index.md` says."""

    folder: str                 # relative to content/posts: inside-rust, inside-rust/weekly
    index: str | None           # its _index.md, relative to the hub, or None
    title: str                  # `title`, else the folder's name
    description: str            # `description` (Hugo, Zola), else `summary`, else ''
    body: str = ""              # the text below the front matter (Markdown)
    lang: str | None = None     # `lang`/`language` given in the front matter


def read_sections(root: Path, found: dict[str, str | None]
                  ) -> tuple[tuple[SectionSource, ...], list[Diagnostic]]:
    """Each section's `_index.md` read (TOML `+++` or YAML front matter)."""
    problems: list[Diagnostic] = []
    out = []
    for folder, index in found.items():
        name = folder.rpartition("/")[2]
        doc = None
        if index is not None:
            doc, seen = read(root, index)
            problems += seen
        meta = doc.meta if doc is not None and isinstance(doc.meta, dict) else {}
        out.append(SectionSource(folder, index, _text(meta, "title") or name,
                                 _text(meta, "description", "summary"),
                                 doc.body if doc is not None else "",
                                 _text(meta, "lang", "language") or None))
    return tuple(out), problems


def _text(meta: dict, *keys: str) -> str:
    """The first of `keys` set to a text, its spaces folded; '' if none."""
    value = next((meta[k] for k in keys if isinstance(meta.get(k), str) and meta[k].strip()), "")
    return " ".join(value.split())


def bundle_layout(root: Path, posts: list[str], unread: list[str],
                  permalinks: dict[str, str] | None = None,
                  languages: tuple[str, ...] = ()) -> Layout:
    """Split content/posts' Markdown files (`posts`) and other files (`unread`)
    into posts, bundle files and files left unread. A bundle's other Markdown
    files are not posts (Hugo reads them as the bundle's resources) and are not
    published: they join the unread warning. A section's `_index.md` is read as
    its list page; any other (content/posts' own, a bundle's, a `<lang>/`
    folder's) is one warning of its own. A link, pipe or device inside a
    bundle is an error."""
    lists = [p for p in posts if is_list_page(p)]
    posts = [p for p in posts if not is_list_page(p)]
    folders = bundles(posts)
    layout = Layout([], [])
    layout.sections = sections(posts, lists, folders, permalinks or {}, languages)
    lists = [p for p in lists if p not in layout.sections.values()]
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
            lists, "list page", "only a section's _index.md is read (a sub-folder of "
            "content/posts, not a page bundle or a language folder); Hearth makes the home page "
            "itself: move text to keep into content/pages"))
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
