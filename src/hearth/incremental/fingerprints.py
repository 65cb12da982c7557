"""Output fingerprints: a hash of a template and of everything it is given.

An output whose fingerprint did not change, and whose file is still as the
manifest recorded it (size and mtime), is neither rendered nor written.
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any, Callable

from ..plan.outputs import Output, View, context_of
from .cache import digest


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


def output_fingerprint(output: Output, theme: str, env: Any = None
                       ) -> tuple[str, bytes | Path | Callable[[], bytes] | None]:
    """(fingerprint, content): ready bytes or the file to copy as they are, and for a
    template, with the Jinja environment `env`, a function rendering it from the
    context the fingerprint was made of (made once, let go with the function);
    without `env`, None (rendering makes the context again, `context_of`)."""
    if output.copy_from is not None:
        stat = output.copy_from.stat()
        return digest("copy", str(output.copy_from), str(stat.st_size), str(stat.st_mtime_ns)), \
            output.copy_from
    if output.data is not None:
        data = output.data() if callable(output.data) else output.data
        return digest("data", data), data
    context = context_of(output)
    fingerprint = context_fingerprint(output.template or "", theme, context)
    if env is None:
        return fingerprint, None
    from ..render import render
    return fingerprint, lambda: render(env, output, context)


def is_current(out_dir: Path, path: str, fingerprint: str, manifest: dict) -> bool:
    """The manifest says this output was written with this fingerprint, and the
    file is still as it was written (size, mtime)."""
    entry = manifest.get(path)
    if not entry or entry[0] != fingerprint:
        return False
    try:
        stat = (out_dir / path).stat()
    except OSError:
        return False
    return [stat.st_size, stat.st_mtime_ns] == entry[1:]
