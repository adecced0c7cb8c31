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

__all__ = ["ASSETS", "OVERRIDES"]

OVERRIDES = Path(__file__).parent / "overrides"
"""The tool's theme overrides (Jinja templates extending Material's)."""

ASSETS = Path(__file__).parent / "assets"
"""The stylesheet and script the generated pages need."""
