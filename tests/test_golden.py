"""Golden pages: the mini project's generated pages, as expected, and the same whatever order they are drafted in.

The expected pages live in `tests/golden/mini/`. After a deliberate change to
the output, regenerate them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from build_scripts import load_settings, pipeline
from build_scripts.render import pages
from build_scripts.theme import ASSETS

from .conftest import copy_fixture

GOLDEN = Path(__file__).parent / "golden" / "mini"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The mini project outside any git checkout, so that pages carry no commit dates."""
    return copy_fixture("mini", tmp_path_factory.mktemp("golden") / "mini")


def emitted(project: Path, out: Path) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-m", "build_scripts", "emit", "--pages-only", str(out)], cwd=project,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def test_generated_pages_match_the_golden_files(project, tmp_path):
    found = emitted(project, tmp_path / "out")
    # The stylesheet and script every page needs come with the pages, as the package holds them.
    assets = {name: text for name, text in found.items() if name.startswith("assets/")}
    assert assets == {f"assets/research/{p.name}": p.read_text(encoding="utf-8")
                      for p in sorted(ASSETS.iterdir())}
    found = {name: text for name, text in found.items() if name not in assets}
    if os.environ.get("UPDATE_GOLDEN"):
        for name, text in found.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(found) == sorted(expected)
    for name, text in expected.items():
        assert found[name] == text, f"{name} differs from tests/golden/mini/{name}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_drafting_pages_in_any_order_gives_the_same_pages(project, seed):
    ctx, diags = pipeline.check(load_settings(project / "mkdocs.yml"))
    assert ctx is not None, diags
    drafts = pipeline.page_drafts(ctx)
    in_order = pages.assemble([draft() for draft in drafts], ctx)
    shuffled = list(enumerate(drafts))
    random.Random(seed).shuffle(shuffled)
    done = dict((i, draft()) for i, draft in shuffled)
    assert pages.assemble([done[i] for i in range(len(drafts))], ctx) == in_order
