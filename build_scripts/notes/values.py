"""Read claim values ("almost 70 percent", "February 2022") as comparable ranges.

A number becomes an inclusive interval in base units that respects the written
precision (`107.7` is 107.65–107.75) and any hedge (`almost`, `about`,
`more than`, ...); a date becomes the interval of days it names; a category or
assessment becomes a normalised position token. See "Facts and claims" in the
authoring guide for the rules.

Beyond the documented forms, a few synonyms are read too: scale words `k` and
`b`; currency marks `RMB`/`CNY`/`yuan`, `RUB`/`rubles`/`roubles`, `EUR`/`euros`;
the hedges `above`, `below`, `fewer than` and `just over` (as `more than`),
`up to` (as `at most`) and `circa`; a trailing `+`, `or more` or `or less`.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from build_scripts.model import Claim, Diagnostic, Fact, FactKind
from build_scripts.months import WORDS, month_abbreviation, month_number

__all__ = ["CURRENCIES", "Normalised", "canonical_unit", "normalise", "parse_period"]

CURRENCIES = frozenset({"USD", "RMB", "RUB", "EUR"})
"""Canonical currency codes (see [`canonical_unit`][build_scripts.notes.values.canonical_unit])."""

NON_NEGATIVE = CURRENCIES | {"percent", "count", "km"}
"""Units whose amounts cannot be below zero."""

_UNITS = {
    "usd": "USD",
    "us$": "USD",
    "$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "rmb": "RMB",
    "cny": "RMB",
    "yuan": "RMB",
    "renminbi": "RMB",
    "rub": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "rouble": "RUB",
    "roubles": "RUB",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "€": "EUR",
    "%": "percent",
    "percent": "percent",
    "per cent": "percent",
    "pct": "percent",
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
}
_SCALES = {
    "thousand": ("thousand", 10**3),
    "k": ("thousand", 10**3),
    "million": ("mn", 10**6),
    "mn": ("mn", 10**6),
    "m": ("mn", 10**6),
    "billion": ("bn", 10**9),
    "bn": ("bn", 10**9),
    "b": ("bn", 10**9),
    "trillion": ("tn", 10**12),
    "tn": ("tn", 10**12),
}
_HEDGES = {
    "almost": "almost",
    "nearly": "almost",
    "just under": "almost",
    "about": "about",
    "around": "about",
    "some": "about",
    "roughly": "about",
    "approximately": "about",
    "circa": "about",
    "~": "about",
    "more than": "more than",
    "over": "more than",
    "above": "more than",
    "just over": "more than",
    "at least": "at least",
    "+": "more than",
    "or more": "more than",
    "less than": "less than",
    "fewer than": "less than",
    "under": "less than",
    "below": "less than",
    "or less": "less than",
    "at most": "at most",
    "up to": "at most",
}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation trying longer words first."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_PREFIX_HEDGES = [h for h in _HEDGES if h not in ("+", "or more", "or less")]
_NUM = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+"
_CUR = r"us\$|usd|\$|rmb|cny|€|eur"
_SCALE = _alternation(_SCALES)
_NUMBER_RE = re.compile(
    rf"(?:(?P<hedge>{_alternation(_PREFIX_HEDGES)})\s*)?(?:(?P<cur>{_CUR})\s*)?"
    rf"(?P<a>{_NUM})(?:\s*(?P<sa>{_SCALE})(?!\w))?"
    rf"(?:\s*(?:–|-|to)\s*(?:(?:{_CUR})\s*)?(?P<b>{_NUM})(?:\s*(?P<sb>{_SCALE})(?!\w))?)?"
    rf"\s*(?P<unit>{_alternation(_UNITS)})?(?!\w)\s*(?P<suffix>\+|or more|or less)?(?P<rest>.*)"
)
_NUMBER_HINT = (
    "write one number with an optional hedge, scale word and unit, e.g. "
    "'USD 5.56 billion', 'US$107.7 bn', '70%', 'almost 70 percent', '5–6 billion', "
    "'more than 4,000'"
)
_DATE_HINT = (
    "write a year, decade, month or day, e.g. '2008', '1990s', 'February 2022', "
    "'4 February 2022', 'February 4, 2022', '2022-02-04', '2022-02' or '2014–2016'"
)


@dataclass(frozen=True, slots=True)
class Normalised:
    """A claim value in comparable form.

    Attributes:
        low: Numbers: lower bound in base units (USD, percent, count...); dates:
            ordinal day (`date.toordinal`) of the start; `None` for categories.
        high: Inclusive upper bound; `math.inf` for "more than X".
        position: Category/assessment: normalised token (`claim.position` or the
            casefolded value); `""` otherwise.
        display: Short normalised rendering, e.g. "USD 5.56 bn", "4 Feb 2022".
        unit: Canonical unit of a number (the value's own mark, else the fact's).
        point: A number's written value (the middle of a written range), in
            base units: where a chart places it; `None` for other kinds.
    """

    low: float | None
    high: float | None
    position: str
    display: str
    unit: str = ""
    point: float | None = None


def canonical_unit(unit: str) -> str:
    """Canonical form of a unit: `US$` → `USD`, `per cent` → `percent`, `yuan` → `RMB`.

    Unknown units are returned casefolded, with whitespace collapsed.
    """
    key = " ".join(unit.casefold().split())
    return _UNITS.get(key, key)


def normalise(fact: Fact, claim: Claim) -> tuple[Normalised | None, list[Diagnostic]]:
    """Normalise one claim's value according to its fact's kind.

    Args:
        fact: The fact the claim is about.
        claim: The claim.

    Returns:
        The normalised value (`None` when it cannot be read or has the wrong
        unit, or the fact's kind is unknown) and warnings, at the claim's location.
    """
    if fact.kind.has_positions:
        position = " ".join((claim.position or claim.value).casefold().split())
        return Normalised(None, None, position, position), []
    if fact.kind is FactKind.NUMBER:
        return _number(fact, claim)
    if fact.kind is FactKind.DATE:
        period = parse_period(claim.value)
        if period is None:
            return None, [
                Diagnostic.warning(
                    claim.location, f"cannot read a date in value '{claim.value}' for fact '{fact.id}'", _DATE_HINT
                )
            ]
        start, end, display = period
        return Normalised(float(start.toordinal()), float(end.toordinal()), "", display), []
    return None, []


def _clean(text: str) -> str:
    text = text.replace("\u2212", "-").replace("\u2014", "–").replace("\u2012", "–")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").casefold().split())


def _number(fact: Fact, claim: Claim) -> tuple[Normalised | None, list[Diagnostic]]:
    match = _NUMBER_RE.fullmatch(_clean(claim.value))
    if match is None or re.search(r"\d", match["rest"]):
        return None, [
            Diagnostic.warning(
                claim.location, f"cannot read a number in value '{claim.value}' for fact '{fact.id}'", _NUMBER_HINT
            )
        ]
    fact_unit = canonical_unit(fact.unit)
    marks = {canonical_unit(m) for m in (match["cur"], match["unit"]) if m}
    if len(marks) > 1 or (marks and fact_unit and marks != {fact_unit}):
        found = " and ".join(sorted(marks))
        return None, [
            Diagnostic.warning(
                claim.location,
                f"value '{claim.value}' is in {found} but fact '{fact.id}' is in {fact.unit}",
                f"write the value in {fact.unit}, or record it on a fact whose unit is {found}",
            )
        ]
    unit = next(iter(marks), fact_unit)
    scale_a = _SCALES.get(match["sa"] or match["sb"] or "", ("", 1))
    scale_b = _SCALES.get(match["sb"] or match["sa"] or "", ("", 1))
    first, second = match["a"], match["b"] or match["a"]
    low = (Decimal(first.replace(",", "")) - _half_digit(first)) * scale_a[1]
    high = (Decimal(second.replace(",", "")) + _half_digit(second)) * scale_b[1]
    low, high = min(low, high), max(low, high)
    hedge = _HEDGES.get(match["hedge"] or match["suffix"] or "", "")
    lo, hi = _hedged(hedge, float(low), float(high), unit)
    text = _digits(first, scale_a[0])
    if match["b"]:
        text = f"{_digits(first, '' if scale_a == scale_b else scale_a[0])}–{_digits(second, scale_b[0])}"
    point = float((Decimal(first.replace(",", "")) * scale_a[1] + Decimal(second.replace(",", "")) * scale_b[1]) / 2)
    return Normalised(lo, hi, "", _with_unit(text, hedge, unit), unit, point), []


def _half_digit(number: str) -> Decimal:
    """Half a unit of the last written digit: 0.05 for `107.7`, 0.5 for `4,000`."""
    decimals = len(number.partition(".")[2])
    return Decimal(5).scaleb(-decimals - 1)


def _hedged(hedge: str, low: float, high: float, unit: str) -> tuple[float, float]:
    if hedge == "almost":
        return (low - 0.1 * abs(low), high) if high >= 0 else (low, high + 0.1 * abs(high))
    if hedge == "about":
        return low - 0.1 * abs(low), high + 0.1 * abs(high)
    if hedge in ("more than", "at least"):
        return low, math.inf
    if hedge in ("less than", "at most"):
        return (0.0 if unit in NON_NEGATIVE and high >= 0 else -math.inf), high
    return low, high


def _digits(number: str, scale: str) -> str:
    """Written digits with separators and without trailing fractional zeros."""
    sign = "-" if number.startswith("-") else ""
    whole, _, frac = number.lstrip("+-").replace(",", "").partition(".")
    frac = frac.rstrip("0")
    text = f"{sign}{int(whole or 0):,}" + (f".{frac}" if frac else "")
    return f"{text} {scale}" if scale else text


def _with_unit(number: str, hedge: str, unit: str) -> str:
    if unit in CURRENCIES:
        text = f"{unit} {number}"
    elif unit == "percent":
        text = f"{number}%"
    elif unit and unit != "count":
        text = f"{number} {unit}"
    else:
        text = number
    return f"{hedge} {text}" if hedge else text


_MON = rf"(?P<mon>{_alternation(WORDS)})\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_FORMS = [
    ("day", re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")),
    ("month", re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})")),
    ("day", re.compile(rf"(?P<d>\d{{1,2}}){_ORD} {_MON},? (?P<y>\d{{3,4}})")),
    ("day", re.compile(rf"{_MON} (?P<d>\d{{1,2}}){_ORD},? (?P<y>\d{{3,4}})")),
    ("month", re.compile(rf"{_MON},? (?P<y>\d{{3,4}})")),
    ("decade", re.compile(r"(?:(?:early|mid|late)[- ]?)?(?P<y>\d{2,3}0)s")),
    ("year", re.compile(r"(?:(?:early|mid|late)[- ]?)?(?P<y>\d{3,4})")),
]


def parse_period(text: str) -> tuple[date, date, str] | None:
    """Read a date or period: a day, month, year, decade or a range of them.

    Args:
        text: E.g. "2008", "early 1990s", "Feb 2022", "4 February 2022",
            "2022-02-04", "2014–2016", "Jan–Aug 2021", "2021-01/2021-08".

    Returns:
        First day, last day and a short rendering ("4 Feb 2022"), or `None`.
    """
    text = re.sub(r"^(?:(?:in|on|the|from)\s+)+", "", _clean(text))
    single = _single_period(text)
    if single is not None:
        return single
    for sep in ("/", "–", " to ", "-"):
        left, found, right = text.partition(sep)
        end = _single_period(right.strip()) if found else None
        if end is None:
            continue
        tail = right.strip().split(" ")
        for candidate in (left.strip(), " ".join([left.strip(), *tail[1:]]), f"{left.strip()} {end[1].year}"):
            start = _single_period(candidate)
            if start is not None and start[0] <= end[1]:
                return start[0], end[1], _span_display(start[2], end[2])
    return None


def _span_display(first: str, last: str) -> str:
    """A span of two dates: "Jan 2021" and "Aug 2021" → "Jan–Aug 2021"; "2014" and "2016" → "2014–2016"."""
    year = last.rpartition(" ")[2]
    if " " in first and first.endswith(f" {year}"):
        first = first[: -len(year) - 1]
    return f"{first}–{last}"


def _single_period(text: str) -> tuple[date, date, str] | None:
    for form, pattern in _DATE_FORMS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year = int(match["y"])
        month = int(match["m"]) if "m" in pattern.groupindex else month_number(match.groupdict().get("mon") or "")
        try:
            if form == "day":
                day = date(year, month, int(match["d"]))
                return day, day, f"{day.day} {month_abbreviation(month)} {year}"
            if form == "month":
                last = calendar.monthrange(year, month)[1]
                return date(year, month, 1), date(year, month, last), f"{month_abbreviation(month)} {year}"
            if form == "decade":
                return date(year, 1, 1), date(year + 9, 12, 31), f"{year}s"
            return date(year, 1, 1), date(year, 12, 31), str(year)
        except (ValueError, calendar.IllegalMonthError):
            return None
    return None
