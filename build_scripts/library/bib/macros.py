"""Stage 3 of loading a library: `@string` macros and `#` concatenation are resolved."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from build_scripts.library.bib.records import IDENT, WS, Entry, Macro, RawEntry
from build_scripts.model import Diagnostic, Location
from build_scripts.months import MONTHS

__all__ = ["resolve_macros", "resolve_value"]

_SPECIAL = re.compile(r"[\\{}\"#]")
_BRACES = re.compile(r"\\.|[{}]", re.DOTALL)


def resolve_macros(
    macros: Sequence[Macro], entries: Iterable[RawEntry], *, max_chars: int
) -> tuple[list[Entry], list[Diagnostic]]:
    """Resolve the macros and `#` concatenation in every `@string` and field value.

    The month macros `jan`..`dec` are predefined. Each `@string` value is
    resolved in turn, with the macros defined before it (so a macro may use an
    earlier one); a name defined again takes the later value. The entries'
    values are resolved with all the macros, so an entry may use a macro
    defined after it, even in a later file. Macro names are case-insensitive.
    Whitespace in a field value is collapsed to single spaces, as BibTeX does.

    Diagnostics are at `path:line` of the `@string` for a macro's value or its
    redefinition (which names the first definition's `path:line`), and of the
    field for a field's value (see [`resolve_value`][build_scripts.library.bib.macros.resolve_value]).

    Args:
        macros: The `@string` macros of all files, in file order.
        entries: The entries, values as written; iterated once, each entry
            dropped once resolved (a big library's values are not held twice
            if the caller keeps no other reference).
        max_chars: Longer values are cut to this many characters.

    Returns:
        The entries, in the same order, with resolved values; and the problems.
    """
    table: dict[str, str] = dict(MONTHS)
    first_at: dict[str, Location] = {}
    diagnostics: list[Diagnostic] = []
    for macro in macros:
        value, found = resolve_value(
            macro.value, table, macro.location, "@string '{}'", macro.name, max_chars=max_chars
        )
        diagnostics += found
        low = macro.name.lower()
        if low in first_at:
            diagnostics.append(
                Diagnostic.warning(
                    macro.location,
                    f"@string '{macro.name}' redefined (first defined at {first_at[low]})",
                    "the later definition is used; rename one of them",
                )
            )
        first_at.setdefault(low, macro.location)
        table[low] = value
    resolved: list[Entry] = []
    for raw in entries:
        path = raw.location.path
        fields: dict[str, str] = {}
        crossref_at = None
        for name, text, line in raw.fields:
            location = Location(path, line)
            value, found = resolve_value(
                text, table, location, "field '{}' of '{}'", name, raw.key, max_chars=max_chars
            )
            diagnostics += found
            fields[name] = WS.sub(" ", value).strip()  # BibTeX collapses whitespace
            if name == "crossref":
                crossref_at = location
        resolved.append(Entry(raw.key, raw.entry_type, raw.location, fields, crossref_at))
    return resolved, diagnostics


def resolve_value(
    raw: str, macros: Mapping[str, str], location: Location, where: str, *args: str, max_chars: int
) -> tuple[str, list[Diagnostic]]:
    """Resolve `#` concatenation and macros in a value as written; cut it if too long.

    Each part is a `{...}` or `"..."` literal (its content is taken), a number,
    or a macro name (looked up in `macros` by its lower-case form). An unknown
    name is kept as it is, with a warning; anything else too, with an error.
    A value longer than `max_chars` (whitespace collapsed) is cut there, braces
    kept balanced, with a warning.

    Args:
        raw: The value as written.
        macros: Macro values, by lower-case name.
        location: Where diagnostics are reported: `path:line` of the field or `@string`.
        where: Names the value in diagnostics as `where.format(*args)` (formatted only when needed).
        *args: See `where`.
        max_chars: Longest value kept.

    Returns:
        The value, and the problems found in it.
    """

    def name() -> str:
        return where.format(*args)

    diagnostics: list[Diagnostic] = []
    out: list[str] = []
    size = 0
    parts = _split_concat(raw)
    if len(parts) > 1 and not all(parts):
        diagnostics.append(
            Diagnostic.error(
                location,
                f"malformed value in {name()}: '#' without a value on one side",
                "remove the extra '#', or add the missing value",
            )
        )
    for part in parts:
        if size > 2 * max_chars:
            break  # the rest would be cut anyway (and macros can double in size at each step)
        if not part:
            continue
        literal = _unwrap(part)
        if literal is not None:
            out.append(literal)
        elif part.isdigit():
            out.append(part)
        elif part.lower() in macros:
            out.append(macros[part.lower()])
        elif not IDENT.match(part):
            diagnostics.append(
                Diagnostic.error(
                    location,
                    f"malformed value in {name()}: {WS.sub(' ', part)[:60]!r} is "
                    'not a {...} or "..." literal, a number or a macro name',
                    "a comma between two fields may be missing; the text is kept as it is",
                )
            )
            out.append(part)
        else:
            diagnostics.append(
                Diagnostic.warning(
                    location,
                    f"undefined macro '{part}' in {name()}",
                    f"define it with @string{{{part} = {{...}}}}, or put the value in braces if it is meant literally",
                )
            )
            out.append(part)
        size += len(out[-1])
    value = "".join(out)
    if size > max_chars and len(WS.sub(" ", value)) > max_chars:
        diagnostics.append(
            Diagnostic.warning(
                location,
                f"{name()} is longer than {max_chars:,} characters; it is cut",
                "shorten it; a bibliography field should not hold a whole text",
            )
        )
        value = _cut(WS.sub(" ", value), max_chars)
    return value, diagnostics


def _cut(value: str, limit: int) -> str:
    """`value` cut to `limit` characters, its braces still balanced."""
    value = value[:limit]
    value = value[: len(value) - (len(value) - len(value.rstrip("\\"))) % 2]  # no dangling `\`
    depth = 0
    for match in _BRACES.finditer(value):
        if match.group() == "{":
            depth += 1
        elif match.group() == "}":
            depth = max(depth - 1, 0)
    return value + "}" * depth


def _split_concat(raw: str) -> list[str]:
    """Split a raw value on top-level `#`, respecting braces and quotes."""
    if "#" not in raw:
        return [raw.strip()]
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for match in _SPECIAL.finditer(raw):
        c, i = match.group(), match.start()
        if c == "\\":
            continue
        if i and raw[i - 1] == "\\" and _escaped(raw, i):
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c == '"' and depth == 0:
            quoted = not quoted
        elif c == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i].strip())
            start = i + 1
    parts.append(raw[start:].strip())
    return parts


def _escaped(raw: str, i: int) -> bool:
    """Whether `raw[i]` follows an odd number of backslashes."""
    n = 0
    while i - n - 1 >= 0 and raw[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _unwrap(part: str) -> str | None:
    """The content of a `{...}` or `"..."` literal, or None if `part` is not one."""
    if len(part) >= 2 and part[0] == '"' and part[-1] == '"':
        return part[1:-1]
    if part[0] != "{" or part[-1] != "}":
        return None
    depth = 0
    for match in _BRACES.finditer(part):
        c = match.group()
        if len(c) > 1:
            continue  # an escaped character
        depth += 1 if c == "{" else -1
        if depth == 0:
            # The first group must close at the very end: `{a} {b}` is not one literal.
            return part[1:-1] if match.start() == len(part) - 1 else None
    return part[1:-1]  # unbalanced: take it as it is rather than lose it
