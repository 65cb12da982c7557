"""What planning produces: an `Output` says what to make (a template and its
context, bytes, or a file to copy) and which sources it was made from, so a
rebuild can skip the outputs whose inputs did not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


@dataclass(frozen=True)
class Output:
    path: str                                  # relative to the output folder: hub/…, queues/…, review/…
    template: str | None = None                # rendered with `context`
    context: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict, compare=False)
    data: bytes | Callable[[], bytes] | None = None   # ready bytes (or a pure function making them)
    copy_from: Path | None = None              # a file copied as it is
    deps: frozenset[str] = frozenset()         # source paths (and "*" for every source)


class View(dict):
    """What a template sees of a post: a dict with a `_hash` of everything it was
    made from (fingerprints use the hash instead of the whole content). Its
    `html` and `toc` are read from the packed body under `_body` (`markup.Rendered`) each
    time a template asks: the views of every post live to the end of a build."""

    def __missing__(self, key: str) -> Any:
        if key == "html" and "_body" in self:
            return self["_body"].html
        if key == "toc" and "_body" in self:
            body = self["_body"]
            return body.toc if body.wants_toc else ()
        raise KeyError(key)

    def fields(self) -> dict[str, Any]:
        """The view as a plain dict, `html` and `toc` unpacked (a context that adds to it)."""
        plain = {k: v for k, v in self.items() if k != "_body"}
        if "_body" in self:
            plain["html"], plain["toc"] = self["html"], self["toc"]
        return plain


def context_of(output: Output) -> dict[str, Any]:
    """An output's template context, made now if it was planned lazily."""
    return output.context() if callable(output.context) else output.context


def changed_keys(changed: set[str]) -> frozenset[str]:
    """The dependency names a set of changed files touches: the files themselves,
    "folder/*" for every folder above them, and "*"."""
    keys = set(changed) | {"*"}
    for path in changed:
        parts = path.split("/")
        keys |= {"/".join(parts[:i]) + "/*" for i in range(1, len(parts))}
    return frozenset(keys)


def touches(output: Output, keys: frozenset[str]) -> bool:
    """Whether an output depends on anything in `keys` (see `changed_keys`)."""
    return "*" in output.deps or not output.deps.isdisjoint(keys)
