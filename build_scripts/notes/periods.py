"""A fact's `time` as a period: where it sits on a year axis, how people write it, and how long it is.

[`part_periods`][build_scripts.notes.periods.part_periods] finds the facts of a
series that cover only part of the series' usual period (Jan–Aug 2021 in a
series of whole years): charts draw them apart, tables name them.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Sequence
from datetime import date

from build_scripts.model import Fact
from build_scripts.notes.values import parse_period

__all__ = ["part_period_name", "part_periods", "period_label", "period_x"]

_YEAR_MONTHS = 12.0


def period_x(time: str) -> float | None:
    """Position of a fact's `time` on a year axis: the start year plus the elapsed fraction.

    "1992" → 1992.0, "2021-07" → 2021.4959, "Jan–Aug 2021" → 2021.0; `None` if unreadable.
    """
    period = parse_period(time) if time else None
    if period is None:
        return None
    start = period[0]
    first = date(start.year, 1, 1).toordinal()
    length = date(start.year + 1, 1, 1).toordinal() - first
    return start.year + (start.toordinal() - first) / length


def period_label(time: str) -> str:
    """A fact's `time` as people write it: "2021-01/2021-08" → "Jan–Aug 2021" (unreadable text as given)."""
    period = parse_period(time) if time else None
    return period[2] if period is not None else time


def part_periods(facts: Sequence[Fact]) -> frozenset[str]:
    """Ids of the facts of a series whose `time` covers less than the series' step.

    The step is the length of period the series' facts most often cover (the
    longer one on a tie): a whole year in a series of years, a month in a
    series of months. A fact on a shorter period, such as Jan–Aug 2021 among
    whole years, holds a part-period figure that cannot be set beside the others.
    """
    lengths, step = _lengths(facts)
    return frozenset(fid for fid, months in lengths.items() if months < step)


def part_period_name(facts: Sequence[Fact]) -> str:
    """What a part-period figure of the series is called (the legend's name for a hollow marker).

    "part-year figure" in a series of years, else "part-period figure".
    """
    return "part-year figure" if _lengths(facts)[1] == _YEAR_MONTHS else "part-period figure"


def _lengths(facts: Sequence[Fact]) -> tuple[dict[str, float], float]:
    """How many months each fact's period lasts, by fact id, and the series' step (0 if none is readable)."""
    lengths = {fact.id: months for fact in facts if (months := _months(fact.time)) is not None}
    counts = Counter(lengths.values())
    return lengths, max(counts, key=lambda months: (counts[months], months), default=0.0)


def _months(time: str) -> float | None:
    """How long the period a `time` names is, in months (whole months counted exactly)."""
    period = parse_period(time) if time else None
    if period is None:
        return None
    start, end, _ = period
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        return float((end.year - start.year) * 12 + end.month - start.month + 1)
    return round((end.toordinal() - start.toordinal() + 1) / (365.25 / 12), 2)
