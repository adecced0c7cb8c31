"""The MkDocs plugin `research-site` and the theme the tool carries: a project needs no copy of either."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts.history import last_commit_time

from .conftest import ROOT, cli, write
from .renderers import RENDERERS, Renderer
from .test_incremental import differences

OWN_MAIN = """{% extends "base.html" %}
{% block extrahead %}{{ super() }}<meta name="project-own" content="the project's template">{% endblock %}
"""


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("renderer", RENDERERS)
def test_the_tools_theme_applies_and_a_projects_own_overrides_win(mini, renderer: Renderer):
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("navigation.prune", "navigation.prune, navigation.path"),
        encoding="utf-8",
    )  # fmt: skip: breadcrumbs, which the tool's partials/path.html extends
    built = cli(mini, "build", "--renderer", renderer.name)
    assert built.returncode == 0, built.stderr
    note = soup(mini / "site", "notes/lo-note/index.html")
    assert note.find("meta", attrs={"name": "citation_publisher"})["content"] == "Mini study"  # the tool's main.html
    trail = [a.get_text(strip=True) for a in note.select("nav.md-path a")]  # the tool's partials/path.html
    assert "Alpha topic" in trail

    write(mini / "overrides" / "main.html", OWN_MAIN)  # the project's own main.html, over the tool's
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: material\n  custom_dir: overrides"),
                      encoding="utf-8")  # fmt: skip
    built = cli(mini, "build", "--renderer", renderer.name)
    assert built.returncode == 0, built.stderr
    note = soup(mini / "site", "notes/lo-note/index.html")
    assert note.find("meta", attrs={"name": "project-own"}) is not None
    assert note.find("meta", attrs={"name": "citation_publisher"}) is None  # the tool's main.html is replaced
    assert "Alpha topic" in [a.get_text(strip=True) for a in note.select("nav.md-path a")]  # its path.html is not


def test_the_theme_overrides_option_leaves_the_theme_as_material_has_it(mini):
    config = mini / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "[search, research-site]", "[search, research-site: {theme_overrides: false}]"
    )
    config.write_text(text, encoding="utf-8")
    built = cli(mini, "build")
    assert built.returncode == 0, built.stderr
    assert soup(mini / "site", "index.html").find("meta", attrs={"name": "citation_publisher"}) is None


def test_a_project_without_the_plugin_is_told_to_add_it(mini):
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[search, research-site]", "[search]"), encoding="utf-8"
    )
    built = cli(mini, "build")
    assert built.returncode == 1
    assert "Traceback" not in built.stderr
    assert "- research-site" in built.stderr
    assert "plugins:" in built.stderr


def test_plain_mkdocs_build_of_the_example_equals_research_site_build(bundled_site, tmp_path):
    """The plugin in plain `mkdocs build` renders the example as `research-site build` does, file for file."""
    plain = tmp_path / "plain"
    env = {**os.environ, "SOURCE_DATE_EPOCH": last_commit_time(ROOT) or "0", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(plain)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert differences(bundled_site, plain) == []
