"""MkDocs with Material as a [`SiteRenderer`][build_scripts.renderers.base.SiteRenderer].

Builds with [`build_site`][build_scripts.renderers.mkdocs_adapter.build_site]
(only the pages that changed are rendered again) and serves with the adapter's
live-reload server, rebuilding on every save.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from build_scripts import history
from build_scripts.cache import Cache
from build_scripts.config import Settings
from build_scripts.model import BuildResult
from build_scripts.renderers import project
from build_scripts.renderers.base import Preview, RenderError
from build_scripts.renderers.mkdocs_adapter import SiteBuild, SiteError, WarmSite, build_site, serve

__all__ = ["MkDocsRenderer"]

_NOT_BUILT = "the site was not built; the previous site/ is unchanged"


class MkDocsRenderer:
    """MkDocs with Material for MkDocs: rebuilds render only the pages that changed, on all cores."""

    def build(self, config_file: Path, settings: Settings, result: BuildResult, site_dir: Path, jobs: int) -> str:
        """Check the hand-written pages, then build the site (as `SiteRenderer.build` says)."""
        try:
            project.check_hand_written(config_file, result)
        except project.ProjectError as exc:
            raise RenderError(str(exc)) from None
        cache = Cache(settings.cache_dir)
        done = _build(settings, lambda: build_site(config_file, result, site_dir, cache, jobs=jobs))
        return f"site built in {site_dir}: {_counts(done)}"

    def serve(self, preview: Preview) -> int:
        """Live preview: each save rebuilds what changed and prints one line."""
        warm: dict[Path, WarmSite] = {}  # one builder for the whole session: what it may reuse stays in memory

        def rebuild(site_dir: Path, site_url: str) -> str:
            start = time.perf_counter()
            if site_dir not in warm:
                warm[site_dir] = WarmSite(preview.config_file, site_dir, preview.cache, in_place=True)
            site = warm[site_dir]
            fresh = preview.regenerate()
            result = fresh.result
            if result is None:
                return f"{fresh.changed}: not rebuilt, problems above; the preview shows the last good site"
            try:
                done = _build(fresh.settings, lambda: site.build(result, site_url=site_url))
            except RenderError as exc:
                print(*(f"error: {line}" for line in exc.args), sep="\n", file=sys.stderr)
                return f"{fresh.changed}: not rebuilt; the preview shows the last good site"
            warned = len(result.diagnostics)
            notice = f" ({warned} warning(s): `research-site check` lists them)" if warned else ""
            return f"{fresh.changed}: {_counts(done, time.perf_counter() - start)}{notice}"

        try:
            serve(preview.config_file, rebuild, preview.watch, preview.dev_addr)
        except SiteError as exc:
            raise RenderError(str(exc)) from None
        return 0


def _build(settings: Settings, build: Callable[[], SiteBuild]) -> SiteBuild:
    """The MkDocs stage (`build`), with the sitemap dated reproducibly.

    Raises:
        RenderError: If MkDocs failed; the previous site is kept.
    """
    try:
        with _source_date_epoch(settings):
            return build()
    except SiteError as exc:
        raise RenderError(str(exc), _NOT_BUILT) from None


def _counts(done: SiteBuild, seconds: float | None = None) -> str:
    total = done.seconds if seconds is None else seconds
    return f"{done.rendered} pages rendered, {done.reused} reused, {total:.2f} s"


@contextmanager
def _source_date_epoch(settings: Settings) -> Iterator[None]:
    """Reproducible output: MkDocs dates the sitemap from SOURCE_DATE_EPOCH (here: the content's last commit)."""
    saved = {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    inputs = (settings.content_dir, settings.bib_dir, settings.root / "mkdocs.yml")  # the project's, not the tool's
    epoch = saved["SOURCE_DATE_EPOCH"] or history.last_commit_time(settings.root, *inputs) or "0"
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        yield
    finally:
        for name, value in saved.items():  # the environment as it was
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
