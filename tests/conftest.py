"""Shared fixtures: the mini corpus, and helpers that write notes and libraries."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = ROOT.parent / "shared"
"""Outside corpora beside the repository (the seed texts, real BibTeX libraries): optional, never required."""


def outside(*parts: str) -> Path:
    """A path in the outside corpora beside the repository; the test is skipped, with the reason, without it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the outside corpus {path}, which is not part of this repository")
    return path


def real_bib() -> Path:
    """The real BibTeX libraries of the outside corpora (skipped without them)."""
    return outside("corpus", "real-bib")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini corpus (its mkdocs.yml names the research-site plugin)."""
    return copy_fixture("mini", tmp_path / "mini")


def copy_fixture(name: str, target: Path) -> Path:
    """Copy the fixture corpus `name` to `target`, pointing its `../../../` paths into this repo."""
    shutil.copytree(FIXTURES / name, target)
    point_into_repo(target / "mkdocs.yml")
    return target


def point_into_repo(config: Path) -> None:
    """Rewrite a fixture's `../../../` paths (if it has any) to this repository."""
    config.write_text(config.read_text(encoding="utf-8").replace("../../../", f"{ROOT}/"), encoding="utf-8")


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The bundled corpus built with `python -m build_scripts build` (MkDocs --strict), once per session."""
    import subprocess
    import sys

    site = tmp_path_factory.mktemp("bundled") / "site"
    done = subprocess.run([sys.executable, "-m", "build_scripts", "build", "-d", str(site)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return site


def write(path: Path, text: str) -> Path:
    """Write `text` to `path`, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def cli(project: Path, *args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the command line (`python -m build_scripts ARGS`) in `project`, as a user would; nothing raised."""
    return subprocess.run([sys.executable, "-m", "build_scripts", *args], cwd=project, capture_output=True,
                          text=True, check=False, env=env)
