"""The build, top to bottom: load notes, load the library, link, reconcile, format, render.

```python
result = build(load_settings(Path("mkdocs.yml")), Cache(Path(".research-cache")))
for d in result.diagnostics: print(d)
```

Nothing here knows about MkDocs: the result is Markdown pages, other files and
a navigation tree, which the [`research-site`][build_scripts.renderers.mkdocs_plugin] plugin (or any
other renderer) turns into a site. With a [`Cache`][build_scripts.cache.Cache],
unchanged notes, libraries and references are not read or formatted again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path

from build_scripts import history, report
from build_scripts.cache import Cache, digest
from build_scripts.check import coverage, reconcile, verify
from build_scripts.citations import cite
from build_scripts.citations.csl_json import url_problems
from build_scripts.config import Settings
from build_scripts.library import archive, bib
from build_scripts.model import BuildResult, Diagnostic, Location, NavItem, PageFile, Severity, Source
from build_scripts.notes import load as notes
from build_scripts.notes.link import build_index
from build_scripts.paths import relative_path, remove_except, write_changed
from build_scripts.render import disagreements, pages, trail
from build_scripts.render.context import Context, Draft, nav_title, short_title
from build_scripts.render.export import claims_data, claims_json
from build_scripts.render.placement import note_order
from build_scripts.theme import ASSETS


def check(settings: Settings, cache: Cache | None = None) -> tuple[Context | None, list[Diagnostic]]:
    """Load, link and reconcile everything; return the render context and all diagnostics.

    References are formatted by one [`Formatter`][build_scripts.citations.cite.Formatter]
    (the site's style, the cache), which the context hands on to the renderers.
    The context is None when there are errors, so nothing is rendered from broken inputs.
    """
    diags: list[Diagnostic] = []
    loaded_notes, found = notes.load_notes(settings.content_dir, settings.root, cache)
    diags += found
    sources, found = _library(settings, cache)
    diags += found + url_problems(sources.values())
    index, found = build_index(loaded_notes, sources)
    diags += found
    texts, found = archive.load_texts(sources, settings.root)
    diags += found
    index.claims, verifications, found = verify.verify_claims(index.claims, texts)
    diags += found
    passed = [entry for note in index.notes.values() for entry in note.passed_over if entry.source in sources]
    paragraph_uses, found = coverage.coverage(texts, sources, index.claims, verifications, passed)
    diags += found
    inconsistencies, values, found = reconcile.reconcile(index.facts, index.claims)
    diags += found
    formatter = cite.Formatter(settings.csl_style, cache)
    try:
        refs = formatter.references(sources.values())
    except cite.StyleError as exc:
        diags.append(
            Diagnostic.error(
                Location("mkdocs.yml"),
                str(exc),
                "set extra.research.csl_style to a style name such as chicago-author-date",
            )
        )
        refs = {}
    diags = sorted(set(diags))
    if any(d.severity is Severity.ERROR for d in diags):
        return None, diags
    by_fact: dict = defaultdict(list)
    for issue in inconsistencies:
        by_fact[issue.fact.id].append(issue)
    ctx = Context(
        index,
        refs,
        dict(by_fact),
        values,
        settings,
        formatter,
        dates=history.last_changed(settings.root),
        texts=texts,
        verifications=verifications,
        paragraph_uses=paragraph_uses,
    )
    return ctx, diags


def build(settings: Settings, cache: Cache | None = None) -> BuildResult:
    """Run the whole generator: Markdown pages and `claims.json`, written to `settings.pages_dir`, and navigation.

    With a cache, a build whose inputs (notes, library, settings, git history)
    are all unchanged returns the previous result without rendering again.
    """
    key = _inputs_key(settings) if cache else ""
    previous = cache.get("build", key) if cache else None
    if previous is not None and _still_there(previous, settings):
        return previous
    result = _build(settings, cache)
    if cache:
        if not any(d.severity is Severity.ERROR for d in result.diagnostics):
            cache.put("build", key, result)
        cache.save()
    return result


def _still_there(result: BuildResult, settings: Settings) -> bool:
    """Whether a cached result still holds: its archived texts unchanged, its pages where it wrote them."""
    folder = settings.pages_dir
    return (
        result.folder == folder
        and result.archive_key == _files_key(settings.root, result.archived)
        and all((folder / p).is_file() for p in [*(page.path for page in result.pages), *result.files])
    )


def _build(settings: Settings, cache: Cache | None) -> BuildResult:
    ctx, diags = check(settings, cache)
    result = BuildResult(diagnostics=sorted(diags + _address_problems(settings)))
    if ctx is None:
        return result
    index = ctx.index
    result.folder = folder = settings.pages_dir
    drafts = page_drafts(ctx)
    for start in range(0, len(drafts), _BATCH):  # a batch at a time: memory holds no more
        batch = pages.assemble([draft() for draft in drafts[start : start + _BATCH]], ctx)
        result.pages += [_write(folder, page.path, page.title, page.markdown.encode("utf-8")) for page in batch]
    data = claims_data(ctx)
    result.files = [_write(folder, "claims.json", "", claims_json(data)).path]
    result.stylesheets, result.scripts = _assets(folder, ".css"), _assets(folder, ".js")
    result.files += [*result.stylesheets, *result.scripts]
    remove_except(folder, {*(page.path for page in result.pages), *result.files})  # a deleted note's page
    result.nav = _nav(ctx)
    result.notes = sorted(index.notes)
    result.inventory = report.inventory(data, result)
    result.archived = sorted(text.path for text in ctx.texts.values())
    result.archive_key = _files_key(settings.root, result.archived)
    return result


def _address_problems(settings: Settings) -> list[Diagnostic]:
    """A warning when the site's address is unknown: its pages then name none (no canonical link, no URL to cite)."""
    if settings.site_url:
        return []
    return [
        Diagnostic.warning(
            Location("mkdocs.yml"),
            'site_url is not set: pages are built without their address (no URL in "Cite this page", '
            "the citation metadata or canonical links)",
            'set the SITE_URL environment variable to the published address (site_url: !ENV [SITE_URL, ""])',
        )
    ]


_BATCH = 250  # pages drafted and finished together


def _assets(folder: Path, suffix: str) -> list[str]:
    """Copy the generator's own assets ending in `suffix` into the generated docs tree, under `assets/research/`."""
    return [
        _write(folder, f"assets/research/{asset.name}", "", asset.read_bytes()).path
        for asset in sorted(ASSETS.glob(f"*{suffix}"))
    ]


def _write(folder: Path, path: str, title: str, data: bytes) -> PageFile:
    """Write a page (unless the file holds it already: its time stamp then stays) and name it by its hash."""
    write_changed(folder / path, data)
    return PageFile(path, title, hashlib.sha256(data).hexdigest())


def changes(settings: Settings, result: BuildResult) -> list[str]:
    """What changed since the previous build (notes, claims, disagreements, pages), as report lines."""
    path = settings.cache_dir / "last-build.json"
    current = result.inventory
    lines = report.compare(report.load(path), current)
    report.save(path, current)
    return lines


def page_drafts(ctx: Context) -> list[Callable[[], Draft]]:
    """Every page of the site, in site order, each as a function drafting it from the context alone.

    Everything global (the index, where each callout is placed, backlinks) is
    in the context already, so the drafts may run in any order, or apart.
    """
    index = ctx.index
    drafts: list[Callable[[], Draft]] = [partial(pages.note_page, note, ctx) for note in note_order(index)]
    drafts += [partial(pages.source_page_md, key, ctx) for key in sorted(index.sources)]
    drafts += [partial(pages.bibliography_page, ctx), partial(pages.notes_index_page, ctx),
               partial(disagreements.inconsistencies_page, ctx)]  # fmt: skip
    return drafts


def _library(settings: Settings, cache: Cache | None) -> tuple[dict[str, Source], list[Diagnostic]]:
    """The BibTeX library; from the cache when no file of it changed."""
    files = settings.bib_files
    if not files:
        return {}, [
            Diagnostic.warning(
                Location(relative_path(settings.bib_dir, settings.root)),
                "no .bib files found",
                "add your BibTeX library as bib/library.bib",
            )
        ]
    key = digest(*(part for f in files for part in (relative_path(f, settings.root), _read(f))))
    found = cache.get("library", key) if cache else None
    if found is None:
        found = bib.load_library(files, settings.root)
        if cache:
            cache.put("library", key, found)
    return found


def _nav(ctx: Context) -> list[NavItem]:
    """Home, then the readers' section: the topics, the notes the home page links to, and the index pages.

    Other notes and the sources are reached from those pages (their breadcrumb
    says where they belong: [`trail`][build_scripts.render.trail.trail]).
    The authors' and developers' pages (the authoring guide, the API reference)
    are in the hand-written `nav:` of `mkdocs.yml`, a section of their own.
    Titles are HTML (escaped text), as MkDocs' own titles taken from headings are;
    a title's subtitle (after a colon) is left out.
    """
    index = ctx.index
    entries = (
        NavItem("Topics", children=tuple(NavItem(_nav_title(t.title), index.page(t.id)) for t in index.topics)),
        *(NavItem(_nav_title(n.title), index.page(n.id)) for n in trail.home_linked(ctx)),
        NavItem("Inconsistencies", "inconsistencies.md"),
        NavItem("Bibliography", "bibliography.md"),
        NavItem("All notes", "notes/index.md"),
    )
    home = [NavItem("Home", "index.md")] if index.home else []  # at the top, the home page is titled by the site
    return [*home, NavItem(trail.READERS_SECTION, children=entries)]


def _nav_title(title: str) -> str:
    """A title in the nav: without its subtitle ("Overview: the wider order" → "Overview")."""
    return nav_title(short_title(title))


def _inputs_key(settings: Settings) -> str:
    """A hash of everything a build reads: notes, BibTeX files, settings and the git commit (for dates)."""
    files = sorted(settings.content_dir.rglob("*.md")) + settings.bib_files
    parts = [part for f in files for part in (relative_path(f, settings.root), _read(f))]
    return digest(repr(settings), history.head(settings.root), *parts)


def _files_key(root: Path, paths: list[str]) -> str:
    """A hash of the files at `paths` (relative to `root`): the archived texts a build checked quotations against."""
    return digest(*(part for path in paths for part in (path, _read(root / path))))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
