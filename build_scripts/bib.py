"""Read BibTeX files into [`Source`][build_scripts.model.Source] records.

bibtexparser 2.x only splits the files into blocks; everything after that is
done here, so that every problem becomes a
[`Diagnostic`][build_scripts.model.Diagnostic] with `path:line`:

* files are read as UTF-8 (a BOM is dropped; UTF-16 with a BOM is accepted;
  anything else falls back to Windows-1252/Latin-1 with a warning), with any
  line ends, and split in pieces of about 1 MB so that big files stay cheap;
* field values are resolved by hand (`#` concatenation, `@string` macros, the
  month macros `jan`..`dec`), iteratively, so deep brace nesting is harmless;
  each value is cut at `MAX_FIELD_CHARS` (100,000) characters;
* control characters are removed from keys, field names and values;
* keys are unique case-insensitively, as in BibTeX; the first entry wins, and
  so does the first of two equal fields in one entry;
* `crossref` (matched case-insensitively) fills in missing fields from the parent.

LaTeX stays encoded in `Source.fields`; [`decode_latex`][build_scripts.latex.decode_latex]
turns a value into Unicode for display.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model as bm

from .model import Diagnostic, Location, Severity, Source

# bibtexparser logs every failed block; they are reported as diagnostics instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

__all__ = ["MAX_FIELD_CHARS", "MAX_FILE_BYTES", "MONTHS", "FileSummary", "load_library", "summarise"]

#: The predefined BibTeX month macros.
MONTHS: dict[str, str] = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April",
    "may": "May", "jun": "June", "jul": "July", "aug": "August",
    "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip

#: Longest field (or @string) value kept; longer ones are cut, with a warning.
MAX_FIELD_CHARS = 100_000
#: Larger .bib files are not read (an error): no real library comes near this.
MAX_FILE_BYTES = 256 * 2**20
_CHUNK_CHARS = 2**20  # bibtexparser's blocks for one piece at a time stay in memory

#: Fields a child entry never takes over from its crossref parent.
_NOT_INHERITED = frozenset({"crossref", "xref", "ids", "entryset", "label", "sortkey", "related"})
_MAX_CYCLE_WALK = 64  # inheritance steps followed around a (reported) crossref cycle

_WS = re.compile(r"\s+")
_IDENT = re.compile(r"^[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*$")  # macro and field names
_BLOCK_KEY = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()=\"]*)")
# Not valid XML, and never meant: C0/C1 controls except tab and newline, DEL, U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Where bibtexparser starts a block even inside an unclosed one: safe places to cut a file.
_BOUNDARY = re.compile(r"^[ \t]*@\w*[ \t]*[{(]", re.MULTILINE)
# Looks like an entry, but bibtexparser does not take it as one (`@ misc{`, `@my-type{`).
_LOST_ENTRY = re.compile(r"^[ \t]*@[ \t]*[^\s{}(),=@\"#%']*[ \t]*[{(]", re.MULTILINE)
_SPECIAL = re.compile(r"[\\{}\"#]")
_BRACES = re.compile(r"\\.|[{}]", re.DOTALL)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What one .bib file contributed to the library.

    Attributes:
        path: The file, as diagnostics name it.
        entries: Entries loaded from it (duplicates and broken entries not counted).
        macros: `@string` macros defined in it.
        errors: Errors reported in it.
        warnings: Warnings reported in it.
    """

    path: str
    entries: int
    macros: int
    errors: int
    warnings: int

    @property
    def problems(self) -> int:
        """Errors and warnings together."""
        return self.errors + self.warnings

    def __str__(self) -> str:
        return f"{self.path}: {self.entries} entries, {self.macros} @string macros, {self.problems} problems"


@dataclass(slots=True)
class _Entry:
    """An entry while the library is being assembled (raw values until all macros are known)."""

    key: str
    entry_type: str
    location: Location
    raw: list[tuple[str, str, int]] = field(default_factory=list)  # name, value, line
    fields: dict[str, str] = field(default_factory=dict)
    crossref_at: Location | None = None


def _controls(text: str) -> str:
    """The control characters in `text`, as `U+0000, U+001B` (at most five)."""
    found = sorted(set(_CONTROL.findall(text)))
    names = ", ".join(f"U+{ord(c):04X}" for c in found[:5])
    return names + (", ..." if len(found) > 5 else "")


def _cut(value: str, limit: int = MAX_FIELD_CHARS) -> str:
    """`value` cut to `limit` characters, its braces still balanced."""
    value = value[:limit]
    value = value[: len(value) - (len(value) - len(value.rstrip("\\"))) % 2]  # no dangling `\`
    depth = 0
    for match in _BRACES.finditer(value):
        if match.group() == "{":
            depth += 1
        elif match.group() == "}":
            depth = max(depth - 1, 0)
    return value + "}" * depth


class _Loader:
    """Collects entries and macros over several files, and the problems found."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        self.macros: dict[str, str] = dict(MONTHS)
        self.macro_locations: dict[str, Location] = {}
        self.macro_counts: Counter[str] = Counter()  # path -> @string blocks read
        self.entries: dict[str, _Entry] = {}  # lower-case key -> first entry with it

    def report(self, location: Location, severity: Severity, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(location, severity, message, hint))

    # -- files ---------------------------------------------------------------

    def relpath(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside root; or a symlink loop
            return Path(os.path.relpath(path, self.root)).as_posix()

    def read(self, path: Path, rel: str) -> str | None:
        """The text of a file with `\\n` line ends, or None (with a diagnostic) if it cannot be read."""
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.report(Location(rel), Severity.ERROR,
                            f"bibliography file is larger than {MAX_FILE_BYTES // 2**20} MB; not read",
                            "split it into several .bib files")
                return None
            data = path.read_bytes()
        except FileNotFoundError:
            self.report(Location(rel), Severity.ERROR, "bibliography file not found",
                        "check the path, or remove it from the list of .bib files")
            return None
        except OSError as exc:
            self.report(Location(rel), Severity.ERROR,
                        f"cannot read bibliography file: {exc.strerror or exc}")
            return None
        text = self.decode(data, rel)
        del data
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        # bibtexparser does not count a newline after a backslash; the space changes
        # nothing else, as whitespace in values is collapsed.
        return text.replace("\\\n", "\\ \n")

    def decode(self, data: bytes, rel: str) -> str:
        for bom, codec in _BOMS:
            if data.startswith(bom):
                self.report(Location(rel, 1), Severity.WARNING, f"{rel} is encoded as {codec.upper()}",
                            "save the file as UTF-8; BibTeX cannot read it")
                return data.decode(codec, errors="replace").removeprefix("\ufeff")
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
            self.report(Location(rel, line), Severity.WARNING,
                        f"{rel} is not valid UTF-8; read it as Windows-1252/Latin-1",
                        "save the file as UTF-8")
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")

    def add_file(self, text: str, rel: str) -> None:
        """Split `text` into blocks, piece by piece, and take in its @strings and entries."""
        self.macro_counts[rel] += 0
        for offset, piece, last in _pieces(text, _CHUNK_CHARS):
            try:
                blocks = bibtexparser.parse_string(piece, parse_stack=[]).blocks
            except Exception as exc:  # a parser bug must not stop the build
                self.report(Location(rel, offset + 1), Severity.ERROR,
                            f"BibTeX parser failed on the text from here on ({exc}); its entries are skipped",
                            "look for a broken entry near this line")
                continue
            for block in blocks:
                self.add_block(block, rel, offset, last)

    # -- blocks --------------------------------------------------------------

    def add_block(self, block: bm.Block, rel: str, offset: int, last: bool) -> None:
        loc = Location(rel, (block.start_line or 0) + offset + 1)
        inner: bm.Block | None = block
        while isinstance(inner, (bm.DuplicateBlockKeyBlock, bm.DuplicateFieldKeyBlock)):
            inner = inner.ignore_error_block  # reported by our own checks
        if isinstance(inner, bm.String):
            self.add_string(inner, loc)
        elif isinstance(inner, bm.Entry):
            self.add_entry(inner, loc, offset)
        elif isinstance(block, bm.ParsingFailedBlock):
            self.add_failed(block, loc, last)
        elif isinstance(block, bm.ImplicitComment):
            raw = block.raw or ""
            for match in _LOST_ENTRY.finditer(raw):
                where = Location(rel, loc.line + raw.count("\n", 0, match.start()))
                self.report(where, Severity.ERROR,
                            f"{_WS.sub(' ', match.group().strip())!r} looks like an entry but is not read as one",
                            "write the entry type right after '@', with letters, digits and '_' only")

    def add_string(self, block: bm.String, loc: Location) -> None:
        name = _CONTROL.sub("", block.key).strip()
        if not _IDENT.match(name):
            self.report(loc, Severity.ERROR, f"@string name {name!r} is not valid; the macro is skipped",
                        "use a name of letters, digits and '-_:.' that does not start with a digit")
            return
        self.macro_counts[loc.path] += 1
        value = self.resolve(self.clean(block.value, loc, "@string '{}'", name), loc, "@string '{}'", name)
        low = name.lower()
        if low in self.macro_locations:
            self.report(loc, Severity.WARNING,
                        f"@string '{name}' redefined (first defined at {self.macro_locations[low]})",
                        "the later definition is used; rename one of them")
        self.macro_locations.setdefault(low, loc)
        self.macros[low] = value

    def add_entry(self, block: bm.Entry, loc: Location, offset: int) -> None:
        key = _CONTROL.sub("", block.key).strip()
        self.clean(block.key, loc, "citekey '{}'", key)
        entry_type = sys.intern(block.entry_type.strip().lower())
        if not key:
            self.report(loc, Severity.ERROR, f"@{entry_type} entry without a citekey",
                        "add a key after the opening brace, e.g. @book{smith2020, ...}")
            return
        if not entry_type:
            self.report(loc, Severity.ERROR, f"'{key}': entry without a type; it is skipped",
                        "write the type after '@', e.g. @book{" + key + ", ...}")
            return
        if _WS.search(key):
            self.report(loc, Severity.WARNING, f"citekey {key!r} contains whitespace; it cannot be cited",
                        "remove the spaces from the key")
        first = self.entries.get(key.lower())
        if first is not None:
            what = "duplicate key" if first.key == key else f"key differs only by case from '{first.key}'"
            self.report(loc, Severity.ERROR, f"'{key}': {what} (first defined at {first.location})",
                        "BibTeX keys are case-insensitive; rename or delete one entry (the first is used)")
            return
        entry = _Entry(key, entry_type, loc)
        seen: set[str] = set()
        for fld in block.fields:
            floc = Location(loc.path, fld.start_line + offset + 1) if fld.start_line is not None else loc
            name = sys.intern(self.clean(fld.key, floc, "a field name of '{}'", key).strip().lower())
            if not _IDENT.match(name):
                self.report(floc, Severity.ERROR, f"'{key}': field name {_WS.sub(' ', name)[:60]!r} is not valid; "
                            "the field is skipped", "a comma or '=' may be missing before this field")
                continue
            if name in seen:
                self.report(floc, Severity.WARNING, f"'{key}': field '{name}' given twice",
                            "delete one of them (the first is used)")
                continue
            seen.add(name)
            if name == "crossref":
                entry.crossref_at = floc
            entry.raw.append((name, self.clean(fld.value, floc, "field '{}' of '{}'", name, key), floc.line))
        self.entries[key.lower()] = entry

    def add_failed(self, block: bm.ParsingFailedBlock, loc: Location, last: bool) -> None:
        match = _BLOCK_KEY.match(block.raw or "")
        what = f"@{match.group(1)} '{match.group(2)}'" if match and match.group(2) else "block"
        reason = str(getattr(block.error, "abort_reason", None) or block.error).strip()
        if not last and reason.startswith("Unexpectedly reached end of file"):
            reason = "it is not closed before the next entry starts"  # the piece ended there
        self.report(loc, Severity.ERROR, f"{_CONTROL.sub('', what)} could not be parsed and was skipped: {reason}",
                    "look for a missing comma, '=' or closing brace/quote in this entry")

    # -- values --------------------------------------------------------------

    def clean(self, raw: str, loc: Location, where: str, *args: str) -> str:
        """`raw` without control characters (reported as in `where.format(*args)`)."""
        if not _CONTROL.search(raw):
            return raw
        where = where.format(*args)
        self.report(loc, Severity.WARNING, f"control characters {_controls(raw)} removed from {where}",
                    "delete them from the file; they are invisible and not valid in web pages")
        return _CONTROL.sub("", raw)

    def resolve(self, raw: str, loc: Location, where: str, *args: str) -> str:
        """Resolve `#` concatenation and macros in a raw value; cut it if too long.

        Problems name the value as `where.format(*args)` (formatted only when needed).
        """
        def name() -> str:
            return where.format(*args)

        out: list[str] = []
        size = 0
        parts = _split_concat(raw)
        if len(parts) > 1 and not all(parts):
            self.report(loc, Severity.ERROR, f"malformed value in {name()}: '#' without a value on one side",
                        "remove the extra '#', or add the missing value")
        for part in parts:
            if size > 2 * MAX_FIELD_CHARS:
                break  # the rest would be cut anyway (and macros can double in size at each step)
            if not part:
                continue
            literal = _unwrap(part)
            if literal is not None:
                out.append(literal)
            elif part.isdigit():
                out.append(part)
            elif part.lower() in self.macros:
                out.append(self.macros[part.lower()])
            elif not _IDENT.match(part):
                self.report(loc, Severity.ERROR, f"malformed value in {name()}: {_WS.sub(' ', part)[:60]!r} is "
                            "not a {...} or \"...\" literal, a number or a macro name",
                            "a comma between two fields may be missing; the text is kept as it is")
                out.append(part)
            else:
                self.report(loc, Severity.WARNING, f"undefined macro '{part}' in {name()}",
                            f"define it with @string{{{part} = {{...}}}}, "
                            "or put the value in braces if it is meant literally")
                out.append(part)
            size += len(out[-1])
        value = "".join(out)
        if size > MAX_FIELD_CHARS and len(_WS.sub(" ", value)) > MAX_FIELD_CHARS:
            self.report(loc, Severity.WARNING, f"{name()} is longer than {MAX_FIELD_CHARS:,} characters; it is cut",
                        "shorten it; a bibliography field should not hold a whole text")
            value = _cut(_WS.sub(" ", value))
        return value

    def resolve_fields(self) -> None:
        """Resolve every entry's raw values, now that all macros are known."""
        for entry in self.entries.values():
            for name, raw, line in entry.raw:
                floc = Location(entry.location.path, line)
                value = self.resolve(raw, floc, "field '{}' of '{}'", name, entry.key)
                entry.fields[name] = _WS.sub(" ", value).strip()  # BibTeX collapses whitespace
            entry.raw = []

    # -- crossrefs -----------------------------------------------------------

    def resolve_crossrefs(self) -> None:
        """Fill in the fields each entry lacks from its crossref chain (each entry's parent merged first)."""
        parent: dict[str, str] = {}
        for low, entry in self.entries.items():
            target = entry.fields.get("crossref", "").strip()
            if target and target.lower() in self.entries:
                parent[low] = target.lower()
            elif target:
                self.report(entry.crossref_at or entry.location, Severity.WARNING,
                            f"'{entry.key}': crossref to unknown entry '{target}'",
                            "add the parent entry, or fix the key in crossref")
        cyclic = self.find_cycles(parent)
        merged: dict[str, dict[str, str]] = {}
        for low in self.entries:
            chain = []  # entries to merge, child first, up to one already merged (or a cycle)
            current: str | None = low
            while current is not None and current not in merged and current not in cyclic:
                chain.append(current)
                current = parent.get(current)
            if current in cyclic and current not in merged:
                merged[current] = self.merge_cycle(current, parent)
            base = merged[current] if current is not None else {}
            base_type = self.entries[current].entry_type if current is not None else ""
            for key in reversed(chain):
                base = merged[key] = _inherit(self.entries[key].fields, base, base_type)
                base_type = self.entries[key].entry_type
        for low, fields in merged.items():
            self.entries[low].fields = fields

    def find_cycles(self, parent: dict[str, str]) -> set[str]:
        """Keys on a crossref cycle; each cycle is reported once, at its first entry."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        cyclic: set[str] = set()
        for start in parent:
            path: list[str] = []
            current: str | None = start
            while current is not None and current not in state:
                state[current] = 1
                path.append(current)
                current = parent.get(current)
            if current is not None and state[current] == 1:
                cycle = path[path.index(current):]
                cyclic.update(cycle)
                first = min((self.entries[k] for k in cycle), key=lambda e: e.location)
                names = " -> ".join(self.entries[k].key for k in cycle + cycle[:1])
                self.report(first.crossref_at or first.location, Severity.ERROR, f"circular crossref: {names}",
                            "remove the crossref field from one of these entries")
            for key in path:
                state[key] = 2
        return cyclic

    def merge_cycle(self, low: str, parent: dict[str, str]) -> dict[str, str]:
        """Fields of an entry on a cycle: its own, then those of the entries round the cycle."""
        chain = [low]
        while (nxt := parent[chain[-1]]) != low and len(chain) < _MAX_CYCLE_WALK:
            chain.append(nxt)
        fields: dict[str, str] = {}
        parent_type = ""
        for key in reversed(chain):
            fields = _inherit(self.entries[key].fields, fields, parent_type)
            parent_type = self.entries[key].entry_type
        return fields


def _pieces(text: str, size: int) -> Iterator[tuple[int, str, bool]]:
    """(line offset, piece, is last): `text` cut at block starts where bibtexparser cuts too."""
    start, line = 0, 0
    while True:
        match = _BOUNDARY.search(text, start + size) if len(text) - start > size else None
        if match is None:
            yield line, text[start:], True
            return
        yield line, text[start : match.start()], False
        line += text.count("\n", start, match.start())
        start = match.start()


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
    if "#" not in raw:
        return [raw.strip()]
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for match in _SPECIAL.finditer(raw):
        c, i = match.group(), match.start()
        if c == "\\":
            continue
        if i and raw[i - 1] == "\\" and _escaped(raw, i):
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
    parts.append(raw[start:].strip())
    return parts


def _escaped(raw: str, i: int) -> bool:
    """Whether `raw[i]` follows an odd number of backslashes."""
    n = 0
    while i - n - 1 >= 0 and raw[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _unwrap(part: str) -> str | None:
    """The content of a `{...}` or `"..."` literal, or None if `part` is not one."""
    if len(part) >= 2 and part[0] == '"' and part[-1] == '"':
        return part[1:-1]
    if part[0] != "{" or part[-1] != "}":
        return None
    depth = 0
    for match in _BRACES.finditer(part):
        c = match.group()
        if len(c) > 1:
            continue  # an escaped character
        depth += 1 if c == "{" else -1
        if depth == 0:
            # The first group must close at the very end: `{a} {b}` is not one literal.
            return part[1:-1] if match.start() == len(part) - 1 else None
    return part[1:-1]  # unbalanced: take it as it is rather than lose it


def load_library(paths: Sequence[Path], root: Path) -> tuple[dict[str, Source], list[Diagnostic]]:
    """Read .bib files (in the given order) into Sources keyed by citekey.

    `@string` macros are shared by all files: every `@string` is read (in file
    order) before the entries, so an entry may use a macro defined later.
    Never raises on bad input: every problem is a diagnostic.

    Args:
        paths: The .bib files, in order; an earlier entry wins over a later
            one with the same key.
        root: Project root; diagnostics name files relative to it.

    Returns:
        The sources keyed by citekey (as written), in file order, and the
        problems found, sorted by location.
    """
    sources, diagnostics, _ = _load(paths, root)
    return sources, diagnostics


def summarise(paths: Sequence[Path], root: Path) -> tuple[list[FileSummary], list[Diagnostic]]:
    """Load .bib files as one library and count, per file, entries, macros and problems.

    Args:
        paths: The .bib files, in order (as for [`load_library`][build_scripts.bib.load_library]).
        root: Diagnostics name files relative to it.

    Returns:
        One summary per path, in order, and the diagnostics, sorted by location.
    """
    sources, diagnostics, loader = _load(paths, root)
    entries = Counter(src.location.path for src in sources.values())
    out = []
    for path in paths:
        rel = loader.relpath(Path(path))
        mine = [d for d in diagnostics if d.location.path == rel]
        errors = sum(d.severity is Severity.ERROR for d in mine)
        out.append(FileSummary(rel, entries[rel], loader.macro_counts[rel], errors, len(mine) - errors))
    return out, diagnostics


def _load(paths: Sequence[Path], root: Path) -> tuple[dict[str, Source], list[Diagnostic], _Loader]:
    loader = _Loader(root)
    for path in paths:
        rel = loader.relpath(Path(path))
        text = loader.read(Path(path), rel)
        if text is not None:
            loader.add_file(text, rel)
    loader.resolve_fields()
    loader.resolve_crossrefs()
    sources = {
        e.key: Source(key=e.key, entry_type=e.entry_type, fields=e.fields, location=e.location)
        for e in loader.entries.values()
    }
    return sources, sorted(loader.diagnostics), loader
