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

__all__ = [
    "CslItem",
    "CslName",
    "creators",
    "date_parts",
    "date_text",
    "family_name",
    "inverted",
    "one_line",
    "page_range",
    "text_of",
]

CslItem: TypeAlias = dict[str, Any]
"""A CSL-JSON item: variable name → value (text, a number, a list of names, a date), as citeproc-py reads it."""
CslName: TypeAlias = dict[str, Any]
"""A CSL-JSON name: `family`, `given`, particles and `suffix`, or one `literal`."""

_DASH = re.compile(r"\s*[-\u2010-\u2015]+\s*")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def one_line(value: Any) -> str:
    """A value on one line: all whitespace (newlines included) collapsed to single spaces."""
    return " ".join(str(value).split()) if value is not None else ""


def text_of(item: CslItem, var: str) -> str:
    """The item's variable `var` on one line ("" if it has none)."""
    return one_line(item.get(var))


def date_parts(date: Any) -> list[int]:
    """[year, month, day] as far as known, from a CSL date (`date-parts` or a `literal`)."""
    if not isinstance(date, dict):
        return []
    raw: list[Any] = []
    if date.get("date-parts"):
        raw = list(date["date-parts"][0] or [])
    elif literal := one_line(date.get("literal") or date.get("raw")):
        if match := _ISO.match(literal):
            raw = [g for g in match.groups() if g]
        elif match := _YEAR.search(literal):
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


def date_text(date: Any, sep: str = "-") -> str:
    """A CSL date as "YYYY-MM-DD", "YYYY-MM" or "YYYY" (with `sep`); "" if unknown."""
    parts = date_parts(date)
    return sep.join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) if parts else ""


def page_range(item: CslItem) -> tuple[str, str]:
    """(first page, last page) from the CSL `page` variable ("100-115", "100–115", "e12")."""
    page = text_of(item, "page")
    if not page:
        return "", ""
    first, _, last = _DASH.sub("-", page).partition("-")
    return first.strip(), last.strip()


def family_name(name: CslName) -> str:
    """Family name with its particles ("van der Berg")."""
    parts = (name.get("dropping-particle"), name.get("non-dropping-particle"), name.get("family"))
    return one_line(" ".join(p for p in parts if p))


def inverted(name: CslName) -> str:
    """The name as "Family, Given[, Suffix]"; a literal name as it is."""
    if literal := one_line(name.get("literal")):
        return literal
    return ", ".join(p for p in (family_name(name), text_of(name, "given"), text_of(name, "suffix")) if p)


def creators(item: CslItem, role: str = "author") -> list[CslName]:
    """The item's names in `role` (`author`, `editor`, ...), leaving out empty or malformed ones."""
    return [n for n in item.get(role) or [] if isinstance(n, dict) and inverted(n)]
