"""Registers the commands that live beside their stage: calendar and queue
(review.py), report (report.py), serve (serve.py)."""

from __future__ import annotations

import importlib

from .cli import cli

for module, names in (("review", ("calendar_command", "queue_command")),
                      ("report", ("report_command",)),
                      ("serve", ("serve_command",))):
    try:
        loaded = importlib.import_module(f"hearth.{module}")
    except ModuleNotFoundError as err:
        if err.name != f"hearth.{module}":
            raise
        continue
    for name in names:
        command = getattr(loaded, name, None)
        if command is not None:
            cli.add_command(command)
