"""Tests for the static series charts (build_scripts.render.charts)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from build_scripts import load_settings, pipeline
from build_scripts.check.reconcile import reconcile
from build_scripts.model import Claim, Fact, Location
from build_scripts.render.charts import part_periods, period_x, series_chart
from build_scripts.render.pages import note_page

from .conftest import copy_fixture

SVG = "{http://www.w3.org/2000/svg}"
HERE = Location("content/topics/economic.md", 5)


def trade(year: str, fid: str = "") -> Fact:
    return Fact(
        fid or f"trade-{year}",
        "China–Russia trade",
        "number",
        ("economic",),
        HERE,
        unit="USD",
        time=year,
        series="trade",
    )


FACTS = [trade("1992"), trade("2010"), trade("2021-01/2021-08", "trade-2021")]
CLAIMS = [
    Claim("trade-1992", "nolimits", "USD 5.56 billion", "n1", HERE, id="trade-1992--nolimits"),
    Claim("trade-1992", "axis", "US$5.85 billion", "n2", HERE, id="trade-1992--axis"),
    Claim("trade-2010", "axis", "about US$55 billion", "n2", HERE, id="trade-2010--axis"),
    Claim("trade-2010", "baev", "US$59.3 bn", "n3", HERE, id="trade-2010--baev"),
    Claim("trade-2021", "baev", "more than $89 billion", "n3", HERE, id="trade-2021--baev"),
]
LABELS = {"nolimits": "No Limits 2022", "axis": "Beijing–Moscow axis", "baev": "Baev 2021"}


def chart(
    facts: list[Fact] = FACTS,
    claims: list[Claim] = CLAIMS,
    labels: dict[str, str] = LABELS,
    title: str = "China–Russia trade",
) -> str:
    _, values, _ = reconcile({f.id: f for f in facts}, claims)
    return series_chart(title, facts, claims, values, labels)


def points(root: ET.Element) -> list[ET.Element]:
    """The chart's markers, one per claim (full-period and part-period alike)."""
    return [el for el in root.iter(f"{SVG}path") if "point" in (el.get("class") or "").split()]


def test_same_input_gives_the_same_bytes() -> None:
    assert chart() == chart()
    assert chart(claims=list(reversed(CLAIMS))) == chart()


def test_accessible_svg_with_title_and_desc() -> None:
    root = ET.fromstring(chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "China–Russia trade"
    assert desc.text is not None
    assert "5 values from 3 sources" in desc.text
    assert "1992" in desc.text
    assert "Sources disagree for 1992." in desc.text


def test_one_marker_per_claim_with_a_tooltip() -> None:
    root = ET.fromstring(chart())
    marks = points(root)
    assert sorted(el.get("data-claim") for el in marks) == sorted(c.id for c in CLAIMS)
    tips = {el.get("data-claim"): el.find(f"{SVG}title").text for el in marks}  # type: ignore[union-attr]
    assert tips["trade-1992--axis"] == "Beijing–Moscow axis, 1992: US$5.85 billion"
    assert tips["trade-2021--baev"] == "Baev 2021, Jan–Aug 2021 only: more than $89 billion"


def test_sources_get_distinct_colours_and_shapes_and_a_legend() -> None:
    root = ET.fromstring(chart())
    style: dict[str, set[tuple[str, str]]] = {}
    for el in points(root):
        source = el.get("data-claim", "").split("--")[1]
        shape = re.sub(r"[\d.-]+", "#", el.get("d", ""))  # the path's commands, without coordinates
        style.setdefault(source, set()).add((el.get("stroke", ""), shape))
    assert all(len(looks) == 1 for looks in style.values())
    assert len({look for looks in style.values() for look in looks}) == 3
    assert len({fill for looks in style.values() for fill, _ in looks}) == 3
    assert len({shape for looks in style.values() for _, shape in looks}) == 3
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts == ["Baev 2021", "Beijing–Moscow axis", "No Limits 2022", "sources disagree", "part-year figure"]


def test_disputed_point_is_marked() -> None:
    root = ET.fromstring(chart())
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "disputes")
    [band] = list(group.iter(f"{SVG}rect"))
    tip = band.find(f"{SVG}title")
    assert tip is not None
    assert "USD 5.56 bn (No Limits 2022) vs USD 5.85 bn (Beijing–Moscow axis)" in (tip.text or "")
    starts = {
        el.get("data-claim"): el.get("d", "").split(" ")[0]
        for el in root.iter(f"{SVG}path")
        if el.get("class") == "point"
    }
    assert starts["trade-1992--axis"] != starts["trade-1992--nolimits"]  # side by side, not on top of each other


def test_no_dispute_no_band() -> None:
    claims = [c for c in CLAIMS if c.id != "trade-1992--axis"]
    svg = chart(claims=claims)
    assert "<rect" not in svg.split('class="legend"')[0]
    assert "sources disagree" not in svg


def test_axes_use_current_colour_and_scale_words() -> None:
    svg = chart()
    root = ET.fromstring(svg)
    axes = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "axes")
    assert axes.get("stroke") == "currentColor"
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "USD bn" in labels
    assert {"0", "20", "40", "60", "80", "100"} <= set(labels)
    assert {"1995", "2000", "2005", "2010", "2015", "2020"} <= set(labels)


@pytest.mark.parametrize(
    "hostile",
    [pytest.param("<script>alert(1)</script>", id="script_tag"), pytest.param('Smith & "Jones"', id="amp_quote")],
)
def test_hostile_text_is_escaped(hostile: str) -> None:
    claims = [*CLAIMS, Claim("trade-2010", hostile, "USD 57 billion", "n4", HERE, id=f"trade-2010--{hostile}")]
    svg = chart(claims=claims, labels={**LABELS, hostile: hostile}, title=hostile)
    assert "<script" not in svg
    root = ET.fromstring(svg)  # still well-formed
    assert root.find(f"{SVG}title").text == hostile  # type: ignore[union-attr]
    assert hostile in [t.text for t in root.iter(f"{SVG}text")]
    assert [el.get("data-claim") for el in root.iter(f"{SVG}path") if hostile in (el.get("data-claim") or "")]


def test_empty_series_is_still_a_valid_svg() -> None:
    root = ET.fromstring(chart(claims=[]))
    assert root.find(f"{SVG}desc").text == "China–Russia trade: no values to plot."  # type: ignore[union-attr]
    assert not points(root)


def test_claims_without_values_or_time_are_left_out() -> None:
    facts = [*FACTS, trade("", "trade-undated")]
    claims = [
        *CLAIMS,
        Claim("trade-undated", "baev", "USD 1 bn", "n3", HERE, id="u"),
        Claim("trade-2010", "ye", "lots", "n5", HERE, id="unreadable"),
    ]
    drawn = [el.get("data-claim") for el in points(ET.fromstring(chart(facts, claims)))]
    assert sorted(drawn) == sorted(c.id for c in CLAIMS)


@pytest.mark.parametrize(
    ("time", "x"),
    [
        pytest.param("1992", 1992.0, id="year"),
        pytest.param("2021-01/2021-08", 2021.0, id="iso_period"),
        pytest.param("Jan–Aug 2021", 2021.0, id="month_period"),
        pytest.param("2021-07", 2021 + 181 / 365, id="month"),
        pytest.param("", None, id="empty"),
        pytest.param("someday", None, id="unreadable"),
    ],
)
def test_period_x(time: str, x: float | None) -> None:
    assert period_x(time) == (pytest.approx(x) if x is not None else None)


def test_long_legend_labels_are_shortened_with_the_full_text_as_tooltip() -> None:
    long = "A very long source title that goes on and on " * 3
    root = ET.fromstring(chart(labels={**LABELS, "baev": long}))
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    [entry] = [t for t in legend.iter(f"{SVG}text") if (t.find(f"{SVG}title") is not None)]
    assert entry.find(f"{SVG}title").text == long  # type: ignore[union-attr]
    assert (entry.find(f"{SVG}title").tail or "").endswith("…")  # type: ignore[union-attr]


# --- part-period figures ----------------------------------------------------------------------


def centre_x(el: ET.Element) -> float:
    """Roughly where a marker sits: the x its path starts at (within a marker's radius of its centre)."""
    return float(re.match(r"M([\d.-]+)", el.get("d", "")).group(1))  # type: ignore[union-attr]


def test_part_year_point_is_hollow_labelled_and_joined_to_nothing() -> None:
    facts = [*FACTS, trade("2020")]
    claims = [*CLAIMS, Claim("trade-2020", "baev", "USD 108 billion", "n3", HERE, id="trade-2020--baev")]
    root = ET.fromstring(chart(facts, claims))
    [partial] = [el for el in points(root) if "partial" in (el.get("class") or "").split()]
    assert partial.get("data-claim") == "trade-2021--baev"
    assert partial.get("fill") == "none"
    full = [el for el in points(root) if el is not partial]
    assert all(el.get("fill") not in (None, "none") for el in full)
    # Baev's line joins 2010 and 2020 only: it stops short of the Jan–Aug 2021 marker.
    lines = {el.get("stroke"): el.get("points", "").split() for el in root.iter(f"{SVG}polyline")}
    baev = lines[partial.get("stroke")]
    assert len(baev) == 2
    assert max(float(xy.split(",")[0]) for xy in baev) < centre_x(partial) - 5
    labels = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "period-labels")
    assert [t.text for t in labels.iter(f"{SVG}text")] == ["Jan–Aug 2021"]
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert "part-year figure" in [t.text for t in legend.iter(f"{SVG}text")]
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "Jan–Aug 2021 cover only part of the period" in desc
    assert "2021-01" not in desc


def test_without_part_year_figures_no_hollow_marker_in_the_legend() -> None:
    facts = [f for f in FACTS if f.id != "trade-2021"]
    root = ET.fromstring(chart(facts, [c for c in CLAIMS if c.fact != "trade-2021"]))
    assert not [el for el in points(root) if "partial" in (el.get("class") or "")]
    assert "part-year figure" not in [t.text for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("times", "partial"),
    [
        pytest.param(
            ["1992", "2020", "2021-01/2021-08", "Jan–Oct 2022"],
            {"2021-01/2021-08", "Jan–Oct 2022"},
            id="months_among_years",
        ),
        pytest.param(["2019", "2020", "2021-04/2021-06"], {"2021-04/2021-06"}, id="quarter_among_years"),
        pytest.param(
            ["2021-01", "2021-02", "2021-03-01/2021-03-15"], {"2021-03-01/2021-03-15"}, id="days_among_months"
        ),
        pytest.param(["2021-01", "2021-02", "2021-03"], set(), id="all_months"),
        pytest.param(["Jan–Aug 2021", "Jan–Aug 2022"], set(), id="same_part_every_year"),
        pytest.param(["1990s", "2000s", "2010"], {"2010"}, id="year_among_decades"),
        pytest.param(["1992", "2020", "someday"], set(), id="unreadable_left_alone"),
    ],
)
def test_part_periods_are_those_shorter_than_the_series_step(times: list[str], partial: set[str]) -> None:
    facts = [trade(time, f"f{i}") for i, time in enumerate(times)]
    assert {facts[int(fid[1:])].time for fid in part_periods(facts)} == partial


def test_narrow_layout_keeps_twelve_unit_text_on_a_narrower_drawing() -> None:
    wide, narrow = (ET.fromstring(chart_at(width)) for width in (640, 320))
    assert wide.get("viewBox", "").split()[2] == "640"
    assert narrow.get("viewBox", "").split()[2] == "320"
    assert wide.get("font-size") == narrow.get("font-size") == "12"
    assert wide.find(f"{SVG}title").get("id") != narrow.find(f"{SVG}title").get("id")  # type: ignore[union-attr]
    assert len(points(narrow)) == len(points(wide)) == len(CLAIMS)


def chart_at(width: int) -> str:
    _, values, _ = reconcile({f.id: f for f in FACTS}, CLAIMS)
    return series_chart("China–Russia trade", FACTS, CLAIMS, values, LABELS, width=width)


# --- where a chart sits on its topic page -----------------------------------------------------

ALPHA_BODY = """## Trade

Figures come first.

Trade began small: [[fact:trade-1992]] in 1992 [@baev2021, p. 3; @lo2008].
By 2020 it reached [[fact:trade-2020]].

Then it slowed, some say.

## Judgements

Authors differ on where things go: [[fact:trend]].
"""


def topic_page(tmp_path: Path, body: str) -> str:
    """The alpha topic's page, as Markdown, with a Jan–Aug 2021 figure added to its trade series and `body`."""
    project = copy_fixture("mini", tmp_path / "mini")
    alpha = project / "content" / "topics" / "alpha.md"
    front, _, _ = alpha.read_text(encoding="utf-8").partition("\n---\n")
    front = front.replace(
        "claims:\n",
        '  - {id: trade-2021, label: Bilateral trade, kind: number, unit: USD, time: "2021-01/2021-08", '
        "series: trade}\nclaims:\n  - {fact: trade-2021, source: gomez2022, value: USD 89 bn, locator: para. 3}\n",
    )
    alpha.write_text(f"{front}\n---\n{body}", encoding="utf-8")
    ctx, diags = pipeline.check(load_settings(project / "mkdocs.yml"))
    assert ctx is not None, diags
    return "\n".join(note_page(ctx.index.notes["alpha"], ctx).parts)


def test_chart_follows_the_first_block_that_embeds_a_fact_of_its_series(tmp_path: Path) -> None:
    page = topic_page(tmp_path, ALPHA_BODY)
    figure = page.index('<figure class="research-chart"')
    assert page.index("By 2020 it reached") < figure < page.index("Then it slowed") < page.index("## Judgements")
    assert page.count('<figure class="research-chart"') == 1
    assert "## Chart:" not in page
    table = page[page.index('??? info "The chart as a table"', figure) : page.index("Then it slowed")]
    assert "| Jan–Aug 2021 (part-year figure) | Gómez 2022 | USD 89 bn | para. 3 |" in table
    assert "2021-01/2021-08" not in table
    assert [row.split("|")[1].strip() for row in table.splitlines()[4:] if row.strip()][:1] == ["1992"]


def test_chart_of_a_series_the_text_never_embeds_goes_near_the_end(tmp_path: Path) -> None:
    body = ALPHA_BODY.replace("[[fact:trade-1992]]", "USD 5.6 bn").replace("[[fact:trade-2020]]", "USD 108 bn")
    page = topic_page(tmp_path, body)
    heading = page.index("## Chart: Bilateral trade")
    assert page.index("## Judgements") < heading < page.index('<figure class="research-chart"')
