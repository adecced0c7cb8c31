"""When the builder may reuse a page's conversion or HTML file: what it keeps of each, and the keys.

The [`SiteBuilder`][build_scripts.renderers.mkdocs_builder.SiteBuilder] keeps a
[`Converted`][build_scripts.renderers.mkdocs_reuse.Converted] for each generated
page (keyed on [`common_key`][build_scripts.renderers.mkdocs_reuse.common_key],
the page's place and its Markdown, and valid while
[`same_lookups`][build_scripts.renderers.mkdocs_reuse.same_lookups] holds) and a
[`Rendered`][build_scripts.renderers.mkdocs_reuse.Rendered] for each HTML file
(keyed on [`page_key`][build_scripts.renderers.mkdocs_reuse.page_key]).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from build_scripts.cache import code_version, digest, package_version
from build_scripts.renderers import mkdocs_compat as compat

__all__ = [
    "Converted", "Logged", "Rendered", "collecting", "common_key", "link_previous", "nav_key", "page_key",
    "recording_lookups", "replay", "same_lookups", "versions", "whereabouts",
]  # fmt: skip

_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "mkdocs-autorefs", "mkdocstrings", "pyyaml")
Logged = tuple[str, int, str]
"""A warning logged while building a page: logger, level, message (replayed when the page is reused)."""


@dataclass(slots=True)
class Converted:
    """A page's conversion, enough to give the page its HTML again without converting its Markdown."""

    markdown: str  # digest of the Markdown converted (after `on_page_markdown`)
    content: str
    toc: TableOfContents
    title: str | None
    anchors: frozenset[str]  # ids on the page, for the link check
    links: dict[str, dict[str, str]]  # target page -> anchor -> link as written
    registered: list[compat.Anchor] = field(default_factory=list)  # anchors registered with autorefs
    logs: list[Logged] = field(default_factory=list)  # warnings logged while converting, to replay
    lookups: dict[str, str] = field(default_factory=dict)  # each path looked up among the files -> what was there


@dataclass(slots=True)
class Rendered:
    """A page's templated HTML file, enough to reuse it in the next build.

    The search entries a page added to the index are kept in the cache
    (namespace `search`) under its `key`: they are made of what the key covers.
    """

    key: str
    dest: str  # the HTML file, relative to the site folder
    size: int
    mtime_ns: int
    logs: list[Logged] = field(default_factory=list)


@contextmanager
def recording_lookups(files: Files) -> Iterator[dict[str, str]]:
    """Record each path a conversion looks up among the site's files (its links), and what it found there.

    A kept conversion is reused only while every path it looked up finds the
    same thing (see `same_lookups`): so adding or removing a page converts
    again only the pages that link to it, not every page.
    """
    found: dict[str, str] = {}
    lookup = files.get_file_from_path

    def recorded(path: str) -> File | None:
        file = lookup(path)
        found[path] = whereabouts(file)
        return file

    files.get_file_from_path = recorded  # type: ignore[method-assign]
    try:
        yield found
    finally:
        del files.get_file_from_path  # the class's own method again


def whereabouts(file: File | None) -> str:
    """What a link to a file turns into: where the file is published, and whether it is ("" for no file)."""
    return "" if file is None else f"{file.dest_uri} {file.url} {file.inclusion.name}"


def same_lookups(files: Files, done: Converted, found: dict[str, str]) -> bool:
    """Whether every path a kept conversion looked up still finds what it found then.

    `found` keeps what each path finds in `files`, for the next page's check: pages link to the same few (one
    look-up per path, not one per link: at N=500, about 1,500 instead of 12,000).
    """
    for path, was in done.lookups.items():
        now = found.get(path)
        if now is None:
            now = found[path] = whereabouts(files.get_file_from_path(path))
        if now != was:
            return False
    return True


def replay(logs: Sequence[Logged]) -> None:
    """Log again the warnings a page's conversion or templating logged (it is reused: they still hold)."""
    for name, level, message in logs:
        logging.getLogger(name).log(level, "%s", message)


@contextmanager
def collecting() -> Iterator[list[Logged]]:
    """Collect the warnings MkDocs logs inside the block instead of showing them (the caller replays them once)."""
    logs: list[Logged] = []
    logger = logging.getLogger("mkdocs")
    saved, logger.handlers = logger.handlers, [_Collector(logs)]
    try:
        yield logs
    finally:
        logger.handlers = saved


class _Collector(logging.Handler):
    def __init__(self, into: list[Logged]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.name, record.levelno, record.getMessage()))


def common_key(config: MkDocsConfig) -> str:
    """A hash of what shapes every page: the code, the packages' versions and the config.

    Not the list of pages: a conversion records the pages it looked up (`recording_lookups`).
    """
    config_bytes = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
    return digest(code_version(), *versions(), config_bytes)  # not site_url: pages are converted without it


def versions() -> list[str]:
    """The versions of the packages that convert and template pages (those installed)."""
    return [f"{p} {v}" for p in _PACKAGES if (v := package_version(p))]


def nav_key(common: str, config: MkDocsConfig, nav: Navigation) -> str:
    """`common`, with the site's address, the theme's own files and the navigation as every page shows it."""
    custom = config.theme.custom_dir
    theme = sorted(Path(custom).rglob("*")) if custom else []
    parts = [(str(p.relative_to(custom)), p.read_bytes()) for p in theme if p.is_file()]  # type: ignore[arg-type]
    titles = "\n".join(f"{p.url} {p.title}" for p in nav.pages)
    configured = json.dumps(config.nav, sort_keys=True)
    return digest(common, str(config.site_url), configured, titles, *(part for pair in parts for part in pair))


def page_key(common: str, page: Page) -> str:
    """A hash of what a page's HTML file is made of: its final content, title, toc and front matter."""
    meta = json.dumps(page.meta, sort_keys=True, default=str)
    return digest(common, page.file.src_uri, page.content or "", str(page.title), _toc_text(page.toc), meta)


def _toc_text(toc: Any) -> str:
    return "".join(f"<{item.level} {item.id} {item.title}{_toc_text(item.children)}>" for item in toc)


def link_previous(old: Rendered, old_site: Path, new_site: str, folders: set[Path]) -> bool:
    """Put the previous build's HTML of a page into the new site; False if it is gone or was changed."""
    source, target = old_site / old.dest, Path(new_site) / old.dest
    try:
        stat = source.stat()
        if (stat.st_size, stat.st_mtime_ns) != (old.size, old.mtime_ns):
            return False
        if source == target:  # a site updated in place: the file is where it belongs
            return True
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        os.link(source, target)
    except OSError:
        return False
    return True
