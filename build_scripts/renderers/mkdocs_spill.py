"""Where the pages' HTML waits, on disk, between conversion and templating.

MkDocs converts every page before `on_env` (autorefs rewrites the HTML of
every page there) and templates them after it, so a big site's HTML would
all be in memory at once. The [`SiteBuilder`][build_scripts.renderers.mkdocs_builder.SiteBuilder]
instead puts each page's HTML in a [`Spill`][build_scripts.renderers.mkdocs_spill.Spill]
folder once it is converted: the page becomes a
[`SpilledPage`][build_scripts.renderers.mkdocs_spill.SpilledPage], whose
`content` (and `toc`) read and write their file, so plugins see the same HTML as before.
Forked workers write their conversions there too, instead of sending them
all back to the builder at once.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

__all__ = ["Slot", "Spill", "SpilledPage"]


Slot = tuple[str, int, int]
"""Where a spilled value is: the file (in the spill folder), the offset and the length of its bytes."""


class _Kept:
    """A page attribute kept in the page's spill: each read reads it there, each assignment writes it there.

    While the page is held (templated, see `Spill.held`), or in a forked
    worker, the page holds its values in memory instead (`spill_held`): a
    plugin changing one in place then sees its change for the rest of it.
    """

    def __init__(self, dump: Callable[[Any], bytes], load: Callable[[bytes], Any]):
        self.dump, self.load, self.name = dump, load, ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, page: SpilledPage | None, owner: type | None = None) -> Any:
        if page is None:
            return self
        held = page.__dict__.get("spill_held")
        if held is not None and self.name in held:
            return held[self.name]
        slot = page.slots.get(self.name)
        return None if slot is None else self.load(page.spill.read(slot))

    def __set__(self, page: SpilledPage, value: Any) -> None:
        held = page.__dict__.get("spill_held")
        if held is not None or os.getpid() != page.owner:
            page.__dict__.setdefault("spill_held", {})[self.name] = value
        else:
            page.slots[self.name] = None if value is None else page.spill.write(self.dump(value))


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _encoded(html: str) -> bytes:
    return html.encode("utf-8", "surrogatepass")


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


class SpilledPage(Page):
    """A page whose HTML (`content`) and table of contents (`toc`) are kept in a spill, read and written on each use.

    Attributes:
        spill: Where they are kept.
        slots: Where in `spill` each is (None: the page has none).
        owner: The process whose spill it is (the builder's).
    """

    content = _Kept(_encoded, _decoded)
    toc = _Kept(_pickled, pickle.loads)
    spill: Spill
    slots: dict[str, Slot | None]
    owner: int


_KEPT = ("content", "toc")


class Spill:
    """A folder of files the build appends values to, one file per process; removed by `close`.

    A value written again is appended again (the old bytes stay until `close`):
    a page's HTML is written about twice (converted, then changed by `on_env`).
    """

    def __init__(self, parent: Path):
        parent.mkdir(parents=True, exist_ok=True)
        for left in parent.glob(".pages-*-*"):  # left by a build that was killed
            if not _running(left.name.split("-")[1]):
                shutil.rmtree(left, ignore_errors=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".pages-{os.getpid()}-", dir=parent))
        self._open: dict[str, int] = {}

    def page(self, page: Page) -> None:
        """Move `page`'s HTML and table of contents into the spill: from now on they are read from there."""
        values = {name: page.__dict__.pop(name, None) for name in _KEPT}
        page.__class__ = SpilledPage
        assert isinstance(page, SpilledPage)
        page.spill, page.slots, page.owner = self, {}, os.getpid()
        for name, value in values.items():
            setattr(page, name, value)

    @staticmethod
    def release(page: Page) -> None:
        """A page a closed spill held, made a plain page again, without HTML or table of contents (to convert anew)."""
        if isinstance(page, SpilledPage):
            for name in ("spill", "slots", "owner", "spill_held"):
                page.__dict__.pop(name, None)
            page.__class__ = Page  # type: ignore[assignment]  # the class it was made as
            page.content, page.toc = None, get_toc([])

    @contextmanager
    def held(self, page: Page) -> Iterator[None]:
        """Hold a spilled page's HTML and table of contents in memory inside the block (while it is templated).

        Plugins changing them in place see their changes for the whole block; in
        the builder's process, what they are at its end is written back.
        """
        if not isinstance(page, SpilledPage):
            yield
            return
        page.__dict__["spill_held"] = {name: getattr(page, name) for name in _KEPT}
        try:
            yield
        finally:
            held = page.__dict__.pop("spill_held")
            if os.getpid() == page.owner:
                for name, value in held.items():
                    setattr(page, name, value)

    def write(self, data: bytes) -> Slot:
        """Append `data` to this process's file; where it is."""
        name = f"{os.getpid()}.bin"
        fd = self._fd(name)
        at = os.lseek(fd, 0, os.SEEK_END)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return name, at, len(data)

    def read(self, slot: Slot) -> bytes:
        """The bytes written at `slot` (by this process or a worker)."""
        name, at, length = slot
        return os.pread(self._fd(name), length, at)

    def put(self, value: Any) -> Slot:
        """Keep a worker's result (such as a conversion) for the builder: where it is."""
        return self.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def take(self, slot: Slot) -> Any:
        """The result `put` kept at `slot`."""
        return pickle.loads(self.read(slot))

    def close(self) -> None:
        """Remove the folder."""
        for fd in self._open.values():
            os.close(fd)
        self._open.clear()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _fd(self, name: str) -> int:
        if name not in self._open:
            self._open[name] = os.open(self.folder / name, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        return self._open[name]


def _running(pid: str) -> bool:
    """Whether the process `pid` is running (True if that cannot be told)."""
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (ValueError, OSError):
        return True
    return True
