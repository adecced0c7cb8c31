"""Builds are atomic (a failure keeps the old site) and deterministic (same inputs, same bytes)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .conftest import FIXTURES, cli, commit_all, point_into_repo, write
from .linkcheck import broken_links


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def project(parent: Path, reverse: bool = False) -> Path:
    """A copy of the mini corpus; with `reverse`, files are created in the opposite order."""
    target = parent / "mini"
    files = sorted(p for p in (FIXTURES / "mini").rglob("*") if p.is_file())
    for source in reversed(files) if reverse else files:
        dest = target / source.relative_to(FIXTURES / "mini")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
    point_into_repo(target / "mkdocs.yml")
    commit_all(target, "2024-05-06T12:00:00+00:00")
    return target


def build(project_dir: Path, seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    return cli(project_dir, "build", env=env)


def test_two_builds_are_byte_identical(tmp_path):
    one, two = project(tmp_path / "a"), project(tmp_path / "b", reverse=True)
    assert build(one, "1").returncode == 0
    assert build(two, "987").returncode == 0
    first, second = tree(one / "site"), tree(two / "site")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_failed_build_leaves_previous_site_untouched(mini):
    assert build(mini, "0").returncode == 0
    before = tree(mini / "site")
    # A hand-written page with a broken link passes the generator's check but fails MkDocs --strict.
    write(mini / "docs" / "extra.md", "# Extra\n\nSee [nowhere](missing.md).\n")
    done = build(mini, "0")
    assert done.returncode == 1
    assert "the previous site/ is unchanged" in done.stderr
    assert tree(mini / "site") == before
    assert not [p for p in mini.iterdir() if p.name.startswith(".site-")], "temporary build left behind"


def test_link_checker_finds_broken_links_and_anchors(tmp_path):
    write(
        tmp_path / "index.html",
        '<a href="a/">ok</a><a href="a/#there">ok</a><a href="a/#nowhere">bad</a>'
        '<a href="gone/">bad</a><a href="https://example.org/x">external</a>',
    )
    write(tmp_path / "a" / "index.html", '<h2 id="there">T</h2><a href="../index.html">up</a>')
    assert broken_links(tmp_path) == ["index.html: a/#nowhere", "index.html: gone/"]
