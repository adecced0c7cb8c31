"""A note body as Python-Markdown: citations to footnotes, `[[...]]` to links and values.

Only the spans that [`scan`][build_scripts.notes.scan] found are replaced; the rest of
the author's Markdown passes through untouched. Raw HTML comes out as `scan`
cleaned it ([`Replacement`][build_scripts.model.Replacement] spans). A callout
for a disputed fact embedded with `[[fact:ID]]` is placed after the top-level
block holding it; so is the chart of a series (on a topic page), after the
first block that embeds one of its facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from build_scripts.model import Inconsistency, Note, Replacement, Span
from build_scripts.notes.link import linked_source
from build_scripts.page_paths import SitePage
from build_scripts.render.charts_md import Series, chart_md, page_series
from build_scripts.render.facts import callouts, inline_value
from build_scripts.render.page_state import SEPARATOR, PageState
from build_scripts.render.spans import substitute
from build_scripts.render.text import md_text


def render_body(note: Note, state: PageState, after_lead: Sequence[str] = ()) -> str:
    """Render `note`'s body, with its callouts and charts.

    Each disputed fact's callout comes once, after a block that embeds the fact, and each chart of
    the page once, after the first block that embeds a fact of its series.

    `after_lead` (the page's who-says-what matrix) is placed after the note's
    opening, before its first heading.
    """
    state.inputs.add(note.path)
    lines: list[str | None] = list(note.body.split("\n"))
    after: dict[int, list[Inconsistency]] = defaultdict(list)
    figures = _figures(note, state)
    substitute(lines, note.spans, lambda span: _replace(span, state, after))
    lead = min(note.lead_end, len(lines))
    if after_lead:
        after.setdefault(lead, [])  # callouts and charts due there come first, then the matrix
    placed: set[str] = set()
    for end in sorted(after.keys() | figures.keys(), reverse=True):
        fresh = [issue for issue in after[end] if issue.anchor not in placed]
        placed.update(issue.anchor for issue in fresh)
        blocks = callouts(fresh, state) + [line for series in figures.get(end, []) for line in chart_md(series, state)]
        if after_lead and end == lead:
            blocks.append("\n".join(after_lead))
        if blocks:
            lines[end:end] = ["", *"\n".join(blocks).split("\n")]
    return "\n".join(line for line in lines if line is not None)


def _figures(note: Note, state: PageState) -> dict[int, list[Series]]:
    """The page's charts by the body line they follow: the end of the first block embedding their series."""
    if not any(span.embed is not None for span in note.spans):
        return {}  # only an embedded fact can place a chart
    series = {fact.id: s for s in page_series(note, state.ctx) for fact in s.facts}
    first: dict[str, tuple[int, Series]] = {}
    for span in note.spans:
        chart = series.get(span.embed.fact) if span.embed is not None else None
        if chart is not None and (chart.id not in first or span.block_end < first[chart.id][0]):
            first[chart.id] = (span.block_end, chart)
    out: dict[int, list[Series]] = defaultdict(list)
    for end, chart in first.values():
        out[end].append(chart)
    return out


def _replace(span: Span, state: PageState, after: dict[int, list[Inconsistency]]) -> str:
    if isinstance(span, Replacement):
        return span.text
    if span.citations:
        return SEPARATOR.join(state.cite(c.key, c.locator) for c in span.citations)
    if span.embed is not None:
        fact = state.ctx.index.facts[span.embed.fact]
        for issue in state.ctx.inconsistencies.get(fact.id, []):
            if issue not in after[span.block_end]:
                after[span.block_end].append(issue)
        return inline_value(fact, state)
    ref = span.ref
    assert ref is not None, "a span is a replacement, a citation group, a fact embed or a cross-reference"
    if linked_source(ref):
        return state.link_source(linked_source(ref), ref.label)
    if ref.target in set(SitePage):
        page = SitePage(ref.target)
        return f"[{md_text(ref.label or page.heading)}]({state.link(page.path)})"
    return state.link_note(ref.target, ref.label, ref.anchor)
