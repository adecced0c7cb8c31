"""One page through MkDocs' steps, as the [`SiteBuilder`][build_scripts.renderers.mkdocs_builder.SiteBuilder] runs them.

A page is converted (here, or by a forked worker on its own copy of the
plugins, which then forgets it), or given a conversion kept from an earlier
build; then templated and written. [`shared`][build_scripts.renderers.mkdocs_steps.shared]
shares such work among forked workers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from build_scripts.cache import digest
from build_scripts.renderers import mkdocs_compat as compat
from build_scripts.renderers.mkdocs_plugin import fast_path_convert
from build_scripts.renderers.mkdocs_reuse import Converted, Rendered, collecting, recording_lookups, replay
from build_scripts.renderers.mkdocs_spill import Spill
from build_scripts.workers import cores, fork_map

__all__ = [
    "apply_converted",
    "conversion_key",
    "convert",
    "convert_here",
    "forget",
    "page_of",
    "shared",
    "template_page",
]

CHUNK = 16
"""Pages a worker handles per task (workers take the next task when done: big pages even out)."""
R = TypeVar("R")


def conversion_key(common: str, file: File) -> str:
    """What a generated page's conversion is keyed on: what shapes every page, the page's place and its Markdown."""
    return digest(common, file.src_uri, file.dest_uri, file.url, Path(str(file.abs_src_path)).read_bytes())


def convert_here(config: MkDocsConfig, files: Files, file: File) -> Converted:
    """Read and convert a page as MkDocs does, on this process's copy of the plugins (a worker's)."""
    page = page_of(file)
    compat.set_current_page(config, page)
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        return convert(config, files, page)
    finally:
        compat.set_current_page(config, None)
        forget(page)


def forget(page: Page) -> None:
    """A worker's copy of a page, back as it was read: its conversion goes to the spill, nothing of it stays here.

    A worker converts thousands of pages; each one's table of contents and anchors kept would add up.
    """
    page.markdown = page.content = None
    page.toc, page.meta = get_toc([]), {}
    page.present_anchor_ids = page.links_to_anchors = None


def convert(config: MkDocsConfig, files: Files, page: Page) -> Converted:
    """Convert a page's Markdown (`page.render`), recording what reusing the conversion needs."""
    assert page.markdown is not None
    with compat.recording_anchors(config) as registered, collecting() as logs, recording_lookups(files) as lookups:
        page.render(config, files)
        fast_path_convert(config, files, page)
    assert page.content is not None
    links = {target.src_uri: dict(found) for target, found in (page.links_to_anchors or {}).items()}
    return Converted(digest(page.markdown), page.content, page.toc, compat.title_from_render(page),
                     frozenset(page.present_anchor_ids or ()), links, registered, logs, lookups)  # fmt: skip


def apply_converted(config: MkDocsConfig, files: Files, page: Page, done: Converted) -> None:
    """Give a page a conversion done elsewhere: its HTML, toc, title, anchors, warnings and autorefs anchors."""
    page.content, page.toc = done.content, done.toc
    compat.set_title_from_render(page, done.title)
    page.present_anchor_ids = set(done.anchors)
    page.links_to_anchors = {target: links for uri, links in done.links.items()
                             if (target := files.get_file_from_path(uri))}  # fmt: skip
    replay(done.logs)
    compat.replay_anchors(config, page, done.registered)


def template_page(
    config: MkDocsConfig, doc_files: list[File], nav: Navigation, env: Any, file: File, key: str, spill: Spill
) -> tuple[Rendered, list[dict[str, Any]]]:
    """Template and write one page; return its record, and the search entries it added."""
    page = page_of(file)
    entries = compat.search_entries(config)
    before = len(entries) if entries is not None else 0
    with collecting() as logs, spill.held(page):
        compat.build_page(page, config, doc_files, nav, env)
    mine = entries[before:] if entries is not None else []
    if entries is not None:
        del entries[before:]  # the index is put together from the pages' entries at the end
    stat = os.stat(file.abs_dest_path)
    return Rendered(key, file.dest_uri, stat.st_size, stat.st_mtime_ns, logs), mine


def shared(function: Callable[[list[File]], list[R]], files: list[File], jobs: int) -> list[R]:
    """`function` over `files` in chunks, on forked workers when there are enough of them."""
    if len(files) < 2:
        return function(files)
    size = max(1, min(CHUNK, len(files) // (4 * (jobs or cores()))))  # small sites: every core gets work
    # Workers are given positions in `files`, never the files: a pickled copy of a page would not be the page
    # the worker's nav holds (the nav would not show it as the current page).
    chunks = [range(i, min(i + size, len(files))) for i in range(0, len(files), size)]
    return [r for part in fork_map(lambda at: function([files[i] for i in at]), chunks, jobs) for r in part]


def page_of(file: File) -> Page:
    """The page of a documentation file (MkDocs made it when it read the navigation)."""
    assert file.page is not None, file.src_uri
    return file.page
