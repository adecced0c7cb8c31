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

LaTeX stays encoded in `Source.fields`; [`decode_latex`][build_scripts.library.latex.decode_latex]
turns a value into Unicode for display.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from build_scripts.library.bib.blocks import collect_blocks
from build_scripts.library.bib.crossref import resolve_crossrefs
from build_scripts.library.bib.macros import resolve_macros
from build_scripts.library.bib.read import read_bib
from build_scripts.library.bib.records import Macro, RawEntry
from build_scripts.model import Diagnostic, Severity, Source
from build_scripts.months import MONTHS
from build_scripts.paths import relative_path

__all__ = ["MAX_FIELD_CHARS", "MAX_FILE_BYTES", "MONTHS", "FileSummary", "load_library", "summarise"]

#: Longest field (or @string) value kept; longer ones are cut, with a warning.
MAX_FIELD_CHARS = 100_000
#: Larger .bib files are not read (an error): no real library comes near this.
MAX_FILE_BYTES = 256 * 2**20
_CHUNK_CHARS = 2**20  # bibtexparser's blocks for one piece at a time stay in memory


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
        paths: The .bib files, in order (as for [`load_library`][build_scripts.library.bib.load_library]).
        root: Diagnostics name files relative to it.

    Returns:
        One summary per path, in order, and the diagnostics, sorted by location.
    """
    sources, diagnostics, macro_counts = _load(paths, root)
    entries = Counter(src.location.path for src in sources.values())
    out = []
    for path in paths:
        rel = relative_path(Path(path), root)
        mine = [d for d in diagnostics if d.location.path == rel]
        errors = sum(d.severity is Severity.ERROR for d in mine)
        out.append(FileSummary(rel, entries[rel], macro_counts[rel], errors, len(mine) - errors))
    return out, diagnostics


def _load(paths: Sequence[Path], root: Path) -> tuple[dict[str, Source], list[Diagnostic], Counter[str]]:
    """The sources, the diagnostics (sorted) and the number of `@string`s read per file.

    The stages, each a function of its own module returning its result and its
    diagnostics: `read.read_bib` and `blocks.collect_blocks` for one file after
    the other, then `macros.resolve_macros` and `crossref.resolve_crossrefs`
    for the whole library.
    """
    diagnostics: list[Diagnostic] = []
    macros: list[Macro] = []
    entries: dict[str, RawEntry] = {}  # lower-case key -> first entry with it
    macro_counts: Counter[str] = Counter()
    for path in paths:
        rel = relative_path(Path(path), root)
        text, found = read_bib(Path(path), rel, max_bytes=MAX_FILE_BYTES)
        diagnostics += found
        if text is None:
            continue
        blocks, found = collect_blocks(text, rel, entries, chunk_chars=_CHUNK_CHARS)
        del text
        diagnostics += found
        macros += blocks.macros
        macro_counts[rel] += len(blocks.macros)
        entries.update((entry.key.lower(), entry) for entry in blocks.entries)
        del blocks
    queue = list(entries.values())
    del entries  # so that each raw entry is freed once resolved: a big library is not held twice
    resolved, found = resolve_macros(macros, _drain(queue), max_chars=MAX_FIELD_CHARS)
    diagnostics += found
    sources, found = resolve_crossrefs(resolved)
    diagnostics += found
    return sources, sorted(diagnostics), macro_counts


def _drain(items: list[RawEntry]) -> Iterator[RawEntry]:
    """The items in order, each removed from `items` as it is given (so that it is freed once used)."""
    items.reverse()
    while items:
        yield items.pop()
