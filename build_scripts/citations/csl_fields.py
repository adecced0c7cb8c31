"""Where each biblatex/BibTeX entry type and field goes in CSL-JSON.

These are the tables [`to_csl`][build_scripts.citations.csl_json.to_csl] reads (set out for authors in
docs/authoring.md).
"""

from __future__ import annotations

__all__ = [
    "ENTRY_TYPES",
    "GENRES",
    "LANGUAGES",
    "ORDINALS",
    "PLAIN_FIELDS",
    "RICH_FIELDS",
    "STATUS",
    "TYPES",
    "csl_language",
]

TYPES = {
    "article": "article-journal",
    "book": "book", "mvbook": "book", "collection": "book", "mvcollection": "book", "proceedings": "book",
    "mvproceedings": "book", "reference": "book", "mvreference": "book", "manual": "book",
    "booklet": "pamphlet",
    "incollection": "chapter", "inbook": "chapter", "bookinbook": "chapter", "suppbook": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "online": "webpage", "electronic": "webpage", "www": "webpage",
    "report": "report", "techreport": "report",
    "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis",
    "patent": "patent",
    "periodical": "periodical", "suppperiodical": "periodical",
    "unpublished": "manuscript",
    "software": "software", "dataset": "dataset", "standard": "standard", "review": "review",
    "letter": "personal_communication", "movie": "motion_picture", "video": "motion_picture",
    "audio": "song", "music": "song", "artwork": "graphic", "image": "graphic", "performance": "performance",
    "legislation": "legislation", "jurisdiction": "legal_case", "map": "map", "interview": "interview",
}  # fmt: skip
"""biblatex entry type → CSL type; any other type (`misc`) is a `document` (a `webpage` if it has a URL)."""

ENTRY_TYPES = frozenset(TYPES)
"""Entry types with a CSL type of their own; any other is a `document` (a `misc` with a URL a `webpage`)."""
ARTICLE_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
"""An `@article`'s `entrysubtype` → CSL type."""

GENRES = {
    "phdthesis": "PhD diss.", "mastersthesis": "Master’s thesis", "mathesis": "Master’s thesis",
    "candthesis": "Candidate thesis", "techreport": "Technical report", "resreport": "Research report",
    "software": "Computer software", "audiocd": "Audio CD", "datacd": "Data CD",
    "patent": "Patent", "patentde": "German patent", "patenteu": "European patent", "patentfr": "French patent",
    "patentuk": "British patent", "patentus": "U.S. patent", "patreq": "Patent request",
    "patreqde": "German patent request", "patreqeu": "European patent request",
}  # fmt: skip
"""The entry types and biblatex `type` keys that stand for a genre, as the genre reads."""

STATUS = {"inpreparation": "in preparation", "submitted": "submitted", "forthcoming": "forthcoming"}
STATUS |= {"inpress": "in press", "prepublished": "prepublished"}
"""biblatex `pubstate` keys → CSL `status`."""

RICH_FIELDS = {
    "title-short": ("shorttitle",),
    "container-title-short": ("shortjournal",),
    "collection-title": ("series",),
    "edition": ("edition",),
    "chapter-number": ("chapter",),
    "number-of-pages": ("pagetotal",),
    "number-of-volumes": ("volumes",),
    "version": ("version",),
    "publisher-place": ("address", "location"),
    "event-title": ("eventtitle",),
    "event-place": ("venue",),
    "original-title": ("origtitle",),
    "ISBN": ("isbn",),
    "ISSN": ("issn",),
    "volume": ("volume",),
}
"""CSL variable → the BibTeX fields it is read from, first one set wins (CSL rich text, LaTeX decoded)."""

PLAIN_FIELDS = {"abstract": "abstract", "note": "note"}
"""CSL variable → the BibTeX field of prose shown as it is (LaTeX decoded, no rich text): not a style's to format."""

ORDINALS = {
    w: str(i)
    for i, w in enumerate(
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"], 1
    )
}
"""An `edition` written as a word ("Second") → its number, which a style writes its own way ("2nd ed.")."""

LANGUAGES = {
    "english": "en", "american": "en-US", "usenglish": "en-US", "british": "en-GB", "ukenglish": "en-GB",
    "australian": "en-AU", "canadian": "en-CA", "newzealand": "en-NZ",
    "german": "de", "ngerman": "de-DE", "austrian": "de-AT", "naustrian": "de-AT", "swissgerman": "de-CH",
    "nswissgerman": "de-CH", "french": "fr", "francais": "fr", "acadian": "fr-CA", "canadien": "fr-CA",
    "spanish": "es", "italian": "it", "portuguese": "pt", "portuges": "pt", "brazil": "pt-BR",
    "brazilian": "pt-BR", "dutch": "nl", "swedish": "sv", "norsk": "nb", "norwegian": "nb", "nynorsk": "nn",
    "danish": "da", "finnish": "fi", "russian": "ru", "ukrainian": "uk", "polish": "pl", "czech": "cs",
    "slovak": "sk", "slovene": "sl", "slovenian": "sl", "croatian": "hr", "serbian": "sr", "hungarian": "hu",
    "magyar": "hu", "greek": "el", "latin": "la", "turkish": "tr", "catalan": "ca", "romanian": "ro",
    "bulgarian": "bg", "estonian": "et", "latvian": "lv", "lithuanian": "lt", "icelandic": "is", "irish": "ga",
    "welsh": "cy", "hebrew": "he", "arabic": "ar", "chinese": "zh", "japanese": "ja", "korean": "ko",
    "basque": "eu", "galician": "gl", "afrikaans": "af", "indonesian": "id", "vietnamese": "vi",
}  # fmt: skip
"""babel/polyglossia language names (biblatex `langid`, `language`) → BCP 47 tags."""


def csl_language(value: str) -> str:
    """A CSL `language` (BCP 47) from a biblatex `langid` or `language` ("ngerman" → "de-DE"); "" if unknown.

    A `language` list ("english and german") gives its first language; a value
    that already is a tag ("fr", "en-GB") is kept.
    """
    first = value.split(" and ")[0].strip()
    name = first.lower().replace(" ", "")
    if name in LANGUAGES:
        return LANGUAGES[name]
    parts = first.replace("_", "-").split("-")
    if 2 <= len(parts[0]) <= 3 and parts[0].isalpha() and all(p.isalnum() and len(p) <= 8 for p in parts[1:]):
        return "-".join([parts[0].lower(), *parts[1:]])
    return ""
