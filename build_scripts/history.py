"""When each input file last changed, from git: reproducible, never the wall clock.

A page's "last changed" date (in "Cite this page" and the citation metadata)
is the latest of these dates among the files the page draws on. Outside a git
checkout, or for files never committed, there is no date and citations say
"n.d.".
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def last_changed(root: Path) -> dict[str, str]:
    """Map each committed file (path relative to `root`) to the date, `YYYY-MM-DD`, of its last commit."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", "--no-renames", "--format=%x00%cs", "--name-only",
             "--", "."],
            cwd=root, capture_output=True, text=True, check=False, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    prefix = _prefix(root)
    dates: dict[str, str] = {}
    current = ""
    for line in done.stdout.splitlines():
        if line.startswith("\0"):
            current = line[1:]
        elif line and current:
            path = line[len(prefix):] if line.startswith(prefix) else line
            dates.setdefault(path, current)
    return dates


def _prefix(root: Path) -> str:
    """Path of `root` inside its repository, as git prints it (`""` at the top)."""
    done = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def last_commit_time(root: Path) -> str:
    """Unix time of the newest commit, as text ("" outside git): the build date of a reproducible build."""
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                              check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def head(root: Path) -> str:
    """The id of the checked-out commit ("" outside git): dates can only change when it does."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
