"""Golden pages: generated pages as expected, and the same whatever order they are drafted in.

The mini project's expected pages live in `tests/golden/mini/`. Each feature
(callouts, footnotes, matrices) has a small project of its own in
`tests/golden/features/<feature>/` (`content/`, `bib/`; the settings they share
in `tests/golden/features/mkdocs.yml`), and under `expected/` the pages that show
the feature. After a deliberate change to the output, regenerate them and review
the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Collection
from pathlib import Path

import pytest

from build_scripts import load_settings, pipeline
from build_scripts.render import pages
from build_scripts.theme import ASSETS

from .conftest import cli, copy_fixture

GOLDEN = Path(__file__).parent / "golden" / "mini"
FEATURES = Path(__file__).parent / "golden" / "features"
FEATURE_MARKS = {
    "callouts": '!!! disagreement "Figures disagree: Bilateral trade (1992)"',
    "footnotes": "[^1]: [Lo 2008](#ref-lo2008), [p. 4](../sources/lo2008.md)",
    "matrices": '<table class="research-matrix-table"',
}
"""What each feature's expected pages must show, so that a regenerated page cannot lose the feature unnoticed."""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The mini project outside any git checkout, so that pages carry no commit dates."""
    return copy_fixture("mini", tmp_path_factory.mktemp("golden") / "mini")


def emitted(project: Path, out: Path) -> dict[str, str]:
    done = cli(project, "emit", "--pages-only", str(out))
    assert done.returncode == 0, done.stderr
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def golden_files(folder: Path) -> dict[str, str]:
    """The files under `folder` by path (relative, with `/`), with their text."""
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def match_golden(found: dict[str, str], golden: Path, names: Collection[str]) -> None:
    """The generated pages `names` of `found` are the golden files under `golden`, and no others.

    With UPDATE_GOLDEN=1 in the environment, the golden files are written from `found` first.
    """
    if os.environ.get("UPDATE_GOLDEN"):
        for name in names:
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_text(found[name], encoding="utf-8")
    expected = golden_files(golden)
    assert sorted(expected) == sorted(names)
    for name, text in expected.items():
        assert found.get(name) == text, f"{name} differs from {golden / name}"


def test_generated_pages_match_the_golden_files(project, tmp_path):
    found = emitted(project, tmp_path / "out")
    # The stylesheet and script every page needs come with the pages, as the package holds them.
    assets = {name: text for name, text in found.items() if name.startswith("assets/")}
    assert assets == {f"assets/research/{p.name}": p.read_text(encoding="utf-8") for p in sorted(ASSETS.iterdir())}
    found = {name: text for name, text in found.items() if name not in assets}
    match_golden(found, GOLDEN, found)


@pytest.mark.parametrize("feature", sorted(FEATURE_MARKS))
def test_a_feature_gives_its_golden_markdown(feature, tmp_path):
    """A small project in (a note or two), the expected Markdown of the pages that show the feature out."""
    project = tmp_path / feature
    shutil.copytree(FEATURES / feature, project, ignore=shutil.ignore_patterns("expected"))
    shutil.copy(FEATURES / "mkdocs.yml", project / "mkdocs.yml")
    found = emitted(project, tmp_path / "out")
    golden = FEATURES / feature / "expected"
    names = sorted(golden_files(golden)) if golden.is_dir() else []
    if not names:  # a new feature: its own notes and topics, for the author to prune
        shared = ("assets/", "sources/", "bibliography.md", "claims.json", "index.md", "notes/index.md")
        names = [name for name in found if not name.startswith(shared)]
    match_golden(found, golden, names)
    assert any(FEATURE_MARKS[feature] in found[name] for name in names), f"no page shows the {feature}"


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
