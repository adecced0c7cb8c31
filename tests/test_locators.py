"""Every locator leads somewhere, and each source page says where its reference came from.

Built from the mini corpus, with Lo 2008 (no address) cited by paragraph and
its entry given a note and an approximate date; Baev 2021 has an address.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from build_scripts.render.linking import link_urls
from build_scripts.render.sourceinfo import uncertain

from .conftest import cli, copy_fixture
from .renderers import RENDERERS, Renderer

LO_NOTE = "Year on the title page; the publisher page at https://example.org/lo-2008 was consulted."


@pytest.fixture(scope="module", params=RENDERERS)
def site(request, tmp_path_factory) -> Path:
    renderer: Renderer = request.param
    project = copy_fixture("mini", tmp_path_factory.mktemp(f"locators-{renderer.name}") / "mini")
    note = project / "content" / "notes" / "lo-note.md"
    text = note.read_text(encoding="utf-8")
    text = text.replace("locator: p. 2", "locator: para. 2").replace("locator: p. 9", "locator: paras. 3–4")
    note.write_text(text.replace("[@lo2008, p. 9]", "[@lo2008, para. 4]"), encoding="utf-8")
    bib = project / "bib" / "library.bib"
    lo = "  year      = {2008}\n}"
    assert lo in bib.read_text(encoding="utf-8")
    bib.write_text(
        bib.read_text(encoding="utf-8").replace(lo, f"  date = {{2008~}},\n  note = {{{LO_NOTE}}}\n}}"),
        encoding="utf-8",
    )
    done = cli(project, "build", "--renderer", renderer.name)
    assert done.returncode == 0, done.stderr
    return project / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def block(soup: BeautifulSoup, anchor: str) -> list[Tag]:
    """The paragraph block an anchor opens: its heading and what follows, up to the next heading."""
    heading = soup.find(id=anchor)
    assert heading is not None, f"no #{anchor} on the page"
    parts = [heading]
    for sibling in heading.find_next_siblings():
        if sibling.name in {"h2", "h3"}:
            break
        parts.append(sibling)
    return parts


def test_a_paragraph_locator_without_an_address_leads_to_its_block_on_the_source_page(site):
    note = page(site, "notes/lo-note")
    row = next(tr for tr in note.select("tr") if "Bilateral trade (1992)" in tr.get_text())
    link = row.find("a", string="para. 2")
    assert link["href"] == "../../sources/lo2008/#para-2"
    source = page(site, "sources/lo2008")
    found = block(source, "para-2")
    quotes = [q.get_text() for part in found for q in part.select("q.research-quote")]
    assert quotes == ["In 1992 trade…", "trade stood at US$5.85 billion"]  # its first words, then the claim's
    claim = next(a for part in found for a in part.find_all("a") if "claim-trade-1992--lo2008" in a["href"])
    assert claim["href"] == "../../notes/lo-note/#claim-trade-1992--lo2008"
    assert claim.get_text() == "Lo on trade"
    section = source.find("h2", id="passages-this-site-draws-on").find_next("p").get_text()
    assert "No online copy of this text was located" in section


def test_a_range_leads_to_its_first_paragraph_and_is_listed_under_each(site):
    note = page(site, "notes/lo-note")
    assert note.find("a", string="paras. 3–4")["href"] == "../../sources/lo2008/#para-3"
    source = page(site, "sources/lo2008")
    for anchor in ("para-3", "para-4"):
        text = " ".join(part.get_text(" ") for part in block(source, anchor))
        assert "Relations are rising steadily" in text
        assert "(paras. 3–4)" in text
    # The note's text cites para. 4 too: the block says which notes cite it.
    cited = [a.get_text() for part in block(source, "para-4") for a in part.find_all("a")]
    assert "Lo on trade" in cited


def test_a_locator_naming_no_paragraph_keeps_linking_to_the_page_top(site):
    alpha = page(site, "alpha")
    link = next(a for a in alpha.find_all("a", string="p. 4"))
    assert link["href"] == "../sources/lo2008/"  # alpha/ is a folder of its own


def test_a_locator_of_a_source_with_an_address_says_it_opens_the_passage_at_the_publisher(site):
    note = page(site, "notes/baev-note")
    links = note.select("a.research-passage")
    assert links
    assert {a.get_text() for a in links} == {"para. 14, at the publisher", "para. 30, at the publisher"}
    assert all(":~:text=" in a["href"] and a["href"].startswith("https://jamestown.org/") for a in links)
    # Its source page lists the paragraphs too, for reading and searching.
    assert "meagre USD 5.56 billion" in " ".join(p.get_text() for p in block(page(site, "sources/baev2021"), "para-14"))


def test_the_source_page_says_how_the_reference_was_established(site):
    source = page(site, "sources/lo2008")
    heading = source.find("h2", id="about-this-reference")
    about = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        about.append(sibling)
    text = " ".join(s.get_text() for s in about)
    assert LO_NOTE in text  # the entry's note, as written
    assert "Date: approximate" in text
    assert "Online address: not established" in text
    assert "Author: not established" not in text  # Lo is named
    assert any(a.get("href") == "https://example.org/lo-2008" for s in about for a in s.find_all("a"))


def test_the_citekey_shows_only_in_the_closed_for_authors_block(site):
    source = page(site, "sources/lo2008")
    details = next(d for d in source.find_all("details") if d.summary.get_text() == "For authors")
    assert not details.has_attr("open")
    assert "lo2008" in details.get_text()
    details.decompose()
    article = source.find("article")
    cite = article.find("h2", id="cite-this-page")
    for later in [cite, *cite.find_next_siblings()]:
        later.decompose()  # "Cite this page" carries the page's own address
    visible = re.sub(r"https?://\S+", "", article.get_text(" "))
    assert "lo2008" not in visible
    assert "Citekey" not in visible


def test_addresses_in_references_are_links(site):
    url = "https://jamestown.org/program/russia-and-china-a-mutually-exaggerated-strategic-partnership/"
    bibliography = page(site, "bibliography")
    assert bibliography.select_one("span.research-reference a")["href"] == url
    alpha = page(site, "alpha")
    entry = alpha.find(id="ref-baev2021").parent
    assert entry.find("a", href=url).get_text() == url


@pytest.mark.parametrize(
    ("markup", "links"),
    [
        pytest.param("“T.” https://x.org/a_b.", [("https://x.org/a_b", "https://x.org/a_b")], id="full_stop_outside"),
        pytest.param(
            "(see https://x.org/p?a=1&amp;b=2)",
            [("https://x.org/p?a=1&b=2", "https://x.org/p?a=1&b=2")],
            id="entity_and_bracket",
        ),
        pytest.param(
            "https://x.org/&quot;onmouseover=&quot;alert(1)",
            [('https://x.org/"onmouseover="alert(1)', 'https://x.org/"onmouseover="alert(1)')],
            id="quote_stays_inside",
        ),
        pytest.param("javascript:alert(1) ftp://x.org", [], id="only_http"),
        pytest.param(
            '<a href="https://y.org">https://y.org</a>', [("https://y.org", "https://y.org")], id="no_double_link"
        ),
    ],
)
def test_only_http_addresses_become_links_and_cannot_leave_their_attribute(markup, links):
    soup = BeautifulSoup(link_urls(markup), "html.parser")
    found = soup.find_all("a")
    assert [(a["href"], a.get_text()) for a in found] == links
    assert all(list(a.attrs) == ["href"] for a in found)


@pytest.mark.parametrize(
    ("csl", "marks"),
    [
        pytest.param(
            {
                "title": "[Untitled essay]",
                "issued": {"date-parts": [[2022]], "circa": True},
                "publisher": "The China Story",
                "URL": "https://x.org/",
            },
            ["Author: not established", "Title: a description in brackets, not the source's own", "Date: approximate"],
            id="no_author_bracketed_title_approximate_date",
        ),
        pytest.param(
            {"title": "T", "author": [{"family": "Ye"}], "container-title": "J", "DOI": "10.1/x"},
            ["Date: not established"],
            id="doi_is_an_address",
        ),
        pytest.param(
            {"title": "T", "editor": [{"family": "Lo"}], "issued": {"date-parts": [[2008]]}},
            ["Outlet: not established", "Online address: not established"],
            id="editor_counts_as_author",
        ),
    ],
)
def test_what_an_entry_leaves_uncertain_is_listed_in_plain_words(csl, marks):
    assert uncertain(csl) == marks
