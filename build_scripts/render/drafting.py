"""Every page of the site drafted, assembled and written, a batch at a time."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path

from build_scripts.cache import Cache
from build_scripts.model import PageFile
from build_scripts.page_paths import BIBLIOGRAPHY_PAGE, INCONSISTENCIES_PAGE, NOTES_INDEX_PAGE, source_page
from build_scripts.paths import write_changed
from build_scripts.render import disagreements, pages
from build_scripts.render.context import Context
from build_scripts.render.page_state import Draft
from build_scripts.render.placement import note_order

__all__ = ["paged_drafts", "write", "write_pages"]

_BATCH = 250  # pages drafted and finished together


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
    """Draft, assemble and write every page into `folder`, in site order.

    Args:
        ctx: The build's context.
        folder: Where the pages go.
        cache: Unused yet.
        timer: Times the drafting and assembly of each batch (the render stage).

    Returns:
        The pages, in site order.
    """
    listed = paged_drafts(ctx)
    done: dict[str, PageFile] = {}
    todo = [draft for _, draft in listed]
    for start in range(0, len(todo), _BATCH):  # a batch at a time: memory holds no more
        with timer():
            drafts = [draft() for draft in todo[start : start + _BATCH]]
            batch = pages.assemble(drafts, ctx)
        for page in batch:
            done[page.path] = write(folder, page.path, page.title, page.markdown.encode("utf-8"))
    return [done[path] for path, _ in listed]


def write(folder: Path, path: str, title: str, data: bytes) -> PageFile:
    """Write a page (unless the file holds it already: its time stamp then stays) and name it by its hash."""
    write_changed(folder / path, data)
    return PageFile(path, title, hashlib.sha256(data).hexdigest())
