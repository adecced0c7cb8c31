"""Command line: `research-site [-C DIR] {new,check,build,serve,emit,add-source,check-bib,format-bib}`.

The same as `python -m build_scripts`. Every command but `new` and
`check-bib` works on the project whose `mkdocs.yml` is in the current folder,
or in `DIR` with `-C DIR` (as `git -C`: the command runs there, and the paths
it is given are relative to `DIR`). Exit status: 0 when the inputs are fine, 1
when they have errors (or warnings, with `--strict`), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from build_scripts import commands
from build_scripts.citations.format_bib import Output
from build_scripts.commands import EXIT_INPUT
from build_scripts.config import ConfigError, load_settings
from build_scripts.renderers.project import Renderer
from build_scripts.workers import give_back_large_blocks


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    give_back_large_blocks()  # a big site's pages, drafted one after another, do not pile up in memory
    parser = _parser()
    args = parser.parse_args(argv)
    if args.directory is None:
        return _dispatch(parser, args)
    if not args.directory.is_dir():
        parser.error(f"-C {args.directory}: no such folder")
    before = Path.cwd()
    os.chdir(args.directory)
    try:
        return _dispatch(parser, args)
    finally:
        os.chdir(before)


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Run the command: on the project's settings, but for the commands that need no project."""
    if args.func in (commands.check_bib, commands.format_bib, commands.new):
        return int(args.func(args))
    if not args.config_file.is_file():
        where = "" if args.config_file.is_absolute() else f" in {Path.cwd()}"
        parser.error(
            f"no {args.config_file}{where}: run the command in a project folder or name one with -C DIR "
            "(`research-site new DIR` starts a project)"
        )
    try:
        settings = load_settings(args.config_file)
    except ConfigError as exc:
        return commands.report([exc.diagnostic], args.strict)
    return int(args.func(args, settings))


def _parser() -> argparse.ArgumentParser:
    """The command line: one sub-command each, dispatched by `set_defaults(func=...)`."""
    parser = argparse.ArgumentParser(
        prog="research-site",
        description="Build a research site from notes (content/) and a BibTeX library (bib/).",
        epilog="Start a project with `research-site new DIR`. "
        "Exit status: 0 ok, 1 errors in the inputs, 2 usage error.",
    )
    parser.add_argument(
        "-C",
        dest="directory",
        type=Path,
        default=None,
        metavar="DIR",
        help="run in the project folder DIR, as if started there (default: the current folder)",
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
    new = sub.add_parser(
        "new",
        help="start a research project of your own in a new folder",
        description="Write a new project into DIR (missing or empty): mkdocs.yml, a home note, one topic, an "
        "empty library, .gitignore, a GitHub Pages workflow and a README. Settings not given are asked for when "
        "run in a terminal; otherwise placeholders are written (warned about until edited).",
    )
    new.add_argument("folder", type=Path, metavar="DIR", help="the project folder to create")
    new.add_argument("--name", help="the site's title")
    new.add_argument("--author", help="the site's author(s)")
    new.add_argument("--description", help="one or two sentences: what the site asks, from which sources")
    new.add_argument("--url", help="the published address (default: none; the Pages workflow sets SITE_URL)")
    new.add_argument("--with-guide", action="store_true", help="add the authoring guide as a For-authors tab")
    new.set_defaults(func=commands.new)
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
        description="Write DIR/mkdocs.yml (the site's, with the generated nav merged in, without the research-site "
        "plugin, paths relative to DIR), DIR/docs/ (the generated pages with the hand-written docs/ merged in) and "
        "DIR/overrides/ (the tool's theme overrides, the project's own over them). Build it with "
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
    check_bib.set_defaults(func=commands.check_bib)
    fmt = sub.add_parser(
        "format-bib", help="print each entry's in-text citation and bibliography entry, as the site shows them"
    )
    fmt.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a .bib file")
    fmt.add_argument("--style", default=None, help="a CSL style name or .csl path (default: the site's, else Chicago)")
    shown = fmt.add_mutually_exclusive_group()
    shown.add_argument(
        "--json", dest="output", action="store_const", const=Output.JSON, help="JSON, HTML as on the site"
    )
    shown.add_argument("--csl-json", dest="output", action="store_const", const=Output.CSL_JSON,
                       help="the CSL-JSON items the formatter is given")  # fmt: skip
    fmt.set_defaults(func=commands.format_bib, output=Output.TEXT)
    for command in (check, build, serve, emit, add, check_bib, fmt):  # `research-site check --strict` works as well
        command.add_argument(
            "--strict", action="store_true", default=argparse.SUPPRESS, help="treat warnings as errors"
        )
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
