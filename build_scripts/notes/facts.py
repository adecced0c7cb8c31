"""Read a fact declared in a note's front matter (`facts:`): its kind, positions, time and readings.

```yaml
facts:
  - {id: trade-2021, label: China-Russia trade, kind: number, unit: USD, time: "2021"}
```
"""

from __future__ import annotations

import math

from build_scripts.model import Diagnostic, Fact, FactKind, Location, Position, Span, position_label
from build_scripts.notes import frontmatter, scan
from build_scripts.notes.frontmatter import Reader
from build_scripts.notes.periods import period_label

__all__ = ["FACT_KEYS", "FACT_KINDS", "POSITION_KEYS", "read_fact"]

FACT_KINDS = tuple(FactKind)
FACT_KEYS = frozenset(
    {
        "id",
        "label",
        "kind",
        "unit",
        "time",
        "topics",
        "tolerance",
        "resolution",
        "series",
        "positions",
        "apparent",
    }
)
"""The keys of a fact (an item of `facts:`)."""


def read_fact(m: frontmatter.Mapping, path: str, note_topics: tuple[str, ...], diags: list[Diagnostic]) -> Fact | None:
    """One entry of a note's `facts:`: its id, label and kind, positions, time, tolerance and readings.

    `None` (with diagnostics) when it cannot be used; a fact names the note's
    topics unless it gives its own.
    """
    r = Reader(path, m, diags, what="fact")
    r.unknown_keys(FACT_KEYS)
    fact_id = r.ident("id")
    label = r.get("label", str, required=True)
    kind = r.get("kind", str, required=True)
    if kind is not None and kind not in FACT_KINDS:
        r.error("kind", f"unknown fact kind '{kind}'", f"use one of: {', '.join(FACT_KINDS)}")
        kind = None
    if fact_id is None or label is None or kind is None:
        return None
    tolerance = r.get("tolerance", (int, float), default=None)
    if tolerance is not None and not (math.isfinite(tolerance) and 0 <= tolerance < 1):
        r.error(
            "tolerance",
            f"tolerance {tolerance} of fact '{fact_id}' is out of range",
            "write a relative tolerance between 0 and 1, e.g. 0.01 for 1 %",
        )
        tolerance = None
    kind = FactKind(kind)
    positions = _positions(r, fact_id, kind)
    time = r.text("time")
    resolution, resolution_spans = _reading(r, "resolution")
    apparent, apparent_spans = _reading(r, "apparent")
    return Fact(
        id=fact_id,
        label=label,
        kind=kind,
        positions=positions,
        apparent=apparent,
        apparent_spans=apparent_spans,
        topics=r.strings("topics") if "topics" in m.data else note_topics,
        location=Location(path, m.line),
        unit=r.get("unit", str, default=""),
        time=time,
        when=period_label(time),
        tolerance=float(tolerance) if tolerance is not None else None,
        resolution=resolution,
        resolution_spans=resolution_spans,
        series=r.get("series", str, default=""),
    )


POSITION_KEYS = ("label", "gloss")


def _positions(r: Reader, fact_id: str, kind: FactKind) -> tuple[Position, ...]:
    """The positions a category or assessment fact declares, each with its gloss and reader label.

    A position is written `id: gloss`, or `id: {label: ..., gloss: ...}` to
    give readers a label of their own (else one is made from the id).
    """
    example = "positions: {strong: deep and broad, mixed: strong in some areas only, weak: shallow}"
    if "positions" not in r.m.data:
        if kind.has_positions:
            r.error(
                None,
                f"{kind} fact '{fact_id}' declares no positions",
                f"list the positions a claim can take, each with a short gloss, e.g. '{example}'",
            )
        return ()
    if not kind.has_positions:
        r.error(
            "positions",
            f"{kind} fact '{fact_id}' cannot have positions",
            "only category and assessment facts have positions; remove 'positions:'",
        )
        return ()
    pairs = r.m.pairs.get("positions")
    if pairs is None or not pairs:
        r.error(
            "positions", f"'positions' of fact '{fact_id}' must be a mapping of position to gloss", f"e.g. '{example}'"
        )
        return ()
    found: list[Position] = []
    for name, given in pairs:
        position = " ".join(name.casefold().split())
        label, gloss = _position_parts(r, fact_id, name, given)
        if gloss is None:
            continue
        if any(p.id == position for p in found):
            r.error("positions", f"position '{name}' of fact '{fact_id}' is declared twice", "remove one of them")
        else:
            found.append(Position(position, gloss, label or position_label(position)))
    return tuple(found)


def _position_parts(r: Reader, fact_id: str, name: str, given: object) -> tuple[str, str | None]:
    """The reader label ("" if not given) and gloss (`None` after an error) of one declared position."""
    label: object = ""
    gloss: object = given
    if isinstance(given, dict):
        unknown = sorted(set(map(str, given)) - set(POSITION_KEYS))
        if unknown:
            r.error(
                "positions",
                f"position '{name}' of fact '{fact_id}' has unknown key '{unknown[0]}'",
                f"a position takes 'label' (what readers see) and 'gloss' (what it means): "
                f"'{name}: {{label: ..., gloss: ...}}'",
            )
            return "", None
        label, gloss = given.get("label", ""), given.get("gloss")
        if not isinstance(label, str):
            r.error(
                "positions",
                f"the label of position '{name}' of fact '{fact_id}' must be text",
                "write a few plain words, quoted if they hold a colon",
            )
            return "", None
    if not isinstance(gloss, str) or not gloss.strip():
        r.error(
            "positions",
            f"position '{name}' of fact '{fact_id}' has no gloss",
            f"say in a few words what '{name}' means: '{name}: <gloss>'",
        )
        return "", None
    return " ".join(str(label).split()), " ".join(gloss.split())


def _reading(r: Reader, key: str) -> tuple[str, tuple[Span, ...]]:
    """A fact's `resolution` or `apparent` text and the spans to replace in it: citations, cleaned HTML.

    Such a text may cite sources (`[@key, locator]`, e.g. the outside data a
    resolution relies on); it may not embed facts or link to notes.
    """
    text = r.get(key, str, default="")
    if not text:
        return "", ()
    spans, problems = scan.scan(text, r.path, r.line(key))
    r.diags.extend(problems)
    kept = []
    for span in spans:
        if span.embed is not None or span.ref is not None:
            r.error(
                key,
                f"'{key}' of a fact may cite sources but not embed facts or link to notes",
                "write the fact or note in words, or move the link into the note's body",
            )
        else:
            kept.append(span)
    return text, tuple(kept)
