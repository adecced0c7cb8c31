"""The one stage list (`pipeline.STAGES`): the README's table, the package docstring and a build's timings follow it."""

from __future__ import annotations

import importlib
from pathlib import Path

import build_scripts
from build_scripts import load_settings, pipeline
from build_scripts.cache import Cache
from build_scripts.pipeline import STAGES, StageTimes

from .conftest import copy_fixture

ROOT = Path(__file__).resolve().parent.parent


def _module_path(module: str) -> str:
    """A stage's module as the README links it: `notes/load.py`, or `library/bib/` for a package."""
    path = module.removeprefix("build_scripts.").replace(".", "/")
    return f"{path}.py" if (ROOT / "build_scripts" / f"{path}.py").is_file() else f"{path}/"


def test_the_readme_table_lists_the_stages_of_the_pipeline_in_order():
    expected = [
        f"| {n} | {stage.name} | [`{_module_path(stage.module)}`](build_scripts/{_module_path(stage.module)}) "
        f"| {stage.purpose} |"
        for n, stage in enumerate(STAGES, 1)
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    header = readme.index("| # | stage | module | does |")
    rows = readme[header + 2 : header + 2 + len(STAGES) + 1]
    assert rows == [*expected, ""], "the README's stage table differs from pipeline.STAGES; it should read:\n" + (
        "\n".join(expected)
    )


def test_every_stage_names_a_module_that_exists():
    for stage in STAGES:
        assert importlib.import_module(stage.module).__doc__, f"{stage.module} (stage {stage.name}) has no docstring"


def test_the_package_docstring_names_the_stages_in_order():
    assert " → ".join(stage.name for stage in STAGES) in (build_scripts.__doc__ or "")


def test_a_build_reports_the_time_of_every_stage(tmp_path):
    project = copy_fixture("mini", tmp_path / "mini")
    times = StageTimes()
    result = pipeline.build(load_settings(project / "mkdocs.yml"), Cache(tmp_path / "cache"), times=times)
    assert result.pages
    assert set(times.seconds) == {stage.name for stage in STAGES}
    assert all(times.calls[stage.name] >= 1 for stage in STAGES), times.calls


def test_every_module_of_the_package_is_short_enough_to_read_whole():
    """A module does one job: none is over 400 lines (split it by responsibility when it grows)."""
    lengths = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "build_scripts").rglob("*.py")
    }
    assert lengths, "no modules found"
    assert {path: n for path, n in lengths.items() if n > 400} == {}
