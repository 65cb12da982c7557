"""Map a function over many items with forked worker processes.

Rendering Markdown, linting and rendering templates are CPU-bound and
independent per item; forked children inherit the function and the items
(no pickling of the model) and only results travel back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import multiprocessing.pool
import os
from typing import Any, Callable

PARALLEL_MIN = 48   # below this many items, a process pool costs more than it saves
CHUNKS_PER_JOB = 8  # the items are cut in this many chunks per worker, one forked child each
# Markdown and lint children read only their texts (and the reader or the style guide,
# built before the fork) and send small results back: they copy few of the model's
# pages, so fewer, longer-lived children cost no memory and save the forks (and their
# page-table copies and faults: ~0.4 s of CPU at 5,000 posts). Rendering reads much of
# the model (tag pages, feeds) and keeps CHUNKS_PER_JOB.
FEW_CHUNKS_PER_JOB = 2

_WORK: tuple[Callable, list] | None = None


def _run_one(index: int) -> Any:
    function, items = _WORK  # type: ignore[misc]
    return function(items[index])


def parallel_map(function: Callable, items: list, jobs: int, chunks_per_job: int = CHUNKS_PER_JOB,
                 chunk_most: int | None = None) -> list:
    """`[function(x) for x in items]` over `jobs` forked processes.

    Forked children inherit `function` and `items` (no pickling of the model);
    only results travel back. The order, and so the output, is the serial one.
    `chunks_per_job`: how many children each worker's share is cut into (see
    below why a child does one chunk only); `chunk_most`: more chunks if need
    be, so that none holds more items than this.
    """
    global _WORK
    if jobs <= 1 or len(items) < PARALLEL_MIN or not can_fork():
        return [function(x) for x in items]
    _WORK = (function, items)
    _trim()     # the heap the stages before freed is not shared with the children
    # Everything alive now is shared with the children copy-on-write; frozen, the
    # collector never walks it there (a walk writes to every object's header and
    # so copies every page of the model into each child: the bulk of their memory).
    gc.freeze()
    # Even so, every object a child reads has its reference count written, which copies
    # its page into that child: a child that lived through all the items would end up
    # with a private copy of most of the model. So each child does one chunk and exits;
    # the next is forked afresh, and a child holds only what its own chunk touched.
    chunks = max(jobs * chunks_per_job, -(-len(items) // chunk_most) if chunk_most else 0)
    try:
        with multiprocessing.get_context("fork").Pool(jobs, maxtasksperchild=1) as pool:
            return pool.map(_run_one, range(len(items)), chunksize=max(1, -(-len(items) // chunks)))
    finally:
        _WORK = None
        gc.unfreeze()
        _trim()     # the results' pickles, freed, are handed back to the system


class Workers:
    """`jobs` worker processes forked now and kept for the stages of one model
    (Markdown, lint): the main process hands each piece of work over as soon as it
    is known (`submit`) and goes on reading, assembling and validating meanwhile.

    Forked early, before the model is read, they share little with the build (the
    modules, the Markdown reader) and copy none of the model: their work travels
    to them pickled (the bodies, the documents to lint) and their results back.
    So, unlike `parallel_map`'s children, they live through all the work."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool = _QuietPool(jobs, context=multiprocessing.get_context("fork"))

    def submit(self, function: Callable, *args: Any) -> Any:
        """`function(*args)` in a worker; `.get()` on the answer waits for its result
        (and raises what it raised). `function` must be a module's own (it travels
        by name)."""
        return self._pool.apply_async(function, args)

    def close(self) -> None:
        """Let the workers finish what they were given and exit."""
        self._pool.close()
        self._pool.join()

    def terminate(self) -> None:
        """Stop the workers at once (the build failed or was interrupted)."""
        self._pool.terminate()
        self._pool.join()


class _QuietPool(multiprocessing.pool.Pool):
    """A pool whose worker-watching thread wakes when a worker exits or the work
    given changes, not also whenever a result waits to be read: the results pipe
    among what it waits on makes it spin, holding the interpreter's lock, while the
    main process is busy (measured: 0.3 s of CPU at 5,000 posts)."""

    def _get_sentinels(self) -> list:
        return [self._change_notifier._reader]


def can_fork() -> bool:
    """Whether this system can fork worker processes (not Windows, say)."""
    return "fork" in multiprocessing.get_all_start_methods()


def _trim() -> None:
    """Give the memory that Python freed back to the system (glibc's `malloc_trim`).

    glibc keeps freed memory mapped for later, and after a stage that made and
    dropped much (the results' pickles of a parallel map: some 100 MB at 10,000
    posts) that memory stays in the build's resident size and, once forked, in
    every worker's share of it. Elsewhere than glibc, nothing is done."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _libc()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
