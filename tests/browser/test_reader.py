"""The reader's site in a real browser: navigation, privacy, page length, phones, who-says-what, accessibility.

Runs over the bundled corpus (the site a reader opens), built with MkDocs, in Debian's chromium.
Screenshots of a topic page, a callout, a tooltip, the matrix and the phone view go to
test-artifacts/browser/reader-*.png.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import serious_violations

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "/",
    "/military/",
    "/notes/baev2021-military/",
    "/sources/baev2021/",
    "/bibliography/",
    "/inconsistencies/",
    "/notes/",
    "/authoring/",
    "/reference/",
]
MAX_TOPIC_HEIGHT = 9_000  # px at 1,400 px wide: the military page was 30,571 px before short footnotes
MAX_PHONE_HEIGHT = 15_000  # px at 390 px wide


def _nav_links(page) -> list[tuple[str, str]]:
    """(title, absolute URL) of every navigation entry the page renders: tabs and the primary nav."""
    return page.evaluate("""() => [...document.querySelectorAll('.md-tabs__link, .md-nav--primary a.md-nav__link')]
        .filter(a => a.getAttribute('href') !== null)
        .map(a => [a.textContent.replace(/\\s+/g, ' ').trim(), a.href])""")


def test_every_nav_entry_has_a_human_title_and_loads(open_page, bundled_url):
    """Walk the navigation from the home page to every page it reaches (tabs and sections included)."""
    page, console = open_page(bundled_url)
    seen: set[str] = set()
    titles: set[str] = set()
    todo = [f"{bundled_url}/"]
    while todo:
        url = todo.pop()
        response = page.goto(url)
        assert response is not None, url
        assert response.ok, url
        expect(page.locator("article h1").first).to_be_visible()
        sections = page.locator(".md-nav--primary label.md-nav__link, .md-nav--primary .md-nav__title")
        for text in sections.all_text_contents():
            assert " ".join(text.split()) not in ("", "None"), f"an untitled nav section on {url}"
        for title, target in _nav_links(page):
            target = target.split("#")[0]
            assert title, f"an untitled nav entry to {target} on {url}"
            assert title != "None", f"an untitled nav entry to {target} on {url}"
            titles.add(title)
            if target.startswith(bundled_url) and target not in seen:
                seen.add(target)
                todo.append(target)
    assert {
        "Home",
        "Research",
        "For authors",
        "Military cooperation",
        "Inconsistencies",
        "Bibliography",
        "Authoring guide",
        "Overview",
        "Pipeline",
    } <= titles, titles
    assert len(seen) >= 25  # home, 4 topics, 3 index pages, the guide and 16 reference pages
    console.assert_clean()


@pytest.mark.parametrize(
    ("path", "in_nav"),
    [
        ("/military/", True),
        ("/inconsistencies/", True),
        ("/bibliography/", True),
        ("/", True),
        ("/sources/baev2021/", False),
        ("/notes/baev2021-military/", False),
    ],
)
def test_the_readers_sidebar_has_no_api_reference(wide, bundled_url, path, in_nav):
    """Readers' pages show the readers' section; pages outside the nav (notes, sources) only the tabs."""
    page = wide.new_page()
    page.goto(f"{bundled_url}{path}")
    visible = page.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary a')]
        .filter(a => a.checkVisibility()).map(a => a.getAttribute('href'))""")
    assert bool(visible) is in_nav, visible
    assert not [href for href in visible if "reference/" in href or "authoring/" in href], visible
    tabs = page.locator(".md-tabs__link")
    expect(tabs).to_have_text(["Home", "Research", "For authors"])
    tabs.filter(has_text="For authors").click()
    expect(page.locator("article h1")).to_have_text(re.compile("Authoring guide"))
    authors = page.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary a')]
        .filter(a => a.checkVisibility()).map(a => a.textContent.trim())""")
    assert "Pipeline" in authors
    assert "Military cooperation" not in authors


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_request_leaves_the_sites_own_host(open_page, bundled_url, path):
    page, console = open_page(bundled_url)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{bundled_url}{path}", wait_until="networkidle")
    page.locator(".md-search__input").click()  # search loads its worker and index, too
    page.keyboard.type("alliance")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    own = urlsplit(bundled_url).netloc
    assert requested, [url for url in requested if urlsplit(url).netloc != own]
    assert all(urlsplit(url).netloc == own or url.startswith("data:") for url in requested), [
        url for url in requested if urlsplit(url).netloc != own
    ]
    assert not console.blocked
    console.assert_clean()


def test_topic_pages_are_short_enough_to_read(wide, phone, bundled_url, artifacts):
    heights = {}
    for topic in ("military", "economic", "space", "ukraine"):
        page = wide.new_page()
        page.goto(f"{bundled_url}/{topic}/")
        heights[topic] = page.evaluate("document.documentElement.scrollHeight")
        if topic == "military":
            page.screenshot(path=artifacts / "reader-1-topic-page.png")
            callout = page.locator(".admonition.disagreement").first
            callout.scroll_into_view_if_needed()
            expect(callout.locator(".research-reading")).to_be_visible()  # our reading, in view
            details = callout.locator("details")
            expect(details).not_to_have_attribute("open", "")  # locators and the permalink on demand
            details.locator("summary").click()
            expect(details.locator("a.research-permalink")).to_be_visible()
            callout.screenshot(path=artifacts / "reader-2-callout-opened.png")
        page.close()
    narrow = phone.new_page()
    narrow.goto(f"{bundled_url}/military/")
    on_phone = narrow.evaluate("document.documentElement.scrollHeight")
    assert heights["military"] <= MAX_TOPIC_HEIGHT, heights
    assert on_phone <= MAX_PHONE_HEIGHT, on_phone
    assert all(height < 2 * MAX_TOPIC_HEIGHT for height in heights.values()), heights


def test_a_link_to_a_footnote_in_the_closed_list_opens_it(wide, bundled_url):
    """The footnote list sits in a closed block: following a mark, here or from elsewhere, still shows the note."""
    page = wide.new_page()
    page.goto(f"{bundled_url}/military/")
    note = page.locator(".footnote li[id^='fn:']").first
    ident = note.get_attribute("id")
    block = note.locator("xpath=ancestor::details")
    expect(block).not_to_have_attribute("open", "")
    page.evaluate("id => { window.location.hash = id; }", ident)  # a link on the page itself
    expect(block).to_have_attribute("open", "")
    expect(note).to_be_in_viewport()

    opened = wide.new_page()  # a link from elsewhere: the page opens at the note
    opened.goto(f"{bundled_url}/military/#{ident}")
    expect(opened.locator(f"[id='{ident}']").locator("xpath=ancestor::details")).to_have_attribute("open", "")
    expect(opened.locator(f"[id='{ident}']")).to_be_in_viewport()


@pytest.mark.parametrize("path", PAGE_TYPES[:7])
def test_nothing_overflows_sideways_on_a_phone(phone, bundled_url, artifacts, path):
    page = phone.new_page()
    page.goto(f"{bundled_url}{path}")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # opened blocks, too
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path} is {width[0]} px wide on a {width[1]} px screen"
    if path == "/military/":
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
        page.screenshot(path=artifacts / "reader-5-phone-topic.png")
        matrix = page.locator(".research-matrix").first
        assert matrix.evaluate("box => box.scrollWidth > box.clientWidth")  # the wide table scrolls in its box
        matrix.screenshot(path=artifacts / "reader-5b-phone-matrix.png")


def test_a_tap_on_a_footnote_mark_opens_its_tooltip(phone, bundled_url, bundled_site, artifacts):
    page = phone.new_page()
    page.goto(f"{bundled_url}/military/")
    mark = page.locator("article a.footnote-ref").first
    mark.scroll_into_view_if_needed()
    mark.tap()
    tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    expect(tooltip).to_be_visible()
    labels = "|".join(re.escape(label) for label in _labels(bundled_site))
    expect(tooltip).to_contain_text(re.compile(rf"^\s*({labels}), para\. \d+"))  # the short form first
    expect(tooltip.locator(".research-fullref")).to_be_visible()  # then the full reference
    assert "#fn:" not in page.url  # the page stayed where the reader was
    page.screenshot(path=artifacts / "reader-3-tooltip-on-tap.png")
    mark.tap()  # a second tap follows the mark to the footnote
    page.wait_for_url(re.compile(re.escape(mark.get_attribute("href")) + "$"))


def _labels(site) -> list[str]:
    """Every source's reader label, as the built site's claims.json gives them."""
    return list(json.loads((site / "claims.json").read_text(encoding="utf-8"))["labels"].values())


def _matrix_rows(page, scope: str = "") -> list[dict]:
    return page.evaluate(
        """scope => [...document.querySelectorAll(scope + ' .research-matrix tbody tr')].map(tr => ({
        fact: tr.querySelector('th').textContent.trim(),
        factLink: tr.querySelector('th a') && tr.querySelector('th a').getAttribute('href'),
        cells: [...tr.querySelectorAll('td')].map(td => ({
            text: td.textContent.trim(), agree: td.classList.contains('research-agree'),
            href: td.querySelector('a') && td.querySelector('a').href}))}))""",
        scope,
    )


def test_who_says_what_matrix_on_a_topic_page(wide, bundled_url, artifacts):
    page = wide.new_page()
    page.goto(f"{bundled_url}/military/")
    matrix = page.locator(".research-matrix").first
    expect(matrix).to_be_visible()
    expect(matrix).to_have_attribute("role", "region")
    expect(matrix).to_have_attribute("tabindex", "0")  # a scrolling box reachable with the keyboard
    caption = page.locator(f"#{matrix.get_attribute('aria-labelledby')}")
    expect(caption).to_contain_text("Where the sources disagree on military cooperation.")
    columns = matrix.locator("thead th[scope='col']")
    expect(columns).to_have_count(6)  # "Fact" and the five sources
    expect(columns.nth(1)).to_have_text("Baev 2021")
    rows = _matrix_rows(page)
    assert len(rows) >= 5
    for row in rows:
        assert row["factLink"], row
        assert "#disagreement-" in row["factLink"], row  # the row leads to its callout
        said = [cell for cell in row["cells"] if cell["href"]]
        assert len({cell["text"] for cell in said}) >= 2, row  # a contested fact: at least two answers
        assert not any(cell["agree"] for cell in said), row  # no colour claims agreement where there is none
    legend = page.locator(".research-matrix-legend").first
    expect(legend).to_contain_text("no claim")
    matrix.screenshot(path=artifacts / "reader-4-matrix.png")

    # A row header leads to the callout on this page; a cell to the claim, with the source's words.
    assert rows[0]["factLink"].startswith("#")
    expect(
        page.locator(f"[id='{rows[0]['factLink'][1:]}']").locator(
            "xpath=ancestor::div[contains(@class, 'disagreement')]"
        )
    ).to_have_count(1)
    cell = next(cell for cell in rows[0]["cells"] if cell["href"])
    page.goto(cell["href"])
    claim = page.locator(f"[id='{urlsplit(cell['href']).fragment}']")
    expect(claim).to_have_count(1)
    expect(claim.locator("xpath=ancestor::tr").locator("q.research-quote")).to_be_visible()


def test_the_home_page_answers_the_headline_questions_at_a_glance(wide, bundled_url, artifacts):
    page = wide.new_page()
    page.goto(f"{bundled_url}/")
    heading = page.locator("h2#at-a-glance-who-says-what")
    expect(heading).to_be_visible()
    rows = _matrix_rows(page)
    assert [row["fact"] for row in rows] == [
        "What the partnership is now: an alliance, or a close alignment short of one",
        "Overall direction of the partnership, before and after the 2022 invasion",
        "Strength of bilateral economic cooperation",
        "Balance of economic dependence between China and Russia",
    ]
    for row in rows:
        for cell in row["cells"]:
            if cell["href"]:
                assert urljoin(bundled_url, cell["href"]).startswith(f"{bundled_url}/notes/"), cell
    page.locator(".research-matrix").first.screenshot(path=artifacts / "reader-4b-home-matrix.png")


@pytest.mark.parametrize("path", ["/", "/military/", "/inconsistencies/", "/sources/baev2021/", "/bibliography/"])
def test_axe_finds_no_serious_accessibility_violation(wide, bundled_url, path):
    page = wide.new_page()
    page.goto(f"{bundled_url}{path}")
    assert not serious_violations(page)
