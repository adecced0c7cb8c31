"""`research-site new DIR`: a research project of one's own, ready to build.

The files come from `project/` (package data) with the site's name, author,
description and address filled in:

```
DIR/mkdocs.yml                    the settings, with the research-site plugin
DIR/content/index.md              the home note
DIR/content/topics/first-topic.md one topic
DIR/bib/library.bib, bib/texts/   an empty library
DIR/docs/                         hand-written pages (empty, or the authoring guide with --with-guide)
DIR/.gitignore, README.md, requirements.txt, .github/workflows/pages.yml
```

Nothing of the example project is copied. A setting not given is written as
its placeholder (`build_scripts.config.PLACEHOLDERS`); the
address may stay empty (the Pages workflow sets `SITE_URL`).
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from build_scripts.config import PLACEHOLDERS
from build_scripts.renderers.project import swap_in

__all__ = ["GUIDE", "ScaffoldError", "SiteDetails", "create"]

TEMPLATE = Path(__file__).parent / "project"
GUIDE = Path(__file__).parent / "authoring.md"
"""The authoring guide, the same file as the example project's `docs/authoring.md`."""

_RENAMED = {  # dot files are not package data
    "gitignore": ".gitignore",
    "github/pages.yml": ".github/workflows/pages.yml",
    "bib/texts/gitkeep": "bib/texts/.gitkeep",
    "docs/gitkeep": "docs/.gitkeep",
}
_FILLED = {"mkdocs.yml", "content/index.md", "README.md", "requirements.txt"}
_PLACEHOLDER_REQUIREMENT = (
    "build_scripts[site] @ git+https://github.com/OWNER/REPO  # where you installed the tool from"
)
_GUIDE_NAV = """
# The authors' tab: the authoring guide (docs/authoring.md).
nav:
  - For authors:
      - Authoring guide: authoring.md
"""


class ScaffoldError(Exception):
    """The project could not be made (the message says why); nothing was written."""


@dataclass(frozen=True, slots=True)
class SiteDetails:
    """What the new site is called and by whom.

    Attributes:
        name: The site's title.
        author: Its author(s).
        description: One or two sentences: what it asks, from which sources.
        url: The published address ("" if not known yet).
    """

    name: str = PLACEHOLDERS["site_name"]
    author: str = PLACEHOLDERS["site_author"]
    description: str = PLACEHOLDERS["site_description"]
    url: str = ""


def create(folder: Path, details: SiteDetails, *, with_guide: bool = False) -> list[str]:
    """Write a new project into `folder` (which must be missing or empty); return the files written.

    Raises:
        ScaffoldError: If `folder` is a file or holds anything, or the address is not an http(s) URL.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "is a file" if not folder.is_dir() else "is not empty"
        raise ScaffoldError(f"{folder}: {what}; name a new or empty folder for the project (nothing was written)")
    if details.url and urlsplit(details.url).scheme not in ("http", "https"):
        raise ScaffoldError(f"--url {details.url}: not a web address; give one like https://example.org/research/")
    values = _values(details, with_guide)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    written = []
    try:
        for source in sorted(p for p in TEMPLATE.rglob("*") if p.is_file()):
            name = source.relative_to(TEMPLATE).as_posix()
            target = tmp / _RENAMED.get(name, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            target.write_text(Template(text).safe_substitute(values) if name in _FILLED else text, encoding="utf-8")
            written.append(target.relative_to(tmp).as_posix())
        if with_guide:
            shutil.copyfile(GUIDE, tmp / "docs" / "authoring.md")
            written.append("docs/authoring.md")
        if folder.exists():
            folder.rmdir()  # empty: checked above
        swap_in(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(written)


def _values(details: SiteDetails, with_guide: bool) -> dict[str, str]:
    """The template's fields: YAML values quoted (as JSON strings, which YAML reads), prose as given."""
    return {
        "site_name": json.dumps(details.name, ensure_ascii=False),
        "site_author": json.dumps(details.author, ensure_ascii=False),
        "site_description": json.dumps(details.description, ensure_ascii=False),
        "site_url": json.dumps(details.url, ensure_ascii=False),
        "title": details.name,
        "description": details.description,
        "guide_nav": _GUIDE_NAV if with_guide else "",
        "requirement": _requirement(),
    }


def _requirement() -> str:
    """The pip requirement that installs this tool where it was installed from, pinned to its commit if known.

    From the installation's record (PEP 610 `direct_url.json`): a Git URL is
    kept; a local folder is named by its Git remote `origin` and commit, when it
    has them. Otherwise a placeholder to edit.
    """
    try:
        record = importlib.metadata.distribution("build_scripts").read_text("direct_url.json")
        origin = json.loads(record or "{}")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return _PLACEHOLDER_REQUIREMENT
    url, vcs = str(origin.get("url", "")), origin.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and url:
        commit = vcs.get("commit_id")
        return f"build_scripts[site] @ git+{url}" + (f"@{commit}" if commit else "")
    if url.startswith("file://"):
        folder = urlsplit(url).path
        remote, commit = _git(folder, "remote", "get-url", "origin"), _git(folder, "rev-parse", "HEAD")
        if remote and remote.startswith(("https://", "git@", "ssh://")):
            remote = remote.replace("git@github.com:", "https://github.com/", 1)
            return f"build_scripts[site] @ git+{remote}" + (f"@{commit}" if commit else "")
    return _PLACEHOLDER_REQUIREMENT


def _git(folder: str, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
