"""Hearth: one git repository of plain files -> community hub, channel queues, editorial calendar."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

# The name on PyPI. `hearth` there is an unrelated package; the command stays `hearth`.
DISTRIBUTION = "hearth-hub"


def version() -> str:
    """The running Hearth's version: the installed distribution's, else (run from
    a source checkout with PYTHONPATH=src) the version in its pyproject.toml."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        import tomllib

        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, ValueError):
        project = {}
    if project.get("name") == DISTRIBUTION and isinstance(project.get("version"), str):
        return project["version"]
    return "0+unknown"
