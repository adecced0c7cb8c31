"""Geometry for [`charts`][build_scripts.render.charts]: marker shapes, round ticks, and where a point's label fits.

Everything here is plain arithmetic on SVG user units, so that a chart is the
same, byte for byte, for the same input.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["Box", "fmt", "free_spot", "legend", "nice_ticks", "shape_path", "text_width", "year_ticks"]

R = 4.5
"""A marker's radius."""
RIGHT = 16
"""The margin right of the plot."""


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle: left, top, right, bottom."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two rectangles share any area."""
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, other: Box) -> bool:
        """Whether this rectangle lies wholly within `other`."""
        return self.x0 >= other.x0 and self.x1 <= other.x1 and self.y0 >= other.y0 and self.y1 <= other.y1

    def crosses(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the segment from `a` to `b` passes through the rectangle (checked every pixel)."""
        steps = max(1, math.ceil(math.hypot(b[0] - a[0], b[1] - a[1])))
        return any(
            self.x0 <= a[0] + (b[0] - a[0]) * i / steps <= self.x1
            and self.y0 <= a[1] + (b[1] - a[1]) * i / steps <= self.y1
            for i in range(steps + 1)
        )


Segment = tuple[tuple[float, float], tuple[float, float]]

# Where a label may go, relative to its point: (x offset, y offset of the text's middle, text-anchor).
# Right beside it first, then left, then above and below; then the same further off, with a leader line.
_NEAR = 4.0
_SPOTS = (
    (R + _NEAR, 0.0, "start"),
    (-R - _NEAR, 0.0, "end"),
    (0.0, -R - 10, "middle"),
    (0.0, R + 10, "middle"),
    (R, -R - 10, "end"),
    (-R, -R - 10, "start"),
    (R, R + 10, "end"),
    (-R, R + 10, "start"),
)


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` set in a sans-serif face at `size`."""
    return 0.6 * size * len(text)


def free_spot(
    point: tuple[float, float],
    text: str,
    size: float,
    area: Box,
    taken: Sequence[Box],
    segments: Sequence[Segment],
) -> tuple[float, float, str, Box, bool]:
    """Where to write `text` beside `point`, clear of what is already drawn.

    Tries spots right beside the point, then further off (up to four text
    lines away); the first spot inside `area` that overlaps no box in `taken`
    and crosses no segment wins. If none is free, the spot inside `area` with
    the fewest collisions does.

    Returns:
        The text's x and baseline y, its `text-anchor`, the box it covers,
        and whether it sits far enough from the point to need a leader line.
    """
    width, height = text_width(text, size), size
    best: tuple[int, int, float, float, str, Box, bool] | None = None
    for ring in range(5):
        for rank, (dx, dy, anchor) in enumerate(_SPOTS):
            far = ring * (height + 2) * (1 if dy > 0 else -1 if dy < 0 else 0)
            if ring and not dy:
                continue  # a label level with its point only ever sits right beside it
            x, mid = point[0] + dx, point[1] + dy + far
            left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
            box = Box(left, mid - height / 2, left + width, mid + height / 2)
            if not box.inside(area):
                continue
            hits = sum(box.overlaps(other) for other in taken) + sum(box.crosses(a, b) for a, b in segments)
            candidate = (hits, ring * len(_SPOTS) + rank, x, mid + 0.35 * size, anchor, box, ring > 0)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
            if not hits:
                return candidate[2:]
    if best is None:  # no room inside the area at all: right beside the point
        x = point[0] + R + _NEAR
        return (
            x,
            point[1] + 0.35 * size,
            "start",
            Box(x, point[1] - height / 2, x + width, point[1] + height / 2),
            False,
        )
    return best[2:]


def nice_ticks(lo: float, hi: float) -> list[float]:
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


def year_ticks(lo: float, hi: float, most: int) -> list[int]:
    """Round years between `lo` and `hi`, at most `most` of them."""
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if (hi - lo) / s <= most), 1000)
    return [year for year in range(math.ceil(lo), math.floor(hi) + 1) if year % step == 0]


def shape_path(shape: str, x: float, y: float) -> str:
    """SVG path data of a marker of `shape` centred on (x, y)."""
    r = R
    if shape == "circle":
        return f"M{fmt(x - r)} {fmt(y)}a{fmt(r)} {fmt(r)} 0 1 0 {fmt(2 * r)} 0a{fmt(r)} {fmt(r)} 0 1 0 {fmt(-2 * r)} 0Z"
    if shape == "square":
        s = r * 0.9
        return f"M{fmt(x - s)} {fmt(y - s)}h{fmt(2 * s)}v{fmt(2 * s)}h{fmt(-2 * s)}Z"
    if shape == "triangle":
        return f"M{fmt(x)} {fmt(y - r - 1)}L{fmt(x + r + 0.5)} {fmt(y + r - 0.5)}H{fmt(x - r - 0.5)}Z"
    if shape == "down":
        return f"M{fmt(x)} {fmt(y + r + 1)}L{fmt(x + r + 0.5)} {fmt(y - r + 0.5)}H{fmt(x - r - 0.5)}Z"
    if shape == "diamond":
        return (
            f"M{fmt(x)} {fmt(y - r - 1)}L{fmt(x + r + 1)} {fmt(y)}L{fmt(x)} {fmt(y + r + 1)}L{fmt(x - r - 1)} {fmt(y)}Z"
        )
    a, b = r * 0.4, r
    return (
        f"M{fmt(x - a)} {fmt(y - b)}h{fmt(2 * a)}v{fmt(b - a)}h{fmt(b - a)}v{fmt(2 * a)}h{fmt(a - b)}"
        f"v{fmt(b - a)}h{fmt(-2 * a)}v{fmt(a - b)}h{fmt(a - b)}v{fmt(-2 * a)}h{fmt(b - a)}Z"
    )


def fmt(value: float) -> str:
    """Fixed, short number formatting for coordinates."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def legend(items: list[tuple[str, str, str]], left: float, width: int, y: float) -> tuple[int, list[str]]:
    """A legend row by row from `y`; returns the number of rows and the SVG lines.

    Items are (text, colour, shape), "band" and "hollow" being the disagreement bar and the
    part-period marker.
    """
    out, x, rows = ['<g class="legend" fill="currentColor">'], left, 1
    room = int((width - RIGHT - left - 22) / 7)
    for full, colour, shape in items:
        text = full if len(full) <= room else full[: room - 1].rstrip() + "…"
        size = 22 + 7 * len(text) + 18
        if x + size > width - RIGHT and x > left:
            x, y, rows = left, y + 20, rows + 1
        if shape == "band":
            out.append(
                f'<rect x="{fmt(x)}" y="{fmt(y - 8)}" width="14" height="16" rx="3" fill-opacity="0.18"'
                ' stroke="currentColor" stroke-opacity="0.5"/>'
            )
        elif shape == "hollow":
            out.append(
                f'<path d="{shape_path("circle", x + 7, y)}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
            )
        else:
            out.append(f'<path d="{shape_path(shape, x + 7, y)}" fill="{colour}" stroke="{colour}"/>')
        tip = f"<title>{escape(full)}</title>" if text != full else ""
        out.append(f'<text x="{fmt(x + 22)}" y="{fmt(y + 4)}">{tip}{escape(text)}</text>')
        x += size
    out.append("</g>")
    return rows, out
