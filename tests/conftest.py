"""Shared fixtures: the mini corpus, and helpers that write notes and libraries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini corpus, with its hook and overrides pointing into this repo."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("../../../build_scripts/mkdocs_hook.py", str(ROOT / "build_scripts" / "mkdocs_hook.py"))
    text = text.replace("../../../overrides", str(ROOT / "overrides"))
    config.write_text(text, encoding="utf-8")
    return target


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
