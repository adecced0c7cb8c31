"""Where the pages' HTML waits, on disk, between conversion and templating.

MkDocs converts every page before `on_env` (autorefs rewrites the HTML of
every page there) and templates them after it, so a big site's HTML would
all be in memory at once. The [`SiteBuilder`][build_scripts.renderers.mkdocs_builder.SiteBuilder]
instead puts each page's HTML in a [`Spill`][build_scripts.renderers.mkdocs_spill.Spill]
folder once it is converted: the page becomes a
[`SpilledPage`][build_scripts.renderers.mkdocs_spill.SpilledPage], whose
`content` reads and writes its file, so plugins see the same HTML as before.
Forked workers write their conversions there too, instead of sending them
all back to the builder at once.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.structure.pages import Page

__all__ = ["Slot", "Spill", "SpilledPage"]


Slot = tuple[str, int, int]
"""Where a spilled value is: the file (in the spill folder), the offset and the length of its bytes."""


class SpilledPage(Page):
    """A page whose HTML (`content`) is kept in a spill folder, read and written on each use.

    In a forked worker, setting `content` (as the search plugin does while
    templating) keeps the new HTML in that worker's memory: the spill stays the
    builder's.

    Attributes:
        spill: Where the HTML is kept.
        slot: Where in `spill` the HTML is (None: the page has none).
        owner: The process whose spill it is (the builder's).
    """

    spill: Spill
    slot: Slot | None
    owner: int

    @property
    def content(self) -> str | None:
        """The page's HTML (None once a plugin let go of it)."""
        if "_own_content" in self.__dict__:
            own: str | None = self.__dict__["_own_content"]
            return own
        return None if self.slot is None else self.spill.read(self.slot).decode("utf-8", "surrogatepass")

    @content.setter
    def content(self, value: str | None) -> None:
        if os.getpid() != self.owner:
            self.__dict__["_own_content"] = value
        else:
            self.slot = None if value is None else self.spill.write(value.encode("utf-8", "surrogatepass"))


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
        """Move `page`'s HTML into the spill: from now on it is read from there."""
        content = page.content
        page.__dict__.pop("content", None)
        page.__class__ = SpilledPage
        assert isinstance(page, SpilledPage)
        page.spill, page.slot, page.owner = self, None, os.getpid()
        page.content = content

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
