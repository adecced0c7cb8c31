"""Disagreements in readers' words: who says what, what is doubted, and our reading.

The [`reconcile`][build_scripts.check.reconcile] stage records each disagreement as
data ([`Side`][build_scripts.disagreement.Side]s and
[`Problem`][build_scripts.disagreement.Problem]s, naming sources by citekey and
positions by id). This module is the one place that turns that data into the
words readers see: sources by their reader label, positions by their label.
"""

from __future__ import annotations

from build_scripts.check.reconcile import explain
from build_scripts.model import DisagreementKind, Fact, Inconsistency, Problem
from build_scripts.render.page_state import PageState
from build_scripts.render.spans import render_text
from build_scripts.render.text import md_text

__all__ = ["problem", "reading", "said", "sides", "summary"]


def said(fact: Fact, value: str) -> str:
    """A normalised value as readers see it: a position by its label, anything else as displayed."""
    return fact.label_of(value) if fact.positions else value


def sides(issue: Inconsistency, state: PageState) -> str:
    """Who says what, as plain text: "Still rising: Korolev 2022, Ye 2022; May have peaked: Baev 2021"."""
    label = state.ctx.label
    return "; ".join(
        f"{said(issue.fact, side.value)}: {', '.join(label(k) for k in side.sources)}" for side in issue.sides
    )


def problem(fact: Fact, found: Problem, state: PageState) -> str:
    """One reason to doubt a source's value, as a plain sentence naming the source by its label."""
    return explain(found, state.ctx.label, lambda value: said(fact, value))


def summary(issue: Inconsistency, state: PageState) -> str:
    """The disagreement in one line of plain text: its sides, or the reasons to doubt a source."""
    if issue.kind is DisagreementKind.INTERNAL:
        return " ".join(problem(issue.fact, p, state) for p in issue.problems)
    return sides(issue, state)


def reading(issue: Inconsistency, state: PageState) -> str:
    """Our reading of a disagreement, as Markdown ("" if the notes give none).

    An apparent disagreement's reading is why it is only apparent; a
    disagreement between sources has the fact's `resolution`; a possible error
    in a source, the reasons to doubt it, then the `resolution` with the
    outside data that backs them, unless a disagreement between sources on the
    same fact shows that resolution itself. Citations in the text become footnotes.
    """
    fact = issue.fact
    if issue.kind is DisagreementKind.APPARENT:
        return render_text(fact.apparent, fact.apparent_spans, state)
    if issue.kind is not DisagreementKind.INTERNAL:
        return render_text(fact.resolution, fact.resolution_spans, state) if fact.resolution else ""
    doubts = md_text(" ".join(problem(fact, p, state) for p in issue.problems))
    others = state.ctx.inconsistencies.get(fact.id, [])
    if not fact.resolution or any(i.kind is not DisagreementKind.INTERNAL for i in others):
        return doubts
    return f"{doubts} {render_text(fact.resolution, fact.resolution_spans, state)}"
