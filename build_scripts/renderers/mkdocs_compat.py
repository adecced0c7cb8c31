"""Every private MkDocs (and plugin) entry the incremental build relies on, behind one version check.

MkDocs has no public API for building one page at a time, so the builder
([`mkdocs_builder`][build_scripts.renderers.mkdocs_builder]) calls a few of
its private functions; they, and the private parts of the search and autorefs
plugins it touches, are reached only through this module.
[`check_version`][build_scripts.renderers.mkdocs_compat.check_version] runs
before any build or preview and names the supported range when the installed
MkDocs is outside it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import mkdocs
from mkdocs.commands import build as _build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import _serve_url
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

__all__ = [
    "SUPPORTED",
    "IncompatibleMkDocs",
    "build_extra_template",
    "build_page",
    "build_theme_template",
    "check_version",
    "post_build",
    "recording_anchors",
    "replay_anchors",
    "search_entries",
    "serve_url",
    "set_current_page",
    "set_title_from_render",
    "title_from_render",
]

SUPPORTED = (1, 6)
"""The MkDocs release series (major, minor) whose private functions this module calls."""

Anchor = tuple[str, str | None, str | None, bool]
"""An anchor a page registered with autorefs: identifier, anchor, title, primary."""


class IncompatibleMkDocs(Exception):
    """The installed MkDocs is not the release series this tool supports (the message says which)."""


def check_version(installed: str | None = None) -> None:
    """Check that the installed MkDocs (or `installed`) is in the supported series.

    Raises:
        IncompatibleMkDocs: If it is not, naming both versions and the fix.
    """
    version = installed or mkdocs.__version__
    parts = tuple(int(p) if p.isdigit() else -1 for p in version.split(".")[:2])
    if parts != SUPPORTED:
        wanted = ".".join(map(str, SUPPORTED))
        raise IncompatibleMkDocs(
            f"MkDocs {version} is installed; research-site supports MkDocs {wanted}.x only "
            f'(install it with `pip install "mkdocs~={wanted}.0"`, or build with `--renderer zensical`)'
        )


def build_page(page: Page, config: MkDocsConfig, doc_files: list[Any], nav: Navigation, env: Any) -> None:
    """Template and write one converted page (`on_page_context`, `on_post_page` included)."""
    _build._build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())


def build_theme_template(name: str, env: Any, files: Files, config: MkDocsConfig, nav: Navigation) -> None:
    """Write one of the theme's static templates (404.html, sitemap.xml, ...)."""
    _build._build_theme_template(name, env, files, config, nav)


def build_extra_template(name: str, files: Files, config: MkDocsConfig, nav: Navigation) -> None:
    """Write one of the configured `extra_templates`."""
    _build._build_extra_template(name, files, config, nav)


def set_current_page(config: MkDocsConfig, page: Page | None) -> None:
    """Tell MkDocs (and plugins that ask it) which page is being converted, as its build loop does."""
    config._current_page = page


def title_from_render(page: Page) -> str | None:
    """The title MkDocs took from a converted page's first heading."""
    title: str | None = getattr(page, "_title_from_render", None)
    return title


def set_title_from_render(page: Page, title: str | None) -> None:
    """Give a page whose conversion was reused the title its conversion found."""
    page._title_from_render = title


def serve_url(host: str, port: int, mount: str) -> str:
    """The address MkDocs' live-reload server serves at."""
    return _serve_url(host, port, mount)


def search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The list the search plugin (Material's or MkDocs') collects its index entries in."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        for name in ("entries", "_entries"):
            found = getattr(index, name, None)
            if isinstance(found, list):
                return found
    return None


def post_build(config: MkDocsConfig, entries: Iterable[dict[str, Any]]) -> None:
    """Run the `on_post_build` event, the search plugin's index made of `entries` (taken one at a time).

    Material's search plugin would put the whole index in one string: its
    event writes the same file from `entries` as they come instead. Another
    search plugin is given them all in its list.
    """
    plugin = _material_search(config)
    events = config.plugins.events["post_build"]
    if plugin is None or plugin.on_post_build not in events:
        found = search_entries(config)
        if found is not None:
            found[:] = entries
        config.plugins.on_post_build(config=config)
        return
    at = events.index(plugin.on_post_build)

    def write(*, config: MkDocsConfig) -> None:
        _write_search_index(plugin, os.path.join(config.site_dir, "search", "search_index.json"), entries)

    events[at] = write
    try:
        config.plugins.on_post_build(config=config)
    finally:
        events[at] = plugin.on_post_build


def _material_search(config: MkDocsConfig) -> Any | None:
    """Material's search plugin, if it is on and writes a whole index (not a live reload's partial one)."""
    for plugin in config.plugins.values():
        if type(plugin).__module__ == "material.plugins.search.plugin" and plugin.config.enabled:
            return plugin if not plugin.is_dirty and plugin.search_index_prev is None else None
    return None


def _write_search_index(plugin: Any, path: str, entries: Iterable[dict[str, Any]]) -> None:
    """Write the bytes Material's `SearchIndex.generate_search_index` would, one entry at a time."""
    settings = {key: plugin.config[key] for key in ["lang", "separator", "pipeline", "fields"]}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        out.write(b'{"config":' + _json(settings) + b',"docs":[')
        for n, entry in enumerate(entries):
            out.write(b"," + _json(entry) if n else _json(entry))
        out.write(b"]}")


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), default=str).encode("utf-8")


def _autorefs(config: MkDocsConfig) -> Any | None:
    plugin = config.plugins.get("autorefs")
    return plugin if plugin is not None and hasattr(plugin, "register_anchor") else None


@contextmanager
def recording_anchors(config: MkDocsConfig) -> Iterator[list[Anchor]]:
    """Record the anchors autorefs registers while a page converts (to give them to it again on reuse)."""
    plugin, recorded = _autorefs(config), list[Anchor]()
    if plugin is None:
        yield recorded
        return
    original = plugin.register_anchor

    def register(page: Any, identifier: str, anchor: str | None = None, *, title: str | None = None,
                 primary: bool = True) -> None:  # fmt: skip
        recorded.append((identifier, anchor, title, primary))
        original(page, identifier, anchor, title=title, primary=primary)

    plugin.register_anchor = register
    try:
        yield recorded
    finally:
        del plugin.register_anchor  # the class's method again


def replay_anchors(config: MkDocsConfig, page: Page, anchors: list[Anchor]) -> None:
    """Register with autorefs the anchors a page registered when it was converted."""
    plugin = _autorefs(config)
    if plugin is not None:
        for identifier, anchor, title, primary in anchors:
            plugin.register_anchor(page, identifier, anchor, title=title, primary=primary)
