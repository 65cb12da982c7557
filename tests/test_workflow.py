"""The GitHub Actions workflow `hearth init` writes: what a new hub's CI runs."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from conftest import REPO, run

from hearth import DISTRIBUTION, version

# The current major of every action the workflow uses (checked against each
# action's releases when this test was written; bump here and in the workflow).
CURRENT_MAJORS = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/cache": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/upload-artifact": 7,
}
INPUTS = ("hearth.toml", "content/**", "calendar/**", "guidelines/**", "templates/**")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """(text, parsed) of the workflow in a hub that `hearth init` just made."""
    target = tmp_path_factory.mktemp("init") / "new-hub"
    result = run(target.parent, "init", str(target))
    assert result.exit_code == 0, result.output
    text = (target / ".github/workflows/hearth.yml").read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def steps_of(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def triggers(workflow: dict) -> dict:
    return workflow[True] if True in workflow else workflow["on"]   # YAML 1.1 reads `on` as True


def test_the_distribution_is_ours_and_the_command_is_hearth():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["name"] == DISTRIBUTION == "hearth-hub"
    assert project["scripts"] == {"hearth": "hearth.cli:main"}
    assert version() == project["version"]


def test_hearth_version_prints_the_running_version(tmp_path):
    result = run(tmp_path, "--version")
    assert result.exit_code == 0 and result.output.strip() == f"hearth, version {version()}"


def test_install_is_pinned_to_the_version_that_made_the_hub(generated):
    text, workflow = generated
    pinned = f"{DISTRIBUTION}=={version()}"
    assert workflow["env"]["HEARTH_PACKAGE"] == f"${{{{ vars.HEARTH_PACKAGE || '{pinned}' }}}}"
    installs = [s for s in steps_of(workflow) if s.get("name") == "Install Hearth"]
    assert len(installs) == 3, "check, build and send each install Hearth"
    for step in installs:
        assert 'pip install "$HEARTH_PACKAGE"' in step["run"]
    assert re.findall(r"pip install \S+", text) == ['pip install .;', 'pip install "$HEARTH_PACKAGE";'] * 3
    assert "'hearth'" not in text and "hearth==" not in text, "never the unrelated PyPI `hearth`"


def test_every_action_is_at_its_current_major(generated):
    _, workflow = generated
    used = [s["uses"] for s in steps_of(workflow) if "uses" in s]
    assert used
    for uses in used:
        name, _, ref = uses.partition("@")
        assert name in CURRENT_MAJORS, f"{name} has no known current major here"
        assert ref == f"v{CURRENT_MAJORS[name]}", uses
    assert set(CURRENT_MAJORS) == {u.partition("@")[0] for u in used}


def test_it_runs_hourly_at_the_minute_its_comments_say(generated):
    text, workflow = generated
    crons = [c["cron"] for c in triggers(workflow)["schedule"]]
    assert crons == ["5 * * * *"]
    minute = int(crons[0].split()[0])
    said = {int(m) for m in re.findall(r"^\s*#.*?:(\d\d)\b", text, re.M)}
    assert said == {minute}, f"comments name minute(s) {said}, the cron runs at :{minute:02d}"


def test_the_build_cache_is_kept_between_runs(generated):
    _, workflow = generated
    for job in ("check", "build"):
        steps = workflow["jobs"][job]["steps"]
        caches = [i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@")]
        assert len(caches) == 1, job
        step = steps[caches[0]]
        runs = [i for i, s in enumerate(steps) if f"hearth {job}" in s.get("run", "")]
        assert caches[0] < runs[0], "restored before Hearth runs"
        paths = step["with"]["path"].split()
        # the build job keeps its output too: the last build's stamp is only used
        # when its output is there as it was written
        assert paths == ([".hearth-cache", "dist"] if job == "build" else [".hearth-cache"])
        key = step["with"]["key"]
        hashed = re.search(r"hashFiles\(([^)]*)\)", key).group(1)
        assert [p.strip(" '") for p in hashed.split(",")] == list(INPUTS), "keyed on the hub's inputs"
        fallback = step["with"]["restore-keys"].strip()
        assert fallback and key.startswith(fallback), "an older cache is restored when inputs changed"
        if job == "build":    # saved after every run, so the next hourly run finds this one's stamp
            assert key.endswith("-${{ github.run_id }}")


def test_it_checks_builds_and_publishes_only_the_hub(generated):
    _, workflow = generated
    assert "push" in triggers(workflow) and "workflow_dispatch" in triggers(workflow)
    jobs = workflow["jobs"]
    runs = " ".join(s.get("run", "") for s in steps_of(workflow))
    assert "hearth check --format github" in runs and "hearth build" in runs
    uploads = [s for s in steps_of(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"] == "dist/hub"
    assert jobs["build"]["needs"] == "check" and jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}


def test_a_send_job_runs_after_deploy_in_its_own_concurrency_group(generated):
    text, workflow = generated
    send = workflow["jobs"]["send"]
    assert send["needs"] == "deploy"
    assert send["concurrency"] == {"group": "hearth-send", "cancel-in-progress": False}
    assert send["permissions"] == {"contents": "write"}
    runs = [s.get("run", "") for s in send["steps"]]
    assert "hearth send" in runs
    commit = send["steps"][-1]
    assert commit["if"] == "always()", "the ledger is committed even when an item failed"
    assert "calendar/sent/*.jsonl" in commit["run"] and "[skip ci]" in commit["run"]
    assert "git push" in commit["run"]
    for name, value in send["env"].items():
        assert re.fullmatch(r"HEARTH_[A-Z0-9_]+", name) and value == f"${{{{ secrets.{name} }}}}"
    assert {"HEARTH_DISCORD_WEBHOOK", "HEARTH_MASTODON_TOKEN", "HEARTH_BLUESKY_APP_PASSWORD",
            "HEARTH_NEWSLETTER_SMTP_URL"} <= set(send["env"])


def test_the_repository_workflow_is_the_starter_with_only_the_pin_changed(generated):
    text, _ = generated
    mine = (REPO / ".github/workflows/hearth.yml").read_text(encoding="utf-8")
    pin = re.compile(r"vars\.HEARTH_PACKAGE \|\| '[^']*'")
    assert pin.search(mine), "the default install is where `init` pins it"
    assert pin.sub("PIN", mine) == pin.sub("PIN", text)

