"""The output formats, read by the tools they are for: Vale's line format, JSON,
GitHub workflow commands (with GitHub's escaping) and SARIF 2.1.0."""

from __future__ import annotations

import json

import pytest

from hearth.diagnostics import Diagnostic
from hearth.formats import escape_data, escape_property, render

FINDINGS = [
    Diagnostic("content/posts/b.md", 10, 2, "warning", "Prefer \"use\" to \"utilise\".",
               "plain-words"),
    Diagnostic("content/posts/a,b:c.md", 3, 5, "error",
               "Say \"Open Garden\", not \"Open garden\" (100% sure).\r\nSecond line",
               "brand-name"),
    Diagnostic("content/posts/b.md", 2, 14, "suggestion", "Headings use sentence case.",
               "Google.Headings"),
    Diagnostic("content/posts/кто.md", 1, 1, "error", "front matter is never closed",
               "front-matter"),
]


def test_text_is_compiler_style_and_sorted() -> None:
    out = render(FINDINGS, "text").splitlines()
    assert out[0] == ('content/posts/a,b:c.md:3:5: error: [brand-name] Say "Open Garden", '
                      'not "Open garden" (100% sure).')
    assert out[-1] == "content/posts/кто.md:1:1: error: [front-matter] front matter is never closed"


def test_line_is_vales_output_line() -> None:
    assert render(FINDINGS, "line") == (
        'content/posts/a,b:c.md:3:5:brand-name:Say "Open Garden", not "Open garden" '
        "(100% sure). Second line\n"
        "content/posts/b.md:2:14:Google.Headings:Headings use sentence case.\n"
        'content/posts/b.md:10:2:plain-words:Prefer "use" to "utilise".\n'
        "content/posts/кто.md:1:1:front-matter:front matter is never closed\n")


def test_json_objects() -> None:
    data = json.loads(render(FINDINGS, "json"))
    assert isinstance(data, list) and len(data) == 4
    for item in data:
        assert set(item) == {"path", "line", "column", "level", "rule", "message", "match"}
        assert isinstance(item["line"], int) and isinstance(item["column"], int)
        assert item["level"] in ("error", "warning", "suggestion")
    assert data[0]["path"] == "content/posts/a,b:c.md"
    assert data[0]["message"].endswith("\r\nSecond line")
    assert data[-1]["path"] == "content/posts/кто.md"
    assert json.loads(render([], "json")) == []


def test_github_escaping() -> None:
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    lines = render(FINDINGS, "github").splitlines()
    assert lines[0] == ("::error file=content/posts/a%2Cb%3Ac.md,line=3,col=5,title=brand-name::"
                        'Say "Open Garden", not "Open garden" (100%25 sure).%0D%0ASecond line')
    assert lines[1] == ("::notice file=content/posts/b.md,line=2,col=14,title=Google.Headings::"
                        "Headings use sentence case.")
    assert lines[2].startswith("::warning file=content/posts/b.md,line=10,col=2,")
    # then the full list, in a log group, because GitHub shows only some annotations
    assert lines[4] == "::group::hearth: 2 errors, 1 warning, 1 suggestion"
    assert lines[5].startswith("content/posts/a,b:c.md:3:5: error: [brand-name]")
    assert lines[-1] == "::endgroup::"
    assert render([], "github") == ""


# The parts of the SARIF 2.1.0 schema that code scanning relies on.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {
                    "driver": {"type": "object", "required": ["name"], "properties": {
                        "name": {"type": "string"},
                        "rules": {"type": "array", "items": {
                            "type": "object", "required": ["id"],
                            "properties": {
                                "id": {"type": "string"},
                                "shortDescription": {"$ref": "#/$defs/message"},
                                "fullDescription": {"$ref": "#/$defs/message"},
                                "help": {"$ref": "#/$defs/message"},
                                "helpUri": {"type": "string"},
                                "defaultConfiguration": {"type": "object", "properties": {
                                    "level": {"$ref": "#/$defs/level"}}},
                            }}},
                    }}}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "ruleIndex": {"type": "integer", "minimum": -1},
                        "level": {"$ref": "#/$defs/level"},
                        "message": {"$ref": "#/$defs/message"},
                        "locations": {"type": "array", "items": {
                            "type": "object", "properties": {
                                "physicalLocation": {
                                    "type": "object", "required": ["artifactLocation", "region"],
                                    "properties": {
                                        "artifactLocation": {
                                            "type": "object", "required": ["uri"],
                                            "properties": {"uri": {"type": "string"},
                                                           "uriBaseId": {"type": "string"}}},
                                        "region": {
                                            "type": "object",
                                            "required": ["startLine", "startColumn"],
                                            "properties": {
                                                "startLine": {"type": "integer", "minimum": 1},
                                                "startColumn": {"type": "integer",
                                                                "minimum": 1}}},
                                    }}}}},
                    }}},
            }}},
    },
    "$defs": {
        "level": {"enum": ["none", "note", "warning", "error"]},
        "message": {"type": "object", "required": ["text"],
                    "properties": {"text": {"type": "string"}}},
    },
}


def test_sarif_structure() -> None:
    data = json.loads(render(FINDINGS, "sarif", rules={
        "brand-name": {"message": "Say Open Garden.", "description": "Our name, two words.",
                       "link": "https://example.org/guidelines/#brand-name", "level": "error"}}))
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, SARIF_SUBSET)
    run = data["runs"][0]
    assert run["tool"]["driver"]["name"] == "hearth"
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids))
    brand = rules[ids.index("brand-name")]
    assert brand["help"]["text"] == "Our name, two words."
    assert brand["helpUri"] == "https://example.org/guidelines/#brand-name"
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"brand-name": "error", "plain-words": "warning", "Google.Headings": "note",
                      "front-matter": "error"}
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    first = run["results"][0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"] == "content/posts/a%2Cb%3Ac.md"
    assert first["region"] == {"startLine": 3, "startColumn": 5}
    assert run["results"][-1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] \
        == "content/posts/%D0%BA%D1%82%D0%BE.md"
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_with_no_findings_is_valid() -> None:
    data = json.loads(render([], "sarif"))
    assert data["runs"][0]["results"] == [] and data["version"] == "2.1.0"


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render(FINDINGS, "xml")
