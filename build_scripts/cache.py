"""Results of earlier builds, keyed by content hash, kept in `.cache/` outside the published site.

A rebuild re-reads and re-formats only what changed: a note whose bytes are
unchanged is not parsed again, a library whose files are unchanged is not
split again, and a reference whose CSL data and style are unchanged is not
formatted again. Keys include a hash of the generator's own code, so a new
version never reads an old version's results.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any


def digest(*parts: bytes | str) -> str:
    """A hex SHA-256 of the parts (strings are UTF-8 encoded), separated unambiguously."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the generator's source files: results of other versions are never reused."""
    package = Path(__file__).parent
    return digest(*(p.read_bytes() for p in sorted(package.rglob("*.py"))))[:16]


class Cache:
    """A directory of pickled results, one file per key."""

    def __init__(self, directory: Path):
        self.directory = directory / code_version()

    def get(self, namespace: str, key: str) -> Any | None:
        """The value stored under `key`, or None (also when the entry is unreadable)."""
        try:
            with open(self._path(namespace, key), "rb") as file:
                return pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Store `value` under `key`, atomically (a reader never sees half a file)."""
        path = self._path(namespace, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)

    def _path(self, namespace: str, key: str) -> Path:
        return self.directory / namespace / key[:2] / f"{key}.pickle"
