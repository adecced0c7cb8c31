"""Charts on topic pages: which series a page draws, and each chart's Markdown (figure and data table).

A topic page draws every series of its numeric facts that has at least two
facts and two sources. [`render_body`][build_scripts.render.body.render_body]
places a chart right after the first top-level block that embeds
(`[[fact:ID]]`) a fact of its series, as it places callouts; a series none of
whose facts the text embeds is drawn near the end of the page instead, under
a heading of its own ([`trailing_charts`][build_scripts.render.charts_md.trailing_charts]).

Each chart is drawn twice, for a wide column and for a phone, and the
stylesheet shows the one that fits its box (a container query), so that its
text is never smaller than about 11 CSS pixels.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from build_scripts.model import Fact, FactKind, Note, NoteKind
from build_scripts.render import charts
from build_scripts.render.context import Context
from build_scripts.render.page_state import PageState
from build_scripts.render.text import md_text
from build_scripts.slugs import slug

__all__ = ["NARROW", "WIDE", "Series", "chart_md", "page_series", "trailing_charts"]

WIDE, NARROW = 640, 320
"""Widths, in SVG user units, of a chart's two layouts: for a wide column and for a phone."""


@dataclass(frozen=True, slots=True)
class Series:
    """A series drawn as one chart.

    Attributes:
        id: The facts' `series` id.
        facts: Its numeric facts, in declaration order.
    """

    id: str
    facts: tuple[Fact, ...]

    @property
    def title(self) -> str:
        """The chart's title: the label of the series' first fact."""
        return self.facts[0].label


def page_series(note: Note, ctx: Context) -> list[Series]:
    """The series a note's page charts: on a topic page, each of its series with two facts and two sources."""
    if note.kind is not NoteKind.TOPIC:
        return []
    members: dict[str, list[Fact]] = {}
    for fact in ctx.index.facts.values():
        if note.id in fact.topics and fact.series and fact.kind is FactKind.NUMBER:
            members.setdefault(fact.series, []).append(fact)
    out = []
    for series_id, facts in sorted(members.items()):
        sources = {c.source for f in facts for c in ctx.claims_by_fact.get(f.id, [])}
        if len(facts) >= 2 and len(sources) >= 2:
            out.append(Series(series_id, tuple(facts)))
    return out


def trailing_charts(note: Note, state: PageState) -> list[str]:
    """The charts of the series none of whose facts the note's text embeds, each under a heading."""
    embedded = {span.embed.fact for span in note.spans if span.embed is not None}
    out: list[str] = []
    for series in page_series(note, state.ctx):
        if not embedded.intersection(f.id for f in series.facts):
            out += ["## Chart: " + md_text(series.title), "", *chart_md(series, state)]
    return out


def chart_md(series: Series, state: PageState) -> list[str]:
    """A chart as Markdown lines: the figure (wide and narrow drawings), then "The chart as a table"."""
    ctx = state.ctx
    claims = [c for f in series.facts for c in ctx.claims_by_fact.get(f.id, [])]
    labels = {c.source: ctx.label(c.source) for c in claims}
    wide, narrow = (
        charts.series_chart(series.title, series.facts, claims, ctx.values, labels, width=width).rstrip("\n")
        for width in (WIDE, NARROW)
    )
    out = [
        f'<figure class="research-chart" id="chart-{slug(series.id)}">',
        f'<div class="research-chart-wide">{wide}</div>',
        f'<div class="research-chart-narrow">{narrow}</div>',
        f"<figcaption>Chart: {html.escape(series.title)}</figcaption>",
        "</figure>",
        "",
        '??? info "The chart as a table"',
        "",
        "    | When | Source | Value | Where |",
        "    |---|---|---|---|",
    ]
    partial, name = charts.part_periods(series.facts), charts.part_period_name(series.facts)
    for fact in _by_time(series.facts):
        when = charts.period_label(fact.time) + (f" ({name})" if fact.id in partial else "")
        for claim in ctx.claims_by_fact.get(fact.id, []):
            state.use(claim)
            out.append(
                f"    | {md_text(when)} | {md_text(ctx.label(claim.source))} "
                f"| {md_text(claim.value)} | {md_text(claim.locator)} |"
            )
    return [*out, ""]


def _by_time(facts: Sequence[Fact]) -> list[Fact]:
    """Facts in time order (those with an unreadable `time` last, by their text)."""
    return sorted(facts, key=lambda f: (charts.period_x(f.time) is None, charts.period_x(f.time) or 0.0, f.time, f.id))
