"""What a build produces: its pages (as written, named by their hash), the navigation, and the result as a whole.

Importable from [`model`][build_scripts.model] too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_scripts.diagnostics import Diagnostic

__all__ = ["BuildResult", "NavItem", "Page", "PageFile"]


@dataclass(frozen=True, slots=True)
class Page:
    """One generated Markdown page.

    Attributes:
        path: Path of the Markdown file inside the docs tree (`military.md`).
        title: Page title.
        lines: The Markdown, in Python-Markdown syntax, a line (or a few) at a time: a topic page of a big
            site is megabytes, written out piece by piece and never joined in memory.
    """

    path: str
    title: str
    lines: list[str]

    def encoded(self) -> Iterator[bytes]:
        """The Markdown as UTF-8, a piece at a time (the lines joined by newlines, encoded)."""
        for number, line in enumerate(self.lines):
            yield (f"\n{line}" if number else line).encode("utf-8")


@dataclass(frozen=True, slots=True)
class PageFile:
    """A generated page as a build leaves it: written to the build's folder, named by its Markdown's hash.

    Attributes:
        path: Path of the Markdown file inside the docs tree (`military.md`).
        title: Page title.
        digest: SHA-256 of the page's Markdown (UTF-8), hex.
    """

    path: str
    title: str
    digest: str


@dataclass(frozen=True, slots=True)
class NavItem:
    """An entry of the site navigation: a page, or a section of entries."""

    title: str
    path: str = ""
    children: tuple[NavItem, ...] = ()


@dataclass(slots=True)
class BuildResult:
    """Everything the generator produces.

    Pages and files are written to `folder` as they are made, so that memory
    holds one batch of pages at a time, not the whole site.

    Attributes:
        folder: Where the pages and files are written (the docs tree of the generated pages).
        pages: Generated Markdown pages, in site order.
        files: Other generated files (`claims.json`), paths inside `folder`.
        nav: Navigation tree.
        diagnostics: Problems found, errors and warnings.
        notes: Ids of the notes built.
        archived: Archived source texts the quotations were checked against (paths from the project root).
        archive_key: A hash of those texts, so that a rebuild notices when one changes.
        inventory: What the build produced, for the change report
            ([`report.inventory`][build_scripts.report.inventory]).
        stylesheets: Stylesheets among `files` that every page needs (the renderer adds them to the theme).
        scripts: Scripts among `files` that every page needs.
    """

    folder: Path | None = None
    pages: list[PageFile] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    archive_key: str = ""
    inventory: dict[str, Any] = field(default_factory=dict)

    def read(self, path: str) -> bytes:
        """A generated page or file, as written."""
        assert self.folder is not None, "no pages were written"
        return (self.folder / path).read_bytes()
