"""When each input file last changed, from git: reproducible, never the wall clock.

A page's "last changed" date (in "Cite this page" and the citation metadata)
is the latest of these dates among the files the page draws on. Outside a git
checkout, or for files never committed, there is no date and citations say
"n.d.".
"""

from __future__ import annotations

import subprocess
from pathlib import Path

GIT_TIMEOUT = 60
"""Seconds any git command may take before the build goes on without it."""


def git(root: Path, *args: str) -> str | None:
    """Run `git ARGS` in `root`; its output, or None when git is missing, fails or times out."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=GIT_TIMEOUT
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def last_changed(root: Path) -> dict[str, str]:
    """Map each committed file (path relative to `root`) to the date, `YYYY-MM-DD`, of its last commit."""
    out = git(root, "-c", "core.quotepath=off", "log", "--no-renames", "--format=%x00%cs", "--name-only", "--", ".")
    if out is None:
        return {}
    prefix = (git(root, "rev-parse", "--show-prefix") or "").strip()  # root's path inside its repository
    dates: dict[str, str] = {}
    current = ""
    for line in out.splitlines():
        if line.startswith("\0"):
            current = line[1:]
        elif line and current:
            path = line[len(prefix) :] if line.startswith(prefix) else line
            dates.setdefault(path, current)
    return dates


def last_commit_time(root: Path) -> str:
    """Unix time of the newest commit, as text ("" outside git): the build date of a reproducible build."""
    return (git(root, "log", "-1", "--format=%ct") or "").strip()


def head(root: Path) -> str:
    """The id of the checked-out commit ("" outside git): dates can only change when it does."""
    return (git(root, "rev-parse", "HEAD") or "").strip()
