"""Find where claims about one fact disagree.

Claims are grouped by fact and normalised with
[`normalise`][build_scripts.notes.values.normalise]. Claims from different sources
that disagree make a `numeric`, `date`, `categorical` or `assessment`
inconsistency, or an `apparent` one where the fact explains why the difference
dissolves when both passages are read; suspect claims, a source contradicting itself and impossible
values make an `internal` one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from build_scripts.model import (
    Claim,
    Diagnostic,
    DisagreementKind,
    Fact,
    FactKind,
    Inconsistency,
    Problem,
    ProblemKind,
    Side,
)
from build_scripts.notes.values import CURRENCIES, Normalised, normalise

__all__ = ["DEFAULT_TOLERANCE", "KINDS", "claim_key", "disagree", "explain", "reconcile", "tolerance_of"]

DEFAULT_TOLERANCE = 0.005
"""Relative tolerance for numbers when the fact sets none (0.5 %)."""

KINDS = {
    FactKind.NUMBER: DisagreementKind.NUMERIC,
    FactKind.DATE: DisagreementKind.DATE,
    FactKind.CATEGORY: DisagreementKind.CATEGORICAL,
    FactKind.ASSESSMENT: DisagreementKind.ASSESSMENT,
}
"""Inconsistency kind for each fact kind (unless the fact explains the difference away as apparent)."""


def claim_key(claim: Claim) -> str:
    """The claim's id, or `fact--source` when the loader left it empty."""
    return claim.id or f"{claim.fact}--{claim.source}"


def tolerance_of(fact: Fact) -> float:
    """Relative tolerance for comparing claims on `fact` (0 for non-numbers)."""
    if fact.kind is not FactKind.NUMBER:
        return 0.0
    return DEFAULT_TOLERANCE if fact.tolerance is None else fact.tolerance


def disagree(a: Normalised, b: Normalised, tolerance: float = 0.0) -> bool:
    """Whether two normalised values disagree.

    Intervals disagree when the gap between them exceeds `tolerance` times the
    larger magnitude at the gap; positions disagree when they differ.
    """
    if a.low is None or a.high is None or b.low is None or b.high is None:
        return a.position != b.position
    if a.high < b.low:
        gap, scale = b.low - a.high, max(abs(a.high), abs(b.low))
    elif b.high < a.low:
        gap, scale = a.low - b.high, max(abs(b.high), abs(a.low))
    else:
        return False
    return gap > tolerance * scale


def reconcile(
    facts: Mapping[str, Fact], claims: Sequence[Claim]
) -> tuple[list[Inconsistency], dict[str, Normalised], list[Diagnostic]]:
    """Group claims by fact and return inconsistencies, normalised values and diagnostics.

    Claims on facts not in `facts` are skipped (another stage reports them);
    claims whose value cannot be read are left out of comparisons. A suspect
    claim is still compared with the others, so a fact can have both an
    `internal` and a cross-source inconsistency. Numbers agree within the
    fact's `tolerance`; dates only when their periods overlap.

    Args:
        facts: Facts by id.
        claims: All claims of the build.

    Returns:
        Inconsistencies sorted by fact id, then kind; normalised values by
        claim id ([`claim_key`][build_scripts.check.reconcile.claim_key]); warnings.
    """
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.fact in facts:
            groups.setdefault(claim.fact, []).append(claim)
    found: list[Inconsistency] = []
    values: dict[str, Normalised] = {}
    diagnostics: list[Diagnostic] = []
    for fact_id in sorted(groups):
        fact = facts[fact_id]
        group = sorted(groups[fact_id], key=lambda c: (c.source, claim_key(c)))
        read: list[tuple[Claim, Normalised]] = []
        for claim in group:
            value, problems = normalise(fact, claim)
            diagnostics.extend(problems)
            if value is not None:
                values[claim_key(claim)] = value
                read.append((claim, value))
        across = _across_sources(fact, group, read)
        internal = _internal(fact, group, read)
        found.extend(x for x in (across, internal) if x is not None)
    found.sort(key=lambda x: (x.fact.id, x.kind))
    return found, values, sorted(diagnostics)


def _across_sources(fact: Fact, group: list[Claim], read: list[tuple[Claim, Normalised]]) -> Inconsistency | None:
    tolerance = tolerance_of(fact)
    if not any(
        a.source != b.source and disagree(x, y, tolerance) for i, (a, x) in enumerate(read) for b, y in read[i + 1 :]
    ):
        return None
    shown: dict[str, tuple[Normalised, list[Claim]]] = {}
    for claim, value in read:
        shown.setdefault(value.display, (value, []))[1].append(claim)
    items = list(shown.values())
    if fact.kind in (FactKind.NUMBER, FactKind.DATE):
        items.sort(key=lambda item: (item[0].low, item[0].high, item[0].display))
    sides = tuple(
        Side(_line(value.display), tuple(dict.fromkeys(c.source for c in mine)), tuple(claim_key(c) for c in mine))
        for value, mine in items
    )
    parts = " vs ".join(f"{side.value} ({', '.join(side.sources)})" for side in sides)
    count = len({claim.source for claim, _ in read})
    if fact.apparent:
        summary = f"{count} sources seem to differ: {parts}"
        return Inconsistency(fact, DisagreementKind.APPARENT, tuple(group), summary, sides)
    return Inconsistency(fact, KINDS[fact.kind], tuple(group), f"{count} sources disagree: {parts}", sides)


def _internal(fact: Fact, group: list[Claim], read: list[tuple[Claim, Normalised]]) -> Inconsistency | None:
    involved: set[str] = set()
    problems: list[Problem] = []
    shown = {claim_key(claim): value.display for claim, value in read}
    for claim in group:
        if claim.suspect:
            involved.add(claim_key(claim))
            said = shown.get(claim_key(claim), claim.value)
            problems.append(Problem(ProblemKind.SUSPECT, claim.source, (_line(said),), _line(claim.suspect)))
    tolerance = tolerance_of(fact)
    for source in sorted({claim.source for claim, _ in read}):
        own = [(claim, value) for claim, value in read if claim.source == source]
        clashing = [
            (claim, value)
            for i, (claim, value) in enumerate(own)
            if any(disagree(value, other, tolerance) for j, (_, other) in enumerate(own) if j != i)
        ]
        if clashing:
            involved.update(claim_key(claim) for claim, _ in clashing)
            if fact.kind in (FactKind.NUMBER, FactKind.DATE):
                clashing.sort(key=lambda pair: (pair[1].low, pair[1].high))
            displays = tuple(dict.fromkeys(_line(value.display) for _, value in clashing))
            problems.append(Problem(ProblemKind.CONTRADICTS_ITSELF, source, displays))
    for claim, value in read:
        why = _impossible(fact, value)
        if why:
            involved.add(claim_key(claim))
            problems.append(Problem(ProblemKind.IMPOSSIBLE, claim.source, (_line(value.display),), why))
    if not problems:
        return None
    claims = tuple(claim for claim in group if claim_key(claim) in involved)
    summary = " ".join(explain(problem) for problem in problems)
    return Inconsistency(fact, DisagreementKind.INTERNAL, claims, summary, problems=tuple(problems))


def explain(problem: Problem, who: Callable[[str], str] = str, said: Callable[[str], str] = str) -> str:
    """A reason to doubt a source's value, as a sentence: the one wording of the data export and the pages.

    Args:
        problem: The problem.
        who: Names the source (its citekey by default; the pages pass its reader label).
        said: Shows a value (as normalised by default; the pages show a position by its label).
    """
    name, values = who(problem.source), [said(value) for value in problem.values]
    if problem.kind is ProblemKind.SUSPECT:
        return f"Possible error in {name} ({values[0]}): {_sentence(problem.why)}"
    if problem.kind is ProblemKind.CONTRADICTS_ITSELF:
        return f"{name} gives {' and '.join(values)}, which cannot both be right."
    return f"{name} gives {values[0]}, which cannot be right: {_sentence(problem.why)}"


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _impossible(fact: Fact, value: Normalised) -> str:
    """Why a value cannot be right, or `""`."""
    if value.low is None or value.high is None:
        return ""
    if fact.kind is FactKind.DATE:
        first, last = date.fromordinal(int(value.low)).year, date.fromordinal(int(value.high)).year
        return "a year outside 1000–2100" if first < 1000 or last > 2100 else ""
    if value.unit == "percent" and (value.low > 100 or value.high < 0):
        return "a share outside 0–100%"
    if (value.unit in CURRENCIES or value.unit == "count") and value.high < 0:
        return "a negative count" if value.unit == "count" else "a negative amount of money"
    return ""


def _line(text: str) -> str:
    return " ".join(text.split())
