"""The build, top to bottom; the order listed is the order run:

load → assemble (+ publish: channel posts, schedule) → validate → plan →
render → write.

`check` stops after validate. `serve` keeps one `Builder` alive and calls the
same build after every change: files whose stat did not change are not read
again, Markdown and lint results are looked up by content hash, and an output
whose fingerprint (a hash of its template and of everything its template is
given) did not change is neither rendered nor written.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import multiprocessing
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable


from . import publish
from .assemble import Site, assemble
from .cache import BuildCache, digest, environment_stamp
from .diagnostics import Diagnostic, has_errors, promote_warnings, sort_diagnostics
from .load import Known, load
from .markup import Rendered, render_markdown
from .plan import Output, View, changed_keys, context_of, plan_hub, touches
from .render import render
from .settings import Settings, load_settings
from .theme import builtin_templates, make_environment, template_diagnostic
from .validate import validate
from .write import (WRITE_THREADS, UnsafePath, discard, inside, new_staging, swap_in,
                    write_into)

PARALLEL_MIN = 48   # below this many cache misses, a process pool costs more than it saves


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic]
    site: Site | None = None
    outputs: list[Output] = field(default_factory=list)
    written: int = 0            # files written (or copied) this build
    rendered: int = 0           # outputs rendered this build
    removed: int = 0            # stale files deleted
    changed: list[str] = field(default_factory=list)   # output paths written or removed
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    skipped_outputs: int = 0    # a build skipped because nothing changed: the outputs it kept

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


# ------------------------------------------------------------------ parallel work

_WORK: tuple[Callable, list] | None = None


def _run_one(index: int) -> Any:
    function, items = _WORK  # type: ignore[misc]
    return function(items[index])


def parallel_map(function: Callable, items: list, jobs: int) -> list:
    """`[function(x) for x in items]` over `jobs` forked processes.

    Forked children inherit `function` and `items` (no pickling of the model);
    only results travel back. The order, and so the output, is the serial one.
    """
    global _WORK
    if jobs <= 1 or len(items) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return [function(x) for x in items]
    _WORK = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_run_one, range(len(items)), chunksize=max(1, len(items) // (jobs * 8)))
    finally:
        _WORK = None


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# ------------------------------------------------------------------ fingerprints

class _FingerprintPickler(pickle.Pickler):
    """Pickles a template context to hash it; a post `View` stands for its `_hash`,
    a hash of everything the view was made from, so listing pages stay cheap."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, View):
            return str, (obj["_hash"],)
        return NotImplemented


def context_fingerprint(template: str, theme: str, context: dict) -> str:
    buffer = io.BytesIO()
    try:
        pickler = _FingerprintPickler(buffer, protocol=5)
        pickler.fast = True   # no memo: equal values pickle alike, whatever their identity
        pickler.dump(context)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        buffer = io.BytesIO(repr(sorted(context.items(), key=lambda kv: kv[0])).encode())
    return digest(template, theme, buffer.getvalue())


def theme_fingerprint(root: Path) -> str:
    """Every template file, built-in and the hub's own: a theme edit re-renders all."""
    h = hashlib.sha256()
    for base in (builtin_templates(), root / "templates"):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    h.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:32]


def _git_stamp(root: Path) -> str:
    """HEAD of the repository holding the hub (the report reads its history)."""
    for folder in (root, *root.parents):
        git = folder / ".git"
        if git.is_dir():
            try:
                head = (git / "HEAD").read_text().strip()
                ref = git / head[5:] if head.startswith("ref: ") else None
                tip = ref.read_text().strip() if ref is not None and ref.is_file() else head
                packed = (git / "packed-refs").stat().st_mtime_ns if (git / "packed-refs").exists() else 0
                shallow = (git / "shallow").is_file()   # `git fetch --unshallow` keeps HEAD
                return f"{head}|{tip}|{packed}|{shallow}"
            except OSError:
                return "unreadable"
    return "none"


def input_stamp(root: Path, now: datetime, strict: bool, out_dir: Path) -> str:
    """Everything a build reads, by name, size and modification time: equal stamps
    and equal 'now' give byte-identical output, so a build can be skipped."""
    h = hashlib.sha256(f"{environment_stamp()}|{now.isoformat()}|{strict}|{out_dir}|"
                       f"{_git_stamp(root)}".encode())
    for base, folders in ((root, ("content", "calendar", "guidelines", "templates")),
                          (builtin_templates().parent, ("templates",))):
        toml = base / "hearth.toml"
        if base == root and toml.is_file():
            st = toml.stat()
            h.update(f"hearth.toml|{st.st_size}|{st.st_mtime_ns}\n".encode())
        for folder in folders:
            start = base / folder
            if not start.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(start):
                dirnames.sort()
                for name in sorted(filenames):
                    path = os.path.join(dirpath, name)
                    st = os.stat(path)
                    h.update(f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def calendar_stamp(root: Path) -> str:
    """The files of calendar/ (channels, events, campaigns, metrics) by name, size and time."""
    h = hashlib.sha256()
    folder = root / "calendar"
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                st = path.stat()
                h.update(f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def guide_fingerprint(root: Path) -> str:
    h = hashlib.sha256()
    folder = root / "guidelines"
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and (path.suffix in (".yml", ".yaml") or path.name == "ignore"):
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:32]


# ------------------------------------------------------------------ the builder



class Builder:
    """One hub's builds. Short-lived for `hearth build`, long-lived in `serve`."""

    def __init__(self, root: Path, out: Path | None = None, use_cache: bool = True,
                 jobs: int | None = None):
        self.root = root
        self.out = out
        self.use_cache = use_cache
        self.jobs = jobs if jobs is not None else default_jobs()
        self.known: Known = {}
        self._cache: BuildCache | None = None
        self._calendar_memo: tuple[str, Any] | None = None   # serve: the last calendar model

    @property
    def cache(self) -> BuildCache:
        if self._cache is None:
            self._cache = BuildCache(self.root, self.use_cache)
        return self._cache

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    # -- stages 1–3: the model

    def model(self, settings: Settings, now: datetime, strict: bool = False, pages: bool = True
              ) -> tuple[Site, list[Diagnostic], dict[str, float]]:
        """Stages 1–3. `pages=False` (check) renders Markdown only where the model
        reads it (summaries for channel texts) instead of every body up front."""
        timings: dict[str, float] = {}
        start = time.perf_counter()
        sources = load(settings, self.known)
        timings["load"] = time.perf_counter() - start

        start = time.perf_counter()
        if pages:
            rendered = self._render_markdown(sources, settings.site.base_path)
            render_body = lambda text, base: rendered[digest(base, text)]  # noqa: E731
        else:
            render_body = self._render_one
        timings["markdown"] = time.perf_counter() - start

        start = time.perf_counter()
        site = assemble(sources, now, render=render_body)
        key = publish.calendar_key(site, calendar_stamp(self.root))
        if self._calendar_memo is not None and self._calendar_memo[0] == key:
            site = replace(site, calendar=self._calendar_memo[1])
        else:
            site = publish.attach_calendar(site)
            self._calendar_memo = (key, site.calendar)
        timings["assemble"] = time.perf_counter() - start

        start = time.perf_counter()
        problems = list(sources.diagnostics) + validate(site, lint_all=self._lint_all)
        timings["validate"] = time.perf_counter() - start
        if strict:
            problems = promote_warnings(problems)
        problems = sort_diagnostics(problems)
        self.cache.flush()
        return replace(site, diagnostics=tuple(problems)), problems, timings

    def _render_markdown(self, sources, base_path: str) -> dict[str, Rendered]:
        texts = {digest(base_path, p.doc.body): p.doc.body
                 for p in (*sources.posts, *sources.pages, *sources.guidelines)}
        found = self.cache.get_many("markdown", list(texts))
        result = {k: Rendered.from_json(v) for k, v in found.items()}
        missing = sorted(k for k in texts if k not in result)
        fresh = parallel_map(lambda key: render_markdown(texts[key], base_path).to_json(),
                             missing, self.jobs)
        for key, value in zip(missing, fresh):
            self.cache.put("markdown", key, value)
            result[key] = Rendered.from_json(value)
        return result

    def _render_one(self, text: str, base_path: str) -> Rendered:
        key = digest(base_path, text)
        found = self.cache.get("markdown", key)
        if found is None:
            found = render_markdown(text, base_path).to_json()
            self.cache.put("markdown", key, found)
        return Rendered.from_json(found)

    def _lint_all(self, guide, jobs_list: list[tuple[Any, str, dict]]) -> list[Diagnostic]:
        """Lint many documents: (doc, lang, channels) each, by content hash."""
        from . import lint

        stamp = guide_fingerprint(self.root)
        keys = [digest(stamp, doc.path, doc.text, lang or "",
                       json.dumps(sorted(channels), ensure_ascii=False))
                for doc, lang, channels in jobs_list]
        found = self.cache.get_many("lint", keys)
        missing = [i for i, key in enumerate(keys) if key not in found]

        def one(index: int) -> list:
            doc, lang, channels = jobs_list[index]
            return [d.as_row() for d in lint.lint_doc(guide, doc, lang=lang, channels=channels)]

        fresh = parallel_map(one, missing, self.jobs)
        for index, value in zip(missing, fresh):
            self.cache.put("lint", keys[index], value)
            found[keys[index]] = value
        return [Diagnostic(*row) for key in keys for row in found[key]]

    # -- the commands

    def check(self, now: datetime, strict: bool = False) -> BuildResult:
        settings = load_settings(self.root)
        site, problems, timings = self.model(settings, now, strict, pages=False)
        return BuildResult(problems, site, timings=timings)

    def build(self, now: datetime, strict: bool = False) -> BuildResult:
        """A build; writes only if there is no error, and then only what changed."""
        started = time.perf_counter()
        settings = load_settings(self.root)
        out_dir = self.out_dir(settings)
        stamp = input_stamp(self.root, now, strict, out_dir)
        skipped = self._unchanged(stamp, out_dir)
        if skipped is not None:
            skipped.seconds = time.perf_counter() - started
            return skipped
        site, problems, timings = self.model(settings, now, strict)
        result = self.emit(site, problems, timings, out_dir, stamp)
        result.seconds = time.perf_counter() - started
        return result

    def out_dir(self, settings: Settings) -> Path:
        return (self.out if self.out is not None else self.root / settings.build.output).resolve()

    def emit(self, site: Site, problems: list[Diagnostic], timings: dict[str, float], out_dir: Path,
             stamp: str | None = None, areas: tuple[str, ...] | None = None,
             changed: set[str] | None = None) -> BuildResult:
        """Stages 4–6 for a model: plan, render what changed, write it.

        `areas` ("hub", "queues", "review") limits the outputs planned and
        `changed` (source paths) limits them to those depending on a changed
        file, so serve can put the writer's page on disk first; it then runs
        a full emit, which alone is the correct result."""
        result = BuildResult(problems, site, timings=timings)
        if not result.ok:
            return result
        manifest_key = str(out_dir)
        manifest: dict[str, list] = self.cache.get("manifest", manifest_key) or {}
        if not out_dir.is_dir():
            manifest = {}
        if not manifest:
            areas = None        # a first build writes everything, swapped in whole
        start = time.perf_counter()
        if areas == ("hub",):
            outputs = plan_hub(site) + publish.plan_events(site)
        else:
            outputs = plan_hub(site) + publish.plan_calendar(site)
        timings["plan"] = time.perf_counter() - start

        start = time.perf_counter()
        env = make_environment(self.root)
        theme = theme_fingerprint(self.root)
        files: dict[str, bytes | Path] = {}
        prints: dict[str, str] = {}
        template_problems: list[Diagnostic] = []
        to_render: list[tuple[Output, dict]] = []
        kept: set[str] = set()     # outputs left as they are without looking (see `changed`)
        keys = changed_keys(changed) if changed is not None else frozenset()
        for output in outputs:
            if changed is not None and output.path in manifest and not touches(output, keys):
                kept.add(output.path)
                continue
            try:
                fingerprint, content, context = self._fingerprint(output, theme)
            except Exception as err:  # noqa: BLE001 - data made by a template helper
                template_problems.append(template_diagnostic(err, self.root))
                continue
            prints[output.path] = fingerprint
            if self._is_current(out_dir, output.path, fingerprint, manifest):
                continue
            if content is not None:
                files[output.path] = content
            else:
                to_render.append((output, context))

        # A first build renders straight into a staging folder (workers write their
        # own files), so no output is held in memory; later builds keep the few
        # changed outputs in memory and write them only once all have rendered.
        staging = new_staging(out_dir) if not manifest else None

        def render_one(job: tuple[Output, dict]) -> tuple[bool, Any]:
            output, context = job
            try:
                content = render(env, output, context)
            except Exception as err:  # noqa: BLE001 - any failure inside a template is the template's
                return False, template_diagnostic(err, self.root).as_row()
            if staging is None:
                return True, content
            write_into(staging, output.path, content)
            return True, None

        try:
            for (output, _), (ok, value) in zip(to_render, parallel_map(render_one, to_render,
                                                                         self.jobs)):
                if not ok:
                    template_problems.append(Diagnostic(*value))
                elif staging is None:
                    files[output.path] = value
            timings["render"] = time.perf_counter() - start
            result.rendered = len(to_render)
            if template_problems:
                result.diagnostics = sort_diagnostics(problems + template_problems)
                if staging is not None:
                    discard(staging)
                return result
            start = time.perf_counter()
            if staging is not None:
                with ThreadPoolExecutor(WRITE_THREADS) as pool:
                    list(pool.map(lambda item: write_into(staging, *item), sorted(files.items())))
                swap_in(staging, out_dir)
                result.changed = sorted(prints)
                written = len(prints)
            else:
                stale = sorted(p for p in set(manifest) - set(prints) - kept
                               if areas is None or p.split("/", 1)[0] in areas)
                self._write_changes(out_dir, files, stale)
                result.removed = len(stale)
                result.changed = sorted(files) + stale
                written = len(files)
        except UnsafePath as err:
            if staging is not None:
                discard(staging)
            result.diagnostics = sort_diagnostics(problems + [Diagnostic(
                "hearth.toml", 1, 1, "error", f"output path '{err}' would leave the output folder",
                "path")])
            return result
        except BaseException:
            if staging is not None:
                discard(staging)
            raise
        new_manifest = {p: e for p, e in manifest.items()
                        if p in kept or (areas is not None and p.split("/", 1)[0] not in areas)}
        for path, fingerprint in prints.items():
            stat = (out_dir / path).stat()
            new_manifest[path] = [fingerprint, stat.st_size, stat.st_mtime_ns]
        self.cache.put("manifest", manifest_key, new_manifest)
        if areas is None and changed is None and stamp is not None:
            self.cache.put("last-build", manifest_key, {
                "stamp": stamp, "diagnostics": [d.as_row() for d in result.diagnostics]})
        self.cache.flush()
        timings["write"] = time.perf_counter() - start
        result.outputs = outputs
        result.written = written
        return result

    def _unchanged(self, stamp: str, out_dir: Path) -> BuildResult | None:
        """The last build's result, if nothing it read has changed and its output
        is still there as it was written; None otherwise."""
        last = self.cache.get("last-build", str(out_dir))
        if not last or last.get("stamp") != stamp:
            return None
        manifest = self.cache.get("manifest", str(out_dir)) or {}
        if not manifest or not all(self._is_current(out_dir, path, entry[0], manifest)
                                   for path, entry in manifest.items()):
            return None
        result = BuildResult([Diagnostic(*row) for row in last["diagnostics"]])
        result.timings["unchanged"] = 1.0
        result.skipped_outputs = len(manifest)
        return result

    def _fingerprint(self, output: Output, theme: str) -> tuple[str, bytes | Path | None, dict]:
        """(fingerprint, content if it had to be made to know it, template context)."""
        if output.copy_from is not None:
            stat = output.copy_from.stat()
            return digest("copy", str(output.copy_from), str(stat.st_size), str(stat.st_mtime_ns)), \
                output.copy_from, {}
        if output.data is not None:
            data = output.data() if callable(output.data) else output.data
            return digest("data", data), data, {}
        context = context_of(output)
        return context_fingerprint(output.template or "", theme, context), None, context

    @staticmethod
    def _is_current(out_dir: Path, path: str, fingerprint: str, manifest: dict) -> bool:
        entry = manifest.get(path)
        if not entry or entry[0] != fingerprint:
            return False
        try:
            stat = (out_dir / path).stat()
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == entry[1:]

    @staticmethod
    def _write_changes(out_dir: Path, files: dict[str, bytes | Path], stale: list[str]) -> None:
        """Write changed files one by one, each atomically, then remove stale ones."""
        import shutil

        targets = {path: inside(out_dir, path) for path in files}   # refuse before writing anything
        for path in sorted(files):
            target = targets[path]
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.hearth-tmp")
            content = files[path]
            if isinstance(content, Path):
                shutil.copyfile(content, tmp)
            else:
                tmp.write_bytes(content)
            os.replace(tmp, target)
        for path in stale:
            target = inside(out_dir, path)
            target.unlink(missing_ok=True)
            parent = target.parent
            while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent


# ------------------------------------------------------------------ one-shot helpers

def check(root: Path, now: datetime, strict: bool = False) -> BuildResult:
    builder = Builder(root)
    try:
        return builder.check(now, strict)
    finally:
        builder.close()


def build(root: Path, now: datetime, out: Path | None = None, strict: bool = False,
          use_cache: bool = True) -> BuildResult:
    builder = Builder(root, out, use_cache)
    try:
        return builder.build(now, strict)
    finally:
        builder.close()
