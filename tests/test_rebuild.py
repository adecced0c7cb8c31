"""Adding a source and rebuilding: new claims, new disagreements and a change report appear."""

from __future__ import annotations

import subprocess
import sys

from bs4 import BeautifulSoup

from .conftest import write

NEW = """@article{chen2023,
  author  = {Chen, Li},
  title   = {Counting the Trade},
  journal = {Trade Review},
  year    = {2023}
}
"""


def cli(project, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "build_scripts", *args], cwd=project, input=stdin,
                          capture_output=True, text=True, check=False)


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
    assert again.returncode == 1 and "already exists" in again.stderr

    # The author fills in the note: a claim on 2020 trade that conflicts with Lo and Gómez.
    write(note, "---\nid: chen2023\ntitle: Chen on trade\nsources: [chen2023]\ntopics: [alpha]\n"
                "claims:\n  - {fact: trade-2020, value: US$140 billion, locator: p. 7, quote: \"some 140 billion\"}\n---\n"
                "Chen counts more trade [@chen2023, p. 7].\n")
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
    assert source.select_one("div.research-reference").get_text() == "Chen, Li. 2023. “Counting the Trade.” Trade Review."
    alpha = BeautifulSoup((site / "alpha" / "index.html").read_text(), "html.parser")
    callout = alpha.find(id="disagreement-numeric-trade-2020").find_parent("div", class_="disagreement")
    assert "US$140 billion" in callout.get_text() and "US$107.7 billion" in callout.get_text()
    assert "some 140 billion (not checked against the source text)" in callout.get_text()
    # Anchors of unrelated claims and callouts did not move.
    assert alpha.find(id="disagreement-numeric-trade-1992") and alpha.find(id="claim-trade-1992--baev2021")

    third = cli(mini, "build")
    assert "changes: no changes since the previous build" in third.stderr
