"""Diagnostics as the tools that read them expect: `hearth check --format …`.

- `text`: compiler style, `path:line:col: level: [rule] message`.
- `line`: exactly Vale's `--output=line`, `path:line:col:Style.Rule:message`,
  sorted by file and position, so scripts and editor plugins written for Vale read it unchanged.
- `json`: a list of objects with `path, line, column, level, rule, message, match`
  (`match`: the text a style rule matched, Vale's `Match`; empty for other problems).
- `vale-json`: exactly Vale's `--output=JSON`: an object keyed by file path, each
  a list of alerts with Vale's fields in Vale's order (`Action`, `Span`, `Check`,
  `Description`, `Link`, `Message`, `Severity`, `Match`, `Line`), written as Go's
  `json.MarshalIndent` writes them, so tools built on Vale's output read it unchanged.
- `github`: workflow commands (`::error file=…,line=…,col=…,title=…::…`),
  escaped as GitHub's toolkit escapes them, then the full list in a log
  group, because GitHub shows only the first annotations of a step.
- `sarif`: SARIF 2.1.0 for code scanning (columns count Unicode code points).

Rendering is pure: a list of Diagnostics in, one string out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from .diagnostics import Diagnostic, sort_diagnostics

FORMATS = ("text", "line", "json", "vale-json", "github", "sarif")

GITHUB_LEVELS = {"error": "error", "warning": "warning", "suggestion": "notice"}
SARIF_LEVELS = {"error": "error", "warning": "warning", "suggestion": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(diagnostics: Iterable[Diagnostic], fmt: str,
           rules: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """`diagnostics` in format `fmt`. `rules` (rule id → {"message", "description",
    "link", "level"}, e.g. from `rules_for_people`) gives SARIF its help texts."""
    items = sort_diagnostics(diagnostics)
    if fmt == "text":
        return "".join(d.as_text() + "\n" for d in items)
    if fmt == "line":
        return render_line(items)
    if fmt == "json":
        return json.dumps([as_dict(d) for d in items], ensure_ascii=False, indent=2) + "\n"
    if fmt == "vale-json":
        return render_vale_json(items, rules)
    if fmt == "github":
        return render_github(items)
    if fmt == "sarif":
        return json.dumps(sarif(items, rules), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")


def as_dict(d: Diagnostic) -> dict[str, Any]:
    return {"path": d.path, "line": d.line, "column": d.column, "level": d.level,
            "rule": d.rule, "message": d.message, "match": d.match}


# --- Vale's JSON ---------------------------------------------------------------------

def render_vale_json(items: list[Diagnostic],
                     rules: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """Vale's `PrintJSONAlerts`: `map[path][]Alert`, keys sorted as Go sorts a map's."""
    rules = rules or {}
    by_path: dict[str, list[dict[str, Any]]] = {}
    for d in items:
        info = rules.get(d.rule, {})
        action = info.get("action") or {}
        params = action.get("params")
        if not params and action.get("name") == "replace":
            params = d.suggestions          # as Vale fills a replace action's Params
        by_path.setdefault(d.path, []).append({
            "Action": {"Name": str(action.get("name") or ""),
                       "Params": [str(p) for p in params] if params else None},
            "Span": [d.column, d.end_column or d.column],
            "Check": d.rule or "hearth",
            "Description": str(info.get("description") or ""),
            "Link": str(info.get("link") or ""),
            "Message": d.message,
            "Severity": d.level,
            "Match": d.match,
            "Line": d.line,
        })
    text = json.dumps(dict(sorted(by_path.items())), ensure_ascii=False, indent=2)
    # Go's encoder escapes these inside strings (they never occur outside one)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text + "\n"


def render_line(items: list[Diagnostic]) -> str:
    return "".join(f"{d.path}:{d.line}:{d.column}:{d.rule}:{_squeeze(d.message)}\n"
                   for d in items)


def _squeeze(message: str) -> str:
    """One line; runs of spaces stay as written (as in Vale since 3.11)."""
    return message.replace("\r", "").replace("\n", " ")


# --- GitHub Actions workflow commands -----------------------------------------------

def escape_data(value: str) -> str:
    """The message part of a workflow command (actions/toolkit `escapeData`)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A `key=value` property of a workflow command (actions/toolkit `escapeProperty`)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(items: list[Diagnostic]) -> str:
    out = []
    for d in items:
        command = GITHUB_LEVELS[d.level]
        props = [f"file={escape_property(d.path)}", f"line={d.line}", f"col={d.column}"]
        props.append(f"title={escape_property(d.rule or 'hearth')}")
        out.append(f"::{command} {','.join(props)}::{escape_data(d.message)}")
    if items:
        errors = sum(d.level == "error" for d in items)
        warnings = sum(d.level == "warning" for d in items)
        others = len(items) - errors - warnings
        out.append(f"::group::hearth: {_count(errors, 'error')}, {_count(warnings, 'warning')}, "
                   f"{_count(others, 'suggestion')}")
        out.extend(escape_data(d.as_text()) for d in items)
        out.append("::endgroup::")
    return "".join(line + "\n" for line in out)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# --- SARIF 2.1.0 ---------------------------------------------------------------------

def sarif(items: list[Diagnostic], rules: Mapping[str, Mapping[str, Any]] | None = None
          ) -> dict[str, Any]:
    rules = rules or {}
    rule_ids: list[str] = []
    first_message: dict[str, Diagnostic] = {}
    for d in items:
        rule_id = d.rule or "hearth"
        if rule_id not in first_message:
            first_message[rule_id] = d
            rule_ids.append(rule_id)
    rule_ids.sort()
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    descriptors = []
    for rule_id in rule_ids:
        info = rules.get(rule_id, {})
        example = first_message[rule_id]
        short = str(info.get("message") or example.message)
        help_text = str(info.get("description") or info.get("message") or example.message)
        descriptor: dict[str, Any] = {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": short},
            "fullDescription": {"text": help_text},
            "help": {"text": help_text},
            "defaultConfiguration": {"level": SARIF_LEVELS[str(info.get("level")
                                                                or example.level)]},
        }
        if info.get("link"):
            descriptor["helpUri"] = str(info["link"])
        descriptors.append(descriptor)
    results = []
    for d in items:
        rule_id = d.rule or "hearth"
        results.append({
            "ruleId": rule_id,
            "ruleIndex": index[rule_id],
            "level": SARIF_LEVELS[d.level],
            "message": {"text": d.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(d.path), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": d.line, "startColumn": d.column},
                },
            }],
        })
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "hearth", "rules": descriptors}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _uri(path: str) -> str:
    """A relative URI reference for a hub path (spaces and the like percent-encoded)."""
    return quote(path.replace("\\", "/"), safe="/-_.~")
