"""Stage 4 of loading a library: entries inherit fields through `crossref`, and become Sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from build_scripts.library.bib.records import Entry
from build_scripts.model import Diagnostic, Source

__all__ = ["resolve_crossrefs"]

#: Fields a child entry never takes over from its crossref parent.
_NOT_INHERITED = frozenset({"crossref", "xref", "ids", "entryset", "label", "sortkey", "related"})
_MAX_CYCLE_WALK = 64  # inheritance steps followed around a (reported) crossref cycle


def resolve_crossrefs(entries: Sequence[Entry]) -> tuple[dict[str, Source], list[Diagnostic]]:
    """Fill in the fields each entry lacks from its `crossref` chain, and make the Sources.

    The `crossref` value is matched to a key case-insensitively. A parent's
    own parent is merged into it first, so fields are inherited along a chain;
    as in biblatex, the parent's title also becomes the child's `booktitle`
    (`journaltitle` for a `@periodical` parent; nothing for an `@article`).
    Fields such as `crossref`, `ids` or `label` are never inherited. On a
    cycle, each entry takes the fields of those round the cycle.

    A crossref to no entry is a warning at `path:line` of the `crossref` field;
    a cycle is an error at the `crossref` field of its entry that comes first
    (by `path:line`).

    Args:
        entries: The entries, values resolved (each key once, ignoring case), in file order.

    Returns:
        The sources by citekey (as written), in the order of `entries`, and the problems.
    """
    by_key = {entry.key.lower(): entry for entry in entries}
    parent: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    for low, entry in by_key.items():
        target = entry.fields.get("crossref", "").strip()
        if target and target.lower() in by_key:
            parent[low] = target.lower()
        elif target:
            diagnostics.append(
                Diagnostic.warning(
                    entry.crossref_at or entry.location,
                    f"'{entry.key}': crossref to unknown entry '{target}'",
                    "add the parent entry, or fix the key in crossref",
                )
            )
    cyclic, found = _find_cycles(parent, by_key)
    diagnostics += found
    merged: dict[str, dict[str, str]] = {}
    for low in by_key:
        chain = []  # entries to merge, child first, up to one already merged (or a cycle)
        current: str | None = low
        while current is not None and current not in merged and current not in cyclic:
            chain.append(current)
            current = parent.get(current)
        if current in cyclic and current not in merged:
            merged[current] = _merge_cycle(current, parent, by_key)
        base = merged[current] if current is not None else {}
        base_type = by_key[current].entry_type if current is not None else ""
        for key in reversed(chain):
            base = merged[key] = _inherit(by_key[key].fields, base, base_type)
            base_type = by_key[key].entry_type
    sources = {
        e.key: Source(key=e.key, entry_type=e.entry_type, fields=merged[low], location=e.location)
        for low, e in by_key.items()
    }
    return sources, diagnostics


def _find_cycles(parent: Mapping[str, str], entries: Mapping[str, Entry]) -> tuple[set[str], list[Diagnostic]]:
    """Keys on a crossref cycle; each cycle is reported once, at its first entry."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cyclic: set[str] = set()
    diagnostics: list[Diagnostic] = []
    for start in parent:
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in state:
            state[current] = 1
            path.append(current)
            current = parent.get(current)
        if current is not None and state[current] == 1:
            cycle = path[path.index(current) :]
            cyclic.update(cycle)
            first = min((entries[k] for k in cycle), key=lambda e: e.location)
            names = " -> ".join(entries[k].key for k in cycle + cycle[:1])
            diagnostics.append(
                Diagnostic.error(
                    first.crossref_at or first.location,
                    f"circular crossref: {names}",
                    "remove the crossref field from one of these entries",
                )
            )
        for key in path:
            state[key] = 2
    return cyclic, diagnostics


def _merge_cycle(low: str, parent: Mapping[str, str], entries: Mapping[str, Entry]) -> dict[str, str]:
    """Fields of an entry on a cycle: its own, then those of the entries round the cycle."""
    chain = [low]
    while (nxt := parent[chain[-1]]) != low and len(chain) < _MAX_CYCLE_WALK:
        chain.append(nxt)
    fields: dict[str, str] = {}
    parent_type = ""
    for key in reversed(chain):
        fields = _inherit(entries[key].fields, fields, parent_type)
        parent_type = entries[key].entry_type
    return fields


def _inherit(child: dict[str, str], parent: dict[str, str], parent_type: str) -> dict[str, str]:
    """Child fields, plus the parent's fields the child lacks.

    As in biblatex, the parent's title also becomes the child's `booktitle`
    (`journaltitle` for a `@periodical` parent; nothing for an `@article`).
    """
    out = dict(child)
    for name, value in parent.items():
        if name not in _NOT_INHERITED:
            out.setdefault(name, value)
    if "title" in parent and parent_type != "article":
        out.setdefault("journaltitle" if parent_type == "periodical" else "booktitle", parent["title"])
    return out
