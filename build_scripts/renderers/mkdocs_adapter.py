"""The only module that imports MkDocs: turns the generated pages into a Material site.

Two ways in:

* [`build_site`][build_scripts.renderers.mkdocs_adapter.build_site], used by
  `python -m build_scripts build` and `serve`, runs MkDocs' own build steps
  (config, files, nav, plugins, theme templates, search index, sitemap) but
  renders only the generated pages whose *key* changed since the previous
  build into the same folder, reusing the rest: their HTML, their search index
  entries and the anchors the link check needs. A page's key is a hash of its
  Markdown, its path and everything that shapes every page's HTML (the
  generator's code, the MkDocs, Material and Markdown versions, `mkdocs.yml`,
  the navigation, the theme overrides); so a change to the nav, the config, the
  theme or the code renders every page again. The pages to render are shared
  among the machine's cores (forked workers), and each page's HTML is let go
  as soon as it is written. Pages written by hand in `docs/` go through
  MkDocs' two phases as usual, so that cross-references between them resolve.
* the plugin [`research-site`][build_scripts.renderers.mkdocs_plugin], named
  under `plugins:` in `mkdocs.yml`, so that plain `mkdocs build` and
  `mkdocs serve` work as well (rendering every page); `build_site` hands it the
  generator's result instead of letting it run the generator.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.commands import build as mkbuild
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from build_scripts.cache import Cache, code_version, digest
from build_scripts.model import BuildResult
from build_scripts.renderers.mkdocs_plugin import NAME, ResearchSitePlugin, plugin_of
from build_scripts.renderers.project import ProjectError, read_config, swap_in
from build_scripts.workers import cores, fork_map

_CHUNK = 16  # pages a worker renders per task (workers take the next task when done: big pages even out)


class SiteError(Exception):
    """The site could not be built (the message says why); the previous site is unchanged."""


@dataclass(frozen=True, slots=True)
class SiteBuild:
    """What one build of the site did."""

    rendered: int
    reused: int
    seconds: float


@dataclass(slots=True)
class _Rendered:
    """What rendering a page left behind: enough to reuse it in the next build."""

    key: str
    dest: str  # the HTML file, relative to the site folder
    size: int
    mtime_ns: int
    entries: list[dict[str, Any]] = field(default_factory=list)  # its search index entries
    anchors: frozenset[str] = frozenset()  # ids on the page, for the link check
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # target page -> anchor -> link as written
    logs: list[tuple[str, int, str]] = field(default_factory=list)  # warnings logged in a worker, to replay


# -- incremental builds ---------------------------------------------------------------------------


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
    """Build the site from `result` into a new folder, then swap it in for `site_dir`.

    Pages whose key is unchanged since the build that wrote `site_dir` are
    reused from it (hard-linked), the others rendered on `jobs` processes (0:
    one per core). A failed build raises [`SiteError`][build_scripts.renderers.mkdocs_adapter.SiteError]
    and leaves `site_dir` as it was. `site_url` overrides the configured one
    (live preview serves the site at its own address).
    """
    start = time.perf_counter()
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    manifest_key = digest(str(site_dir))
    previous: dict[str, _Rendered] = (cache.get("site", manifest_key) or {}) if site_dir.is_dir() else {}
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        with _mkdocs_logging(strict) as counter:
            config = load_config(str(config_file), site_dir=str(tmp), strict=strict, **_no_docs(config_file, cache))
            if site_url is not None:
                config.site_url = site_url
            plugin = plugin_of(config)
            if plugin is None:
                raise SiteError(f"{config_file}: the plugin is missing: add `- {NAME}` under `plugins:`")
            plugin.supplied = result
            templates = cache.directory / "templates"  # compiled Jinja templates, kept between builds
            templates.mkdir(parents=True, exist_ok=True)
            records, reused = _build(config, plugin, previous, site_dir, jobs, templates)
            if counter.get_counts():
                counts = ", ".join(f"{n} {level.lower()}s" for level, n in counter.get_counts())
                raise SiteError(f"MkDocs reported {counts} (see above)")
    except (Abort, BuildError, ConfigurationError, PluginError, SiteError, ProjectError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SiteError(str(exc) or type(exc).__name__) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, site_dir)
    cache.put("site", manifest_key, records)
    cache.save()
    return SiteBuild(len(records) - reused, reused, time.perf_counter() - start)


def _no_docs(config_file: Path, cache: Cache) -> dict[str, str]:
    """An empty docs folder for a project that has none (`docs/` is optional; MkDocs insists on one)."""
    docs = config_file.parent / str(read_config(config_file).get("docs_dir") or "docs")
    if docs.is_dir():
        return {}
    empty = cache.directory / "no-docs"
    empty.mkdir(parents=True, exist_ok=True)
    return {"docs_dir": str(empty)}


def _build(  # noqa: C901 (MkDocs' build steps in its order, which this must follow)
    config: MkDocsConfig,
    plugin: ResearchSitePlugin,
    previous: dict[str, _Rendered],
    old_site: Path,
    jobs: int,
    templates: Path,
) -> tuple[dict[str, _Rendered], int]:
    """MkDocs' build (`mkdocs.commands.build.build`), step by step, rendering only the changed pages."""
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(templates))
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        doc_files = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
        for file in doc_files:
            if file.page is None:
                Page(None, file, config)  # a page that is not in the nav (it sets file.page)
        assert plugin.result is not None
        ours = {page.path: page.digest for page in plugin.result.pages}
        generated = [f for f in doc_files if f.src_uri in ours]
        written = [f for f in doc_files if f.src_uri not in ours]  # docs/: MkDocs' two phases
        for file in written:
            mkbuild._populate_page(_page(file), config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(inclusion=InclusionLevel.is_included)
        for template in config.theme.static_templates:
            mkbuild._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkbuild._build_extra_template(template, files, config, nav)
        job = _Job(config, files, doc_files, nav, env)
        records = {f.src_uri: job.render(f, "", populated=True) for f in written}
        common = _common_key(config)
        keys = {f.src_uri: digest(common, f.src_uri, ours[f.src_uri]) for f in generated}
        todo: list[File] = []
        folders: set[Path] = set()
        for file in generated:
            old = previous.get(file.src_uri)
            if old is not None and old.key == keys[file.src_uri] and _link(old, old_site, config.site_dir, folders):
                records[file.src_uri] = old
            else:
                todo.append(file)
        for file, record in zip(todo, job.render_all(todo, keys, jobs), strict=True):
            records[file.src_uri] = record
        for file in doc_files:
            record, page = records[file.src_uri], _page(file)
            page.present_anchor_ids = set(record.anchors)
            page.links_to_anchors = {
                target: links for uri, links in record.links.items() if (target := files.get_file_from_path(uri))
            }
        for file in doc_files:
            _page(file).validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        entries = _search_entries(config)
        if entries is not None:
            entries[:] = [entry for f in doc_files for entry in records[f.src_uri].entries]
        config.plugins.on_post_build(config=config)
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        raise
    records = {uri: r for uri, r in records.items() if r.key}  # pages from docs/ are never reused
    return records, len(generated) - len(todo)


class _Job:
    """Rendering pages, in this process or in forked workers that share its state."""

    def __init__(self, config: MkDocsConfig, files: Files, doc_files: list[File], nav: Any, env: Any):
        self.config, self.files, self.doc_files, self.nav, self.env = config, files, doc_files, nav, env

    def render(self, file: File, key: str, populated: bool = False) -> _Rendered:
        """Convert (unless `populated` already), template and write one page; return what it left behind."""
        page, config = _page(file), self.config
        entries = _search_entries(config)
        before = len(entries) if entries is not None else 0
        if not populated:
            mkbuild._populate_page(page, config, self.files)
        anchors = frozenset(page.present_anchor_ids or ())
        links = {target.src_uri: dict(found) for target, found in (page.links_to_anchors or {}).items()}
        mkbuild._build_page(page, config, self.doc_files, self.nav, self.env, excluded=file.inclusion.is_excluded())
        mine = entries[before:] if entries is not None else []
        if entries is not None:
            del entries[before:]  # the index is put together from the pages' records at the end
        stat = os.stat(file.abs_dest_path)
        return _Rendered(key, file.dest_uri, stat.st_size, stat.st_mtime_ns, mine, anchors, links)

    def render_all(self, files: list[File], keys: dict[str, str], jobs: int) -> list[_Rendered]:
        """Render `files` in order; on several cores (forked workers) when there are enough of them."""
        size = max(1, min(_CHUNK, len(files) // (4 * (jobs or cores()))))  # small sites: every core gets work
        # Workers are given positions in `files`, never the files: a pickled copy of a page would not be the page
        # the worker's nav holds (the nav would not show it as the current page).
        chunks = [range(i, min(i + size, len(files))) for i in range(0, len(files), size)]
        done = [r for part in fork_map(lambda at: self.render_chunk([files[i] for i in at], keys), chunks, jobs)
                for r in part]  # fmt: skip
        for record in done:
            for name, level, message in record.logs:
                logging.getLogger(name).log(level, "%s", message)
            record.logs = []
        return done

    def render_chunk(self, files: list[File], keys: dict[str, str]) -> list[_Rendered]:
        """Render some pages, keeping the warnings MkDocs logs with each (a worker's are replayed by the parent)."""
        collected: list[logging.LogRecord] = []
        logger = logging.getLogger("mkdocs")
        saved, logger.handlers = logger.handlers, [_Collector(collected)]
        try:
            out = []
            for file in files:
                collected.clear()
                record = self.render(file, keys[file.src_uri])
                record.logs = [(r.name, r.levelno, r.getMessage()) for r in collected]
                out.append(record)
            return out
        finally:
            logger.handlers = saved


def _page(file: File) -> Page:
    assert file.page is not None, file.src_uri
    return file.page


class _Collector(logging.Handler):
    def __init__(self, into: list[logging.LogRecord]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


def _common_key(config: MkDocsConfig) -> str:
    """A hash of everything that shapes every page's HTML besides its own Markdown."""
    versions = [importlib.metadata.version(p) for p in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")]
    custom = config.theme.custom_dir
    theme = sorted(Path(custom).rglob("*")) if custom else []
    parts = [(str(p.relative_to(custom)), p.read_bytes()) for p in theme if p.is_file()]  # type: ignore[arg-type]
    config_bytes = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
    return digest(
        code_version(), *versions, config_bytes, str(config.site_url), json.dumps(config.nav, sort_keys=True),
        *(part for pair in parts for part in pair),
    )  # fmt: skip


def _link(old: _Rendered, old_site: Path, new_site: str, folders: set[Path]) -> bool:
    """Put the previous build's HTML of a page into the new site; False if it is gone or was changed."""
    source, target = old_site / old.dest, Path(new_site) / old.dest
    try:
        stat = source.stat()
        if (stat.st_size, stat.st_mtime_ns) != (old.size, old.mtime_ns):
            return False
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        os.link(source, target)
    except OSError:
        return False
    return True


def _search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The list the search plugin (Material's or MkDocs') collects its index entries in."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        for name in ("entries", "_entries"):
            found = getattr(index, name, None)
            if isinstance(found, list):
                return found
    return None


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


class _Server(LiveReloadServer):
    """MkDocs' live-reload server, saying its address as soon as it listens."""

    def server_activate(self) -> None:
        super().server_activate()
        print(f"serving the site at {self.url} (Ctrl-C stops)", file=sys.stderr, flush=True)


def serve(config_file: Path, rebuild: Callable[[Path, str], str], watch: list[Path], dev_addr: str | None) -> None:
    """Serve the site with live reload: `rebuild(site_dir, site_url)` builds it and returns a one-line report.

    Every change under `watch` calls it again; the browser reloads when it returns.
    """
    config = load_config(str(config_file), **({"dev_addr": dev_addr} if dev_addr else {}))
    host, port = config.dev_addr
    mount = urlsplit(config.site_url or "/").path
    url = _serve_url(host, port, mount)
    site_dir = Path(tempfile.mkdtemp(prefix="research-serve-"))

    def builder(_config: Any = None) -> None:
        print(rebuild(site_dir / "site", url), flush=True)

    server = _Server(builder=builder, host=host, port=port, root=str(site_dir / "site"), mount_path=mount)
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
