"""Read BibTeX files into [`Source`][build_scripts.model.Source] records.

bibtexparser 2.x only splits the files into blocks; everything after that is
done here, so that every problem becomes a
[`Diagnostic`][build_scripts.model.Diagnostic] with `path:line`:

* field values are resolved by hand (`#` concatenation, `@string` macros, the
  month macros `jan`..`dec`), iteratively, so deep brace nesting is harmless;
* keys are unique case-insensitively, as in BibTeX; the first entry wins;
* `crossref` fills in missing fields from the parent entry.

LaTeX stays encoded in `Source.fields`; [`decode_latex`][build_scripts.bib.decode_latex]
turns a value into Unicode for display.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import bibtexparser
from bibtexparser import model as bm

from .model import Diagnostic, Location, Severity, Source

# bibtexparser logs every failed block; they are reported as diagnostics instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

__all__ = ["MONTHS", "decode_latex", "load_library"]

#: The predefined BibTeX month macros.
MONTHS: dict[str, str] = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April",
    "may": "May", "jun": "June", "jul": "July", "aug": "August",
    "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip

#: Fields a child entry never takes over from its crossref parent.
_NOT_INHERITED = frozenset({"crossref", "xref", "ids", "entryset", "label", "sortkey", "related"})

_WS = re.compile(r"\s+")
_MACRO_NAME = re.compile(r"^[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*$")
_BLOCK_KEY = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()=\"]*)")


@dataclass(slots=True)
class _Entry:
    """An entry while the library is being assembled."""

    key: str
    entry_type: str
    fields: dict[str, str]
    location: Location


class _Loader:
    """Collects entries and macros over several files, and the problems found."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        self.macros: dict[str, str] = dict(MONTHS)
        self.macro_locations: dict[str, Location] = {}
        self.entries: dict[str, _Entry] = {}  # lower-case key -> first entry with it

    def report(self, location: Location, severity: Severity, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(location, severity, message, hint))

    # -- files ---------------------------------------------------------------

    def relpath(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(os.path.relpath(path, self.root)).as_posix()

    def read(self, path: Path, rel: str) -> str | None:
        """The text of a file, or None (with a diagnostic) if it cannot be read."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.report(Location(rel), Severity.ERROR, "bibliography file not found",
                        "check the path, or remove it from the list of .bib files")
            return None
        except OSError as exc:
            self.report(Location(rel), Severity.ERROR,
                        f"cannot read bibliography file: {exc.strerror or exc}")
            return None
        data = data.removeprefix(b"\xef\xbb\xbf")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
            self.report(Location(rel, line), Severity.WARNING,
                        f"{rel} is not valid UTF-8; read it as Latin-1",
                        "save the file as UTF-8")
            text = data.decode("latin-1")
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def split(self, text: str, rel: str) -> list[bm.Block]:
        try:
            return bibtexparser.parse_string(text, parse_stack=[]).blocks
        except Exception as exc:  # a parser bug must not stop the build
            self.report(Location(rel), Severity.ERROR, f"BibTeX parser failed on this file: {exc}")
            return []

    # -- blocks --------------------------------------------------------------

    def add_string(self, block: bm.String, rel: str) -> None:
        loc = Location(rel, (block.start_line or 0) + 1)
        name = block.key.strip()
        value = self.resolve(block.value, loc, f"@string '{name}'")
        low = name.lower()
        if low in self.macro_locations:
            self.report(loc, Severity.WARNING,
                        f"@string '{name}' redefined (first defined at {self.macro_locations[low]})",
                        "the later definition is used; rename one of them")
        self.macro_locations.setdefault(low, loc)
        self.macros[low] = value

    def add_entry(self, block: bm.Entry, rel: str) -> None:
        loc = Location(rel, (block.start_line or 0) + 1)
        key = block.key.strip()
        if not key:
            self.report(loc, Severity.ERROR, f"@{block.entry_type} entry without a citekey",
                        "add a key after the opening brace, e.g. @book{smith2020, ...}")
            return
        first = self.entries.get(key.lower())
        if first is not None:
            what = "duplicate key" if first.key == key else f"key differs only by case from '{first.key}'"
            self.report(loc, Severity.ERROR, f"'{key}': {what} (first defined at {first.location})",
                        "BibTeX keys are case-insensitive; rename or delete one entry (the first is used)")
            return
        fields: dict[str, str] = {}
        for fld in block.fields:
            name = fld.key.strip().lower()
            floc = Location(rel, fld.start_line + 1) if fld.start_line is not None else loc
            if name in fields:
                self.report(floc, Severity.WARNING, f"'{key}': field '{name}' given twice",
                            "delete one of them (the first is used)")
                continue
            value = self.resolve(fld.value, floc, f"field '{name}' of '{key}'")
            fields[name] = _WS.sub(" ", value).strip()  # BibTeX collapses whitespace
        self.entries[key.lower()] = _Entry(key, block.entry_type.strip().lower(), fields, loc)

    def add_failed(self, block: bm.ParsingFailedBlock, rel: str) -> None:
        loc = Location(rel, (block.start_line or 0) + 1)
        match = _BLOCK_KEY.match(block.raw or "")
        what = f"@{match.group(1)} '{match.group(2)}'" if match and match.group(2) else "block"
        reason = getattr(block.error, "abort_reason", None) or str(block.error)
        self.report(loc, Severity.ERROR, f"{what} could not be parsed and was skipped: {reason.strip()}",
                    "look for a missing comma, '=' or closing brace/quote in this entry")

    def add_block(self, block: bm.Block, rel: str, strings: bool) -> None:
        """Handle one block; `strings` selects the @string pass or the entry pass."""
        inner: bm.Block | None = block
        while isinstance(inner, (bm.DuplicateBlockKeyBlock, bm.DuplicateFieldKeyBlock)):
            inner = inner.ignore_error_block  # reported below, by our own checks
        if isinstance(inner, bm.String):
            if strings:
                self.add_string(inner, rel)
        elif strings:
            return
        elif isinstance(inner, bm.Entry):
            self.add_entry(inner, rel)
        elif isinstance(block, bm.ParsingFailedBlock):
            self.add_failed(block, rel)

    # -- values --------------------------------------------------------------

    def resolve(self, raw: str, loc: Location, where: str) -> str:
        """Resolve `#` concatenation and macros in a raw field value."""
        out: list[str] = []
        for part in _split_concat(raw):
            if not part:
                continue
            literal = _unwrap(part)
            if literal is not None:
                out.append(literal)
            elif part.isdigit():
                out.append(part)
            elif part.lower() in self.macros:
                out.append(self.macros[part.lower()])
            elif not _MACRO_NAME.match(part):
                self.report(loc, Severity.ERROR, f"malformed value in {where}: {_WS.sub(' ', part)[:60]!r} is "
                            "not a {...} or \"...\" literal, a number or a macro name",
                            "a comma between two fields may be missing; the text is kept as it is")
                out.append(part)
            else:
                self.report(loc, Severity.WARNING, f"undefined macro '{part}' in {where}",
                            f"define it with @string{{{part} = {{...}}}}, "
                            "or put the value in braces if it is meant literally")
                out.append(part)
        return "".join(out)

    # -- crossrefs -----------------------------------------------------------

    def resolve_crossrefs(self) -> None:
        """Fill in fields each entry lacks from its crossref chain."""
        reported: set[frozenset[str]] = set()
        merged: dict[str, dict[str, str]] = {}
        for low, entry in self.entries.items():
            chain = [low]
            current = entry
            while (parent_key := current.fields.get("crossref", "").strip()):
                parent = self.entries.get(parent_key.lower())
                if parent is None:
                    self.report(current.location, Severity.WARNING,
                                f"'{current.key}': crossref to unknown entry '{parent_key}'",
                                "add the parent entry, or fix the key in crossref")
                    break
                if parent_key.lower() in chain:
                    cycle = chain[chain.index(parent_key.lower()):]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        names = " -> ".join(self.entries[k].key for k in cycle + cycle[:1])
                        first = min((self.entries[k] for k in cycle), key=lambda e: e.location)
                        self.report(first.location, Severity.ERROR, f"circular crossref: {names}",
                                    "remove the crossref field from one of these entries")
                    break
                chain.append(parent_key.lower())
                current = parent
            fields, parent_type = {}, ""
            for key in reversed(chain):
                fields = _inherit(self.entries[key].fields, fields, parent_type)
                parent_type = self.entries[key].entry_type
            merged[low] = fields
        for low, fields in merged.items():
            self.entries[low].fields = fields


def _inherit(child: dict[str, str], parent: dict[str, str], parent_type: str) -> dict[str, str]:
    """Child fields, plus the parent's fields the child lacks.

    As in biblatex, the parent's title also becomes the child's `booktitle`
    (`journaltitle` for a `@periodical` parent; nothing for an `@article`).
    """
    out = dict(child)
    for name, value in parent.items():
        if name not in _NOT_INHERITED:
            out.setdefault(name, value)
    if "title" in parent and parent_type != "article":
        out.setdefault("journaltitle" if parent_type == "periodical" else "booktitle", parent["title"])
    return out


def _split_concat(raw: str) -> list[str]:
    """Split a raw value on top-level `#`, respecting braces and quotes."""
    parts: list[str] = []
    depth, quoted, start, i, n = 0, False, 0, 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c == '"' and depth == 0:
            quoted = not quoted
        elif c == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i].strip())
            start = i + 1
        i += 1
    parts.append(raw[start:].strip())
    return parts


def _unwrap(part: str) -> str | None:
    """The content of a `{...}` or `"..."` literal, or None if `part` is not one."""
    if len(part) >= 2 and part[0] == '"' and part[-1] == '"':
        return part[1:-1]
    if part[0] != "{" or part[-1] != "}":
        return None
    depth, i = 0, 0
    while i < len(part):
        c = part[i]
        if c == "\\":
            i += 2
            continue
        depth += c == "{"
        depth -= c == "}"
        if depth == 0:
            # The first group must close at the very end: `{a} {b}` is not one literal.
            return part[1:-1] if i == len(part) - 1 else None
        i += 1
    return part[1:-1]  # unbalanced: take it as it is rather than lose it


def load_library(paths: Sequence[Path], root: Path) -> tuple[dict[str, Source], list[Diagnostic]]:
    """Read .bib files (in the given order) into Sources keyed by citekey.

    `@string` macros are shared by all files: every `@string` is read (in file
    order) before the entries, so an entry may use a macro defined later.

    Args:
        paths: The .bib files, in order; an earlier entry wins over a later
            one with the same key.
        root: Project root; diagnostics name files relative to it.

    Returns:
        The sources keyed by citekey (as written), in file order, and the
        problems found, sorted by location.
    """
    loader = _Loader(root)
    files: list[tuple[str, list[bm.Block]]] = []
    for path in paths:
        rel = loader.relpath(Path(path))
        text = loader.read(Path(path), rel)
        if text is not None:
            files.append((rel, loader.split(text, rel)))
    for strings in (True, False):
        for rel, blocks in files:
            for block in blocks:
                loader.add_block(block, rel, strings)
    loader.resolve_crossrefs()
    sources = {
        e.key: Source(key=e.key, entry_type=e.entry_type, fields=e.fields, location=e.location)
        for e in loader.entries.values()
    }
    return sources, sorted(loader.diagnostics)


# -- LaTeX -> Unicode ---------------------------------------------------------

_MAX_DEPTH = 64  # pylatexenc recurses per brace level; deeper groups are flattened
_PLAIN_RE = re.compile(r"[\\$%]")
_BRACE_RE = re.compile(r"(?<!\\)[{}]")
_PERCENT_RE = re.compile(r"(?<!\\)%")
_SIMPLE = (("---", "\u2014"), ("--", "\u2013"), ("``", "\u201c"), ("''", "\u201d"), ("~", " "))


#: Macros common in .bib files that pylatexenc does not know: name -> (arguments, replacement).
_BIB_MACROS: dict[str, tuple[str, str | None]] = {
    **{name: ("{", "%(1)s") for name in ("mbox", "hbox", "text", "url", "path", "texttt", "acro",
                                         "textsuperscript", "textsc", "textsf")},
    **{name: ("{", "\u201c%(1)s\u201d") for name in ("enquote", "mkbibquote")},
    **{name: ("", "") for name in ("tt", "it", "sl", "sf", "bf", "rm", "sc", "em", "relax", "smc")},
    "href": ("{{", "%(2)s"), "switchargs": ("{{", "%(2)s%(1)s"), "noopsort": ("{", ""),
    "Dash": ("", "\u2014"), "dash": ("", "\u2014"), "slash": ("", "/"), "thinspace": ("", " "),
    "TeX": ("", "TeX"), "LaTeX": ("", "LaTeX"), "LaTeXe": ("", "LaTeX2e"), "BibTeX": ("", "BibTeX"),
    "MF": ("", "Metafont"), "MP": ("", "MetaPost"),
}
_UNKNOWN_MACRO = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])(\{\})?(?!\s*\{)")


@functools.cache
def _converter() -> tuple[Any, Any, Any]:
    """pylatexenc's converter, walker context and walker module, knowing `_BIB_MACROS`."""
    from pylatexenc import latex2text, latexwalker, macrospec

    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category("bib", prepend=True, macros=[
        macrospec.MacroSpec(name, args) for name, (args, _) in _BIB_MACROS.items()])
    text_db = latex2text.get_default_latex_context_db()
    text_db.add_context_category("bib", prepend=True, macros=[
        latex2text.MacroTextSpec(name, repl, discard=not repl) for name, (_, repl) in _BIB_MACROS.items()])
    conv = latex2text.LatexNodes2Text(latex_context=text_db, math_mode="text")
    return conv, walker_db, latexwalker


def _logo(match: re.Match[str], text_db: Any) -> str:
    """Unknown argument-less macros are mostly logos (`\\OzTeX{}`): show their name."""
    known = text_db.get_macro_spec(match.group(1)) is not None
    return match.group(0) if known else match.group(1)


def _flatten(value: str, limit: int = _MAX_DEPTH) -> str:
    """Drop the braces nested deeper than `limit` (pylatexenc recurses per level)."""
    out, depth, last = [], 0, 0
    for match in _BRACE_RE.finditer(value):
        opening = match.group() == "{"
        level = depth + 1 if opening else depth
        depth = level if opening else max(depth - 1, 0)
        if level > limit:
            out.append(value[last : match.start()])
            last = match.end()
    out.append(value[last:])
    return "".join(out)


def _simple(value: str) -> str:
    """Decoding for values without macros: drop braces, typographic ligatures."""
    value = _BRACE_RE.sub("", value)
    for old, new in _SIMPLE:
        value = value.replace(old, new)
    return value


@functools.lru_cache(maxsize=1 << 16)
def decode_latex(value: str) -> str:
    """LaTeX → Unicode for display ({\\'e} → é, --- → —, protective braces removed); cached.

    A bare `%` is kept as a percent sign (in a .bib value it is hardly ever
    meant as a comment), `~` becomes a space, and whitespace is collapsed.
    Never raises: input pylatexenc cannot handle falls back to dropping braces.

    Args:
        value: A field value as stored in `Source.fields`.

    Returns:
        The text to show.
    """
    value = _flatten(value)
    if not _PLAIN_RE.search(value):
        text = _simple(value)
    else:
        conv, walker_db, latexwalker = _converter()
        source = _PERCENT_RE.sub(r"\\%", value)
        source = _UNKNOWN_MACRO.sub(lambda m: _logo(m, conv.latex_context), source)
        try:
            walker = latexwalker.LatexWalker(source, latex_context=walker_db, tolerant_parsing=True)
            text = conv.nodelist_to_text(walker.get_latex_nodes()[0])
        except Exception:  # malformed LaTeX must not stop the build
            text = _simple(value)
        text = text.replace("\u00a0", " ")
    return _WS.sub(" ", text).strip()
