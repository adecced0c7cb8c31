"""Research-site generator: structured notes and a BibTeX library in, cross-referenced pages out.

The stages, in order: [`notes`][build_scripts.notes.load] and [`bib`][build_scripts.library.bib]
load the inputs, [`link`][build_scripts.notes.link] resolves every reference,
[`reconcile`][build_scripts.check.reconcile] finds where sources disagree,
[`cite`][build_scripts.citations.cite] formats references, and [`render`][build_scripts.render]
writes Markdown. [`pipeline`][build_scripts.pipeline] runs them top to bottom.
"""

from build_scripts.config import Settings, load_settings
from build_scripts.model import (
    BuildResult,
    Citation,
    Claim,
    CrossRef,
    Diagnostic,
    Fact,
    Inconsistency,
    Location,
    NavItem,
    Note,
    Page,
    Severity,
    Source,
)
from build_scripts.pipeline import build, check

__all__ = [
    "BuildResult",
    "Citation",
    "Claim",
    "CrossRef",
    "Diagnostic",
    "Fact",
    "Inconsistency",
    "Location",
    "NavItem",
    "Note",
    "Page",
    "Settings",
    "Severity",
    "Source",
    "build",
    "check",
    "load_settings",
]
