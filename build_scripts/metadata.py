"""Citation metadata for reference managers and search engines, from CSL-JSON items.

Pure functions over the CSL-JSON items [`to_csl`][build_scripts.cite.to_csl]
builds (text already decoded to Unicode):

- [`coins`][build_scripts.metadata.coins]: a COinS `<span>` (OpenURL KEV) for Zotero;
- [`highwire_reference`][build_scripts.metadata.highwire_reference]: one Highwire
  `citation_reference` value for Google Scholar;
- [`bibtex`][build_scripts.metadata.bibtex] and [`ris`][build_scripts.metadata.ris]:
  "cite this page" exports;
- [`page_item`][build_scripts.metadata.page_item]: the CSL item of a page of this site.

Every value is escaped for where it goes: HTML attributes, BibTeX, RIS lines.
"""

from __future__ import annotations

import datetime
import html
import re
from typing import Any
from urllib.parse import quote

import bibtexparser
from bibtexparser import model
from bibtexparser.writer import BibtexFormat

__all__ = ["bibtex", "coins", "highwire_reference", "page_item", "ris"]

_JOURNAL_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper"})
_BOOK_GENRES = {"book": "book", "chapter": "bookitem", "paper-conference": "bookitem", "report": "report"}
#: Zotero item types for `rft.type` in Dublin Core ContextObjects (Zotero sets the item type from it).
_ZOTERO_TYPES = {"webpage": "webpage", "post-weblog": "blogPost", "post": "forumPost", "dataset": "dataset",
                 "software": "computerProgram", "manuscript": "manuscript"}
_RIS_TYPES = {"article-journal": "JOUR", "article-magazine": "MGZN", "article-newspaper": "NEWS",
              "book": "BOOK", "chapter": "CHAP", "paper-conference": "CPAPER", "report": "RPRT",
              "thesis": "THES", "webpage": "ELEC", "post-weblog": "BLOG", "dataset": "DATA", "software": "COMP"}
_BIBTEX_TYPES = {"article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
                 "book": "book", "chapter": "incollection", "paper-conference": "inproceedings",
                 "report": "techreport", "thesis": "phdthesis", "webpage": "online", "post-weblog": "online",
                 "post": "online"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DASH = re.compile(r"\s*[-\u2010-\u2015]+\s*")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_PAGE_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# -- shared helpers -----------------------------------------------------------


def _text(value: Any) -> str:
    """A value on one line: all whitespace (newlines included) collapsed to single spaces."""
    return " ".join(str(value).split()) if value is not None else ""


def _get(item: dict, var: str) -> str:
    return _text(item.get(var))


def _date_parts(date: Any) -> list[int]:
    """[year, month, day] as far as known, from a CSL date (`date-parts` or a `literal`)."""
    if not isinstance(date, dict):
        return []
    raw: list[Any] = []
    if date.get("date-parts"):
        raw = list(date["date-parts"][0] or [])
    elif literal := _text(date.get("literal") or date.get("raw")):
        if match := _ISO.match(literal):
            raw = [g for g in match.groups() if g]
        elif match := _YEAR.search(literal):
            raw = [match.group()]
    parts: list[int] = []
    for value, limit in zip(raw, (9999, 12, 31), strict=False):
        try:
            number = int(value)
        except (TypeError, ValueError):
            break
        if not 1 <= number <= limit:
            break
        parts.append(number)
    return parts


def _date(date: Any, sep: str = "-") -> str:
    """A CSL date as "YYYY-MM-DD", "YYYY-MM" or "YYYY" (with `sep`); "" if unknown."""
    parts = _date_parts(date)
    return sep.join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) if parts else ""


def _pages(item: dict) -> tuple[str, str]:
    """(first page, last page) from the CSL `page` variable ("100-115", "100–115", "e12")."""
    page = _get(item, "page")
    if not page:
        return "", ""
    first, _, last = _DASH.sub("-", page).partition("-")
    return first.strip(), last.strip()


def _family(name: dict) -> str:
    """Family name with its particles ("van der Berg")."""
    parts = (name.get("dropping-particle"), name.get("non-dropping-particle"), name.get("family"))
    return _text(" ".join(p for p in parts if p))


def _inverted(name: dict) -> str:
    """The name as "Family, Given[, Suffix]"; a literal name as it is."""
    if literal := _text(name.get("literal")):
        return literal
    return ", ".join(p for p in (_family(name), _get(name, "given"), _get(name, "suffix")) if p)


def _names(item: dict, role: str = "author") -> list[dict]:
    return [n for n in item.get(role) or [] if isinstance(n, dict) and _inverted(n)]


# -- COinS --------------------------------------------------------------------


def _authors_kev(item: dict, creator_key: str | None = None) -> list[tuple[str, str]]:
    """First author as rft.aulast/aufirst (rft.aucorp if literal), then rft.au per author.

    With `creator_key` (Dublin Core): one `creator_key` pair per author instead.
    """
    names = _names(item)
    if creator_key:
        return [(creator_key, _inverted(n)) for n in names]
    pairs: list[tuple[str, str]] = []
    if names and (literal := _get(names[0], "literal")):
        pairs.append(("rft.aucorp", literal))
        names = names[1:]
    elif names:
        pairs += [("rft.aulast", _family(names[0])), ("rft.aufirst", _get(names[0], "given"))]
    return pairs + [("rft.au", _inverted(n)) for n in names]


def _kev_pairs(item: dict) -> list[tuple[str, str]]:
    """The ContextObject as ordered (key, value) pairs, empty values included."""
    kind = item.get("type", "")
    first, last = _pages(item)
    ids = [("rft_id", f"info:doi/{_get(item, 'DOI')}" if _get(item, "DOI") else ""),
           ("rft_id", f"urn:isbn:{_get(item, 'ISBN')}" if _get(item, "ISBN") else ""),
           ("rft_id", _get(item, "URL"))]
    date = ("rft.date", _date(item.get("issued")))
    if kind in _JOURNAL_TYPES:
        return [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), *ids, ("rft.genre", "article"),
                ("rft.atitle", _get(item, "title")), ("rft.jtitle", _get(item, "container-title")),
                ("rft.stitle", _get(item, "container-title-short")), *_authors_kev(item), date,
                ("rft.volume", _get(item, "volume")), ("rft.issue", _get(item, "issue")),
                ("rft.spage", first), ("rft.epage", last), ("rft.issn", _get(item, "ISSN"))]
    if kind == "thesis":  # Zotero reads the book format as a book; this one as a thesis
        return [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dissertation"), *ids,
                ("rft.title", _get(item, "title")), *_authors_kev(item), date,
                ("rft.inst", _get(item, "publisher")), ("rft.degree", _get(item, "genre"))]
    if kind in _BOOK_GENRES:
        part = kind in ("chapter", "paper-conference")
        return [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), *ids, ("rft.genre", _BOOK_GENRES[kind]),
                ("rft.atitle", _get(item, "title") if part else ""),
                ("rft.btitle", _get(item, "container-title" if part else "title")), *_authors_kev(item), date,
                ("rft.pub", _get(item, "publisher")), ("rft.place", _get(item, "publisher-place")),
                ("rft.edition", _get(item, "edition")), ("rft.series", _get(item, "collection-title")),
                ("rft.spage", first), ("rft.epage", last), ("rft.isbn", _get(item, "ISBN"))]
    return [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), *ids, ("rft.title", _get(item, "title")),
            *_authors_kev(item, "rft.creator"), date, ("rft.type", _ZOTERO_TYPES.get(kind, "document")),
            ("rft.publisher", _get(item, "publisher")), ("rft.source", _get(item, "container-title")),
            ("rft.identifier", _get(item, "URL"))]


def coins(item: dict) -> str:
    """COinS: an empty `<span class="Z3988">` carrying an OpenURL ContextObject.

    Journal, magazine and newspaper articles use the KEV journal format; books,
    chapters, conference papers and reports the book format; theses the
    dissertation format; everything else (web pages included) Dublin Core.
    Pairs come in a fixed order; empty values are left out.

    Args:
        item: A CSL-JSON item.

    Returns:
        The `<span>`, its `title` attribute percent-encoded and HTML-escaped.
    """
    pairs = [("ctx_ver", "Z39.88-2004"), *_kev_pairs(item)]
    kev = "&".join(f"{key}={quote(value, safe='')}" for key, value in pairs if value)
    return f'<span class="Z3988" title="{html.escape(kev)}"></span>'


# -- Highwire -----------------------------------------------------------------

_HIGHWIRE_CONTAINERS = {"chapter": "citation_inbook_title", "paper-conference": "citation_conference_title",
                        **dict.fromkeys(_JOURNAL_TYPES, "citation_journal_title")}


def highwire_reference(item: dict) -> str:
    """One Highwire `citation_reference` value, for Google Scholar.

    Fields, in this order and only when present: `citation_title`,
    `citation_author` (one per author, "Family, Given"),
    `citation_publication_date` ("YYYY/MM/DD", as Google asks), the container
    (`citation_journal_title`, `citation_inbook_title` or
    `citation_conference_title`), `citation_volume`, `citation_issue`,
    `citation_firstpage`, `citation_lastpage`, `citation_doi`, `citation_public_url`.

    Args:
        item: A CSL-JSON item.

    Returns:
        "citation_title=…; citation_author=…; …" as plain text (escape it for
        the `content="…"` attribute it goes into; newlines are removed).
    """
    first, last = _pages(item)
    pairs = [("citation_title", _get(item, "title")),
             *(("citation_author", _inverted(n)) for n in _names(item)),
             ("citation_publication_date", _date(item.get("issued"), "/")),
             (_HIGHWIRE_CONTAINERS.get(item.get("type", ""), ""), _get(item, "container-title")),
             ("citation_volume", _get(item, "volume")), ("citation_issue", _get(item, "issue")),
             ("citation_firstpage", first), ("citation_lastpage", last),
             ("citation_doi", _get(item, "DOI")), ("citation_public_url", _get(item, "URL"))]
    # "; " separates the fields: a semicolon inside a value would end it early.
    return "; ".join(f"{key}={text.replace(';', ',')}" for key, text in pairs if key and text)


# -- BibTeX -------------------------------------------------------------------

_BIBTEX_ESCAPES = str.maketrans({
    "\\": r"\textbackslash{}", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
})
_UNPAIRED = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_URL_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"})
_BAD_KEY = re.compile(r"[\s,{}()\"'#%=\\~]+")
_CORE = re.compile(r"\w(?:.*\w)?")


def _tex_chars(text: str) -> list[str]:
    r"""Each character of `text` escaped for BibTeX.

    Braces that pair up become `\{`, `\}` (balanced, as BibTeX counts them);
    a lone brace becomes `\textbraceleft{}` or `\textbraceright{}`.
    """
    opened: list[int] = []
    paired: set[int] = set()
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            paired.update((opened.pop(), index))
    return [("\\" + c if i in paired else _UNPAIRED[c]) if c in _UNPAIRED else c.translate(_BIBTEX_ESCAPES)
            for i, c in enumerate(text)]


def _tex(value: Any) -> str:
    """Text for a BibTeX value: LaTeX specials escaped, braces balanced, UTF-8 kept."""
    return "".join(_tex_chars(_text(value)))


def _tex_title(title: str) -> str:
    """An escaped title, braces keeping the case of words that styles would lowercase.

    A word is protected if it has a capital after its first letter ("NATO",
    "iPhone") or starts with a capital anywhere but at the start of the title
    or after a colon (where BibTeX keeps the capital anyway). Only the word
    itself is braced, not the punctuation around it.
    """
    text = _text(title)
    chars = _tex_chars(text)
    out, previous = [], ""
    for word in re.finditer(r"\S+", text):
        core = _CORE.search(word.group())
        start, end = (word.start() + core.start(), word.start() + core.end()) if core else (word.end(), word.end())
        name = text[start:end]
        at_start = not previous or previous.endswith(":")
        escaped = "".join(chars[start:end])
        if any(c.isupper() for c in name[1:]) or (name[:1].isupper() and not at_start):
            # "{\..." would make BibTeX treat the group as one accented letter and lowercase it.
            escaped = f"{{{{{escaped}}}}}" if escaped.startswith("\\") else f"{{{escaped}}}"
        out.append("".join(chars[word.start():start]) + escaped + "".join(chars[end:word.end()]))
        previous = word.group()
    return " ".join(out)


def _tex_part(value: str) -> str:
    """A name part; braced if it holds a comma or the word "and", which would split the name."""
    escaped = _tex(value)
    return f"{{{escaped}}}" if "," in value or re.search(r"\band\b", value, re.IGNORECASE) else escaped


def _tex_names(names: list[dict]) -> str:
    """BibTeX name list: "von Family, Jr, Given and ..."; literal names braced."""
    out = []
    for name in names:
        if literal := _get(name, "literal"):
            out.append(f"{{{_tex(literal)}}}")
            continue
        parts = [_tex_part(_family(name)), _tex_part(_get(name, "given")), _tex_part(_get(name, "suffix"))]
        if parts[2]:
            parts[1:] = [parts[2], parts[1]]
        out.append(", ".join(p for p in parts if p))
    return " and ".join(out)


def _bibtex_type(item: dict) -> str:
    kind = item.get("type", "")
    if kind == "thesis" and "master" in _get(item, "genre").lower():
        return "mastersthesis"
    return _BIBTEX_TYPES.get(kind, "misc")


def _bibtex_fields(item: dict, entry_type: str) -> list[tuple[str, str]]:
    """Ordered (field, BibTeX value) pairs; empty values are dropped later."""
    container = _tex(item.get("container-title"))
    publisher = _tex(item.get("publisher"))
    first, last = _pages(item)
    pages = "--".join(_tex(p) for p in (first, last) if p)
    parts = _date_parts(item.get("issued"))
    container_fields = {
        "article": [("journal", container)],
        "incollection": [("booktitle", container)], "inproceedings": [("booktitle", container)],
        "online": [("organization", container or publisher), ("howpublished", container)],
        "misc": [("howpublished", container)],
    }
    publisher_field = {"techreport": "institution", "phdthesis": "school", "mastersthesis": "school",
                       "online": ""}.get(entry_type, "publisher")
    thesis_type = _tex(item.get("genre")) if entry_type in ("techreport", "phdthesis") else ""
    return [
        ("author", _tex_names(_names(item))), ("editor", _tex_names(_names(item, "editor"))),
        ("title", _tex_title(_get(item, "title"))), *container_fields.get(entry_type, []),
        ("series", _tex(item.get("collection-title"))), ("edition", _tex(item.get("edition"))),
        ("volume", _tex(item.get("volume"))), ("number", _tex(item.get("issue") or item.get("number"))),
        ("pages", pages), (publisher_field, publisher), ("address", _tex(item.get("publisher-place"))),
        ("type", thesis_type),
        ("year", str(parts[0]) if parts else ""), ("month", _MONTHS[parts[1] - 1] if len(parts) > 1 else ""),
        ("day", str(parts[2]) if len(parts) > 2 else ""),
        ("isbn", _tex(item.get("ISBN"))), ("issn", _tex(item.get("ISSN"))),
        ("doi", _get(item, "DOI").translate(_URL_ESCAPES)), ("url", _get(item, "URL").translate(_URL_ESCAPES)),
        ("urldate", _date(item.get("accessed"))),
    ]


def bibtex(item: dict, key: str | None = None) -> str:
    """A BibTeX entry for the item, e.g. for "cite this page".

    Web pages become `@online` (biblatex) with the site in `organization` and,
    for BibTeX styles that treat it as `@misc`, in `howpublished`. Names are
    written "Family, Given and …", the month as a macro (`oct`). Text is
    escaped for LaTeX (`\\%`, `\\&`, `\\#`, `\\$`, `\\_`, braces as
    `\\textbraceleft{}`…), so braces always balance; non-ASCII stays UTF-8.
    URLs and DOIs are written verbatim (biblatex reads them so).

    Args:
        item: A CSL-JSON item.
        key: The citekey; defaults to the item's `id`.

    Returns:
        The entry, ending with a newline.
    """
    entry_type = _bibtex_type(item)
    citekey = _BAD_KEY.sub("", key or str(item.get("id") or "")) or "item"
    fields = [model.Field(name, value, enclosing="no-enclosing" if name == "month" else None)
              for name, value in _bibtex_fields(item, entry_type) if name and value]
    library = bibtexparser.Library([model.Entry(entry_type, citekey, fields)])
    layout = BibtexFormat()
    layout.indent = "  "
    layout.value_column = "auto"
    return bibtexparser.write_string(library, bibtex_format=layout)


# -- RIS ----------------------------------------------------------------------


def ris(item: dict) -> str:
    """The item as RIS: `TY`, `AU`, `ED`, `TI`, `T2`, `PY`, `DA`, `VL`, `IS`, `SP`,
    `EP`, `PB`, `CY`, `SN`, `UR`, `DO`, `Y2` (accessed), `AB`, then `ER`.

    Args:
        item: A CSL-JSON item.

    Returns:
        RIS lines ("TY  - JOUR"), "\\n"-separated, ending with "ER  - " and a
        newline; newlines inside values are collapsed to spaces.
    """
    first, last = _pages(item)
    parts = _date_parts(item.get("issued"))
    lines = [("TY", _RIS_TYPES.get(item.get("type", ""), "GEN")),
             *(("AU", _inverted(n)) for n in _names(item)), *(("ED", _inverted(n)) for n in _names(item, "editor")),
             ("TI", _get(item, "title")), ("T2", _get(item, "container-title")),
             ("PY", str(parts[0]) if parts else ""), ("DA", _date(item.get("issued"), "/")),
             ("VL", _get(item, "volume")), ("IS", _get(item, "issue")), ("SP", first), ("EP", last),
             ("PB", _get(item, "publisher")), ("CY", _get(item, "publisher-place")),
             ("SN", _get(item, "ISBN") or _get(item, "ISSN")), ("UR", _get(item, "URL")),
             ("DO", _get(item, "DOI")), ("Y2", _date(item.get("accessed"), "/")), ("AB", _get(item, "abstract"))]
    return "".join(f"{tag}  - {value}\n" for tag, value in lines if value) + "ER  - \n"


# -- pages of this site ---------------------------------------------------------


def page_item(title: str, url: str, site_name: str, authors: list[dict], date: str, key: str) -> dict:
    """The CSL-JSON item of a page of this site (type `webpage`).

    Args:
        title: Page title.
        url: Canonical URL ("" if unknown).
        site_name: The site's name, the item's `container-title`.
        authors: CSL names (`{"family", "given"}` or `{"literal"}`).
        date: Last-changed date, "YYYY-MM-DD" (or "YYYY-MM", "YYYY"); "" if undated.
        key: The item's `id` (also the BibTeX citekey).

    Returns:
        The item; variables without a value are left out.

    Raises:
        ValueError: If `date` is neither empty nor an ISO date.
    """
    item: dict[str, Any] = {"id": key, "type": "webpage", "title": title}
    if names := [dict(a) for a in authors]:
        item["author"] = names
    if site_name:
        item["container-title"] = site_name
    if date:
        match = _PAGE_DATE.match(date.strip())
        parts = [int(p) for p in match.groups() if p] if match else []
        try:
            datetime.date(*parts, *[1] * (3 - len(parts))) if parts else datetime.date.fromisoformat(date)
        except ValueError:
            raise ValueError(f"page date {date!r} is not a YYYY-MM-DD date") from None
        item["issued"] = {"date-parts": [parts]}
    if url:
        item["URL"] = url
    return item
