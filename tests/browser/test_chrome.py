"""The site's chrome as a reader meets it: no placeholder address, search, navigation, dark mode, citing a page.

Runs over the bundled corpus built with MkDocs and no SITE_URL (as in CI), in Debian's chromium.
Screenshots go to test-artifacts/browser/chrome-*.png.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .conftest import AXE

pytestmark = pytest.mark.browser

PLACEHOLDER_HOSTS = re.compile(r"example\.(org|com|net)|\.invalid\b|\.test\b|localhost", re.IGNORECASE)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_built_page_names_a_placeholder_host(bundled_site):
    """No page, sitemap or feed names example.org or another placeholder: without SITE_URL, no address at all."""
    found = {}
    for path in [*_pages(bundled_site), *bundled_site.rglob("*.xml")]:
        hits = sorted({m.group(0) for m in PLACEHOLDER_HOSTS.finditer(path.read_text(encoding="utf-8"))})
        if hits:
            found[str(path.relative_to(bundled_site))] = hits
    assert not found, found
    assert len(_pages(bundled_site)) >= 39
    military = (bundled_site / "military" / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in military
    assert 'name="citation_public_url"' not in military
    assert 'name="citation_title"' in military  # the rest of the citation metadata stays


def test_the_search_index_is_for_readers(bundled_site):
    """The index holds the research pages (source pages too), none of the authors' pages, and splits at dashes."""
    index = json.loads((bundled_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert not [p for p in pages if p.startswith(("authoring/", "reference/"))], sorted(pages)
    assert {"", "military/", "sources/baev2021/", "notes/overview/", "bibliography/"} <= pages
    separator = re.compile(index["config"]["separator"].replace("\\u200b", "\u200b"))
    for dash in "-–—":
        assert separator.split(f"rupee{dash}rouble") == ["rupee", "rouble"], dash


def test_searching_rouble_finds_a_page_that_says_rupee_rouble(open_page, bundled_url, artifacts):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}/")
    page.locator(".md-search__input").fill("rouble")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    assert re.search(r"rupee.rouble", results.first.inner_text(), re.IGNORECASE), results.first.inner_text()
    hrefs = results.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if "authoring/" in h or "reference/" in h], hrefs
    page.screenshot(path=artifacts / "chrome-1-search-rouble.png")
    console.assert_clean()


def test_the_overview_is_in_the_research_section(open_page, bundled_url):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}/military/")
    overview = page.locator(".md-nav--primary a.md-nav__link", has_text=re.compile(r"^\s*Overview\s*$"))
    overview = overview.filter(has_not=page.locator("xpath=ancestor::*[contains(., 'Build scripts')]"))
    expect(overview.first).to_have_attribute("href", re.compile(r"notes/overview/$"))
    overview.first.click()
    expect(page.locator("article h1")).to_contain_text("Overview")
    expect(page.locator(".md-tabs__item--active")).to_have_text(re.compile("Research"))
    console.assert_clean()


@pytest.mark.parametrize(
    ("path", "trail"),
    [
        ("/sources/baev2021/", ["Home", "Research", "Bibliography"]),
        ("/notes/baev2021-military/", ["Home", "Research", "Military cooperation"]),
    ],
)
def test_a_page_outside_the_nav_shows_where_it_belongs(open_page, bundled_url, artifacts, path, trail):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}{path}")
    crumbs = page.locator("nav.md-path .md-path__link")
    expect(crumbs).to_have_text(trail)
    crumbs.last.click()
    expect(page.locator("article h1")).to_have_text(re.compile(trail[-1]))
    page.go_back()
    page.locator("nav.md-path").screenshot(
        path=artifacts / f"chrome-2-breadcrumb{path.strip('/').replace('/', '-')}.png"
    )
    console.assert_clean()


def test_the_palette_follows_the_systems_dark_mode(browser, bundled_url, artifacts):
    for scheme, expected in (("dark", "slate"), ("light", "default")):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{bundled_url}/military/")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        darkness = sum(int(c) for c in re.findall(r"\d+", background)[:3])
        assert (darkness < 200) is (scheme == "dark"), background
        if scheme == "dark":
            page.screenshot(path=artifacts / "chrome-3-dark.png")
        context.close()


def test_cite_blocks_can_be_scrolled_with_the_keyboard_on_a_phone(phone, bundled_url):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make browser-deps`")
    page = phone.new_page()
    page.goto(f"{bundled_url}/sources/baev2021/")
    page.add_script_tag(path=str(AXE))
    tabs = page.locator("h2#cite-this-page ~ .tabbed-set").first
    for label in ("Formatted", "BibTeX", "RIS"):
        tabs.locator(".tabbed-labels label", has_text=label).click()
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'rule',
            values: ['scrollable-region-focusable']}})""")
        assert not result["violations"], (label, [n["target"] for n in result["violations"][0]["nodes"]])
        sideways = tabs.locator(".tabbed-block pre > code").evaluate_all(
            "codes => codes.filter(c => c.checkVisibility() && c.scrollWidth > c.clientWidth).length"
        )
        assert sideways == 0, label


def test_the_footnotes_have_a_heading_in_the_table_of_contents(open_page, bundled_url):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}/military/")
    heading = page.locator("article h2#footnotes")
    expect(heading).to_have_text(re.compile(r"^Footnotes"))
    block = heading.locator("xpath=following-sibling::*[1]")  # the list, in a block that opens on demand
    expect(block.locator(":scope > .footnote")).to_have_count(1)
    expect(block.locator("summary")).to_contain_text("notes of this page")
    expect(page.locator(".md-sidebar--secondary a.md-nav__link[href='#footnotes']")).to_have_count(1)
    console.assert_clean()


def test_a_quotation_inside_a_quotation_takes_single_marks(open_page, bundled_url):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}/sources/nolimits-partnership/")
    quotes = page.locator("q.research-quote").all_inner_texts()
    nested = [q for q in quotes if "‘" in q]
    assert nested, quotes
    assert not [q for q in quotes if re.search(r"[“”\"]", q)], quotes  # the <q> itself draws the double marks
    marks = page.locator("q.research-quote", has_text="‘").first.evaluate("q => getComputedStyle(q).quotes")
    assert marks.split()[:2] == ['"“"', '"”"'], marks
    console.assert_clean()


def test_cite_this_page_shows_the_citation_once_with_access_date_and_downloads(open_page, bundled_url, artifacts):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}/military/")
    tabs = page.locator("h2#cite-this-page ~ .tabbed-set").first
    formatted = tabs.locator(".tabbed-block").first
    text = formatted.inner_text()
    assert text.count("Military cooperation") == 1, text
    assert formatted.locator("pre").count() == 0
    today = page.evaluate("new Date().toLocaleDateString('en-GB', {day: 'numeric', month: 'long', year: 'numeric'})")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", today)
    assert f"Accessed {today}." in text, text
    formatted.screenshot(path=artifacts / "chrome-4-cite-this-page.png")
    for label, name, start in (
        ("BibTeX", "page-military.bib", "@online{page-military,"),
        ("RIS", "page-military.ris", "TY  - ELEC"),
    ):
        tabs.locator(".tabbed-labels label", has_text=label).click()
        link = tabs.locator(f"a[download='{name}']")
        expect(link).to_be_visible()
        href = link.get_attribute("href")
        assert href.startswith("data:"), href[:120]
        assert unquote(href.split(",", 1)[1]).startswith(start), href[:120]
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == name
        assert Path(download.value.path()).read_text(encoding="utf-8").startswith(start)
    console.assert_clean()


def test_a_permalink_says_it_copied(context, open_page, bundled_url):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=bundled_url)
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}/military/")
    callout = page.locator(".admonition.disagreement").first
    callout.locator("details summary").first.click()
    link = callout.locator("a.research-permalink", has_text="Permalink")
    link.click()
    expect(page.locator("[role='status']", has_text="Link copied")).to_have_count(1)
    expect(link).to_have_attribute("data-copied", "true")
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('a.research-permalink[data-copied]'), '::after').content"
        )
        == '" (link copied)"'
    )
    assert page.evaluate("navigator.clipboard.readText()").endswith(link.get_attribute("href"))
    console.assert_clean()


@pytest.mark.parametrize("path", ["/", "/military/", "/sources/baev2021/", "/notes/overview/", "/authoring/"])
def test_every_page_says_how_it_may_be_reused(open_page, bundled_url, path):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}{path}")
    footer = page.locator(".md-copyright")
    expect(footer).to_contain_text("CC BY 4.0")
    expect(footer).to_contain_text("Quotations remain their authors'")
    console.assert_clean()


def test_the_home_page_links_claims_json(open_page, bundled_url):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}/")
    link = page.locator("article a", has_text="claims.json")
    with page.expect_response(lambda r: r.url.endswith("/claims.json")) as response:
        page.evaluate("href => fetch(href)", link.get_attribute("href"))
    assert response.value.ok
    assert response.value.json()
    console.assert_clean()
