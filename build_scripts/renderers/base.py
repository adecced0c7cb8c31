"""The renderers behind one protocol: the command line builds and serves a site without knowing which renders it.

[`renderer_for`][build_scripts.renderers.base.renderer_for] gives the
[`SiteRenderer`][build_scripts.renderers.base.SiteRenderer] of a
[`Renderer`][build_scripts.renderers.project.Renderer] name, importing its
module only then (MkDocs and Zensical are imported by the commands that build).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from build_scripts.cache import Cache
from build_scripts.config import Settings
from build_scripts.model import BuildResult
from build_scripts.renderers.project import Renderer

__all__ = ["Preview", "Regenerated", "RenderError", "SiteRenderer", "renderer_for"]


class RenderError(Exception):
    """The site could not be built or served; each argument is one line of why (printed as `error: ...`)."""


@dataclass(frozen=True, slots=True)
class Regenerated:
    """The generator run again for live preview.

    Attributes:
        settings: The project's settings, read again (`mkdocs.yml` may have changed).
        changed: What changed since the previous run, in a few words.
        result: The generator's result; None when it has problems (already printed).
    """

    settings: Settings
    changed: str
    result: BuildResult | None


@dataclass(frozen=True, slots=True)
class Preview:
    """What live preview needs besides the renderer.

    Attributes:
        config_file: The project's `mkdocs.yml`.
        settings: The project's settings.
        regenerate: Runs the generator again on the current inputs.
        watch: Files and folders whose changes rebuild the preview.
        dev_addr: `IP:PORT` to serve on, or None for the configured or default one.
        cache: The generator's cache, shared by every rebuild.
    """

    config_file: Path
    settings: Settings
    regenerate: Callable[[], Regenerated]
    watch: list[Path]
    dev_addr: str | None
    cache: Cache


class SiteRenderer(Protocol):
    """A renderer that turns the generator's pages into a site."""

    def build(self, config_file: Path, settings: Settings, result: BuildResult, site_dir: Path, jobs: int) -> str:
        """Build the site of `result` into `site_dir` (swapped in when done); return a one-line report.

        Raises:
            RenderError: If the site was not built; `site_dir` is then unchanged.
        """
        ...

    def serve(self, preview: Preview) -> int:
        """Serve a live preview, printing its address once it listens; return the exit status when stopped.

        Raises:
            RenderError: If the preview cannot start.
        """
        ...


_MODULES = {
    Renderer.MKDOCS: ("build_scripts.renderers.mkdocs_renderer", "MkDocsRenderer"),
    Renderer.ZENSICAL: ("build_scripts.renderers.zensical_adapter", "ZensicalRenderer"),
}


def renderer_for(name: Renderer) -> SiteRenderer:
    """The renderer called `name`, its module imported now."""
    module, cls = _MODULES[Renderer(name)]
    renderer: SiteRenderer = getattr(importlib.import_module(module), cls)()
    return renderer
