"""The runs of citeproc-js behind a [`Formatter`][build_scripts.citations.cite.Formatter].

Which items are registered together ([`groups`][build_scripts.citations.runs.groups]:
only items that the style could cite alike need to be), and one run of the
processor on some of them ([`run`][build_scripts.citations.runs.run]), which
falls back to formatting each item on its own should the processor fail.
"""

from __future__ import annotations

import re
from typing import Any

from build_scripts.citations import engine
from build_scripts.citations.style import Style, StyleError

__all__ = ["groups", "run"]

_ENTRY = re.compile(r'^\s*<div class="csl-entry">(.*)</div>\s*$', re.DOTALL)
_NAME_ROLES = ("author", "editor", "translator", "container-author", "collection-editor", "director", "interviewer")


def groups(items: dict[str, dict[str, Any]], style: Style) -> list[list[str]]:
    """Lower-case ids (the keys of `items`) in groups that the style could cite alike only within a group.

    A citation can only be confused with another that names the same first
    person (family name) or, without names, another without names; a style
    whose given-name rule looks at every name in the library ("all-names")
    makes one group of everything.
    """
    if re.search(r'givenname-disambiguation-rule="all-names', style.xml):
        return [list(items)] if items else []
    found: dict[str, list[str]] = {}
    for low, item in items.items():
        found.setdefault(_first_family(item), []).append(low)
    return list(found.values())


def _first_family(item: dict[str, Any]) -> str:
    for role in _NAME_ROLES:
        for name in item.get(role) or []:
            if isinstance(name, dict) and (family := name.get("family") or name.get("literal")):
                return str(family).casefold()
    return ""


def run(style: Style, items: dict[str, dict[str, Any]], together: bool) -> dict[str, tuple[str, str]]:
    """(citation, entry) HTML by lower-case key (the keys of `items`), from one citeproc-js run.

    Should citeproc-js fail on the run, each item is formatted on its own, and
    one it still fails on is left empty (shown by its title); if it fails on
    every item, the style is unusable.
    """
    try:
        citations, entries = engine.run(style.xml, style.lang, style.locales, list(items.values()), together)
    except engine.EngineError as exc:
        if len(items) < 2:
            raise StyleError(f"citation style {style.name!r} cannot format this library: {exc}") from None
        out: dict[str, tuple[str, str]] = {}
        for low, item in items.items():
            try:
                out |= run(style, {low: item}, together)
            except StyleError:
                out[low] = ("", "")
        if not any(citation or entry for citation, entry in out.values()):
            raise StyleError(f"citation style {style.name!r} cannot format this library: {exc}") from None
        return out
    out = {}
    for low, item in items.items():
        entry = _ENTRY.match(entries.get(item["id"], ""))
        out[low] = (citations.get(item["id"], ""), entry.group(1).strip() if entry else "")
    return out
