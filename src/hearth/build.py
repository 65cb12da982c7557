"""The build, top to bottom; the order listed is the order run:

1. load      `load.load`: every file → typed records + diagnostics
2. assemble  `assemble.site.assemble`, `assemble.channel_posts.attach_calendar`:
             records → one immutable `Site` (channel posts placed on the schedule)
3. validate  `validate.validate`: the model → diagnostics (style rules included)
4. plan      `planners()`, in order: the model → every output with its dependencies
5. render    `render.render`: an output → bytes (templates in parallel)
6. write     `write`: staged and swapped in, or only the changed files

`check` stops after validate. `serve` keeps one `Builder` alive and calls the
same build after every change: files whose stat did not change are not read
again, Markdown and lint results are looked up by content hash
(`incremental.cache`), and an output whose fingerprint
(`incremental.fingerprints`) did not change is neither rendered nor written.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .diagnostics import LEVEL_RANK, Diagnostic, has_errors, promote_warnings, sort_diagnostics
from .incremental.cache import BuildCache, digest
from .incremental.fingerprints import is_current, output_fingerprint
from .incremental.stamps import calendar_stamp, guide_fingerprint, input_stamp, theme_fingerprint
from .feed import MarkdownFeed, lint_chunks
from .parallel import FEW_CHUNKS_PER_JOB, PARALLEL_MIN, can_fork, default_jobs, parallel_map
from .plan.outputs import Output, changed_keys, touches
from .plural import counted
from .settings import Settings, load_settings
from .write import (WRITE_THREADS, Staging, UnsafePath, clean_leftovers, fault, output_folder,
                    output_lock, plain_relpath, remove_tree, replace_in_place,
                    spare_folder)

if TYPE_CHECKING:
    from .assemble.site import Site
    from .load import Known
    from .markup import Rendered

# The stages' modules are imported where a stage runs, not here: a build that is
# skipped (nothing changed, `now` before the next instant) imports none of them,
# so the hourly CI run costs Python's start-up and a stat of the hub's files.


def planners(areas: tuple[str, ...] | None = None) -> tuple[Callable[[Site], list[Output]], ...]:
    """Stage 4, in the order run: each planner maps the site to its outputs;
    `areas=("hub",)`: what serve puts on disk first after an edit."""
    from .plan.events import plan_events
    from .plan.hub import plan_hub
    if areas == ("hub",):
        return (plan_hub, plan_events)
    from .plan.newsletter import plan_newsletters
    from .plan.queues import plan_queues
    from .report import plan_report
    from .review.pages import plan_review
    return (plan_hub, plan_events, plan_queues, plan_newsletters, plan_review, plan_report)


# A render worker copies each page of the model it reads (a reference count is written),
# so its memory grows with the outputs it renders: it renders at most this many and
# exits (≈ 25 MB of its own at the end; a fork and its first copies cost ≈ 50 ms here)
RENDER_CHUNK_MOST = 350
FLUSH_AT = 64   # cache entries held before the model saves them (an edit's few wait for the write)


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
    notices: list[str] = field(default_factory=list)   # e.g. the cache could not be used

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


# ------------------------------------------------------------------ cache entries' shapes
# A cache restored from elsewhere is data: an entry of the wrong shape is ignored
# (and made again), never trusted into a traceback.

def _is_rendered(v: Any) -> bool:
    from .markup import is_packed_text
    return (isinstance(v, list) and len(v) == 4 and isinstance(v[0], str) and is_packed_text(v[0])
            and isinstance(v[1], list) and isinstance(v[2], int) and isinstance(v[3], str)
            and all(isinstance(t, list) and len(t) == 3 and isinstance(t[0], int)
                    and isinstance(t[1], str) and isinstance(t[2], str) for t in v[1]))


def _is_row(r: Any) -> bool:
    return (isinstance(r, list) and len(r) == 11 and isinstance(r[0], str)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in (r[1], r[2], r[9]))
            and r[3] in LEVEL_RANK and isinstance(r[4], str) and isinstance(r[5], str)
            and all(x is None or isinstance(x, str) for x in r[6:8]) and isinstance(r[8], str)
            and isinstance(r[10], list) and all(isinstance(x, str) for x in r[10]))


def _is_rows(v: Any) -> bool:
    return isinstance(v, list) and all(_is_row(r) for r in v)


def _is_manifest(v: Any) -> bool:
    return isinstance(v, dict) and all(
        isinstance(e, list) and len(e) == 3 and isinstance(e[0], str)
        and all(isinstance(n, int) for n in e[1:]) for e in v.values())


def _is_last_build(v: Any) -> bool:
    return (isinstance(v, dict) and all(isinstance(v.get(k), str) for k in ("stamp", "now", "until"))
            and _is_rows(v.get("diagnostics")))


def _is_spare(v: Any) -> bool:
    return (isinstance(v, dict) and isinstance(v.get("token"), str)
            and all(c in "0123456789abcdef" for c in v["token"])
            and isinstance(v.get("lag"), list) and all(isinstance(p, str) for p in v["lag"]))


def _is_hashes(v: Any) -> bool:
    return isinstance(v, dict) and all(
        isinstance(e, list) and len(e) == 3 and isinstance(e[0], int) and isinstance(e[1], int)
        and isinstance(e[2], str) for e in v.values())


def _moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


# ------------------------------------------------------------------ the builder



class Builder:
    """One hub's builds. Short-lived for `hearth build`, long-lived in `serve`."""

    def __init__(self, root: Path, out: Path | None = None, use_cache: bool = True,
                 jobs: int | None = None, read_only: bool = False, long_lived: bool = False):
        self.root = root
        # serve: memos of the last build (renders, lint keys, the calendar) are kept for
        # the next one; a one-off build keeps none, so nothing outlives its use
        self.long_lived = long_lived
        self.out = out
        self.use_cache = use_cache
        self.read_only = read_only      # check: read the cache, never write it
        self.notice: str | None = None  # the cache's, kept after `close`
        self.jobs = jobs if jobs is not None else default_jobs()
        self.known: Known = {}
        self._cache: BuildCache | None = None
        self._calendar_memo: tuple[str, Any] | None = None   # serve: the last calendar model
        self._removing: threading.Thread | None = None       # the previous output, being removed
        self.progress: Callable[[str], None] | None = None   # told each stage as it starts (cli)
        # serve: the last build's cache keys and rendered bodies, by the text they came from
        self._markdown_memo: dict[int, tuple] = {}          # (Post, how, key) by id(Post)
        self._rendered_memo: dict[str, Rendered] = {}
        self._lint_memo: dict[int, tuple] = {}   # (job, guide, lint key, rows) by id(job)
        self._calendar_parts: dict[int, tuple] = {}          # calendar_key's, per Post
        self._validate_memo = None                           # validate's ItemMemo, per Post (serve)
        self._url_memo: dict[int, tuple] = {}                # assemble's URLs, per Post
        self._git_memo: dict = {}                            # load's git answers, by git's files
        self._last_load = None                               # serve: the LastLoad reload_files keeps
        self._environment: tuple[str, Any] | None = None     # (theme fingerprint, Jinja env)
        self._feed: MarkdownFeed | None = None      # a one-off model's early workers (`model`)

    @property
    def cache(self) -> BuildCache:
        if self._cache is None:
            self._cache = BuildCache(self.root, self.use_cache, writable=not self.read_only)
        return self._cache

    def _remove_later(self, folder: Path) -> None:
        """Remove the previous output in the background (serve reloads the browser
        meanwhile); the next emit, and `close`, wait for it."""
        self._removing = threading.Thread(target=remove_tree, args=(folder,), daemon=True)
        self._removing.start()

    def _removed(self) -> None:
        if self._removing is not None:
            self._removing.join()
            self._removing = None

    def _stage(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    def close(self) -> None:
        self._removed()
        if self._cache is not None:
            self._cache.close()
            self.notice = self.notice or self._cache.notice
            self._cache = None

    # -- stages 1–3: the model

    def model(self, settings: Settings, now: datetime, strict: bool = False, pages: bool = True,
              changed: set[str] | None = None) -> tuple[Site, list[Diagnostic], dict[str, float]]:
        """Stages 1–3. `pages=False` (check) renders Markdown only where the model
        reads it (summaries for channel texts) instead of every body up front.
        `changed` (serve's watcher: the paths changed since the last model) lets a
        long-lived builder read only those files when they are posts or pages it
        knows; otherwise, and without it, every file's stat is looked at.

        A one-off build with more than one job renders the bodies while it reads,
        assembles and validates (`feed.MarkdownFeed`: workers forked before the
        hub is read are handed each body as soon as it is read, and the documents
        to lint as soon as validate knows them)."""
        if not pages or self.long_lived or self.jobs <= 1 or not can_fork():
            return self._model(settings, now, strict, pages, changed)
        self._feed = MarkdownFeed(self.cache, settings.site.base_path, settings.build.unsafe_html,
                                  self.jobs, _markdown_key, _is_rendered)
        try:
            found = self._model(settings, now, strict, pages, changed)
        except BaseException:
            self._feed.terminate()
            raise
        finally:
            feed, self._feed = self._feed, None
        feed.close()
        return found

    def _model(self, settings: Settings, now: datetime, strict: bool, pages: bool,
               changed: set[str] | None) -> tuple[Site, list[Diagnostic], dict[str, float]]:
        from .assemble.channel_posts import attach_calendar, calendar_key
        from .assemble.site import assemble
        from .load import LastLoad, load, reload_files
        from .validate import ItemMemo, validate
        if self.long_lived and self._last_load is None:
            self._last_load, self._validate_memo = LastLoad(), ItemMemo()
        timings: dict[str, float] = {}
        start = time.perf_counter()
        self._stage("reading the hub")
        sources = None
        if self.long_lived and changed is not None:
            sources = reload_files(settings, changed, self.known, self._last_load, self._git_memo)
        if sources is None:
            # a one-off build reads each file once: no stamp or record kept per file
            sources = load(settings, self.known if self.long_lived else None,
                           self._git_memo if self.long_lived else None,
                           self._last_load if self.long_lived else None,
                           on_post=self._feed.add if self._feed is not None else None)
        timings["load"] = time.perf_counter() - start
        self._stage(f"read {counted(len(sources.posts), 'post')}, {counted(len(sources.pages), 'page')}"
                    f", {counted(len(sources.events), 'event')}; rendering Markdown")

        start = time.perf_counter()
        feed = self._feed
        if feed is not None:
            feed.finish()       # the bodies are being rendered: assemble asks for the few it needs
            render_body = lambda text, base, unsafe, as_html=False: feed.get(  # noqa: E731
                _markdown_key(base, unsafe, text, as_html))
        elif pages:
            unsafe = settings.build.unsafe_html
            rendered = self._render_markdown(sources, settings.site.base_path, unsafe)
            render_body = lambda text, base, unsafe, as_html=False: rendered[  # noqa: E731
                _markdown_key(base, unsafe, text, as_html)]
        else:
            render_body = self._render_one
        timings["markdown"] = time.perf_counter() - start

        start = time.perf_counter()
        self._stage("placing channel posts in the calendar")
        site = assemble(sources, now, render=render_body,
                        url_memo=self._url_memo if self.long_lived else None)
        key = calendar_key(site, calendar_stamp(self.root), self._calendar_parts) \
            if self.long_lived else None
        if key is not None and self._calendar_memo is not None and self._calendar_memo[0] == key:
            site = replace(site, calendar=self._calendar_memo[1])
        else:
            site = attach_calendar(site)
            if key is not None:
                self._calendar_memo = (key, site.calendar)
        timings["assemble"] = time.perf_counter() - start

        start = time.perf_counter()
        self._stage(f"checking {counted(len(sources.posts), 'post')} against the style guide")
        problems = list(sources.diagnostics) + validate(site, lint_all=self._lint_all,
                                                        memo=self._validate_memo
                                                        if self.long_lived else None)
        timings["validate"] = time.perf_counter() - start
        if feed is not None:
            start = time.perf_counter()
            feed.collect()      # the bodies validate did not wait for already
            timings["markdown"] += time.perf_counter() - start
        if strict:
            problems = promote_warnings(problems)
        problems = sort_diagnostics(problems)
        if len(self.cache.pending) > FLUSH_AT:     # serve's edit: saved with the output's manifest
            self.cache.flush()
        return replace(site, diagnostics=tuple(problems)), problems, timings

    def _render_markdown(self, sources, base_path: str, unsafe: bool) -> dict[str, Rendered]:
        # serve: a body read last time (the same text) keeps its key and its Rendered, so an
        # edit costs the edited body's hash, not every body's
        # (an unchanged file is the same `Post` object: its key is looked up by identity)
        from .load.front_matter import is_html
        from .markup import Rendered, render_markdown
        keys, memo = {}, self._markdown_memo
        texts: dict[str, Any] = {}
        how = (base_path, unsafe)
        for p in (*sources.posts, *sources.pages, *sources.guidelines):
            hit = memo.get(id(p))
            if hit is not None and hit[0] is p and hit[1] == how:
                key = hit[2]
            else:
                key = _markdown_key(base_path, unsafe, p.doc.body, is_html(p.path))
            keys[id(p)] = (p, how, key)
            texts[key] = p
        self._markdown_memo = keys if self.long_lived else {}
        known = self._rendered_memo
        result = {k: known[k] for k in texts if k in known}
        # a one-off build asks for each body once: the cache's in-memory layer would only
        # hold a second copy of every table of contents till the end
        keep = self.long_lived
        found = self.cache.get_many("markdown", [k for k in texts if k not in result], _is_rendered,
                                    keep=keep)
        result.update((k, Rendered.from_json(v)) for k, v in found.items())
        missing = sorted(k for k in texts if k not in result)
        if self.jobs > 1 and len(missing) >= PARALLEL_MIN:
            render_markdown("", base_path, unsafe)   # the reader is built here, before the fork
        fresh = parallel_map(lambda key: render_markdown(texts[key].doc.body, base_path, unsafe,
                                                         is_html(texts[key].path)).to_json(),
                             missing, self.jobs, FEW_CHUNKS_PER_JOB)
        for key, value in zip(missing, fresh):
            self.cache.put("markdown", key, value, keep=keep)
            result[key] = Rendered.from_json(value)
        if len(self.cache.pending) > FLUSH_AT:     # now, not after assembling: their JSON
            self.cache.flush()                     # text is held till then
        if self.long_lived:
            self._rendered_memo = result
        return result

    def _render_one(self, text: str, base_path: str, unsafe: bool = False, as_html: bool = False
                    ) -> Rendered:
        from .markup import Rendered, render_markdown
        key = _markdown_key(base_path, unsafe, text, as_html)
        found = self.cache.get("markdown", key, _is_rendered)
        if found is None:
            found = render_markdown(text, base_path, unsafe, as_html).to_json()
            self.cache.put("markdown", key, found)
        return Rendered.from_json(found)

    def _lint_all(self, guide, jobs_list: list[tuple[Any, str, dict]]
                  ) -> list[Diagnostic] | Callable[[], list[Diagnostic]]:
        """Lint many documents: (doc, lang, channels) each, by content hash. With
        the early workers, the documents are handed over now and a function giving
        the diagnostics is returned: validate checks the rest meanwhile."""
        from . import lint

        stamp = guide_fingerprint(self.root)
        memo, used = self._lint_memo, {}
        keys, found = [], {}
        for job in jobs_list:
            # serve: an unchanged document's job is the same object (validate's memo),
            # its key and rows are kept from last time
            known = memo.get(id(job))
            if known is not None and known[0] is job and known[1] == stamp:
                key = known[2]
                found[key] = known[3]
            else:
                doc, lang, channels = job
                key = digest(stamp, doc.path, doc.text, lang or "",
                             json.dumps(sorted(channels), ensure_ascii=False))
            used[id(job)] = (job, key)
            keys.append(key)
        found.update(self.cache.get_many("lint", [k for k in keys if k not in found], _is_rows))
        missing = [i for i, key in enumerate(keys) if key not in found]

        def linted(fresh: list) -> list[Diagnostic]:
            """The fresh rows cached, the diagnostics in the jobs' order."""
            for index, value in zip(missing, fresh):
                self.cache.put("lint", keys[index], value)
                found[keys[index]] = value
            self._lint_memo = {i: (job, stamp, key, found[key])
                               for i, (job, key) in used.items()} if self.long_lived else {}
            return [Diagnostic(*row) for key in keys for row in found[key]]

        def one(index: int) -> list:
            doc, lang, channels = jobs_list[index]
            return [d.as_row() for d in lint.lint_doc(guide, doc, lang=lang, channels=channels)]

        feed = self._feed
        docs = [(jobs_list[i][0], jobs_list[i][1]) for i in missing]
        if feed is not None and feed.workers is not None and len(missing) >= PARALLEL_MIN \
                and not lint.needs_preload(guide, docs):
            # the early workers lint too, once they are done with the bodies; meanwhile
            # this process takes in the bodies rendered
            answers = lint_chunks(feed.workers, guide, [jobs_list[i] for i in missing])

            def finish() -> list[Diagnostic]:
                feed.collect()
                return linted(list(answers))
            return finish
        else:
            if self.jobs > 1 and len(missing) >= PARALLEL_MIN:
                if feed is not None:
                    # a guide with dictionaries or a tagger: they load here once, shared by
                    # the workers forked after, not once in each early worker
                    feed.collect()
                    feed.close()
                # dictionaries and the tagger load once here, before the workers fork
                lint.preload(guide, docs)
            fresh = parallel_map(one, missing, self.jobs, FEW_CHUNKS_PER_JOB)
        return linted(fresh)

    # -- the commands

    def check(self, now: datetime, strict: bool = False) -> BuildResult:
        settings = load_settings(self.root)
        with collector_paused(not self.long_lived):
            site, problems, timings = self.model(settings, now, strict, pages=False)
        return BuildResult(problems, site, timings=timings)

    def build(self, now: datetime, strict: bool = False) -> BuildResult:
        """A build; writes only if there is no error, and then only what changed."""
        started = time.perf_counter()
        settings = load_settings(self.root)
        out_dir = self.out_dir(settings)
        hashes = self.cache.get("input-hashes", str(self.root), _is_hashes) or {}
        known = {path: list(entry) for path, entry in hashes.items()}
        stamp = input_stamp(self.root, strict, out_dir, hashes)
        if hashes != known:
            self.cache.put("input-hashes", str(self.root), hashes)
            self.cache.flush()
        skipped = self._unchanged(stamp, now, out_dir)
        if skipped is not None:
            skipped.seconds = time.perf_counter() - started
            return skipped
        with collector_paused(not self.long_lived):
            site, problems, timings = self.model(settings, now, strict)
            result = self.emit(site, problems, timings, out_dir, stamp)
        result.seconds = time.perf_counter() - started
        return result

    def out_dir(self, settings: Settings) -> Path:
        """The output folder, resolved; `write.OutputRefused` if it is not Hearth's to write."""
        if self.out is not None:
            return output_folder(self.root, Path(os.path.abspath(self.out)), f"--out {self.out}")
        return output_folder(self.root, Path(settings.build.output),
                             f'[build] output = "{settings.build.output}"')

    def emit(self, site: Site, problems: list[Diagnostic], timings: dict[str, float], out_dir: Path,
             stamp: str | None = None, areas: tuple[str, ...] | None = None,
             changed: set[str] | None = None, only: set[str] | None = None) -> BuildResult:
        """Stages 4–6 for a model: plan, render what changed, write it.

        `areas` ("hub", "queues", "review") limits the outputs planned and
        `changed` (source paths) limits them to those depending on a changed
        file, and `only` (output paths) to those, so serve can put the writer's
        page on disk first; it then runs a full emit, which alone is the
        correct result."""
        from .incremental.instants import next_change
        from .plan.hub import plan_own_pages
        from .theme import make_environment, template_diagnostic
        result = BuildResult(problems, site, timings=timings)
        if not result.ok:
            return result
        manifest_key = str(out_dir)
        manifest: dict[str, list] = self.cache.get("manifest", manifest_key, _is_manifest) or {}
        if not out_dir.is_dir():
            manifest = {}
        if not manifest:
            areas = None        # a first build writes everything, swapped in whole
        start = time.perf_counter()
        self._stage("planning the pages")
        stages = planners(areas)
        if only is not None and changed is not None and areas == ("hub",):
            # serve's first pass: the changed files' own pages, planned alone
            outputs = [o for o in plan_own_pages(site, changed) if o.path in only]
        else:
            outputs = [output for planner in stages for output in planner(site)]
        timings["plan"] = time.perf_counter() - start

        start = time.perf_counter()
        theme = theme_fingerprint(self.root)
        if self._environment is None or self._environment[0] != theme:
            # serve: the templates compiled last time, while no template file changed
            self._environment = (theme, make_environment(self.root))
        env = self._environment[1]
        files: dict[str, bytes | Path] = {}
        prints: dict[str, str] = {}
        template_problems: list[Diagnostic] = []
        # Which outputs to look at; each one's fingerprint, whether its file is current,
        # and its content are then made in the render workers, a context made once for
        # both (the main process never holds all contexts, nor waits on them alone)
        candidates: list[Output] = []
        kept: set[str] = set()     # outputs left as they are without looking (see `changed`)
        if only is not None and changed is not None:
            kept = set(manifest) - {output.path for output in outputs}    # not planned: kept
        keys = changed_keys(changed) if changed is not None else frozenset()
        for output in outputs:
            if changed is not None and ((only is not None and output.path not in only) or (
                    output.path in manifest and not touches(output, keys))):
                kept.add(output.path)
            else:
                candidates.append(output)

        # A first build renders straight into an empty staging folder (workers write
        # their own files), so no output is held in memory; a later build keeps the few
        # changed outputs in memory and stages them, once all have rendered, beside hard
        # links of the unchanged files. Either way the staging folder is swapped in whole.
        staging: Staging | None = None

        def settle(output: Output) -> tuple[str, Any, Any]:
            """(what, fingerprint, value): "current" (its file is as the manifest says),
            "written" (into the first build's staging), "made" (value: the content),
            or "problem" (value: a diagnostic row; fingerprint None if unknown)."""
            fingerprint = None
            try:
                fingerprint, content = output_fingerprint(output, theme, env)
                if is_current(out_dir, output.path, fingerprint, manifest):
                    return "current", fingerprint, None
                if callable(content):
                    content = content()
            except Exception as err:  # noqa: BLE001 - any failure inside a template is the template's
                return "problem", fingerprint, template_diagnostic(err, self.root).as_row()
            if staging is None:
                return "made", fingerprint, content
            staging.write(output.path, content)
            return "written", fingerprint, None

        spare, lag = self._spare(out_dir) if manifest else (None, [])
        keep_spare = False
        parallel = self.jobs > 1 and len(candidates) >= PARALLEL_MIN
        if parallel:
            compile_templates(env, {o.template for o in candidates if o.template is not None})
        if parallel or not self.long_lived:
            # every post's view, made here: shared with the workers once they fork, and
            # made before a one-off build lets go of the file texts their hashes read
            from .plan.context import all_post_views
            all_post_views(site)
        try:
            with output_lock(out_dir):
                self._removed()
                clean_leftovers(out_dir, keep=spare)
                staging = Staging(out_dir) if not manifest else None
                self._stage(f"rendering and writing {counted(len(candidates), 'output')}"
                            f" of {len(outputs)}")
                # Ready bytes (queues, the search index, calendars) are made here before the
                # fork, files to copy in threads: made in a child, the search index alone would
                # copy every post's page of the model into it. Templates go to the workers.
                templated = [o for o in candidates if o.template is not None]
                settled = {o.path: settle(o) for o in candidates
                           if o.template is None and o.copy_from is None}
                copies = [o for o in candidates if o.copy_from is not None]
                with ThreadPoolExecutor(WRITE_THREADS) as pool:
                    settled.update(zip((o.path for o in copies), pool.map(settle, copies)))
                if not self.long_lived:
                    site.release_texts()    # nothing reads a file text from here on
                settled.update(zip((o.path for o in templated),
                                   parallel_map(settle, templated, self.jobs,
                                                chunk_most=RENDER_CHUNK_MOST)))
                for output in candidates:
                    what, fingerprint, value = settled.pop(output.path)
                    if fingerprint is not None:
                        prints[output.path] = fingerprint
                    if what == "problem":
                        template_problems.append(Diagnostic(*value))
                    elif what == "made":
                        files[output.path] = value
                    if what in ("made", "written") and output.template is not None:
                        result.rendered += 1
                timings["render"] = time.perf_counter() - start
                if template_problems:
                    result.diagnostics = sort_diagnostics(problems + template_problems)
                    if staging is not None:
                        staging.discard()
                    return result
                start = time.perf_counter()
                stale = sorted(p for p in set(manifest) - set(prints) - kept
                               if plain_relpath(p) and (areas is None or p.split("/", 1)[0] in areas))
                if staging is None:
                    result.removed = len(stale)
                    result.changed = sorted(files) + stale
                    written = len(files)
                    if changed is not None and (files or stale):
                        replace_in_place(out_dir, files, stale)     # serve's first pass
                        if spare is not None:
                            # the spare lacks these files too: the next staged build
                            # catches it up with them as with the last build's changes
                            record = self.cache.get("spare", manifest_key, _is_spare) or {}
                            self.cache.put("spare", manifest_key, {
                                "token": record.get("token", ""),
                                "lag": sorted(set(lag) | set(result.changed))})
                    elif files or stale:
                        # the spare (the output before last) needs only the last build's
                        # changes; without one, every unchanged file is linked
                        if spare is not None and spare.is_dir():
                            staging = Staging(out_dir, spare=spare)
                            staging.catch_up(lag)
                            staging.remove(stale)
                        else:
                            staging = Staging(out_dir)
                            staging.keep_unchanged(set(files) | set(stale))
                        keep_spare = self.cache.db is not None
                else:
                    result.changed = sorted(prints)
                    written = len(prints)
                if staging is not None:
                    write_all(staging, files)
                    staging.prune(stale)
                    previous = staging.commit()
                    if previous is not None and keep_spare:
                        token = staging.keep_as_spare(previous)
                        self.cache.put("spare", manifest_key,
                                       {"token": token, "lag": result.changed})
                    elif previous is not None:
                        self._remove_later(previous)
                        self.cache.put("spare", manifest_key, {"token": "", "lag": []})
        except UnsafePath as err:
            if staging is not None:
                staging.discard()
            result.diagnostics = sort_diagnostics(problems + [Diagnostic(
                "hearth.toml", 1, 1, "error", f"output path '{err}' would leave the output folder",
                "path")])
            return result
        except OSError as err:
            problem = fault(err, staging)
            if staging is not None:
                with contextlib.suppress(OSError):
                    staging.discard()
            raise problem from err
        except BaseException:
            if staging is not None:
                staging.discard()
            raise
        new_manifest = {p: e for p, e in manifest.items()
                        if p in kept or (areas is not None and p.split("/", 1)[0] not in areas)}
        for path, fingerprint in prints.items():
            entry = manifest.get(path)
            if entry is not None and entry[0] == fingerprint and path not in files:
                new_manifest[path] = entry      # checked current above, linked as it was
                continue
            stat = (out_dir / path).stat()
            new_manifest[path] = [fingerprint, stat.st_size, stat.st_mtime_ns]
        self.cache.put("manifest", manifest_key, new_manifest)
        if areas is None and changed is None and stamp is not None:
            self.cache.put("last-build", manifest_key, {
                "stamp": stamp, "now": site.now.isoformat(), "until": next_change(site).isoformat(),
                "diagnostics": [d.as_row() for d in result.diagnostics]})
        if only is None:    # serve's first pass: saved by the pass that follows it, at once
            self.cache.flush()
        timings["write"] = time.perf_counter() - start
        result.outputs = outputs
        result.written = written
        return result

    def _spare(self, out_dir: Path) -> tuple[Path | None, list[str]]:
        """The spare the last build kept (`write.Staging.keep_as_spare`) and the
        files that build changed, which the spare lacks."""
        record = self.cache.get("spare", str(out_dir), _is_spare)
        if not record or not record["token"]:
            return None, []
        return spare_folder(out_dir, record["token"]), record["lag"]

    def _unchanged(self, stamp: str, now: datetime, out_dir: Path) -> BuildResult | None:
        """The last build's result, if nothing it read has changed, `now` is between
        its now and the next instant its output would change at (so an hourly
        scheduled build of an unchanged hub does nothing), and its output is still
        there as it was written; None otherwise."""
        last = self.cache.get("last-build", str(out_dir), _is_last_build)
        if not last or last.get("stamp") != stamp:
            return None
        since, until = _moment(last["now"]), _moment(last["until"])
        if since is None or until is None or not since <= now < until:
            return None
        manifest = self.cache.get("manifest", str(out_dir), _is_manifest) or {}
        if not manifest or not all(is_current(out_dir, path, entry[0], manifest)
                                   for path, entry in manifest.items()):
            return None
        try:    # a killed build may have left its staging folder: remove it even so
            with output_lock(out_dir):
                self._removed()
                clean_leftovers(out_dir, keep=self._spare(out_dir)[0])
        except OSError as err:
            raise fault(err) from err
        result = BuildResult([Diagnostic(*row) for row in last["diagnostics"]])
        result.timings["unchanged"] = 1.0
        result.skipped_outputs = len(manifest)
        return result


# ------------------------------------------------------------------ one-shot helpers

@contextlib.contextmanager
def collector_paused(pause: bool = True):
    """Python's cycle collector off for a one-off build. A build allocates
    millions of objects that live to its end (the model), and each full
    collection walks all of them: 10–15 % of a cold build's CPU, for a few MB of
    cyclic garbage that reference counting does not free (measured: +5 MB peak
    at 1,000 posts). `serve` (a long-lived builder) pauses it its own way."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def check(root: Path, now: datetime, strict: bool = False) -> BuildResult:
    """Stages 1–3; writes nothing (a cache that is there is read, not changed)."""
    builder = Builder(root, read_only=True)
    try:
        return builder.check(now, strict)
    finally:
        builder.close()


def build(root: Path, now: datetime, out: Path | None = None, strict: bool = False,
          use_cache: bool = True, progress: Callable[[str], None] | None = None) -> BuildResult:
    """One build; `progress`, if given, is told each stage as it starts. Raises `write.OutputRefused` (the output folder is not Hearth's to
    write) before anything is touched, `write.WriteFault` if the machine refuses a write."""
    builder = Builder(root, out, use_cache)
    builder.progress = progress
    try:
        result = builder.build(now, strict)
    finally:
        builder.close()
    if builder.notice:
        result.notices.append(builder.notice)
    if result.ok and result.site is not None and result.site.calendar is not None:
        from .plan.queues import buffer_notices
        result.notices += buffer_notices(result.site)
    return result


def write_all(staging: Staging, files: dict[str, bytes | Path]) -> None:
    """Write these outputs into the staging folder, a few threads at once."""
    with ThreadPoolExecutor(WRITE_THREADS) as pool:
        list(pool.map(lambda item: staging.write(*item), sorted(files.items())))


def compile_templates(env, names: set[str]) -> None:
    """Compile these templates and those they extend, import or include, once here
    before the workers fork, instead of once in each of them (a child that meets
    `{% extends "base.html" %}` would otherwise compile base.html and its imports
    again: some 40 ms in every one of the render stage's children)."""
    from jinja2 import meta
    todo, seen = sorted(names), set(names)
    while todo:
        name = todo.pop()
        with contextlib.suppress(Exception):    # a broken template is reported by render
            env.get_template(name)
            source = env.loader.get_source(env, name)[0]
            for found in meta.find_referenced_templates(env.parse(source)):
                if found is not None and found not in seen:     # None: a name made at render
                    seen.add(found)
                    todo.append(found)


def own_pages(site: Site, changed: set[str]) -> set[str]:
    """The hub pages of the changed posts and pages themselves (`hub/posts/x/index.html`):
    what serve writes and reloads first after an edit, before the lists that show them."""
    pages = set()
    for path in changed:
        url = site.urls.get(path)
        if url is not None:
            pages.add("hub/" + (url + "index.html" if url.endswith("/") or not url else url))
    return pages


def _markdown_key(base_path: str, unsafe_html: bool, text: str, as_html: bool = False) -> str:
    """A rendered body's cache key: raw HTML let through or not renders
    differently, and an HTML post's body is not Markdown."""
    return digest(base_path, "unsafe" if unsafe_html else "safe", "html" if as_html else "md", text)
