"""Cross-references to the API (mkdocstrings and autorefs, as in the example's mkdocs.yml) resolve in every build.

autorefs resolves `[text][identifier]` links in MkDocs' `on_env` event, after every page is converted: the
incremental build must convert the generated pages before it too, or a note ships a raw `<autoref>` tag.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import plain_mkdocs, write
from .test_incremental import build, differences

LINK = "See [the formatter][tinymod.Formatter] for how a label is written."


@pytest.fixture
def api_project(mini: Path) -> Path:
    """The mini project with an API page documented by mkdocstrings and a note linking to an object on it."""
    write(
        mini / "apidoc" / "tinymod.py",
        '"""A tiny module to document."""\n\n\nclass Formatter:\n'
        '    """Writes labels."""\n\n    def label(self) -> str:\n'
        '        """A label."""\n        return "x"\n',
    )
    write(mini / "docs" / "api.md", "# API\n\n::: tinymod\n")
    config = mini / "mkdocs.yml"
    plugins = (
        "plugins:\n  - search\n  - mkdocstrings:\n      handlers:\n        python:\n"
        "          paths: [apidoc]\n          options: {show_root_heading: true, show_source: false}\n"
        "  - research-site\n"
    )
    text = config.read_text(encoding="utf-8").replace("plugins: [search, research-site]\n", plugins)
    config.write_text(text, encoding="utf-8")
    note = mini / "content" / "notes" / "lo-note.md"
    note.write_text(note.read_text(encoding="utf-8") + f"\n{LINK}\n", encoding="utf-8")
    return mini


def link_in(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    assert "<autoref" not in html, "an unresolved cross-reference was shipped"
    found = re.search(r'<a[^>]*href="([^"]*)"[^>]*>the formatter</a>', html)
    assert found, "the link to the formatter is missing"
    return found.group(1)


def test_an_api_link_in_a_note_resolves_as_plain_mkdocs_resolves_it(api_project, tmp_path):
    build(api_project)
    plain = plain_mkdocs(api_project, tmp_path / "plain")
    page = Path("notes", "lo-note", "index.html")
    assert link_in(api_project / "site" / page) == "../../api/#tinymod.Formatter"
    assert link_in(plain / page) == "../../api/#tinymod.Formatter"
    assert differences(api_project / "site", plain) == []


def test_an_api_link_still_resolves_after_the_note_is_edited_and_rebuilt(api_project):
    build(api_project)
    note = api_project / "content" / "notes" / "lo-note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    report = build(api_project)
    html = (api_project / "site" / "notes" / "lo-note" / "index.html").read_text(encoding="utf-8")
    assert "A sentence added later." in html
    assert link_in(api_project / "site" / "notes" / "lo-note" / "index.html") == "../../api/#tinymod.Formatter"
    assert int(re.search(r"(\d+) reused", report).group(1)) > 0, report


def test_an_unsupported_mkdocs_is_named_with_the_supported_series():
    from build_scripts.renderers import mkdocs_compat

    with pytest.raises(
        mkdocs_compat.IncompatibleMkDocs, match=r"MkDocs 1\.7\.0 is installed; .* supports MkDocs 1\.6\.x"
    ):
        mkdocs_compat.check_version("1.7.0")
    mkdocs_compat.check_version("1.6.1")  # the supported series passes


def test_a_build_leaves_the_environment_as_it_found_it(mini, monkeypatch):
    from build_scripts.__main__ import main

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "0")
    assert main(["-C", str(mini), "build"]) == 0
    assert (mini / "site" / "sitemap.xml").is_file()
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert os.environ["NO_MKDOCS_2_WARNING"] == "0"
