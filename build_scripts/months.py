"""The one month table: BibTeX's month macros, with each month's name and number.

```python
MONTHS["sep"]                  # → "September"
month_number("Sept.")          # → 9
month_number("10")             # → 0 (numbers are not month names)
```
"""

from __future__ import annotations

__all__ = ["ABBREVIATIONS", "MONTHS", "WORDS", "month_abbreviation", "month_number"]

MONTHS: dict[str, str] = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April",
    "may": "May", "jun": "June", "jul": "July", "aug": "August",
    "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip
"""The predefined BibTeX month macros and the month each names."""

ABBREVIATIONS: tuple[str, ...] = tuple(MONTHS)
"""`jan` … `dec`, in calendar order: `ABBREVIATIONS[m - 1]` is month `m`."""

_NUMBERS = {name.casefold(): i for i, name in enumerate(MONTHS.values(), start=1)}
_NUMBERS |= {abbr: i for i, abbr in enumerate(ABBREVIATIONS, start=1)} | {"sept": 9}


def month_number(word: str) -> int:
    """1–12 for a month's name or abbreviation (any case, a trailing `.` allowed), else 0."""
    return _NUMBERS.get(word.strip().rstrip(".").casefold(), 0)


WORDS: tuple[str, ...] = tuple(_NUMBERS)
"""Every word `month_number` reads (lower-case names and abbreviations), for building patterns."""


def month_abbreviation(number: int) -> str:
    """`Jan` … `Dec` for 1–12, as dates are shown on the site."""
    return MONTHS[ABBREVIATIONS[number - 1]][:3]
