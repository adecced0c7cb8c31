"""Where the site's pages live in the docs tree, and the ids kept free for them.

A note's page is [`Index.page`][build_scripts.notes.link.Index.page]; a
source's is [`source_page`][build_scripts.notes.site_pages.source_page]; the
pages the generator writes that a note can link to by name are
[`SitePage`][build_scripts.notes.site_pages.SitePage].
"""

from __future__ import annotations

import enum
import functools
import hashlib
import re

from build_scripts.slugs import slug

__all__ = ["MAX_SLUG", "RESERVED_IDS", "RESERVED_NOTE_IDS", "SitePage", "source_page"]


class SitePage(enum.StrEnum):
    """A page the generator writes that a note can link to by name: `[[inconsistencies]]`, `[[bibliography]]`."""

    INCONSISTENCIES = "inconsistencies"
    BIBLIOGRAPHY = "bibliography"

    @property
    def path(self) -> str:
        """The page's path in the docs tree (`inconsistencies.md`)."""
        return f"{self.value}.md"

    @property
    def heading(self) -> str:
        """The page's title, the text of a link to it ("Inconsistencies")."""
        return self.value.capitalize()


RESERVED_IDS = {
    "index",
    *(page.value for page in SitePage),
    "sources",
    "notes",
    "reference",
    "authoring",
    "claims",
    "charts",
    "assets",
    "stylesheets",
    "javascripts",
    "search",
    "404",
}
RESERVED_NOTE_IDS = {"index"}


MAX_SLUG = 80
"""Longest source slug; a longer citekey is cut and given a hash, so file names stay short."""


@functools.cache  # every page links sources, many times each: slugging them once is enough
def source_page(key: str) -> str:
    """Path of a source's page in the docs tree (`sources/<slug>.md`), always inside `sources/`.

    The slug ([`slug`][build_scripts.slugs.slug]) keeps lower-case ASCII
    letters, digits, `.`, `_` and `-`; anything else (`/`, `..` as a whole,
    spaces) becomes `-`, so a citekey such as `../../evil` cannot name a path
    outside `sources/`.
    """
    name = re.sub(r"\.{2,}", ".", slug(key, keep="._")) or "source"
    if len(name) > MAX_SLUG:
        name = name[: MAX_SLUG - 9].rstrip("-.") + "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"sources/{name}.md"
