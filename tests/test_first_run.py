"""What a researcher meets when starting a site of their own: each mistake a clear `path:line` error with a hint."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from build_scripts.config import PLACEHOLDERS
from tests.conftest import cli, git, write


def _set(project: Path, old: str, new: str, name: str = "mkdocs.yml") -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr


def test_a_project_without_a_home_note_fails_check_and_build_naming_it(mini: Path) -> None:
    (mini / "content" / "index.md").unlink()
    for args in (["check"], ["build", "-d", str(mini / "out")]):
        done = cli(mini, *args)
        assert done.returncode == 1, done.stderr
        assert "content: error: no home note" in done.stderr
        assert "kind: home" in done.stderr
        assert "content/index.md" in done.stderr
        _no_traceback(done.stderr)
    assert not (mini / "out").exists()


@pytest.mark.parametrize("setting", sorted(PLACEHOLDERS))
def test_a_placeholder_setting_is_a_warning_at_its_line_and_an_error_under_strict(mini: Path, setting: str) -> None:
    write(mini / "mkdocs.yml", (mini / "mkdocs.yml").read_text() + f"{setting}: {PLACEHOLDERS[setting]}\n")
    line = len((mini / "mkdocs.yml").read_text().splitlines())
    done = cli(mini, "check")
    expected = f"mkdocs.yml:{line}: warning: {setting} is still the placeholder '{PLACEHOLDERS[setting]}'"
    assert done.returncode == 0
    assert expected in done.stderr
    strict = cli(mini, "--strict", "check")
    assert strict.returncode == 1
    assert expected in strict.stderr


def test_the_example_settings_are_not_placeholders(mini: Path) -> None:
    assert "placeholder" not in cli(mini, "check").stderr


BROKEN = {  # what is replaced, by what, the line of the error counted from the replacement's first line, ...
    "indentation": ("  name: material", " name: material", 1, "mapping values are not allowed here", "indentation"),
    "tab": ("site_author: Test Author", "site_author:\n\tTest Author", 1, "'\\t'", "indent with spaces"),
    "unknown tag": ("site_author: Test Author", "site_author: !Name Test", 0, "tag '!Name'", "!ENV"),
    "list for a name": ("site_author: Test Author", "site_author: [A, B]", 0, "must be one value", "one line"),
    "research not a group": ("  research:\n", "  research: content\n  x:\n", 0, "must be a group", "below it"),
}


@pytest.mark.parametrize("command", ["check", "build", "serve", "emit"])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_malformed_mkdocs_yml_is_an_error_at_its_line_for_every_command(mini: Path, case: str, command: str) -> None:
    old, new, offset, problem, hint = BROKEN[case]
    text = (mini / "mkdocs.yml").read_text(encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1 + offset
    _set(mini, old, new)
    args = {"emit": ["emit", str(mini / "out")], "build": ["build", "-d", str(mini / "out")]}.get(command, [command])
    done = cli(mini, *args)
    assert done.returncode == 1, done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"mkdocs.yml:{line}: error: "), first
    assert problem in first, first
    assert "(hint: " in first, first
    assert hint in first.split("(hint: ")[1], first
    _no_traceback(done.stderr)
    assert not (mini / "out").exists()


def test_a_value_split_at_a_comma_says_to_quote_it(mini: Path) -> None:
    _set(mini, "value: USD 5.56 billion,", "value: Kansas, USA,", "content/notes/baev-note.md")
    done = cli(mini, "check")
    assert done.returncode == 1
    assert re.search(r"content/notes/baev-note.md:8: error: unknown claim key 'USA'.*comma", done.stderr)
    assert 'hint: quote the value: value: "Kansas, USA"' in done.stderr


def test_a_key_with_no_value_that_follows_no_value_keeps_the_plain_message(mini: Path) -> None:
    _set(mini, "value: USD 5.56 billion,", "value: USD 5.56 billion, colour: red,", "content/notes/baev-note.md")
    done = cli(mini, "check")
    assert "unknown claim key 'colour' (hint: allowed keys:" in done.stderr
    assert "quote the value" not in done.stderr


NEW_ENTRY = """@article{smith2030,
  title = {Influenza in Kansas},
  author = {Smith, Ann},
  year = {2030},
  file = {texts/smith2030.txt},
}
"""


def test_add_source_naming_a_missing_archived_text_writes_nothing(mini: Path) -> None:
    library = (mini / "bib" / "library.bib").read_bytes()
    write(mini / "new.bib", "\n" + NEW_ENTRY)
    done = cli(mini, "add-source", "new.bib")
    assert done.returncode == 1
    assert "new.bib:2: error: archived text of 'smith2030': 'bib/texts/smith2030.txt' does not exist" in done.stderr
    assert "save the text first" in done.stderr
    assert (mini / "bib" / "library.bib").read_bytes() == library
    assert not (mini / "content" / "notes" / "smith2030.md").exists()


def test_add_source_with_its_archived_text_in_place_adds_the_entry(mini: Path) -> None:
    write(mini / "bib" / "texts" / "smith2030.txt", "The epidemic began in Kansas.\n")
    write(mini / "new.bib", NEW_ENTRY)
    done = cli(mini, "add-source", "new.bib")
    assert done.returncode == 0, done.stderr
    assert "added smith2030 to bib/library.bib" in done.stdout
    assert (mini / "content" / "notes" / "smith2030.md").is_file()


def test_add_source_reports_a_reused_citekey_once_in_its_own_terms(mini: Path) -> None:
    write(mini / "new.bib", NEW_ENTRY.replace("smith2030", "Baev2021").replace("  file = {texts/Baev2021.txt},\n", ""))
    done = cli(mini, "add-source", "new.bib")
    assert done.returncode == 1
    assert "citekey 'Baev2021' already exists in the library as 'baev2021'" in done.stderr
    assert "duplicate key" not in done.stderr
    assert "differs only by case" not in done.stderr


def test_notes_link_the_generated_pages_by_name(mini: Path) -> None:
    home = mini / "content" / "index.md"
    write(home, home.read_text() + "\nSee [[inconsistencies]], [[bibliography|the sources]] and [[source:baev2021]].\n")
    done = cli(mini, "emit", str(mini / "out"), "--pages-only")
    assert done.returncode == 0, done.stderr
    page = (mini / "out" / "index.md").read_text(encoding="utf-8")
    links = "[Inconsistencies](inconsistencies.md), [the sources](bibliography.md) and [Baev 2021](sources/baev2021.md)"
    assert f"See {links}." in page
    assert "Mini study" in (mini / "out" / "sources" / "baev2021.md").read_text(encoding="utf-8")  # cited by home


def test_an_unknown_link_target_lists_the_generated_pages(mini: Path) -> None:
    home = mini / "content" / "index.md"
    write(home, home.read_text() + "\nBad [[inconsistency]], [[source:nope2021]] and [[bibliography#x]].\n")
    line = len(home.read_text().splitlines())
    done = cli(mini, "check")
    assert done.returncode == 1
    assert (
        f"content/index.md:{line}:5: error: unknown cross-reference target 'inconsistency' (hint: did you mean "
        "'inconsistencies'? link to a note or topic by its id, or to a generated page: [[inconsistencies]], "
        "[[bibliography]] or [[source:KEY]])" in done.stderr
    )
    assert f"content/index.md:{line}:24: error: unknown citekey 'nope2021'" in done.stderr
    assert "error: [[bibliography#x]]: a link to a generated page takes no '#heading'" in done.stderr


def _cited(project: Path, page: str) -> str:
    """The formatted "Cite this page" line of an emitted page."""
    text = (project / "out" / page).read_text(encoding="utf-8")
    return text.split('=== "Formatted"', 1)[1].strip().splitlines()[0]


def test_pages_are_dated_by_the_projects_own_commits(mini: Path) -> None:
    git(mini, "init", "-q")
    git(mini, "add", "bib", "mkdocs.yml", date="2001-02-03T12:00:00Z")
    git(mini, "commit", "-qm", "library", date="2001-02-03T12:00:00Z")
    git(mini, "add", "content", date="2002-03-04T12:00:00Z")
    git(mini, "commit", "-qm", "notes", date="2002-03-04T12:00:00Z")
    write(mini / "tool" / "generator.py", "# the tool's own file\n")
    git(mini, "add", "tool")
    git(mini, "commit", "-qm", "the tool", date="2009-09-09T12:00:00Z")
    assert cli(mini, "emit", str(mini / "out"), "--pages-only").returncode == 0
    assert "March 4" in _cited(mini, "notes/baev-note.md")
    assert "2002" in _cited(mini, "notes/baev-note.md")
    assert "2001." in _cited(mini, "bibliography.md")
    assert "February 3." in _cited(mini, "bibliography.md")
    assert "2009" not in _cited(mini, "index.md")
    library = mini / "bib" / "library.bib"
    write(library, library.read_text() + "\n% an entry to come\n")  # its last commit no longer dates it
    assert cli(mini, "emit", str(mini / "out"), "--pages-only").returncode == 0
    assert "n.d." in _cited(mini, "bibliography.md")
    assert "2001" not in _cited(mini, "bibliography.md")
    assert cli(mini, "build", "-d", str(mini / "site")).returncode == 0
    sitemap = (mini / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2002-03-04</lastmod>" in sitemap
    assert "2009" not in sitemap


def test_outside_git_pages_are_undated(mini: Path) -> None:
    assert cli(mini, "emit", str(mini / "out"), "--pages-only").returncode == 0
    assert "n.d." in _cited(mini, "notes/baev-note.md")


def test_serve_keeps_the_last_good_site_when_mkdocs_yml_breaks(mini: Path) -> None:
    from tests.test_serve import fetch, free_port, wait_for

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "build_scripts", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=mini, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    lines: list[str] = []
    errors: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True).start()
    threading.Thread(target=lambda: errors.extend(proc.stderr or []), daemon=True).start()
    try:
        assert wait_for(lambda: lines), "no first build"
        url = f"http://127.0.0.1:{port}/notes/lo-note/"
        assert wait_for(lambda: "Lo is more upbeat" in fetch(url))  # serving, so watching
        _set(mini, "site_author: Test Author", "site_author:\n\tTest Author")
        assert wait_for(lambda: len(lines) >= 2), errors
        assert lines[1].startswith("mkdocs.yml: not rebuilt, problems above")
        assert any(e.startswith("mkdocs.yml:4: error: found character '\\t'") for e in errors), errors
        assert "Lo is more upbeat" in fetch(url)
        assert proc.poll() is None, "the preview goes on"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert not any("Traceback" in e for e in errors), errors
