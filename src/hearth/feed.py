"""Markdown and lint handed to worker processes while the model is being made.

A one-off build with more than one job does not wait for load to end before
rendering Markdown, nor for assemble and validate before linting: load gives
`MarkdownFeed.add` each post as soon as it is read, and the bodies go, a chunk
at a time, to workers forked before the hub was read (`parallel.Workers`), which
render them while the main process reads on, assembles and validates; the
documents to lint go to the same workers as soon as validate knows them
(`lint_chunks`). Results are taken in the order given, so the output is the
serial one; the cache's hits never reach a worker.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Callable

from .parallel import PARALLEL_MIN, Workers

if TYPE_CHECKING:
    from .incremental.cache import BuildCache
    from .markup import Rendered
    from .model import Post

CHUNK = 64      # bodies or documents per task: the first reach a worker while load reads on
SAVE_EVERY = 1024   # rendered bodies whose JSON waits for the cache file, at most (~10 MB)
AHEAD = 4           # chunks handed over per worker and not yet taken back, at most: the
# main process reads faster than the workers render, and the bodies (and documents)
# it got ahead by, with their results, would wait in its memory (~180 MB at 10,000 posts)


class MarkdownFeed:
    """The bodies of one build, rendered by early workers as they are read.

    `add` each post in load's order, `finish` once load is done, then `get` a
    body's `Rendered` by its key (waiting for it if it is still being made);
    `collect` takes every result. The workers are forked at the first
    `PARALLEL_MIN` bodies the cache does not have (a small hub, or a cached one,
    never forks them: its few bodies are rendered here at `finish`)."""

    def __init__(self, cache: BuildCache, base_path: str, unsafe: bool, jobs: int,
                 key: Callable[..., str], valid: Callable[[Any], bool]):
        self.cache, self.base_path, self.unsafe, self.jobs = cache, base_path, unsafe, jobs
        self._key, self._valid = key, valid
        self.workers: Workers | None = None
        self.done: dict[str, Rendered] = {}
        self.seconds = 0.0      # spent waiting for the workers' results and taking them in
        self._seen: set[str] = set()
        self._unlooked: list[tuple[str, str, bool]] = []   # (key, body, as HTML), not looked up yet
        self._misses: list[tuple[str, str, bool]] = []     # not in the cache, not handed over yet
        self._tasks: deque[tuple[list[str], Any]] = deque()

    def add(self, post: Post) -> None:
        from .load.front_matter import is_html
        body, as_html = post.doc.body, is_html(post.path)
        key = self._key(self.base_path, self.unsafe, body, as_html)
        if key in self._seen:
            return
        self._seen.add(key)
        self._unlooked.append((key, body, as_html))
        if len(self._unlooked) >= CHUNK:
            self._look_up()

    def finish(self) -> None:
        """Load is done: the last bodies are handed over (or, with no workers, rendered here)."""
        from .markup import Rendered, render_markdown
        self._look_up()
        if self.workers is not None:
            self._hand_over(everything=True)
            return
        for key, body, as_html in self._misses:
            value = render_markdown(body, self.base_path, self.unsafe, as_html).to_json()
            self.cache.put("markdown", key, value, keep=False)
            self.done[key] = Rendered.from_json(value)
        self._misses = []

    def get(self, key: str) -> Rendered:
        """A body's rendering, by its key (`add`ed, after `finish`)."""
        while key not in self.done:
            if not self._tasks:
                raise KeyError(key)
            self._take_one()
        return self.done[key]

    def collect(self) -> dict[str, Rendered]:
        """Every result (waiting for the last): key → Rendered."""
        while self._tasks:
            self._take_one()
        return self.done

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
            self.workers = None

    def terminate(self) -> None:
        if self.workers is not None:
            self.workers.terminate()
            self.workers = None

    def _look_up(self) -> None:
        from .markup import Rendered, render_markdown
        keys = [key for key, _, _ in self._unlooked]
        found = self.cache.get_many("markdown", keys, self._valid, keep=False)
        for key, value in found.items():
            self.done[key] = Rendered.from_json(value)
        self._misses += [item for item in self._unlooked if item[0] not in found]
        self._unlooked = []
        if self.workers is None and len(self._misses) >= PARALLEL_MIN:
            render_markdown("", self.base_path, self.unsafe)  # the reader: built once, then forked
            self.workers = Workers(self.jobs)
        if self.workers is not None:
            self._hand_over()

    def _hand_over(self, everything: bool = False) -> None:
        misses = self._misses
        while len(misses) >= CHUNK or (everything and misses):
            chunk, misses = misses[:CHUNK], misses[CHUNK:]
            # as UTF-8 bytes: a body without front matter is its file's text (see `_pickled`)
            bodies = [(body.encode("utf-8", "surrogatepass"), as_html)
                      for _, body, as_html in chunk]
            self._tasks.append(([key for key, _, _ in chunk], self.workers.submit(
                _render_chunk, bodies, self.base_path, self.unsafe)))
            # the results ready are taken in now, and load waits while it is too far ahead
            while self._tasks and (self._tasks[0][1].ready()
                                   or len(self._tasks) > AHEAD * self.jobs):
                self._take_one()
        self._misses = misses

    def _take_one(self) -> None:
        from .markup import Rendered
        start = time.perf_counter()
        keys, answer = self._tasks.popleft()
        for key, value in zip(keys, answer.get()):
            self.cache.put("markdown", key, value, keep=False)
            self.done[key] = Rendered.from_json(value)
        if len(self.cache.pending) >= SAVE_EVERY:
            self.cache.flush()      # not held till the model is made
        self.seconds += time.perf_counter() - start


def _render_chunk(bodies: list[tuple[bytes, bool]], base_path: str, unsafe: bool) -> list:
    from .markup import render_markdown
    return [render_markdown(body.decode("utf-8", "surrogatepass"), base_path, unsafe,
                            as_html).to_json() for body, as_html in bodies]


def lint_chunks(workers: Workers, guide: Any, jobs: list[tuple[Any, str, dict]]) -> Any:
    """Hand these (doc, lang, channels) lint jobs to the workers, a chunk a task; the
    iterator gives each job's diagnostics as rows, in order. The first chunks are
    handed over at once, the others as the answers come (`AHEAD` per worker in
    flight: not every document pickled at once). The guide travels pickled, and is
    unpickled once per worker (`_GUIDES`)."""
    blob = pickle.dumps(guide, pickle.HIGHEST_PROTOCOL)
    starts = iter(range(0, len(jobs), CHUNK))
    flying: deque = deque()

    def hand_over() -> None:
        start = next(starts, None)
        if start is not None:
            flying.append(workers.submit(_lint_chunk, blob, _pickled(jobs[start:start + CHUNK])))

    for _ in range(AHEAD * workers.jobs):
        hand_over()

    def answers() -> Any:
        while flying:
            rows = flying.popleft().get()
            hand_over()
            yield from rows

    return answers()


def _pickled(value: Any) -> bytes:
    """`value` pickled, its documents' and located texts as UTF-8 bytes: pickling a
    text itself makes Python keep a UTF-8 copy of it beside it (of every file that
    is not all ASCII, for the rest of the build: 12 MB at 5,000 posts)."""
    from .source import Located, SourceDoc
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, SourceDoc: _reduce_doc,
                              Located: _reduce_located}
    pickler.dump(value)
    return out.getvalue()


def _reduce_doc(doc: Any) -> tuple:
    return _doc, (doc.path, doc.text.encode("utf-8", "surrogatepass"), doc.meta, doc.body_start,
                  doc.body_line, doc.front_matter_line, doc.marks, doc.key_lines)


def _doc(path: str, raw: bytes, meta: dict, body_start: int, body_line: int,
         front_matter_line: int, marks: Any, key_lines: dict) -> Any:
    from .source import SourceDoc
    text = raw.decode("utf-8", "surrogatepass")
    return SourceDoc(path, text, meta, text[body_start:], body_line, front_matter_line,
                     key_lines=key_lines, marks=marks)


def _reduce_located(located: Any) -> tuple:
    return _located, (located.text.encode("utf-8", "surrogatepass"), located.line, located.column,
                      located.style, located.indent, located.folds)


def _located(raw: bytes, *rest: Any) -> Any:
    from .source import Located
    return Located(raw.decode("utf-8", "surrogatepass"), *rest)


_GUIDES: dict[bytes, Any] = {}     # a worker's: the guides it was sent, by their pickle


def _lint_chunk(blob: bytes, pickled_jobs: bytes) -> list[list]:
    from . import lint
    guide = _GUIDES.get(blob)
    if guide is None:
        guide = _GUIDES[blob] = pickle.loads(blob)
    return [[d.as_row() for d in lint.lint_doc(guide, doc, lang=lang, channels=channels)]
            for doc, lang, channels in pickle.loads(pickled_jobs)]
