"""The only module that imports MkDocs: hands the generated pages to it.

Registered in `mkdocs.yml` under `hooks:`. On every build (and every live
rebuild of `mkdocs serve`) it runs the [pipeline][build_scripts.pipeline],
logs each diagnostic as a MkDocs warning or error (so `mkdocs build --strict`
fails on warnings; under `python -m build_scripts build`, which has reported
and judged them already, warnings are not repeated), stops on errors, logs the
change report, prepends the generated navigation to the one in `mkdocs.yml`,
and adds the pages as in-memory files. Nothing is written into `docs_dir`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from build_scripts import pipeline, report
from build_scripts.cache import Cache
from build_scripts.config import REPORTED_ENV, load_settings
from build_scripts.model import BuildResult, NavItem, Severity

log = logging.getLogger("mkdocs.hooks.research")
_result: BuildResult | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Run the generator and merge its navigation into the site's."""
    global _result
    settings = load_settings(Path(config.config_file_path))
    result = pipeline.build(settings, Cache(settings.cache_dir))
    errors = 0
    for diag in result.diagnostics:
        if diag.severity is Severity.ERROR:
            errors += 1
            log.error(str(diag))
        elif not os.environ.get(REPORTED_ENV):
            log.warning(str(diag))
    if errors:
        raise PluginError(
            f"{errors} error(s) in the notes or the library; nothing was built "
            "(run `python -m build_scripts check` to list them)"
        )
    _report_changes(result, settings.cache_dir / "last-build.json")
    config.nav = [_nav_entry(item) for item in result.nav] + list(config.nav or [])
    _result = result
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and files to the site (the files now hold them: the result is let go)."""
    global _result
    assert _result is not None
    for page in _result.pages:
        files.append(File.generated(config, page.path, content=page.markdown))
    for path, data in sorted(_result.files.items()):
        files.append(File.generated(config, path, content=data))
    _result = None
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Let go of a page's Markdown and HTML once it is written: memory stays flat as the site grows."""
    page.markdown = None
    page.content = None
    return output


def _report_changes(result: BuildResult, path: Path) -> None:
    """Log what changed since the previous build (also on every live rebuild)."""
    current = report.inventory(result)
    for line in report.compare(report.load(path), current):
        log.info("changes: %s", line)
    report.save(path, current)


def _nav_entry(item: NavItem) -> dict:
    if item.children:
        return {item.title: [_nav_entry(child) for child in item.children]}
    return {item.title: item.path}
