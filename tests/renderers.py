"""What differs between the sites of the two renderers: one row per renderer, for tests that take it as a parameter.

Everything else (pages, footnotes, callouts, charts, metadata values) is
asserted the same way for both.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Renderer:
    """A renderer's name for `--renderer`, and where its site differs from the other's."""

    name: str
    search_index: str  # the search index, relative to the site folder
    search_entries: str  # the key of the index's list of entries (each has `location`, `title`, `text`)
    sitemap_lastmod: bool  # whether the sitemap dates each page (MkDocs: from SOURCE_DATE_EPOCH, the last commit)
    home_title: str  # the home page's <title> when it is at the nav's top level ({site}: site_name); in a section
    # of the nav, both renderers write "Home - {site}"
    slash_in_meta: str  # how `/` is written in a meta tag's content attribute (both mean "/")
    build: tuple[str, ...]  # its own build command, run as `python -m ...` on a config file given with -f


MKDOCS = Renderer("mkdocs", "search/search_index.json", "docs", True, "{site}", "/", ("mkdocs", "build"))
ZENSICAL = Renderer("zensical", "search.json", "items", False, "Home - {site}", "&#x2f;", ("zensical", "build"))

needs_zensical = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None,
    reason="Zensical is not installed (make test installs it: pip install -r requirements-zensical.lock)",
)

RENDERERS = [pytest.param(MKDOCS, id="mkdocs"), pytest.param(ZENSICAL, id="zensical", marks=needs_zensical)]
