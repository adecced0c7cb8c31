"""Tests for build_scripts.citations.metadata and build_scripts.citations.bibtex_ris: COinS, Highwire, BibTeX and RIS from CSL-JSON items."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl

import bibtexparser
import pytest

from build_scripts.citations.bibtex_ris import bibtex, ris
from build_scripts.citations.csl_json import to_csl
from build_scripts.citations.metadata import coins, highwire_reference, page_item
from build_scripts.citations.rich_text import unmarked
from build_scripts.library.latex import decode_latex
from build_scripts.model import Location, Source

HOSTILE = '"<script>alert(1)</script>" & "quotes"'

ARTICLE = {
    "id": "baev2021", "type": "article-journal",
    "title": "Russia and China: A Mutually Exaggerated Strategic Partnership?",
    "author": [{"family": "Baev", "given": "Pavel K."}, {"family": "Lo", "given": "Bobo"}],
    "container-title": "China Brief", "volume": "21", "issue": "20", "page": "100-115",
    "issued": {"date-parts": [[2021, 10, 5]]}, "DOI": "10.1234/cb.21.20", "ISSN": "1555-8614",
    "URL": "https://jamestown.org/cb/21-20",
}  # fmt: skip
BOOK = {
    "id": "lo2008", "type": "book", "title": "Axis of Convenience",
    "author": [{"family": "Lo", "given": "Bobo"}], "publisher": "Brookings Institution Press",
    "publisher-place": "Washington, DC", "issued": {"date-parts": [[2008]]}, "ISBN": "9780815753384",
}  # fmt: skip
CHAPTER = {
    "id": "wishnick2018", "type": "chapter", "title": "Russia’s Pivot to Asia",
    "author": [{"family": "Wishnick", "given": "Elizabeth"}],
    "container-title": "The Oxford Handbook of Russian Foreign Policy", "page": "100–115",
    "publisher": "Oxford University Press", "issued": {"date-parts": [[2018]]},
}  # fmt: skip
WEBPAGE = {
    "id": "joint2022", "type": "webpage", "title": "Joint Statement", "container-title": "Kremlin",
    "issued": {"date-parts": [[2022, 2]]}, "URL": "http://en.kremlin.ru/supplement/5770",
}  # fmt: skip


def kev(span: str) -> list[tuple[str, str]]:
    """The decoded KEV pairs of a COinS span, checking its shape on the way."""
    match = re.fullmatch(r'<span class="Z3988" title="([^"<>]*)"></span>', span)
    assert match, span
    attribute = match.group(1)
    assert not re.search(r"&(?!amp;)", attribute), "bare & in the attribute"
    return parse_qsl(html.unescape(attribute), strict_parsing=True)


def balanced(value: str) -> bool:
    """Whether braces balance the way BibTeX counts them (a backslash escapes nothing)."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def source(key: str, entry_type: str, **fields: str) -> Source:
    return Source(key, entry_type, fields, Location("refs.bib", 1))


# -- COinS ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        pytest.param(ARTICLE, [
            ("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
            ("rft_id", "info:doi/10.1234/cb.21.20"), ("rft_id", "https://jamestown.org/cb/21-20"),
            ("rft.genre", "article"), ("rft.atitle", ARTICLE["title"]), ("rft.jtitle", "China Brief"),
            ("rft.aulast", "Baev"), ("rft.aufirst", "Pavel K."),
            ("rft.au", "Baev, Pavel K."), ("rft.au", "Lo, Bobo"), ("rft.date", "2021-10-05"),
            ("rft.volume", "21"), ("rft.issue", "20"), ("rft.spage", "100"), ("rft.epage", "115"),
            ("rft.issn", "1555-8614"),
        ], id="article"),
        pytest.param(BOOK, [
            ("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
            ("rft_id", "urn:isbn:9780815753384"), ("rft.genre", "book"), ("rft.btitle", "Axis of Convenience"),
            ("rft.aulast", "Lo"), ("rft.aufirst", "Bobo"), ("rft.au", "Lo, Bobo"), ("rft.date", "2008"),
            ("rft.pub", "Brookings Institution Press"), ("rft.place", "Washington, DC"),
            ("rft.isbn", "9780815753384"),
        ], id="book"),
        pytest.param(CHAPTER, [
            ("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
            ("rft.genre", "bookitem"), ("rft.atitle", "Russia’s Pivot to Asia"),
            ("rft.btitle", "The Oxford Handbook of Russian Foreign Policy"),
            ("rft.aulast", "Wishnick"), ("rft.aufirst", "Elizabeth"), ("rft.au", "Wishnick, Elizabeth"),
            ("rft.date", "2018"), ("rft.pub", "Oxford University Press"), ("rft.spage", "100"), ("rft.epage", "115"),
        ], id="chapter"),
        pytest.param(WEBPAGE, [
            ("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
            ("rft_id", "http://en.kremlin.ru/supplement/5770"), ("rft.title", "Joint Statement"),
            ("rft.date", "2022-02"), ("rft.type", "webpage"), ("rft.source", "Kremlin"),
            ("rft.identifier", "http://en.kremlin.ru/supplement/5770"),
        ], id="webpage_without_author"),
        pytest.param({"id": "t", "type": "thesis", "title": "On Axes", "publisher": "MIT", "genre": "PhD diss.",
                      "author": [{"literal": "A Collective"}]}, [
            ("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dissertation"),
            ("rft.title", "On Axes"), ("rft.aucorp", "A Collective"), ("rft.inst", "MIT"),
            ("rft.degree", "PhD diss."),
        ], id="thesis_corporate_author"),
        pytest.param({"id": "x", "type": "report", "title": "R", "issued": {"literal": "Spring 2019"}}, [
            ("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", "report"),
            ("rft.btitle", "R"), ("rft.date", "2019"),
        ], id="report_literal_date"),
    ],
)  # fmt: skip
def test_coins_pairs(item: dict, expected: list[tuple[str, str]]) -> None:
    assert kev(coins(item)) == expected


def test_coins_from_source() -> None:
    item = to_csl(
        source(
            "baev2021",
            "article",
            author="Baev, Pavel K. and {World Health Organization}",
            title="Russia and {China}",
            journal="China Brief",
            year="2021",
            month="oct",
            pages="100--115",
            doi="https://doi.org/10.1234/X",
        )
    )
    assert kev(coins(item)) == [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
        ("rft_id", "info:doi/10.1234/X"),
        ("rft.genre", "article"),
        ("rft.atitle", "Russia and China"),
        ("rft.jtitle", "China Brief"),
        ("rft.aulast", "Baev"),
        ("rft.aufirst", "Pavel K."),
        ("rft.au", "Baev, Pavel K."),
        ("rft.au", "World Health Organization"),
        ("rft.date", "2021-10"),
        ("rft.spage", "100"),
        ("rft.epage", "115"),
    ]


def test_coins_is_deterministic() -> None:
    assert coins(dict(reversed(ARTICLE.items()))) == coins(ARTICLE)


# -- escaping of hostile values ---------------------------------------------------------

HOSTILE_ITEM = {
    "id": "evil", "type": "article-journal", "title": HOSTILE,
    "author": [{"family": HOSTILE, "given": "<b>"}], "container-title": f"J {HOSTILE}\nline two",
    "URL": 'https://x.org/?a=1&b="2"',
}  # fmt: skip


def test_coins_escapes_hostile_values() -> None:
    span = coins(HOSTILE_ITEM)
    assert "<script" not in span
    assert span.count('"') == 4
    pairs = dict(kev(span))
    assert pairs["rft.atitle"] == HOSTILE
    assert pairs["rft.jtitle"] == f"J {HOSTILE} line two"
    assert pairs["rft_id"] == 'https://x.org/?a=1&b="2"'


def test_highwire_keeps_hostile_values_on_one_line_with_fields_intact() -> None:
    value = highwire_reference(HOSTILE_ITEM)
    assert "\n" not in value
    # A semicolon in a value would end the field early: it becomes a comma.
    assert value.split("; ") == [
        f"citation_title={HOSTILE}",
        f"citation_author={HOSTILE}, <b>",
        f"citation_journal_title=J {HOSTILE} line two",
        'citation_public_url=https://x.org/?a=1&b="2"',
    ]


# -- Highwire ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        pytest.param(
            ARTICLE,
            "citation_title=Russia and China: A Mutually Exaggerated Strategic Partnership?; "
            "citation_author=Baev, Pavel K.; citation_author=Lo, Bobo; "
            "citation_publication_date=2021/10/05; citation_journal_title=China Brief; "
            "citation_volume=21; citation_issue=20; citation_firstpage=100; citation_lastpage=115; "
            "citation_doi=10.1234/cb.21.20; citation_public_url=https://jamestown.org/cb/21-20",
            id="all_fields_in_order",
        ),
        pytest.param(
            BOOK,
            "citation_title=Axis of Convenience; citation_author=Lo, Bobo; citation_publication_date=2008",
            id="book_missing_fields_omitted",
        ),
        pytest.param(
            CHAPTER,
            "citation_title=Russia’s Pivot to Asia; citation_author=Wishnick, Elizabeth; "
            "citation_publication_date=2018; "
            "citation_inbook_title=The Oxford Handbook of Russian Foreign Policy; "
            "citation_firstpage=100; citation_lastpage=115",
            id="chapter",
        ),
        pytest.param(
            {"id": "x", "type": "webpage", "title": "Only a title; and more"},
            "citation_title=Only a title, and more",
            id="title_only",
        ),
        pytest.param({"id": "x", "type": "document"}, "", id="empty"),
    ],
)
def test_highwire_reference(item: dict, expected: str) -> None:
    assert highwire_reference(item) == expected


# -- BibTeX -----------------------------------------------------------------------------


def parse_one(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, text
    assert len(library.entries) == 1, text
    entry = library.entries[0]
    assert all(balanced(field.value) for field in entry.fields), text
    return {"@type": entry.entry_type, "@key": entry.key, **{f.key: f.value for f in entry.fields}}


@pytest.mark.parametrize(
    ("item", "entry_type", "author", "year", "url"),
    [
        pytest.param(ARTICLE, "article", "Baev, Pavel K. and Lo, Bobo", "2021", ARTICLE["URL"], id="article"),
        pytest.param(BOOK, "book", "Lo, Bobo", "2008", None, id="book"),
        pytest.param(CHAPTER, "incollection", "Wishnick, Elizabeth", "2018", None, id="chapter"),
        pytest.param(WEBPAGE, "online", None, "2022", WEBPAGE["URL"], id="webpage"),
        pytest.param(to_csl(source("kim2020", "article", author="Kim, Ann and {Simon and Schuster}",
                                   title="Why {NATO} Matters", year="2020", url="https://x.org/a_b%20c")),
                     "article", "Kim, Ann and {Simon and Schuster}", "2020", "https://x.org/a_b%20c",
                     id="from_source"),
        pytest.param(to_csl(source("vb", "book", author="Ludwig van Beethoven and Reagle, Jr., Joseph",
                                   title="M{\\\"u}sik", year="1800")),
                     "book", "van Beethoven, Ludwig and Reagle, Jr., Joseph", "1800", None,
                     id="from_source_particles_and_suffix"),
    ],
)  # fmt: skip
def test_bibtex_round_trip(item: dict, entry_type: str, author: str | None, year: str, url: str | None) -> None:
    fields = parse_one(bibtex(item))
    assert (fields["@type"], fields["@key"]) == (entry_type, item["id"])
    assert decode_latex(fields["title"]) == unmarked(item["title"])  # "Why {NATO} Matters": CSL's nocase span
    assert (fields.get("author"), fields["year"], fields.get("url")) == (author, year, url)


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("50% of {weird} & odd_$chars#", id="specials_and_braces"),
        pytest.param("Back\\slash ~tilde", id="backslash_tilde"),
        pytest.param(HOSTILE, id="hostile"),
        pytest.param("Ünïcode – “quoted” Title", id="unicode"),
    ],
)
def test_bibtex_escapes_title(title: str) -> None:
    text = bibtex({"id": "k", "type": "book", "title": title})
    assert balanced(text), text
    assert decode_latex(parse_one(text)["title"]) == title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("a } b { c", r"a \textbraceright{} b \textbraceleft{} c", id="lone_braces"),
        pytest.param("{a {b} c", r"\textbraceleft{}a \{b\} c", id="unpaired_open"),
    ],
)
def test_bibtex_lone_braces(title: str, expected: str) -> None:
    """Braces without a partner would unbalance the entry: they become text commands."""
    text = bibtex({"id": "k", "type": "book", "title": title})
    assert balanced(text), text
    assert parse_one(text)["title"] == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("Russia and China: A New Era", "Russia and {China}: A {New} {Era}", id="title_case"),
        pytest.param("Why NATO matters (to the EU)", "Why {NATO} matters (to the {EU})", id="acronyms"),
        pytest.param("The iPhone: a history", "The {iPhone}: a history", id="camel_case"),
        pytest.param("“Quoted” words", "“Quoted” words", id="punctuation_outside_braces"),
        pytest.param("50% of {weird} & odd_$chars#", r"50\% of \{weird\} \& odd\_\$chars\#", id="escapes"),
    ],
)
def test_bibtex_title_case_protection(title: str, expected: str) -> None:
    assert parse_one(bibtex({"id": "k", "type": "book", "title": title}))["title"] == expected


def test_bibtex_web_page_fields() -> None:
    item = {
        **WEBPAGE,
        "issued": {"date-parts": [[2022, 2, 4]]},
        "accessed": {"date-parts": [[2024, 1, 2]]},
        "author": [{"literal": "Office of the President"}],
    }
    assert bibtex(item, key="my key, 1") == (
        "@online{mykey1,\n"
        "  author       = {{Office of the President}},\n"
        "  title        = {Joint {Statement}},\n"
        "  organization = {Kremlin},\n"
        "  howpublished = {Kremlin},\n"
        "  year         = {2022},\n"
        "  month        = feb,\n"
        "  day          = {4},\n"
        "  url          = {http://en.kremlin.ru/supplement/5770},\n"
        "  urldate      = {2024-01-02}\n"
        "}\n"
    )


def test_bibtex_article_fields() -> None:
    fields = parse_one(bibtex(ARTICLE))
    assert {k: fields.get(k) for k in ("journal", "volume", "number", "pages", "month", "doi", "issn")} == {
        "journal": "China Brief",
        "volume": "21",
        "number": "20",
        "pages": "100--115",
        "month": "oct",
        "doi": "10.1234/cb.21.20",
        "issn": "1555-8614",
    }


# -- RIS --------------------------------------------------------------------------------


def test_ris_article() -> None:
    assert ris(ARTICLE).split("\n") == [
        "TY  - JOUR",
        "AU  - Baev, Pavel K.",
        "AU  - Lo, Bobo",
        "TI  - Russia and China: A Mutually Exaggerated Strategic Partnership?",
        "T2  - China Brief",
        "PY  - 2021",
        "DA  - 2021/10/05",
        "VL  - 21",
        "IS  - 20",
        "SP  - 100",
        "EP  - 115",
        "SN  - 1555-8614",
        "UR  - https://jamestown.org/cb/21-20",
        "DO  - 10.1234/cb.21.20",
        "ER  - ",
        "",
    ]


@pytest.mark.parametrize(
    ("item", "first_lines"),
    [
        pytest.param(BOOK, ["TY  - BOOK", "AU  - Lo, Bobo", "TI  - Axis of Convenience", "PY  - 2008"], id="book"),
        pytest.param(WEBPAGE, ["TY  - ELEC", "TI  - Joint Statement", "T2  - Kremlin", "PY  - 2022"], id="webpage"),
        pytest.param({"id": "x", "type": "interview"}, ["TY  - GEN", "ER  - "], id="unknown_type"),
    ],
)
def test_ris_types(item: dict, first_lines: list[str]) -> None:
    assert ris(item).split("\n")[: len(first_lines)] == first_lines


def test_ris_removes_newlines_in_values() -> None:
    item = {
        "id": "x",
        "type": "article-journal",
        "title": "Line one\nline two\r\nER  - three",
        "abstract": "Para one.\n\nPara two.\u2028End",
        "author": [{"family": "Doe\n", "given": "Jane"}],
    }
    assert ris(item).split("\n") == [
        "TY  - JOUR",
        "AU  - Doe, Jane",
        "TI  - Line one line two ER - three",
        "AB  - Para one. Para two. End",
        "ER  - ",
        "",
    ]


# -- pages of this site -----------------------------------------------------------------


def test_page_item() -> None:
    authors = [{"family": "Doe", "given": "Jane"}, {"literal": "Research Team"}]
    item = page_item(
        title="Russia–China relations",
        url="https://example.org/relations/",
        site_name="Axis Notes",
        authors=authors,
        date="2024-03-01",
        key="page-relations",
    )
    assert item == {
        "id": "page-relations",
        "type": "webpage",
        "title": "Russia–China relations",
        "author": [{"family": "Doe", "given": "Jane"}, {"literal": "Research Team"}],
        "container-title": "Axis Notes",
        "issued": {"date-parts": [[2024, 3, 1]]},
        "URL": "https://example.org/relations/",
    }
    assert item["author"][0] is not authors[0]
    fields = parse_one(bibtex(item))
    assert (fields["@type"], fields["@key"], fields["author"], fields["organization"], fields["year"]) == (
        "online",
        "page-relations",
        "Doe, Jane and {Research Team}",
        "Axis Notes",
        "2024",
    )
    assert ("rft.type", "webpage") in kev(coins(item))
    assert "DA  - 2024/03/01" in ris(item).split("\n")


def test_page_item_undated_without_authors() -> None:
    item = page_item(title="Home", url="", site_name="Axis Notes", authors=[], date="", key="page-home")
    assert item == {"id": "page-home", "type": "webpage", "title": "Home", "container-title": "Axis Notes"}
    assert "year" not in parse_one(bibtex(item))


@pytest.mark.parametrize("date", ["2024-13-01", "2024-02-30", "March 2024", "24-01-01"])
def test_page_item_rejects_bad_dates(date: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        page_item(title="T", url="", site_name="S", authors=[], date=date, key="k")
