"""What a page was drafted from, as one hash: a rebuild drafts again only the pages whose fingerprint changed.

Every page reads the same global part of the context (the settings, the
facts and claims, the topics and the home note, which note links to which,
where each callout is placed, the sources claims are drawn from, the dates,
the navigation): [`Fingerprints.site`][build_scripts.render.fingerprint.Fingerprints.site]
hashes it. Beyond that a page reads what its
[`PageState.reads`][build_scripts.render.page_state.PageState] records:
a note (`note:ID`), a note linked to (`outline:ID`, for a link titled by
it), every note (`notes`), which notes name a topic (`tagged:ID`), one source and the notes citing it
(`source:KEY`), or the whole library (`sources`). A note is hashed by its file
(the loader makes it from nothing else), so an edit of its text also drafts
again the few pages that link to it; a source by its data, pickled.

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
import io
import pickle
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from build_scripts.cache import digest
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


_PLAIN = (str, int, float, bool, type(None))
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    """The fields a dataclass compares by; not those derived from others (such as a text's folded paragraphs)."""
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.compare)
    return _FIELDS[kind]


def _write(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind in _PLAIN:
        out.append(repr(value))
    elif kind in _FIELDS or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        out.append(kind.__name__ + "(")
        for name in _fields(kind):
            _write(getattr(value, name), out)
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
    elif kind.__repr__ is object.__repr__:  # type: ignore[comparison-overlap]  # a plain object, not its address
        names = [n for c in type(value).__mro__ for n in getattr(c, "__slots__", ())]
        _write([type(value).__name__, {n: getattr(value, n) for n in names if hasattr(value, n)},
                getattr(value, "__dict__", {})], out)  # fmt: skip
    else:
        out.append(repr(value))


def _pickled(value: Any) -> bytes:
    """`value` pickled without the memo: an object met twice is written twice, as equal data is."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: the bytes do not depend on which equal objects are one object
    pickler.dump(value)
    return out.getvalue()


class Fingerprints:
    """The fingerprints of one build's pages.

    Args:
        ctx: The build's context.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._parts: dict[str, str] = {}
        self._sources: dict[str, str] = {}
        self._files: dict[str, str] = {}

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
            *(self._file(note.id) for note in [*index.topics, *([index.home] if index.home else [])]),
            stable(index.backlinks),
            *(self._source(key) for key in used),
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
        if kind in ("note", "outline") and name in index.notes:  # a note is made from its file alone
            return digest(read, self._file(name), index.page(name))
        if kind == "tagged":
            return digest(read, stable(sorted(i for i, n in index.notes.items() if name in n.topics)))
        if kind == "notes":
            return digest(read, *(part for i in sorted(index.notes) for part in (self._file(i), index.page(i))))
        if kind == "source" and name in index.sources:
            return digest(read, self._source(name))
        if kind == "sources":
            return digest(read, *(self._source(key) for key in sorted(index.sources)))
        return ""

    def _file(self, note_id: str) -> str:
        """A hash of the file a note was read from (its path and bytes): the loader makes the note from nothing else."""
        if note_id not in self._files:  # read once: a note's file is hashed for several of the things pages read
            note = self.ctx.index.notes[note_id]
            try:
                self._files[note_id] = digest(note.path, (self.ctx.settings.root / note.path).read_bytes())
            except OSError:
                self._files[note_id] = ""
        return self._files[note_id]

    def _source(self, key: str) -> str:
        """A hash of all the context holds on one source: entry, reference, label, archived text, what uses it.

        Pickled (without the pickle's memo, so equal data gives equal bytes however its objects are shared),
        not written by [`stable`][build_scripts.render.fingerprint.stable]: none of it holds a set, and
        pickling is many times faster.
        """
        if key not in self._sources:
            self._sources[key] = digest(_pickled(self._source_data(key)))
        return self._sources[key]

    def _source_data(self, key: str) -> tuple[Any, ...]:
        ctx = self.ctx
        return (
            key,
            ctx.index.sources.get(key),
            ctx.refs.get(key),
            ctx.label(key),
            text.digest if (text := ctx.texts.get(key)) else None,  # its path and paragraphs, hashed once
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
