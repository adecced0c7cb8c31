"""The MkDocs plugin `research-site`: the generated pages and the tool's theme in any MkDocs build.

Registered as an entry point (`mkdocs.plugins`), so that a project's
`mkdocs.yml` needs only

```yaml
plugins:
  - search
  - research-site
```

and plain `mkdocs build` and `mkdocs serve` work (rendering every page). The
plugin runs the generator (unless [`build_site`][build_scripts.renderers.mkdocs_adapter.build_site]
supplied its result), merges the generated navigation and assets into the
site's, adds the generated pages to its files and puts the tool's theme
overrides ([`OVERRIDES`][build_scripts.theme.OVERRIDES]) among the theme's
template folders: after a project's own `custom_dir`, before Material's. With
`fast_path` on (the default) it renders the generated pages itself, with
[`fast_page`][build_scripts.renderers.fast_page], in `on_page_markdown` and
`on_page_content`. Its state lives on the plugin instance, one per loaded config.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from build_scripts import pipeline
from build_scripts.cache import Cache
from build_scripts.config import ConfigError, load_settings
from build_scripts.model import BuildResult, Severity
from build_scripts.renderers import fast_html, fast_page
from build_scripts.renderers.project import merged_assets, merged_nav
from build_scripts.theme import OVERRIDES, PLUGIN

__all__ = ["NAME", "ResearchSiteConfig", "ResearchSitePlugin", "fast_path_convert", "fast_path_reused", "plugin_of"]

NAME = PLUGIN
"""The plugin's name under `plugins:` in `mkdocs.yml` (its entry point)."""

log = logging.getLogger("mkdocs.plugins.research_site")


class ResearchSiteConfig(Config):
    """The plugin's options in `mkdocs.yml`.

    Attributes:
        theme_overrides: Add the tool's theme overrides (citation metadata, breadcrumbs) to the theme (default true).
        fast_path: Render the generated pages with markdown-it-py instead of Python-Markdown (default true;
            the HTML is the same, only quicker).
    """

    theme_overrides = config_options.Type(bool, default=True)
    fast_path = config_options.Type(bool, default=True)


class ResearchSitePlugin(BasePlugin[ResearchSiteConfig]):
    """Runs the generator and hands its pages, navigation, assets and theme overrides to MkDocs.

    Attributes:
        supplied: A generator result to use instead of running the generator (set by `build_site`).
        result: The result of this build, once `on_config` has run.
    """

    supplied: BuildResult | None = None
    result: BuildResult | None = None
    fast: dict[str, str]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Run the generator (unless a result was supplied); merge its nav and assets; add the theme overrides."""
        result = self.supplied or self._generate(Path(config.config_file_path))
        config.nav = merged_nav(result.nav, config.nav)
        config.extra_css = merged_assets(config.extra_css, result.stylesheets)
        config.extra_javascript = merged_assets(config.extra_javascript, result.scripts)
        if self.config.theme_overrides and str(OVERRIDES) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        self.result = result
        self.fast = {}
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages and files to the site, read from where the generator wrote them."""
        result = self.result
        assert result is not None and result.folder is not None
        folder, urls = str(result.folder), config.use_directory_urls
        for path in [*(page.path for page in result.pages), *result.files]:
            files.append(File(path, src_dir=folder, dest_dir=config.site_dir, use_directory_urls=urls))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Keep a generated page's Markdown for the fast path; Python-Markdown gets only its title line."""
        result = self.result
        if not self.config.fast_path or result is None or not _generated(page, result):
            return markdown
        self.fast[page.file.src_uri] = markdown
        return fast_page.stand_in(markdown)

    def convert_fast(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """Finish converting a page kept by `on_page_markdown`: its HTML and toc from the fast path.

        Called once Python-Markdown has rendered the stand-in (which gives the page its title): by
        `on_page_content`, or earlier by the incremental builder, which keeps the conversion (and does it
        in its workers). A page leaving a `[text][id]` reference undefined is rendered by Python-Markdown
        whole instead: autorefs (mkdocstrings) makes an API cross-reference of it.
        """
        markdown = self.fast.pop(page.file.src_uri, None)
        if markdown is None:
            return
        parsed = fast_html.parse(markdown)
        if "autorefs" in config.plugins and parsed.leaves_references():
            page.markdown = markdown
            page.render(config, files)
        else:
            page.content = fast_page.render_page(page, parsed, files, config)

    def reuse(self, page: Page) -> None:
        """The incremental builder gave `page` a kept conversion: nothing is left to render for it."""
        self.fast.pop(page.file.src_uri, None)

    @event_priority(100)  # before autorefs reads the table of contents
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Render a generated page kept by `on_page_markdown` with the fast path."""
        if page.file.src_uri not in self.fast:
            return html
        self.convert_fast(page, config, files)
        return page.content or ""

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Let go of a page's Markdown and HTML once it is written: memory stays flat as the site grows."""
        page.markdown = None
        page.content = None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Forget this build's result (a live preview loads the config, and the plugin, again)."""
        self.supplied = self.result = None

    @staticmethod
    def _generate(config_file: Path) -> BuildResult:
        """Run the generator for plain `mkdocs build`/`serve`, logging its problems as MkDocs does its own."""
        try:
            settings = load_settings(config_file)
        except ConfigError as exc:  # plain `mkdocs build`: our commands report it before MkDocs starts
            raise PluginError(str(exc)) from None
        result = pipeline.build(settings, Cache(settings.cache_dir))
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        for diag in result.diagnostics:
            (log.error if diag.severity is Severity.ERROR else log.warning)(str(diag))
        if errors:
            raise PluginError(
                f"{len(errors)} error(s) in the notes or the library; nothing was built "
                "(run `research-site check` to list them)"
            )
        for line in pipeline.changes(settings, result):
            log.info("changes: %s", line)
        return result


def _generated(page: Page, result: BuildResult) -> bool:
    """Whether the generator wrote this page (not a hand-written page of `docs/`)."""
    return result.folder is not None and page.file.src_dir == str(result.folder)


def plugin_of(config: MkDocsConfig) -> ResearchSitePlugin | None:
    """The `research-site` plugin loaded by `config`, if its `mkdocs.yml` names it."""
    plugin = config.plugins.get(NAME)
    return plugin if isinstance(plugin, ResearchSitePlugin) else None


def fast_path_convert(config: MkDocsConfig, files: Files, page: Page) -> None:
    """For a builder converting pages itself: finish `page` with the fast path, if the plugin kept it."""
    plugin = plugin_of(config)
    if plugin is not None:
        plugin.convert_fast(page, config, files)


def fast_path_reused(config: MkDocsConfig, page: Page) -> None:
    """For a builder reusing a kept conversion of `page`: the plugin has nothing left to render for it."""
    plugin = plugin_of(config)
    if plugin is not None:
        plugin.reuse(page)
