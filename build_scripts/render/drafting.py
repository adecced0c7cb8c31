"""Every page of the site drafted, assembled and written: again only where what it read changed.

[`write_pages`][build_scripts.render.drafting.write_pages] keeps, in the cache, a record of each
page: what it read ([`PageState.reads`][build_scripts.render.page_state.PageState]), the
[`fingerprint`][build_scripts.render.fingerprint] of that, and the file written. A rebuild drafts
a page again only when its fingerprint changed or its file is not as written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path

from build_scripts.cache import Cache
from build_scripts.model import PageFile
from build_scripts.page_paths import BIBLIOGRAPHY_PAGE, INCONSISTENCIES_PAGE, NOTES_INDEX_PAGE, source_page
from build_scripts.paths import write_changed
from build_scripts.render import citepage, disagreements, pages
from build_scripts.render.context import Context
from build_scripts.render.fingerprint import Fingerprints
from build_scripts.render.page_state import Draft
from build_scripts.render.placement import note_order

__all__ = ["paged_drafts", "write", "write_pages"]

_BATCH = 1  # pages drafted and finished together: a topic page of 5,000 notes is 10 MB of Markdown

Record = tuple[tuple[str, ...], str, PageFile, tuple[int, int]]
"""What the cache keeps of a page: what it read, their fingerprint, the file written, its size and time."""


def paged_drafts(ctx: Context) -> list[tuple[str, Callable[[], Draft]]]:
    """Every page of the site, in site order: its path, and a function drafting it from the context alone."""
    index = ctx.index
    drafts: list[tuple[str, Callable[[], Draft]]] = [
        (index.page(note.id), partial(pages.note_page, note, ctx)) for note in note_order(index)
    ]
    drafts += [(source_page(key), partial(pages.source_page_md, key, ctx)) for key in sorted(index.sources)]
    drafts += [(BIBLIOGRAPHY_PAGE, partial(pages.bibliography_page, ctx)),
               (NOTES_INDEX_PAGE, partial(pages.notes_index_page, ctx)),
               (INCONSISTENCIES_PAGE, partial(disagreements.inconsistencies_page, ctx))]  # fmt: skip
    return drafts


def write_pages(
    ctx: Context, folder: Path, cache: Cache | None, timer: Callable[[], AbstractContextManager[None]]
) -> list[PageFile]:
    """Draft, assemble and write every page into `folder`, in site order; unchanged pages are kept as written.

    Args:
        ctx: The build's context.
        folder: Where the pages go.
        cache: Keeps each page's record between builds (namespace `page`, by page path); without
            one, every page is drafted.
        timer: Times the drafting and assembly of each batch (the render stage).

    Returns:
        The pages, in site order.
    """
    prints = Fingerprints(ctx)
    listed = paged_drafts(ctx)
    done: dict[str, PageFile] = {}
    todo = []
    for path, draft in listed:
        kept = _kept(cache.get("page", path) if cache else None, prints, folder / path)
        if kept is None:
            todo.append(draft)
        else:
            done[path] = kept
    if todo:
        citepage.format_shapes(ctx)  # made with the library already (a look-up); else one run, not one per date
    for start in range(0, len(todo), _BATCH):  # a batch at a time: memory holds no more
        with timer():
            drafts = [draft() for draft in todo[start : start + _BATCH]]
            batch = pages.assemble(drafts, ctx)
            for drafted in drafts:
                drafted.parts.clear()  # assembled: only what the page read is needed now
        for drafted, page in zip(drafts, batch, strict=True):
            done[page.path] = written = write(folder, page.path, page.title, page.encoded())
            if cache:
                reads = tuple(sorted(map(sys.intern, drafted.state.reads)))  # kept for 15,000 pages: shared
                record: Record = (reads, prints.of(reads), written, _stamp(folder / page.path))
                cache.put("page", page.path, record)
    return [done[path] for path, _ in listed]


def write(folder: Path, path: str, title: str, chunks: Iterable[bytes]) -> PageFile:
    """Write a page (unless the file holds it already: its time stamp then stays) and name it by its hash."""
    return PageFile(path, title, write_changed(folder / path, chunks))


def _kept(record: Record | None, prints: Fingerprints, file: Path) -> PageFile | None:
    """The page a record names, if what it read is unchanged and its file is as written."""
    if record is None:
        return None
    reads, fingerprint, written, stamp = record
    return written if fingerprint and prints.of(reads) == fingerprint and _stamp(file) == stamp else None


def _stamp(file: Path) -> tuple[int, int]:
    """A file's size and modification time (nanoseconds); (-1, -1) if it is gone."""
    try:
        info = file.stat()
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)
