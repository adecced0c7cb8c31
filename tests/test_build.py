"""End to end: the mini corpus through the CLI and each renderer (MkDocs, Zensical), with assertions on the HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts import pipeline
from build_scripts.citations import runs
from build_scripts.citations.style import StyleError
from build_scripts.config import load_settings
from build_scripts.diagnostics import Severity
from build_scripts.render import citepage

from .conftest import cli, commit_all, copy_fixture, git, write
from .renderers import RENDERERS, Renderer


@pytest.fixture(scope="module", params=RENDERERS)
def renderer(request) -> Renderer:
    """Each renderer in turn: every test of the built site runs once per renderer."""
    return request.param


@pytest.fixture(scope="module")
def site(renderer: Renderer, tmp_path_factory) -> Path:
    project = copy_fixture("mini", tmp_path_factory.mktemp(f"e2e-{renderer.name}") / "mini")
    commit_all(project, "2024-05-06T12:00:00+00:00")
    done = cli(project, "build", "--renderer", renderer.name)
    assert done.returncode == 0, done.stderr
    return project / "site"


def html(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_pages_exist(site):
    for page in [
        "index.html",
        "alpha/index.html",
        "beta/index.html",
        "sources/baev2021/index.html",
        "bibliography/index.html",
        "inconsistencies/index.html",
        "notes/baev-note/index.html",
        "notes/index.html",
        "claims.json",
    ]:
        assert (site / page).is_file(), page


BAEV_REFERENCE = (
    "Baev, Pavel K. 2021. “Russia and China: A Mutually Exaggerated Strategic Partnership?” China Brief 21 (20)."
)


def test_citations_are_short_form_footnotes_with_the_full_reference_once_at_the_end(site):
    """A footnote reads "Baev 2021, p. 3."; the full reference is in the page's References list (and tooltip)."""
    soup = html(site, "alpha/index.html")
    refs = soup.select("a.footnote-ref")
    assert refs
    assert all(a["href"].startswith("#fn:") for a in refs)
    first = soup.select("div.footnote li")[0]
    short = first.find("p").find("a")
    assert (short.get_text(), short["href"]) == ("Baev 2021", "#ref-baev2021")
    # the first mark in reading order: the figure embedded before the sentence's own citation
    assert first.find("a", class_="research-passage").get_text() == "para. 14, at the publisher"  # where it leads
    full = first.find("span", class_="research-fullref")  # shown only in the tooltip (stylesheet)
    assert full.get_text(" ", strip=True).startswith(BAEV_REFERENCE)
    assert full.find("a", href="../sources/baev2021/").get_text() == "Source page"
    heading = soup.find("h2", id="references")
    entries = heading.find_next("ul").find_all("li")
    assert next(e for e in entries if e.find(id="ref-baev2021")).get_text(" ", strip=True).startswith(BAEV_REFERENCE)
    keys = [e.find("span", class_="anchor")["id"] for e in entries]
    assert len(keys) == len(set(keys))  # each source once
    assert len(soup.select("div.footnote li")) > len(keys)  # footnotes repeat the short form, not the reference


def test_footnote_tooltips_are_enabled(site):
    soup = html(site, "alpha/index.html")
    config = json.loads(soup.find("script", id="__config").string)
    assert "content.footnote.tooltips" in config["features"]


def test_code_and_email_are_not_citations(site):
    text = html(site, "alpha/index.html").get_text()
    assert "[@notakey]" in text
    assert "[@alsonotakey]" in text
    assert "me@example.org" in text


def test_disagreement_callouts(site):
    soup = html(site, "alpha/index.html")
    callouts = soup.select("div.admonition.disagreement")
    assert len(callouts) == 2
    numeric = soup.find(id="disagreement-numeric-trade-1992").find_parent("div", class_="disagreement")
    assert "Figures disagree: Bilateral trade (1992)" in numeric.select_one(".admonition-title").get_text()
    rows = [li.get_text(" ", strip=True) for li in numeric.select(".research-sides li")]
    assert rows == [
        "Baev 2021 : USD 5.56 billion — meagre USD 5.56 billion",  # in <q>: marks from CSS
        "Lo 2008 : US$5.85 billion — trade stood at US$5.85 billion",
    ]
    # Where each says it, and the permalink, are in a block that opens on demand (closed at first).
    details = numeric.find("details")
    assert details is not None
    assert not details.has_attr("open")
    assert [li.get_text(" ", strip=True) for li in details.find_all("li")] == [
        "Baev 2021: para. 14, at the publisher",
        "Lo 2008: p. 2",
    ]
    assert details.find("a", class_="research-permalink")["href"] == "#disagreement-numeric-trade-1992"
    trend = soup.find(id="disagreement-assessment-trend").find_parent("div", class_="disagreement")
    # Our reading is in view, outside the closed block; what the positions mean is inside it.
    reading = trend.select_one("p.research-reading")
    assert reading.get_text(" ", strip=True).startswith("Our reading: The later source had more data.")
    assert reading.find_parent("details") is None
    assert "What the positions mean" in trend.find("details").get_text()
    # Agreeing claims (107.7 vs 107.70) render as a plain cited statement.
    assert not soup.find(id="disagreement-numeric-trade-2020")


def test_chart_on_topic_page(site):
    svg = html(site, "alpha/index.html").select_one(".research-chart svg")
    assert svg.find("title").get_text() == "Bilateral trade"
    assert len(svg.select("path.point")) == 4


def test_source_page_lists_citing_notes_and_disagreements(site):
    soup = html(site, "sources/baev2021/index.html")
    text = soup.get_text(" ", strip=True)
    assert "Argues that the partnership is weaker" in text
    cited = soup.find(id="cited-by").find_next("ul").get_text(" ", strip=True)
    assert "Alpha topic" in cited
    assert "Baev on trade" in cited
    assert soup.find("a", href="../../alpha/#disagreement-numeric-trade-1992")


def test_backlinks_and_bibliography(site):
    beta = html(site, "beta/index.html")
    # A topic page names the notes linking to it with its own notes.
    also = next(
        p
        for p in beta.find(id="notes-on-this-topic").find_all_next("p", class_="research-links")
        if p.get_text().startswith("Also linked from:")
    )
    assert also.find("a", string="Alpha topic")
    bib = html(site, "bibliography/index.html").select(".md-content li")
    assert [li.get_text(" ", strip=True)[:10] for li in bib] == ["Baev, Pave", "Gómez, Ana", "Lo, Bobo. "]
    assert "“Trade Figures.”" in bib[1].get_text()


def test_inconsistencies_page_and_export(site):
    page = html(site, "inconsistencies/index.html")
    assert page.find("a", href="../alpha/#disagreement-numeric-trade-1992")
    data = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    by_id = {i["id"]: i for i in data["inconsistencies"]}
    issue = by_id["disagreement-numeric-trade-1992"]
    assert issue["kind"] == "numeric"
    assert issue["topics"] == ["alpha"]
    assert issue["claims"] == ["claim-trade-1992--baev2021", "claim-trade-1992--lo2008"]
    claim = next(c for c in data["claims"] if c["id"] == "claim-trade-1992--baev2021")
    assert claim["value"] == "USD 5.56 billion"
    assert claim["locator"] == "para. 14"
    assert claim["normalised"]["low"] < 5.56e9 < claim["normalised"]["high"]


def test_unknown_citekey_fails_check_and_build_and_keeps_the_old_site(mini):
    assert cli(mini, "build").returncode == 0
    before = {p: p.read_bytes() for p in (mini / "site").rglob("*") if p.is_file()}
    write(mini / "content" / "notes" / "bad.md", "---\nid: bad\ntitle: Bad\n---\n\nCites [@nobody2020, p. 1].\n")
    for command in ("check", "build"):
        done = cli(mini, command)
        assert done.returncode == 1
        assert "content/notes/bad.md:6:7: error: unknown citekey 'nobody2020'" in done.stderr
        assert "Traceback" not in done.stderr
    after = {p: p.read_bytes() for p in (mini / "site").rglob("*") if p.is_file()}
    assert after == before


def test_check_exit_codes(mini):
    assert cli(mini, "check").returncode == 0
    assert cli(mini, "no-such-command").returncode == 2
    write(
        mini / "content" / "notes" / "w.md",
        "---\nid: w\ntitle: W\nsources: [lo2008]\nclaims:\n  - {fact: trend, value: up, position: rising}\n---\n",
    )
    done = cli(mini, "check")
    assert done.returncode == 0
    assert "content/notes/w.md:6: warning: claim on 'trend' by 'lo2008' has no locator" in done.stderr
    assert cli(mini, "--strict", "check").returncode == 1


def test_highwire_metadata_on_topic_page(site):
    soup = html(site, "alpha/index.html")
    meta = {}
    for tag in soup.find_all("meta", attrs={"name": lambda n: n and n.startswith("citation_")}):
        meta.setdefault(tag["name"], []).append(tag["content"])
    assert meta["citation_title"] == ["Alpha topic"]
    assert meta["citation_author"] == ["Author, Test"]
    assert meta["citation_public_url"] == ["https://mini.example.org/alpha/"]
    assert meta["citation_publication_date"] == ["2024/05/06"]
    references = meta["citation_reference"]
    assert len(references) == 3  # baev2021, lo2008, gomez2022: one per cited source
    assert any(
        r.startswith(
            "citation_title=Russia and China: A Mutually Exaggerated Strategic Partnership?; "
            "citation_author=Baev, Pavel K."
        )
        for r in references
    )


def test_coins_on_bibliography_and_source_pages(site):
    from urllib.parse import parse_qsl

    spans = html(site, "bibliography/index.html").select("span.Z3988")
    assert len(spans) == 3
    pairs = dict(parse_qsl(spans[0]["title"]))
    assert pairs["rft.atitle"] == "Russia and China: A Mutually Exaggerated Strategic Partnership?"
    assert pairs["rft.jtitle"] == "China Brief"
    assert pairs["rft.aulast"] == "Baev"
    assert html(site, "sources/lo2008/index.html").select_one("span.Z3988")


def test_cite_this_page(site):
    soup = html(site, "alpha/index.html")
    heading = soup.find(id="cite-this-page")
    tabs = heading.find_next("div", class_="tabbed-set")
    labels = [label.get_text(strip=True) for label in tabs.select(".tabbed-labels label")]
    assert labels == ["Formatted", "BibTeX", "RIS"]
    formatted = tabs.select_one(".tabbed-block").get_text(" ", strip=True)
    assert formatted == (
        "Author, Test. 2024. “Alpha topic.” Mini Study, May 6. https://mini.example.org/alpha/. "
        "Accessed [the date you read it] ."
    )  # research.js puts in the reader's date
    bibtex, ris = [code.get_text() for code in tabs.select("pre code")]
    assert bibtex.startswith("@online{")
    assert "url = {https://mini.example.org/alpha/}" in " ".join(bibtex.split())
    assert "TY  - ELEC" in ris
    assert "UR  - https://mini.example.org/alpha/" in ris


def test_claims_have_permalinks_with_citations(site):
    soup = html(site, "notes/baev-note/index.html")
    anchor = soup.find(id="claim-trade-1992--baev2021")
    link = anchor.find_next("a", class_="research-permalink")
    assert link["href"] == "#claim-trade-1992--baev2021"
    assert link["data-cite"] == "Baev 2021, para. 14: Bilateral trade (1992): USD 5.56 billion"
    callout = (
        html(site, "alpha/index.html")
        .find(id="disagreement-numeric-trade-1992")
        .find_parent("div", class_="disagreement")
    )
    assert callout.find("a", class_="research-permalink")["href"] == "#disagreement-numeric-trade-1992"


def test_search_index_covers_every_page_sources_included(site, renderer):
    docs = json.loads((site / renderer.search_index).read_text(encoding="utf-8"))[renderer.search_entries]
    locations = {d["location"].split("#")[0] for d in docs}
    assert {"alpha/", "bibliography/", "notes/baev-note/", "sources/baev2021/"} <= locations


def test_sitemap_lists_every_page_dated_where_the_renderer_dates_them(site, renderer):
    sitemap = BeautifulSoup((site / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    locations = [loc.get_text() for loc in sitemap.find_all("loc")]
    assert {
        "https://mini.example.org/alpha/",
        "https://mini.example.org/sources/baev2021/",
        "https://mini.example.org/notes/baev-note/",
    } <= set(locations)
    dates = [lastmod.get_text() for lastmod in sitemap.find_all("lastmod")]
    assert dates == (["2024-05-06"] * len(locations) if renderer.sitemap_lastmod else [])  # the last commit's day


def test_home_page_title(site, renderer):
    nav = pipeline.build(load_settings(site.parent / "mkdocs.yml")).nav
    expected = renderer.home_title if any(item.path == "index.md" for item in nav) else "Home - {site}"
    assert html(site, "index.html").title.get_text() == expected.format(site="Mini study")


def test_meta_tags_are_encoded_as_the_renderer_does_and_mean_the_same(site, renderer):
    raw = (site / "alpha" / "index.html").read_text(encoding="utf-8")
    url = "https://mini.example.org/alpha/".replace("/", renderer.slash_in_meta)
    assert f'<meta name="citation_public_url" content="{url}">' in raw
    assert (
        html(site, "alpha/index.html").find("meta", attrs={"name": "citation_public_url"})["content"]
        == "https://mini.example.org/alpha/"
    )


def test_pages_of_several_dates_are_each_cited_with_their_own_from_the_library_s_run_of_the_processor(
    tmp_path, monkeypatch
):
    """A page is dated by its inputs' last commit; the citation shapes of every date are formatted with the library."""
    project = copy_fixture("mini", tmp_path / "mini")
    commit_all(project, "2024-05-06T12:00:00+00:00")
    note = project / "content/notes/lo-note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nA later thought.\n", encoding="utf-8")
    git(project, "commit", "-q", "-am", "later", date="2024-07-01T12:00:00+00:00")
    made = []
    shared = runs.shared
    monkeypatch.setattr(runs, "shared", lambda *args: made.append(args) or shared(*args))
    settings = load_settings(project / "mkdocs.yml")
    result = pipeline.build(settings)
    assert result.folder is not None
    cited = {p.path: (result.folder / p.path).read_text(encoding="utf-8") for p in result.pages}
    assert "2024/07/01" in cited["notes/lo-note.md"]
    assert "2024/05/06" in cited["notes/baev-note.md"]
    assert "Mini Study, July 1." in cited["notes/lo-note.md"]
    assert "Mini Study, May 6." in cited["notes/baev-note.md"]
    assert len(made) == 1  # one run of citeproc-js: the library's, with the pages' citation shapes in it
    assert {"shape-2024-05-06-1", "shape-2024-07-01-1"} <= set(made[0][7])


def test_a_style_that_fails_on_the_pages_own_citations_is_reported_and_nothing_is_built(tmp_path, monkeypatch):
    project = copy_fixture("mini", tmp_path / "mini")

    def fails(ctx):
        raise StyleError("citation style 'mine' cannot format this library: TypeError")

    monkeypatch.setattr(citepage, "format_shapes", fails)
    result = pipeline.build(load_settings(project / "mkdocs.yml"))
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert [str(d).split(": ", 1)[0] for d in errors] == ["mkdocs.yml"]
    assert "cannot format this library" in str(errors[0])
    assert not result.pages
