"""The build, top to bottom: load notes, load the library, link, reconcile, render.

```python
result = build(load_settings(Path("mkdocs.yml")))
for d in result.diagnostics: print(d)
```

Nothing here knows about MkDocs: the result is Markdown pages, other files and
a navigation tree, which [`mkdocs_hook`][build_scripts.mkdocs_hook] (or any
other renderer) turns into a site.
"""

from __future__ import annotations

from collections import defaultdict

from . import bib, cite, notes, reconcile
from .config import Settings
from .link import build_index
from .model import BuildResult, Diagnostic, Location, NavItem, Severity
from .render import pages
from .render.context import Context
from .render.export import claims_json


def check(settings: Settings) -> tuple[Context | None, list[Diagnostic]]:
    """Load, link and reconcile everything; return the render context and all diagnostics.

    The context is None when there are errors, so nothing is rendered from broken inputs.
    """
    diags: list[Diagnostic] = []
    loaded_notes, found = notes.load_notes(settings.content_dir, settings.root)
    diags += found
    bib_files = settings.bib_files
    if not bib_files:
        diags.append(Diagnostic(Location(_rel(settings.bib_dir, settings)), Severity.WARNING,
                                "no .bib files found", "add your BibTeX library as bib/library.bib"))
    sources, found = bib.load_library(bib_files, settings.root)
    diags += found
    index, found = build_index(loaded_notes, sources)
    diags += found
    inconsistencies, values, found = reconcile.reconcile(index.facts, index.claims)
    diags += found
    try:
        refs = cite.format_references(sources.values(), settings.csl_style)
    except cite.StyleError as exc:
        diags.append(Diagnostic(Location("mkdocs.yml"), Severity.ERROR, str(exc),
                                "set extra.research.csl_style to a style name such as chicago-author-date"))
        refs = {}
    diags = sorted(set(diags))
    if any(d.severity is Severity.ERROR for d in diags):
        return None, diags
    by_fact: dict = defaultdict(list)
    for issue in inconsistencies:
        by_fact[issue.fact.id].append(issue)
    return Context(index, refs, dict(by_fact), values, settings), diags


def build(settings: Settings) -> BuildResult:
    """Run the whole generator: Markdown pages, `claims.json` and navigation."""
    ctx, diags = check(settings)
    result = BuildResult(diagnostics=diags)
    if ctx is None:
        return result
    index = ctx.index
    ordered = [*index.topics, *(n for n in index.notes.values() if n.kind != "topic")]
    result.pages += [pages.note_page(note, ctx) for note in ordered]
    result.pages += [pages.source_page_md(key, ctx) for key in sorted(index.sources)]
    result.pages += [pages.bibliography_page(ctx), pages.notes_index_page(ctx), pages.inconsistencies_page(ctx)]
    result.files["claims.json"] = claims_json(ctx)
    result.nav = _nav(ctx)
    return result


def _nav(ctx: Context) -> list[NavItem]:
    """Home, the topics, and the index pages; notes and sources are reached from those."""
    index = ctx.index
    nav = [NavItem("Home", "index.md")] if index.home else []
    nav.append(NavItem("Topics", children=tuple(NavItem(t.title, index.page(t.id)) for t in index.topics)))
    nav += [NavItem("Inconsistencies", "inconsistencies.md"), NavItem("Bibliography", "bibliography.md"),
            NavItem("All notes", "notes/index.md")]
    return nav


def _rel(path, settings: Settings) -> str:
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        return str(path)
