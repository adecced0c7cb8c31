"""citeproc-js through V8, the library registered as a whole, and where the site follows Chicago instead."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

from build_scripts.citations import engine, runs
from build_scripts.citations.cite import Formatter, Reference
from build_scripts.citations.citeproc_compat import after_formatting, fix_punctuation
from build_scripts.citations.csl_json import to_csl
from build_scripts.citations.style import load_style
from build_scripts.model import Location, Source
from build_scripts.workers import forked


def source(key: str, entry_type: str, **fields: str) -> Source:
    return Source(key, entry_type, fields, Location("refs.bib", 1))


def formatted(*sources: Source) -> dict[str, Reference]:
    return Formatter().references(sources)


# -- disambiguation, as the style asks ------------------------------------------------------


def test_given_names_added_where_family_names_are_shared() -> None:
    refs = formatted(
        source("a", "book", author="Johansson, Håkan and Gustafsson, Oscar", title="Filters", year="2005"),
        source("b", "book", author="Johansson, Kenny and Gustafsson, Oscar", title="Adders", year="2005"),
        source("c", "book", author="Lo, Bobo", title="Axis", year="2008"),
    )
    assert (refs["a"].label, refs["b"].label, refs["c"].label) == (
        "H. Johansson and Gustafsson 2005",
        "K. Johansson and Gustafsson 2005",
        "Lo 2008",
    )


def test_names_added_instead_of_et_al() -> None:
    refs = formatted(
        source("a", "book", author="Kim, Ann and Lee, Bo and Park, Cy", title="One", year="2020"),
        source("b", "book", author="Kim, Ann and Choi, Di and Park, Cy", title="Two", year="2020"),
    )
    assert refs["a"].label == "Kim, Lee, et al. 2020"
    assert refs["b"].label == "Kim, Choi, et al. 2020"


def test_undated_works_get_letters_after_nd() -> None:
    refs = formatted(
        source("a", "misc", author="Anonymous", title="Beta"),
        source("b", "misc", author="Anonymous", title="Alpha"),
    )
    assert (refs["b"].label, refs["a"].label) == ("Anonymous, n.d.-a", "Anonymous, n.d.-b")
    assert refs["b"].html.startswith("Anonymous. n.d.-a.")


def test_page_shapes_formatted_apart_are_not_disambiguated() -> None:
    items = [{"id": k, "type": "webpage", "title": k, "author": [{"literal": "Site"}]} for k in ("p1", "p2")]
    refs = Formatter().format(items, suffixes=False)
    assert refs["p1"].label == refs["p2"].label == "Site, n.d."


# -- deviations: Chicago where citeproc-js differs -------------------------------------------


def test_initials_are_spaced() -> None:  # CMOS 10.12
    ref = formatted(source("k", "book", author="Barrow, H.G. and Tenenbaum, J.M.", title="Lines", year="1981"))["k"]
    assert ref.html.startswith("Barrow, H. G., and J. M. Tenenbaum. 1981.")


def test_hyphenated_identifiers_are_not_ranges() -> None:  # CMOS 6.78
    refs = formatted(
        source(
            "a",
            "article",
            author="Abbas, M.",
            title="Filters",
            journal="IEEE Trans. on Circuits and Systems",
            volume="60-I",
            number="4",
            pages="926--937",
            year="2013",
        ),
        source("r", "techreport", author="Doe, Jane", title="Rules", institution="Univ.", number="99-02", year="1999"),
        source("d", "article", author="Roe, Ann", title="Double", journal="J", volume="12", number="3-4", year="2001"),
    )
    assert "<i>IEEE Trans. on Circuits and Systems</i> 60-I (4): 926–37." in refs["a"].html
    assert "99-02" in refs["r"].text
    assert "99–02" not in refs["r"].text
    assert "12 (3–4)" in refs["d"].text  # a double issue is a range: the en dash stays


def test_serial_comma_before_an_organization() -> None:  # CMOS 6.19
    ref = formatted(
        source(
            "k",
            "article",
            author="Christiansen, Kaja and {TUG Election committee}",
            title="TUG 2015 Election",
            journal="TUGboat",
            year="2015",
        )
    )["k"]
    assert ref.html.startswith("Christiansen, Kaja, and TUG Election committee. 2015.")


def test_period_inside_single_and_double_quotes() -> None:  # CMOS 6.9
    # citeproc-js's own output for a title whose inner quotation opened with a straight quote
    js = "Gustafsson, Oscar. 2008. “Comments on 'A Hilbert Transformer’.” <i>IEICE Transactions</i>."
    fixed = after_formatting(js, {"id": "k", "author": [{"family": "Gustafsson", "given": "Oscar"}]}, True)
    assert "Transformer.’” <i>" in fixed
    assert after_formatting(js, {"id": "k"}, False) == js  # British usage: punctuation outside stays


def test_inner_quotation_in_a_title_is_typographic() -> None:
    ref = formatted(
        source(
            "k",
            "article",
            author="Gustafsson, Oscar",
            title="Comments on 'A Hilbert Transformer'",
            journal="IEICE Transactions",
            year="2008",
        )
    )["k"]
    assert "“Comments on ‘A Hilbert Transformer.’”" in ref.html


def test_year_letters_ignore_a_leading_article() -> None:  # CMOS 15.20
    refs = formatted(
        source("m", "book", author="Davis, Ernest", title="The Mercator Representation", year="1983"),
        source("r", "book", author="Davis, Ernest", title="Representing Knowledge", year="1983"),
    )
    assert (refs["m"].label, refs["r"].label) == ("Davis 1983a", "Davis 1983b")
    assert refs["m"].citation == "(Davis 1983a)"
    assert refs["m"].html.startswith("Davis, Ernest. 1983a.")


# -- the processor -----------------------------------------------------------------------------


def test_processor_version_names_the_pinned_bundle() -> None:
    assert engine.processor_version().startswith(f"citeproc {engine.CITEPROC_JS}, mini-racer ")


def test_an_item_the_processor_fails_on_leaves_the_others_formatted() -> None:
    good = {
        "id": "a",
        "type": "book",
        "title": "Axis",
        "author": [{"family": "Lo", "given": "Bobo"}],
        "issued": {"date-parts": [[2008]]},
    }
    bad = {"id": "b", "type": "book", "title": "Broken", "author": [None]}  # citeproc-js throws on it
    refs = Formatter().format([good, bad])
    assert refs["a"].html == "Lo, Bobo. 2008. <i>Axis</i>."
    assert refs["b"].html == "Broken"  # shown by its title


def test_after_the_processor_fails_the_next_run_formats_as_a_fresh_process_would() -> None:
    dated = {"id": "d", "type": "webpage", "title": "Statement", "issued": {"date-parts": [[2022, 2, 4]]}}
    fresh = Formatter().format([dated])["d"].html
    broken = {"id": "b", "type": "book", "title": "Broken", "author": [None]}
    Formatter().format([{"id": "a", "type": "book", "title": "Axis"}, broken])  # the processor throws on the run
    assert Formatter().format([dated])["d"].html == fresh  # a half-run processor left the month and day out
    assert "February 4" in fresh


def test_groups_formatted_on_two_cores_are_told_apart_as_in_one_run() -> None:
    library = [
        source("h", "book", author="Johansson, Håkan and Gustafsson, Oscar", title="Filters", year="2005"),
        source("k", "book", author="Johansson, Kenny and Gustafsson, Oscar", title="Adders", year="2005"),
        source("z", "book", author="Baev, Pavel K.", title="The Second", year="2021"),
        source("a", "book", author="Baev, Pavel K.", title="Zebra", year="2021"),
        source("m", "book", author="Baev, Pavel K.", title="Other", year="2020"),
        source("l", "book", author="Lo, Bobo", title="Axis", year="2008"),
        source("w", "book", author="Wishnick, Elizabeth", title="Pivot", year="2018"),
    ]
    items = {s.key: to_csl(s) for s in library}
    shares = runs.batches(runs.groups(items, load_style("chicago-author-date")), jobs=2, least=1)
    assert len(shares) == 2, "the library is shared between two cores"
    assert {"h", "k"} <= set(shares[0]) or {"h", "k"} <= set(shares[1]), "a group is never split"
    assert {"z", "a"} <= set(shares[0]) or {"z", "a"} <= set(shares[1])
    together = Formatter(jobs=2, least=1).references(library)
    assert together == Formatter(jobs=1).references(library)
    assert [together[key].label for key in "hkzam"] == [
        "H. Johansson and Gustafsson 2005",
        "K. Johansson and Gustafsson 2005",
        "Baev 2021a",
        "Baev 2021b",
        "Baev 2020",
    ]


def test_a_share_the_processor_fails_on_leaves_the_others_formatted_together() -> None:
    def book(key: str, family: str, title: str) -> dict[str, object]:
        name = {"family": family, "given": "Pavel"}
        return {"id": key, "type": "book", "title": title, "author": [name], "issued": {"date-parts": [[2021]]}}

    bad = {"id": "b", "type": "book", "title": "Broken", "author": [None]}  # citeproc-js throws on it
    refs = Formatter(jobs=2, least=1).format([book("z", "Baev", "The Second"), book("a", "Baev", "Zebra"), bad])
    assert (refs["z"].label, refs["a"].label) == ("Baev 2021a", "Baev 2021b")
    assert refs["b"].html == "Broken"  # shown by its title


def test_a_process_forked_after_v8_started_still_formats() -> None:
    here = formatted(source("k", "book", author="Lo, Bobo", title="Axis", year="2008"))
    there = forked(lambda: formatted(source("k", "book", author="Lo, Bobo", title="Axis", year="2008")))
    assert there == here


def _shared_library() -> dict[str, Reference]:
    return Formatter(jobs=2, least=1).references(
        [
            source("z", "book", author="Baev, Pavel K.", title="The Second", year="2021"),
            source("a", "book", author="Baev, Pavel K.", title="Zebra", year="2021"),
            source("l", "book", author="Lo, Bobo", title="Axis", year="2008"),
        ]
    )


def test_a_process_forked_after_v8_started_on_two_cores_still_formats_on_two() -> None:
    here = _shared_library()  # V8 started here, on two contexts (its threads make `forked` run in place)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        there = pool.apply_async(_shared_library).get(timeout=120)
    assert there == here
    assert (there["z"].label, there["a"].label) == ("Baev 2021a", "Baev 2021b")


def test_a_quoted_title_put_into_a_formatted_citation_alternates_its_quotes() -> None:
    shaped = "Contributors. 2026. “Summary: a “no limits” partnership?”. Site."  # a page title put in
    assert fix_punctuation(shaped, True) == "Contributors. 2026. “Summary: a ‘no limits’ partnership?” Site."


def test_chunks_keep_groups_whole_and_bounded() -> None:
    groups = [["a", "b", "c"], ["d"], ["e", "f"], ["g", "h", "i", "j", "k"], ["l"]]
    made = runs.chunks(groups, size=4)
    assert made == [["a", "b", "c", "d"], ["e", "f"], ["g", "h", "i", "j", "k"], ["l"]]
    assert [key for chunk in made for key in chunk] == [key for group in groups for key in group]


SHARED_APART = """
from build_scripts.citations.cite import Formatter
from build_scripts.citations import runs
from build_scripts.workers import forks
runs.CHUNK = 2  # several chunks in each process
items = [{"id": f"k{n}", "type": "book", "title": f"Title {n}", "author": [{"family": "Baev", "given": "Pavel"}],
          "issued": {"date-parts": [[2021]]}} for n in range(3)]
items += [{"id": f"l{n}", "type": "book", "title": f"Book {n}", "author": [{"family": f"Lo{n}", "given": "Bobo"}],
           "issued": {"date-parts": [[2008]]}} for n in range(4)]
refs = Formatter(jobs=2, least=1).format(items)
assert forks(10, 2), "no V8 here: this process can still fork its page workers"
one = Formatter(apart=True).format(items[:1], suffixes=False)  # a few items, as a page's citation
assert one["k0"].label == "Baev 2021" and forks(10, 2), "a formatter set apart formats even a few apart"
print(" | ".join(refs[i["id"]].label for i in items))
"""


def test_a_shared_library_is_formatted_apart_in_chunks_as_in_one_run() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SHARED_APART], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == " | ".join(
        ["Baev 2021a", "Baev 2021b", "Baev 2021c", "Lo0 2008", "Lo1 2008", "Lo2 2008", "Lo3 2008"]
    )
