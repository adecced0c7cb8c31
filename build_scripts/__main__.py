"""Command line: `python -m build_scripts {check,build,emit,add-source,check-bib,format-bib}`.

Exit status: 0 when the inputs are fine, 1 when they have errors (or
warnings, with `--strict`), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import add_source, bib, history, pipeline, project
from .cache import Cache
from .citations.format_bib import Output, format_bib
from .cite import DEFAULT_STYLE, StyleError
from .config import Settings, load_settings
from .model import BuildResult, Diagnostic, Severity
from .paths import relative_path, stamps
from .project import Renderer
from .workers import forked

if TYPE_CHECKING:  # MkDocs is imported only by the commands that build
    from .mkdocs_adapter import SiteBuild

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.func in (_check_bib, _format_bib):  # need no mkdocs.yml
        return args.func(args)
    if not args.config_file.is_file():
        parser.error(f"no such configuration file: {args.config_file}")
    return args.func(args, load_settings(args.config_file))


def _parser() -> argparse.ArgumentParser:
    """The command line: one sub-command each, dispatched by `set_defaults(func=...)`."""
    parser = argparse.ArgumentParser(
        prog="python -m build_scripts",
        description="Build a research site from notes (content/) and a BibTeX library (bib/).",
        epilog="Exit status: 0 ok, 1 errors in the inputs, 2 usage error.",
    )
    parser.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the site's mkdocs.yml (default: %(default)s)",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate notes and library without building")
    check.set_defaults(func=_check)
    build = commands.add_parser(
        "build",
        help="check, then build the static site (MkDocs with Material, or Zensical)",
        description="Check the notes and library, then build the static site into a new folder and swap it in "
        "for the old one (a failed build keeps the old site). Warnings of the renderer fail the build.",
    )
    build.add_argument("-d", "--site-dir", type=Path, default=None, help="output folder (default: site/)")
    build.add_argument(
        "-j", "--jobs", type=int, default=0, help="processes rendering pages (default: one per core; MkDocs only)"
    )
    _renderer_option(build)
    build.set_defaults(func=_build)
    serve = commands.add_parser("serve", help="live preview: rebuild what changed on every save, reload the browser")
    serve.add_argument(
        "-a",
        "--dev-addr",
        default=None,
        metavar="IP:PORT",
        help="address to serve on (default: dev_addr in mkdocs.yml, else 127.0.0.1:8000)",
    )
    _renderer_option(serve)
    serve.set_defaults(func=_serve)
    emit = commands.add_parser(
        "emit",
        help="write a project for any renderer reading mkdocs.yml: pages, docs/, nav, config",
        description="Write DIR/mkdocs.yml (the site's, with the generated nav merged in, no hooks, paths relative "
        "to DIR) and DIR/docs/ (the generated pages with the hand-written docs/ merged in). Build it with "
        "`zensical build -f DIR/mkdocs.yml` or `mkdocs build -f DIR/mkdocs.yml`; the site goes to DIR/site/.",
    )
    emit.add_argument("out", type=Path, metavar="DIR", help="folder to write into (replaced; new, empty or emitted)")
    emit.add_argument(
        "--pages-only", action="store_true", help="write only the generated pages and files, directly into DIR"
    )
    emit.set_defaults(func=_emit)
    add = commands.add_parser("add-source", help="add BibTeX entries to the library and start a note on each")
    add.add_argument("file", help="a .bib file with the new entries, or '-' to read them from standard input")
    add.set_defaults(func=_add_source)
    check_bib = commands.add_parser("check-bib", help="load .bib files as one library and report counts and problems")
    check_bib.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a .bib file")
    check_bib.add_argument("--strict", action="store_true", default=argparse.SUPPRESS, help="treat warnings as errors")
    check_bib.set_defaults(func=_check_bib)
    fmt = commands.add_parser("format-bib", help="print each entry's in-text citation and bibliography entry")
    fmt.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a .bib file")
    fmt.add_argument("--style", default=None, help="a CSL style name or .csl path (default: the site's, else Chicago)")
    shown = fmt.add_mutually_exclusive_group()
    shown.add_argument(
        "--json", dest="output", action="store_const", const=Output.JSON, help="JSON, HTML as on the site"
    )
    shown.add_argument(
        "--csl-json",
        dest="output",
        action="store_const",
        const=Output.CSL_JSON,
        help="the CSL-JSON items the formatter is given",
    )
    fmt.set_defaults(func=_format_bib, output=Output.TEXT)
    return parser


def _renderer_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-r",
        "--renderer",
        choices=[renderer.value for renderer in Renderer],
        default=Renderer.MKDOCS,
        help="mkdocs: MkDocs with Material for MkDocs, rebuilding only the pages that changed (the default); "
        "zensical: Zensical, Material's successor, rendering every page (needs requirements-zensical.lock)",
    )


def _check(args: argparse.Namespace, settings: Settings) -> int:
    """Load, link, verify and reconcile; print the problems and a one-line summary."""
    cache = Cache(settings.cache_dir)
    ctx, diags = pipeline.check(settings, cache)
    cache.save()
    status = _report(diags, args.strict)
    if ctx is not None:
        index = ctx.index
        disputes = sum(len(v) for v in ctx.inconsistencies.values())
        print(
            f"checked {len(index.notes)} notes, {len(index.sources)} sources, {len(index.facts)} facts, "
            f"{len(index.claims)} claims; {disputes} disagreements",
            file=sys.stderr,
        )
    return status


def _add_source(args: argparse.Namespace, settings: Settings) -> int:
    """Append new BibTeX entries (checked first) and start a note on each."""
    text, name, diags = add_source.read_input(args.file)
    added = add_source.AddResult()
    if text is not None:
        added, diags = add_source.add_source(text, name, settings, strict=args.strict)
    status = _report(diags, args.strict)
    if added.written:
        print(add_source.summary(added))
    return status


def _emit(args: argparse.Namespace, settings: Settings) -> int:
    """Write a renderer project (or, with `--pages-only`, just the generated pages and files) to a folder."""
    result = pipeline.build(settings, Cache(settings.cache_dir))
    status = _report(result.diagnostics, args.strict)
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


def _build(args: argparse.Namespace, settings: Settings) -> int:
    """Check, then build the site: only the pages that changed are rendered again."""
    # The generator runs in a process of its own: its memory is given back before MkDocs starts.
    result, changes = forked(lambda: _generate(settings))
    status = _report(result.diagnostics, args.strict)
    if status != EXIT_OK:
        return status
    for line in changes:
        print(f"changes: {line}", file=sys.stderr)
    site_dir = args.site_dir or settings.root / "site"
    if args.renderer == Renderer.ZENSICAL:  # writing its project checks the hand-written pages
        return _build_with_zensical(args.config_file, settings, result, site_dir)
    try:
        project.check_hand_written(args.config_file, result)
    except project.ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    done = _build_site(settings, args.config_file, result, site_dir, Cache(settings.cache_dir), jobs=args.jobs)
    if done is None:
        return EXIT_INPUT
    print(f"site built in {site_dir}: {_counts(done)}", file=sys.stderr)
    return EXIT_OK


def _build_with_zensical(config_file: Path, settings: Settings, result: BuildResult, site_dir: Path) -> int:
    """The Zensical stage: write the project into the cache, build it, swap the site in."""
    from . import zensical_adapter as zensical

    try:
        zensical.installed_version()  # before writing anything
        written = project.write_project(config_file, result, settings.cache_dir / "zensical")
        done = zensical.build_site(written, site_dir)
    except (project.ProjectError, zensical.ZensicalError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"error: the site was not built; the previous {site_dir} is unchanged", file=sys.stderr)
        return EXIT_INPUT
    print(f"site built in {site_dir} with Zensical {done.version}: {done.pages} pages, {done.seconds:.2f} s",
          file=sys.stderr)  # fmt: skip
    return EXIT_OK


def _generate(settings: Settings) -> tuple[BuildResult, list[str]]:
    """The generator's result and, when it has no errors, what changed since the previous build."""
    result = pipeline.build(settings, Cache(settings.cache_dir))
    failed = any(d.severity is Severity.ERROR for d in result.diagnostics)
    return result, [] if failed else pipeline.changes(settings, result)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    """Live preview: each save rebuilds what changed and prints one line."""
    if args.renderer == Renderer.ZENSICAL:
        return _serve_with_zensical(args, settings)
    from .mkdocs_adapter import serve

    inputs: dict[str, tuple[int, int]] = {}
    cache = Cache(settings.cache_dir)

    def rebuild(site_dir: Path, site_url: str) -> str:
        start = time.perf_counter()
        current, changed, result = _regenerate(args, inputs, cache)
        if result is None:
            return f"{changed}: not rebuilt, problems above; the preview shows the last good site"
        done = _build_site(current, args.config_file, result, site_dir, cache, site_url=site_url)
        if done is None:
            return f"{changed}: not rebuilt; the preview shows the last good site"
        warned = len(result.diagnostics)
        notice = f" ({warned} warning(s): `python -m build_scripts check` lists them)" if warned else ""
        return f"{changed}: {_counts(done, time.perf_counter() - start)}{notice}"

    serve(args.config_file, rebuild, _watched(args.config_file, settings), args.dev_addr)
    return EXIT_OK


def _regenerate(
    args: argparse.Namespace, inputs: dict[str, tuple[int, int]], cache: Cache
) -> tuple[Settings, str, BuildResult | None]:
    """For live preview: the settings (read again), what changed, and the generator's result.

    The result is None when it has errors (or warnings, with `--strict`), which are printed.
    """
    current = load_settings(args.config_file)  # mkdocs.yml may have changed too
    changed = _changed_inputs(current, inputs)
    result = pipeline.build(current, cache)
    problems = [d for d in result.diagnostics if d.severity is Severity.ERROR or args.strict]
    for diag in problems:
        print(diag, file=sys.stderr)
    return current, changed, None if problems else result


def _watched(config_file: Path, settings: Settings) -> list[Path]:
    """What live preview watches: notes, library, mkdocs.yml, hand-written pages, theme overrides."""
    return [settings.content_dir, settings.bib_dir, config_file, settings.root / "docs", settings.root / "overrides"]


def _serve_with_zensical(args: argparse.Namespace, settings: Settings) -> int:
    """Live preview with Zensical's own server, on a project written again whenever an input changes."""
    from . import zensical_adapter as zensical

    inputs: dict[str, tuple[int, int]] = {}
    cache, folder = Cache(settings.cache_dir), settings.cache_dir / "zensical-serve"

    def update() -> str:
        start = time.perf_counter()
        _, changed, result = _regenerate(args, inputs, cache)
        if result is None:
            return f"{changed}: not written, problems above; the preview shows the last good site"
        try:
            project.write_project(args.config_file, result, folder, in_place=True)
        except project.ProjectError as exc:
            return f"{changed}: not written: {exc}"
        return f"{changed}: pages written in {time.perf_counter() - start:.2f} s; Zensical rebuilds the site"

    try:
        zensical.installed_version()
        print(update(), flush=True)
        if not (folder / project.CONFIG).is_file():
            return EXIT_INPUT
        return zensical.serve(project.Project.at(folder), update, _watched(args.config_file, settings), args.dev_addr)
    except zensical.ZensicalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT


def _build_site(
    settings: Settings, config_file: Path, result: BuildResult, site_dir: Path, cache: Cache, **options: Any
) -> SiteBuild | None:
    """The MkDocs stage; None (with the reason on stderr) when it fails, the previous site kept."""
    from .mkdocs_adapter import SiteError, build_site

    try:
        with _source_date_epoch(settings):
            return build_site(config_file, result, site_dir, cache, **options)
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("error: the site was not built; the previous site/ is unchanged", file=sys.stderr)
        return None


def _counts(done: SiteBuild, seconds: float | None = None) -> str:
    total = done.seconds if seconds is None else seconds
    return f"{done.rendered} pages rendered, {done.reused} reused, {total:.2f} s"


@contextmanager
def _source_date_epoch(settings: Settings):
    """Reproducible output: MkDocs dates the sitemap from SOURCE_DATE_EPOCH (here: the last commit's time)."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or history.last_commit_time(settings.root) or "0"
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]


def _changed_inputs(settings: Settings, seen: dict[str, tuple[int, int]]) -> str:
    """Which notes and library files changed since the last call (`seen` is updated), in a few words."""
    found = stamps([*settings.content_dir.rglob("*.md"), *settings.bib_files])
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


def _check_bib(args: argparse.Namespace) -> int:
    """Per file `path: N entries, M @string macros, K problems`, then the diagnostics and a total."""
    summaries, diags = bib.summarise(args.files, Path.cwd())
    for summary in summaries:
        print(summary)
    sys.stdout.flush()
    status = _report(diags, args.strict)
    print(
        f"total: {len(summaries)} files, {sum(s.entries for s in summaries)} entries, "
        f"{sum(s.macros for s in summaries)} @string macros, {len(diags)} problems"
    )
    return status


def _format_bib(args: argparse.Namespace) -> int:
    """The entries formatted (text, `--json` or `--csl-json`) on stdout; the library's problems on stderr."""
    style = args.style or _site_style(args.config_file)
    try:
        text, diags = format_bib(args.files, style, args.output, Path.cwd())
    except StyleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(text)
    sys.stdout.flush()
    return _report(diags, args.strict)


def _site_style(config_file: Path) -> str:
    """The site's citation style (`csl_style` in mkdocs.yml), else Chicago author-date; a broken file is said."""
    if not config_file.is_file():
        return DEFAULT_STYLE
    try:
        return load_settings(config_file).csl_style
    except (ValueError, yaml.YAMLError) as exc:
        print(f"{config_file}: warning: not read ({str(exc).splitlines()[0]}); using {DEFAULT_STYLE}", file=sys.stderr)
        return DEFAULT_STYLE


def _report(diags: list[Diagnostic], strict: bool) -> int:
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = len(diags) - errors
    for diag in diags:
        print(diag, file=sys.stderr)
    failed = errors or (strict and warnings)
    if diags or failed:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_INPUT if failed else EXIT_OK


def run() -> int:
    """Entry point: [`main`][build_scripts.__main__.main], with no traceback for an interrupted or failed run."""
    try:
        return main()
    except KeyboardInterrupt:
        print("interrupted; nothing was changed", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"{exc.filename or ''}: error: {exc.strerror or exc}".lstrip(": "), file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(run())
