"""Static SVG charts of numeric series, and their table alternative.

[`series_chart`][build_scripts.render.charts.series_chart] draws one dot per claim
over the facts' `time`, one colour and marker shape per source, joined by a
line per source. A figure for part of the series' usual period (Jan–Aug of a
year in a series of whole years, see
[`part_periods`][build_scripts.notes.periods.part_periods]) is drawn hollow, labelled
with its period, and joined to nothing, so that it never reads as a fall.
Where sources disagree about a fact, their dots sit side by side inside a
shaded bar. The SVG is hand-written, needs no JavaScript, scales with its
`viewBox`, draws axes and text in `currentColor` (so it follows light and
dark themes) and is byte-for-byte the same for the same input. It is drawn
for a given width in user units, so that a page can offer a narrow layout
whose text stays legible on a phone. Topic pages give the same data as a
table beside the chart, for readers who cannot see it.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from build_scripts.check.reconcile import claim_key, disagree, tolerance_of
from build_scripts.model import Claim, Fact, FactKind
from build_scripts.notes.periods import part_period_name, part_periods, period_label, period_x
from build_scripts.notes.values import Normalised, canonical_unit
from build_scripts.render.chart_axes import FONT, TOP, Frame, axes, plot_height_for
from build_scripts.render.chart_geometry import (
    Box,
    R,
    Segment,
    fmt,
    free_spot,
    legend,
    shape_path,
)
from build_scripts.slugs import slug

__all__ = ["PALETTE", "part_period_name", "part_periods", "period_label", "period_x", "series_chart"]

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C8C8C")
"""Okabe–Ito colours (without yellow and black, which vanish on light or dark pages)."""

_SHAPES = ("circle", "square", "triangle", "diamond", "down", "cross")
_GAP = 11.0


@dataclass(frozen=True, slots=True)
class _Point:
    fact: Fact
    claim: Claim
    value: Normalised
    x: float
    y: float
    partial: bool

    @property
    def low(self) -> float:
        """The value's lower bound (points are made only from values that have bounds)."""
        assert self.value.low is not None
        return self.value.low

    @property
    def high(self) -> float:
        """The value's upper bound."""
        assert self.value.high is not None
        return self.value.high


def series_chart(
    title: str,
    facts: Sequence[Fact],
    claims: Sequence[Claim],
    values: Mapping[str, Normalised],
    labels: Mapping[str, str],
    *,
    width: int = 640,
) -> str:
    """An SVG dot-and-line chart of the claims on a series of numeric facts.

    Args:
        title: Chart title (the `<title>` of the SVG).
        facts: Facts of the series; those that are not numbers or have no
            readable `time` are left out.
        claims: Claims; only those on `facts` with a value in `values` are drawn.
        values: Normalised values by claim id (from `reconcile`).
        labels: Legend text by citekey, e.g. "Baev 2021" (the citekey if missing).
        width: Width of the drawing in user units, its text 12 units high:
            shown at this width, the text is 12 CSS pixels high.

    Returns:
        The SVG document as a string (no XML declaration), one `class="point"`
        marker per drawn claim (`class="point partial"` for a part-period figure).
    """
    points = _points(facts, claims, values)
    sources = sorted({p.claim.source for p in points}, key=lambda key: (labels.get(key, key), key))
    style = {key: (PALETTE[i % len(PALETTE)], _SHAPES[i % len(_SHAPES)]) for i, key in enumerate(sources)}
    uid = f"{_uid(title, facts)}-{width}"
    keyed = [(labels.get(key, key), *style[key]) for key in sources]
    disputed = _disputed(points)
    if disputed:
        keyed.append(("sources disagree", "", "band"))
    if any(p.partial for p in points):
        keyed.append((part_period_name(facts), "", "hollow"))
    frame = _frame(points, width, _unit(facts)) if points else None
    plot_height = frame.plot_height if frame else plot_height_for(width)
    rows, legend_svg = legend(keyed, frame.left if frame else 16.0, width, TOP + plot_height + 44)
    height = TOP + plot_height + 44 + rows * 20 + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-title {uid}-desc"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="series-chart"'
        f' font-family="sans-serif" font-size="{FONT}">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(_describe(title, points, sources, labels, disputed))}</desc>',
    ]
    if frame is not None:
        placed = _place(points, frame, {key: i for i, key in enumerate(sources)})
        out += axes(frame)
        out += _bands(placed, disputed, labels)
        out += _marks(placed, frame, sources, style, labels)
    out += legend_svg
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _points(facts: Sequence[Fact], claims: Sequence[Claim], values: Mapping[str, Normalised]) -> list[_Point]:
    by_id = {fact.id: fact for fact in facts if fact.kind is FactKind.NUMBER}
    partial = part_periods(list(by_id.values()))
    points = []
    for claim in claims:
        fact, value = by_id.get(claim.fact), values.get(claim_key(claim))
        x = period_x(fact.time) if fact else None
        if fact is None or x is None or value is None or value.low is None or value.high is None:
            continue
        finite = [v for v in (value.low, value.high) if math.isfinite(v)]
        y = value.point if value.point is not None else sum(finite) / len(finite) if finite else None
        if y is not None:
            points.append(_Point(fact, claim, value, x, y, fact.id in partial))
    return sorted(points, key=lambda p: (p.x, p.fact.id, p.claim.source, claim_key(p.claim)))


def _disputed(points: list[_Point]) -> set[str]:
    """Ids of facts on which two sources' drawn values disagree."""
    out = set()
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            if (
                a.fact.id == b.fact.id
                and a.claim.source != b.claim.source
                and disagree(a.value, b.value, tolerance_of(a.fact))
            ):
                out.add(a.fact.id)
    return out


def _frame(points: list[_Point], width: int, unit: str) -> Frame:
    """The frame of the chart: its points and their ranges, room for the widest group of dots side by side."""
    xs = [p.x for p in points]
    ys = [v for p in points for v in (p.y, p.low, p.high) if math.isfinite(v)]
    widest = max(Counter(p.fact.id for p in points).values())
    return Frame.fit(xs, ys, (widest - 1) / 2 * _GAP + 2 * R, width, unit)


def _place(points: list[_Point], frame: Frame, order: dict[str, int]) -> list[tuple[_Point, float, float]]:
    """SVG positions of the points, those on one fact side by side."""
    by_fact: dict[str, list[_Point]] = {}
    for p in points:
        by_fact.setdefault(p.fact.id, []).append(p)
    placed = []
    for group in by_fact.values():
        group.sort(key=lambda p: (order[p.claim.source], claim_key(p.claim)))
        for i, p in enumerate(group):
            placed.append((p, frame.sx(p.x) + (i - (len(group) - 1) / 2) * _GAP, frame.sy(p.y)))
    return placed


def _bands(placed: list[tuple[_Point, float, float]], disputed: set[str], labels: Mapping[str, str]) -> list[str]:
    """A shaded bar around the side-by-side points of each disputed fact."""
    out = ['<g class="disputes" fill="currentColor" fill-opacity="0.18" stroke="currentColor" stroke-opacity="0.5">']
    for fact_id in sorted(disputed):
        mine = [(p, px, py) for p, px, py in placed if p.fact.id == fact_id]
        left, top = min(px for _, px, _ in mine) - R - 3, min(py for _, _, py in mine) - R - 3
        right, bottom = max(px for _, px, _ in mine) + R + 3, max(py for _, _, py in mine) + R + 3
        ordered = sorted(mine, key=lambda item: (item[0].y, item[0].value.display))
        shown = " vs ".join(
            dict.fromkeys(f"{p.value.display} ({labels.get(p.claim.source, p.claim.source)})" for p, _, _ in ordered)
        )
        text = f"{mine[0][0].fact.title}: sources disagree: {shown}"
        out.append(
            f'<rect x="{fmt(left)}" y="{fmt(top)}" width="{fmt(right - left)}" height="{fmt(bottom - top)}"'
            f' rx="3"><title>{escape(text)}</title></rect>'
        )
    return [*out, "</g>"]


def _marks(
    placed: list[tuple[_Point, float, float]],
    frame: Frame,
    sources: list[str],
    style: dict[str, tuple[str, str]],
    labels: Mapping[str, str],
) -> list[str]:
    """One line per source through its full-period points.

    Then each claim's range (if visible) and marker, and a label naming the period of each
    part-period point.
    """
    out, segments = [], []
    for key in sources:
        mine = sorted((px, py) for p, px, py in placed if p.claim.source == key and not p.partial)
        segments += list(itertools.pairwise(mine))
        if len(mine) > 1:
            coords = " ".join(f"{fmt(px)},{fmt(py)}" for px, py in mine)
            out.append(
                f'<polyline class="series" fill="none" stroke="{style[key][0]}" stroke-width="1.5" points="{coords}"/>'
            )
    for p, px, py in placed:
        colour, shape = style[p.claim.source]
        top, low = frame.sy(p.high), frame.sy(p.low)
        if low - top > 2 * R:
            open_ended = not (math.isfinite(p.high) and math.isfinite(p.low))
            dash = ' stroke-dasharray="3 2"' if open_ended else ""
            segments.append(((px, top), (px, low)))
            out.append(
                f'<line class="range" x1="{fmt(px)}" y1="{fmt(top)}" x2="{fmt(px)}" y2="{fmt(low)}"'
                f' stroke="{colour}"{dash}/>'
            )
        when = period_label(p.fact.time) + (" only" if p.partial else "")
        text = f"{labels.get(p.claim.source, p.claim.source)}, {when}: {p.claim.value}"
        look = (
            ' class="point partial" fill="none" stroke-width="1.5"' if p.partial else f' class="point" fill="{colour}"'
        )
        out.append(
            f'<path{look} data-claim={quoteattr(claim_key(p.claim))} d="{shape_path(shape, px, py)}"'
            f' stroke="{colour}"><title>{escape(text)}</title></path>'
        )
    return out + _period_labels(placed, frame, segments)


def _period_labels(placed: list[tuple[_Point, float, float]], frame: Frame, segments: list[Segment]) -> list[str]:
    """Beside each part-period point, its period ("Jan–Aug 2021"), clear of the lines and of each other."""
    taken = [Box(px - R - 1, py - R - 1, px + R + 1, py + R + 1) for _, px, py in placed]
    area = Box(frame.left + 2, 2, frame.width - 2, frame.bottom - 2)
    out, done = ['<g class="period-labels" fill="currentColor">'], set()
    for p, _, _ in placed:
        if not p.partial or p.fact.id in done:
            continue
        done.add(p.fact.id)
        mine = [(qx, qy) for q, qx, qy in placed if q.fact.id == p.fact.id]
        x, y = sum(qx for qx, _ in mine) / len(mine), min(qy for _, qy in mine)
        text = period_label(p.fact.time)
        lx, ly, anchor, box, far = free_spot((x, y), text, FONT, area, taken, segments)
        taken.append(box)
        if far:
            end = (box.x0 + box.x1) / 2, box.y1 if box.y1 < y else box.y0
            out.append(
                f'<line x1="{fmt(x)}" y1="{fmt(y)}" x2="{fmt(end[0])}" y2="{fmt(end[1])}"'
                ' stroke="currentColor" stroke-opacity="0.5"/>'
            )
        out.append(f'<text x="{fmt(lx)}" y="{fmt(ly)}" text-anchor="{anchor}">{escape(text)}</text>')
    return [*out, "</g>"] if len(out) > 1 else []


def _describe(
    title: str, points: list[_Point], sources: list[str], labels: Mapping[str, str], disputed: set[str]
) -> str:
    if not points:
        return f"{title}: no values to plot."

    def when(chosen: list[_Point]) -> list[str]:
        order = sorted({(p.x, p.fact.time) for p in chosen})
        return list(dict.fromkeys(period_label(time) for _, time in order))

    names = ", ".join(labels.get(key, key) for key in sources)
    times = when(points)
    text = f"{title}: {len(points)} values from {len(sources)} sources ({names}), {times[0]} to {times[-1]}."
    if disputed:
        text += f" Sources disagree for {', '.join(when([p for p in points if p.fact.id in disputed]))}."
    partial = when([p for p in points if p.partial])
    if partial:
        text += (
            f" {' and '.join(partial)} cover only part of the period the other figures cover;"
            " they are drawn hollow and not joined to the others."
        )
    return " ".join(text.split())


def _unit(facts: Sequence[Fact]) -> str:
    units = sorted(canonical_unit(f.unit) for f in facts if f.kind is FactKind.NUMBER and f.unit)
    if not units:
        return ""
    unit = max(sorted(set(units)), key=units.count)
    return "" if unit == "count" else unit


def _uid(title: str, facts: Sequence[Fact]) -> str:
    name = slug(title)[:40].strip("-") or "series"
    digest = hashlib.sha1("\n".join([title, *sorted(f.id for f in facts)]).encode()).hexdigest()[:6]
    return f"chart-{name}-{digest}"
