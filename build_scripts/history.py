"""When each input file last changed, from git: reproducible, never the wall clock.

A page's "last changed" date (in "Cite this page" and the citation metadata)
is the latest of these dates among the files the page draws on (its notes,
BibTeX files and archived texts): the project's own history, never the
generator's. A file is dated by the last commit that gave it its present
content: a file changed since its last commit (say, a note of one's own
written over one of the example's in a clone of the generator) or never
committed has no date yet, nor has any file outside a git checkout. A page
with no dated input is undated, and its citation says "n.d.".
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from build_scripts.paths import relative_path

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
    changed = git(root, "-c", "core.quotepath=off", "diff", "--name-only", "--relative", "-z", "HEAD", "--", ".")
    if out is None or changed is None:
        return {}
    since = set(changed.split("\0"))  # paths relative to root: their last commit is not their content
    prefix = (git(root, "rev-parse", "--show-prefix") or "").strip()  # root's path inside its repository
    dates: dict[str, str] = {}
    current = ""
    for line in out.splitlines():
        if line.startswith("\0"):
            current = line[1:]
        elif line and current:
            path = line[len(prefix) :] if line.startswith(prefix) else line
            if path not in since:
                dates.setdefault(path, current)
    return dates


def last_commit_time(root: Path, *paths: Path) -> str:
    """Unix time of the newest commit touching `paths` (all of `root` without them), as text ("" outside git).

    The build date of a reproducible build: given the project's own inputs, a commit to the generator
    alone does not change it.
    """
    specs = [relative_path(path, root) for path in paths] or ["."]
    return (git(root, "log", "-1", "--format=%ct", "--", *specs) or "").strip()


def head(root: Path) -> str:
    """The id of the checked-out commit ("" outside git): dates can only change when it does."""
    return (git(root, "rev-parse", "HEAD") or "").strip()
