"""The site answers its question, as a new reader meets it: answer first, reasoning in view, plain names.

Runs over the bundled corpus built with MkDocs, in Debian's chromium. What a reader sees is the visible
text of a page (`innerText`, closed blocks closed): it must name sources by their reader labels and
positions by theirs, never by a citekey or a position's id.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import serious_violations

pytestmark = pytest.mark.browser

READER_PAGES = ["/", "/military/", "/economic/", "/space/", "/ukraine/", "/inconsistencies/"]


@pytest.fixture(scope="module")
def data(bundled_site) -> dict:
    return json.loads((bundled_site / "claims.json").read_text(encoding="utf-8"))


def _visible_text(page) -> str:
    return page.evaluate("document.querySelector('article.md-content__inner').innerText")


def _words_before_first_table(page) -> list[str]:
    return page.evaluate("""() => {
        const article = document.querySelector('article.md-content__inner');
        const table = article.querySelector('table');
        const words = [];
        const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (table.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) break;
            if (node.parentElement.closest('h1, .research-matrix-caption, .research-matrix-legend, .headerlink'))
                continue;
            words.push(...node.textContent.split(/\\s+/).filter(Boolean));
        }
        return words; }""")


def test_the_home_page_opens_with_a_bottom_line_on_the_alliance_question(wide, bundled_url):
    page = wide.new_page()
    page.goto(f"{bundled_url}/")
    words = _words_before_first_table(page)
    assert 40 <= len(words) <= 250, len(words)
    text = " ".join(words).casefold()
    assert "alliance" in text
    assert "no source reports a defence treaty" in text
    # Then the headline questions, at a glance.
    expect(page.locator("h2#at-a-glance-who-says-what")).to_be_visible()


@pytest.mark.parametrize("path", ["/military/", "/economic/", "/space/", "/ukraine/"])
def test_a_topic_page_opens_with_its_key_findings_then_the_matrix(wide, bundled_url, path):
    page = wide.new_page()
    page.goto(f"{bundled_url}{path}")
    order = page.evaluate("""() => [...document.querySelector('article.md-content__inner').children]
        .map(e => e.matches('.research-matrix') ? 'matrix' : (e.textContent.includes('Key findings') ? 'findings'
             : e.tagName)).filter(t => t === 'matrix' || t === 'findings')""")
    assert order[:2] == ["findings", "matrix"], order


@pytest.mark.parametrize("path", READER_PAGES)
def test_readers_see_no_citekey_and_no_position_id(wide, bundled_url, data, path):
    page = wide.new_page()
    page.goto(f"{bundled_url}{path}")
    text = _visible_text(page)
    keys = [key for key in data["labels"] if re.search(rf"(?<![\w/.-]){re.escape(key)}(?![\w-])", text)]
    assert not keys, f"citekeys on {path}: {keys}"
    shown = [
        position
        for fact in data["facts"]
        for position, about in (fact["positions"] or {}).items()
        if "-" in position
        and position.casefold() != about["label"].casefold()
        and re.search(rf"(?<![\w-]){re.escape(position)}(?![\w-])", text)
    ]
    assert not shown, f"position ids on {path}: {shown}"


def test_every_callout_on_the_military_page_shows_our_reading_without_a_click(wide, bundled_url):
    page = wide.new_page()
    page.goto(f"{bundled_url}/military/")
    callouts = page.locator("div.admonition.disagreement")
    assert callouts.count() >= 5
    for i in range(callouts.count()):
        callout = callouts.nth(i)
        reading = callout.locator(":scope > .research-reading, :scope > .research-suspect").first
        reading.scroll_into_view_if_needed()
        expect(reading).to_be_visible()
        assert len(reading.inner_text().split()) >= 6, reading.inner_text()
        assert reading.locator("xpath=ancestor::details").count() == 0


def test_running_text_names_who_says_what_without_chains_of_or(wide, bundled_url):
    page = wide.new_page()
    page.goto(f"{bundled_url}/military/")
    text = _visible_text(page)
    assert " vs " in text
    assert not re.search(r"\S \S+ or \S+ or ", text.replace("or not", ""))


def test_a_matrix_shows_wording_only_differences_as_agreement_with_a_mark_and_a_legend(wide, bundled_url):
    page = wide.new_page()
    page.goto(f"{bundled_url}/")
    row = page.locator(".research-matrix tbody tr", has=page.locator("td.research-agree")).first
    cells = row.locator("td.research-cell")
    assert cells.count() >= 2
    for i in range(cells.count()):
        expect(cells.nth(i)).to_have_class(re.compile("research-agree"))
        expect(cells.nth(i).locator("abbr.research-same")).to_have_attribute("title", re.compile("wording"))
    expect(page.locator(".research-matrix-legend").first).to_contain_text("differ only in wording")


def test_on_a_phone_a_matrix_cell_shows_the_sources_wording_on_tap(phone, bundled_url, artifacts):
    page = phone.new_page()
    page.goto(f"{bundled_url}/military/")
    box = page.locator(".research-matrix").first
    expect(box.locator(".research-scroll-cue")).to_be_visible()  # the table scrolls: say so
    link = box.locator("td a[data-said]").first
    link.scroll_into_view_if_needed()
    link.tap()
    shown = link.evaluate("a => getComputedStyle(a, '::after').content")
    wording = link.get_attribute("data-said")
    assert wording
    assert wording in shown
    assert "#claim-" not in page.url  # the first tap stays; a second follows the link
    box.screenshot(path=artifacts / "answer-phone-matrix-tap.png")
    link.tap()
    page.wait_for_url(re.compile("#claim-"))


def test_the_inconsistencies_page_is_a_filterable_index_agreeing_with_the_home_page(wide, bundled_url, data):
    page = wide.new_page()
    page.goto(f"{bundled_url}/inconsistencies/")
    rows = page.locator(".research-index-table tbody tr")
    assert rows.count() == len(data["inconsistencies"])
    counts = re.search(
        r"\d+ in all: \d+ between sources, \d+ apparent \(in wording only\), \d+ possible errors", _visible_text(page)
    ).group(0)
    assert counts.startswith(f"{rows.count()} in all")
    home = wide.new_page()
    home.goto(f"{bundled_url}/")
    assert counts in _visible_text(home)
    expect(page.locator(".research-filter")).to_be_visible()
    page.select_option("select[data-filter='topic']", "military")
    military = sum(1 for i in range(rows.count()) if rows.nth(i).get_attribute("data-topic") == "military")
    expect(page.locator(".research-index-table tbody tr:not([hidden])")).to_have_count(military)
    expect(page.locator(".research-filter output")).to_have_text(f"Showing {military} of {rows.count()}")
    # A topic and kind with no disagreement: the filter says so.
    lines = [
        (rows.nth(i).get_attribute("data-topic"), rows.nth(i).get_attribute("data-kind")) for i in range(rows.count())
    ]
    kinds = page.locator("select[data-filter='kind'] option").evaluate_all("options => options.map(o => o.value)")
    empty = next(kind for kind in kinds if kind and ("military", kind) not in lines)
    page.select_option("select[data-filter='kind']", empty)
    expect(page.locator(".research-index-table tbody tr:not([hidden])")).to_have_count(0)
    expect(page.locator(".research-filter output")).to_contain_text("No disagreement of this kind")
    page.select_option("select[data-filter='kind']", "apparent")
    shown = page.evaluate("""() => [...document.querySelectorAll('.research-index-table tbody tr')]
        .filter(row => !row.hidden).map(row => [row.dataset.topic, row.dataset.kind])""")
    assert shown, shown
    assert all(row == ["military", "apparent"] for row in shown), shown
    # Each line leads to the disagreement set out in full, with our reading.
    page.select_option("select[data-filter='kind']", "")
    link = page.locator(".research-index-table tbody tr:not([hidden]) td a").first
    link.click()
    anchor = page.url.split("#", 1)[1]
    callout = page.locator(f"[id='{anchor}']").locator("xpath=ancestor::div[contains(@class, 'disagreement')]")
    expect(callout.locator(".research-reading")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/military/", "/inconsistencies/", "/sources/baev2021/"])
def test_axe_finds_no_serious_violation_on_a_phone(phone, bundled_url, path, scheme):
    page = phone.new_page()
    page.emulate_media(color_scheme=scheme)  # the palette follows the system's
    page.goto(f"{bundled_url}{path}")
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    assert not serious_violations(page)
