"""The command handlers of `research-site` (`python -m build_scripts`): one function per command.

Each takes the parsed arguments (and, but for `check-bib`, the project's
settings) and returns the exit status; [`__main__`][build_scripts.__main__]
parses the command line and dispatches. Nothing here is renderer-specific: the
renderer is looked up by name ([`renderer_for`][build_scripts.renderers.base.renderer_for]).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_scripts import pipeline, scaffold
from build_scripts.cache import Cache
from build_scripts.citations.cite import DEFAULT_STYLE, StyleError
from build_scripts.citations.format_bib import format_bib as citations_format_bib
from build_scripts.config import ConfigError, Settings, load_settings
from build_scripts.library import add_source, bib
from build_scripts.model import BuildResult, Diagnostic, Severity
from build_scripts.paths import relative_path, stamps
from build_scripts.renderers import project
from build_scripts.renderers.base import Preview, Regenerated, RenderError, renderer_for
from build_scripts.workers import forked

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def new(args: argparse.Namespace) -> int:
    """Start a project in a new folder; settings not given are asked for in a terminal, else placeholders."""
    asked = sys.stdin.isatty() and sys.stdout.isatty()
    given = {"name": args.name, "author": args.author, "description": args.description, "url": args.url}
    defaults = scaffold.SiteDetails()
    for field, question in _QUESTIONS.items():
        if given[field] is None and asked:
            given[field] = input(f"{question} [{getattr(defaults, field) or 'none yet'}]: ").strip() or None
    details = scaffold.SiteDetails(**{field: value for field, value in given.items() if value is not None})
    try:
        written = scaffold.create(args.folder, details, with_guide=args.with_guide)
    except scaffold.ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    print(f"new research site in {args.folder} ({len(written)} files); next:")
    print(f"  cd {args.folder}")
    print("  research-site serve             # live preview")
    print("  research-site --strict build    # check, then build site/ (warnings fail)")
    todo = [f"site_{f}" for f in ("name", "author", "description") if getattr(details, f) == getattr(defaults, f)]
    todo += [] if details.url else ["site_url (or set SITE_URL)"]
    if todo:
        print(f"to edit in mkdocs.yml before a --strict build passes: {', '.join(todo)}")
    return EXIT_OK


_QUESTIONS = {
    "name": "Site name",
    "author": "Author(s)",
    "description": "What the site asks, from which sources (a sentence)",
    "url": "Published address (empty: the Pages workflow sets it)",
}


def check(args: argparse.Namespace, settings: Settings) -> int:
    """Load, link, verify and reconcile; print the problems and a one-line summary."""
    cache = Cache(settings.cache_dir)
    ctx, diags = pipeline.check(settings, cache)
    cache.save()
    status = report(diags, args.strict)
    if ctx is not None:
        index = ctx.index
        disputes = sum(len(v) for v in ctx.inconsistencies.values())
        print(
            f"checked {len(index.notes)} notes, {len(index.sources)} sources, {len(index.facts)} facts, "
            f"{len(index.claims)} claims; {disputes} disagreements",
            file=sys.stderr,
        )
    return status


def add(args: argparse.Namespace, settings: Settings) -> int:
    """Append new BibTeX entries (checked first) and start a note on each."""
    text, name, diags = add_source.read_input(args.file)
    added = add_source.AddResult()
    if text is not None:
        added, diags = add_source.add_source(text, name, settings, strict=args.strict)
    status = report(diags, args.strict)
    if added.written:
        print(add_source.summary(added))
    return status


def emit(args: argparse.Namespace, settings: Settings) -> int:
    """Write a renderer project (or, with `--pages-only`, just the generated pages and files) to a folder."""
    result = pipeline.build(settings, Cache(settings.cache_dir))
    status = report(result.diagnostics, args.strict)
    if status != EXIT_OK:
        return status
    try:
        if args.pages_only:
            project.write_pages(result, args.out, settings.root)
        else:
            written = project.write_project(args.config_file, result, args.out)
            print(f"project written to {written.folder}: build it with `zensical build -f {written.config_file}`",
                  file=sys.stderr)  # fmt: skip
    except project.ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def build(args: argparse.Namespace, settings: Settings) -> int:
    """Check, then build the site with the chosen renderer (a failed build keeps the old site)."""
    # The generator runs in a process of its own: its memory is given back before the renderer starts, which
    # meanwhile is loaded here (its imports take most of a second).
    result, changes = forked(lambda: _generate(settings), meanwhile=lambda: renderer_for(args.renderer))
    status = report(result.diagnostics, args.strict)
    if status != EXIT_OK:
        return status
    for line in changes:
        print(f"changes: {line}", file=sys.stderr)
    site_dir = args.site_dir or settings.root / "site"
    try:
        print(renderer_for(args.renderer).build(args.config_file, settings, result, site_dir, args.jobs),
              file=sys.stderr)  # fmt: skip
    except RenderError as exc:
        _errors(exc)
        return EXIT_INPUT
    return EXIT_OK


def _generate(settings: Settings) -> tuple[BuildResult, list[str]]:
    """The generator's result and, when it has no errors, what changed since the previous build."""
    result = pipeline.build(settings, Cache(settings.cache_dir))
    failed = any(d.severity is Severity.ERROR for d in result.diagnostics)
    return result, [] if failed else pipeline.changes(settings, result)


def serve(args: argparse.Namespace, settings: Settings) -> int:
    """Live preview with the chosen renderer: each save regenerates what changed and prints one line."""
    inputs: dict[str, tuple[int, int]] = {}
    cache = Cache(settings.cache_dir, prune=False)  # what `build` keeps stays for the next build
    preview = Preview(args.config_file, settings, lambda: _regenerate(args, inputs, cache, settings),
                      _watched(args.config_file, settings), args.dev_addr, cache)  # fmt: skip
    try:
        return renderer_for(args.renderer).serve(preview)
    except RenderError as exc:
        _errors(exc)
        return EXIT_INPUT


def _regenerate(
    args: argparse.Namespace, inputs: dict[str, tuple[int, int]], cache: Cache, first: Settings
) -> Regenerated:
    """For live preview: the settings (read again), what changed, and the generator's result.

    The result is None when it has errors (or warnings, with `--strict`), which are printed; when
    `mkdocs.yml` cannot be read, its error is printed and the settings are those read at the start.
    """
    try:
        current = load_settings(args.config_file)  # mkdocs.yml may have changed too
    except ConfigError as exc:
        print(exc.diagnostic, file=sys.stderr)
        return Regenerated(first, relative_path(args.config_file, Path.cwd()), None)
    starting = not inputs
    changed = _changed_inputs(current, inputs)
    result = pipeline.build(current, cache, whole=not starting)  # the first reads every stage's cache: saves go quick
    problems = [d for d in result.diagnostics if d.severity is Severity.ERROR or args.strict]
    for diag in problems:
        print(diag, file=sys.stderr)
    return Regenerated(current, changed, None if problems else result)


def _watched(config_file: Path, settings: Settings) -> list[Path]:
    """What live preview watches: notes, library, mkdocs.yml, hand-written pages, theme overrides."""
    return [settings.content_dir, settings.bib_dir, config_file, settings.root / "docs", settings.root / "overrides"]


def _changed_inputs(settings: Settings, seen: dict[str, tuple[int, int]]) -> str:
    """Which notes and library files changed since the last call (`seen` is updated), in a few words."""
    found = stamps(pipeline.input_files(settings))
    now = {relative_path(path, settings.root): stamp for path, stamp in found.items()}
    first = not seen
    changed = sorted(p for p in now if seen.get(p) != now[p]) + sorted(p for p in seen if p not in now)
    seen.clear()
    seen.update(now)
    if first:
        return f"first build ({len(now)} notes and library files)"
    if not changed:
        return "no note or library file changed"
    return ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "") + " changed"


def check_bib(args: argparse.Namespace) -> int:
    """Per file `path: N entries, M @string macros, K problems`, then the diagnostics and a total."""
    summaries, diags = bib.summarise(args.files, Path.cwd())
    for summary in summaries:
        print(summary)
    sys.stdout.flush()
    status = report(diags, args.strict)
    print(
        f"total: {len(summaries)} files, {sum(s.entries for s in summaries)} entries, "
        f"{sum(s.macros for s in summaries)} @string macros, {len(diags)} problems"
    )
    return status


def format_bib(args: argparse.Namespace) -> int:
    """The entries formatted (text, `--json` or `--csl-json`) on stdout; the library's problems on stderr."""
    style = args.style or _site_style(args.config_file)
    try:
        text, diags = citations_format_bib(args.files, style, args.output, Path.cwd())
    except StyleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(text)
    sys.stdout.flush()
    return report(diags, args.strict)


def _site_style(config_file: Path) -> str:
    """The site's citation style (`csl_style` in mkdocs.yml), else Chicago author-date; a broken file is said."""
    if not config_file.is_file():
        return DEFAULT_STYLE
    try:
        return load_settings(config_file).csl_style
    except ConfigError as exc:
        where = exc.diagnostic.location
        print(f"{where}: warning: not read ({exc.diagnostic.message}); using {DEFAULT_STYLE}", file=sys.stderr)
        return DEFAULT_STYLE


def _errors(exc: RenderError) -> None:
    for line in exc.args:
        print(f"error: {line}", file=sys.stderr)


def report(diags: list[Diagnostic], strict: bool) -> int:
    """Print `diags` and a count; the exit status they give (warnings fail under `strict`)."""
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = len(diags) - errors
    for diag in diags:
        print(diag, file=sys.stderr)
    failed = errors or (strict and warnings)
    if diags or failed:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_INPUT if failed else EXIT_OK
