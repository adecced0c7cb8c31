"""Tests for build_scripts.library.bib: macros, LaTeX, crossrefs, duplicates, broken input, real libraries."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import model as bm

from build_scripts.library import bib
from build_scripts.library.bib import MAX_FIELD_CHARS, load_library
from build_scripts.library.latex import decode_latex
from build_scripts.model import Diagnostic, Severity, Source

from .conftest import REAL_LIBRARIES, cli, real_bib

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
    assert "AAAI-91" in diag.message
    assert "mcallester91" in diag.message


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
    assert str(diag.location) == "bib/refs.bib:3"  # the crossref field
    assert "green75" in diag.message
    assert "IJCAI85" in diag.message


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
    assert "circular crossref" in diag.message
    assert "a" in diag.message
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
    assert "dup" in diag.message
    assert "bib/refs.bib:1" in diag.message


def test_duplicate_key_across_files_first_file_wins(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@book{k, title = {A}}\n")
    (tmp_path / "b.bib").write_text("\n@book{K, title = {B}}\n")
    sources, diags = load_library([tmp_path / "a.bib", tmp_path / "b.bib"], tmp_path)
    assert sources["k"].fields["title"] == "A"
    [diag] = diags
    assert str(diag.location) == "b.bib:2"
    assert "a.bib:1" in diag.message


def test_macros_are_shared_across_files(tmp_path: Path) -> None:
    (tmp_path / "strings.bib").write_text("@string{jtb = {TUGboat}}\n")
    (tmp_path / "refs.bib").write_text("@article{k, journal = jtb}\n")
    sources, diags = load_library([tmp_path / "strings.bib", tmp_path / "refs.bib"], tmp_path)
    assert diags == []
    assert sources["k"].fields["journal"] == "TUGboat"


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


# -- encodings and files -----------------------------------------------------------


@pytest.mark.parametrize("name", [pytest.param("missing.bib", id="missing_file"), pytest.param(".", id="directory")])
def test_unreadable_file_is_an_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "ok.bib").write_text("@book{ok, title = {OK}}")
    sources, diags = load_library([tmp_path / name, tmp_path / "ok.bib"], tmp_path)
    assert list(sources) == ["ok"]
    [diag] = diags
    assert diag.severity is Severity.ERROR
    assert diag.location.line == 0


def test_empty_file(load: Loader) -> None:
    assert load("") == ({}, [])


def test_deterministic(load: Loader) -> None:
    text = "@book{b, title = X}\n@book{a, title = {A}, crossref = {zz}}\n@book{A, title = {dup}}"
    assert load(text) == load(text)


# -- hostile input: every problem a diagnostic with file and line -------------------

#: (file content, expected sources {key: (line, fields they must have)}, expected diagnostics
#: [(line, severity, words the message must contain)], in the order they are reported).
HOSTILE = [
    pytest.param(
        "% header\n@book{m, author = {Müller, Jürgen}}\n".encode("latin-1"),
        {"m": (2, {"author": "Müller, Jürgen"})},
        [(2, "warning", "refs.bib is not valid UTF-8", "Latin-1")],
        id="latin1_file",
    ),
    pytest.param(
        b"@book{q,\n  title = {\x93Quoted\x94 \x96 dash}}\n",
        {"q": (1, {"title": "\u201cQuoted\u201d \u2013 dash"})},
        [(2, "warning", "not valid UTF-8", "Windows-1252")],
        id="windows1252_smart_quotes",
    ),
    pytest.param(
        b"\xef\xbb\xbf@book{bom, title = {\xc3\x9cber}}\n", {"bom": (1, {"title": "Über"})}, [], id="utf8_bom"
    ),
    pytest.param(
        "@book{u, title = {Über}}\n\n@book{U, title = {x}}\n".encode("utf-16"),
        {"u": (1, {"title": "Über"})},
        [(1, "warning", "UTF-16"), (3, "error", "'U'", "differs only by case")],
        id="utf16_bom",
    ),
    pytest.param(
        b"% header\r\n\r\n@book{a,\r\n  title = {A\r\n  B}}\r\n\r\n@book{A, title = {B}}\r\n",
        {"a": (3, {"title": "A B"})},
        [(7, "error", "differs only by case", "refs.bib:3")],
        id="crlf_line_ends",
    ),
    pytest.param(
        b"% header\r\r@book{a,\r  title = {A\r  B}}\r\r@book{A, title = {B}}\r",
        {"a": (3, {"title": "A B"})},
        [(7, "error", "differs only by case", "refs.bib:3")],
        id="cr_only_line_ends",
    ),
    pytest.param(
        b"@book{a, title = {A}}\r\n\r@book{b,\n title = {B}}\r\n@book{A}\n",
        {"a": (1, {}), "b": (3, {})},
        [(5, "error", "'A'", "differs only by case")],
        id="mixed_line_ends",
    ),
    pytest.param(
        "@misc{a, title = {one \\\\\n two \\\n three}}\n@misc{a, title = {x}}\n",
        {"a": (1, {"title": "one \\\\ two \\ three"})},
        [(4, "error", "'a': duplicate key")],
        id="backslash_at_line_end_keeps_line_count",
    ),
    pytest.param(
        "@book{Smith2020, title = {First}}\n@book{smith2020, title = {Second}}\n",
        {"Smith2020": (1, {"title": "First"})},
        [(2, "error", "'smith2020'", "differs only by case from 'Smith2020'", "refs.bib:1")],
        id="keys_differ_only_by_case_first_wins",
    ),
    pytest.param(
        "@book{dup, title = {First}}\n\n@book{dup, title = {Second}}\n",
        {"dup": (1, {"title": "First"})},
        [(3, "error", "'dup': duplicate key", "refs.bib:1")],
        id="duplicate_key_first_wins",
    ),
    pytest.param(
        "@book{good, title = {G}}\n\n@article{, title={x}}\n",
        {"good": (1, {})},
        [(3, "error", "@article entry without a citekey")],
        id="empty_key",
    ),
    pytest.param("@article( ,\n title={x})\n", {}, [(1, "error", "without a citekey")], id="empty_key_paren_entry"),
    pytest.param("@{k, title = {x}}\n", {}, [(1, "error", "'k'", "without a type")], id="empty_entry_type"),
    pytest.param(
        "@book{k,\n  title = {One},\n  Title = {Two}}",
        {"k": (1, {"title": "One"})},
        [(3, "warning", "'k'", "field 'title' given twice", "first is used")],
        id="duplicate_field_first_wins",
    ),
    pytest.param(
        "@misc{k,\n  title = {a\x00b\x1b[31mred\x07},\n  note = {ok}}",
        {"k": (1, {"title": "ab[31mred", "note": "ok"})},
        [(2, "warning", "U+0000, U+0007, U+001B", "field 'title' of 'k'")],
        id="control_chars_in_value",
    ),
    pytest.param(
        "@misc{k\x1b, title = {t}}\n",
        {"k": (1, {"title": "t"})},
        [(1, "warning", "U+001B", "citekey 'k'")],
        id="control_char_in_key",
    ),
    pytest.param(
        "@misc{k,\n ti\x00tle = {t}}\n",
        {"k": (1, {"title": "t"})},
        [(2, "warning", "U+0000", "field name of 'k'")],
        id="control_char_in_field_name",
    ),
    pytest.param(
        "@string{p = {P\x7f\x85}}\n@misc{k, publisher = p}\n",
        {"k": (2, {"publisher": "P"})},
        [(1, "warning", "U+007F, U+0085", "@string 'p'")],
        id="control_chars_in_string",
    ),
    pytest.param(
        "\x00@misc{a, title = {A}}\n\x0c\n\x1b@misc{b, title = {B}}\n",
        {"a": (1, {}), "b": (3, {})},
        [],
        id="control_chars_between_entries_are_harmless",
    ),
    pytest.param(
        "@inproceedings{m,\n  booktitle = AAAI-91,\n  year = 1991}",
        {"m": (1, {"booktitle": "AAAI-91"})},
        [(2, "warning", "undefined macro 'AAAI-91'", "'m'")],
        id="undefined_macro",
    ),
    pytest.param(
        "@misc{k,\n  title = {A} B}",
        {"k": (1, {"title": "{A} B"})},
        [(2, "error", "malformed value", "'k'")],
        id="value_not_literal_or_macro",
    ),
    pytest.param(
        "@misc{k,\n  title = {A} # }",
        {"k": (1, {"title": "A"})},
        [(2, "error", "'#' without a value", "'k'")],
        id="hash_without_operand",
    ),
    pytest.param(
        "@inproceedings{green75,\n  title = {T},\n  crossref = {IJCAI85}}",
        {"green75": (1, {"title": "T"})},
        [(3, "warning", "'green75': crossref to unknown entry 'IJCAI85'")],
        id="dangling_crossref",
    ),
    pytest.param(
        "@inproceedings{c, crossref = {BigBook}}\n@book{bigbook, title = {Big}, year = 1999}",
        {"c": (1, {"booktitle": "Big", "year": "1999"}), "bigbook": (2, {})},
        [],
        id="crossref_matched_case_insensitively",
    ),
    pytest.param(
        "@misc{a,\n  crossref = {b}}\n@misc{b, crossref = {A}}",
        {"a": (1, {}), "b": (3, {})},
        [(2, "error", "circular crossref: a -> b -> a")],
        id="circular_crossref",
    ),
    pytest.param(
        "@misc{k,\n  = {x}, title = {t}}",
        {"k": (1, {"title": "t"})},
        [(2, "error", "'k': field name '' is not valid")],
        id="field_without_name",
    ),
    pytest.param(
        "@string{ = {x}}\n@misc{k}",
        {"k": (2, {})},
        [(1, "error", "@string name '' is not valid")],
        id="string_without_name",
    ),
    pytest.param(
        "@misc{a b, title = {x}}",
        {"a b": (1, {})},
        [(1, "warning", "'a b' contains whitespace")],
        id="key_with_whitespace",
    ),
    pytest.param(
        "@misc{ok, title = {x}}\n@ misc{lost, title = {x}}\n@my-type{lost2, title = {y}}\n",
        {"ok": (1, {})},
        [(2, "error", "'@ misc{'", "not read as"), (3, "error", "'@my-type{'", "not read as")],
        id="entry_start_not_recognised",
    ),
]


@pytest.mark.parametrize(("content", "expected_sources", "expected_diags"), HOSTILE)
def test_hostile_input_is_reported_by_line(
    load: Loader, content: str | bytes, expected_sources: dict, expected_diags: list[tuple]
) -> None:
    sources, diags = load(content)
    got = {
        key: (src.location.line, {f: src.fields.get(f) for f in expected_sources.get(key, (0, {}))[1]})
        for key, src in sources.items()
    }
    assert got == expected_sources
    assert [(d.location.line, d.severity.value) for d in diags] == [e[:2] for e in expected_diags], diags
    for diag, (_, _, *words) in zip(diags, expected_diags, strict=False):
        assert diag.location.path == "bib/refs.bib"
        assert all(w in str(diag) for w in words), (str(diag), words)
        assert diag.hint
    for src in sources.values():  # nothing invisible is passed on
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", src.key + "".join(src.fields.values()))


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("@misc{big, title = {" + "word " * 40_000 + "}}\n", id="braced"),
        pytest.param('@misc{big, title = "' + "word " * 40_000 + '"}\n', id="quoted"),
        pytest.param("@misc{big, title = {" + "{" * 60_000 + "x" + "}" * 60_000 + "}}\n", id="deeply_nested"),
    ],
)
def test_very_large_field_is_cut_with_a_warning(load: Loader, content: str) -> None:
    sources, diags = load(content)
    title = sources["big"].fields["title"]
    assert len(title) <= MAX_FIELD_CHARS + 60_000  # cut, then the open braces closed
    assert title.count("{") == title.count("}")
    [diag] = diags
    assert (diag.location.line, diag.severity) == (1, Severity.WARNING)
    assert "field 'title' of 'big'" in diag.message
    assert "100,000" in diag.message


def test_macros_doubling_in_size_stay_bounded(load: Loader) -> None:
    strings = "".join(f"@string{{m{i} = m{i - 1} # m{i - 1}}}\n" for i in range(1, 40))
    sources, diags = load("@string{m0 = {0123456789}}\n" + strings + "@misc{k, title = m39 # m39 # m39}\n")
    assert len(sources["k"].fields["title"]) == MAX_FIELD_CHARS
    cut = [d for d in diags if "is longer than" in d.message]
    assert cut
    assert all(d.severity is Severity.WARNING for d in diags)
    assert cut[-1].location.line == 41
    assert "field 'title' of 'k'" in cut[-1].message


def test_100k_levels_of_braces_do_not_recurse(load: Loader) -> None:
    levels = 100_000
    text = "@misc{deep, title = " + "{" * levels + "x" + "}" * levels + ",\n  note = {ok}}\n@misc{after}\n"
    sources, diags = load(text)
    assert set(sources) == {"deep", "after"}
    assert sources["after"].location.line == 3
    assert [d.location.line for d in diags] == [1]
    assert "is longer than" in diags[0].message
    assert decode_latex(sources["deep"].fields["title"]) == "x"
    unclosed, diags = load("@misc{deep, title = " + "{" * levels + "x\n@misc{after}\n")
    assert list(unclosed) == ["after"]
    assert [(d.location.line, d.severity) for d in diags] == [(1, Severity.ERROR)]


def test_long_crossref_chain_is_linear(load: Loader) -> None:
    n = 3000
    text = "".join(f"@misc{{e{i}, crossref = {{e{i + 1}}}}}\n" for i in range(n)) + f"@book{{e{n}, year = 1999}}\n"
    sources, diags = load(text)
    assert diags == []
    assert sources["e0"].fields["year"] == "1999"


def test_big_file_stays_within_memory_bounds(tmp_path: Path) -> None:
    """A 4 MB file (tugboat.bib's entries, keys renamed) loads in a few times its size.

    A 50 MB file peaks at about 7.5x its size (bibtexparser sees one 1 MB piece at a time).
    """
    text = (real_bib() / "tugboat.bib").read_text(encoding="utf-8")
    path = tmp_path / "big.bib"
    path.write_text(text + re.sub(r"(@Article\{[^,]+),", r"\1-copy,", text.replace("@String", "@Comment")))
    script = (
        "import resource, sys; from pathlib import Path; from build_scripts.library.bib import load_library;"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        "sources, diags = load_library([Path(sys.argv[1])], Path(sys.argv[1]).parent);"
        "print(len(sources), len(diags), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    entries, problems, grown_kb = map(int, done.stdout.split())
    assert (entries, problems) == (2 * 3644, 0)
    assert grown_kb * 1024 < 16 * path.stat().st_size, f"grew {grown_kb} kB for {path.stat().st_size} bytes"


def test_pieces_give_the_same_result_as_one_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Big files are parsed piece by piece; cutting them anywhere bibtexparser cuts changes nothing."""
    paths = [real_bib() / name for name in REAL_LIBRARIES]
    whole = load_library(paths, real_bib())
    monkeypatch.setattr(bib, "_CHUNK_CHARS", 1)  # a piece per entry
    assert load_library(paths, real_bib()) == whole


def test_oversized_file_is_refused(monkeypatch: pytest.MonkeyPatch, load: Loader) -> None:
    monkeypatch.setattr(bib, "MAX_FILE_BYTES", 10)
    sources, [diag] = load("@misc{k, title = {long enough}}")
    assert sources == {}
    assert diag.severity is Severity.ERROR
    assert "larger than" in diag.message


# -- real libraries ------------------------------------------------------------------

#: Exact entry counts stated in SOURCES.md.
STATED_COUNTS = {"biblatex-examples.bib": 92, "tugboat.bib": 3644, "jabref-jabref-authors.bib": 212}
#: Entries loaded from each file: SOURCES.md, or counted by hand (jabref-complex: 13 @inproceedings,
#: 5 @article, 1 @phdthesis, 1 @book; xampl: 36 entries; bbt-873: 988 entries, 14 of them repeat a key).
ENTRY_COUNTS = {**STATED_COUNTS, "jabref-complex.bib": 20, "xampl.bib": 36, "bbt-873-paren-entries.bib": 974}
#: @string blocks in each file.
MACRO_COUNTS = {
    "biblatex-examples.bib": 8,
    "jabref-complex.bib": 2,
    "tugboat.bib": 3,
    "xampl.bib": 3,
    "bbt-873-paren-entries.bib": 0,
    "jabref-jabref-authors.bib": 0,
}
#: The genuine duplicate keys of bbt-873: (line of the repeat, key, line of the first).
BBT_DUPLICATES = [
    (866, "Schank:80", 161), (936, "Wilks:76", 171), (946, "Rieger:75", 182), (1582, "Brachman:79", 514),
    (1875, "Rich:83", 1821), (2181, "Barrow:81", 1223), (3018, "Lebowitz:1983", 3008),
    (3741, "Nevins:1974", 3732), (3810, "Porto:1980", 3799), (4582, "Riseman:1977", 4573),
    (5608, "dean85", 5601), (6024, "Sandewall:92", 6014), (6132, "Etzioni:Softbots", 6113),
    (7863, "Bergmann:95", 7363),
]  # fmt: skip
#: BerleantKuipers:97 (line 10301) gives `keywords` six times, at lines 10315-10320.
BBT_DUPLICATE_FIELDS = [10316, 10317, 10318, 10319, 10320]

_KINDS = {
    "undefined macro": "undefined macro", "crossref to unknown entry": "dangling crossref",
    "duplicate key": "duplicate key", "differs only by case": "duplicate key",
    "given twice": "duplicate field", "circular crossref": "circular crossref",
}  # fmt: skip


def kind(diag: Diagnostic) -> str:
    return next((k for text, k in _KINDS.items() if text in diag.message), diag.message)


def bbt_expected_problems() -> set[tuple[int, str]]:
    """The problems of bbt-873, found independently of the loader, by reading the file line by line.

    It defines no @string: every bare value (or `#` operand) other than a number or a month
    is an undefined macro; a crossref is dangling when no entry has that key (ignoring case).
    The fields of an entry dropped for its repeated key are not looked at.
    """
    lines = (real_bib() / "bbt-873-paren-entries.bib").read_text(encoding="utf-8").split("\n")
    entry_start = re.compile(r"^\s*@\s*(\w+)\s*[({]\s*([^,\s]+)\s*,")
    bare = re.compile(r"(?:^\s*\w+\s*=|[}\"]\s*#)\s*([^\s,{}\"#()]+)")  # not the `#` in a URL
    keys = {m.group(2).lower() for line in lines if (m := entry_start.match(line))}
    dropped = {line for line, _, _ in BBT_DUPLICATES}
    problems, entry = set(), 0
    for number, line in enumerate(lines, 1):
        if entry_start.match(line):
            entry = number
        if entry in dropped:
            continue
        for word in bare.findall(line):
            if not word.isdigit() and word.lower() not in bib.MONTHS:
                problems.add((number, "undefined macro"))
        m = re.match(r"^\s*crossref\s*=\s*[\"{]?([^\"},]+)", line, re.IGNORECASE)
        if m and m.group(1).strip().lower() not in keys:
            problems.add((number, "dangling crossref"))
    problems |= {(line, "duplicate key") for line, _, _ in BBT_DUPLICATES}
    problems |= {(line, "duplicate field") for line in BBT_DUPLICATE_FIELDS}
    return problems


def test_sources_md_states_the_counts_used_here() -> None:
    text = (real_bib() / "SOURCES.md").read_text(encoding="utf-8")
    for name, count in STATED_COUNTS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| {name} "))
        assert re.search(rf"\b{count} entries\b", row), name
    row = next(line for line in text.splitlines() if line.startswith("| bbt-873-paren-entries.bib "))
    assert "594 `@type(...)` parenthesis-delimited entries" in row


@pytest.mark.parametrize("name", REAL_LIBRARIES)
def test_real_library_loads_with_exact_counts_and_problems(name: str) -> None:
    path = real_bib() / name
    sources, diags = load_library([path], real_bib())
    assert len(sources) == ENTRY_COUNTS[name]
    assert all(d.location.path == name and d.location.line > 0 and d.hint for d in diags)
    problems = [(d.location.line, kind(d)) for d in diags]
    assert len(problems) == len(set(problems)), "a problem is reported twice"
    assert set(problems) == (bbt_expected_problems() if name.startswith("bbt") else set())
    # Every entry is where the loader says it is.
    lines = path.read_text(encoding="utf-8").split("\n")
    for key, src in sources.items():
        assert re.match(rf"\s*@\w+\s*[{{(]\s*{re.escape(key)}\s*,", lines[src.location.line - 1]), key
    # Nothing is dropped silently: every entry block is a source or an error.
    blocks = bibtexparser.parse_string(path.read_text(encoding="utf-8"), parse_stack=[]).blocks
    entry_blocks = [
        b
        for b in blocks
        if isinstance(b, (bm.Entry, bm.DuplicateFieldKeyBlock))
        or (isinstance(b, bm.DuplicateBlockKeyBlock) and isinstance(b.ignore_error_block, bm.Entry))
    ]
    dropped = [d for d in errors(diags) if kind(d) == "duplicate key"]
    assert len(entry_blocks) == len(sources) + len(dropped)


def test_bbt_problems_by_line() -> None:
    sources, diags = load_library([real_bib() / "bbt-873-paren-entries.bib"], real_bib())
    dups = [(d.location.line, d.message) for d in diags if kind(d) == "duplicate key"]
    assert dups == [
        (line, f"'{key}': duplicate key (first defined at bbt-873-paren-entries.bib:{first})")
        for line, key, first in BBT_DUPLICATES
    ]
    for _, key, first in BBT_DUPLICATES:
        assert sources[key].location.line == first  # the first one is kept
    assert [d.location.line for d in diags if kind(d) == "duplicate field"] == BBT_DUPLICATE_FIELDS
    assert sources["BerleantKuipers:97"].fields["keywords"] == "Qualitative"
    by_kind = Counter(kind(d) for d in diags)
    assert by_kind == {"undefined macro": 276, "dangling crossref": 129, "duplicate key": 14, "duplicate field": 5}
    assert errors(diags) == [d for d in diags if kind(d) == "duplicate key"]
    messages = {(d.location.line, d.message) for d in diags}
    assert (121, "undefined macro 'AAAI-91' in field 'booktitle' of 'McAllester:91'") in messages
    assert (123, "'McAllester:91': crossref to unknown entry 'AAAI91'") in messages
    assert (157, "undefined macro 'ERLBAUM' in field 'publisher' of 'Scripts'") in messages
    # The 594 parenthesis-delimited entries all load (but for the repeated keys).
    text = (real_bib() / "bbt-873-paren-entries.bib").read_text(encoding="utf-8")
    paren = re.findall(r"^\s*@\s*\w+\s*\(\s*([^,\s]+)\s*,", text, re.MULTILINE)
    assert len(paren) == 594
    assert set(paren) <= set(sources)


def test_xampl_crossref_upper_case_and_bare_months() -> None:
    sources, _ = load_library([real_bib() / "xampl.bib"], real_bib())
    child = sources["article-crossref"].fields
    assert child["journal"] == "\\mbox{G-Animal's} Journal"
    assert child["month"] == "July"
    assert sources["inproceedings-crossref"].fields["booktitle"] == (
        "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing"
    )


# -- check-bib -------------------------------------------------------------------------


def test_summarise_counts_per_file() -> None:
    summaries, diags = bib.summarise([real_bib() / name for name in REAL_LIBRARIES], real_bib())
    assert [(s.path, s.entries, s.macros) for s in summaries] == [
        (name, ENTRY_COUNTS[name], MACRO_COUNTS[name]) for name in REAL_LIBRARIES
    ]
    assert sum(s.problems for s in summaries) == len(diags) == 424
    assert str(summaries[0]) == "bbt-873-paren-entries.bib: 974 entries, 0 @string macros, 424 problems"


def test_check_bib_over_the_real_libraries(tmp_path: Path) -> None:
    done = cli(real_bib(), "check-bib", *(str(real_bib() / name) for name in REAL_LIBRARIES))
    assert "Traceback" not in done.stderr
    assert done.returncode == 1  # bbt-873 has duplicate keys
    assert done.stdout.splitlines() == [
        f"{name}: {ENTRY_COUNTS[name]} entries, {MACRO_COUNTS[name]} @string macros, "
        f"{424 if name.startswith('bbt') else 0} problems"
        for name in REAL_LIBRARIES
    ] + ["total: 6 files, 4978 entries, 16 @string macros, 424 problems"]
    diagnostics = done.stderr.splitlines()
    assert len(diagnostics) == 425
    assert diagnostics[-1] == "14 error(s), 410 warning(s)"
    assert (
        "bbt-873-paren-entries.bib:866: error: 'Schank:80': duplicate key (first defined at "
        "bbt-873-paren-entries.bib:161)"
    ) in done.stderr
    assert all(re.match(r"bbt-873-paren-entries\.bib:\d+: (error|warning): ", line) for line in diagnostics[:-1])


@pytest.mark.parametrize(
    ("content", "args", "status"),
    [
        pytest.param("@misc{k, title = {T}}\n", [], 0, id="clean"),
        pytest.param("@misc{k, title = T}\n", [], 0, id="warning"),
        pytest.param("@misc{k, title = T}\n", ["--strict"], 1, id="warning_strict"),
        pytest.param("@misc{k, title = {T}}\n@misc{K}\n", [], 1, id="error"),
    ],
)
def test_check_bib_exit_status(tmp_path: Path, content: str, args: list[str], status: int) -> None:
    (tmp_path / "refs.bib").write_text(content, encoding="utf-8")
    done = cli(tmp_path, "check-bib", *args, "refs.bib")  # no mkdocs.yml needed
    assert done.returncode == status, done.stderr
    assert done.stdout.startswith("refs.bib: 1 entries, 0 @string macros, ")


def test_check_bib_missing_file_and_usage(tmp_path: Path) -> None:
    done = cli(tmp_path, "check-bib", "nope.bib")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith("nope.bib: 0 entries, 0 @string macros, 1 problems")
    assert "nope.bib: error: bibliography file not found" in done.stderr
    assert cli(tmp_path, "check-bib").returncode == 2
