"""What every project's site needs from the tool itself, shipped as package data.

* `overrides/`: theme templates (citation metadata in every page's head, the
  breadcrumb of pages outside the nav). The MkDocs plugin puts them after a
  project's own `custom_dir` and before Material's templates; a project written
  for Zensical gets them copied into its `overrides/`.
* `assets/`: the stylesheet and script the generated pages need (callouts,
  matrix, footnotes, permalinks, taps), written with the pages under
  `assets/research/`.
"""

from pathlib import Path
from typing import Any

__all__ = ["ASSETS", "OVERRIDES", "PLUGIN", "plugin_name", "theme_folders"]

PLUGIN = "research-site"
"""The MkDocs plugin's name under `plugins:` in `mkdocs.yml` (its entry point)."""

OVERRIDES = Path(__file__).parent / "overrides"
"""The tool's theme overrides (Jinja templates extending Material's)."""

ASSETS = Path(__file__).parent / "assets"
"""The stylesheet and script the generated pages need."""


def plugin_name(entry: Any) -> str | None:
    """The name of an entry under `plugins:` (`- name` or `- name: {options}`)."""
    if isinstance(entry, str):
        return entry
    return next(iter(entry), None) if isinstance(entry, dict) and len(entry) == 1 else None


def theme_folders(config: dict[str, Any], source: Path) -> list[Path]:
    """The theme override folders a project written from `config` (a `mkdocs.yml` in `source`) merges, lowest first.

    The tool's own overrides (unless the plugin's `theme_overrides` option is
    false), then the project's `custom_dir`, whose files win.
    """
    options: Any = next((p[PLUGIN] for p in config.get("plugins") or [] if plugin_name(p) == PLUGIN
                         and isinstance(p, dict)), None)  # fmt: skip
    folders = [] if isinstance(options, dict) and options.get("theme_overrides") is False else [OVERRIDES]
    theme = config.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom, str):
        folders.append(source / custom)
    return folders
