"""The site's address comes from the deployment: without one, pages name no address, and the build says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_scripts import pipeline
from build_scripts.config import load_settings
from build_scripts.model import Severity

from .conftest import ROOT, cli


def _from_env(project: Path) -> Path:
    """The mini corpus with `site_url: !ENV [SITE_URL, ""]`, as the bundled project has it."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_url: .*$", 'site_url: !ENV [SITE_URL, ""]', text), encoding="utf-8")
    return config


@pytest.mark.example
def test_the_bundled_project_takes_its_address_from_the_environment(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert load_settings(ROOT / "mkdocs.yml").site_url == ""
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/research/")
    assert load_settings(ROOT / "mkdocs.yml").site_url == "https://someone.github.io/research/"


def test_with_an_address_pages_cite_and_name_it(mini, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/research/")
    result = pipeline.build(load_settings(_from_env(mini)))
    assert not [d for d in result.diagnostics if "site_url" in d.message]
    alpha = result.read("alpha.md").decode("utf-8")
    assert "https://someone.github.io/research/alpha/" in alpha


def test_without_an_address_pages_name_none_and_the_build_warns(mini, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    result = pipeline.build(load_settings(_from_env(mini)))
    warnings = [d for d in result.diagnostics if "site_url" in d.message]
    assert [(d.severity, d.location.path) for d in warnings] == [(Severity.WARNING, "mkdocs.yml")]
    assert "SITE_URL" in warnings[0].hint
    for page in result.pages:
        text = result.read(page.path).decode("utf-8")
        cite = text[text.index("## Cite this page") :]
        assert "mini.example.org" not in text, page.path  # sources keep their own addresses
        assert not re.search(r"\burl\s*=|^\s*UR  -", cite, re.MULTILINE), (page.path, cite)
    alpha = result.read("alpha.md").decode("utf-8")
    assert re.search(r"Author, Test\. (n\.d|\d{4})\. “Alpha topic\.” Mini Study\. Accessed ", alpha)  # no address


@pytest.mark.parametrize(("strict", "status"), [pytest.param(False, 0, id="warns"), pytest.param(True, 1, id="strict")])
def test_strict_turns_the_missing_address_into_a_failure(mini, strict, status):
    _from_env(mini)
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}  # no SITE_URL
    done = cli(mini, *(["--strict"] if strict else []), "build", env=env)
    assert done.returncode == status, done.stderr
    assert "mkdocs.yml: warning: site_url is not set" in done.stderr
    assert (mini / "site" / "index.html").is_file() is (not strict)
