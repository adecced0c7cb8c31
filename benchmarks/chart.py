"""A grouped bar chart as hand-written SVG: one group per corpus size, log-scale seconds.

Deterministic: the same numbers give the same bytes (fixed formatting, no ids, no dates).
"""

from __future__ import annotations

import math
from html import escape

SERIES = [  # key in a size's medians, legend, colour
    ("full_cold", "ours: full build, cold", "#3f51b5"),
    ("full_add", "ours: rebuild after add-source", "#7986cb"),
    ("full_edit", "ours: edit one note, rebuild", "#c5cae9"),
    ("floor", "floor: MkDocs on emitted pages", "#9e9e9e"),
    ("peer", "peer: MkDocs + mkdocs-bibtex", "#ef6c00"),
]


def bar_chart(medians: dict[int, dict[str, float | None]], title: str) -> str:
    """SVG of the medians (seconds) per size; a missing value is drawn as a hatched stub marked n/a."""
    sizes = sorted(medians)
    values = [v for n in sizes for k, _, _ in SERIES if (v := medians[n].get(k))]
    low = 10 ** math.floor(math.log10(min(values))) if values else 0.1
    high = 10 ** math.ceil(math.log10(max(values))) if values else 10
    if high <= low:
        high = low * 10
    width, height = 760, 400
    left, right, top, bottom = 70, 20, 50, 90
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(value: float) -> float:
        return top + plot_h * (1 - (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low)))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        '<defs><pattern id="na" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="3" height="6" fill="#ccc"/></pattern></defs>',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{width / 2:.0f}" y="24" text-anchor="middle" font-size="15">{escape(title)}</text>',
    ]
    decade = low
    while decade <= high * 1.001:
        for step in (1, 2, 5):
            tick = decade * step
            if tick > high * 1.001:
                break
            ty = y(tick)
            major = step == 1
            out.append(
                f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" '
                f'stroke="{"#bbb" if major else "#eee"}"/>'
            )
            out.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#444">{tick:g}</text>')
        decade *= 10
    out.append(
        f'<text x="16" y="{top + plot_h / 2:.0f}" transform="rotate(-90 16 {top + plot_h / 2:.0f})" '
        'text-anchor="middle" fill="#444">seconds (log scale), median</text>'
    )
    group_w = plot_w / max(len(sizes), 1)
    bar_w = min(40.0, group_w * 0.8 / len(SERIES))
    for g, n in enumerate(sizes):
        x0 = left + g * group_w + (group_w - bar_w * len(SERIES)) / 2
        for s, (key, _, colour) in enumerate(SERIES):
            x = x0 + s * bar_w
            value = medians[n].get(key)
            if value:
                ty = y(value)
                out.append(
                    f'<rect x="{x:.1f}" y="{ty:.1f}" width="{bar_w - 3:.1f}" height="{top + plot_h - ty:.1f}" '
                    f'fill="{colour}"><title>{escape(seconds(value))} s</title></rect>'
                )
                out.append(
                    f'<text x="{x + (bar_w - 3) / 2:.1f}" y="{ty - 4:.1f}" text-anchor="middle" '
                    f'font-size="10" fill="#222">{seconds(value)}</text>'
                )
            else:
                out.append(
                    f'<rect x="{x:.1f}" y="{top + plot_h - 30}" width="{bar_w - 3:.1f}" height="30" fill="url(#na)"/>'
                )
                out.append(
                    f'<text x="{x + (bar_w - 3) / 2:.1f}" y="{top + plot_h - 34}" text-anchor="middle" '
                    'font-size="10" fill="#222">n/a</text>'
                )
        out.append(
            f'<text x="{left + (g + 0.5) * group_w:.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
            f"N = {n:,} notes</text>"
        )
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#444"/>')
    for s, (_, label, colour) in enumerate(SERIES):
        lx = left + (s % 2) * 330
        ly = height - 40 + (s // 2) * 18
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{lx + 18}" y="{ly}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def seconds(value: float) -> str:
    """Seconds with about three significant digits."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}".rstrip("0").rstrip(".")
