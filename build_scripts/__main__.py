"""Command line: `python -m build_scripts {check,build,emit,add-source,check-bib}`.

Exit status: 0 when the inputs are fine, 1 when they have errors (or
warnings, with `--strict`), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import add_source, bib, history, pipeline
from .cache import Cache
from .config import REPORTED_ENV, Settings, load_settings
from .model import BuildResult, Diagnostic, Severity

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.func is _check_bib:  # needs no mkdocs.yml
        return _check_bib(args)
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
    build = commands.add_parser("build", help="check, then build the static site with MkDocs")
    build.add_argument("-d", "--site-dir", type=Path, default=None, help="output folder (default: site/)")
    build.set_defaults(func=_build)
    emit = commands.add_parser("emit", help="write the generated Markdown pages to a folder (for other renderers)")
    emit.add_argument("out", type=Path, help="folder to write into (replaced)")
    emit.set_defaults(func=_emit)
    add = commands.add_parser("add-source", help="add BibTeX entries to the library and start a note on each")
    add.add_argument("file", help="a .bib file with the new entries, or '-' to read them from standard input")
    add.set_defaults(func=_add_source)
    check_bib = commands.add_parser("check-bib", help="load .bib files as one library and report counts and problems")
    check_bib.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a .bib file")
    check_bib.add_argument("--strict", action="store_true", default=argparse.SUPPRESS, help="treat warnings as errors")
    check_bib.set_defaults(func=_check_bib)
    return parser


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
    """Write the generated Markdown pages and files to a folder, for another renderer."""
    result = pipeline.build(settings, Cache(settings.cache_dir))
    status = _report(result.diagnostics, args.strict)
    if status == EXIT_OK:
        _write_tree(result, args.out)
    return status


def _build(args: argparse.Namespace, settings: Settings) -> int:
    """Check, then build the site with MkDocs into a temporary folder swapped in at the end."""
    # The full generator run, cached: the MkDocs hook's run then finds the result instead of redoing it.
    diags = pipeline.build(settings, Cache(settings.cache_dir)).diagnostics
    status = _report(diags, args.strict)
    if status != EXIT_OK:
        return status
    return _mkdocs_build(settings, args.config_file, args.site_dir or settings.root / "site")


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


def _report(diags: list[Diagnostic], strict: bool) -> int:
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = len(diags) - errors
    for diag in diags:
        print(diag, file=sys.stderr)
    failed = errors or (strict and warnings)
    if diags or failed:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_INPUT if failed else EXIT_OK


def _mkdocs_build(settings: Settings, config_file: Path, site_dir: Path) -> int:
    """Build into a temporary folder, then swap it in: a failed build leaves the old site."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(tmp)]
    # Reproducible output: MkDocs dates the sitemap from SOURCE_DATE_EPOCH when set.
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or history.last_commit_time(settings.root) or "0"
    # The diagnostics were reported (and judged, with or without --strict) above: the hook does not repeat them.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch, REPORTED_ENV: "1"}
    done = subprocess.run(cmd, check=False, env=env)
    if done.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print("error: the site was not built; the previous site/ is unchanged", file=sys.stderr)
        return EXIT_INPUT
    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(tmp, site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"site built in {site_dir}", file=sys.stderr)
    return EXIT_OK


def _write_tree(result: BuildResult, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    for page in result.pages:
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    for path, data in result.files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


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
