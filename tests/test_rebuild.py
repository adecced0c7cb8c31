"""Adding a source and rebuilding: new claims, new disagreements and a change report appear."""

from __future__ import annotations

from bs4 import BeautifulSoup

from .conftest import cli, write

NEW = """@article{chen2023,
  author  = {Chen, Li},
  title   = {Counting the Trade},
  journal = {Trade Review},
  year    = {2023}
}
"""


def test_add_source_conflicting_claim_and_rebuild(mini):
    first = cli(mini, "build")
    assert first.returncode == 0, first.stderr
    assert "changes: first build" in first.stderr
    library = mini / "bib" / "library.bib"
    original = library.read_bytes()

    added = cli(mini, "add-source", "-", stdin=NEW)
    assert added.returncode == 0, added.stderr
    assert library.read_bytes().startswith(original)
    note = mini / "content" / "notes" / "chen2023.md"
    assert note.is_file()
    again = cli(mini, "add-source", "-", stdin=NEW)
    assert again.returncode == 1
    assert "already exists" in again.stderr

    # The author fills in the note: a claim on 2020 trade that conflicts with Lo and Gómez.
    write(
        note,
        "---\nid: chen2023\ntitle: Chen on trade\nsources: [chen2023]\ntopics: [alpha]\n"
        'claims:\n  - {fact: trade-2020, value: US$140 billion, locator: p. 7, quote: "some 140 billion"}\n---\n'
        "Chen counts more trade [@chen2023, p. 7].\n",
    )
    second = cli(mini, "build")
    assert second.returncode == 0, second.stderr
    report = second.stderr
    assert "changes: notes: +1 -0; added: chen2023" in report
    assert "changes: claims: +1 -0; added: claim-trade-2020--chen2023" in report
    assert "changes: new disagreements (1): Bilateral trade (2020): 2 figures from 3 sources" in report
    # Chen's text is not archived: the claim is shown, flagged as not checked (a warning, not an error).
    assert "content/notes/chen2023.md:7: warning: quotation of chen2023 on 'trade-2020' is not checked" in report

    site = mini / "site"
    source = BeautifulSoup((site / "sources" / "chen2023" / "index.html").read_text(), "html.parser")
    assert (
        source.select_one("div.research-reference").get_text() == "Chen, Li. 2023. “Counting the Trade.” Trade Review."
    )
    alpha = BeautifulSoup((site / "alpha" / "index.html").read_text(), "html.parser")
    callout = alpha.find(id="disagreement-numeric-trade-2020").find_parent("div", class_="disagreement")
    assert "US$140 billion" in callout.get_text()
    assert "US$107.7 billion" in callout.get_text()
    assert "some 140 billion (not checked against the source text)" in callout.get_text()
    # Anchors of unrelated claims and callouts did not move.
    baev = BeautifulSoup((site / "notes" / "baev-note" / "index.html").read_text(), "html.parser")
    assert alpha.find(id="disagreement-numeric-trade-1992")
    assert baev.find(id="claim-trade-1992--baev2021")

    third = cli(mini, "build")
    assert "changes: no changes since the previous build" in third.stderr


WANG = """@online{wang2024,
  author  = {Wang, Mei},
  title   = {Past the Peak},
  date    = {2024-03},
  url     = {https://example.org/past-the-peak},
  file    = {texts/wang2024.txt}
}
"""


def test_new_source_with_archived_text_misspelt_position_then_widened_disagreement(mini):
    """A new user's round: add a source and its text, mistype a position, read the hint, fix it, rebuild."""
    assert cli(mini, "build").returncode == 0
    write(
        mini / "bib" / "texts" / "wang2024.txt",
        "Past the Peak\n\nThe partnership has peaked, and the slide has begun.\n",
    )
    assert cli(mini, "add-source", "-", stdin=WANG).returncode == 0
    note = mini / "content" / "notes" / "wang2024.md"
    claim = 'claims:\n  - {fact: trend, value: past its peak, position: %s, quote: "The partnership has peaked"}\n'
    write(
        note,
        "---\nid: wang2024\ntitle: Wang on the trend\nsources: [wang2024]\ntopics: [alpha]\n"
        + claim % "peeked"
        + "---\nWang sees a decline [@wang2024, para. 2].\n",
    )
    wrong = cli(mini, "check")
    assert wrong.returncode == 1
    assert (
        "content/notes/wang2024.md:7: error: 'peeked' is not a position of trend (hint: did you mean 'peaked'?"
        in wrong.stderr
    )
    note.write_text(note.read_text(encoding="utf-8").replace("peeked", "peaked"), encoding="utf-8")
    done = cli(mini, "build")
    assert done.returncode == 0, done.stderr
    assert (
        "changes: widened disagreements (1): Direction of the partnership: 2 assessments from 3 sources "
        "(+Peaked Wang 2024)"
    ) in done.stderr  # as readers see them
    alpha = BeautifulSoup((mini / "site" / "alpha" / "index.html").read_text(), "html.parser")
    callout = alpha.find(id="disagreement-assessment-trend").find_parent("div", class_="disagreement")
    passage = callout.find("a", class_="research-passage", href=lambda h: h and "past-the-peak" in h)
    assert passage["href"] == "https://example.org/past-the-peak#:~:text=The%20partnership%20has%20peaked"
    assert passage.get_text() == "para. 2, at the publisher"  # the locator, computed from where the quotation was found
