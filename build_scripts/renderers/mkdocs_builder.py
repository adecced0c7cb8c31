"""MkDocs' build, step for step, with the two costly steps reused where their inputs are unchanged.

[`SiteBuilder`][build_scripts.renderers.mkdocs_builder.SiteBuilder] runs the
steps of `mkdocs build` in MkDocs' order, the plugins' events included: every
page, generated or hand-written, is read and converted (`on_pre_page`,
`on_page_markdown`, Markdown to HTML, `on_page_content`) before `on_env`, so
that plugins which resolve cross-references there (autorefs, through
mkdocstrings) see them all. Two steps are reused:

* **conversion** of a generated page: its HTML, table of contents, title,
  anchors and the autorefs anchors it registered are kept, keyed on its
  Markdown and everything else that shapes it, and reused while each page it
  links to is still where it was (a new page converts again only the pages
  that link to it); a page whose key is unchanged still passes through every
  plugin event in order, only the Markdown is not converted again. Pages not
  in the cache are converted up front on all cores (forked workers) and
  applied in order. Hand-written pages (`docs/`, which
  may document code with mkdocstrings) are converted every time.
* **templating** of any page: the HTML file written by the previous build is
  hard-linked when the page's final content (after `on_env`), its title, table
  of contents and front matter, and everything shaping every page (the
  navigation with every page's title, the config, the theme, the versions) are
  unchanged. The others are templated on all cores.

A page's front matter, too, is parsed once per source text (kept with the
conversions). Memory stays flat as the site grows: each page's HTML waits on
disk between its conversion and its templating (a
[`Spill`][build_scripts.renderers.mkdocs_spill.Spill], read and written through
`page.content`, so plugins see no difference), workers leave their conversions
there too, and kept conversions are read from the cache one at a time; the
pages' search entries wait there until the search plugin writes its index. A
live preview keeps one builder for the whole session, so what it may reuse
stays in memory between saves.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from build_scripts.cache import Cache, digest
from build_scripts.model import BuildResult
from build_scripts.renderers import mkdocs_compat as compat
from build_scripts.renderers.mkdocs_plugin import fast_path_reused, plugin_of
from build_scripts.renderers.mkdocs_quick import Warm, around, quick_plugins
from build_scripts.renderers.mkdocs_reuse import (
    Converted,
    Rendered,
    common_key,
    link_previous,
    nav_key,
    page_key,
    replay,
    same_lookups,
    versions,
)
from build_scripts.renderers.mkdocs_spill import Slot, Spill
from build_scripts.renderers.mkdocs_steps import (
    apply_converted,
    conversion_key,
    convert,
    convert_here,
    page_of,
    shared,
    template_page,
)
from build_scripts.workers import forks


class SiteBuilder:
    """Builds a site with MkDocs, reusing conversions and HTML files of earlier builds.

    One builder serves a whole live preview: what it keeps between builds (the
    previous build's files) stays in memory; conversions are kept in `cache`.

    Attributes:
        cache: Where conversions are kept between builds (namespaces `converted`, `read`, `search`).
        jobs: Processes to share the work among (0: one per core).
        previous: The previous build's HTML files by page, with the site folder they are in.
        warm: What the previous build, if it was made in place (live preview), leaves for a quick one.
    """

    def __init__(self, cache: Cache, jobs: int = 0):
        self.cache, self.jobs = cache, jobs
        self.previous: dict[str, Rendered] = {}
        self.warm: Warm | None = None
        self.converted = self.reused = 0
        self._salt = digest(*versions())  # front matter read by this MkDocs and PyYAML

    def build(self, config: MkDocsConfig, result: BuildResult, old_site: Path, templates: Path) -> dict[str, Rendered]:
        """Build `config`'s site of `result` into its `site_dir`, reusing what is unchanged from `old_site`.

        A build into `old_site` itself (live preview) leaves what the next one needs to go the quick way
        (`warm`).

        Returns:
            The pages' records (for the next build).
        """
        self.warm = None
        try:
            return self._build(config, result, old_site, templates)
        except Exception as exc:
            config.plugins.on_build_error(error=exc)
            raise

    def quick(self, result: BuildResult) -> dict[str, Rendered] | None:
        """Rebuild in place only the pages of `result` that changed, as `warm` allows; None if it does not.

        Raises:
            Exception: What MkDocs or a plugin raised; the next build must then go the full way (`warm` is None).
        """
        warm, self.warm = self.warm, None
        changed = warm.changed(result) if warm is not None else None
        if warm is None or changed is None:
            return None
        config, files = warm.config, warm.files
        plugin = plugin_of(config)
        if plugin is not None:  # what `on_config` gives it in a full build
            plugin.result, plugin.fast = result, {}
        records = dict(self.previous)
        spill = Spill(self.cache.directory)
        try:
            found: dict[str, str] = {}
            self.converted = 0
            changed_files = [files.get_file_from_path(path) for path in changed]
            for file in changed_files:
                assert file is not None
                key = conversion_key(warm.converting, file)
                Spill.release(page_of(file))  # its HTML was in the previous build's spill
                self._convert_page(config, files, file, key, None, self.cache.has("converted", key), found, spill)
            for path in result.files:  # claims.json and the assets, copied where they changed
                if (generated := files.get_file_from_path(path)) is not None:
                    generated.copy_file(dirty=True)
            fresh: dict[str, list[dict[str, Any]]] = {}
            for file in changed_files:
                assert file is not None
                records[file.src_uri], fresh[file.src_uri] = template_page(
                    config, warm.doc_files, warm.nav, warm.env, file, page_key(warm.templating, page_of(file)), spill
                )
                replay(records[file.src_uri].logs)
                records[file.src_uri].logs = []
                self.cache.put("search", records[file.src_uri].key, fresh[file.src_uri])
            pages = warm.doc_files
            self._finish(config, files, pages, (self._entries(f.src_uri, records, fresh) for f in pages))
        finally:
            spill.close()
        self.reused = len(warm.doc_files) - len(changed)
        self.previous = records
        self.warm = replace(warm, digests={page.path: page.digest for page in result.pages})  # the same around
        return records

    def _entries(
        self, uri: str, records: dict[str, Rendered], fresh: dict[str, list[dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """A page's search entries: made by this build (`fresh`), or kept with its record."""
        if uri in fresh:
            return fresh[uri]
        entries: list[dict[str, Any]] | None = self.cache.get("search", records[uri].key)
        if entries is None:
            raise LookupError(f"the search entries of {uri} are no longer kept")
        return entries

    def _build(self, config: MkDocsConfig, result: BuildResult, old_site: Path, templates: Path) -> dict[str, Rendered]:
        generated = {page.path for page in result.pages}
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
        common = common_key(config)
        spill = Spill(self.cache.directory)
        try:
            self._convert_all(config, files, doc_files, generated, common, spill)
            env = config.plugins.on_env(env, config=config, files=files)
            templating = nav_key(common, config, nav)
            records = self._write(config, files, doc_files, nav, env, templating, old_site, spill)
        finally:
            spill.close()
        if Path(config.site_dir) == old_site and quick_plugins(config):  # live preview: the next save may go quick
            self.warm = Warm(config, files, doc_files, nav, env, common, templating, around(config, result),
                             {page.path: page.digest for page in result.pages})  # fmt: skip
        return records

    def _write(
        self, config: MkDocsConfig, files: Files, doc_files: list[File], nav: Navigation, env: Any, common: str,
        old_site: Path, spill: Spill,
    ) -> dict[str, Rendered]:  # fmt: skip
        """After `on_env`: the static files and templates, every page, the link check, and the search index."""
        in_place = Path(config.site_dir) == old_site
        files.copy_static_files(dirty=in_place, inclusion=InclusionLevel.is_included)  # in place: the changed ones
        for template in config.theme.static_templates:
            compat.build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            compat.build_extra_template(template, files, config, nav)
        records, found = self._template_all(config, doc_files, nav, env, common, old_site, spill)
        self._finish(config, files, doc_files, (spill.take(found[f.src_uri]) for f in doc_files))
        self.previous = records
        return records

    @staticmethod
    def _finish(
        config: MkDocsConfig, files: Files, doc_files: list[File], entries: Iterable[list[dict[str, Any]]]
    ) -> None:
        """Once every page is written: the links to anchors checked, and `on_post_build` (the search index)."""
        log_level = config.validation.links.anchors
        for file in doc_files:
            page_of(file).validate_anchor_links(files=files, log_level=log_level)
        compat.post_build(config, (entry for page_entries in entries for entry in page_entries))

    # -- conversion ----------------------------------------------------------------------------------

    def _convert_all(
        self, config: MkDocsConfig, files: Files, doc_files: list[File], generated: set[str], common: str, spill: Spill
    ) -> None:
        """Read and convert every page in order, each through MkDocs' events; conversions reused or done up front.

        Each page's HTML waits in `spill` once converted, as does each conversion done up front by a worker.
        """
        keys = {f.src_uri: conversion_key(common, f) for f in doc_files if f.src_uri in generated}
        kept = {uri for uri, key in keys.items() if self.cache.has("converted", key)}
        todo = [file for file in doc_files if file.src_uri in keys and file.src_uri not in kept]
        done: dict[str, Slot] = {}  # conversions done up front, waiting in the spill
        found: dict[str, str] = {}  # what each path looked up finds in `files` (see same_lookups)
        if forks(len(todo), self.jobs):  # up front, on all cores: a worker runs the events on its own copy of plugins
            slots = shared(lambda chunk: [spill.put(convert_here(config, files, f)) for f in chunk], todo, self.jobs)
            done = {f.src_uri: slot for f, slot in zip(todo, slots, strict=True)}
        self.converted = 0
        for file in doc_files:
            slot = done.get(file.src_uri)
            self._convert_page(config, files, file, keys.get(file.src_uri), slot, file.src_uri in kept, found, spill)

    def _convert_page(
        self, config: MkDocsConfig, files: Files, file: File, key: str | None, slot: Slot | None, kept: bool,
        found: dict[str, str], spill: Spill,
    ) -> None:  # fmt: skip
        """Read and convert one page through MkDocs' events, its conversion reused if one is kept for it.

        `key` is its conversion key (a generated page; None: converted), `slot` where in `spill` a worker left
        its conversion, `kept` whether the cache holds one under `key` already (else a new one is put there),
        and `found` what each path looked up finds in `files` (see `same_lookups`). The page ends in `spill`.
        """
        page = page_of(file)
        compat.set_current_page(config, page)
        try:
            page = config.plugins.on_pre_page(page, config=config, files=files)
            self._read_source(config, page)
            assert page.markdown is not None
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            ready: Converted | None = None
            if key is not None:
                ready = self.cache.get("converted", key) if slot is None else spill.take(slot)
            if ready is not None and ready.markdown == digest(page.markdown) and same_lookups(files, ready, found):
                apply_converted(config, files, page, ready)
                fast_path_reused(config, page)
            else:
                ready = convert(config, files, page)
                replay(ready.logs)
                self.converted += 1
                kept = False
            if key is not None and not kept:  # a new conversion: kept for next time
                self.cache.put("converted", key, ready)
            del ready  # its HTML is the page's now, soon in the spill folder only
            assert page.content is not None
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
            spill.page(page)
        except Exception as exc:
            logging.getLogger("mkdocs").error("Error reading page '%s': %s", file.src_uri, exc)
            raise
        finally:
            compat.set_current_page(config, None)

    def _read_source(self, config: MkDocsConfig, page: Page) -> None:
        """`page.read_source`, with the front matter of a source read before not parsed again."""
        source = config.plugins.on_page_read_source(page=page, config=config)
        if source is None:
            source = page.file.content_string
        key = digest(self._salt, source)
        # Where the Markdown starts, and the front matter, pickled.
        read: tuple[int, bytes] | None = self.cache.get("read", key)
        if read is None:
            markdown, meta = get_data(source)
            if not source.endswith(markdown):  # not a plain front matter block: not kept
                page.markdown, page.meta = markdown, meta
                return
            read = (len(source) - len(markdown), pickle.dumps(meta, protocol=pickle.HIGHEST_PROTOCOL))
            self.cache.put("read", key, read)
        page.markdown, page.meta = source[read[0] :], pickle.loads(read[1])  # a copy of its own: plugins change it

    # -- templating ----------------------------------------------------------------------------------

    def _template_all(
        self, config: MkDocsConfig, doc_files: list[File], nav: Navigation, env: Any, common: str, old_site: Path,
        spill: Spill,
    ) -> tuple[dict[str, Rendered], dict[str, Slot]]:  # fmt: skip
        """Template every page, or hard-link its HTML from `old_site` when its key is unchanged.

        Returns:
            The pages' records, and where in `spill` each page's search entries wait.
        """
        records: dict[str, Rendered] = {}
        found: dict[str, Slot] = {}
        folders: set[Path] = set()
        todo: list[File] = []
        keys = {f.src_uri: page_key(common, page_of(f)) for f in doc_files}
        for file in doc_files:
            old = self.previous.get(file.src_uri)
            if (
                old is not None
                and old.key == keys[file.src_uri]
                and (entries := self.cache.get("search", old.key)) is not None
                and link_previous(old, old_site, config.site_dir, folders)
            ):
                records[file.src_uri], found[file.src_uri] = old, spill.put(entries)
            else:
                todo.append(file)

        def template(chunk: list[File]) -> list[tuple[Rendered, Slot]]:
            done = (template_page(config, doc_files, nav, env, f, keys[f.src_uri], spill) for f in chunk)
            return [(record, spill.put(entries)) for record, entries in done]

        self.reused = len(doc_files) - len(todo)
        for file, (record, slot) in zip(todo, shared(template, todo, self.jobs), strict=True):
            replay(record.logs)
            record.logs = []
            records[file.src_uri], found[file.src_uri] = record, slot
            self.cache.put("search", record.key, spill.take(slot))  # kept for the next build, which may reuse it
        return records, found
