"""Every paragraph of an archived source feeds a claim or is passed over with a reason, and the site says which."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from build_scripts.check.coverage import coverage, paras, ranges
from build_scripts.library.archive import ArchivedText, paragraphs_of
from build_scripts.model import Claim, Location, PassedOver, Severity, Source
from build_scripts.notes.load import parse_note

from .conftest import cli, write

TEXT = "Title\n\nFirst point about trade.\nSecond point about arms.\n\nAuthor biography.\n"
SOURCE = Source("s", "online", {}, Location("bib/library.bib", 3))


def text() -> ArchivedText:
    return ArchivedText("s", "bib/texts/s.txt", paragraphs_of(TEXT))


def claim(locator: str, cid: str = "c1") -> Claim:
    return Claim(
        fact="f", source="s", value="v", note="n", location=Location("content/n.md", 5), locator=locator, id=cid
    )


def passed(locator: str, reason: str = "page furniture", line: int = 9) -> PassedOver:
    return PassedOver("s", locator, reason, Location("content/n.md", line))


def test_each_paragraph_has_its_claims_or_its_reason():
    uses, diags = coverage(
        {"s": text()},
        {"s": SOURCE},
        [claim("para. 2"), claim("paras. 2–3", "c2")],
        {},
        [passed("para. 1", "the title"), passed("para. 4", "author biography")],
    )
    assert diags == []
    assert [(u.number, u.claims, u.passed_over) for u in uses["s"]] == [
        (1, (), "the title"),
        (2, ("c1", "c2"), ""),
        (3, ("c2",), ""),
        (4, (), "author biography"),
    ]


def test_paragraphs_with_neither_are_one_warning_at_the_entry_naming_them():
    _, diags = coverage({"s": text()}, {"s": SOURCE}, [claim("para. 2")], {}, [])
    (warning,) = diags
    assert warning.severity is Severity.WARNING
    assert str(warning.location) == "bib/library.bib:3"
    assert "paras. 1, 3–4 of 's' feed no claim and are not passed over" in warning.message
    assert "passed_over" in warning.hint


@pytest.mark.parametrize(
    ("entries", "severity", "message"),
    [
        pytest.param(
            [passed("para. 9")],
            Severity.ERROR,
            "'s' has 4 paragraphs: para. 9 cannot be passed over",
            id="beyond-the-text",
        ),
        pytest.param(
            [passed("para. 1"), passed("para. 1", "again", 12)],
            Severity.WARNING,
            "para. 1 of 's' is passed over twice (also at content/n.md:9)",
            id="twice",
        ),
        pytest.param(
            [passed("para. 2")],
            Severity.WARNING,
            "para. 2 of 's' is passed over, yet claims are drawn from it",
            id="passed-over-and-drawn-on",
        ),
    ],
)
def test_a_passed_over_entry_that_cannot_be_right_is_reported_where_it_is_written(entries, severity, message):
    _, diags = coverage({"s": text()}, {"s": SOURCE}, [claim("para. 2")], {}, entries)
    found = [d for d in diags if message in d.message]
    assert found, diags
    assert found[0].severity is severity, diags
    assert found[0].location.path == "content/n.md", diags


def test_a_claim_located_by_page_draws_on_the_paragraph_where_its_quotation_was_found():
    from build_scripts.check.verify import QuoteStatus, Verification
    from build_scripts.library.archive import Passage

    found = {"c1": Verification(QuoteStatus.VERIFIED, Passage(3, ((0, 5),), ("Second",)))}
    uses, _ = coverage({"s": text()}, {"s": SOURCE}, [claim("p. 4")], found, [])
    assert uses["s"][2].claims == ("c1",)


NOTE = "---\nid: n\ntitle: N\nsources: [{sources}]\npassed_over:\n{entries}---\nBody.\n"


@pytest.mark.parametrize(
    ("sources", "entries", "message"),
    [
        pytest.param("s", "  - {locator: para. 2}\n", "passed_over entry gives no reason", id="no-reason"),
        pytest.param(
            "s",
            "  - {locator: p. 2, reason: x}\n",
            "passed_over locator 'p. 2' names no paragraph",
            id="not-a-paragraph",
        ),
        pytest.param("s, t", "  - {locator: para. 2, reason: x}\n", "passed_over entry has no source", id="no-source"),
        pytest.param(
            "s", "  - {locator: para. 2, reason: x, why: y}\n", "unknown passed_over key 'why'", id="unknown-key"
        ),
    ],
)
def test_a_malformed_passed_over_entry_is_an_error_at_its_line(tmp_path, sources, entries, message):
    path = write(tmp_path / "content" / "n.md", NOTE.format(sources=sources, entries=entries))
    _, diags = parse_note(path.read_bytes(), "content/n.md")
    assert any(d.severity is Severity.ERROR and message in d.message and d.location.line == 6 for d in diags), diags


def test_a_passed_over_entry_takes_the_notes_single_source(tmp_path):
    path = write(
        tmp_path / "content" / "n.md",
        NOTE.format(sources="s", entries="  - {locator: paras. 1–2, reason: the title}\n"),
    )
    note, diags = parse_note(path.read_bytes(), "content/n.md")
    assert diags == []
    assert note.passed_over == (PassedOver("s", "paras. 1–2", "the title", Location("content/n.md", 6)),)


def test_ranges_and_locators_of_paragraphs():
    assert ranges([7, 1, 2, 3]) == [(1, 3), (7, 7)]
    assert paras([4]) == "para. 4"
    assert paras([1, 2, 3, 7]) == "paras. 1–3, 7"


def test_claims_json_and_the_source_page_say_what_is_drawn_on_and_passed_over(mini):
    done = cli(mini, "build")
    assert done.returncode == 0, done.stderr
    assert "feed no claim" not in done.stderr, done.stderr
    data = json.loads((mini / "site" / "claims.json").read_text(encoding="utf-8"))
    lo = data["sources"]["lo2008"]["paragraphs"]
    assert lo[0] == {"n": 1, "claims": [], "passed_over": "the excerpt's title"}
    assert all(
        p["claims"] or p["passed_over"] for source in data["sources"].values() for p in source.get("paragraphs", [])
    )
    page = BeautifulSoup(
        (mini / "site" / "sources" / "lo2008" / "index.html").read_text(encoding="utf-8"), "html.parser"
    ).get_text(" ", strip=True)
    assert "Claims are drawn from 3 of the text's 4 paragraphs. 1 is passed over, with its reason:" in page
    assert "Para. 1: the excerpt's title" in page
