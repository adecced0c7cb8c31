"""Who says what, at a glance: a matrix of sources (columns) against contested facts (rows).

Each cell is what one source says on one fact (its position's label, or its
value in short normalised form), linked to the claim. Cells are not coloured
by answer: a colour would mean something different in every row. Where the
sources differ only in wording (an apparent disagreement), the row shows them
as agreeing, with a marker that says so; a legend explains the marks. The
matrix is an HTML table with row and column headers, set in a box that scrolls
sideways on a narrow screen, written with `md_in_html` so that its links are
ordinary Markdown links, which the renderer resolves.
"""

from __future__ import annotations

from collections.abc import Iterable

from build_scripts.check.reconcile import claim_key
from build_scripts.model import Claim, DisagreementKind, Fact, Inconsistency
from build_scripts.render.describe import said
from build_scripts.render.page_state import PageState
from build_scripts.render.text import attr, md_text
from build_scripts.slugs import slug

SIDES = frozenset(DisagreementKind) - {DisagreementKind.INTERNAL, DisagreementKind.APPARENT}
"""Kinds of disagreement that have sides: not a possible error in one source, nor one that dissolves on reading."""

_LEGEND = {
    "none": "– no claim",
    "suspect": "⚠ suspected error in the source",
    "apparent": "≈ the sources differ only in wording, and agree in substance",
}


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
    used: set[str] = set()
    rows = [_row(fact, claims[fact.id], sources, state, used) for fact in facts]
    legend = " · ".join(text for key, text in _LEGEND.items() if key in used)
    return [
        f'<p class="research-matrix-caption" id="{ident}">{md_text(caption)} Rows are facts, columns sources; '
        "each cell says in short what the source says, and links to its claim and quotation.</p>",
        "",
        *([f'<p class="research-matrix-legend">Key: {md_text(legend)}</p>', ""] if legend else []),
        f'<div class="research-matrix" role="region" aria-labelledby="{ident}" tabindex="0" markdown="block">',
        '<p class="research-scroll-cue" aria-hidden="true">Scroll sideways for every source →</p>',
        f'<table class="research-matrix-table" aria-labelledby="{ident}" markdown="block">',
        f'<thead markdown="block"><tr markdown="block"><th scope="col">Fact</th>{head}</tr></thead>',
        '<tbody markdown="block">',
        *rows,
        "</tbody>",
        "</table>",
        "</div>",
        "",
    ]


def _issue(fact: Fact, state: PageState) -> Inconsistency | None:
    """The disagreement between sources on `fact`, if any (not a possible error in one source)."""
    issues = state.ctx.inconsistencies.get(fact.id, [])
    return next((i for i in issues if i.kind is not DisagreementKind.INTERNAL), None)


def _row_title(fact: Fact, issue: Inconsistency | None, state: PageState) -> str:
    """The fact's title, linked to its disagreement's callout (on this page when it is here)."""
    if issue is None:  # a question the sources agree on
        return md_text(fact.title)
    return f"[{md_text(fact.title)}]({state.link_callout(issue.anchor)})"


def _row(fact: Fact, claims: list[Claim], sources: list[str], state: PageState, used: set[str]) -> str:
    issue = _issue(fact, state)
    apparent = issue is not None and issue.kind is DisagreementKind.APPARENT
    cells = "".join(_cell(fact, [c for c in claims if c.source == k], apparent, state, used) for k in sources)
    return f'<tr markdown="block"><th scope="row" markdown="span">{_row_title(fact, issue, state)}</th>{cells}</tr>'


def _cell(fact: Fact, claims: list[Claim], apparent: bool, state: PageState, used: set[str]) -> str:
    if not claims:
        used.add("none")
        return '<td class="research-none">–<span class="research-sr-only"> no claim</span></td>'
    once: dict[str, Claim] = {}  # a source saying one thing twice: shown once, by its first claim
    for claim in claims:
        once.setdefault(_short(fact, claim, state), claim)
    shown = " / ".join(_said(fact, claim, text, state, used) for text, claim in once.items())
    if apparent:  # differing words, one substance: shown as agreeing, with the marker that says so
        used.add("apparent")
        shown += ' <abbr class="research-same" title="differ only in wording; agree in substance">≈</abbr>'
    return f'<td class="research-cell{" research-agree" if apparent else ""}" markdown="span">{shown}</td>'


def _short(fact: Fact, claim: Claim, state: PageState) -> str:
    """What a claim says in a word or two: its position's label, else its normalised value."""
    if claim.position:
        return said(fact, claim.position)
    value = state.ctx.values.get(claim_key(claim))
    return value.display if value is not None else claim.value


def _said(fact: Fact, claim: Claim, text: str, state: PageState, used: set[str]) -> str:
    """What the claim says, in a few words, linked to the claim on its note's page.

    The value as the source puts it is the link's title, and shows when the
    link has focus (a tap on a phone, see `research.js`).
    """
    state.use(claim)
    flag = ""
    if claim.suspect:
        used.add("suspect")
        flag = ' <abbr title="suspected error in the source">⚠</abbr>'
    target = state.link(state.ctx.index.page(claim.note), claim.id)
    return f'[{md_text(text)}]({target} "{attr(claim.value)}"){{ data-said="{attr(claim.value)}" }}{flag}'
