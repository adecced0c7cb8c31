"""Tests for build_scripts.bib: macros, LaTeX, crossrefs, duplicates, broken input, real libraries."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import model as bm

from build_scripts.bib import decode_latex, load_library
from build_scripts.model import Diagnostic, Severity, Source

REAL_BIB = Path(__file__).parents[1].parent / "shared" / "corpus" / "real-bib"

Loader = Callable[..., tuple[dict[str, Source], list[Diagnostic]]]


@pytest.fixture
def load(tmp_path: Path) -> Loader:
    """Write text (or bytes) to `bib/<name>` under tmp_path and load it."""

    def _load(content: str | bytes, name: str = "refs.bib") -> tuple[dict[str, Source], list[Diagnostic]]:
        path = tmp_path / "bib" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return load_library([path], tmp_path)

    return _load


def errors(diags: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.severity is Severity.ERROR]


def warnings(diags: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.severity is Severity.WARNING]


# -- values -------------------------------------------------------------------


def test_string_macros_months_and_concatenation(load: Loader) -> None:
    sources, diags = load(
        """@string{ox = "Oxford"}
@STRING{OUP = ox # { University} # " Press"}
@book{lo2008,
  title = "Axis" # { of } # "Convenience",
  publisher = oup,
  month = jul,
  year = 2008,
  note = "Vol. " # 3 # { and } # dec,
}
"""
    )
    assert diags == []
    fields = sources["lo2008"].fields
    assert fields["title"] == "Axis of Convenience"
    assert fields["publisher"] == "Oxford University Press"
    assert fields["month"] == "July"
    assert fields["year"] == "2008"
    assert fields["note"] == "Vol. 3 and December"


def test_hash_inside_braces_and_quotes_is_text(load: Loader) -> None:
    sources, diags = load('@misc{k, title = {C# and F#}, note = "a # b", url = {http://x.org/#top}}')
    assert diags == []
    assert sources["k"].fields == {"title": "C# and F#", "note": "a # b", "url": "http://x.org/#top"}


def test_string_keeps_leading_space_for_concatenation(load: Loader) -> None:
    sources, _ = load('@string{STOC = " Symposium"}\n@misc{k, booktitle = "Annual ACM" # STOC}')
    assert sources["k"].fields["booktitle"] == "Annual ACM Symposium"


def test_fields_keep_latex_and_collapse_whitespace(load: Loader) -> None:
    sources, _ = load('@Article{K,\n  AUTHOR = {M{\\"u}ller,\n     Hans},\n  Title = {The {NASA} Way}}')
    src = sources["K"]
    assert src.entry_type == "article"
    assert src.fields == {"author": 'M{\\"u}ller, Hans', "title": "The {NASA} Way"}


def test_undefined_macro_is_a_warning_and_kept_as_text(load: Loader) -> None:
    sources, diags = load("@inproceedings{mcallester91,\n  booktitle = AAAI-91,\n  year = 1991}")
    assert sources["mcallester91"].fields["booktitle"] == "AAAI-91"
    [diag] = diags
    assert diag.severity is Severity.WARNING
    assert str(diag.location) == "bib/refs.bib:2"
    assert "AAAI-91" in diag.message and "mcallester91" in diag.message


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        pytest.param('M{\\"u}ller', "Müller", id="braced_umlaut"),
        pytest.param("\\'{e}t\\'{e}", "été", id="acute_with_argument"),
        pytest.param("{\\'e}", "é", id="braced_acute"),
        pytest.param("Fran{\\c c}ois", "François", id="cedilla"),
        pytest.param("\\c{c}", "ç", id="cedilla_argument"),
        pytest.param("1990--1995", "1990\u20131995", id="en_dash"),
        pytest.param("yes---no", "yes\u2014no", id="em_dash"),
        pytest.param("The {NASA} {T}ale", "The NASA Tale", id="protective_braces"),
        pytest.param("Sk\\l{}odowska", "Skłodowska", id="l_slash"),
        pytest.param("\\emph{Nota} \\& bene", "Nota & bene", id="emph_and_ampersand"),
        pytest.param("50% off", "50% off", id="bare_percent"),
        pytest.param("D.~E. Knuth", "D. E. Knuth", id="tie"),
        pytest.param("{\\noopsort{1973b}}1973", "1973", id="noopsort"),
        pytest.param("The {\\TeX}book", "The TeXbook", id="tex_logo"),
        pytest.param("\\DVItoVDU{} 3.0", "DVItoVDU 3.0", id="unknown_logo_macro"),
        pytest.param("\\url{http://a.org/x_y}", "http://a.org/x_y", id="url"),
        pytest.param("\\unclosed{", "", id="unclosed_group"),
    ],
)
def test_decode_latex(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


def test_deep_brace_nesting_does_not_raise(load: Loader) -> None:
    deep = "{" * 5000 + "deep" + "}" * 5000
    sources, diags = load(f"@misc{{deep, title = {deep}, note = {{\\emph{deep}}}}}")
    assert sources["deep"].fields["title"] == deep[1:-1]
    assert diags == []
    assert decode_latex(sources["deep"].fields["title"]) == "deep"
    assert decode_latex(sources["deep"].fields["note"]) == "deep"
    assert decode_latex("\\'" * 5000 + "e")  # pylatexenc recursion falls back quietly


# -- crossref -----------------------------------------------------------------


def test_crossref_inherits_missing_fields_case_insensitively(load: Loader) -> None:
    sources, diags = load(
        """@incollection{child,
  author = {Writer, Wanda},
  title = {A Chapter},
  year = 2019,
  crossref = {BigBook},
}
@collection{bigbook,
  editor = {Editor, Ed},
  title = {The Big Book},
  publisher = {Routledge},
  year = 2018,
}
"""
    )
    assert diags == []
    child = sources["child"].fields
    assert child["booktitle"] == "The Big Book"  # parent's title, biblatex-style
    assert child["title"] == "A Chapter"  # own fields win
    assert child["year"] == "2019"
    assert child["publisher"] == "Routledge"
    assert child["editor"] == "Editor, Ed"


def test_crossref_keeps_own_booktitle(load: Loader) -> None:
    sources, _ = load("@inproceedings{c, booktitle = {Own}, crossref = {p}}\n@proceedings{p, title = {Parent}}")
    assert sources["c"].fields["booktitle"] == "Own"


def test_dangling_crossref_is_a_warning(load: Loader) -> None:
    sources, diags = load("@inproceedings{green75,\n  title = {T},\n  crossref = {IJCAI85}}")
    assert sources["green75"].fields["title"] == "T"
    [diag] = diags
    assert diag.severity is Severity.WARNING
    assert str(diag.location) == "bib/refs.bib:1"
    assert "green75" in diag.message and "IJCAI85" in diag.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("@misc{a, crossref = {a}}", id="self"),
        pytest.param("@misc{a, crossref = {b}, title = {A}}\n@misc{b, crossref = {A}, year = 2000}", id="two_entries"),
        pytest.param("@misc{a, crossref = {b}}\n@misc{b, crossref = {c}}\n@misc{c, crossref = {a}}", id="three"),
    ],
)
def test_circular_crossref_is_an_error_and_terminates(load: Loader, text: str) -> None:
    sources, diags = load(text)
    assert "a" in sources
    [diag] = errors(diags)
    assert "circular crossref" in diag.message and "a" in diag.message
    assert str(diag.location) == "bib/refs.bib:1"


def test_crossref_chain_into_cycle_still_inherits(load: Loader) -> None:
    sources, diags = load("@misc{a, crossref = {b}, title = {A}}\n@misc{b, crossref = {a}, year = 2000}")
    assert sources["a"].fields["year"] == "2000"
    assert sources["b"].fields["booktitle"] == "A"
    assert len(errors(diags)) == 1


# -- keys and structure ----------------------------------------------------------


def test_duplicate_key_reported_with_both_locations(load: Loader) -> None:
    sources, diags = load("@book{dup, title = {First}}\n\n@book{dup, title = {Second}}\n")
    assert sources["dup"].fields["title"] == "First"
    [diag] = diags
    assert diag.severity is Severity.ERROR
    assert str(diag.location) == "bib/refs.bib:3"
    assert "dup" in diag.message and "bib/refs.bib:1" in diag.message


def test_key_differing_only_by_case_is_an_error(load: Loader) -> None:
    sources, diags = load("@book{Smith2020, title = {First}}\n@book{smith2020, title = {Second}}\n")
    assert list(sources) == ["Smith2020"]
    assert sources["Smith2020"].fields["title"] == "First"
    [diag] = errors(diags)
    assert str(diag.location) == "bib/refs.bib:2"
    assert "smith2020" in diag.message and "Smith2020" in diag.message


def test_duplicate_key_across_files_first_file_wins(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@book{k, title = {A}}\n")
    (tmp_path / "b.bib").write_text("\n@book{K, title = {B}}\n")
    sources, diags = load_library([tmp_path / "a.bib", tmp_path / "b.bib"], tmp_path)
    assert sources["k"].fields["title"] == "A"
    [diag] = diags
    assert str(diag.location) == "b.bib:2" and "a.bib:1" in diag.message


def test_macros_are_shared_across_files(tmp_path: Path) -> None:
    (tmp_path / "strings.bib").write_text("@string{jtb = {TUGboat}}\n")
    (tmp_path / "refs.bib").write_text("@article{k, journal = jtb}\n")
    sources, diags = load_library([tmp_path / "strings.bib", tmp_path / "refs.bib"], tmp_path)
    assert diags == []
    assert sources["k"].fields["journal"] == "TUGboat"


def test_duplicate_field_is_a_warning_first_value_wins(load: Loader) -> None:
    sources, diags = load("@book{k,\n  title = {One},\n  Title = {Two}}")
    assert sources["k"].fields["title"] == "One"
    [diag] = diags
    assert diag.severity is Severity.WARNING
    assert str(diag.location) == "bib/refs.bib:3" and "title" in diag.message


def test_source_location_and_paren_entries(load: Loader) -> None:
    sources, diags = load("% comment\n\n@Book(paren,\n  title = {P})\nstray text\n@misc{brace, title = {B}}\n")
    assert diags == []
    assert str(sources["paren"].location) == "bib/refs.bib:3"
    assert str(sources["brace"].location) == "bib/refs.bib:6"


GOOD = "\n\n@book{good, title = {Good}}\n"


@pytest.mark.parametrize(
    ("broken", "line"),
    [
        pytest.param("@book{broken,\n  title = {Unclosed,\n  year = 2000\n", 1, id="unclosed_brace"),
        pytest.param('@book{broken,\n  title = "Unclosed,\n  year = 2000}\n', 1, id="unclosed_quote"),
        pytest.param("@book{broken,\n  title {A},\n  year = 2000}\n", 1, id="missing_equals"),
        pytest.param("@book{broken\n  title = {A}}\n", 1, id="missing_comma_after_key"),
        pytest.param("@book(broken,\n  title = {A}\n", 1, id="unclosed_paren_entry"),
        pytest.param("@book{broken,\n  title = {A}\n  year = 2000}\n", 2, id="missing_comma_between_fields"),
        pytest.param("@string{foo {bar}}\n", 1, id="broken_string"),
    ],
)
def test_broken_entry_is_reported_and_others_load(load: Loader, broken: str, line: int) -> None:
    sources, diags = load("@book{before, title = {Before}}\n\n" + broken + GOOD)
    assert {"before", "good"} <= set(sources)
    [diag] = errors(diags)
    assert diag.location.line == line + 2
    assert diag.location.path == "bib/refs.bib"
    assert "broken" in diag.message or "foo" in diag.message
    assert diag.hint


def test_entry_without_key_is_reported(load: Loader) -> None:
    sources, diags = load("@book{, title = {No key}}\n@book{good, title = {G}}")
    assert list(sources) == ["good"]
    [diag] = errors(diags)
    assert diag.location.line == 1 and "without a citekey" in diag.message


# -- encodings and files -----------------------------------------------------------


def test_utf8_bom_is_stripped(load: Loader) -> None:
    sources, diags = load(b"\xef\xbb\xbf@book{bom, title = {\xc3\x9cber}}\n")
    assert diags == []
    assert list(sources) == ["bom"]
    assert sources["bom"].fields["title"] == "Über"


def test_crlf_and_cr_line_endings(load: Loader) -> None:
    sources, diags = load(b"% header\r\n\r\n@book{a,\r\n  title = {A\r\n  B}}\r\n\r@book{b, title = {B}}\r")
    assert diags == []
    assert sources["a"].fields["title"] == "A B"
    assert sources["a"].location.line == 3
    assert sources["b"].location.line == 7


def test_latin1_file_is_read_with_a_warning(load: Loader) -> None:
    sources, diags = load("% header\n@book{m, author = {Müller, Jürgen}}\n".encode("latin-1"), name="old.bib")
    assert sources["m"].fields["author"] == "Müller, Jürgen"
    [diag] = diags
    assert diag.severity is Severity.WARNING
    assert "old.bib" in diag.message and "UTF-8" in diag.message
    assert str(diag.location) == "bib/old.bib:2"


@pytest.mark.parametrize("name", [pytest.param("missing.bib", id="missing_file"), pytest.param(".", id="directory")])
def test_unreadable_file_is_an_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "ok.bib").write_text("@book{ok, title = {OK}}")
    sources, diags = load_library([tmp_path / name, tmp_path / "ok.bib"], tmp_path)
    assert list(sources) == ["ok"]
    [diag] = diags
    assert diag.severity is Severity.ERROR and diag.location.line == 0


def test_empty_file(load: Loader) -> None:
    assert load("") == ({}, [])


def test_deterministic(load: Loader) -> None:
    text = "@book{b, title = X}\n@book{a, title = {A}, crossref = {zz}}\n@book{A, title = {dup}}"
    assert load(text) == load(text)


# -- real libraries ------------------------------------------------------------------

REAL_FILES = [
    "bbt-873-paren-entries.bib",
    "biblatex-examples.bib",
    "jabref-complex.bib",
    "jabref-jabref-authors.bib",
    "tugboat.bib",
    "xampl.bib",
]
#: Exact entry counts stated in SOURCES.md.
STATED_COUNTS = {"biblatex-examples.bib": 92, "tugboat.bib": 3644, "jabref-jabref-authors.bib": 212}


def test_sources_md_states_the_counts_used_here() -> None:
    text = (REAL_BIB / "SOURCES.md").read_text(encoding="utf-8")
    for name, count in STATED_COUNTS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| {name} "))
        assert re.search(rf"\b{count} entries\b", row), name


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_library_loads(name: str) -> None:
    path = REAL_BIB / name
    sources, diags = load_library([path], REAL_BIB)
    assert len(sources) > 0
    if name in STATED_COUNTS:
        assert len(sources) == STATED_COUNTS[name]
    if name != "bbt-873-paren-entries.bib":
        assert errors(diags) == []
    # Nothing is dropped silently: every entry block is a source or an error.
    text = path.read_bytes().decode("utf-8", errors="replace")
    blocks = bibtexparser.parse_string(text, parse_stack=[]).blocks
    entry_blocks = [b for b in blocks if isinstance(b, (bm.Entry, bm.DuplicateFieldKeyBlock))
                    or isinstance(b, bm.DuplicateBlockKeyBlock) and isinstance(b.ignore_error_block, bm.Entry)]
    dropped = [d for d in errors(diags) if "duplicate key" in d.message or "differs only by case" in d.message]
    assert len(entry_blocks) == len(sources) + len(dropped)


def test_xampl_crossref_upper_case_and_bare_months() -> None:
    sources, _ = load_library([REAL_BIB / "xampl.bib"], REAL_BIB)
    child = sources["article-crossref"].fields
    assert child["journal"] == "\\mbox{G-Animal's} Journal"
    assert child["month"] == "July"
    assert sources["inproceedings-crossref"].fields["booktitle"] == (
        "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing"
    )


def test_bbt_paren_entries_duplicates_and_undefined_macros() -> None:
    sources, diags = load_library([REAL_BIB / "bbt-873-paren-entries.bib"], REAL_BIB)
    assert len(sources) >= 594
    messages = [d.message for d in diags]
    assert any("undefined macro 'AAAI-91'" in m for m in messages)
    assert any("duplicate key" in m for m in messages)
    assert any("crossref to unknown entry" in m for m in messages)
