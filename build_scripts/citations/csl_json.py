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
from urllib.parse import quote, unquote

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from build_scripts.citations.csl_fields import (
    ARTICLE_SUBTYPES,
    GENRES,
    ORDINALS,
    PLAIN_FIELDS,
    RICH_FIELDS,
    STATUS,
    TYPES,
    csl_language,
)
from build_scripts.citations.csl_values import YEAR, iso_parts
from build_scripts.citations.rich_text import rich
from build_scripts.library.latex import decode_latex
from build_scripts.model import Diagnostic, Source
from build_scripts.months import month_number

__all__ = ["doi_of", "entry_doi", "to_csl", "url_problems", "web_url"]


# -- BibTeX -> CSL-JSON -------------------------------------------------------

_EDTF_QUALIFIERS = ("~", "?", "%")
_URL_MACRO = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
_APOSTROPHE = re.compile(r"(?<=\w)'")


def _display(value: str) -> str:
    """A field value for display as plain text (names, dates): LaTeX decoded, typographic apostrophes."""
    return _APOSTROPHE.sub("\u2019", decode_latex(value))


def _csl_type(source: Source) -> str:
    if source.entry_type == "article":
        return ARTICLE_SUBTYPES.get(source.fields.get("entrysubtype", "").strip().lower(), "article-journal")
    if source.entry_type == "misc" and _url(source.fields):
        return "webpage"
    return TYPES.get(source.entry_type, "document")


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

    `author+an = {=attributed}` marks every name, `{1=attributed}` the first, as attributed (inferred, not
    stated by the source); the name then shows "[attributed]" after it.
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


def _date(value: str) -> dict[str, Any] | None:
    """A CSL date from a biblatex date field (ISO, a range with `/`), or None.

    An EDTF qualifier at the end (`2022~` approximate, `2022?` uncertain,
    `2022%` both) marks the date as inferred: CSL's `circa`.
    """
    raw = value.strip()
    circa = raw.endswith(_EDTF_QUALIFIERS)
    date = decode_latex(raw.rstrip("".join(_EDTF_QUALIFIERS)) if circa else raw)
    parts = [p for p in (iso_parts(d) for d in date.split("/")) if p] if date else []
    if not parts:
        return None
    return {"date-parts": parts, "circa": True} if circa else {"date-parts": parts}


def _issued(fields: dict[str, str] | Any) -> dict[str, Any] | None:
    """CSL `issued` from biblatex `date` or `year` + `month` (a year that is no year as a literal)."""
    if issued := _date(fields.get("date", "")):
        return issued
    date, year = decode_latex(fields.get("date", "")), decode_latex(fields.get("year", ""))
    match = YEAR.search(year)
    if not match:
        return {"literal": year} if year else ({"literal": date} if date else None)
    year_parts = [int(match.group(1))]
    month, day = _month(decode_latex(fields.get("month", "")))
    if month:
        year_parts.append(month)
        if day:
            year_parts.append(day)
    return {"date-parts": [year_parts]}


def _joined(fields: dict[str, str] | Any, *names: str) -> str:
    """A title and its subtitle (and addon) as one: "Title: Subtitle. Addon" (rich text)."""
    title, subtitle, addon = (rich(fields.get(n, "")) if n else "" for n in (*names, "")[:3])
    if subtitle:
        title = f"{title}{'' if title.endswith(('?', '!', ':')) else ':'} {subtitle}" if title else subtitle
    return f"{title}{'' if title.endswith(('.', '?', '!')) else '.'} {addon}" if addon and title else title or addon


def to_csl(source: Source) -> dict[str, Any]:  # noqa: C901 (one entry's fields, read in turn, as the mapping table lists them)
    r"""CSL-JSON item for a Source: its type, names, dates and every field a style can use.

    Text is LaTeX-decoded into CSL rich text ([`rich`][build_scripts.citations.rich_text.rich]:
    protected case as `<span class="nocase">`, `\emph` as `<i>`). Where each
    type and field goes is set out in docs/authoring.md ("How BibTeX entries
    become references").

    Args:
        source: A loaded BibTeX entry.

    Returns:
        A CSL-JSON item; its `id` is the citekey.
    """
    f = source.fields
    kind = _csl_type(source)
    item: dict[str, Any] = {"id": source.key, "type": kind}
    for role, field in (("author", "author"), ("editor", "editor"), ("translator", "translator"),
                        ("container-author", "bookauthor")):  # fmt: skip
        if names := _names(f.get(field, "")):
            item[role] = _annotated(names, f.get(f"{field}+an", ""))

    def first(*names: str) -> str:
        return next((rich(f[n]) for n in names if f.get(n, "").strip()), "")

    title = _joined(f, "title", "subtitle", "titleaddon")
    main = _joined(f, "maintitle", "mainsubtitle")
    book = _joined(f, "booktitle", "booksubtitle")
    if main and kind == "book":  # one volume of a multi-volume work
        item["title"], item["volume-title"] = main, title
    elif title:
        item["title"] = title
    container = _joined(f, "journaltitle", "journalsubtitle") or first("journal")
    if main and kind != "book":
        container = container or main
        if book:
            item["volume-title"] = book
    if container := container or book:
        item["container-title"] = container
    for var, fields in RICH_FIELDS.items():
        if value := first(*fields):
            item[var] = value
    for var, field in PLAIN_FIELDS.items():
        if f.get(field, "").strip():
            item[var] = _display(f[field])
    if item.get("edition", "").lower() in ORDINALS:
        item["edition"] = ORDINALS[item["edition"].lower()]
    if (value := first("publisher", "institution", "school", "organization")) or (
        (value := first("howpublished")) and not _URL_MACRO.search(f.get("howpublished", ""))
    ):
        item["publisher"] = value
    if value := first("number", "issue"):
        # BibTeX `number` is an issue for articles, a series number for books, else a report number.
        serial = "collection-number" if "series" in f else "number"
        item["issue" if kind.startswith("article") else serial] = value
    if value := first("pages") or first("eid"):
        item["page"] = value.replace("\u2013", "-").replace("\u2014", "-")
    if value := GENRES.get(f.get("type", "").strip().lower(), "") or first("type") or GENRES.get(source.entry_type, ""):
        item["genre"] = value
    if value := STATUS.get(f.get("pubstate", "").strip().lower(), ""):
        item["status"] = value
    if language := csl_language(f.get("langid", "") or f.get("language", "")):
        item["language"] = language
    for var, field in (("issued", ""), ("event-date", "eventdate"), ("original-date", "origdate")):
        if date := _issued(f) if not field else _date(f.get(field, "")):
            item[var] = date
    if (accessed := iso_parts(decode_latex(f.get("urldate", "")))) is not None:
        item["accessed"] = {"date-parts": [accessed]}
    url, doi = web_url(_url(f)), entry_doi(f)
    if url and not (doi and _DOI_RESOLVER.match(url)):  # a URL that only resolves the DOI is the DOI
        item["URL"] = url
    if doi:
        item["DOI"] = doi
    return item


# -- URLs and DOIs: only http(s) is ever linked ---------------------------------------

_DOI = re.compile(r"10\.[^\s/]+/\S+")
_DOI_IN = re.compile(r"(?:^|/|doi:\s*)(10\.[^\s/]+/[^\s?#]+)", re.IGNORECASE)
_DOI_RESOLVER = re.compile(r"(?i)https?://(?:dx\.)?doi\.(?:org|acm\.org)/")
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def web_url(url: str) -> str:
    """`url` if it is an http(s) URL with a host (characters unsafe in Markdown or HTML percent-encoded), else ""."""
    url = url.strip()
    if not re.match(r"(?i)https?://[^/?#\s]", url):
        return ""
    return quote(url, safe=_URL_SAFE)


def doi_of(value: str) -> str:
    """The DOI a `doi` field or a URL holds ("10.1145/123"), without a resolver or `doi:` prefix; "" if none.

    ```python
    doi_of("http://doi.acm.org/10.1145/1015706.1015720")   # → "10.1145/1015706.1015720"
    doi_of("https://doi.org/10.1525/as.2020.60.2.201")     # → "10.1525/as.2020.60.2.201"
    ```
    """
    value = _url({"url": value})
    if _DOI.fullmatch(value):
        return value
    found = _DOI_IN.search(unquote(value))
    return found.group(1).rstrip(".,;") if found else ""


def entry_doi(fields: dict[str, str] | Any) -> str:
    """The entry's DOI: its `doi` field, else one its URL holds; "" if none."""
    if doi := doi_of(fields.get("doi", "")):
        return doi
    url = _url(fields)
    return doi_of(url) if (url and _DOI_RESOLVER.match(url)) or "/doi/" in url else ""


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
        if doi and not doi_of(doi):
            diags.append(
                Diagnostic.warning(
                    source.location,
                    f"doi '{doi[:60]}' of '{source.key}' is not a DOI; it is not shown",
                    "write the DOI as 10.<prefix>/<suffix>",
                )
            )
    return diags
