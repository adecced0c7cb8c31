"""The only module that drives MkDocs: turns the generated pages into a Material site.

Two ways in:

* [`build_site`][build_scripts.renderers.mkdocs_adapter.build_site], used by
  `research-site build` and `serve`, runs MkDocs' build with a
  [`SiteBuilder`][build_scripts.renderers.mkdocs_builder.SiteBuilder]: every
  page passes through every plugin event in MkDocs' order, but a generated
  page whose Markdown is unchanged is not converted again, and a page whose
  final HTML content is unchanged is not templated again (its file from the
  previous build into the same folder is reused). Live preview keeps one
  builder for the whole session ([`WarmSite`][build_scripts.renderers.mkdocs_adapter.WarmSite]).
* the plugin [`research-site`][build_scripts.renderers.mkdocs_plugin], named
  under `plugins:` in `mkdocs.yml`, so that plain `mkdocs build` and
  `mkdocs serve` work as well (rendering every page); `build_site` hands it the
  generator's result instead of letting it run the generator.

Private MkDocs calls are made only through [`mkdocs_compat`][build_scripts.renderers.mkdocs_compat],
which checks the installed MkDocs version first.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.utils import CountHandler

from build_scripts.cache import Cache, digest
from build_scripts.model import BuildResult
from build_scripts.paths import stamps
from build_scripts.renderers import mkdocs_compat as compat
from build_scripts.renderers.mkdocs_builder import SiteBuilder
from build_scripts.renderers.mkdocs_plugin import NAME, plugin_of
from build_scripts.renderers.mkdocs_reuse import Rendered
from build_scripts.renderers.project import ProjectError, read_config, swap_in


class SiteError(Exception):
    """The site could not be built (the message says why); the previous site is unchanged."""


@dataclass(frozen=True, slots=True)
class SiteBuild:
    """What one build of the site did."""

    rendered: int
    reused: int
    seconds: float


# -- builds ----------------------------------------------------------------------------------------


class WarmSite:
    """Builds of one site folder by one builder, which keeps what it may reuse in memory between builds.

    Attributes:
        config_file: The project's `mkdocs.yml`.
        site_dir: The folder the site is built into (swapped in whole when a build succeeds).
        cache: Kept conversions (and, for `build`, the previous build's files) between processes.
        in_place: Update `site_dir` where it is instead (live preview: only the changed pages are written).
    """

    def __init__(self, config_file: Path, site_dir: Path, cache: Cache, *, jobs: int = 0, in_place: bool = False):
        self.config_file, self.site_dir, self.cache = config_file, site_dir.resolve(), cache
        self.in_place = in_place
        self.builder = SiteBuilder(cache, jobs)
        self._manifest = digest(str(self.site_dir))
        self._loaded = False
        self._site_url: str | None = None  # the address the last build was made for

    def build(self, result: BuildResult, *, strict: bool = True, site_url: str | None = None) -> SiteBuild:
        """Build the site of `result` into a new folder, then swap it in for `site_dir` (or update it in place).

        Raises:
            SiteError: If it failed; `site_dir` is then as it was (in place: the pages written are kept, and
                written again by the next build).
        """
        start = time.perf_counter()
        site_dir = self.site_dir
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        if not self._loaded:  # a fresh process: the files of the build that wrote site_dir, if it is there
            self.builder.previous = (self.cache.get("site", self._manifest) or {}) if site_dir.is_dir() else {}
            self._loaded = True
        before = self.builder.previous
        tmp = site_dir if self.in_place else Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
        try:
            compat.check_version()
            with _mkdocs_logging(strict) as counter:
                records = self._quick(result, site_url) if self.in_place else None
                full = records is None
                if records is None:
                    records = self._build(result, tmp, strict, site_url)
                if counter.get_counts():
                    counts = ", ".join(f"{n} {level.lower()}s" for level, n in counter.get_counts())
                    raise SiteError(f"MkDocs reported {counts} (see above)")
        except (Abort, BuildError, ConfigurationError, PluginError, SiteError, ProjectError, OSError,
                compat.IncompatibleMkDocs) as exc:  # fmt: skip
            if not self.in_place:
                shutil.rmtree(tmp, ignore_errors=True)
            raise SiteError(str(exc) or type(exc).__name__) from None
        except BaseException:
            if not self.in_place:
                shutil.rmtree(tmp, ignore_errors=True)
            raise
        if self.in_place:
            for uri in before.keys() - records.keys():  # pages gone since the previous build, and their folders
                _remove(site_dir / before[uri].dest, site_dir)
            if full:  # its conversions saved now, not by the next save's generator (the browser would wait)
                self.cache.save()
        else:
            swap_in(tmp, site_dir)
            self.cache.put("site", self._manifest, records)
            self.cache.save()
        reused = self.builder.reused
        return SiteBuild(len(records) - reused, reused, time.perf_counter() - start)

    def _quick(self, result: BuildResult, site_url: str | None) -> dict[str, Rendered] | None:
        """Only the changed pages, in place, if the previous build of this session allows (see `mkdocs_quick`)."""
        if site_url != self._site_url:
            return None
        try:
            return self.builder.quick(result)
        except Exception as exc:  # whatever went wrong, the full way rebuilds every page
            logging.getLogger(__name__).debug("quick rebuild failed, rebuilding in full: %s", exc)
            return None

    def _build(self, result: BuildResult, tmp: Path, strict: bool, site_url: str | None) -> dict[str, Rendered]:
        config = load_config(str(self.config_file), site_dir=str(tmp), strict=strict, **self._no_docs())
        if site_url is not None:
            config.site_url = site_url
        self._site_url = site_url
        plugin = plugin_of(config)
        if plugin is None:
            raise SiteError(f"{self.config_file}: the plugin is missing: add `- {NAME}` under `plugins:`")
        plugin.supplied = result
        templates = self.cache.directory / "templates"  # compiled Jinja templates, kept between builds
        templates.mkdir(parents=True, exist_ok=True)
        return self.builder.build(config, result, self.site_dir, templates)

    def _no_docs(self) -> dict[str, str]:
        """An empty docs folder for a project that has none (`docs/` is optional; MkDocs insists on one)."""
        docs = self.config_file.parent / str(read_config(self.config_file).get("docs_dir") or "docs")
        if docs.is_dir():
            return {}
        empty = self.cache.directory / "no-docs"
        empty.mkdir(parents=True, exist_ok=True)
        return {"docs_dir": str(empty)}


def build_site(
    config_file: Path,
    result: BuildResult,
    site_dir: Path,
    cache: Cache,
    *,
    strict: bool = True,
    jobs: int = 0,
    site_url: str | None = None,
) -> SiteBuild:
    """Build the site from `result` into a new folder, then swap it in for `site_dir` (one build of a `WarmSite`).

    Pages unchanged since the build that wrote `site_dir` are reused from it
    (hard-linked), the others converted and templated on `jobs` processes (0:
    one per core). A failed build raises [`SiteError`][build_scripts.renderers.mkdocs_adapter.SiteError]
    and leaves `site_dir` as it was. `site_url` overrides the configured one
    (live preview serves the site at its own address).
    """
    return WarmSite(config_file, site_dir, cache, jobs=jobs).build(result, strict=strict, site_url=site_url)


def _remove(file: Path, site_dir: Path) -> None:
    """Remove a page's file, and the folders it leaves empty (a page is a folder of its own with directory URLs)."""
    file.unlink(missing_ok=True)
    folder = file.parent
    while folder != site_dir and folder.is_relative_to(site_dir) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


@contextmanager
def _mkdocs_logging(strict: bool) -> Iterator[CountHandler]:
    """MkDocs' warnings on stderr, as its own command line prints them; counted for `--strict`."""
    logger = logging.getLogger("mkdocs")
    shown = logging.StreamHandler()
    shown.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    shown.setLevel(logging.WARNING)
    counter = CountHandler()
    counter.setLevel(logging.WARNING if strict else logging.ERROR)
    logger.addHandler(shown)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(shown)
        logger.removeHandler(counter)


# -- live preview -------------------------------------------------------------------------------------


_POLL = 0.1
"""The fewest seconds between two looks at the watched files (MkDocs: 0.5). A save waits half of it on average
before its rebuild starts."""

_WATCH_SHARE = 0.05
"""The most of a core the looks at the watched files may take: a big project's files are looked at less often."""

_SETTLE = 0.05
"""Seconds without another change before a rebuild starts (MkDocs: 0.1): an editor's save is over by then."""


def _poll_interval(watch: list[Path]) -> float:
    """Seconds between two looks at the files under `watch`: `_POLL`, or more where one look takes long.

    A look lists and stats every file (about 4 ms for 1,000 files): at 10,000 it is looked at every second or so.
    """
    start = time.perf_counter()
    stamps(watch)  # what a look does
    return max(_POLL, (time.perf_counter() - start) / _WATCH_SHARE)


class _Server(LiveReloadServer):
    """MkDocs' live-reload server, saying its address as soon as it listens."""

    def server_activate(self) -> None:
        super().server_activate()
        print(f"serving the site at {self.url} (Ctrl-C stops)", file=sys.stderr, flush=True)


def serve(config_file: Path, rebuild: Callable[[Path, str], str], watch: list[Path], dev_addr: str | None) -> None:
    """Serve the site with live reload: `rebuild(site_dir, site_url)` builds it and returns a one-line report.

    Every change under `watch` calls it again, in this process; the browser reloads when it returns.

    Raises:
        SiteError: If the installed MkDocs is not a supported version.
    """
    try:
        compat.check_version()
    except compat.IncompatibleMkDocs as exc:
        raise SiteError(str(exc)) from None
    config = load_config(str(config_file), **({"dev_addr": dev_addr} if dev_addr else {}))
    host, port = config.dev_addr
    mount = urlsplit(config.site_url or "/").path
    url = compat.serve_url(host, port, mount)
    site_dir = Path(tempfile.mkdtemp(prefix="research-serve-"))

    def builder(_config: Any = None) -> None:
        print(rebuild(site_dir / "site", url), flush=True)

    server = _Server(builder=builder, host=host, port=port, root=str(site_dir / "site"), mount_path=mount,
                     polling_interval=_poll_interval(watch))  # fmt: skip
    server.build_delay = _SETTLE
    try:
        builder()
        for path in watch:
            if path.exists():
                server.watch(str(path))
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
