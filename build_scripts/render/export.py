"""`claims.json`: every fact, claim and inconsistency, for reuse by others."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from build_scripts.citations.csl_values import CslItem
from build_scripts.render.context import Context

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_JSON_HTML = re.compile("[<>&]")
"""`<`, `>` and `&` as JSON escapes: the same data, and no `<script>` in the file if it is ever inlined in HTML."""


def claims_data(ctx: Context) -> dict[str, Any]:
    """The content of `claims.json`.

    Facts, claims (value as written, normalised value, locator, quotation and where it was found),
    inconsistencies and sources.
    """
    index = ctx.index
    facts = [
        {
            "id": f.id,
            "label": f.label,
            "kind": f.kind,
            "unit": f.unit or None,
            "time": f.time or None,
            "topics": list(f.topics),
            "series": f.series or None,
            "resolution": f.resolution or None,
            "positions": {p.id: {"label": p.label, "gloss": p.gloss} for p in f.positions} or None,
            "apparent": f.apparent or None,
        }
        for f in index.facts.values()
    ]
    claims = []
    for claim in sorted(index.claims, key=lambda c: c.id):
        norm = ctx.values.get(claim.id)
        claims.append(
            {
                "id": claim.id,
                "fact": claim.fact,
                "source": claim.source,
                "value": claim.value,
                "normalised": None
                if norm is None
                else {
                    "low": _number(norm.low),
                    "high": _number(norm.high),
                    "position": norm.position or None,
                    "display": norm.display,
                },
                "locator": claim.locator,
                "quote": claim.quote or None,
                "suspect": claim.suspect or None,
                "verification": found.as_json() if (found := ctx.verifications.get(claim.id)) else None,
                "note": claim.note,
            }
        )
    inconsistencies = [
        {
            "id": i.anchor,
            "fact": i.fact.id,
            "label": i.fact.title,
            "topics": list(i.fact.topics),
            "kind": i.kind,
            "summary": i.summary,
            "claims": [c.id for c in i.claims],
            "pages": sorted(set(ctx.placements.where(i.anchor))),
        }
        for issues in ctx.inconsistencies.values()
        for i in issues
    ]
    return {
        "facts": facts,
        "claims": claims,
        "inconsistencies": inconsistencies,
        "sources": {k: _source(k, ctx) for k in sorted(ctx.refs)},
        "labels": {k: ctx.label(k) for k in sorted(ctx.refs)},
    }


def _source(key: str, ctx: Context) -> CslItem:
    """A source's CSL-JSON item, and for an archived text what the notes do with each of its paragraphs."""
    item = dict(ctx.refs[key].csl)
    uses = ctx.paragraph_uses.get(key)
    if uses is not None:
        item["paragraphs"] = [
            {"n": u.number, "claims": list(u.claims), "passed_over": u.passed_over or None} for u in uses
        ]
    return item


def claims_json(data: dict[str, Any]) -> Iterator[bytes]:
    """[`claims_data`][build_scripts.render.export.claims_data] as JSON, a line for each fact, claim, source....

    Each record is encoded on a line of its own by the json module's C
    encoder: fast, and an edit changes the lines of the records it changes.
    The lines come one at a time, encoded (UTF-8): at N=5,000 the file is
    tens of megabytes, never whole in memory.
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    yield b"{\n"
    for number, (name, value) in enumerate(data.items()):
        keyed = isinstance(value, dict)
        records = _records(value)
        brackets = "{}" if keyed else "[]"
        comma = "," if number < len(data) - 1 else ""
        if not records:
            yield _escaped(f" {encode(name)}: {brackets}{comma}\n")
            continue
        yield _escaped(f" {encode(name)}: {brackets[0]}\n")
        for at, (key, record) in enumerate(records):
            line = f"{encode(key)}: {encode(record)}" if keyed else encode(record)
            yield _escaped(f"  {line}{',' if at < len(records) - 1 else ''}\n")
        yield _escaped(f" {brackets[1]}{comma}\n")
    yield b"}\n"


def _records(value: dict[str, Any] | list[Any]) -> list[tuple[str, Any]]:
    """The (key, record) pairs of a mapping, or ("", record) for each record of a list."""
    return list(value.items()) if isinstance(value, dict) else [("", v) for v in value]


def _escaped(text: str) -> bytes:
    return _JSON_HTML.sub(lambda m: _JSON_ESCAPES[m.group()], text).encode("utf-8")


def _number(value: float | None) -> float | str | None:
    """JSON has no infinity: open-ended ranges are written as "inf"."""
    if value is None:
        return None
    return "inf" if math.isinf(value) else value
