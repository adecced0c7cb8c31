"""Live preview's quick rebuild: only the changed pages, written as a full build writes them.

A preview session (a [`WarmSite`][build_scripts.renderers.mkdocs_adapter.WarmSite]
building in place) goes the quick way when a save changes only some generated
pages; its whole site, after each save, must equal the site a full build of the
same inputs writes (same address, same sitemap date), byte for byte.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from build_scripts import load_settings, pipeline
from build_scripts.cache import Cache
from build_scripts.renderers import mkdocs_builder
from build_scripts.renderers.mkdocs_adapter import WarmSite, build_site

from .test_incremental import Edits, differences

URL = "http://127.0.0.1:8000/"


@pytest.fixture
def preview(mini, monkeypatch):
    """A preview session of the mini project, its first build made; and a function making its next one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cache = Cache(load_settings(mini / "mkdocs.yml").cache_dir, prune=False)
    site = WarmSite(mini / "mkdocs.yml", mini.parent / "preview", cache, in_place=True)

    def save() -> None:  # as `serve` does: the settings read again, the generator run, the site built in place
        site.build(pipeline.build(load_settings(mini / "mkdocs.yml"), cache), site_url=URL)

    save()
    return site, save


def full_build(project: Path, into: Path) -> Path:
    """The site a full build of `project`'s current inputs writes, into a new folder, for the preview's address."""
    settings = load_settings(project / "mkdocs.yml")
    result = pipeline.build(settings, Cache(into / "cache"))
    build_site(project / "mkdocs.yml", result, into / "site", Cache(into / "cache"), site_url=URL)
    return into / "site"


def full_way_forbidden(monkeypatch) -> None:
    """Make a full build (which lists the site's files again) fail the test."""

    def full(*_args, **_kwargs):
        raise AssertionError("the save was rebuilt the full way")

    monkeypatch.setattr(mkdocs_builder, "get_files", full)


def test_a_saved_note_is_rebuilt_alone_and_the_site_equals_a_full_build(mini, preview, monkeypatch, tmp_path):
    site, save = preview
    note = mini / "content" / "notes" / "lo-note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nA sentence saved in the preview.\n", encoding="utf-8")
    with monkeypatch.context() as patched:
        full_way_forbidden(patched)
        save()
    assert (site.builder.converted, site.builder.reused) == (1, len(site.builder.previous) - 1)
    page = (site.site_dir / "notes" / "lo-note" / "index.html").read_text(encoding="utf-8")
    assert "A sentence saved in the preview." in page
    assert differences(site.site_dir, full_build(mini, tmp_path / "full")) == []


@pytest.mark.parametrize("seed", [1, 2])
def test_after_any_sequence_of_saves_the_preview_equals_a_full_build(mini, preview, monkeypatch, tmp_path, seed):
    """Some saves go the quick way (a note's text, a fact relabelled), some the full way (a note added, the site renamed)."""
    site, save = preview
    edits = Edits(mini, random.Random(seed))
    operations = [edits.edit_note, edits.edit_note, edits.change_fact, edits.add_note, edits.delete_note,
                  edits.change_config]  # fmt: skip
    full_ways = []
    listing = mkdocs_builder.get_files  # a full build lists the site's files again
    monkeypatch.setattr(mkdocs_builder, "get_files", lambda config: full_ways.append(config) or listing(config))
    for step in range(6):
        done = edits.rng.choice(operations)()
        save()
        assert differences(site.site_dir, full_build(mini, tmp_path / f"full-{step}")) == [], done
    assert 0 < len(full_ways) - 6 < 6, "every save went the same way: the sequence tests only one"


def _retitle(project: Path) -> None:
    note = project / "content" / "notes" / "lo-note.md"
    note.write_text(note.read_text(encoding="utf-8").replace("title: Lo on trade", "title: Lo on commerce"))


def _edit_hand_written(project: Path) -> None:
    (project / "docs" / "about.md").write_text("# About\n\nA page of our own.\n", encoding="utf-8")


def _edit_config(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_author: Test Author", "site_author: Another"))


@pytest.mark.parametrize("change", [_retitle, _edit_hand_written, _edit_config])
def test_a_change_around_the_pages_goes_the_full_way(mini, preview, change):
    """A title (the navigation shows it), a hand-written page, mkdocs.yml: every page may change."""
    site, _ = preview
    change(mini)
    settings = load_settings(mini / "mkdocs.yml")
    result = pipeline.build(settings, Cache(settings.cache_dir, prune=False))
    assert site.builder.warm is not None
    assert site.builder.warm.changed(result) is None
