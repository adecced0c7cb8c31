"""`python -m build_scripts add-source`: append entries atomically, refuse clashes, start a note."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from build_scripts.config import load_settings
from build_scripts.library import add_source
from build_scripts.library.bib import load_library

from .conftest import cli, write

NEW = """@article{zhang2023,
  author  = {Zh{\\=a}ng, Wei},
  title   = {Partners: "Uneasy" {Allies}},
  journal = {Survival},
  year    = {2023},
  doi     = {10.1000/ABC.123}
}
"""


def add(project: Path, text: str, name: str = "new.bib") -> subprocess.CompletedProcess:
    write(project / name, text)
    return cli(project, "add-source", name)


def files(folder: Path) -> list[str]:
    """The files directly in `folder` (the archived texts in bib/texts/ are not the library's files)."""
    return sorted(p.name for p in folder.iterdir() if p.is_file())


@pytest.fixture
def library(mini: Path) -> Path:
    return mini / "bib" / "library.bib"


def assert_nothing_written(mini: Path, before: bytes, done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert (mini / "bib" / "library.bib").read_bytes() == before
    assert files(mini / "bib") == ["library.bib"]
    assert files(mini / "content" / "notes") == ["baev-note.md", "lo-note.md"]


def test_appends_entry_keeping_the_original_bytes(mini, library):
    before, before_files = library.read_bytes(), files(mini / "bib")
    done = add(mini, NEW)
    assert done.returncode == 0, done.stderr
    after = library.read_bytes()
    assert after.startswith(before)
    assert after == before + b"\n" + NEW.encode()
    assert "added zhang2023 to bib/library.bib" in done.stdout
    assert "created content/notes/zhang2023.md" in done.stdout
    assert "python -m build_scripts check" in done.stdout
    assert "make serve" in done.stdout
    assert files(mini / "bib") == before_files  # no temporary file left behind


def test_note_skeleton_passes_check(mini):
    assert add(mini, NEW).returncode == 0
    note = (mini / "content" / "notes" / "zhang2023.md").read_text(encoding="utf-8")
    front = yaml.safe_load(note.split("---\n")[1])
    assert front == {
        "id": "zhang2023",
        "title": 'Notes on Partners: "Uneasy" Allies',
        "sources": ["zhang2023"],
        "topics": [],
        "summary": "",
        "claims": [],
    }
    assert "[@zhang2023]" in note
    assert "<!--" in note
    assert "locator:" in note
    assert "[[" in note
    done = cli(mini, "--strict", "check")
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr
    assert "warning" not in done.stderr


def test_several_entries_get_a_note_each(mini, library):
    text = NEW + "\n@book{li2020, title = {Another Book}, year = {2020}}\n"
    done = add(mini, text)
    assert done.returncode == 0, done.stderr
    assert load_library([library], mini)[0].keys() >= {"zhang2023", "li2020"}
    assert {"zhang2023.md", "li2020.md"} <= set(files(mini / "content" / "notes"))
    assert cli(mini, "check").returncode == 0


def test_same_entry_again_is_refused(mini, library):
    assert add(mini, NEW).returncode == 0
    before = library.read_bytes()
    notes_before = files(mini / "content" / "notes")
    done = add(mini, NEW)
    assert done.returncode == 1
    assert "new.bib:1: error: citekey 'zhang2023' already exists in the library" in done.stderr
    assert "already exists in the library (bib/library.bib:33)" in done.stderr
    assert library.read_bytes() == before
    assert files(mini / "content" / "notes") == notes_before


def test_key_differing_only_by_case_is_refused(mini, library):
    before = library.read_bytes()
    done = add(mini, "@article{Baev2021, title = {Something else}, year = {2022}}\n")
    assert "citekey 'Baev2021' already exists" in done.stderr
    assert "as 'baev2021' (bib/library.bib:3;" in done.stderr
    assert done.stderr.count("error:") == 1  # not also bib's own "differs only by case"
    assert_nothing_written(mini, before, done)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        pytest.param(
            "@article{other2023, title = {A different title}, doi = {https://doi.org/10.1000/abc.123}}\n",
            "same DOI 10.1000/abc.123",
            id="same_doi_with_prefix_and_case",
        ),
        pytest.param(
            "@book{lo2008b, title = {Axis of convenience -- Moscow, Beijing and the new geopolitics}}\n",
            "same title",
            id="same_title_normalised",
        ),
    ],
)
def test_likely_duplicate_warns_and_proceeds(mini, library, text, why):
    assert add(mini, NEW, "first.bib").returncode == 0
    done = add(mini, text)
    assert done.returncode == 0, done.stderr
    assert "new.bib:1: warning:" in done.stderr
    assert why in done.stderr
    assert "bib/library.bib:" in done.stderr
    assert library.read_bytes().endswith(text.encode())


def test_likely_duplicate_fails_under_strict(mini, library):
    before = library.read_bytes()
    write(mini / "new.bib", "@book{lo2008b, title = {Axis of Convenience: Moscow, Beijing, and the New Geopolitics}}")
    done = cli(mini, "--strict", "add-source", "new.bib")
    assert "warning: 'lo2008b' may duplicate 'lo2008'" in done.stderr
    assert_nothing_written(mini, before, done)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            "% a comment\n\n@article{broken, title = {x} year = {2020}}\n", 3, "malformed value", id="missing_comma"
        ),
        pytest.param(
            "@article{ok1, title = {Fine}}\n\n@article{broken, title = {x\n",
            3,
            "could not be parsed",
            id="unclosed_brace",
        ),
        pytest.param(
            "\n@article{nomacro, title = {x}, journal = undefinedmacro}\n", 2, "undefined macro", id="undefined_macro"
        ),
        pytest.param(
            "@article{twice, title = {x}}\n@article{Twice, title = {y}}\n",
            2,
            "differs only by case",
            id="duplicate_within_new_text",
        ),
        pytest.param("just some text, no entry\n", 0, "no BibTeX entry found", id="no_entry"),
    ],
)
def test_broken_input_is_rejected_with_its_line(mini, library, text, line, message):
    before = library.read_bytes()
    done = add(mini, text)
    where = f"new.bib:{line}" if line else "new.bib"
    assert f"{where}: error: " in done.stderr
    assert message in done.stderr
    assert "/tmp" not in done.stderr
    assert "add-source-" not in done.stderr  # never the temporary copy
    assert_nothing_written(mini, before, done)


def test_reads_standard_input(mini, library):
    before = library.read_bytes()
    done = cli(mini, "add-source", "-", stdin=NEW)
    assert done.returncode == 0, done.stderr
    assert library.read_bytes() == before + b"\n" + NEW.encode()
    done = cli(mini, "add-source", "-", stdin="@article{x, title = {x} year = {1}}\n")
    assert "<stdin>:1: error: " in done.stderr
    assert done.returncode == 1


def test_file_without_trailing_newline_gets_a_separator(mini, library):
    library.write_bytes(b"@book{old, title = {Old}}")
    done = add(mini, NEW.rstrip("\n"))  # and the new text gets its final newline
    assert done.returncode == 0, done.stderr
    assert library.read_bytes() == b"@book{old, title = {Old}}\n\n" + NEW.encode()


def test_crlf_library_keeps_its_line_endings(mini, library):
    library.write_bytes(b"@book{old, title = {Old}}\r\n")
    assert add(mini, NEW).returncode == 0
    assert library.read_bytes() == b"@book{old, title = {Old}}\r\n\r\n" + NEW.replace("\n", "\r\n").encode()


def test_permission_bits_are_kept(mini, library):
    library.chmod(0o640)
    assert add(mini, NEW).returncode == 0
    assert stat.S_IMODE(library.stat().st_mode) == 0o640


def test_appends_to_the_last_bib_file_or_creates_library(mini, library):
    write(mini / "bib" / "zz-extra.bib", "@book{extra, title = {Extra}}\n")
    assert add(mini, NEW).returncode == 0
    assert (mini / "bib" / "zz-extra.bib").read_text().endswith(NEW)
    shutil.rmtree(mini / "bib")
    done = add(mini, NEW.replace("zhang2023", "zhang2024"))
    assert done.returncode == 0, done.stderr
    assert (mini / "bib" / "library.bib").read_text() == NEW.replace("zhang2023", "zhang2024")


@pytest.mark.parametrize(
    "failure", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["os_error", "interrupt"]
)
def test_interrupted_write_leaves_the_library_intact(mini, library, monkeypatch, failure):
    before = library.read_bytes()
    settings = load_settings(mini / "mkdocs.yml")

    def boom(*args, **kwargs):
        raise failure

    monkeypatch.setattr(os, "replace", boom)
    if isinstance(failure, OSError):
        result, diags = add_source.add_source(NEW, "new.bib", settings)
        assert not result.written
        assert [str(d) for d in diags] == [
            "bib/library.bib: error: cannot write the library: No space left on device "
            "(hint: nothing was changed; check the file's permissions and the free space)"
        ]
    else:
        with pytest.raises(KeyboardInterrupt):
            add_source.add_source(NEW, "new.bib", settings)
    assert library.read_bytes() == before
    assert files(mini / "bib") == ["library.bib"]  # no temporary file left behind
    assert files(mini / "content" / "notes") == ["baev-note.md", "lo-note.md"]


def test_entry_may_use_a_macro_of_the_library(mini, library):
    done = add(mini, "@article{chen2024, title = {Macro use}, journal = cb, year = {2024}}\n")
    assert done.returncode == 0, done.stderr
    sources, diags = load_library([library], mini)
    assert sources["chen2024"].fields["journal"] == "China Brief"
    assert not diags
    assert cli(mini, "--strict", "check").returncode == 0


def test_note_name_and_id_avoid_existing_ones(mini):
    write(mini / "content" / "notes" / "wang-2020.md", "not a note of ours\n")
    text = (
        "@misc{Wang:2020, title = {W}}\n"  # file wang-2020.md exists -> wang-2020-2
        "@misc{Alpha, title = {A}}\n"  # id 'alpha' is a topic's -> alpha-2
        "@misc{G\u00f3mez2021, title = {G}}\n"
    )  # accents dropped from the slug
    done = add(mini, text)
    assert done.returncode == 0, done.stderr
    notes = mini / "content" / "notes"
    assert (notes / "wang-2020.md").read_text() == "not a note of ours\n"
    assert {"wang-2020-2.md", "alpha-2.md", "gomez2021.md"} <= set(files(notes))
    assert yaml.safe_load((notes / "alpha-2.md").read_text().split("---\n")[1])["id"] == "alpha-2"


def test_missing_file_is_a_clear_error(mini, library):
    before = library.read_bytes()
    done = cli(mini, "add-source", "nope.bib")
    assert "nope.bib: error: file not found" in done.stderr
    assert_nothing_written(mini, before, done)


def test_missing_argument_is_a_usage_error(mini):
    done = cli(mini, "add-source")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "file" in done.stderr
