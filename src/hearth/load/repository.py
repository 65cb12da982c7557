"""Loading: where the hub's files can be opened in their repository's web UI.

From `[site] repository` (and `branch`) in hearth.toml when set, else from
git: the remote `origin` (https or `git@host:org/repo` forms) and the
checked-out branch. The review site links each card to its source file
there, so a manager can open, edit or approve it from the calendar.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

DEFAULT_BRANCH = "main"
_SCP = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$")      # git@github.com:org/repo.git
_URL = re.compile(r"^(?:https?|ssh|git)://(?:[^@/]+@)?([^/:]+)(?::\d+)?/(.+)$")


@dataclass(frozen=True)
class Repository:
    """A repository's web address, the branch to link and where the hub sits in it."""

    web_url: str                  # https://github.com/org/repo, no trailing slash
    branch: str = DEFAULT_BRANCH
    prefix: str = ""              # the hub's folder inside the repository: "" or "hub/"

    def file_url(self, path: str) -> str:
        """The web page of `path` (relative to the hub) on the branch."""
        where = quote(f"{self.prefix}{path}")
        branch = quote(self.branch, safe="")
        host = self.web_url.split("/")[2].casefold() if "//" in self.web_url else ""
        if "gitlab" in host:
            return f"{self.web_url}/-/blob/{branch}/{where}"
        if any(name in host for name in ("codeberg", "gitea", "forgejo")):
            return f"{self.web_url}/src/branch/{branch}/{where}"
        return f"{self.web_url}/blob/{branch}/{where}"     # GitHub, and the default


def web_url(remote: str) -> str:
    """The https address of a git remote (https, ssh:// or scp-like git@ form); '' if not one."""
    remote = remote.strip()
    match = _URL.match(remote) or _SCP.match(remote)
    if match is None:
        return ""
    host, path = match.group(1), match.group(2).strip("/")
    if path.endswith(".git"):
        path = path[:-4]
    if not path or "/" not in path:
        return ""
    return f"https://{host}/{path}"


def read_repository(root: Path, url: str = "", branch: str = "") -> Repository | None:
    """The hub's repository on the web: the settings' `url` and `branch` when
    given, else git's remote `origin` and current branch; None when neither."""
    git = _git_facts(root)
    address = url.strip().rstrip("/") or web_url(git.get("origin", ""))
    if not address:
        return None
    if address.endswith(".git"):
        address = address[:-4]
    return Repository(address, branch.strip() or git.get("branch") or DEFAULT_BRANCH,
                      git.get("prefix", ""))


def _git_facts(root: Path) -> dict[str, str]:
    if shutil.which("git") is None:
        return {}
    facts = {}
    for name, args in (("origin", ("remote", "get-url", "origin")),
                       ("branch", ("symbolic-ref", "--short", "-q", "HEAD")),
                       ("prefix", ("rev-parse", "--show-prefix"))):
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
        if done.returncode == 0:
            facts[name] = done.stdout.decode("utf-8", "replace").strip()
    return facts
