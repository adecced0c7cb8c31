"""Shared fixtures: the mini corpus, and helpers that write notes and libraries."""

from __future__ import annotations

import os
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


EXAMPLE_FIXTURES = frozenset({"bundled_site", "bundled_url", "zensical_site", "zensical_url"})
"""Fixtures that build the example project at the repository root: a test that uses one tests the example."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that builds the example project `example`, so that `-m "not example"` leaves it out."""
    for item in items:
        if EXAMPLE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.example)


def outside(*parts: str) -> Path:
    """A path in the outside corpora beside the repository; the test is skipped, with the reason, without it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the outside corpus {path}, which is not part of this repository")
    return path


REAL_LIBRARIES = [
    "bbt-873-paren-entries.bib",
    "biblatex-examples.bib",
    "jabref-complex.bib",
    "jabref-jabref-authors.bib",
    "tugboat.bib",
    "xampl.bib",
]
"""The six libraries of the outside corpus `real-bib` (see `real_bib`)."""


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
    site = tmp_path_factory.mktemp("bundled") / "site"
    done = cli(ROOT, "build", "-d", str(site))
    assert done.returncode == 0, done.stderr
    return site


def write(path: Path, text: str) -> Path:
    """Write `text` to `path`, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


COMMAND = (sys.executable, "-m", "build_scripts")
"""The command line as a user runs it (`python -m build_scripts`, the same as `research-site`)."""
TIMEOUT = 600
"""Seconds a command may take before the test fails (a build takes a few)."""


def cli(
    project: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run the command line (`python -m build_scripts ARGS`) in `project`, as a user would; nothing raised.

    Args:
        project: The folder it runs in.
        *args: The command and its options, e.g. `"build", "--strict"`.
        env: The whole environment, if not this process's.
        stdin: Text typed into the command.
        timeout: Seconds before the test fails.

    Returns:
        The finished process, its output (`stdout`, `stderr`) as text.
    """
    return subprocess.run(
        [*COMMAND, *args],
        cwd=project,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=timeout,
    )


def cli_process(project: Path, *args: str, merge_output: bool = False) -> subprocess.Popen[str]:
    """Start the command line in `project` and leave it running (`serve`): its output readable line by line.

    With `merge_output`, its errors come on `stdout` too; otherwise on `stderr`.
    """
    return subprocess.Popen(
        [*COMMAND, *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_output else subprocess.PIPE,
        text=True,
    )


def git(project: Path, *args: str, date: str = "2024-05-06T12:00:00+00:00") -> None:
    """Run git in `project` as a fixed author at `date` (pages take their dates from git)."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                   cwd=project, env=env, check=True, capture_output=True)  # fmt: skip


def commit_all(project: Path, date: str) -> None:
    """Make `project` a git repository with everything committed at `date`."""
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "corpus"]):
        git(project, *args, date=date)


def plain_mkdocs(project: Path, site: Path) -> Path:
    """`mkdocs build --strict` of `project` into `site`, as a user runs it (dated reproducibly); returns `site`."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return site
