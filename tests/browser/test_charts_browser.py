"""The trade chart on the economic page, in a real browser: legible on a phone, in its section, part-year marked.

Runs over the bundled corpus built with MkDocs. Screenshots of the chart on a 390 px phone and at 1,400 px
go to test-artifacts/browser/charts-phone.png and charts-wide.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 11

# The chart that shows (the other drawing of it is display: none), and measurements of its text.
VISIBLE_SVG = """() => [...document.querySelectorAll('figure.research-chart svg')]
    .find(svg => svg.getBoundingClientRect().width > 0)"""
TEXT_SIZES = f"""() => {{
    const svg = ({VISIBLE_SVG})();
    const scale = svg.getScreenCTM().a;  // CSS px per user unit
    return [...svg.querySelectorAll('text')].map(t => ({{
        text: t.textContent,
        px: parseFloat(getComputedStyle(t).fontSize) * scale,
        height: t.getBoundingClientRect().height,
    }}));
}}"""


def _economic(context, bundled_url: str):
    page = context.new_page()
    page.goto(f"{bundled_url}/economic/")
    figure = page.locator("figure.research-chart").first
    figure.scroll_into_view_if_needed()
    return page, figure


@pytest.mark.parametrize("size", ["phone", "wide"])
def test_chart_text_is_at_least_11_px(request, size, bundled_url, artifacts):
    page, figure = _economic(request.getfixturevalue(size), bundled_url)
    figure.screenshot(path=str(artifacts / f"charts-{size}.png"))
    texts = page.evaluate(TEXT_SIZES)
    assert {"2000", "2020"} <= {t["text"] for t in texts}  # the axes are there
    small = [t for t in texts if t["px"] < MIN_TEXT_PX or t["height"] < MIN_TEXT_PX]
    assert not small, f"text under {MIN_TEXT_PX} px at {size} size: {small}"
    # The chart fits its column: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert page.evaluate(f"({VISIBLE_SVG})().getBoundingClientRect().right") <= page.viewport_size["width"]


def test_chart_is_one_named_image_in_the_section_that_gives_its_figures(wide, bundled_url):
    page, figure = _economic(wide, bundled_url)
    # One drawing shows, with an accessible name; the other drawing is hidden from everyone.
    expect(page.get_by_role("img", name="China–Russia bilateral trade")).to_have_count(1)
    where = page.evaluate(
        """(figure) => {
        const headings = [...document.querySelectorAll('article h2')];
        const before = headings.filter(h => h.compareDocumentPosition(figure) & Node.DOCUMENT_POSITION_FOLLOWING);
        const heading = before[before.length - 1];
        const range = document.createRange();
        range.setStartAfter(heading);
        range.setEndBefore(figure);
        const table = figure.nextElementSibling;
        return {heading: heading.textContent.replace('¶', '').trim(), text: range.toString(),
                rows: [...table.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(td => td.textContent)),
                gap: figure.getBoundingClientRect().top - heading.getBoundingClientRect().top};
    }""",
        figure.element_handle(),
    )
    assert not where["heading"].startswith("Chart"), "the chart is in a section of the text, not under its own heading"
    values = {row[2] for row in where["rows"]}
    assert [v for v in values if v in where["text"]], (
        f"no figure of the chart ({values}) in the text between '{where['heading']}' and the chart"
    )
    assert where["gap"] < 2_500  # px at 1,400 px: it was about 8,450 px below its section


def test_part_year_points_are_hollow_and_labelled(phone, bundled_url):
    page, figure = _economic(phone, bundled_url)
    drawn = page.evaluate(f"""() => {{
        const svg = ({VISIBLE_SVG})();
        const box = svg.getBoundingClientRect();
        const labels = [...svg.querySelectorAll('.period-labels text')].map(t => {{
            const r = t.getBoundingClientRect();
            return {{text: t.textContent, inside: r.left >= box.left && r.right <= box.right && r.top >= box.top}};
        }});
        return {{partial: [...svg.querySelectorAll('path.point.partial')].map(p => getComputedStyle(p).fill),
                 full: svg.querySelectorAll('path.point:not(.partial)').length, labels,
                 legend: [...svg.querySelectorAll('.legend text')].map(t => t.textContent)}};
    }}""")
    assert drawn["partial"]
    assert all(fill == "none" for fill in drawn["partial"])
    assert drawn["full"] >= 2
    assert {label["text"] for label in drawn["labels"]} >= {"Jan–Aug 2021", "Jan–Oct 2022"}
    assert all(label["inside"] for label in drawn["labels"]), drawn["labels"]
    assert "part-year figure" in drawn["legend"]
    # The table says so too, in the dates people write.
    page.get_by_text("The chart as a table").first.click()
    table = figure.locator("xpath=following-sibling::details[1]//table")
    expect(table).to_contain_text("Jan–Aug 2021 (part-year figure)")
    expect(table).not_to_contain_text("2021-01/2021-08")
