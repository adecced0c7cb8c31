"""What every renderer shares: the index, formatted references, disagreements."""

from __future__ import annotations

import html
import re
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field

from ..cite import Reference
from ..config import Settings
from ..link import Index, source_page
from ..model import Claim, Inconsistency
from ..values import Normalised


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


@dataclass(slots=True)
class Context:
    """Shared, read-only state of one build (plus where callouts were placed).

    Attributes:
        index: The resolved notes, sources, facts and claims.
        refs: Formatted reference of each source.
        inconsistencies: Disagreements, by fact id.
        values: Normalised value of each claim, by claim id.
        settings: Project settings.
        claims_by_fact: Claims, by fact id, sorted by source.
        placements: Callout anchor → pages showing that callout (filled while rendering).
    """

    index: Index
    refs: dict[str, Reference]
    inconsistencies: dict[str, list[Inconsistency]]
    values: dict[str, Normalised]
    settings: Settings
    claims_by_fact: dict[str, list[Claim]] = field(default_factory=dict)
    placements: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        by_fact: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.index.claims:
            by_fact[claim.fact].append(claim)
        self.claims_by_fact = {k: sorted(v, key=lambda c: (c.source, c.id)) for k, v in by_fact.items()}

    def label(self, key: str) -> str:
        """Short in-text label of a source ("Baev 2021")."""
        ref = self.refs.get(key)
        return ref.label if ref else key


class Footnotes:
    """The citation footnotes of one page: one per (source, locator), numbered in order of use."""

    def __init__(self, page: str, ctx: Context):
        self.page, self.ctx = page, ctx
        self._labels: dict[tuple[str, str], str] = {}

    def cite(self, key: str, locator: str = "") -> str:
        """Footnote reference (`[^n]`) for citing `key` at `locator`."""
        ident = (key, locator)
        if ident not in self._labels:
            self._labels[ident] = f"[^{len(self._labels) + 1}]"
        return self._labels[ident]

    def markdown(self) -> str:
        """Footnote definitions, for the end of the page."""
        lines = []
        for (key, locator), label in self._labels.items():
            ref = self.ctx.refs[key]
            where = f" {md_text(_capitalised(locator))}." if locator else ""
            link = rel(self.page, source_page(key))
            lines.append(f"{label}: {ref.html}{where} [Source page]({link})")
        return "\n".join(lines)


def rel(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link from one docs page to another (and an optional anchor)."""
    if from_page == to_page and anchor:
        return f"#{anchor}"
    path = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{path}#{anchor}" if anchor else path


def md_text(text: str) -> str:
    """Escape text from notes or BibTeX for inline Markdown (HTML and Markdown syntax)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def attr(text: str) -> str:
    """Escape text for a double-quoted attribute or admonition title."""
    return html.escape(text, quote=True)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
