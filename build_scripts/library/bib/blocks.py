"""Stage 2 of loading a library: a file's text becomes `@string` macros and entries.

bibtexparser 2 only splits the text into blocks (its middlewares are not
used); each block is checked here, and every problem becomes a diagnostic.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import bibtexparser
from bibtexparser import model as bm

from build_scripts.diagnostics import Code, Diagnostic, Location
from build_scripts.library.bib.records import IDENT, WS, Field, Macro, RawEntry

# bibtexparser logs every failed block; they are reported as diagnostics instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

__all__ = ["Blocks", "collect_blocks"]

_BLOCK_KEY = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()=\"]*)")
# Not valid XML, and never meant: C0/C1 controls except tab and newline, DEL, U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Where bibtexparser starts a block even inside an unclosed one: safe places to cut a file.
_BOUNDARY = re.compile(r"^[ \t]*@\w*[ \t]*[{(]", re.MULTILINE)
# Looks like an entry, but bibtexparser does not take it as one (`@ misc{`, `@my-type{`).
_LOST_ENTRY = re.compile(r"^[ \t]*@[ \t]*[^\s{}(),=@\"#%']*[ \t]*[{(]", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Blocks:
    """What one file contributes to the library.

    Attributes:
        macros: Its `@string` macros with a valid name, in file order, values as written.
        entries: Its entries, in file order, field values as written; not those
            whose key an earlier entry (in this file or one before) has.
    """

    macros: tuple[Macro, ...]
    entries: tuple[RawEntry, ...]


def collect_blocks(
    text: str, rel: str, earlier: Mapping[str, RawEntry], *, chunk_chars: int
) -> tuple[Blocks, list[Diagnostic]]:
    r"""Split one file's text into blocks and take in its `@string`s and entries.

    The text is parsed in pieces: each ends at the first block start (an `@`
    at the start of a line, where bibtexparser starts a new block anyway) at
    least `chunk_chars` characters in, so that bibtexparser's blocks for only
    one piece are in memory at a time. Control characters are removed from
    citekeys, field names and values. Of two entries whose keys differ at most
    by case, the first is kept; of two fields of the same name in an entry, the
    first. Values are kept as written: macros are resolved later, by
    [`resolve_macros`][build_scripts.library.bib.macros.resolve_macros].

    Diagnostics are at `rel:line`, `line` being 1-based in `text` (so in the
    file, see [`read_bib`][build_scripts.library.bib.read.read_bib]): the line a block
    starts on, for a block that cannot be parsed, a skipped entry or `@string`
    and the citekey; the line a field starts on, for a problem with that field;
    the line of the `@`, for text that looks like an entry but is not read as
    one; and the first line of a piece, if bibtexparser itself fails on it.

    Args:
        text: The file's text, with `\n` line ends, as `read_bib` gives it.
        rel: The file as diagnostics name it.
        earlier: Entries of the files read before, by lower-case key.
        chunk_chars: Least length of a piece, in characters.

    Returns:
        The file's macros and new entries, and the problems found.
    """
    macros: list[Macro] = []
    entries: dict[str, RawEntry] = {}  # lower-case key -> first entry with it
    diagnostics: list[Diagnostic] = []
    for offset, piece, last in _pieces(text, chunk_chars):
        try:
            blocks = bibtexparser.parse_string(piece, parse_stack=[]).blocks
        except Exception as exc:  # a parser bug must not stop the build
            diagnostics.append(
                Diagnostic.error(
                    Location(rel, offset + 1),
                    f"BibTeX parser failed on the text from here on ({exc}); its entries are skipped",
                    "look for a broken entry near this line",
                )
            )
            continue
        for block in blocks:
            loc = Location(rel, (block.start_line or 0) + offset + 1)
            inner: bm.Block | None = block
            while isinstance(inner, (bm.DuplicateBlockKeyBlock, bm.DuplicateFieldKeyBlock)):
                inner = inner.ignore_error_block  # reported by our own checks
            found: list[Diagnostic] = []
            if isinstance(inner, bm.String):
                macro, found = _macro(inner, loc)
                if macro is not None:
                    macros.append(macro)
            elif isinstance(inner, bm.Entry):
                entry, found = _entry(inner, loc, offset, (entries, earlier))
                if entry is not None:
                    entries[entry.key.lower()] = entry
            elif isinstance(block, bm.ParsingFailedBlock):
                found = [_failed(block, loc, last)]
            elif isinstance(block, bm.ImplicitComment):
                found = _lost_entries(block.raw or "", loc)
            diagnostics += found
    return Blocks(tuple(macros), tuple(entries.values())), diagnostics


def _pieces(text: str, size: int) -> Iterator[tuple[int, str, bool]]:
    """(line offset, piece, is last): `text` cut at block starts where bibtexparser cuts too."""
    start, line = 0, 0
    while True:
        match = _BOUNDARY.search(text, start + size) if len(text) - start > size else None
        if match is None:
            yield line, text[start:], True
            return
        yield line, text[start : match.start()], False
        line += text.count("\n", start, match.start())
        start = match.start()


def _macro(block: bm.String, loc: Location) -> tuple[Macro | None, list[Diagnostic]]:
    """The `@string` at `loc`, value unresolved; None if its name is not valid."""
    name = _CONTROL.sub("", block.key).strip()
    if not IDENT.match(name):
        return None, [
            Diagnostic.error(
                loc,
                f"@string name {name!r} is not valid; the macro is skipped",
                "use a name of letters, digits and '-_:.' that does not start with a digit",
            )
        ]
    value, diagnostics = _clean(block.value, loc, "@string '{}'", name)
    return Macro(name, value, loc), diagnostics


def _entry(
    block: bm.Entry, loc: Location, offset: int, known: Sequence[Mapping[str, RawEntry]]
) -> tuple[RawEntry | None, list[Diagnostic]]:
    """The entry at `loc`, values unresolved; None if it is skipped.

    An entry is skipped without a key or a type, or when one in `known` (by
    lower-case key) has its key. `offset` is the line offset of the piece parsed.
    """
    key = _CONTROL.sub("", block.key).strip()
    _, diagnostics = _clean(block.key, loc, "citekey '{}'", key)
    entry_type = sys.intern(block.entry_type.strip().lower())
    if not key:
        return None, [
            *diagnostics,
            Diagnostic.error(
                loc,
                f"@{entry_type} entry without a citekey",
                "add a key after the opening brace, e.g. @book{smith2020, ...}",
            ),
        ]
    if not entry_type:
        return None, [
            *diagnostics,
            Diagnostic.error(
                loc,
                f"'{key}': entry without a type; it is skipped",
                "write the type after '@', e.g. @book{" + key + ", ...}",
            ),
        ]
    if WS.search(key):
        diagnostics.append(
            Diagnostic.warning(
                loc, f"citekey {key!r} contains whitespace; it cannot be cited", "remove the spaces from the key"
            )
        )
    first = next((entries[key.lower()] for entries in known if key.lower() in entries), None)
    if first is not None:
        what = "duplicate key" if first.key == key else f"key differs only by case from '{first.key}'"
        diagnostics.append(
            Diagnostic.error(
                loc,
                f"'{key}': {what} (first defined at {first.location})",
                "BibTeX keys are case-insensitive; rename or delete one entry (the first is used)",
                Code.DUPLICATE_CITEKEY,
            )
        )
        return None, diagnostics
    fields: list[Field] = []
    seen: set[str] = set()
    for fld in block.fields:
        floc = Location(loc.path, fld.start_line + offset + 1) if fld.start_line is not None else loc
        name, found = _clean(fld.key, floc, "a field name of '{}'", key)
        diagnostics += found
        name = sys.intern(name.strip().lower())
        if not IDENT.match(name):
            diagnostics.append(
                Diagnostic.error(
                    floc,
                    f"'{key}': field name {WS.sub(' ', name)[:60]!r} is not valid; the field is skipped",
                    "a comma or '=' may be missing before this field",
                )
            )
            continue
        if name in seen:
            diagnostics.append(
                Diagnostic.warning(
                    floc, f"'{key}': field '{name}' given twice", "delete one of them (the first is used)"
                )
            )
            continue
        seen.add(name)
        value, found = _clean(fld.value, floc, "field '{}' of '{}'", name, key)
        diagnostics += found
        fields.append(Field(name, value, floc.line))
    return RawEntry(key, entry_type, loc, tuple(fields)), diagnostics


def _failed(block: bm.ParsingFailedBlock, loc: Location, last: bool) -> Diagnostic:
    """The error for a block bibtexparser could not parse (`last`: in the last piece of the file)."""
    match = _BLOCK_KEY.match(block.raw or "")
    what = f"@{match.group(1)} '{match.group(2)}'" if match and match.group(2) else "block"
    reason = str(getattr(block.error, "abort_reason", None) or block.error).strip()
    if not last and reason.startswith("Unexpectedly reached end of file"):
        reason = "it is not closed before the next entry starts"  # the piece ended there
    return Diagnostic.error(
        loc,
        f"{_CONTROL.sub('', what)} could not be parsed and was skipped: {reason}",
        "look for a missing comma, '=' or closing brace/quote in this entry",
    )


def _lost_entries(raw: str, loc: Location) -> list[Diagnostic]:
    """Errors for what looks like an entry in the text between blocks starting at `loc`."""
    return [
        Diagnostic.error(
            Location(loc.path, loc.line + raw.count("\n", 0, match.start())),
            f"{WS.sub(' ', match.group().strip())!r} looks like an entry but is not read as one",
            "write the entry type right after '@', with letters, digits and '_' only",
        )
        for match in _LOST_ENTRY.finditer(raw)
    ]


def _clean(raw: str, loc: Location, where: str, *args: str) -> tuple[str, list[Diagnostic]]:
    """`raw` without control characters; a warning naming the value as `where.format(*args)` if it had some."""
    if not _CONTROL.search(raw):
        return raw, []
    found = sorted(set(_CONTROL.findall(raw)))
    names = ", ".join(f"U+{ord(c):04X}" for c in found[:5]) + (", ..." if len(found) > 5 else "")
    return _CONTROL.sub("", raw), [
        Diagnostic.warning(
            loc,
            f"control characters {names} removed from {where.format(*args)}",
            "delete them from the file; they are invisible and not valid in web pages",
        )
    ]
