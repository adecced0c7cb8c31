"""`research-site format-bib`: the references a library will show, and their agreement with citeproc-js in Node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from build_scripts.citations.cite import finish
from build_scripts.citations.style import load_style

from .conftest import REAL_LIBRARIES, ROOT, cli, real_bib, write

LIBRARY = r"""
@article{baev2021,
  author = {Baev, Pavel K.},
  title = {Russia and China: A Mutually Exaggerated Strategic Partnership?},
  journal = {China Brief}, volume = 21, number = 20, year = 2021, month = oct,
}
@book{johansson2005a, author = {Johansson, H{\aa}kan and Gustafsson, Oscar}, title = {Filters}, year = 2005}
@book{johansson2005b, author = {Johansson, Kenny and Gustafsson, Oscar}, title = {Adders}, year = 2005}
@misc{anon1, author = {Anonymous}, title = {Beta notes}}
@misc{anon2, author = {Anonymous}, title = {Alpha notes}}
"""


def test_text_shows_each_entry_citation_and_reference(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", LIBRARY)
    done = cli(tmp_path, "format-bib", "refs.bib")
    assert done.returncode == 0, done.stderr
    assert "baev2021\n  (Baev 2021)\n  Baev, Pavel K. 2021. “Russia and China" in done.stdout


def test_whole_library_disambiguates_as_the_style_asks(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", LIBRARY)
    rows = {row["key"]: row for row in json.loads(cli(tmp_path, "format-bib", "--json", "refs.bib").stdout)}
    # An initial where two first authors share a family name; a letter after "n.d." for two undated works.
    assert rows["johansson2005a"]["citation"] == "(H. Johansson and Gustafsson 2005)"
    assert rows["johansson2005b"]["citation"] == "(K. Johansson and Gustafsson 2005)"
    assert (rows["anon2"]["citation"], rows["anon1"]["citation"]) == ("(Anonymous, n.d.-a)", "(Anonymous, n.d.-b)")
    assert rows["baev2021"]["bibliography"].startswith("Baev, Pavel K. 2021. “Russia and China")
    assert "<i>China Brief</i>" in rows["baev2021"]["bibliography"]


def test_csl_json_is_what_the_formatter_is_given(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", LIBRARY)
    items = json.loads(cli(tmp_path, "format-bib", "--csl-json", "refs.bib").stdout)
    assert [item["id"] for item in items] == ["anon1", "anon2", "baev2021", "johansson2005a", "johansson2005b"]
    assert items[2]["container-title"] == "China Brief"
    assert items[2]["issued"] == {"date-parts": [[2021, 10]]}


def test_style_option_changes_the_format(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", LIBRARY)
    rows = json.loads(cli(tmp_path, "format-bib", "--json", "--style", "apa", "refs.bib").stdout)
    baev = next(row for row in rows if row["key"] == "baev2021")
    assert baev["citation"] == "(Baev, 2021)"
    assert baev["bibliography"].startswith("Baev, P. K. (2021).")


def test_library_errors_are_diagnostics_with_line_and_exit_1(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", LIBRARY + "\n@book{Baev2021, title = {Again}, year = 2000}\n")
    done = cli(tmp_path, "format-bib", "refs.bib")
    assert done.returncode == 1
    assert re.search(r"^refs\.bib:12: error: .*differs only by case", done.stderr, re.MULTILINE)
    assert "Traceback" not in done.stderr
    assert "(Baev 2021)" in done.stdout  # the first entry is used, and shown


def test_unknown_style_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", LIBRARY)
    done = cli(tmp_path, "format-bib", "--style", "no-such-style", "refs.bib")
    assert done.returncode == 2
    assert "unknown citation style 'no-such-style'" in done.stderr
    assert "Traceback" not in done.stderr


# -- agreement with citeproc-js run by Node ----------------------------------------------


def node_reference(items_file: Path, tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """citeproc-js (npm `citeproc`, in Node) on the items: citations and entries (without their div), by id."""
    if shutil.which("node") is None:
        pytest.skip("needs Node (node) to run citeproc-js as the reference")
    if not (ROOT / "node_modules" / "citeproc").is_dir():
        pytest.skip("needs the npm package citeproc (npm ci, as make browser-deps runs it)")
    style = load_style("chicago-author-date")
    write(tmp_path / "style.csl", style.xml)
    write(tmp_path / "locale.xml", style.locales["en-US"])
    done = subprocess.run(
        [
            "node",
            str(ROOT / "tests" / "citeproc_node.js"),
            str(tmp_path / "style.csl"),
            str(tmp_path / "locale.xml"),
            str(items_file),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    out = json.loads(done.stdout)
    entries = {
        k: re.sub(r'^\s*<div class="csl-entry">(.*)</div>\s*$', r"\1", v, flags=re.S).strip()
        for k, v in out["entries"].items()
    }
    return out["citations"], entries


@pytest.mark.parametrize("library", REAL_LIBRARIES)
def test_real_library_agrees_with_citeproc_js(library: str, tmp_path: Path) -> None:
    path = real_bib() / library
    csl = cli(tmp_path, "format-bib", "--csl-json", str(path))
    items_file = write(tmp_path / "items.json", csl.stdout)
    citations, entries = node_reference(items_file, tmp_path)
    ours = json.loads(cli(tmp_path, "format-bib", "--json", str(path)).stdout)
    items = json.loads(csl.stdout)
    # The documented deviations (docs/authoring.md) applied to citeproc-js's own output, as to ours.
    reference = finish("chicago-author-date", [(i, citations[i["id"]], entries.get(i["id"], "")) for i in items])
    same_bib = sum(row["bibliography"] == reference[row["key"]].html for row in ours)
    same_cite = sum(row["citation"] == reference[row["key"]].citation for row in ours)
    assert len(ours) == len(items) > 0
    assert same_bib >= 0.98 * len(ours), f"{same_bib} of {len(ours)} bibliography entries identical"
    assert same_cite >= 0.98 * len(ours), f"{same_cite} of {len(ours)} citations identical"


def test_site_style_is_the_default_and_a_broken_config_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", LIBRARY)
    write(tmp_path / "mkdocs.yml", "site_name: x\nextra:\n  research:\n    csl_style: apa\n")
    assert "(Baev, 2021)" in cli(tmp_path, "format-bib", "refs.bib").stdout
    write(tmp_path / "mkdocs.yml", "site_name: [unclosed\n")
    done = cli(tmp_path, "format-bib", "refs.bib")
    assert done.returncode == 0
    assert "(Baev 2021)" in done.stdout
    assert "mkdocs.yml:2: warning: not read" in done.stderr  # at its line
    assert "Traceback" not in done.stderr
