"""Citation metadata for reference managers and search engines, from CSL-JSON items.

Pure functions over the CSL-JSON items [`to_csl`][build_scripts.citations.csl_json.to_csl]
builds (text already decoded to Unicode):

- [`coins`][build_scripts.citations.metadata.coins]: a COinS `<span>` (OpenURL KEV) for Zotero;
- [`highwire_reference`][build_scripts.citations.metadata.highwire_reference]: one Highwire
  `citation_reference` value for Google Scholar;
- [`page_item`][build_scripts.citations.metadata.page_item]: the CSL item of a page of this site.

COinS come escaped for HTML; a Highwire value is plain text, for its `<meta>`
tag to escape. The "cite this page" exports, BibTeX and RIS, are made by
[`bibtex_ris`][build_scripts.citations.bibtex_ris] from the same items.
"""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import quote

from build_scripts.citations.csl_values import (
    CslItem,
    CslName,
    creators,
    date_text,
    family_name,
    inverted,
    page_range,
    text_of,
)

__all__ = ["coins", "highwire_reference", "page_item"]

_JOURNAL_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper"})
_BOOK_GENRES = {"book": "book", "chapter": "bookitem", "paper-conference": "bookitem", "report": "report"}
#: Zotero item types for `rft.type` in Dublin Core ContextObjects (Zotero sets the item type from it).
_ZOTERO_TYPES = {
    "webpage": "webpage",
    "post-weblog": "blogPost",
    "post": "forumPost",
    "dataset": "dataset",
    "software": "computerProgram",
    "manuscript": "manuscript",
}
_PAGE_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# -- COinS --------------------------------------------------------------------


def _authors_kev(item: CslItem, creator_key: str | None = None) -> list[tuple[str, str]]:
    """First author as rft.aulast/aufirst (rft.aucorp if literal), then rft.au per author.

    With `creator_key` (Dublin Core): one `creator_key` pair per author instead.
    """
    names = creators(item)
    if creator_key:
        return [(creator_key, inverted(n)) for n in names]
    pairs: list[tuple[str, str]] = []
    if names and (literal := text_of(names[0], "literal")):
        pairs.append(("rft.aucorp", literal))
        names = names[1:]
    elif names:
        pairs += [("rft.aulast", family_name(names[0])), ("rft.aufirst", text_of(names[0], "given"))]
    return pairs + [("rft.au", inverted(n)) for n in names]


def _kev_pairs(item: CslItem) -> list[tuple[str, str]]:
    """The ContextObject as ordered (key, value) pairs, empty values included."""
    kind = item.get("type", "")
    first, last = page_range(item)
    ids = [
        ("rft_id", f"info:doi/{text_of(item, 'DOI')}" if text_of(item, "DOI") else ""),
        ("rft_id", f"urn:isbn:{text_of(item, 'ISBN')}" if text_of(item, "ISBN") else ""),
        ("rft_id", text_of(item, "URL")),
    ]
    date = ("rft.date", date_text(item.get("issued")))
    if kind in _JOURNAL_TYPES:
        return [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
            *ids,
            ("rft.genre", "article"),
            ("rft.atitle", text_of(item, "title")),
            ("rft.jtitle", text_of(item, "container-title")),
            ("rft.stitle", text_of(item, "container-title-short")),
            *_authors_kev(item),
            date,
            ("rft.volume", text_of(item, "volume")),
            ("rft.issue", text_of(item, "issue")),
            ("rft.spage", first),
            ("rft.epage", last),
            ("rft.issn", text_of(item, "ISSN")),
        ]
    if kind == "thesis":  # Zotero reads the book format as a book; this one as a thesis
        return [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dissertation"),
            *ids,
            ("rft.title", text_of(item, "title")),
            *_authors_kev(item),
            date,
            ("rft.inst", text_of(item, "publisher")),
            ("rft.degree", text_of(item, "genre")),
        ]
    if kind in _BOOK_GENRES:
        part = kind in ("chapter", "paper-conference")
        return [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
            *ids,
            ("rft.genre", _BOOK_GENRES[kind]),
            ("rft.atitle", text_of(item, "title") if part else ""),
            ("rft.btitle", text_of(item, "container-title" if part else "title")),
            *_authors_kev(item),
            date,
            ("rft.pub", text_of(item, "publisher")),
            ("rft.place", text_of(item, "publisher-place")),
            ("rft.edition", text_of(item, "edition")),
            ("rft.series", text_of(item, "collection-title")),
            ("rft.spage", first),
            ("rft.epage", last),
            ("rft.isbn", text_of(item, "ISBN")),
        ]
    return [
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        *ids,
        ("rft.title", text_of(item, "title")),
        *_authors_kev(item, "rft.creator"),
        date,
        ("rft.type", _ZOTERO_TYPES.get(kind, "document")),
        ("rft.publisher", text_of(item, "publisher")),
        ("rft.source", text_of(item, "container-title")),
        ("rft.identifier", text_of(item, "URL")),
    ]


def coins(item: CslItem) -> str:
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

_HIGHWIRE_CONTAINERS = {
    "chapter": "citation_inbook_title",
    "paper-conference": "citation_conference_title",
    **dict.fromkeys(_JOURNAL_TYPES, "citation_journal_title"),
}


def highwire_reference(item: CslItem) -> str:
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
    first, last = page_range(item)
    pairs = [
        ("citation_title", text_of(item, "title")),
        *(("citation_author", inverted(n)) for n in creators(item)),
        ("citation_publication_date", date_text(item.get("issued"), "/")),
        (_HIGHWIRE_CONTAINERS.get(item.get("type", ""), ""), text_of(item, "container-title")),
        ("citation_volume", text_of(item, "volume")),
        ("citation_issue", text_of(item, "issue")),
        ("citation_firstpage", first),
        ("citation_lastpage", last),
        ("citation_doi", text_of(item, "DOI")),
        ("citation_public_url", text_of(item, "URL")),
    ]
    # "; " separates the fields: a semicolon inside a value would end it early.
    return "; ".join(f"{key}={text.replace(';', ',')}" for key, text in pairs if key and text)


# -- pages of this site ---------------------------------------------------------


def page_item(title: str, url: str, site_name: str, authors: list[CslName], date: str, key: str) -> CslItem:
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
    item: CslItem = {"id": key, "type": "webpage", "title": title}
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
