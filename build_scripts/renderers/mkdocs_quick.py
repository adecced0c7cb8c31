"""Live preview's quick rebuild: the changed generated pages alone, when nothing around them changed.

A save in live preview usually changes one note: its page, and the few pages
that draw on it. The full build ([`SiteBuilder`][build_scripts.renderers.mkdocs_builder.SiteBuilder])
still takes every page of the site through every MkDocs event, reusing
conversions and files: about a second at N=500. When the site around the
changed pages is as the previous build of the session left it, a
[`Warm`][build_scripts.renderers.mkdocs_quick.Warm] site converts and templates
the changed pages alone, with the previous build's config, files, navigation
and templates, then checks the links to anchors across the site and writes the
search index again; the pages come out as a full build writes them.

"Around" ([`around`][build_scripts.renderers.mkdocs_quick.around]) is
everything else a page is made of: the generated pages and their titles (the
navigation), the generated files, `mkdocs.yml`, the sitemap's date, the
hand-written pages and the theme's own files (and the site's address, which
the [`WarmSite`][build_scripts.renderers.mkdocs_adapter.WarmSite] compares). Only
plugins whose events look at one page at a time (the search plugin and this
tool's) allow the quick way: autorefs, for one, resolves links across all
pages at once. Anything else goes the full way.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from build_scripts.cache import digest
from build_scripts.model import BuildResult
from build_scripts.paths import stamps
from build_scripts.renderers.mkdocs_plugin import NAME

__all__ = ["QUICK_PLUGINS", "Warm", "around"]

QUICK_PLUGINS = frozenset({"search", "material/search", NAME})
"""The plugins whose events look at one page at a time: a site with others is always rebuilt the full way."""

_READS_FILES = ("pymdownx.snippets",)
"""Markdown extensions with which a hand-written page may show another file (a note, say): full way only."""


@dataclass(slots=True)
class Warm:
    """What a full build in place leaves for quick rebuilds: its config and all that was made from it.

    Attributes:
        config: The config the build loaded (its plugins, with their state).
        files: The site's files, each with its page.
        doc_files: The pages, in MkDocs' order.
        nav: The navigation.
        env: The template environment.
        converting: The conversion keys' common part (`common_key`).
        templating: The templating keys' common part (`nav_key`).
        around: What the site around the generated pages was ([`around`][build_scripts.renderers.mkdocs_quick.around]).
        digests: The generated pages' digests, by path.
    """

    config: MkDocsConfig
    files: Files
    doc_files: list[File]
    nav: Navigation
    env: Any
    converting: str
    templating: str
    around: str
    digests: dict[str, str]

    def changed(self, result: BuildResult) -> list[str] | None:
        """The generated pages of `result` that changed since this build, or None if anything around them did."""
        if around(self.config, result) != self.around:
            return None
        return [page.path for page in result.pages if self.digests.get(page.path) != page.digest]


def quick_plugins(config: MkDocsConfig) -> bool:
    """Whether `config`'s plugins and extensions allow quick rebuilds."""
    return set(config.plugins) <= QUICK_PLUGINS and not set(_READS_FILES) & set(config.markdown_extensions)


def around(config: MkDocsConfig, result: BuildResult) -> str:
    """A hash of everything a page is made of besides its own Markdown (see the module's description).

    The hand-written pages and the theme's own files count by their sizes and times. (The site's address is
    the one the config was built for: a preview for another address goes the full way.)
    """
    folders = [Path(config.docs_dir), *([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])]
    config_file = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
    return digest(
        config_file,
        os.environ.get("SOURCE_DATE_EPOCH", ""),
        json.dumps([[page.path, page.title] for page in result.pages]),
        json.dumps([result.files, result.nav, str(result.folder)], sort_keys=True, default=str),
        json.dumps(sorted((str(path), *stamp) for path, stamp in stamps(folders).items())),
    )
