"""A renderer project (`emit DIR`) and the Zensical renderer: complete, built by either renderer, never half-written."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from build_scripts.renderers import zensical_adapter
from build_scripts.renderers.project import dump_config, project_config, read_config
from build_scripts.theme import OVERRIDES

from .conftest import cli as run_cli
from .conftest import cli_process, write
from .renderers import RENDERERS, ZENSICAL, Renderer, needs_zensical
from .test_serve import fetch, free_port, wait_for


def cli(project: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command line run on `project`'s `mkdocs.yml` (`-f`), from `cwd` (the project by default)."""
    return run_cli(cwd or project, "-f", str(project / "mkdocs.yml"), *args)


def files(folder: Path) -> dict[str, bytes]:
    """The files under `folder` with their bytes, but for the generator's cache."""
    found = sorted(p for p in folder.rglob("*") if p.is_file() and ".research-cache" not in p.parts)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in found}


def pages(nav: list) -> list[str]:
    """The pages of a nav, in order."""
    found: list[str] = []
    for entry in nav:
        value = next(iter(entry.values()))
        found += pages(value) if isinstance(value, list) else [value]
    return found


@pytest.fixture
def guide(mini: Path) -> Path:
    """The mini corpus with a hand-written page in docs/ and a hand-written nav entry for it."""
    write(mini / "docs" / "guide.md", "# Reading guide\n\nStart with [the alpha topic](alpha.md).\n")
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nnav:\n  - Reading guide: guide.md\n", encoding="utf-8")
    return mini


def test_emit_writes_a_complete_project(guide, tmp_path):
    out = tmp_path / "out"
    done = cli(guide, "emit", str(out))
    assert done.returncode == 0, done.stderr
    docs = files(out / "docs")
    assert {"alpha.md", "notes/baev-note.md", "sources/baev2021.md", "claims.json", "guide.md"} <= set(docs)
    assert docs["guide.md"] == (guide / "docs" / "guide.md").read_bytes()
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config
    assert (config["docs_dir"], config["site_dir"]) == ("docs", "site")
    in_nav = pages(config["nav"])  # the generated entries, then the hand-written nav
    assert in_nav[-1] == "guide.md"
    assert {"index.md", "alpha.md", "bibliography.md"} <= set(in_nav[:-1])
    assert "research-site" not in config["plugins"]  # the pages are there already: no plugin needed
    assert files(out / config["theme"]["custom_dir"]) == files(OVERRIDES)  # the tool's theme, carried along
    assert (out / config["extra"]["research"]["content_dir"]).resolve() == (guide / "content").resolve()


@pytest.mark.parametrize("renderer", RENDERERS)
def test_an_emitted_project_builds_with_the_renderer_from_any_folder(guide, tmp_path, renderer: Renderer):
    out = tmp_path / "out"
    assert cli(guide, "emit", str(out)).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run([sys.executable, "-m", *renderer.build, "--strict", "-f", str(out / "mkdocs.yml")],
                          cwd=elsewhere, capture_output=True, text=True, check=False,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    guide_page = (out / "site" / "guide" / "index.html").read_text(encoding="utf-8")
    assert "Reading guide" in guide_page
    assert 'href="../alpha/"' in guide_page
    assert 'name="citation_title"' in (out / "site" / "alpha" / "index.html").read_text(encoding="utf-8")


def test_a_hand_written_page_at_a_generated_path_is_an_error_and_changes_nothing(guide, tmp_path):
    out = tmp_path / "out"
    assert cli(guide, "emit", str(out)).returncode == 0
    before = files(out)
    write(guide / "docs" / "alpha.md", "# My own alpha\n")
    done = cli(guide, "emit", str(out))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "docs/alpha.md: a hand-written file has the same path as a generated page or file (alpha.md)" in done.stderr
    assert files(out) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left behind


def test_a_hand_written_file_where_generated_pages_have_a_folder_is_an_error(guide, tmp_path):
    write(guide / "docs" / "notes", "not a folder\n")
    done = cli(guide, "emit", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "docs/notes: a hand-written file has the same path" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["project", "docs", "content", "foreign", "file"])
def test_emit_refuses_to_replace_what_it_did_not_write(mini, where):
    target = {"project": mini, "docs": mini / "docs" / "out", "content": mini / "content",
              "foreign": mini.parent / "photos", "file": mini.parent / "photos" / "holiday.jpg"}[where]  # fmt: skip
    write(mini.parent / "photos" / "holiday.jpg", "precious")
    before = files(mini.parent)
    done = cli(mini, "emit", str(target))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{target}: " in done.stderr
    assert "error: " in done.stderr
    assert files(mini.parent) == before


def test_config_tags_are_kept_and_paths_follow_the_config(tmp_path):
    config = write(
        tmp_path / "mkdocs.yml",
        """\
site_name: Tags
theme: {name: material, custom_dir: overrides}
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
plugins:
  - mkdocstrings: {handlers: {python: {paths: [src]}}}
extra:
  analytics: !ENV [ANALYTICS_KEY, none]
hooks: [hook.py]
""",
    )
    data = project_config(read_config(config), [{"Home": "index.md"}], tmp_path, tmp_path / "build" / "project")
    text = dump_config(data)
    assert "!!python/name:pymdownx.superfences.fence_code_format" in text
    assert "!ENV" in text
    assert "ANALYTICS_KEY" in text
    assert data["theme"]["custom_dir"] == "overrides"  # the tool's and the project's overrides, merged there
    assert data["plugins"][0]["mkdocstrings"]["handlers"]["python"]["paths"] == ["../../src"]
    assert data["hooks"] == ["../../hook.py"]
    assert data["nav"] == [{"Home": "index.md"}]


# -- the Zensical renderer ------------------------------------------------------------------------------


@needs_zensical
def test_zensical_build_fails_on_a_warning_and_keeps_the_old_site(guide):
    done = cli(guide, "build", "--renderer", "zensical")
    assert done.returncode == 0, done.stderr
    assert "with Zensical 0.0.73" in done.stderr
    before = files(guide / "site")
    write(guide / "docs" / "guide.md", "# Reading guide\n\nSee [the missing page](missing.md).\n")
    done = cli(guide, "build", "--renderer", "zensical")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "guide.md" in done.stderr
    assert "page does not exist" in done.stderr
    assert "Zensical reported 1 issue(s) (see above); warnings fail the build" in done.stderr
    assert "the previous" in done.stderr
    assert "is unchanged" in done.stderr
    assert files(guide / "site") == before
    assert sorted(p.name for p in guide.iterdir() if p.name.startswith((".site", "site"))) == ["site"]


@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_build_with_a_colliding_page_keeps_the_old_site(guide, renderer: Renderer):
    assert cli(guide, "build", "--renderer", renderer.name).returncode == 0
    before = files(guide / "site")
    write(guide / "docs" / "bibliography.md", "# Mine\n")
    done = cli(guide, "build", "--renderer", renderer.name)
    assert done.returncode == 1
    assert "docs/bibliography.md: a hand-written file has the same path" in done.stderr
    assert files(guide / "site") == before


def test_a_missing_zensical_is_named_with_how_to_install_it(monkeypatch):
    monkeypatch.setattr(zensical_adapter.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(zensical_adapter.ZensicalError, match=r"Zensical is not installed .*RENDERER=zensical"):
        zensical_adapter.installed_version()


def test_help_names_the_renderers(tmp_path):
    done = run_cli(tmp_path, "build", "--help")
    assert "--renderer {mkdocs,zensical}" in done.stdout
    assert "Material's successor" in done.stdout
    bad = run_cli(tmp_path, "build", "--renderer", "hugo")
    assert bad.returncode == 2
    assert "invalid choice: 'hugo' (choose from 'mkdocs', 'zensical')" in bad.stderr


@needs_zensical
def test_zensical_serve_shows_a_saved_note(mini):
    port = free_port()
    proc = cli_process(mini, "serve", "--renderer", ZENSICAL.name, "--dev-addr", f"127.0.0.1:{port}", merge_output=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{port}/notes/lo-note/"
        assert wait_for(lambda: "Lo is more upbeat" in fetch(url)), lines
        assert lines[0].startswith("first build")
        note = mini / "content" / "notes" / "lo-note.md"
        note.write_text(note.read_text(encoding="utf-8") + "\nA sentence saved during the preview.\n", encoding="utf-8")
        assert wait_for(lambda: "A sentence saved during the preview." in fetch(url)), lines
        assert any(line.startswith("content/notes/lo-note.md changed: pages written") for line in lines), lines
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert proc.returncode == 0, lines
    assert not any("Traceback" in line for line in lines), lines
    assert not fetch(url), "the server stopped with the command"
