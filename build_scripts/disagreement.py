"""A disagreement between claims, as data: its kind, the sides, the reasons to doubt a source, the callout's anchor.

[`reconcile`][build_scripts.check.reconcile] finds them; the pages show each
in a callout. Importable from [`model`][build_scripts.model] too.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from build_scripts.model import Claim, Fact

__all__ = ["DisagreementKind", "Inconsistency", "Problem", "ProblemKind", "Side", "callout_anchor"]


class DisagreementKind(enum.StrEnum):
    """What sort of disagreement an [`Inconsistency`][build_scripts.disagreement.Inconsistency] is."""

    NUMERIC = "numeric"
    DATE = "date"
    CATEGORICAL = "categorical"
    ASSESSMENT = "assessment"
    APPARENT = "apparent"
    """Sources seem to differ, but the difference dissolves on reading both passages (explained)."""
    INTERNAL = "internal"
    """A suspected error, a source contradicting itself, or an impossible value."""


class ProblemKind(enum.StrEnum):
    """What makes a value suspect within one source (an `internal` inconsistency)."""

    SUSPECT = "suspect"
    """The author of the notes thinks the value is an error, and says why."""
    CONTRADICTS_ITSELF = "contradicts-itself"
    """The source gives values for the fact that cannot both be right."""
    IMPOSSIBLE = "impossible"
    """The value cannot be right (a share over 100 %, a year 3021)."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a disagreement: a value (normalised display, or position id) and the sources giving it.

    Attributes:
        value: The normalised display ("USD 5.56 bn", "4 Feb 2022") or the position id.
        sources: Citekeys of the sources that give it, in order.
        claims: Ids of the claims that give it.
    """

    value: str
    sources: tuple[str, ...]
    claims: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """A reason to doubt values of one source (part of an `internal` inconsistency).

    Attributes:
        kind: What sort of problem it is.
        source: Citekey of the source.
        values: The values concerned (normalised displays, or position ids).
        why: The author's reason (suspect), or what makes the value impossible; "" for a contradiction.
    """

    kind: ProblemKind
    source: str
    values: tuple[str, ...]
    why: str = ""


def callout_anchor(kind: DisagreementKind, fact_id: str) -> str:
    """Anchor id of the callout of a disagreement of `kind` on a fact (`disagreement-numeric-trade-2021`).

    Readers' links and permalinks point at it, so it stays the same from build to build.
    """
    return f"disagreement-{kind}-{fact_id}"


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """A disagreement about one fact.

    Attributes:
        fact: The disputed fact.
        kind: What sort of disagreement it is.
        claims: The claims involved.
        summary: One line saying what disagrees (for data exports: names sources by citekey).
        sides: For a disagreement between sources, each value and who gives it.
        problems: For a possible error in a source, each reason to doubt it.
    """

    fact: Fact
    kind: DisagreementKind
    claims: tuple[Claim, ...]
    summary: str
    sides: tuple[Side, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def anchor(self) -> str:
        """Stable anchor id of the callout for this inconsistency."""
        return callout_anchor(self.kind, self.fact.id)
