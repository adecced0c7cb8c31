"""Text from notes and BibTeX made safe for a page: escaped for Markdown, HTML attributes and titles.

Every value an author or a library wrote passes through one of these before
it reaches a page, so that it reads as text and never as markup.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "attr",
    "indent",
    "inner_quotes",
    "md_code",
    "md_html",
    "md_text",
    "nav_title",
    "page_title",
    "short_title",
    "title_text",
]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#{}])")
_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]\s*")
_TAG_OR_ENTITY = re.compile(r"(<[^<>]*>|&#?\w+;)")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ATTR_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "{}[]()*_`\\|"})
_STRAIGHT_QUOTED = re.compile(r'"([^"]*)"')


def inner_quotes(text: str) -> str:
    """A quotation's own quotation marks as single marks, as a quotation inside the `<q>`'s double marks reads."""
    return _STRAIGHT_QUOTED.sub("‘\\1’", text).translate({ord("“"): "‘", ord("”"): "’"})


def md_text(text: str) -> str:
    """Escape text from notes or BibTeX for inline Markdown.

    HTML is escaped (`<` → `&lt;`), Markdown syntax is backslash-escaped
    (including `{` and `}`, so that no attribute list can form), and line
    breaks become spaces, so that a value cannot start a new block.
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(_LINE_BREAKS.sub(" ", text), quote=False))


def md_html(markup: str) -> str:
    """Escape Markdown syntax in the text of inline HTML (a formatted reference), leaving tags and entities.

    citeproc's HTML escapes `<` and `&` in the data but not `[`, `*` or `{`,
    which Python-Markdown would read as links, emphasis or attribute lists.
    """
    parts = _TAG_OR_ENTITY.split(_LINE_BREAKS.sub(" ", markup))
    return "".join(part if i % 2 else _MD_SPECIAL.sub(r"\\\1", part) for i, part in enumerate(parts))


def indent(text: str) -> str:
    """Markdown indented one level (four spaces), as the body of an admonition or a collapsible block."""
    return "\n".join(f"    {line}" if line else "" for line in text.split("\n"))


def md_code(text: str) -> str:
    """Text shown as code, safe whatever backticks it holds."""
    return f"<code>{md_text(text)}</code>"


def attr(text: str) -> str:
    """Escape text for a double-quoted HTML attribute, attribute-list value or link title.

    Besides `&<>"'`, the characters Python-Markdown would read as syntax if the
    attribute list failed to parse (`{}[]()*_` and backticks) are written as
    character references, which it keeps as they are.
    """
    return html.escape(_LINE_BREAKS.sub(" ", text), quote=True).translate(_ATTR_SPECIAL)


def page_title(text: str) -> str:
    """A page title for a `#` heading (where MkDocs takes the page's title from).

    As `md_text`; and a word joiner (U+2060, invisible) follows each `<` that
    could start a tag: the theme writes the title into `<title>` with its
    entities decoded, where `</title><script>` would otherwise be markup.
    """
    return md_text(_defuse_tags(text))


def short_title(title: str) -> str:
    """A title without its subtitle, for navigation and tables ("Overview: the wider order" → "Overview")."""
    return title.split(": ")[0]


def nav_title(text: str) -> str:
    """A title for the site navigation, which the theme writes as HTML: escaped, tags defused as in `page_title`."""
    return html.escape(_LINE_BREAKS.sub(" ", _defuse_tags(text)), quote=False)


def _defuse_tags(text: str) -> str:
    return _TAG_START.sub("<\u2060", text)


def title_text(text: str) -> str:
    """Escape text for the double-quoted title of an admonition or content tab.

    Python-Markdown reads the title as Markdown and HTML, and keeps entities as
    they are: so the text is escaped as for running text, and `"` as `&quot;`.
    """
    return md_text(text).replace('"', "&quot;")
