"""Stage 5, render: an output spec → bytes. Pure apart from reading templates."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .plan.outputs import Output, context_of


def render(env: jinja2.Environment, output: Output, context: dict | None = None) -> bytes | Path:
    if output.copy_from is not None:
        return output.copy_from
    if output.data is not None:
        return output.data() if callable(output.data) else output.data
    assert output.template is not None, output.path
    context = context if context is not None else context_of(output)
    return env.get_template(output.template).render(context).encode("utf-8")
