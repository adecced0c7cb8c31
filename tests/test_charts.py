"""Tests for the static series charts (build_scripts.charts)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from build_scripts.charts import period_x, series_chart
from build_scripts.model import Claim, Fact, Location
from build_scripts.reconcile import reconcile

SVG = "{http://www.w3.org/2000/svg}"
HERE = Location("content/topics/economic.md", 5)


def trade(year: str, fid: str = "") -> Fact:
    return Fact(fid or f"trade-{year}", "China–Russia trade", "number", ("economic",), HERE,
                unit="USD", time=year, series="trade")


FACTS = [trade("1992"), trade("2010"), trade("2021-01/2021-08", "trade-2021")]
CLAIMS = [
    Claim("trade-1992", "nolimits", "USD 5.56 billion", "n1", HERE, id="trade-1992--nolimits"),
    Claim("trade-1992", "axis", "US$5.85 billion", "n2", HERE, id="trade-1992--axis"),
    Claim("trade-2010", "axis", "about US$55 billion", "n2", HERE, id="trade-2010--axis"),
    Claim("trade-2010", "baev", "US$59.3 bn", "n3", HERE, id="trade-2010--baev"),
    Claim("trade-2021", "baev", "more than $89 billion", "n3", HERE, id="trade-2021--baev"),
]
LABELS = {"nolimits": "No Limits 2022", "axis": "Beijing–Moscow axis", "baev": "Baev 2021"}


def chart(facts: list[Fact] = FACTS, claims: list[Claim] = CLAIMS, labels: dict[str, str] = LABELS,
          title: str = "China–Russia trade") -> str:
    _, values, _ = reconcile({f.id: f for f in facts}, claims)
    return series_chart(title, facts, claims, values, labels)


def test_same_input_gives_the_same_bytes() -> None:
    assert chart() == chart()
    assert chart(claims=list(reversed(CLAIMS))) == chart()


def test_accessible_svg_with_title_and_desc() -> None:
    root = ET.fromstring(chart())
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("viewBox")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "China–Russia trade"
    assert desc.text is not None and "5 values from 3 sources" in desc.text and "1992" in desc.text
    assert "Sources disagree for 1992." in desc.text


def test_one_marker_per_claim_with_a_tooltip() -> None:
    root = ET.fromstring(chart())
    points = [el for el in root.iter(f"{SVG}path") if el.get("class") == "point"]
    assert sorted(el.get("data-claim") for el in points) == sorted(c.id for c in CLAIMS)
    tips = {el.get("data-claim"): el.find(f"{SVG}title").text for el in points}  # type: ignore[union-attr]
    assert tips["trade-1992--axis"] == "Beijing–Moscow axis, 1992: US$5.85 billion"


def test_sources_get_distinct_colours_and_shapes_and_a_legend() -> None:
    root = ET.fromstring(chart())
    points = [el for el in root.iter(f"{SVG}path") if el.get("class") == "point"]
    style: dict[str, set[tuple[str, str]]] = {}
    for el in points:
        source = el.get("data-claim", "").split("--")[1]
        shape = re.sub(r"[\d.-]+", "#", el.get("d", ""))  # the path's commands, without coordinates
        style.setdefault(source, set()).add((el.get("fill", ""), shape))
    assert all(len(looks) == 1 for looks in style.values())
    assert len({look for looks in style.values() for look in looks}) == 3
    assert len({fill for looks in style.values() for fill, _ in looks}) == 3
    assert len({shape for looks in style.values() for _, shape in looks}) == 3
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts == ["Baev 2021", "Beijing–Moscow axis", "No Limits 2022", "sources disagree"]


def test_disputed_point_is_marked() -> None:
    root = ET.fromstring(chart())
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "disputes")
    [band] = list(group.iter(f"{SVG}rect"))
    tip = band.find(f"{SVG}title")
    assert tip is not None and "USD 5.56 bn (No Limits 2022) vs USD 5.85 bn (Beijing–Moscow axis)" in (tip.text or "")
    starts = {el.get("data-claim"): el.get("d", "").split(" ")[0] for el in root.iter(f"{SVG}path")
              if el.get("class") == "point"}
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
    assert not [el for el in root.iter(f"{SVG}path") if el.get("class") == "point"]


def test_claims_without_values_or_time_are_left_out() -> None:
    facts = [*FACTS, trade("", "trade-undated")]
    claims = [*CLAIMS, Claim("trade-undated", "baev", "USD 1 bn", "n3", HERE, id="u"),
              Claim("trade-2010", "ye", "lots", "n5", HERE, id="unreadable")]
    points = re.findall(r'class="point" data-claim="([^"]+)"', chart(facts, claims))
    assert sorted(points) == sorted(c.id for c in CLAIMS)


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
