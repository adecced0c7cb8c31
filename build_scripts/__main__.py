"""Command line: `python -m build_scripts {check,build,emit,add-source,check-bib}`.

Exit status: 0 when the inputs are fine, 1 when they have errors (or
warnings, with `--strict`), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_scripts import commands
from build_scripts.commands import EXIT_INPUT
from build_scripts.config import load_settings
from build_scripts.renderers.project import Renderer


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.func is commands.check_bib:  # needs no mkdocs.yml
        return commands.check_bib(args)
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
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate notes and library without building")
    check.set_defaults(func=commands.check)
    build = sub.add_parser(
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
    build.set_defaults(func=commands.build)
    serve = sub.add_parser("serve", help="live preview: rebuild what changed on every save, reload the browser")
    serve.add_argument(
        "-a",
        "--dev-addr",
        default=None,
        metavar="IP:PORT",
        help="address to serve on (default: dev_addr in mkdocs.yml, else 127.0.0.1:8000)",
    )
    _renderer_option(serve)
    serve.set_defaults(func=commands.serve)
    emit = sub.add_parser(
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
    emit.set_defaults(func=commands.emit)
    add = sub.add_parser("add-source", help="add BibTeX entries to the library and start a note on each")
    add.add_argument("file", help="a .bib file with the new entries, or '-' to read them from standard input")
    add.set_defaults(func=commands.add)
    check_bib = sub.add_parser("check-bib", help="load .bib files as one library and report counts and problems")
    check_bib.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a .bib file")
    check_bib.add_argument("--strict", action="store_true", default=argparse.SUPPRESS, help="treat warnings as errors")
    check_bib.set_defaults(func=commands.check_bib)
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
