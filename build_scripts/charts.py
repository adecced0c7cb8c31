"""Static SVG charts of numeric series, and their table alternative.

[`series_chart`][build_scripts.charts.series_chart] draws one dot per claim
over the facts' `time`, one colour and marker shape per source, joined by a
line per source. Where sources disagree about a fact, their dots sit side by
side inside a shaded bar. The SVG is hand-written, needs no JavaScript, scales
with its `viewBox`, draws axes and text in `currentColor` (so it follows light
and dark themes) and is byte-for-byte the same for the same input. Topic
pages give the same data as a table beside the chart, for readers who cannot
see it.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from build_scripts.model import Claim, Fact, FactKind
from build_scripts.reconcile import claim_key, disagree, tolerance_of
from build_scripts.slugs import slug
from build_scripts.values import Normalised, canonical_unit, parse_period

__all__ = ["PALETTE", "period_x", "series_chart"]

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C8C8C")
"""Okabe–Ito colours (without yellow and black, which vanish on light or dark pages)."""

_SHAPES = ("circle", "square", "triangle", "diamond", "down", "cross")
_WIDTH, _LEFT, _RIGHT, _TOP, _PLOT_HEIGHT = 640, 76, 16, 16, 240
_R, _GAP = 4.5, 11.0
_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "mn"))


@dataclass(frozen=True, slots=True)
class _Point:
    fact: Fact
    claim: Claim
    value: Normalised
    x: float
    y: float

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


def period_x(time: str) -> float | None:
    """Position of a fact's `time` on a year axis: the start year plus the elapsed fraction.

    "1992" → 1992.0, "2021-07" → 2021.4959, "Jan–Aug 2021" → 2021.0; `None` if unreadable.
    """
    period = parse_period(time) if time else None
    if period is None:
        return None
    start = period[0]
    first = date(start.year, 1, 1).toordinal()
    length = date(start.year + 1, 1, 1).toordinal() - first
    return start.year + (start.toordinal() - first) / length


def series_chart(
    title: str,
    facts: Sequence[Fact],
    claims: Sequence[Claim],
    values: Mapping[str, Normalised],
    labels: Mapping[str, str],
) -> str:
    """An SVG dot-and-line chart of the claims on a series of numeric facts.

    Args:
        title: Chart title (the `<title>` of the SVG).
        facts: Facts of the series; those that are not numbers or have no
            readable `time` are left out.
        claims: Claims; only those on `facts` with a value in `values` are drawn.
        values: Normalised values by claim id (from `reconcile`).
        labels: Legend text by citekey, e.g. "Baev 2021" (the citekey if missing).

    Returns:
        The SVG document as a string (no XML declaration), one `class="point"`
        marker per drawn claim.
    """
    points = _points(facts, claims, values)
    sources = sorted({p.claim.source for p in points}, key=lambda key: (labels.get(key, key), key))
    style = {key: (PALETTE[i % len(PALETTE)], _SHAPES[i % len(_SHAPES)]) for i, key in enumerate(sources)}
    uid = _uid(title, facts)
    legend = [(labels.get(key, key), *style[key]) for key in sources]
    disputed = _disputed(points)
    if disputed:
        legend.append(("sources disagree", "", "band"))
    rows, legend_svg = _legend(legend, _TOP + _PLOT_HEIGHT + 44)
    height = _TOP + _PLOT_HEIGHT + 44 + rows * 20 + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-title {uid}-desc"'
        f' viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" class="series-chart"'
        ' style="max-width:100%;height:auto" font-family="sans-serif" font-size="12">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(_describe(title, points, sources, labels, disputed))}</desc>',
    ]
    if points:
        frame = _Frame.fit(points)
        placed = _place(points, frame, {key: i for i, key in enumerate(sources)})
        out += _axes(frame, _unit(facts))
        out += _bands(placed, disputed, labels)
        out += _marks(placed, frame, sources, style, labels)
    out += legend_svg
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _points(facts: Sequence[Fact], claims: Sequence[Claim], values: Mapping[str, Normalised]) -> list[_Point]:
    by_id = {fact.id: fact for fact in facts if fact.kind is FactKind.NUMBER}
    points = []
    for claim in claims:
        fact, value = by_id.get(claim.fact), values.get(claim_key(claim))
        x = period_x(fact.time) if fact else None
        if fact is None or x is None or value is None or value.low is None or value.high is None:
            continue
        finite = [v for v in (value.low, value.high) if math.isfinite(v)]
        y = value.point if value.point is not None else sum(finite) / len(finite) if finite else None
        if y is not None:
            points.append(_Point(fact, claim, value, x, y))
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


@dataclass(frozen=True, slots=True)
class _Frame:
    """The plot area's data ranges and the mapping from data to SVG coordinates."""

    x_lo: float
    x_hi: float
    y_ticks: list[float]
    inset: float

    @classmethod
    def fit(cls, points: list[_Point]) -> _Frame:
        xs = [p.x for p in points]
        ys = [v for p in points for v in (p.y, p.low, p.high) if math.isfinite(v)]
        widest = max(Counter(p.fact.id for p in points).values())
        inset = (widest - 1) / 2 * _GAP + 2 * _R
        lo, hi = min(xs), max(xs)
        if hi - lo < 1:
            lo, hi = lo - 0.5, hi + 0.5
        return cls(lo, hi, _nice_ticks(min(ys), max(ys)), inset)

    def sx(self, x: float) -> float:
        width = _WIDTH - _RIGHT - _LEFT - 2 * self.inset
        return _LEFT + self.inset + (x - self.x_lo) / (self.x_hi - self.x_lo) * width

    def x_span(self) -> tuple[float, float]:
        """Data x at the left and right edges of the plot area."""
        per_pixel = (self.x_hi - self.x_lo) / (_WIDTH - _RIGHT - _LEFT - 2 * self.inset)
        return self.x_lo - self.inset * per_pixel, self.x_hi + self.inset * per_pixel

    def sy(self, y: float) -> float:
        lo, hi = self.y_ticks[0], self.y_ticks[-1]
        return _TOP + _PLOT_HEIGHT - (min(max(y, lo), hi) - lo) / (hi - lo) * _PLOT_HEIGHT


def _axes(frame: _Frame, unit: str) -> list[str]:
    bottom, right, ticks = _TOP + _PLOT_HEIGHT, _WIDTH - _RIGHT, frame.y_ticks
    divisor, word = next(((d, w) for d, w in _SCALES if max(abs(ticks[0]), abs(ticks[-1])) >= d), (1.0, ""))
    decimals = max(0, -math.floor(math.log10((ticks[1] - ticks[0]) / divisor) + 1e-9))
    years = _year_ticks(*frame.x_span())
    out = ['<g class="grid" stroke="currentColor" stroke-opacity="0.15">']
    out += [f'<line x1="{_LEFT}" y1="{_n(frame.sy(t))}" x2="{right}" y2="{_n(frame.sy(t))}"/>' for t in ticks]
    out += [
        "</g>",
        '<g class="axes" stroke="currentColor" fill="none">',
        f'<path d="M{_LEFT} {_TOP}V{bottom}H{right}"/>',
    ]
    out += [f'<path d="M{_n(frame.sx(t))} {bottom}v5"/>' for t in years]
    out += [f'<path d="M{_LEFT} {_n(frame.sy(t))}h-5"/>' for t in ticks]
    out += ["</g>", '<g class="labels" fill="currentColor">']
    out += [
        f'<text x="{_LEFT - 8}" y="{_n(frame.sy(t) + 4)}" text-anchor="end">{t / divisor:,.{decimals}f}</text>'
        for t in ticks
    ]
    out += [f'<text x="{_n(frame.sx(t))}" y="{bottom + 18}" text-anchor="middle">{t}</text>' for t in years]
    axis = " ".join(part for part in ("%" if unit == "percent" else unit, word) if part)
    if axis:
        mid = _n(_TOP + _PLOT_HEIGHT / 2)
        out.append(
            f'<text x="14" y="{mid}" transform="rotate(-90 14 {mid})" text-anchor="middle">{escape(axis)}</text>'
        )
    return [*out, "</g>"]


def _place(points: list[_Point], frame: _Frame, order: dict[str, int]) -> list[tuple[_Point, float, float]]:
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
        left, top = min(px for _, px, _ in mine) - _R - 3, min(py for _, _, py in mine) - _R - 3
        right, bottom = max(px for _, px, _ in mine) + _R + 3, max(py for _, _, py in mine) + _R + 3
        ordered = sorted(mine, key=lambda item: (item[0].y, item[0].value.display))
        shown = " vs ".join(
            dict.fromkeys(f"{p.value.display} ({labels.get(p.claim.source, p.claim.source)})" for p, _, _ in ordered)
        )
        text = f"{mine[0][0].fact.title}: sources disagree: {shown}"
        out.append(
            f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(right - left)}" height="{_n(bottom - top)}"'
            f' rx="3"><title>{escape(text)}</title></rect>'
        )
    return [*out, "</g>"]


def _marks(
    placed: list[tuple[_Point, float, float]],
    frame: _Frame,
    sources: list[str],
    style: dict[str, tuple[str, str]],
    labels: Mapping[str, str],
) -> list[str]:
    """One line per source, then each claim's range (if visible) and marker."""
    out = []
    for key in sources:
        mine = sorted((px, py) for p, px, py in placed if p.claim.source == key)
        if len(mine) > 1:
            coords = " ".join(f"{_n(px)},{_n(py)}" for px, py in mine)
            out.append(
                f'<polyline class="series" fill="none" stroke="{style[key][0]}" stroke-width="1.5" points="{coords}"/>'
            )
    for p, px, py in placed:
        colour, shape = style[p.claim.source]
        top, low = frame.sy(p.high), frame.sy(p.low)
        if low - top > 2 * _R:
            open_ended = not (math.isfinite(p.high) and math.isfinite(p.low))
            dash = ' stroke-dasharray="3 2"' if open_ended else ""
            out.append(
                f'<line class="range" x1="{_n(px)}" y1="{_n(top)}" x2="{_n(px)}" y2="{_n(low)}"'
                f' stroke="{colour}"{dash}/>'
            )
        text = f"{labels.get(p.claim.source, p.claim.source)}, {p.fact.time}: {p.claim.value}"
        out.append(
            f'<path class="point" data-claim={quoteattr(claim_key(p.claim))} d="{_shape(shape, px, py)}"'
            f' fill="{colour}" stroke="{colour}"><title>{escape(text)}</title></path>'
        )
    return out


def _legend(items: list[tuple[str, str, str]], y: float) -> tuple[int, list[str]]:
    out, x, rows = ['<g class="legend" fill="currentColor">'], float(_LEFT), 1
    room = int((_WIDTH - _RIGHT - _LEFT - 22) / 7)
    for full, colour, shape in items:
        text = full if len(full) <= room else full[: room - 1].rstrip() + "…"
        width = 22 + 7 * len(text) + 18
        if x + width > _WIDTH - _RIGHT and x > _LEFT:
            x, y, rows = float(_LEFT), y + 20, rows + 1
        if shape == "band":
            out.append(
                f'<rect x="{_n(x)}" y="{_n(y - 8)}" width="14" height="16" rx="3" fill-opacity="0.18"'
                ' stroke="currentColor" stroke-opacity="0.5"/>'
            )
        else:
            out.append(f'<path d="{_shape(shape, x + 7, y)}" fill="{colour}" stroke="{colour}"/>')
        tip = f"<title>{escape(full)}</title>" if text != full else ""
        out.append(f'<text x="{_n(x + 22)}" y="{_n(y + 4)}">{tip}{escape(text)}</text>')
        x += width
    out.append("</g>")
    return rows, out


def _describe(
    title: str, points: list[_Point], sources: list[str], labels: Mapping[str, str], disputed: set[str]
) -> str:
    if not points:
        return f"{title}: no values to plot."
    names = ", ".join(labels.get(key, key) for key in sources)
    times = sorted({p.fact.time for p in points}, key=lambda t: (period_x(t) or 0.0, t))
    text = f"{title}: {len(points)} values from {len(sources)} sources ({names}), {times[0]} to {times[-1]}."
    if disputed:
        at = sorted({p.fact.time for p in points if p.fact.id in disputed}, key=lambda t: (period_x(t) or 0.0, t))
        text += f" Sources disagree for {', '.join(at)}."
    return " ".join(text.split())


def _nice_ticks(lo: float, hi: float) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) covering [lo, hi]."""
    if lo >= 0 and lo < hi / 2:
        lo = 0.0
    if hi == lo:
        lo, hi = (lo - abs(lo) * 0.1, hi + abs(hi) * 0.1) if lo else (0.0, 1.0)
    raw = (hi - lo) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [k * step for k in range(first, last + 1)]


def _year_ticks(lo: float, hi: float) -> list[int]:
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if (hi - lo) / s <= 8), 1000)
    return [year for year in range(math.ceil(lo), math.floor(hi) + 1) if year % step == 0]


def _shape(shape: str, x: float, y: float) -> str:
    r = _R
    if shape == "circle":
        return f"M{_n(x - r)} {_n(y)}a{_n(r)} {_n(r)} 0 1 0 {_n(2 * r)} 0a{_n(r)} {_n(r)} 0 1 0 {_n(-2 * r)} 0Z"
    if shape == "square":
        s = r * 0.9
        return f"M{_n(x - s)} {_n(y - s)}h{_n(2 * s)}v{_n(2 * s)}h{_n(-2 * s)}Z"
    if shape == "triangle":
        return f"M{_n(x)} {_n(y - r - 1)}L{_n(x + r + 0.5)} {_n(y + r - 0.5)}H{_n(x - r - 0.5)}Z"
    if shape == "down":
        return f"M{_n(x)} {_n(y + r + 1)}L{_n(x + r + 0.5)} {_n(y - r + 0.5)}H{_n(x - r - 0.5)}Z"
    if shape == "diamond":
        return f"M{_n(x)} {_n(y - r - 1)}L{_n(x + r + 1)} {_n(y)}L{_n(x)} {_n(y + r + 1)}L{_n(x - r - 1)} {_n(y)}Z"
    a, b = r * 0.4, r
    return (
        f"M{_n(x - a)} {_n(y - b)}h{_n(2 * a)}v{_n(b - a)}h{_n(b - a)}v{_n(2 * a)}h{_n(a - b)}"
        f"v{_n(b - a)}h{_n(-2 * a)}v{_n(a - b)}h{_n(a - b)}v{_n(-2 * a)}h{_n(b - a)}Z"
    )


def _unit(facts: Sequence[Fact]) -> str:
    units = sorted(canonical_unit(f.unit) for f in facts if f.kind is FactKind.NUMBER and f.unit)
    if not units:
        return ""
    unit = max(sorted(set(units)), key=units.count)
    return "" if unit == "count" else unit


def _sort_x(fact: Fact) -> float:
    x = period_x(fact.time)
    return math.inf if x is None else x


def _uid(title: str, facts: Sequence[Fact]) -> str:
    name = slug(title)[:40].strip("-") or "series"
    digest = hashlib.sha1("\n".join([title, *sorted(f.id for f in facts)]).encode()).hexdigest()[:6]
    return f"chart-{name}-{digest}"


def _n(value: float) -> str:
    """Fixed, short number formatting for coordinates."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
