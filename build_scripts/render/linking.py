"""Links between pages, and links that follow a rule of their own.

Those are a locator's place on its source's page, a source's entry in a page's References, and
addresses in references.

A locator naming paragraphs ("para. 12", "paras. 53–54") leads to the block
of its (first) paragraph on the source's page, `sources/KEY.md#para-12`
([`locator_anchor`][build_scripts.render.linking.locator_anchor]); the
page's "Passages this site draws on" gives each block the same anchor
([`paragraph_anchor`][build_scripts.render.linking.paragraph_anchor]).
"""

from __future__ import annotations

import re

from build_scripts.check.verify import paragraphs_named
from build_scripts.page_paths import source_slug

__all__ = ["link_urls", "locator_anchor", "paragraph_anchor", "reference_anchor", "rel"]

_TAG = re.compile(r"(<[^<>]*>)")
_URL = re.compile(r"https?://[^\s<>\"']+")
_URL_TRAILING = ".,;:!?"


def rel(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link from one docs page to another (and an optional anchor)."""
    if from_page == to_page and anchor:
        return f"#{anchor}"
    here, there = from_page.split("/")[:-1], to_page.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    path = "/".join([".."] * (len(here) - common) + there[common:])
    return f"{path}#{anchor}" if anchor else path


def reference_anchor(key: str) -> str:
    """Anchor of a source's entry in a page's References list (`ref-baev2021`), named as its page is."""
    return "ref-" + source_slug(key)


def paragraph_anchor(number: int) -> str:
    """Anchor of a paragraph's block on its source's page (`para-12`)."""
    return f"para-{number}"


def locator_anchor(locator: str) -> str:
    """The anchor a locator leads to on its source's page: its (first) paragraph's, or "" if it names none."""
    named = paragraphs_named(locator)
    return paragraph_anchor(min(named)) if named else ""


def link_urls(markup: str) -> str:
    """Inline HTML (a formatted reference, its text escaped) with each http(s) address in its text made a link.

    Only text between tags is searched (none inside a link already), and an
    address stops at whitespace, `<`, `>` and quotes, so that the `href`
    cannot leave its attribute; punctuation ending a sentence, and a closing
    bracket the address did not open, stay outside the link.
    """
    out, in_link = [], False
    for i, part in enumerate(_TAG.split(markup)):
        if i % 2:
            in_link = part.startswith("<a ") or (in_link and part != "</a>")
            out.append(part)
        else:
            out.append(part if in_link else _URL.sub(_link, part))
    return "".join(out)


def _link(match: re.Match[str]) -> str:
    url, rest = match.group(0), ""
    while url and (url[-1] in _URL_TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url, rest = url[:-1], url[-1] + rest
    return f'<a href="{url}">{url}</a>{rest}'
