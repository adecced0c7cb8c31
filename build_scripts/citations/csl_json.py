"""BibTeX entries as CSL-JSON items, the data every formatter and export reads.

[`to_csl`][build_scripts.citations.csl_json.to_csl] maps a BibTeX
[`Source`][build_scripts.model.Source] to a CSL-JSON item: entry type, names,
dates and the other fields, LaTeX decoded to Unicode.

```python
to_csl(source)["issued"]       # → {"date-parts": [[2021, 10]]}
```

Only http(s) addresses are ever linked: [`web_url`][build_scripts.citations.csl_json.web_url]
decides, and [`url_problems`][build_scripts.citations.csl_json.url_problems] warns about
the `url` and `doi` fields it refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from build_scripts.citations.csl_values import CslItem
from build_scripts.library.latex import decode_latex
from build_scripts.model import Diagnostic, Source
from build_scripts.months import month_number

__all__ = ["ENTRY_TYPES", "to_csl", "url_problems", "web_url"]


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
ENTRY_TYPES = frozenset(_TYPES)
"""Entry types with a CSL type of their own; any other is a `document` (a `misc` with a URL a `webpage`)."""
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
    r"""The entry's URL, from `url` or a `\url{...}` in `howpublished`, unescaped."""
    value = fields.get("url", "")
    if not value:
        match = _URL_MACRO.search(fields.get("howpublished", ""))
        value = match.group(1) if match else ""
    match = _URL_MACRO.search(value)
    value = match.group(1) if match else value
    value = re.sub(r"\\([_%#&~$])", r"\1", value)
    return re.sub(r"\s+", "", value.replace("{", "").replace("}", ""))


ATTRIBUTED = "[attributed]"
"""What a name shows when the entry marks it as attributed, not stated by the source (biblatex `author+an`)."""


def _annotated(names: list[dict[str, str]], annotation: str) -> list[dict[str, str]]:
    """Names with biblatex's data annotation applied.

    `author+an = {=attributed}` marks every name, `{1=attributed}` the first, as attributed
    (inferred, not stated by the source); the name then shows "[attributed]" after it.
    """
    marked: set[int] = set()
    for part in annotation.split(";"):
        where, _, what = part.partition("=")
        if "attributed" not in what.casefold():
            continue
        where = where.strip()
        marked |= set(range(len(names))) if not where else {int(where) - 1} if where.isdigit() else set()
    return [
        {**name, "suffix": " ".join(filter(None, [name.get("suffix", ""), ATTRIBUTED]))} if i in marked else name
        for i, name in enumerate(names)
    ]


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
    month = next((number for w in words if (number := month_number(w[:3]))), 0)
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


def _issued(fields: dict[str, str] | Any) -> dict[str, Any] | None:
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


def to_csl(source: Source) -> CslItem:  # noqa: C901 (one flat branch per biblatex field mapped)
    """CSL-JSON item for a Source (fields LaTeX-decoded with latex.decode_latex).

    Args:
        source: A loaded BibTeX entry.

    Returns:
        A CSL-JSON item; its `id` is the citekey.
    """
    f = source.fields
    kind = _csl_type(source)
    item: CslItem = {"id": source.key, "type": kind}
    for role in ("author", "editor", "translator"):
        if names := _names(f.get(role, "")):
            item[role] = _annotated(names, f.get(f"{role}+an", ""))

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
            diags.append(
                Diagnostic.warning(
                    source.location,
                    f"url '{url[:60]}' of '{source.key}' is not an http(s) URL; it is not shown",
                    "write the full address, starting with https://",
                )
            )
        doi = _url({"url": source.fields.get("doi", "")})
        if doi and not _doi(source.fields):
            diags.append(
                Diagnostic.warning(
                    source.location,
                    f"doi '{doi[:60]}' of '{source.key}' is not a DOI; it is not shown",
                    "write the DOI as 10.<prefix>/<suffix>",
                )
            )
    return diags
