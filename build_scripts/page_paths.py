"""Where each generated page lives in the docs tree: the one place that names the site's page paths.

```python
source_page("baev2021")    # → "sources/baev2021.md"
note_page(note)            # → "index.md" (home), "military.md" (topic), "notes/overview.md" (note)
INCONSISTENCIES_PAGE       # → "inconsistencies.md"
```

Paths are relative to the docs tree, with `/` between folders and a `.md`
suffix, as MkDocs names pages; a page's URL is made from its path
([`page_url`][build_scripts.render.trail.page_url]).
"""

from __future__ import annotations

import enum
import functools
import hashlib
import re

from build_scripts.model import Note, NoteKind
from build_scripts.slugs import slug

__all__ = [
    "ASSETS_DIR",
    "BIBLIOGRAPHY_PAGE",
    "CLAIMS_FILE",
    "GENERATED_NAMES",
    "HOME_PAGE",
    "INCONSISTENCIES_PAGE",
    "MAX_SLUG",
    "NOTES_DIR",
    "NOTES_INDEX_PAGE",
    "SOURCES_DIR",
    "SitePage",
    "note_page",
    "source_page",
    "source_slug",
]

HOME_PAGE = "index.md"
"""The home page (the home note's page, titled by the site)."""
INCONSISTENCIES_PAGE = "inconsistencies.md"
"""The index of every disagreement (and where a disagreement no other page shows is set out)."""
BIBLIOGRAPHY_PAGE = "bibliography.md"
"""Every source, in reference-list order."""
NOTES_DIR = "notes/"
"""The folder of the notes' pages (topics and the home note have theirs at the top)."""
NOTES_INDEX_PAGE = NOTES_DIR + "index.md"
"""The list of all notes."""
SOURCES_DIR = "sources/"
"""The folder of the sources' pages."""
CLAIMS_FILE = "claims.json"
"""Every fact, claim and disagreement as data, for reuse by others."""
ASSETS_DIR = "assets/research/"
"""The stylesheet and script the generated pages need."""

GENERATED_NAMES = frozenset(
    path.split("/")[0].split(".")[0]
    for path in (HOME_PAGE, INCONSISTENCIES_PAGE, BIBLIOGRAPHY_PAGE, NOTES_DIR, SOURCES_DIR, CLAIMS_FILE, ASSETS_DIR)
)
"""The names the generated pages and files take at the top of the docs tree (`index`, `sources`, `claims`...)."""


class SitePage(enum.StrEnum):
    """A generated page a note can link to by name: `[[inconsistencies]]`, `[[bibliography]]`."""

    INCONSISTENCIES = "inconsistencies"
    BIBLIOGRAPHY = "bibliography"

    @property
    def path(self) -> str:
        """The page's path in the docs tree (`inconsistencies.md`)."""
        return {SitePage.INCONSISTENCIES: INCONSISTENCIES_PAGE, SitePage.BIBLIOGRAPHY: BIBLIOGRAPHY_PAGE}[self]

    @property
    def heading(self) -> str:
        """The page's title, the text of a link to it ("Inconsistencies")."""
        return self.value.capitalize()


MAX_SLUG = 80
"""Longest source slug; a longer citekey is cut and given a hash, so file names stay short."""


def note_page(note: Note) -> str:
    """Path of a note's page: the home page, a topic's page at the top, any other note's under `notes/`."""
    if note.kind is NoteKind.HOME:
        return HOME_PAGE
    return f"{note.id}.md" if note.kind is NoteKind.TOPIC else f"{NOTES_DIR}{note.id}.md"


@functools.cache  # every page links sources, many times each: slugging them once is enough
def source_slug(key: str) -> str:
    """The name a source goes by in addresses: its page's file name and its References anchor.

    The slug ([`slug`][build_scripts.slugs.slug]) keeps lower-case ASCII
    letters, digits, `.`, `_` and `-`; anything else (`/`, `..` as a whole,
    spaces) becomes `-`, so a citekey such as `../../evil` cannot name a path
    outside `sources/`.
    """
    name = re.sub(r"\.{2,}", ".", slug(key, keep="._")) or "source"
    if len(name) > MAX_SLUG:
        name = name[: MAX_SLUG - 9].rstrip("-.") + "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return name


def source_page(key: str) -> str:
    """Path of a source's page in the docs tree (`sources/<slug>.md`), always inside `sources/`."""
    return f"{SOURCES_DIR}{source_slug(key)}.md"
