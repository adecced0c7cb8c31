"""BibTeX/biblatex → CSL-JSON: every type and field of the authoring guide's table, rich text, and what a reader sees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_scripts.citations.cite import Formatter, Reference
from build_scripts.citations.csl_fields import PLAIN_FIELDS, RICH_FIELDS, TYPES
from build_scripts.citations.csl_json import doi_of, to_csl
from build_scripts.citations.rich_text import rich, unmarked
from build_scripts.model import Location, Source

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "authoring.md"


def source(entry_type: str, key: str = "k", **fields: str) -> Source:
    return Source(key, entry_type, fields, Location("refs.bib", 1))


def formatted(*sources: Source) -> dict[str, Reference]:
    return Formatter().references(sources)


# -- types ------------------------------------------------------------------------------

TYPE_TABLE = [
    ("article", {}, "article-journal"),
    ("article", {"entrysubtype": "magazine"}, "article-magazine"),
    ("article", {"entrysubtype": "newspaper"}, "article-newspaper"),
    *((t, {}, "book") for t in ("book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings",
                                "reference", "mvreference", "manual")),
    ("booklet", {}, "pamphlet"),
    *((t, {}, "chapter") for t in ("incollection", "inbook", "bookinbook", "suppbook", "suppcollection")),
    ("inreference", {}, "entry-encyclopedia"),
    ("inproceedings", {}, "paper-conference"), ("conference", {}, "paper-conference"),
    ("online", {}, "webpage"), ("electronic", {}, "webpage"), ("www", {}, "webpage"),
    ("report", {}, "report"), ("techreport", {}, "report"),
    ("thesis", {}, "thesis"), ("phdthesis", {}, "thesis"), ("mastersthesis", {}, "thesis"),
    ("patent", {}, "patent"),
    ("periodical", {}, "periodical"), ("suppperiodical", {}, "periodical"),
    ("unpublished", {}, "manuscript"),
    *((t, {}, t) for t in ("software", "dataset", "standard", "review", "performance", "map", "interview")),
    ("letter", {}, "personal_communication"),
    ("movie", {}, "motion_picture"), ("video", {}, "motion_picture"),
    ("audio", {}, "song"), ("music", {}, "song"),
    ("artwork", {}, "graphic"), ("image", {}, "graphic"),
    ("legislation", {}, "legislation"), ("jurisdiction", {}, "legal_case"),
    ("misc", {}, "document"), ("misc", {"url": "https://x.org"}, "webpage"), ("set", {}, "document"),
]  # fmt: skip


@pytest.mark.parametrize(("entry_type", "fields", "csl_type"), TYPE_TABLE)
def test_type(entry_type: str, fields: dict[str, str], csl_type: str) -> None:
    assert to_csl(source(entry_type, **fields))["type"] == csl_type


def test_guide_lists_every_type_and_field() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    section = guide[guide.index("### How BibTeX entries become references") :]
    assert {f"`@{t}`" for t in TYPES} <= set(re.findall(r"`@\w+`", section))
    named = set(re.findall(r"`([\w+]+)`", section))
    fields = {f for names in RICH_FIELDS.values() for f in names} | set(PLAIN_FIELDS.values())
    fields |= {
        "title",
        "subtitle",
        "titleaddon",
        "maintitle",
        "mainsubtitle",
        "journaltitle",
        "journalsubtitle",
        "journal",
        "booktitle",
        "booksubtitle",
        "bookauthor",
        "number",
        "issue",
        "pages",
        "eid",
        "publisher",
        "institution",
        "school",
        "organization",
        "howpublished",
        "date",
        "year",
        "month",
        "eventdate",
        "origdate",
        "urldate",
        "type",
        "pubstate",
        "langid",
        "language",
        "url",
        "doi",
        "entrysubtype",
    }
    assert fields <= named, sorted(fields - named)


# -- fields -----------------------------------------------------------------------------

FIELD_TABLE = [
    ("book", {"author": "Lo, Bobo", "editor": "Kim, Ann", "translator": "Park, Cy"},
     {"author": [{"family": "Lo", "given": "Bobo"}], "editor": [{"family": "Kim", "given": "Ann"}],
      "translator": [{"family": "Park", "given": "Cy"}]}),
    ("inbook", {"bookauthor": "Tolstoy, Leo"}, {"container-author": [{"family": "Tolstoy", "given": "Leo"}]}),
    ("book", {"title": "Axis", "subtitle": "Moscow and Beijing", "titleaddon": "A Study"},
     {"title": "Axis: Moscow and Beijing. A Study"}),
    ("book", {"title": "Why Now?", "subtitle": "A Reply"}, {"title": "Why Now? A Reply"}),
    ("book", {"title": "Seminumerical Algorithms", "maintitle": "The Art of Computer Programming",
              "mainsubtitle": "Volumes", "volume": "2"},
     {"title": "The Art of Computer Programming: Volumes", "volume-title": "Seminumerical Algorithms", "volume": "2"}),
    ("incollection", {"booktitle": "Algorithms", "booksubtitle": "Sorting", "maintitle": "The Art"},
     {"container-title": "The Art", "volume-title": "Algorithms: Sorting"}),
    ("incollection", {"booktitle": "Handbook", "booksubtitle": "Russia"}, {"container-title": "Handbook: Russia"}),
    ("article", {"journaltitle": "Survival", "journalsubtitle": "Global Politics"},
     {"container-title": "Survival: Global Politics"}),
    ("article", {"journal": "China Brief"}, {"container-title": "China Brief"}),
    ("book", {"shorttitle": "Axis"}, {"title-short": "Axis"}),
    ("article", {"shortjournal": "J. TeX"}, {"container-title-short": "J. TeX"}),
    ("book", {"series": "Adelphi", "number": "7"}, {"collection-title": "Adelphi", "collection-number": "7"}),
    ("article", {"number": "4"}, {"issue": "4"}),
    ("article", {"issue": "4"}, {"issue": "4"}),
    ("techreport", {"number": "RR-1"}, {"number": "RR-1"}),
    ("patent", {"number": "US 1234567"}, {"number": "US 1234567"}),
    ("book", {"volume": "3", "volumes": "4"}, {"volume": "3", "number-of-volumes": "4"}),
    ("book", {"edition": "Second"}, {"edition": "2"}),
    ("book", {"edition": "3"}, {"edition": "3"}),
    ("software", {"version": "1.4.2"}, {"version": "1.4.2"}),
    ("inbook", {"chapter": "5"}, {"chapter-number": "5"}),
    ("article", {"pages": "10--20"}, {"page": "10-20"}),
    ("article", {"eid": "e1234"}, {"page": "e1234"}),
    ("book", {"pagetotal": "320"}, {"number-of-pages": "320"}),
    ("book", {"publisher": "Brookings", "address": "Washington"},
     {"publisher": "Brookings", "publisher-place": "Washington"}),
    ("report", {"institution": "RAND", "location": "Santa Monica"},
     {"publisher": "RAND", "publisher-place": "Santa Monica"}),
    ("thesis", {"school": "MGIMO"}, {"publisher": "MGIMO"}),
    ("manual", {"organization": "CTAN"}, {"publisher": "CTAN"}),
    ("misc", {"howpublished": "Privately printed"}, {"publisher": "Privately printed"}),
    ("misc", {"howpublished": "\\url{https://x.org/a}"}, {"URL": "https://x.org/a"}),
    ("book", {"date": "2021-10-05"}, {"issued": {"date-parts": [[2021, 10, 5]]}}),
    ("book", {"date": "2019/2021"}, {"issued": {"date-parts": [[2019], [2021]]}}),
    ("book", {"date": "2022~"}, {"issued": {"date-parts": [[2022]], "circa": True}}),
    ("book", {"year": "2021", "month": "oct"}, {"issued": {"date-parts": [[2021, 10]]}}),
    ("inproceedings", {"eventtitle": "SOUPS '05", "eventdate": "2005-07-06/2005-07-08", "venue": "Pittsburgh"},
     {"event-title": "SOUPS '05", "event-date": {"date-parts": [[2005, 7, 6], [2005, 7, 8]]},
      "event-place": "Pittsburgh"}),
    ("book", {"origdate": "1867", "origtitle": "Voina i mir"},
     {"original-date": {"date-parts": [[1867]]}, "original-title": "Voina i mir"}),
    ("online", {"urldate": "2024-01-31"}, {"accessed": {"date-parts": [[2024, 1, 31]]}}),
    ("report", {"type": "Working paper"}, {"genre": "Working paper"}),
    ("thesis", {"type": "phdthesis"}, {"genre": "PhD diss."}),
    ("patent", {"type": "patenteu"}, {"genre": "European patent"}),
    ("mastersthesis", {}, {"genre": "Master’s thesis"}),
    ("article", {"pubstate": "forthcoming"}, {"status": "forthcoming"}),
    ("article", {"pubstate": "inpress"}, {"status": "in press"}),
    ("book", {"langid": "ngerman"}, {"language": "de-DE"}),
    ("book", {"langid": "french"}, {"language": "fr"}),
    ("book", {"language": "english and german"}, {"language": "en"}),
    ("book", {"langid": "en-GB"}, {"language": "en-GB"}),
    ("online", {"url": "https://x.org/a\\_b"}, {"URL": "https://x.org/a_b"}),
    ("article", {"doi": "doi:10.1/ABC"}, {"DOI": "10.1/ABC"}),
    ("book", {"isbn": "978-0-8157-0", "issn": "0039-6338"}, {"ISBN": "978-0-8157-0", "ISSN": "0039-6338"}),
    ("book", {"abstract": "Abs", "note": "Note"}, {"abstract": "Abs", "note": "Note"}),
    ("book", {"abstract": "Since the invasion of {Ukraine}", "note": "See {\\'E}cole"},
     {"abstract": "Since the invasion of Ukraine", "note": "See École"}),  # prose: plain text, not rich
    ("book", {"author": "Korolev, Ivan", "author+an": "=attributed"},
     {"author": [{"family": "Korolev", "given": "Ivan", "suffix": "[attributed]"}]}),
]  # fmt: skip


@pytest.mark.parametrize(("entry_type", "fields", "expected"), FIELD_TABLE)
def test_field(entry_type: str, fields: dict[str, str], expected: dict) -> None:
    item = to_csl(source(entry_type, **fields))
    assert {var: item.get(var) for var in expected} == expected


@pytest.mark.parametrize(
    ("fields", "doi", "url"),
    [
        pytest.param({"doi": "http://doi.acm.org/10.1145/1015706.1015720"}, "10.1145/1015706.1015720", None,
                     id="doi_field_acm_url"),
        pytest.param({"url": "http://doi.acm.org/10.1145/1015706.1015720"}, "10.1145/1015706.1015720", None,
                     id="acm_resolver_url_is_the_doi"),
        pytest.param({"url": "https://dx.doi.org/10.1109/MSP.2004.81"}, "10.1109/MSP.2004.81", None,
                     id="dx_doi_org"),
        pytest.param({"url": "https://dl.acm.org/doi/10.1145/3290605.3300233"}, "10.1145/3290605.3300233",
                     "https://dl.acm.org/doi/10.1145/3290605.3300233", id="publisher_doi_page_kept"),
        pytest.param({"url": "https://x.org/10.5/not-a-doi-page"}, None, "https://x.org/10.5/not-a-doi-page",
                     id="other_url"),
    ],
)  # fmt: skip
def test_doi_from_urls(fields: dict[str, str], doi: str | None, url: str | None) -> None:
    item = to_csl(source("article", **fields))
    assert (item.get("DOI"), item.get("URL")) == (doi, url)


def test_doi_of_is_the_one_rule() -> None:
    assert doi_of("https://doi.org/10.1525/as.2020.60.2.201") == "10.1525/as.2020.60.2.201"
    assert doi_of("not a doi") == ""


# -- rich text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Why {NATO} Matters", 'Why <span class="nocase">NATO</span> Matters', id="protected_case"),
        pytest.param("An {O(n Log N)} Sorting Algorithm", 'An <span class="nocase">O(n Log N)</span> Sorting Algorithm',
                     id="protected_formula"),
        pytest.param("{The Whole Title}", '<span class="nocase">The Whole Title</span>', id="whole_title"),
        pytest.param("Caf{\\'e} {\\\"U}ber", "Café Über", id="accents_not_protected"),
        pytest.param("\\emph{Axis} and {\\em Pivot}", "<i>Axis</i> and <i>Pivot</i>", id="italics"),
        pytest.param("\\textbf{Bold} \\textsc{Small}",
                     '<b>Bold</b> <span style="font-variant:small-caps;">Small</span>', id="bold_small_caps"),
        pytest.param("MathType$^6$ and 6\\textsuperscript{th}", "MathType<sup>6</sup> and 6<sup>th</sup>",
                     id="superscript"),
        pytest.param("Radix-2\\({}^{\\mbox{k}}\\)", "Radix-2<sup>k</sup>", id="math_superscript"),
        pytest.param("CO$_2$ levels", "CO<sub>2</sub> levels", id="subscript"),
        pytest.param("methodology\\hyphen independent", "methodology-independent", id="hyphen"),
        pytest.param("`Hey\\Dash it works!'", "‘Hey—it works!’", id="backtick_quotes"),
        pytest.param("``Quoted''", "“Quoted”", id="double_backticks"),
        pytest.param("{\\tt\\char`\\\\let}", "\\let", id="char_backslash"),
        pytest.param("{Russia}'s", '<span class="nocase">Russia</span>’s', id="apostrophe_after_group"),
    ],
)  # fmt: skip
def test_rich_text(value: str, expected: str) -> None:
    assert rich(value) == expected


def test_unmarked_drops_only_csl_tags() -> None:
    assert unmarked('<i>Axis</i> of <span class="nocase">NATO</span>') == "Axis of NATO"
    assert unmarked("a <b> b") == "a <b> b"  # a lone tag is text


# -- what a reader sees -------------------------------------------------------------------


def test_german_and_french_titles_keep_sentence_case() -> None:
    refs = formatted(
        source(
            "book",
            "de",
            author="Weber, Max",
            title="Die protestantische Ethik und der Geist des Kapitalismus",
            year="1905",
            langid="ngerman",
        ),
        source("book", "fr", author="Gennep, Arnold van", title="Les rites de passage", year="1909", langid="french"),
        source("book", "en", author="Lo, Bobo", title="Axis of convenience", year="2008"),
    )
    assert "<i>Die protestantische Ethik und der Geist des Kapitalismus</i>" in refs["de"].html
    assert "<i>Les rites de passage</i>" in refs["fr"].html
    assert "<i>Axis of Convenience</i>" in refs["en"].html  # English: headline case


def test_protected_case_survives_headline_case() -> None:
    ref = formatted(source("book", title="An {O(n log n)} sorting algorithm for {iPhone} apps", year="2020"))["k"]
    assert "An O(n log n) Sorting Algorithm for iPhone Apps" in ref.text


def test_acm_doi_shown_as_doi_link() -> None:
    ref = formatted(
        source(
            "article",
            author="Yan, Jeff",
            title="Password Memorability",
            journal="IEEE S&P",
            year="2004",
            doi="http://doi.acm.org/10.1145/1015706.1015720",
        )
    )["k"]
    assert ref.text.endswith("https://doi.org/10.1145/1015706.1015720.")
    assert ref.url == "https://doi.org/10.1145/1015706.1015720"


def test_manual_title_is_italic_and_patent_keeps_its_number() -> None:
    refs = formatted(
        source("manual", "m", author="Knuth, Donald", title="The TeXbook", organization="AMS", year="1984"),
        source("patent", "p", author="Doe, Jane", title="A Widget", number="US 1234567", year="1999"),
    )
    assert "<i>The TeXbook</i>" in refs["m"].html
    assert "US 1234567" in refs["p"].text
