"""What the stages of [`load_library`][build_scripts.library.bib.load_library] hand to each other.

Plain records, and the patterns more than one stage needs.
[`collect_blocks`][build_scripts.library.bib.blocks.collect_blocks] gives each entry as a
[`RawEntry`][build_scripts.library.bib.records.RawEntry], values as written;
[`resolve_macros`][build_scripts.library.bib.macros.resolve_macros] turns it into an
[`Entry`][build_scripts.library.bib.records.Entry], values resolved; and
[`resolve_crossrefs`][build_scripts.library.bib.crossref.resolve_crossrefs] into a
[`Source`][build_scripts.model.Source].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from build_scripts.model import Location

__all__ = ["IDENT", "WS", "Entry", "Field", "Macro", "RawEntry"]

WS = re.compile(r"\s+")
"""A run of whitespace (BibTeX collapses each into one space)."""
IDENT = re.compile(r"^[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*$")
"""A valid macro or field name."""


@dataclass(frozen=True, slots=True)
class Macro:
    """One `@string` definition.

    Attributes:
        name: The name as written (control characters removed).
        value: The value as written (a `{...}` or `"..."` literal, a number, a
            macro name, or several joined by `#`).
        location: Where the `@string` starts.
    """

    name: str
    value: str
    location: Location


class Field(NamedTuple):
    """One field of an entry, as written.

    Attributes:
        name: Lower-case field name.
        value: The value as written: a `{...}` or `"..."` literal, a number, a
            macro name, or several joined by `#`.
        line: The line the field starts on, in its entry's file (the entry's
            first line if bibtexparser gives none).
    """

    name: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry as written, with its fields in file order (each name once).

    Attributes:
        key: The citekey, as written (control characters removed).
        entry_type: Lower-case entry type.
        location: Where the entry starts.
        fields: The fields, the first of each name only.
    """

    key: str
    entry_type: str
    location: Location
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry with its values resolved.

    Attributes:
        key: The citekey, as written.
        entry_type: Lower-case entry type.
        location: Where the entry starts.
        fields: Resolved values, by lower-case field name, in file order.
        crossref_at: Where its `crossref` field is, if it has one.
    """

    key: str
    entry_type: str
    location: Location
    fields: dict[str, str]
    crossref_at: Location | None = None
