"""What a page was drafted from, as one hash: a rebuild drafts again only the pages whose fingerprint changed.

Every page reads the same global part of the context (the settings, the
facts and claims, the topics and the home note, which note links to which,
where each callout is placed, the sources claims are drawn from, the dates,
the navigation): [`Fingerprints.site`][build_scripts.render.fingerprint.Fingerprints.site]
hashes it. Beyond that a page reads what its
[`PageState.reads`][build_scripts.render.page_state.PageState] records:
a note (`note:ID`), a note but its text (`outline:ID`, for a link titled by
it), every note's outline (`notes`), which notes name a topic (`tagged:ID`), one source and the notes citing it
(`source:KEY`), or the whole library (`sources`).

```python
prints = Fingerprints(ctx)
draft = pages.note_page(note, ctx)
key = prints.of(draft.state.reads)   # equal on a later build: the page is the same
```
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from build_scripts.cache import digest
from build_scripts.model import Note
from build_scripts.render import trail
from build_scripts.render.context import Context

__all__ = ["Fingerprints", "stable"]


def stable(value: Any) -> str:
    """A text for `value` that is the same in every process (sets and mappings in sorted order, enums by value).

    A dataclass is written by the fields it compares by; a plain object by its class and attributes.
    """
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, out: list[str]) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__name__ + "(")
        for f in dataclasses.fields(value):
            if not f.compare:  # derived from the other fields (a cache, such as a text's folded paragraphs)
                continue
            _write(getattr(value, f.name), out)
            out.append(",")
        out.append(")")
    elif isinstance(value, enum.Enum):
        out.append(f"{type(value).__name__}.{value.value!r}")
    elif isinstance(value, Mapping):
        out.append("{")
        for key in sorted(value, key=repr):
            out.append(repr(key) + ":")
            _write(value[key], out)
            out.append(",")
        out.append("}")
    elif isinstance(value, (set, frozenset)):
        out.append("{" + ",".join(sorted(stable(v) for v in value)) + "}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            _write(item, out)
            out.append(",")
        out.append("]")
    elif isinstance(value, Path):
        out.append(repr(value.as_posix()))
    elif type(value).__repr__ is object.__repr__:  # type: ignore[comparison-overlap]  # a plain object: its class and attributes, not its address
        names = [n for c in type(value).__mro__ for n in getattr(c, "__slots__", ())]
        _write([type(value).__name__, {n: getattr(value, n) for n in names if hasattr(value, n)},
                getattr(value, "__dict__", {})], out)  # fmt: skip
    else:
        out.append(repr(value))


def _outline(note: Note) -> tuple[Any, ...]:
    """All of a note that other pages may show: everything but its text and where in it each span stands."""
    spans = [
        (
            [(c.key, c.locator) for c in span.citations],
            span.ref and (span.ref.target, span.ref.anchor, span.ref.label),
            span.embed and span.embed.fact,
        )
        for span in note.spans
    ]
    return dataclasses.replace(note, body="", body_line=0, spans=(), lead_end=0), spans


class Fingerprints:
    """The fingerprints of one build's pages.

    Args:
        ctx: The build's context.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._parts: dict[str, str] = {}

    def of(self, reads: Iterable[str]) -> str:
        """The fingerprint of a page that read the global part and `reads` ("" if one of them is gone)."""
        parts = [self.part(read) for read in sorted(reads)]
        return "" if "" in parts else digest(self.site, *parts)

    @functools.cached_property
    def site(self) -> str:
        """A hash of what every page reads: the settings, the notes but their text, what follows from them."""
        ctx = self.ctx
        index = ctx.index
        used = sorted(self._used_keys())
        style = ctx.settings.style_file
        return digest(
            stable(ctx.settings),
            style.read_bytes() if style else b"",
            stable(index.facts),
            stable(index.claims),
            stable([_outline(note) for note in [*index.topics, *([index.home] if index.home else [])]]),
            stable(index.backlinks),
            stable([self._source(key) for key in used]),
            stable(ctx.inconsistencies),
            stable(ctx.values),
            stable(ctx.verifications),
            stable(ctx.dates),
            stable(ctx.placements),
            stable(trail.nav(ctx)),
        )

    def part(self, read: str) -> str:
        """A hash of one thing a page read (`note:ID`, `source:KEY`, `sources`); "" when it is no longer there."""
        if read not in self._parts:
            self._parts[read] = self._hash(read)
        return self._parts[read]

    def _hash(self, read: str) -> str:
        kind, _, name = read.partition(":")
        index = self.ctx.index
        if kind == "note" and name in index.notes:
            return digest(read, stable(index.notes[name]))
        if kind == "outline" and name in index.notes:
            return digest(read, stable(_outline(index.notes[name])), index.page(name))
        if kind == "tagged":
            return digest(read, stable(sorted(i for i, n in index.notes.items() if name in n.topics)))
        if kind == "notes":
            return digest(read, stable([(_outline(n), index.page(i)) for i, n in sorted(index.notes.items())]))
        if kind == "source" and name in index.sources:
            return digest(read, stable(self._source(name)))
        if kind == "sources":
            return digest(read, stable([self._source(key) for key in sorted(index.sources)]))
        return ""

    def _source(self, key: str) -> tuple[Any, ...]:
        """All the context holds on one source: its entry, reference, label, archived text and what uses it."""
        ctx = self.ctx
        return (
            key,
            ctx.index.sources.get(key),
            ctx.refs.get(key),
            ctx.label(key),
            ctx.texts.get(key),
            ctx.paragraph_uses.get(key),
            ctx.cited_at.get(key),
            ctx.index.cited_by.get(key),
            self._listed_by.get(key),
        )

    @functools.cached_property
    def _listed_by(self) -> dict[str, list[str]]:
        """The ids of the notes naming each citekey in their `sources`."""
        listed: dict[str, list[str]] = {}
        for note_id, note in sorted(self.ctx.index.notes.items()):
            for key in note.sources:
                listed.setdefault(key, []).append(note_id)
        return listed

    def _used_keys(self) -> set[str]:
        """The citekeys claims are drawn from and paragraphs passed over in: shown on pages without a citation."""
        used = {claim.source for claim in self.ctx.index.claims}
        used.update(entry.source for note in self.ctx.index.notes.values() for entry in note.passed_over)
        return used
