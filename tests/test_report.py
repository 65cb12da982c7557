"""The KPI report (`hearth report` and review/report/): numbers checked by hand
against a tiny hub, broken metrics exports, lead times from git history."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import MINIMAL_TOML, run

from hearth import build as pipeline
from hearth.dates import resolve_now
from hearth.load.history import read_post_history
from hearth.load.metrics import decode_metrics, parse_count, parse_day
from hearth.report import plan_report
from hearth.report.compute import normalize_url, parse_goal

NOW = "2026-03-10T12:00:00Z"          # Tuesday of ISO week 11, 13:00 in Rome
PERIOD = ("--from", "2026-03-02", "--to", "2026-03-15")   # ISO weeks 10 and 11

CHANNELS = """\
channels:
  mastodon:
    kind: mastodon
    slots: ["Mon 09:00", "Thu 09:00"]
    utm: {source: mastodon, medium: social}
  linkedin:
    kind: linkedin
    slots: ["Tue 10:00"]
    utm: {source: linkedin, medium: social}
blackouts:
  - {start: 2026-03-10, reason: Offsite, channels: [linkedin]}
"""

SPRING = """\
---
title: Spring
start: 2026-03-01
end: 2026-03-11
goal: 100
---
Brief.
"""

RULES = """\
- id: no-awesome
  extends: existence
  message: Avoid '%s'.
  level: warning
  tokens: [awesome]
"""


def post(title: str, date: str, status: str = "ready", author: str | None = None,
         campaign: str | None = None, channels: tuple[str, ...] = (), body: str = "Body.") -> str:
    lines = ["---", f"title: {title}", f"date: {date}", f"status: {status}"]
    if author:
        lines.append(f"author: {author}")
    if campaign:
        lines.append(f"campaign: {campaign}")
    if channels:
        lines.append("channels:")
        lines += [f"  {c}: \"{title} {{url}}\"" for c in channels]
    return "\n".join(lines + ["---", body, ""])


# Where the schedule puts each item (slots Mon/Thu 09:00 and Tue 10:00, Rome):
#   a  Mon 2 Mar 08:00 → mastodon Mon 2 Mar 09:00 (W10), linkedin Tue 3 Mar 10:00 (W10)
#   b  Wed 4 Mar 10:00 → mastodon Thu 5 Mar 09:00 (W10)
#   c  Wed 11 Mar      → mastodon Thu 12 Mar 09:00 (W11, after now: scheduled; after Spring ends)
#   d  Sun 8 Mar, review → mastodon Mon 9 Mar 09:00 (W11, tentative)
#   e  Fri 20 Mar, draft: outside the period
HUB = {
    "calendar/channels.yml": CHANNELS,
    "calendar/campaigns/spring.md": SPRING,
    "guidelines/rules.yml": RULES,
    "content/posts/2026-03-02-a.md": post("Alpha", "2026-03-02 08:00", author="Ann",
                                          campaign="spring", channels=("mastodon", "linkedin")),
    "content/posts/2026-03-04-b.md": post("Beta", "2026-03-04 10:00", author="Ann",
                                          channels=("mastodon",), body="An awesome day."),
    "content/posts/2026-03-11-c.md": post("Gamma", "2026-03-11 08:00", author="Bob",
                                          campaign="spring", channels=("mastodon",)),
    "content/posts/2026-03-08-d.md": post("Delta", "2026-03-08 10:00", status="review",
                                          author="Bob", channels=("mastodon",)),
    "content/posts/2026-03-20-e.md": post("Epsilon", "2026-03-20", status="draft", author="Cy"),
}

GENERIC = """\
url,date,impressions,engagements,clicks,id
https://example.org/posts/a/?utm_source=mastodon&utm_medium=social,2026-03-02,1000,50,10,
https://example.org/posts/a/?utm_source=mastodon&utm_medium=social,2026-03-02,900,45,9,
,2026-03-03,400,40,8,linkedin:a
https://example.org/posts/b,2026-03-05,200,10,2,
https://example.org/posts/zzz/,2026-03-05,70,7,1,
"""


def report_json(root, *args: str) -> dict:
    result = run(root, "report", "--now", NOW, *PERIOD, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def small_hub(hub):
    return hub({**HUB, "calendar/metrics/generic.csv": GENERIC})


def test_items_per_week_against_cadence(small_hub):
    data = report_json(small_hub)
    weeks = {(w["channel"], w["week"]): w for w in data["channel_weeks"]}
    assert [w["week"] for w in data["weeks"]] == ["2026-W10", "2026-W11"]
    m10, m11 = weeks["mastodon", "2026-W10"], weeks["mastodon", "2026-W11"]
    fields = ("cadence", "sent", "scheduled", "review", "open", "past")
    assert tuple(m10[f] for f in fields) == (2, 2, 0, 0, 0, True)
    assert tuple(m11[f] for f in fields) == (2, 0, 1, 1, 1, False)
    l10, l11 = weeks["linkedin", "2026-W10"], weeks["linkedin", "2026-W11"]
    assert (l10["cadence"], l10["sent"], l10["open"]) == (1, 1, 0)
    assert (l11["cadence"], l11["open"]) == (0, 0), "the blackout Tuesday is no slot"
    mastodon = next(c for c in data["channels"] if c["name"] == "mastodon")
    assert (mastodon["missed"], mastodon["open"], mastodon["gap_weeks"]) == (0, 1, ["2026-W11"])
    assert data["went_out"]["items"] == 3 and data["went_out"]["posts"] == 2
    assert data["planned"]["items"] == 1 and data["planned"]["posts"] == 1


def test_campaigns_backlog_authors_and_style(small_hub):
    data = report_json(small_hub)
    (spring,) = data["campaigns"]
    assert (spring["posts"], spring["items"], spring["in_window"], spring["after"]) == (2, 3, 2, 1)
    assert spring["goal_value"] == 100 and spring["totals"]["engagements"] == 90
    assert spring["progress"] == pytest.approx(0.9)
    backlog = {b["path"].split("/")[-1]: b for b in data["backlog"]}
    assert {k: b["status"] for k, b in backlog.items()} == {
        "2026-03-08-d.md": "review", "2026-03-20-e.md": "draft", "2026-03-11-c.md": "ready"}
    assert "date has passed" in backlog["2026-03-08-d.md"]["risk"]
    assert backlog["2026-03-20-e.md"]["risk"] == "", "due in 9 days: not yet at risk"
    authors = {a["author"]: a for a in data["authors"]}
    assert set(authors) == {"Ann", "Bob"}, "Cy's draft is dated after the period"
    ann, bob = authors["Ann"], authors["Bob"]
    assert (ann["published"], bob["scheduled"], bob["review"], bob["draft"]) == (2, 1, 1, 0)
    assert data["style"] == [{"rule": "no-awesome", "level": "warning", "weeks": {"2026-W10": 1},
                              "undated": 0, "total": 1}]
    risks = " | ".join(r["message"] for r in data["risks"])
    assert "Mastodon 1 of 2" in risks and "1 after the campaign dates" in risks
    assert "Delta" in risks and "1 metrics row matched no queue item" in risks


def test_engagement_per_item_channel_and_campaign(small_hub):
    data = report_json(small_hub)
    items = {e["id"]: e["totals"] for e in data["items"]}
    assert items["mastodon:a"]["impressions"] == 1000, "the larger of two overlapping rows counts"
    assert items["linkedin:a"]["engagements"] == 40
    assert items["mastodon:b"]["clicks"] == 2, "no UTM, one channel: still matched"
    assert data["by_channel"]["mastodon"] == {"impressions": 1200, "engagements": 60, "clicks": 12,
                                              "items": 2, "rate": 0.05}
    assert data["by_channel"]["linkedin"]["rate"] == 0.1
    assert data["by_campaign"]["spring"]["impressions"] == 1400
    (unmatched,) = data["unmatched"]
    assert unmatched["source"] == "calendar/metrics/generic.csv:6"
    assert "no queue item" in unmatched["reason"]


def test_csv_and_text_output(small_hub):
    result = run(small_hub, "report", "--now", NOW, *PERIOD, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["section", "subject", "week", "metric", "value"]
    assert ["cadence", "mastodon", "2026-W11", "open", "1"] in rows
    assert ["engagement_channel", "mastodon", "", "impressions", "1200"] in rows
    assert ["author", "Ann", "", "published", "2"] in rows
    text = run(small_hub, "report", "--now", NOW, *PERIOD).stdout
    assert "What went out: 2 posts published, 3 channel items" in text
    assert "What's planned: 1 item scheduled, 0 waiting for approval; 1 post" in text
    assert "What's at risk:" in text and "Spring: 1 after the campaign dates (Mar 1 – Mar 11)" in text


def test_campaign_dates_in_risks_follow_the_hubs_locale(hub):
    """One locale, one date format: the risk's dates read as the pages' do."""
    root = hub({**HUB, "calendar/metrics/generic.csv": GENERIC},
               toml=MINIMAL_TOML + 'language = "fr"\n')
    risks = [r["message"] for r in report_json(root)["risks"] if r["kind"] == "campaign"]
    assert risks == ["Spring: 1 after the campaign dates (1 mars – 11 mars)"]


def test_default_period_is_four_weeks_either_side_in_whole_weeks(small_hub):
    result = run(small_hub, "report", "--now", NOW, "--format", "json")
    data = json.loads(result.stdout)
    assert data["period"]["from"] == "2026-02-09" and data["period"]["to"] == "2026-04-12"
    assert len(data["weeks"]) == 9 and data["now_week"] == "2026-W11"


def test_bad_period_is_usage_error(small_hub):
    assert run(small_hub, "report", "--from", "2026-13-01").exit_code == 2
    assert run(small_hub, "report", "--from", "2026-03-10", "--to", "2026-03-01").exit_code == 2


# ---------------------------------------------------------------------- broken exports

BROKEN_GENERIC = (
    b"url,date,impresions,engagements,clicks\n"                              # 1: a typo
    b"https://example.org/posts/a/?utm_source=mastodon,2026-03-02,10,5,1\n"  # 2: fine
    b"https://example.org/posts/b/,31/02/2026,10,3,lots\n"                   # 3: date, number
    b"https://example.org/posts/b/,2026-03-05,10,3,1,extra\n"                # 4: a field too many
    b"https://example.org/posts/a/?utm_source=linkedin,2026-03-03,5,4,1,\n"  # 5: fine
)
MIXED_BUFFER = (
    b"Date,Channel,Post,Link,Impressions,Engagements,Clicks\n"
    + "2026-03-02,Mastodon,Grüße,https://example.org/posts/a/,100,9,1\n".encode()
    + "2026-03-05,Mastodon,Caf\xe9 talk,https://example.org/posts/b/,50,4,1\n".encode("cp1252")
)


def test_broken_metrics_files_warn_with_path_and_line_and_never_break_the_build(hub):
    root = hub({**HUB,
                "calendar/metrics/broken.csv": BROKEN_GENERIC,
                "calendar/metrics/mixed.csv": MIXED_BUFFER,
                "calendar/metrics/utf16.csv": "url,date,impressions,engagements,clicks\n"
                "https://example.org/posts/c/,2026-03-12,7,1,0\n".encode("utf-16"),
                "calendar/metrics/other.csv": "Name,Value\nfoo,1\n"})
    result = run(root, "report", "--now", NOW, *PERIOD, "--format", "json")
    assert result.exit_code == 0, result.output
    warnings = result.stderr
    assert ("calendar/metrics/broken.csv:1:1: warning: [metrics] unknown column 'impresions' "
            "ignored (did you mean 'impressions'?)") in warnings
    assert "broken.csv:3:1: warning: [metrics] bad date '31/02/2026'" in warnings
    assert "broken.csv:3:1: warning: [metrics] 'lots' in column 'clicks' is not a whole" in warnings
    assert "broken.csv:4:1: warning: [metrics] row has 6 fields but the header has 5" in warnings
    assert "mixed.csv:3:1: warning: [metrics] file mixes UTF-8 and Windows-1252" in warnings
    assert "other.csv:1:1: warning: [metrics] unknown columns (Name, Value)" in warnings
    assert "utf16.csv" not in warnings
    data = json.loads(result.stdout)
    items = {e["id"]: e for e in data["items"]}
    assert items["mastodon:b"]["totals"]["engagements"] == 4, "the Windows-1252 line is read"
    assert items["mastodon:c"]["totals"]["impressions"] == 7, "UTF-16 by its BOM"
    assert items["linkedin:a"]["source"] == "calendar/metrics/broken.csv:5", \
        "a trailing empty field is fine"
    assert {f["path"].split("/")[-1]: f["format"] for f in data["metrics_files"]} == {
        "broken.csv": "generic", "mixed.csv": "buffer", "utf16.csv": "generic", "other.csv": None}
    built = run(root, "build", "--now", NOW)
    assert built.exit_code == 0, built.output
    assert (root / "dist" / "hub" / "index.html").is_file()


def test_decode_and_parse_units():
    text, problems = decode_metrics("m.csv", b"\xef\xbb\xbfurl,date\n")
    assert text == "url,date\n" and problems == []
    text, problems = decode_metrics("m.csv", "a,b\nCaf\xe9,1\n".encode("cp1252"))
    assert "Café" in text and problems[0].line == 2 and "is not UTF-8" in problems[0].message
    assert parse_count("1,234") == 1234 and parse_count("1.234") == 1234
    assert parse_count("") == 0 and parse_count("-3") is None
    assert str(parse_day("11/13/2026")) == "2026-11-13"
    assert str(parse_day("Nov 3, 2026")) == "2026-11-03"
    assert parse_day("2026-02-30") is None
    assert normalize_url("https://Example.org/posts/a/?utm_source=x&b=1#top") == \
        normalize_url("http://example.org/posts/a?b=1")
    assert parse_goal("800 engagements") == (800.0, "engagements")
    assert parse_goal("20,000 impressions") == (20000.0, "impressions")
    assert parse_goal("60 people in the room") == (60.0, "engagements")
    assert parse_goal("Grow the community") == (None, None)


# ---------------------------------------------------------------------- git history

def git(root, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env["GIT_COMMITTER_DATE"] = date
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false",
               *args]
    if date and args[0] == "commit":
        command.append(f"--date={date}")
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)


def commit_status(root, path: str, status: str, date: str, message: str) -> None:
    file = root / path
    file.write_text(re.sub(r"status: \w+", f"status: {status}", file.read_text()), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_lead_time_and_time_in_review_from_git_history(hub):
    root = hub({**HUB,
                "content/posts/2026-03-02-a.md": HUB["content/posts/2026-03-02-a.md"]
                .replace("status: ready", "status: draft"),
                "content/posts/2026-03-08-d.md": HUB["content/posts/2026-03-08-d.md"]
                .replace("status: review", "status: draft")})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start", date="2026-02-20T09:00:00+01:00")
    a = "content/posts/2026-03-02-a.md"
    commit_status(root, a, "review", "2026-02-24T09:00:00+01:00", "a to review")
    commit_status(root, a, "draft", "2026-02-25T09:00:00+01:00", "a back to draft")
    commit_status(root, a, "review", "2026-02-26T09:00:00+01:00", "a to review again")
    git(root, "mv", a, "content/posts/2026-03-02-alpha.md")
    git(root, "commit", "-q", "-m", "rename", date="2026-02-27T09:00:00+01:00")
    alpha = "content/posts/2026-03-02-alpha.md"
    commit_status(root, alpha, "ready", "2026-02-28T09:00:00+01:00", "ready")
    d = "content/posts/2026-03-08-d.md"
    commit_status(root, d, "review", "2026-03-01T12:00:00+01:00", "d to review")

    data = report_json(root)
    assert data["history"] == {"available": True, "reason": "", "shallow": False}
    flows = {f["path"].split("/")[-1]: f for f in data["flows"]}
    alpha = flows["2026-03-02-alpha.md"]
    # review 24 Feb 09:00 → draft 25 Feb (24 h), review again 26 Feb → ready 28 Feb (48 h)
    assert alpha["review_hours"] == 72
    # published at its date, 2 Mar 08:00 (after the ready commit): 24 Feb 09:00 + 6 days - 1 h
    assert alpha["published"] == "2026-03-02T08:00:00+01:00"
    assert alpha["lead_hours"] == 6 * 24 - 1
    delta = flows["2026-03-08-d.md"]
    assert delta["in_review_now"] and delta["published"] is None
    assert delta["review_hours"] == 9 * 24 + 1     # 1 Mar 12:00 → now, 10 Mar 13:00 in Rome
    assert data["lead_time"]["count"] == 1 and data["lead_time"]["median_hours"] == 143
    assert data["skipped_review"] == 1, "b was published without a review commit"
    text = run(root, "report", "--now", NOW, *PERIOD).stdout
    assert "lead time median 6.0 d" in text
    assert read_post_history(root) is read_post_history(root), "cached by HEAD"


def test_without_git_history_the_report_says_so(small_hub):
    data = report_json(small_hub)
    assert data["history"]["available"] is False
    assert "not a git repository" in data["history"]["reason"]
    assert "Review and lead times: not measured (the hub is not a git repository)" in \
        run(small_hub, "report", "--now", NOW, *PERIOD).stdout


# ---------------------------------------------------------------------- the report page

def test_report_page_has_svg_charts_with_text_alternatives(small_hub):
    result = run(small_hub, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    page = (small_hub / "dist" / "review" / "report" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    svgs = re.findall(r"<svg .*?</svg>", page, re.DOTALL)
    assert len(svgs) == 4
    for svg in svgs:
        key = re.search(r'aria-labelledby="([\w-]+)-title \1-desc"', svg).group(1)
        assert f'<title id="{key}-title">' in svg and f'<desc id="{key}-desc">' in svg
        assert 'role="img"' in svg
    assert "Below cadence: Mastodon (2026-W" in page, "the chart's desc says where it falls short"
    assert page.count("<table") >= 5, "every chart has a table beside it"
    # the review site's own header and script (../assets/review.js), nothing from elsewhere
    assert not re.search(r'<script src="(https?:)?//', page) and "cdn" not in page.lower()
    assert "What went out" in page.split("<svg")[0], "the summary comes before the charts"
    assert "generic.csv:6" in page, "unmatched rows are listed"


def test_report_page_from_plan_report_alone(small_hub):
    """plan_report is pure given the site: one output, rendered by the theme."""
    from hearth.render import render
    from hearth.theme import make_environment

    result = pipeline.check(small_hub, resolve_now(NOW))
    (output,) = plan_report(result.site, result.diagnostics)
    assert output.path == "review/report/index.html" and output.deps == frozenset({"*"})
    html = render(make_environment(small_hub), output).decode()
    assert "Engagements per channel" in html and "Spring" in html


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_shallow_clone_says_its_history_is_shallow_instead_of_measuring(hub, tmp_path):
    root = hub(HUB)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start", date="2026-02-20T09:00:00+01:00")
    d = "content/posts/2026-03-08-d.md"
    commit_status(root, d, "draft", "2026-02-21T09:00:00+01:00", "d back to draft")
    commit_status(root, d, "review", "2026-03-01T12:00:00+01:00", "d to review")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", root.as_uri(), str(clone))

    data = report_json(clone)
    assert data["history"]["available"] is False and data["history"]["shallow"] is True
    assert "shallow" in data["history"]["reason"]
    assert (data["flows"], data["lead_time"]["count"], data["skipped_review"]) == ([], 0, 0), \
        "no review numbers from one commit"
    text = run(clone, "report", "--now", NOW, *PERIOD).stdout
    assert "Review and lead times: not measured (the git history is shallow" in text
    assert run(clone, "build", "--now", NOW).exit_code == 0
    page = (clone / "dist" / "review" / "report" / "index.html").read_text(encoding="utf-8")
    assert "Not measured: the git history is shallow" in page and "shallow git history" in page
    assert report_json(root)["history"] == {"available": True, "reason": "", "shallow": False}


def test_a_metrics_edit_rerenders_the_report_page_only(small_hub):
    """calendar/metrics is an input like any other: the stamp sees it, the page follows."""
    from hearth.build import Builder

    builder = Builder(small_hub)
    now = resolve_now(NOW)
    assert builder.build(now).ok and builder.build(now).rendered == 0
    metrics = small_hub / "calendar" / "metrics" / "generic.csv"
    metrics.write_text(GENERIC.replace("200,10,2", "200,100,2"), encoding="utf-8")
    again = builder.build(now)
    assert (again.rendered, again.changed) == (1, ["review/report/index.html"])
    builder.close()
    assert "nothing changed" in run(small_hub, "build", "--now", NOW).output
    metrics.write_text(GENERIC, encoding="utf-8")
    assert "nothing changed" not in run(small_hub, "build", "--now", NOW).output
