"""Quotations checked against archived source texts, and links that open the passage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_scripts.cache import Cache
from build_scripts.check.verify import QuoteStatus, paragraphs_named, verify_claims
from build_scripts.library.archive import ArchivedText, closest, find, load_texts, normalise, paragraphs_of, quote_words
from build_scripts.model import Claim, Location, Severity, Source
from build_scripts.render import fragments

from .conftest import cli, write

TEXT = ArchivedText(
    "src",
    "bib/texts/src.txt",
    paragraphs_of("""Title line

On 4 February 2022 the two declared a ‘no limits’ partnership that “surpasses an alliance.”

Trade reached US$146.9 billion — a record — in 2021, and the Beijing–Moscow axis held.

A phrase that repeats. A phrase that repeats.

A phrase that repeats, once more.
"""),
)


def claim(quote: str, locator: str = "", source: str = "src", line: int = 7) -> Claim:
    return Claim(
        "fact",
        source,
        "v",
        "note",
        Location("content/n.md", line),
        locator=locator,
        quote=quote,
        id=f"claim-fact--{source}",
    )


# -- Matching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "declared a 'no limits' partnership",  # straight for typographic single quotes
        'that "surpasses an alliance."',  # straight for typographic double quotes
        "US$146.9 billion - a record -\n in 2021",  # hyphen for an em dash, a line break for a space
        "US$146.9 billion—a record—in 2021",  # no spaces around the dash
        "the   Beijing-Moscow axis",  # several spaces, hyphen for an en dash
        "On 4 February 2022 … “surpasses an alliance.”",  # two fragments joined by an ellipsis
        "On 4 February 2022 ... surpasses an alliance",
    ],
)
def test_typographic_variants_whitespace_and_line_breaks_are_tolerated(quote):
    [found] = find(TEXT, quote)
    assert found.paragraph in (2, 3)


@pytest.mark.parametrize(
    "quote",
    [
        "declared a ‘No Limits’ partnership",  # case differs
        "Trade reached US$146.8 billion",  # a figure differs
        "declared a no limits partnership",  # quotation marks dropped
        "clared a ‘no limits’",  # cuts a word in two
        "surpasses an alliance … On 4 February 2022",  # fragments out of order
    ],
)
def test_anything_else_is_not_tolerated(quote):
    assert find(TEXT, quote) == []


def test_the_passage_is_the_archives_own_words_with_offsets():
    [found] = find(TEXT, "a 'no limits' partnership")
    paragraph = TEXT.paragraphs[found.paragraph - 1]
    ((start, end),) = found.spans
    assert paragraph[start:end] == found.text[0] == "a ‘no limits’ partnership"


def test_every_place_is_found():
    assert [p.paragraph for p in find(TEXT, "A phrase that repeats")] == [4, 4, 5]


def test_closest_passage_is_the_hint_for_a_misquote():
    paragraph, words = closest(TEXT, "Trade reached US$164.9 billion")
    assert paragraph == 3
    assert words.startswith("Trade reached US$146.9 billion")


def test_a_quotation_of_an_ellipsis_alone_is_the_ellipsis_itself():
    text = ArchivedText("k", "k.txt", ("First.", "And so on ...", "…"))
    assert [p.paragraph for p in find(text, "...")] == [2]
    assert [p.paragraph for p in find(text, "…")] == [3]


def test_quotation_words_do_not_count_the_elision():
    assert quote_words("one two … three") == 3
    assert quote_words("one two ... three four") == 4


WORDS = st.lists(st.text(alphabet="abcdefghij’'“”—–-.,", min_size=1, max_size=6), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(paragraphs=st.lists(WORDS, min_size=1, max_size=6), data=st.data())
def test_any_run_of_up_to_twelve_words_is_found_at_its_own_paragraph(paragraphs, data):
    text = ArchivedText("k", "k.txt", paragraphs_of("\n\n".join(" ".join(words) for words in paragraphs)))
    number = data.draw(st.integers(1, len(text.paragraphs)))
    words = text.paragraphs[number - 1].split()
    start = data.draw(st.integers(0, len(words) - 1))
    run = words[start : start + data.draw(st.integers(1, 12))]
    assert number in {p.paragraph for p in find(text, " ".join(run))}


# -- Checking claims -----------------------------------------------------------------------


def test_kept_lookups_follow_an_edit_of_the_text(tmp_path):
    quoted = [claim("Trade reached US$146.9 billion", "para. 3")]
    built = Cache(tmp_path)
    first = verify_claims(quoted, {"src": TEXT}, built)[1]["claim-fact--src"]
    built.save()
    edited = ArchivedText("src", TEXT.path, tuple(p.replace("146.9", "147.0") for p in TEXT.paragraphs))
    cache = Cache(tmp_path)  # as a rebuild finds it
    _, results, [diag] = verify_claims(quoted, {"src": edited}, cache)
    assert first.status is QuoteStatus.VERIFIED
    assert results["claim-fact--src"].status is QuoteStatus.NOT_FOUND
    assert "147.0" in diag.hint
    assert verify_claims(quoted, {"src": TEXT}, cache)[1]["claim-fact--src"] == first


def test_a_quotation_where_the_locator_says_is_verified():
    _claims, results, diags = verify_claims([claim("Trade reached US$146.9 billion", "para. 3")], {"src": TEXT})
    assert diags == []
    assert results["claim-fact--src"].status is QuoteStatus.VERIFIED
    assert results["claim-fact--src"].as_json() == {
        "status": "verified",
        "verified": True,
        "paragraph": 3,
        "spans": [[0, 30]],
    }


def test_a_misquote_is_an_error_at_the_claim_with_the_closest_passage():
    _, results, [diag] = verify_claims([claim("Trade reached US$164.9 billion", "para. 3")], {"src": TEXT})
    assert (diag.severity, str(diag.location)) == (Severity.ERROR, "content/n.md:7")
    assert "is not in the source text bib/texts/src.txt" in diag.message
    assert "closest passage, para. 3: “Trade reached US$146.9 billion" in diag.hint
    assert results["claim-fact--src"].status is QuoteStatus.NOT_FOUND


def test_a_wrong_locator_is_an_error_naming_the_right_paragraph():
    _, _, [diag] = verify_claims([claim("Trade reached US$146.9 billion", "para. 2")], {"src": TEXT})
    assert diag.severity is Severity.ERROR
    assert "is not at 'para. 2'" in diag.message
    assert diag.hint.startswith("found in para. 3")


def test_a_missing_locator_is_computed_from_the_quotation():
    [checked], _, diags = verify_claims([claim("Beijing–Moscow axis")], {"src": TEXT})
    assert diags == []
    assert checked.locator == "para. 3"


@pytest.mark.parametrize(
    ("locator", "severity"),
    [("para. 5", None), ("paras. 4, 5", None), ("para. 2", Severity.WARNING), ("", Severity.WARNING)],
)
def test_a_quotation_found_in_several_places_needs_the_locator_to_name_one(locator, severity):
    _, _, diags = verify_claims([claim("A phrase that repeats", locator)], {"src": TEXT})
    assert [d.severity for d in diags] == ([severity] if severity else [])
    if severity:
        assert "occurs in paras. 4, 5" in diags[0].message
        assert ("no locator was given" if not locator else f"the locator '{locator}' names none") in diags[0].message


def test_a_source_without_archived_text_is_not_checked():
    _, results, [diag] = verify_claims([claim("anything at all", "p. 3", source="other")], {"src": TEXT})
    assert diag.severity is Severity.WARNING
    assert "not checked against the source text" in diag.message
    assert results["claim-fact--other"].status is QuoteStatus.UNCHECKED


@pytest.mark.parametrize(
    ("locator", "named"),
    [
        ("para. 4", {4}),
        ("paras. 4, 6", {4, 6}),
        ("paras. 4–6", {4, 5, 6}),
        ("paragraph 12", {12}),
        ("¶ 3", {3}),
        ("paras. 2 and 9", {2, 9}),
        ("p. 4", None),
        ("chapter 2", None),
        ("", None),
    ],
)
def test_paragraph_locators(locator, named):
    assert paragraphs_named(locator) == (frozenset(named) if named else None)


# -- The archive: bad input ----------------------------------------------------------------------


def source(field: str, key: str = "k") -> Source:
    return Source(key, "article", {"file": field}, Location("bib/library.bib", 3))


@pytest.mark.parametrize(
    ("field", "setup", "message"),
    [
        ("texts/missing.txt", None, "'bib/texts/missing.txt' does not exist"),
        ("texts/latin.txt", b"caf\xe9\n", "is not UTF-8 (byte 0xe9 at offset 3)"),
        ("texts/binary.txt", b"PK\x03\x04\x00\x00", "is a binary file"),
        ("../../etc/passwd", None, "'../../etc/passwd' is outside the project and is not read"),
        ("/etc/passwd", None, "is outside the project"),
        ("texts/a.txt;texts/b.txt", None, "the file field names 2 files"),
        ("texts/paper.pdf", b"%PDF-1.4", "is a PDF, which is not read"),
        ("texts/page.html", b"<p>x</p>", "is not a .txt or .md file"),
    ],
)
def test_bad_archive_files_are_errors_at_the_entry(tmp_path, field, setup, message):
    if setup is not None:
        target = tmp_path / "bib" / field
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(setup)
    texts, [diag] = load_texts({"k": source(field)}, tmp_path)
    assert texts == {}
    assert diag.severity is Severity.ERROR
    assert str(diag.location) == "bib/library.bib:3"
    assert message in diag.message
    assert diag.hint


def test_archive_txt_md_and_zotero_file_fields_are_read(tmp_path):
    write(tmp_path / "bib" / "texts" / "a.txt", "\ufeffFirst\n\n  Second  \n")
    write(tmp_path / "bib" / "texts" / "b.md", "# Heading\nText\n")
    texts, diags = load_texts(
        {"a": source("texts/a.txt", "a"), "b": source("Full text:texts/b.md:text/markdown", "b")}, tmp_path
    )
    assert diags == []
    assert texts["a"].paragraphs == ("First", "Second")
    assert texts["a"].path == "bib/texts/a.txt"
    assert texts["b"].paragraphs == ("# Heading", "Text")


def test_a_symbolic_link_out_of_the_project_is_not_followed(tmp_path):
    outside = write(tmp_path / "outside.txt", "secret\n")
    (tmp_path / "project" / "bib").mkdir(parents=True)
    (tmp_path / "project" / "bib" / "link.txt").symlink_to(outside)
    _, [diag] = load_texts({"k": source("link.txt")}, tmp_path / "project")
    assert "outside the project" in diag.message


# -- Text fragments ---------------------------------------------------------------------------


def test_text_fragment_examples_of_the_specification():
    url = "https://example.com"
    assert fragments.text_fragment(url, "an example text fragment") == url + "#:~:text=an%20example%20text%20fragment"
    assert fragments.text_fragment(url, "an example", "text fragment") == url + "#:~:text=an%20example,text%20fragment"


def test_dash_comma_and_ampersand_are_always_percent_encoded():
    assert fragments.encode_term("Beijing-Moscow, trade & arms") == "Beijing%2DMoscow%2C%20trade%20%26%20arms"
    assert fragments.encode_term("‘no limits’") == "%E2%80%98no%20limits%E2%80%99"


def test_an_existing_fragment_is_kept_before_the_directive():
    assert fragments.text_fragment("https://e.org/p#sec", "x") == "https://e.org/p#sec:~:text=x"


@given(st.text(min_size=1).filter(lambda s: s.split()), st.text().filter(lambda s: s.split()))
def test_fragments_decode_to_their_terms(start, end):
    url = fragments.text_fragment("https://example.com/a", start, end)
    assert fragments.decode(url) == (" ".join(start.split()), " ".join(end.split()))


def test_a_long_passage_is_linked_by_its_first_and_last_words():
    [found] = find(TEXT, "Trade reached US$146.9 billion — a record — in 2021, and the Beijing–Moscow")
    link = fragments.passage_link("https://e.org/", found)
    assert fragments.decode(link) == ("Trade reached US$146.9 billion", "2021, and the Beijing–Moscow")


# -- End to end: a deliberate misquote stops check and build ------------------------------------------


def test_misquote_and_wrong_locator_stop_the_build_at_the_claim(mini):
    """Each is an error at the claim's path:line with a useful hint; the site already built stays as it was."""
    note = mini / "content" / "notes" / "baev-note.md"
    good = note.read_text(encoding="utf-8")
    assert cli(mini, "--strict", "check").returncode == 0
    assert cli(mini, "build").returncode == 0
    built = (mini / "site" / "alpha" / "index.html").read_bytes()
    note.write_text(
        good.replace('quote: "meagre USD 5.56 billion"', 'quote: "meagre USD 5.65 billion"'), encoding="utf-8"
    )
    done = cli(mini, "check")
    assert done.returncode == 1
    assert (
        "content/notes/baev-note.md:8: error: quotation of baev2021 on 'trade-1992' is not in the source text"
        in done.stderr
    )
    assert "closest passage, para. 14: “meagre USD 5.56 billion,”" in done.stderr
    note.write_text(good.replace("locator: para. 14", "locator: para. 15"), encoding="utf-8")
    done = cli(mini, "build")
    assert done.returncode == 1
    assert (mini / "site" / "alpha" / "index.html").read_bytes() == built  # the previous site stays
    assert (
        "content/notes/baev-note.md:8: error: quotation of baev2021 on 'trade-1992' is not at 'para. 15'" in done.stderr
    )
    assert "found in para. 14" in done.stderr


def test_claims_json_records_each_verification(mini):
    out = mini / "out"
    assert cli(mini, "emit", str(out)).returncode == 0
    import json

    claims = {c["id"]: c for c in json.loads((out / "docs" / "claims.json").read_text())["claims"]}
    assert claims["claim-trade-1992--baev2021"]["verification"] == {
        "status": "verified",
        "verified": True,
        "paragraph": 14,
        "spans": [[20, 43]],
    }
    assert claims["claim-trade-2020--lo2008"]["verification"]["status"] == "verified"


def test_a_broken_archive_field_stops_the_build_at_the_entry(mini):
    library = mini / "bib" / "library.bib"
    library.write_text(
        library.read_text(encoding="utf-8").replace("texts/lo2008.txt", "../../../etc/passwd"), encoding="utf-8"
    )
    done = cli(mini, "check")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert (
        "bib/library.bib:16: error: archived text of 'lo2008': '../../../etc/passwd' is outside the project"
        in done.stderr
    )


def test_an_apparent_disagreement_is_explained_and_keeps_its_old_address(mini):
    topic = mini / "content" / "topics" / "alpha.md"
    topic.write_text(
        topic.read_text(encoding="utf-8").replace(
            "    resolution: The later source had more data.\n",
            "    resolution: The later source had more data.\n"
            "    apparent: One speaks of trade, the other of politics.\n",
        ),
        encoding="utf-8",
    )
    out = mini / "out"
    assert cli(mini, "emit", str(out)).returncode == 0
    page = (out / "docs" / "alpha.md").read_text(encoding="utf-8")
    # It dissolves on reading: its title says so, and why is our reading, in view; who says what opens on demand.
    assert '!!! disagreement "Apparent disagreement: Direction of the partnership"' in page
    callout = page.split('!!! disagreement "Apparent disagreement: Direction of the partnership"')[1]
    reading, closed = callout.split("??? info", 1)
    assert "**Our reading:** One speaks of trade, the other of politics." in reading
    assert 'class="research-sides"' in closed
    assert "research-sides" not in reading
    assert 'id="disagreement-apparent-trend"' in page
    assert 'id="disagreement-assessment-trend"' in page
    assert "*What the positions mean:* **Peaked**: the partnership has reached its high point" in page
    assert "([sources seem to differ](#disagreement-apparent-trend))" in page


def test_a_suspected_error_is_shown_once_in_the_callout_of_its_disagreement(mini):
    note = mini / "content" / "notes" / "lo-note.md"
    note.write_text(
        note.read_text(encoding="utf-8").replace(
            'quote: "trade stood at US$5.85 billion"}',
            'quote: "trade stood at US$5.85 billion", suspect: "a misprint of 5.58"}',
        ),
        encoding="utf-8",
    )
    out = mini / "out"
    assert cli(mini, "emit", str(out)).returncode == 0
    page = (out / "docs" / "alpha.md").read_text(encoding="utf-8")
    assert page.count('id="disagreement-internal-trade-1992"') == 1  # its address: in the disagreement's callout
    assert "Possible error in a source: Bilateral trade" not in page  # no callout of its own
    assert page.count("!!! disagreement") == 2  # still the two of the page
    callout = page.split('!!! disagreement "Figures disagree: Bilateral trade (1992)"')[1].split("!!!")[0]
    assert 'id="disagreement-internal-trade-1992"' in callout
    reading = callout.split("??? info")[0]  # in view, named by the source's reader label
    assert "⚠ Possible error in Lo 2008 (USD 5.85 bn): A misprint of 5.58.</p>" in reading
    assert "lo2008" not in reading.replace("sources/lo2008.md", "")
    assert '**US$5.85 billion** <abbr title="suspected error in the source">⚠</abbr> —' in callout
    listing = (out / "docs" / "inconsistencies.md").read_text(encoding="utf-8")
    # The index's line for the possible error leads to the disagreement's callout, which shows it.
    row = next(line for line in listing.split("\n") if 'id="disagreement-internal-trade-1992"' in line)
    assert "(alpha.md#disagreement-numeric-trade-1992)" in row
    assert "Possible error in a source" in row


def test_paragraphs_are_the_non_empty_lines_as_editors_count_them():
    assert paragraphs_of("One\r\n\r\nTwo\u2028still two\rThree\n  \n\xa0\nFour") == (
        "One",
        "Two\u2028still two",
        "Three",
        "Four",
    )


def test_a_changed_archived_text_is_noticed_by_the_next_build(mini):
    """The build cache keys on the archived texts too: a rebuild after editing one checks again."""
    assert cli(mini, "build").returncode == 0
    text = mini / "bib" / "texts" / "baev2021.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("a meagre USD", "a modest USD"), encoding="utf-8")
    done = cli(mini, "build")
    assert done.returncode == 1
    assert (
        "content/notes/baev-note.md:8: error: quotation of baev2021 on 'trade-1992' is not in the source text"
        in done.stderr
    )


FOLDABLE = "ab -\u2013\u2014\u00ad \u201c\u201d\u2019'\n\t\u00a0.\u2003"


@given(st.text(alphabet=FOLDABLE, max_size=40))
def test_folded_text_maps_back_to_the_original_character_by_character(text):
    folded = normalise(text)
    assert len(folded.offsets) == len(folded.text) + 1
    assert folded.offsets[-1] == len(text)
    assert list(folded.offsets) == sorted(set(folded.offsets))  # strictly increasing
    for char, at in zip(folded.text, folded.offsets, strict=False):
        original = text[at]
        if char == " ":
            assert original.isspace()
        else:
            assert normalise(original).text == char  # the same character, or its folded variant
    assert "  " not in folded.text
    assert " -" not in folded.text
    assert "- " not in folded.text
    assert folded.text == folded.text.strip()
    assert "\u00ad" not in folded.text
