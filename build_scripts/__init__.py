"""Research-site generator: structured notes and a BibTeX library in, cross-referenced pages out.

A build runs the stages of [`STAGES`][build_scripts.pipeline.STAGES], each
named there with its module and purpose, in this order:

library → history → notes → link → archive → verify → coverage → reconcile → cite → render → export

[`build`][build_scripts.pipeline.build] runs them all and writes the pages;
[`check`][build_scripts.pipeline.check] stops before rendering. A renderer
(`renderers/`: MkDocs or Zensical) then turns the pages into a site.
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
