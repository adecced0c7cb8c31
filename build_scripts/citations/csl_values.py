"""Values read from CSL-JSON items, for the exports and metadata made from them.

Each value comes out as one line of text (whitespace collapsed), dates as
numbers or ISO text, page ranges split, names as "Family, Given":

```python
date_text({"date-parts": [[2021, 10]]}, "/")     # → "2021/10"
page_range({"page": "100–115"})                  # → ("100", "115")
inverted({"family": "Berg", "non-dropping-particle": "van der", "given": "Ann"})   # → "van der Berg, Ann"
```
"""

from __future__ import annotations

import re
from typing import Any, TypeAlias

from build_scripts.citations.rich_text import unmarked

CslItem: TypeAlias = dict[str, Any]
"""A CSL-JSON item, as [`to_csl`][build_scripts.citations.csl_json.to_csl] makes it."""
CslName: TypeAlias = dict[str, Any]
"""One name of a CSL-JSON item (`family`, `given`, or `literal`)."""

__all__ = [
    "ISO_DATE",
    "YEAR",
    "CslItem",
    "CslName",
    "creators",
    "date_parts",
    "date_text",
    "family_name",
    "inverted",
    "iso_parts",
    "one_line",
    "page_range",
    "text_of",
]

_DASH = re.compile(r"\s*[-\u2010-\u2015]+\s*")
ISO_DATE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
"""An ISO 8601 date, as far as given: year (perhaps negative), month, day."""
YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
"""A four-digit year anywhere in a text."""


def one_line(value: Any) -> str:
    """A value on one line: all whitespace (newlines included) collapsed to single spaces."""
    return " ".join(str(value).split()) if value is not None else ""


def text_of(item: dict[str, Any], var: str) -> str:
    """The item's variable `var` as plain text on one line, without CSL's rich-text tags ("" if it has none)."""
    value = item.get(var)
    return one_line(unmarked(value) if isinstance(value, str) else value)


def date_parts(date: Any) -> list[int]:
    """[year, month, day] as far as known, from a CSL date (`date-parts` or a `literal`)."""
    if not isinstance(date, dict):
        return []
    raw: list[Any] = []
    if date.get("date-parts"):
        raw = list(date["date-parts"][0] or [])
    elif literal := one_line(date.get("literal") or date.get("raw")):
        if YEAR.match(literal):  # "2021-10", not "12 May"
            raw = list(iso_parts(literal) or [])
        elif match := YEAR.search(literal):
            raw = [match.group()]
    parts: list[int] = []
    for value, limit in zip(raw, (9999, 12, 31), strict=False):
        try:
            number = int(value)
        except (TypeError, ValueError):
            break
        if not 1 <= number <= limit:
            break
        parts.append(number)
    return parts


def iso_parts(text: str) -> list[int] | None:
    """[year, month, day] (as far as given and valid) from an ISO-like date ("2021-10-05", "2021-10").

    None if the text is no such date.
    """
    match = ISO_DATE.match(text)
    if not match:
        return None
    parts = [int(match.group(1))]
    for value, limit in ((match.group(2), 12), (match.group(3), 31)):
        if value is None or not 1 <= int(value) <= limit:
            break
        parts.append(int(value))
    return parts


def date_text(date: Any, sep: str = "-") -> str:
    """A CSL date as "YYYY-MM-DD", "YYYY-MM" or "YYYY" (with `sep`); "" if unknown."""
    parts = date_parts(date)
    return sep.join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) if parts else ""


def page_range(item: dict[str, Any]) -> tuple[str, str]:
    """(first page, last page) from the CSL `page` variable ("100-115", "100–115", "e12")."""
    page = text_of(item, "page")
    if not page:
        return "", ""
    first, _, last = _DASH.sub("-", page).partition("-")
    return first.strip(), last.strip()


def family_name(name: dict[str, Any]) -> str:
    """Family name with its particles ("van der Berg")."""
    parts = (name.get("dropping-particle"), name.get("non-dropping-particle"), name.get("family"))
    return one_line(" ".join(p for p in parts if p))


def inverted(name: dict[str, Any]) -> str:
    """The name as "Family, Given[, Suffix]"; a literal name as it is."""
    if literal := one_line(name.get("literal")):
        return literal
    return ", ".join(p for p in (family_name(name), text_of(name, "given"), text_of(name, "suffix")) if p)


def creators(item: dict[str, Any], role: str = "author") -> list[dict[str, Any]]:
    """The item's names in `role` (`author`, `editor`, ...), leaving out empty or malformed ones."""
    return [n for n in item.get(role) or [] if isinstance(n, dict) and inverted(n)]
