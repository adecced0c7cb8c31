"""The built site in a real browser: footnote tooltips, disagreement callouts, "Cite this page", search.

Headless chromium (Debian's) driven by Playwright against sites served on 127.0.0.1. Each test also
asserts that no page it opened logged a console error or threw. A screenshot of every step goes to
test-artifacts/browser/. Deselect with `-m "not browser"`.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BAEV = "Baev, Pavel K. 2021"


def footnote_for(page, reference_start: str):
    """(marker, footnote) of the first footnote whose formatted reference starts with `reference_start`.

    The marker is the first one in the text that points to it.
    """
    item = page.locator("div.footnote li").filter(has_text=reference_start).first
    marker = page.locator(f'a.footnote-ref[href="#{item.get_attribute("id")}"]').first
    return marker, item


def words(text: str) -> str:
    return " ".join(text.replace("↩", " ").split())


def test_footnote_marker_shows_the_reference_in_a_tooltip(open_page, mini_url, artifacts):
    page, console = open_page(mini_url)
    page.goto(f"{mini_url}/alpha/")
    tooltip = page.locator(".md-tooltip2")
    expect(tooltip).to_have_count(0)  # Material creates it on hover

    marker, footnote = footnote_for(page, BAEV)
    page.locator("details:has(.footnote)").evaluate("block => block.open = true")  # the list opens on demand
    marker.hover()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_class(re.compile(r"\bmd-tooltip2--active\b"))
    expect(tooltip).to_have_attribute("role", "dialog")
    expect(tooltip).to_have_css("opacity", "1")  # faded in
    inner = tooltip.locator(".md-tooltip2__inner")
    # The short form first, as in the footnote the marker points to; then the full reference, there only.
    short = words(footnote.inner_text())
    # the first Baev mark in reading order: the figure embedded before the sentence's own citation
    assert short.startswith("Baev 2021, para. 14, at the publisher: meagre USD 5.56 billion.")
    assert BAEV not in short
    assert words(inner.inner_text()).startswith(short)
    full = inner.locator(".research-fullref")
    expect(full).to_be_visible()
    expect(full).to_contain_text(BAEV)
    expect(full).to_contain_text("“Russia and China: A Mutually Exaggerated Strategic Partnership?”")
    expect(full.locator("i")).to_have_text("China Brief")
    expect(full.locator('a[href="../sources/baev2021/"]')).to_have_text("Source page")
    page.screenshot(path=artifacts / "1-footnote-tooltip.png")

    page.mouse.move(5, 5)  # moving away hides it again
    expect(tooltip).not_to_be_visible()
    console.assert_clean()


def test_a_claims_tooltip_shows_its_quotation_and_links_the_passage(open_page, mini_url, artifacts):
    """The footnote of a claim carries the source's own words, and its locator opens the passage."""
    page, console = open_page(mini_url)
    page.goto(f"{mini_url}/alpha/")
    item = page.locator("div.footnote li").filter(has_text="meagre USD 5.56 billion").first
    marker = page.locator(f'a.footnote-ref[href="#{item.get_attribute("id")}"]').first
    marker.hover()
    inner = page.locator(".md-tooltip2 .md-tooltip2__inner")
    expect(inner).to_be_visible()
    expect(inner).to_contain_text(BAEV)
    expect(inner.locator("q.research-quote")).to_have_text("meagre USD 5.56 billion")
    passage = inner.locator("a.research-passage")
    expect(passage).to_have_text("para. 14, at the publisher")
    assert passage.get_attribute("href").endswith("/#:~:text=meagre%20USD%205.56%20billion")
    page.screenshot(path=artifacts / "1b-quotation-tooltip.png")
    # The callout puts both sides' words side by side.
    callout = page.locator("#disagreement-numeric-trade-1992").locator(
        "xpath=ancestor::div[contains(@class, 'disagreement')]"
    )
    expect(callout.locator("q.research-quote")).to_have_text(
        ["meagre USD 5.56 billion", "trade stood at US$5.85 billion"]
    )
    console.assert_clean()


def test_disagreement_callout_is_visible_and_its_anchor_scrolls_into_view(open_page, mini_url, artifacts):
    page, console = open_page(mini_url)
    page.goto(f"{mini_url}/alpha/")
    callouts = page.locator(".admonition.disagreement")
    expect(callouts).to_have_count(2)
    numeric = callouts.filter(has=page.locator("#disagreement-numeric-trade-1992"))
    expect(numeric).to_be_visible()
    expect(numeric.locator(".admonition-title")).to_contain_text("Figures disagree: Bilateral trade (1992)")
    expect(numeric.locator(".research-sides li")).to_have_count(2)
    assert page.evaluate("window.scrollY") == 0

    # A link to the callout, opened fresh: the browser scrolls the anchor to the top, clear of the header.
    linked, linked_console = open_page(mini_url)
    linked.goto(f"{mini_url}/alpha/#disagreement-numeric-trade-1992")
    anchor = linked.locator("#disagreement-numeric-trade-1992")
    expect(anchor).to_be_in_viewport()
    expect(linked.locator(".admonition.disagreement").filter(has=anchor)).to_be_in_viewport()
    linked.wait_for_function("""() => {
        const top = document.getElementById("disagreement-numeric-trade-1992").getBoundingClientRect().top;
        const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
        return window.scrollY > 0 && top >= header && top < window.innerHeight / 3;
    }""")
    linked.screenshot(path=artifacts / "2-disagreement-callout.png")
    console.assert_clean()
    linked_console.assert_clean()


def test_cite_this_page_copies_bibtex_to_the_clipboard(context, open_page, mini_url, artifacts):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=mini_url)
    page, console = open_page(mini_url)
    page.goto(f"{mini_url}/alpha/")
    heading = page.locator("h2#cite-this-page")
    expect(heading).to_have_text(re.compile(r"^Cite this page"))
    tabs = heading.locator("xpath=following-sibling::div[contains(@class, 'tabbed-set')][1]")
    expect(tabs.locator(".tabbed-labels label")).to_have_text(["Formatted", "BibTeX", "RIS"])

    bibtex = tabs.locator(".tabbed-block").nth(1)
    expect(bibtex).to_be_hidden()
    tabs.locator(".tabbed-labels label", has_text="BibTeX").click()
    expect(bibtex).to_be_visible()
    expect(bibtex.locator("pre code")).to_contain_text("@online{")

    # Material 9.8's copy button (content.code.copy); older releases called it .md-clipboard.
    copy = bibtex.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard")
    copy.click()
    expect(page.locator(".md-dialog")).to_contain_text("Copied to clipboard")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@online{"), copied[:200]
    assert "url = {https://mini.example.org/alpha/}" in " ".join(copied.split())
    page.screenshot(path=artifacts / "3-cite-this-page-bibtex.png")
    console.assert_clean()


def test_search_finds_a_term_and_leads_to_the_page(open_page, bundled_url, artifacts):
    page, console = open_page(bundled_url)
    page.goto(f"{bundled_url}/")
    page.locator(".md-search__input").fill("Zapad")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"^\d+ matching documents?$"))
    first = results.first.locator("a.md-search-result__link").first
    expect(first).to_have_attribute("href", re.compile(r"/notes/baev2021-military/\?h=zapad$"))
    page.screenshot(path=artifacts / "4a-search-results.png")

    first.click()
    page.wait_for_url(f"{bundled_url}/notes/baev2021-military/?h=zapad")
    expect(page.locator("article h1")).to_contain_text("Baev (2021) on military cooperation")
    expect(page.locator("article")).to_contain_text("Zapad")
    expect(page.locator("article mark[data-md-highlight]").first).to_have_text(re.compile("zapad", re.I))
    page.screenshot(path=artifacts / "4b-search-landing.png")
    console.assert_clean()


@pytest.mark.parametrize(
    ("site", "path"),
    [
        ("mini", "/"),
        ("mini", "/alpha/"),
        ("mini", "/beta/"),
        ("mini", "/sources/baev2021/"),
        ("mini", "/notes/baev-note/"),
        ("mini", "/bibliography/"),
        ("mini", "/inconsistencies/"),
        pytest.param("bundled", "/", marks=pytest.mark.example),
        pytest.param("bundled", "/economic/", marks=pytest.mark.example),
        pytest.param("bundled", "/military/", marks=pytest.mark.example),
        pytest.param("bundled", "/space/", marks=pytest.mark.example),
        pytest.param("bundled", "/ukraine/", marks=pytest.mark.example),
        pytest.param("bundled", "/inconsistencies/", marks=pytest.mark.example),
        pytest.param("bundled", "/authoring/", marks=pytest.mark.example),
        pytest.param("bundled", "/reference/", marks=pytest.mark.example),
    ],
)
def test_no_console_errors_and_no_third_party_requests(open_page, request, artifacts, site, path):
    base = request.getfixturevalue(f"{site}_url")
    page, console = open_page(base)
    response = page.goto(f"{base}{path}", wait_until="networkidle")
    assert response.ok, response.status
    expect(page.locator("article h1").first).to_be_visible()
    page.screenshot(path=artifacts / f"5-{site}-{path.strip('/').replace('/', '-') or 'home'}.png")
    assert not console.blocked, console.blocked  # fonts and every asset come from the site itself
    console.assert_clean()
