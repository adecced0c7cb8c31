"""BibTeX and RIS entries from CSL-JSON items: the "cite this page" exports.

[`bibtex`][build_scripts.citations.bibtex_ris.bibtex] writes a BibTeX (biblatex) entry,
[`ris`][build_scripts.citations.bibtex_ris.ris] an RIS record, from the CSL-JSON items
[`to_csl`][build_scripts.citations.csl_json.to_csl] and
[`page_item`][build_scripts.citations.metadata.page_item] build (text already decoded to
Unicode). Every value is escaped for where it goes: BibTeX values, RIS lines.
"""

from __future__ import annotations

import re
from typing import Any

import bibtexparser
from bibtexparser import model
from bibtexparser.writer import BibtexFormat

from build_scripts.citations.csl_values import (
    CslItem,
    CslName,
    creators,
    date_parts,
    date_text,
    family_name,
    inverted,
    one_line,
    page_range,
    text_of,
)
from build_scripts.months import ABBREVIATIONS

__all__ = ["bibtex", "ris"]

_RIS_TYPES = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CPAPER",
    "report": "RPRT",
    "thesis": "THES",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "software": "COMP",
}
_BIBTEX_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",
    "webpage": "online",
    "post-weblog": "online",
    "post": "online",
}


# -- BibTeX -------------------------------------------------------------------

_BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
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
    return [
        ("\\" + c if i in paired else _UNPAIRED[c]) if c in _UNPAIRED else c.translate(_BIBTEX_ESCAPES)
        for i, c in enumerate(text)
    ]


def _tex(value: Any) -> str:
    """Text for a BibTeX value: LaTeX specials escaped, braces balanced, UTF-8 kept."""
    return "".join(_tex_chars(one_line(value)))


def _tex_title(title: str) -> str:
    """An escaped title, braces keeping the case of words that styles would lowercase.

    A word is protected if it has a capital after its first letter ("NATO",
    "iPhone") or starts with a capital anywhere but at the start of the title
    or after a colon (where BibTeX keeps the capital anyway). Only the word
    itself is braced, not the punctuation around it.
    """
    text = one_line(title)
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
        out.append("".join(chars[word.start() : start]) + escaped + "".join(chars[end : word.end()]))
        previous = word.group()
    return " ".join(out)


def _tex_part(value: str) -> str:
    """A name part; braced if it holds a comma or the word "and", which would split the name."""
    escaped = _tex(value)
    return f"{{{escaped}}}" if "," in value or re.search(r"\band\b", value, re.IGNORECASE) else escaped


def _tex_names(names: list[CslName]) -> str:
    """BibTeX name list: "von Family, Jr, Given and ..."; literal names braced."""
    out = []
    for name in names:
        if literal := text_of(name, "literal"):
            out.append(f"{{{_tex(literal)}}}")
            continue
        parts = [_tex_part(family_name(name)), _tex_part(text_of(name, "given")), _tex_part(text_of(name, "suffix"))]
        if parts[2]:
            parts[1:] = [parts[2], parts[1]]
        out.append(", ".join(p for p in parts if p))
    return " and ".join(out)


def _bibtex_type(item: CslItem) -> str:
    kind = item.get("type", "")
    if kind == "thesis" and "master" in text_of(item, "genre").lower():
        return "mastersthesis"
    return _BIBTEX_TYPES.get(kind, "misc")


def _bibtex_fields(item: CslItem, entry_type: str) -> list[tuple[str, str]]:
    """Ordered (field, BibTeX value) pairs; empty values are dropped later."""
    container = _tex(item.get("container-title"))
    publisher = _tex(item.get("publisher"))
    first, last = page_range(item)
    pages = "--".join(_tex(p) for p in (first, last) if p)
    parts = date_parts(item.get("issued"))
    container_fields = {
        "article": [("journal", container)],
        "incollection": [("booktitle", container)],
        "inproceedings": [("booktitle", container)],
        "online": [("organization", container or publisher), ("howpublished", container)],
        "misc": [("howpublished", container)],
    }
    publisher_field = {"techreport": "institution", "phdthesis": "school", "mastersthesis": "school", "online": ""}.get(
        entry_type, "publisher"
    )
    thesis_type = _tex(item.get("genre")) if entry_type in ("techreport", "phdthesis") else ""
    return [
        ("author", _tex_names(creators(item))),
        ("editor", _tex_names(creators(item, "editor"))),
        ("title", _tex_title(text_of(item, "title"))),
        *container_fields.get(entry_type, []),
        ("series", _tex(item.get("collection-title"))),
        ("edition", _tex(item.get("edition"))),
        ("volume", _tex(item.get("volume"))),
        ("number", _tex(item.get("issue") or item.get("number"))),
        ("pages", pages),
        (publisher_field, publisher),
        ("address", _tex(item.get("publisher-place"))),
        ("type", thesis_type),
        ("year", str(parts[0]) if parts else ""),
        ("month", ABBREVIATIONS[parts[1] - 1] if len(parts) > 1 else ""),
        ("day", str(parts[2]) if len(parts) > 2 else ""),
        ("isbn", _tex(item.get("ISBN"))),
        ("issn", _tex(item.get("ISSN"))),
        ("doi", text_of(item, "DOI").translate(_URL_ESCAPES)),
        ("url", text_of(item, "URL").translate(_URL_ESCAPES)),
        ("urldate", date_text(item.get("accessed"))),
    ]


def bibtex(item: CslItem, key: str | None = None) -> str:
    r"""A BibTeX entry for the item, e.g. for "cite this page".

    Web pages become `@online` (biblatex) with the site in `organization` and,
    for BibTeX styles that treat it as `@misc`, in `howpublished`. Names are
    written "Family, Given and …", the month as a macro (`oct`). Text is
    escaped for LaTeX (`\%`, `\&`, `\#`, `\$`, `\_`, braces as
    `\textbraceleft{}`…), so braces always balance; non-ASCII stays UTF-8.
    URLs and DOIs are written verbatim (biblatex reads them so).

    Args:
        item: A CSL-JSON item.
        key: The citekey; defaults to the item's `id`.

    Returns:
        The entry, ending with a newline.
    """
    entry_type = _bibtex_type(item)
    citekey = _BAD_KEY.sub("", key or str(item.get("id") or "")) or "item"
    fields = [
        model.Field(name, value, enclosing="no-enclosing" if name == "month" else None)
        for name, value in _bibtex_fields(item, entry_type)
        if name and value
    ]
    library = bibtexparser.Library([model.Entry(entry_type, citekey, fields)])
    layout = BibtexFormat()
    layout.indent = "  "
    layout.value_column = "auto"
    return bibtexparser.write_string(library, bibtex_format=layout)


# -- RIS ----------------------------------------------------------------------


def ris(item: CslItem) -> str:
    r"""The item as RIS.

    Tags: `TY`, `AU`, `ED`, `TI`, `T2`, `PY`, `DA`, `VL`, `IS`, `SP`,
    `EP`, `PB`, `CY`, `SN`, `UR`, `DO`, `Y2` (accessed), `AB`, then `ER`.

    Args:
        item: A CSL-JSON item.

    Returns:
        RIS lines ("TY  - JOUR"), "\n"-separated, ending with "ER  - " and a
        newline; newlines inside values are collapsed to spaces.
    """
    first, last = page_range(item)
    parts = date_parts(item.get("issued"))
    lines = [
        ("TY", _RIS_TYPES.get(item.get("type", ""), "GEN")),
        *(("AU", inverted(n)) for n in creators(item)),
        *(("ED", inverted(n)) for n in creators(item, "editor")),
        ("TI", text_of(item, "title")),
        ("T2", text_of(item, "container-title")),
        ("PY", str(parts[0]) if parts else ""),
        ("DA", date_text(item.get("issued"), "/")),
        ("VL", text_of(item, "volume")),
        ("IS", text_of(item, "issue")),
        ("SP", first),
        ("EP", last),
        ("PB", text_of(item, "publisher")),
        ("CY", text_of(item, "publisher-place")),
        ("SN", text_of(item, "ISBN") or text_of(item, "ISSN")),
        ("UR", text_of(item, "URL")),
        ("DO", text_of(item, "DOI")),
        ("Y2", date_text(item.get("accessed"), "/")),
        ("AB", text_of(item, "abstract")),
    ]
    return "".join(f"{tag}  - {value}\n" for tag, value in lines if value) + "ER  - \n"
