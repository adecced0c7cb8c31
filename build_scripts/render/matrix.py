"""Who says what, at a glance: a matrix of sources (columns) against contested facts (rows).

Each cell is what one source says on one fact (its position, or its value in
short normalised form), linked to the claim, and coloured so that the cells of
a row that agree share a colour. Colour is never the only cue: the text says
the same. The matrix is an HTML table with row and column headers, set in a
box that scrolls sideways on a narrow screen, written with `md_in_html` so that
its links are ordinary Markdown links, which the renderer resolves.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Claim, DisagreementKind, Fact, FactKind
from ..reconcile import claim_key
from ..slugs import slug
from .context import PageState, attr, md_text

COLOURS = 6
"""Distinct cell colours (`research-tone-0` … `research-tone-5` in the stylesheet); tones repeat beyond."""


SIDES = frozenset(DisagreementKind) - {DisagreementKind.INTERNAL, DisagreementKind.APPARENT}
"""Kinds of disagreement that have sides: not a possible error in one source, nor one that dissolves on reading."""


def contested(facts: Iterable[Fact], state: PageState) -> list[Fact]:
    """The facts, among `facts`, on which sources disagree (not only apparently)."""
    issues = state.ctx.inconsistencies
    return [f for f in facts if any(i.kind in SIDES for i in issues.get(f.id, []))]


def matrix(facts: list[Fact], state: PageState, caption: str) -> list[str]:
    """The matrix of `facts` as Markdown lines (`[]` when no source makes a claim on them)."""
    ctx = state.ctx
    claims = {f.id: ctx.claims_by_fact.get(f.id, []) for f in facts}
    sources = sorted({c.source for found in claims.values() for c in found}, key=lambda k: ctx.label(k).casefold())
    if not sources:
        return []
    ident = "who-says-what" + (f"-{slug(caption)}" if caption else "")
    head = "".join(f'<th scope="col" markdown="span">{state.link_source(k)}</th>' for k in sources)
    rows = [_row(fact, claims[fact.id], sources, state) for fact in facts]
    return [
        f'<p class="research-matrix-caption" id="{ident}">{md_text(caption)} Rows are facts, columns sources; '
        "cells of one colour in a row say the same thing, and each links to the claim.</p>",
        "",
        f'<div class="research-matrix" role="region" aria-labelledby="{ident}" tabindex="0" markdown="block">',
        f'<table class="research-matrix-table" aria-labelledby="{ident}" markdown="block">',
        f'<thead markdown="block"><tr markdown="block"><th scope="col">Fact</th>{head}</tr></thead>',
        '<tbody markdown="block">',
        *rows,
        "</tbody>",
        "</table>",
        "</div>",
        "",
    ]


def _row_title(fact: Fact, state: PageState) -> str:
    """The fact's title, linked to its disagreement's callout (on this page when it is here)."""
    issues = state.ctx.inconsistencies.get(fact.id, [])
    issue = next((i for i in issues if i.kind is not DisagreementKind.INTERNAL), None)
    if issue is None:  # a question the sources agree on
        return md_text(fact.title)
    where = state.ctx.placements.get(issue.anchor) or ("inconsistencies.md",)
    page = state.page if state.page in where else where[0]
    note = " *(only apparent)*" if issue.kind is DisagreementKind.APPARENT else ""
    return f"[{md_text(fact.title)}]({state.link(page, issue.anchor)}){note}"


def _row(fact: Fact, claims: list[Claim], sources: list[str], state: PageState) -> str:
    tones = _tones(fact, claims, state)
    cells = "".join(_cell([c for c in claims if c.source == k], tones, state) for k in sources)
    return f'<tr markdown="block"><th scope="row" markdown="span">{_row_title(fact, state)}</th>{cells}</tr>'


def _cell(claims: list[Claim], tones: dict[str, int], state: PageState) -> str:
    if not claims:
        return '<td class="research-none">–<span class="research-sr-only"> no claim</span></td>'
    mine = {tones[claim_key(c)] for c in claims}
    tone = f" research-tone-{min(mine)}" if len(mine) == 1 else " research-tone-mixed"
    shown = " / ".join(_said(c, state) for c in claims)
    return f'<td class="research-cell{tone}" markdown="span">{shown}</td>'


def _said(claim: Claim, state: PageState) -> str:
    """What the claim says, in a few words, linked to the claim on its note's page."""
    state.use(claim)
    value = state.ctx.values.get(claim_key(claim))
    text = claim.position if claim.position else (value.display if value is not None else claim.value)
    flag = ' <abbr title="suspected error in the source">⚠</abbr>' if claim.suspect else ""
    target = state.link(state.ctx.index.page(claim.note), claim.id)
    return f'[{md_text(text)}]({target} "{attr(claim.value)}"){flag}'


def _tones(fact: Fact, claims: list[Claim], state: PageState) -> dict[str, int]:
    """The colour of each claim's cell (by claim key): agreeing claims share one.

    Claims with a position are coloured by its place among the fact's declared
    positions; the others by their value's place in the row, in order of size
    for numbers and dates.
    """
    declared = [p.id for p in fact.positions]
    values = state.ctx.values
    found = [values[claim_key(c)] for c in claims if claim_key(c) in values]
    if fact.kind in (FactKind.NUMBER, FactKind.DATE):
        found.sort(key=lambda v: (v.low if v.low is not None else 0.0, v.high if v.high is not None else 0.0))
    order = list(dict.fromkeys(v.display for v in found))
    tones = {}
    for claim in claims:
        value = values.get(claim_key(claim))
        if fact.positions and claim.position:
            place = declared.index(claim.position) if claim.position in declared else -1
        else:
            place = order.index(value.display) if value is not None else -1
        tones[claim_key(claim)] = place % COLOURS if place >= 0 else COLOURS - 1
    return tones
