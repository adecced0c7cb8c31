"""`research-site new DIR`: a project of one's own that builds at once, and every command run on it from elsewhere."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from build_scripts.config import PLACEHOLDERS
from build_scripts.library.bib import load_library

from .conftest import ROOT, cli, write
from .renderers import RENDERERS, Renderer
from .test_serve import fetch, free_port, wait_for

DETAILS = [
    "--name",
    "The 1918 influenza",
    "--author",
    "A. Researcher",
    "--description",
    "How four sources tell the 1918 pandemic.",
    "--url",
    "https://example.org/flu/",
]


def new(where: Path, folder: str, *options: str) -> Path:
    """Run `research-site new` from `where`; the project folder."""
    done = cli(where, "new", folder, *options)
    assert done.returncode == 0, done.stderr
    return where / folder


def example_names() -> tuple[set[str], set[str]]:
    """The example project's source keys and note titles (read from its files, not written out here)."""
    library, _ = load_library(sorted((ROOT / "bib").glob("*.bib")), ROOT)
    titles = set()
    for note in (ROOT / "content").rglob("*.md"):
        front = yaml.safe_load(note.read_text(encoding="utf-8").split("---")[1])
        titles.add(str(front["title"]))
    return set(library), titles


def page_text(site: Path) -> str:
    """The readable text of every page of a built site, and the sitemap."""
    parts = [BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text(" ") for p in site.rglob("*.html")]
    return "\n".join([*parts, (site / "sitemap.xml").read_text(encoding="utf-8")])


@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_new_project_passes_the_strict_check_and_build_and_is_nobody_elses(tmp_path, renderer: Renderer):
    project = new(tmp_path, "flu", *DETAILS)
    for name in (
        "mkdocs.yml",
        "content/index.md",
        "bib/library.bib",
        ".gitignore",
        ".github/workflows/pages.yml",
        "README.md",
    ):
        assert (project / name).is_file(), name
    assert (project / "bib" / "texts").is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    checked = cli(elsewhere, "-C", str(project), "check", "--strict")
    assert checked.returncode == 0, checked.stderr
    built = cli(elsewhere, "-C", str(project), "--strict", "build", "--renderer", renderer.name)
    assert built.returncode == 0, built.stderr
    site = project / "site"
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "The 1918 influenza" in home.title.get_text()
    assert home.find("meta", attrs={"name": "citation_publisher"})["content"] == "The 1918 influenza"  # tool theme
    assert "How four sources tell the 1918 pandemic." in home.get_text()
    text = page_text(site)
    keys, titles = example_names()
    assert not [key for key in keys if re.search(rf"\b{re.escape(key)}\b", text)]
    assert not [title for title in titles if title in text and title != "Home"]
    assert "For authors" not in text
    assert not (site / "reference").exists()
    assert not (site / "authoring").exists()


def test_the_scaffold_readme_and_workflow_name_the_projects_own_commands(tmp_path):
    project = new(tmp_path, "flu", *DETAILS)
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "research-site serve" in readme
    assert "research-site --strict build" in readme
    assert "make " not in readme  # the tool's repository commands are not this project's
    workflow = yaml.safe_load((project / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert steps.index("research-site check --strict") < steps.index("research-site --strict build")
    assert all(line in (project / ".gitignore").read_text(encoding="utf-8") for line in ("site/", ".research-cache/"))


def test_with_guide_adds_the_authoring_guide_in_a_for_authors_tab(tmp_path):
    project = new(tmp_path, "flu", *DETAILS, "--with-guide")
    assert (project / "docs" / "authoring.md").read_bytes() == (ROOT / "docs" / "authoring.md").read_bytes()
    built = cli(project, "--strict", "build")
    assert built.returncode == 0, built.stderr
    home = BeautifulSoup((project / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    tab = home.find("a", string=re.compile("For authors"))
    assert tab is not None
    assert (project / "site" / "authoring" / "index.html").is_file()


def test_without_options_and_no_terminal_the_placeholders_are_written_and_named(tmp_path):
    done = cli(tmp_path, "new", "site")
    assert done.returncode == 0, done.stderr
    config = (tmp_path / "site" / "mkdocs.yml").read_text(encoding="utf-8")
    for key, value in PLACEHOLDERS.items():
        assert f'{key}: "{value}"' in config
        assert key in done.stdout  # the summary says what is still to edit
    assert cli(tmp_path / "site", "check").returncode == 0  # builds as it is; only --strict asks for the edits


@pytest.mark.parametrize("content", ["a file", None])
def test_new_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path, content):
    folder = tmp_path / "taken"
    if content is None:
        write(folder, "not a folder")
    else:
        write(folder / "notes.txt", content)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    done = cli(tmp_path, "new", "taken", *DETAILS)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "taken" in done.stderr
    assert "not empty" in done.stderr or "is a file" in done.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


NEW_SOURCE = """@article{hays2005,
  author  = {Hays, Jo N.},
  title   = {Epidemics and Pandemics},
  journal = {Journal of Plague Studies},
  year    = {2005},
  file    = {texts/hays2005.txt}
}
"""
NOTE = """---
id: hays-note
title: Hays on the second wave
sources: [hays2005]
topics: [first-topic]
facts:
  - {id: second-wave, label: Deadliest wave, kind: assessment, positions: {autumn: the autumn wave was deadliest}}
claims:
  - {fact: second-wave, value: the autumn wave, position: autumn, locator: para. 1, quote: "the autumn wave killed most"}
---
Hays finds the second wave the worst [@hays2005, para. 1].
"""


def test_a_source_added_with_add_source_from_elsewhere_and_a_note_quoting_it_appear_on_its_pages(tmp_path):
    project = new(tmp_path, "flu", *DETAILS)
    write(project / "bib" / "texts" / "hays2005.txt", "Of the three waves, the autumn wave killed most.\n")
    entry = write(tmp_path / "hays.bib", NEW_SOURCE)
    added = cli(tmp_path, "-C", str(project), "add-source", str(entry))
    assert added.returncode == 0, added.stderr
    assert "hays2005" in (project / "bib" / "library.bib").read_text(encoding="utf-8")
    write(project / "content" / "notes" / "hays-note.md", NOTE)
    built = cli(tmp_path, "-C", str(project), "build")
    assert built.returncode == 0, built.stderr
    source = (project / "site" / "sources" / "hays2005" / "index.html").read_text(encoding="utf-8")
    note = (project / "site" / "notes" / "hays-note" / "index.html").read_text(encoding="utf-8")
    assert "Epidemics and Pandemics" in source
    assert "Hays on the second wave" in source
    assert "the autumn wave killed most" in note
    assert "Hays" in note


def test_commands_outside_a_project_say_how_to_start_one(tmp_path):
    done = cli(tmp_path, "check")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "-C DIR" in done.stderr
    assert "research-site new" in done.stderr
    assert "no such folder" in cli(tmp_path, "-C", str(tmp_path / "missing"), "check").stderr


@pytest.mark.parametrize("renderer", RENDERERS)
def test_serve_from_elsewhere_says_where_it_serves_the_new_site(tmp_path, renderer: Renderer):
    project = new(tmp_path, "flu", *DETAILS)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "build_scripts", "-C", str(project), "serve", "--renderer",
                             renderer.name, "--dev-addr", f"127.0.0.1:{port}"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    said: list[str] = []
    threading.Thread(target=lambda: said.extend(proc.stderr or []), daemon=True).start()
    try:
        assert wait_for(lambda: any(line.startswith("serving the site at ") for line in said)), said
        address = next(line for line in said if line.startswith("serving the site at ")).split()[4]
        assert address == f"http://127.0.0.1:{port}/flu/"  # the path of the site's address, as it is served
        assert wait_for(lambda: "The 1918 influenza" in fetch(address)), said
    finally:
        proc.terminate()
        proc.wait(timeout=20)
