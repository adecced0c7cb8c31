"""The plot frame of a [`chart`][build_scripts.render.charts.series_chart] and its axes.

The frame maps data (years across, values up) to SVG user units; the axes
carry round ticks, values scaled to thousands of millions ("bn") where they
are large, and the unit as the y axis's title.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from build_scripts.render.chart_geometry import RIGHT, fmt, nice_ticks, text_width, year_ticks

__all__ = ["FONT", "TOP", "Frame", "axes", "plot_height_for"]

TOP, FONT = 16, 12
"""The plot area's top edge, and the size of the chart's text."""
_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "mn"))


def plot_height_for(width: int) -> int:
    """The plot area's height for a chart `width` wide: less on a narrow one."""
    return 240 if width >= 480 else 200


@dataclass(frozen=True, slots=True)
class Frame:
    """The plot area's size, data ranges and the mapping from data to SVG coordinates.

    Attributes:
        width: The chart's width.
        left: The plot area's left edge (room for the tick labels and the axis title).
        plot_height: The plot area's height.
        x_lo: The least data x (a year).
        x_hi: The greatest data x.
        y_ticks: The y axis's ticks, lowest first: its range.
        inset: Room kept between the plot's sides and the outermost points.
        unit: The unit of the values (the axis title names it).
    """

    width: int
    left: float
    plot_height: int
    x_lo: float
    x_hi: float
    y_ticks: list[float]
    inset: float
    unit: str

    @classmethod
    def fit(cls, xs: list[float], ys: list[float], inset: float, width: int, unit: str) -> Frame:
        """The frame of a chart `width` wide holding data at `xs` and `ys`, points kept `inset` from the sides."""
        lo, hi = min(xs), max(xs)
        if hi - lo < 1:
            lo, hi = lo - 0.5, hi + 0.5
        ticks = nice_ticks(min(ys), max(ys))
        widest_tick = max(len(text) for text in _tick_texts(ticks))
        left = math.ceil((32 if _axis_title(ticks, unit) else 12) + text_width("0" * widest_tick, FONT))
        return cls(width, left, plot_height_for(width), lo, hi, ticks, inset, unit)

    @property
    def right(self) -> float:
        """The plot area's right edge."""
        return self.width - RIGHT

    @property
    def bottom(self) -> float:
        """The plot area's bottom edge (the x axis)."""
        return TOP + self.plot_height

    def sx(self, x: float) -> float:
        """SVG x of data x."""
        width = self.right - self.left - 2 * self.inset
        return self.left + self.inset + (x - self.x_lo) / (self.x_hi - self.x_lo) * width

    def x_span(self) -> tuple[float, float]:
        """Data x at the left and right edges of the plot area."""
        per_pixel = (self.x_hi - self.x_lo) / (self.right - self.left - 2 * self.inset)
        return self.x_lo - self.inset * per_pixel, self.x_hi + self.inset * per_pixel

    def sy(self, y: float) -> float:
        """SVG y of data y (kept within the y ticks' range)."""
        lo, hi = self.y_ticks[0], self.y_ticks[-1]
        return TOP + self.plot_height - (min(max(y, lo), hi) - lo) / (hi - lo) * self.plot_height


def _scale(ticks: list[float]) -> tuple[float, str]:
    return next(((d, w) for d, w in _SCALES if max(abs(ticks[0]), abs(ticks[-1])) >= d), (1.0, ""))


def _tick_texts(ticks: list[float]) -> list[str]:
    divisor = _scale(ticks)[0]
    decimals = max(0, -math.floor(math.log10((ticks[1] - ticks[0]) / divisor) + 1e-9))
    return [f"{t / divisor:,.{decimals}f}" for t in ticks]


def _axis_title(ticks: list[float], unit: str) -> str:
    return " ".join(part for part in ("%" if unit == "percent" else unit, _scale(ticks)[1]) if part)


def axes(frame: Frame) -> list[str]:
    """The grid, the axes with their ticks and tick labels, and the y axis's title, as SVG lines."""
    left, bottom, right, ticks = frame.left, frame.bottom, frame.right, frame.y_ticks
    years = year_ticks(*frame.x_span(), most=max(2, int((right - left) / 60)))
    out = ['<g class="grid" stroke="currentColor" stroke-opacity="0.15">']
    out += [f'<line x1="{left}" y1="{fmt(frame.sy(t))}" x2="{right}" y2="{fmt(frame.sy(t))}"/>' for t in ticks]
    out += [
        "</g>",
        '<g class="axes" stroke="currentColor" fill="none">',
        f'<path d="M{left} {TOP}V{bottom}H{right}"/>',
    ]
    out += [f'<path d="M{fmt(frame.sx(t))} {bottom}v5"/>' for t in years]
    out += [f'<path d="M{left} {fmt(frame.sy(t))}h-5"/>' for t in ticks]
    out += ["</g>", '<g class="labels" fill="currentColor">']
    out += [
        f'<text x="{left - 8}" y="{fmt(frame.sy(t) + 4)}" text-anchor="end">{text}</text>'
        for t, text in zip(ticks, _tick_texts(ticks), strict=True)
    ]
    out += [f'<text x="{fmt(frame.sx(t))}" y="{bottom + 18}" text-anchor="middle">{t}</text>' for t in years]
    axis = _axis_title(ticks, frame.unit)
    if axis:
        mid = fmt(TOP + frame.plot_height / 2)
        out.append(
            f'<text x="14" y="{mid}" transform="rotate(-90 14 {mid})" text-anchor="middle">{escape(axis)}</text>'
        )
    return [*out, "</g>"]
