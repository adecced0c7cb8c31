"""The bundled corpus built with Zensical, in a real browser: a smoke test of what the MkDocs site is tested for.

A topic page loads with no console error and asks no other host for anything; its footnote markers
show the reference in a tooltip on hover, its disagreements are callouts; search finds a word; the
mkdocstrings API reference renders. Screenshots go to test-artifacts/browser/zensical-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import ROOT, cli
from ..renderers import ZENSICAL, needs_zensical
from .conftest import BUILD_TIMEOUT, serious_violations

pytestmark = [pytest.mark.browser, needs_zensical]


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """The repository's own corpus built with `build --renderer zensical` into a temporary folder."""
    target = tmp_path_factory.mktemp("browser-zensical") / "site"
    done = cli(ROOT, "build", "--renderer", ZENSICAL.name, "-d", str(target), timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, f"Zensical build failed:\n{done.stderr}"
    return target


@pytest.fixture(scope="session")
def zensical_url(serve, zensical_site) -> str:
    return serve(zensical_site)


def test_topic_page_tooltips_callouts_and_search(open_page, zensical_url, artifacts):
    page, console = open_page(zensical_url)
    page.goto(f"{zensical_url}/military/", wait_until="networkidle")
    expect(page.locator("article h1")).to_contain_text("Military")

    callouts = page.locator(".admonition.disagreement, details.disagreement")
    expect(callouts.first).to_be_visible()
    assert callouts.count() >= 2

    item = page.locator("div.footnote li").first
    reference = " ".join(item.inner_text().replace("↩", " ").split())[:40]
    marker = page.locator(f'a.footnote-ref[href="#{item.get_attribute("id")}"]').first
    marker.scroll_into_view_if_needed()
    marker.hover()
    tooltip = page.locator(".md-tooltip2")
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".md-tooltip2__inner")).to_contain_text(reference)
    expect(tooltip).to_have_css("opacity", "1")  # faded in
    page.screenshot(path=artifacts / "zensical-1-footnote-tooltip.png")
    page.mouse.move(5, 5)
    expect(tooltip).not_to_be_visible()

    # Zensical's search is a button opening a dialog (in a shadow root, which Playwright's locators enter).
    page.locator(".md-search__button").click()
    search = page.get_by_role("dialog", name="Search")
    search.get_by_role("combobox", name="Search").fill("Zapad")
    expect(search.get_by_role("status")).to_have_text(re.compile(r"^\d+ results?$"))
    first = search.get_by_role("option").first
    expect(first).to_have_attribute("href", re.compile(r"/notes/baev2021-military/\?h=Zapad$"))
    expect(first).to_contain_text("Zapad")
    page.screenshot(path=artifacts / "zensical-2-search.png")
    first.click()
    page.wait_for_url(re.compile(r"/notes/baev2021-military/\?h=Zapad$"))
    expect(page.locator("article h1")).to_contain_text("Baev (2021) on military cooperation")

    console.assert_clean()
    assert not console.blocked, f"requests to other hosts: {sorted(console.blocked)}"


def test_api_reference_renders(open_page, zensical_url, artifacts):
    page, console = open_page(zensical_url)
    page.goto(f"{zensical_url}/reference/pipeline/", wait_until="networkidle")
    heading = page.locator('[id="build_scripts.pipeline.build"]')
    expect(heading).to_be_visible()
    expect(heading).to_contain_text("build")
    expect(page.locator("article")).to_contain_text("The build, top to bottom")  # the module's docstring
    page.screenshot(path=artifacts / "zensical-3-api-reference.png")
    console.assert_clean()
    assert not console.blocked, f"requests to other hosts: {sorted(console.blocked)}"


@pytest.mark.parametrize("path", ["/", "/military/", "/inconsistencies/", "/sources/baev2021/", "/bibliography/"])
def test_axe_finds_no_serious_accessibility_violation_with_zensical(open_page, zensical_url, path):
    page, console = open_page(zensical_url)
    page.goto(f"{zensical_url}{path}")
    assert not serious_violations(page)
    assert not console.blocked
