"""`add-source`: append new BibTeX entries to the library and start a note on each.

The new text is parsed by [`bib.load_library`][build_scripts.library.bib.load_library]
together with the existing library (so it may use the library's `@string`
macros), checked against the library (a citekey that exists already is an
error; a likely duplicate, by DOI or title, is a warning), then appended to the
last `*.bib` file of `bib/` atomically: the file is rewritten through a
temporary file and `os.replace`, so an interruption leaves the old file as it
was, and its original bytes are kept unchanged as a prefix of the new file.
Finally a note skeleton is created for each new entry under `content/notes/`.

Problems are [`Diagnostic`][build_scripts.diagnostics.Diagnostic]s that name the
input as the user gave it (`FILE` or `<stdin>`), never a temporary path.
"""

from __future__ import annotations

import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from build_scripts.atomic import EncodingMismatch, append_atomically
from build_scripts.citations.csl_json import entry_doi
from build_scripts.config import Settings
from build_scripts.diagnostics import Code
from build_scripts.library import archive, bib, latex
from build_scripts.model import Diagnostic, Location, Severity, Source
from build_scripts.notes import load as notes
from build_scripts.paths import relative_path
from build_scripts.slugs import slug

__all__ = ["STDIN", "AddResult", "add_source", "read_input", "summary"]

#: The name that stands for standard input, on the command line and in diagnostics.
STDIN = "<stdin>"

_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class AddResult:
    """What `add_source` did.

    Attributes:
        keys: Citekeys of the entries added, in the order written.
        bib_file: The library file they were appended to, relative to the
            project root ("" when nothing was written).
        notes: Note files created, relative to the project root.
    """

    keys: tuple[str, ...] = ()
    bib_file: str = ""
    notes: tuple[str, ...] = ()

    @property
    def written(self) -> bool:
        """Whether the library was changed."""
        return bool(self.bib_file)


def read_input(arg: str) -> tuple[str | None, str, list[Diagnostic]]:
    """Read the new BibTeX text from a file, or from standard input for `-`.

    Args:
        arg: The path as given on the command line, or `-`.

    Returns:
        The text (None when it cannot be read), the name to report it by
        (`arg`, or `<stdin>`), and the problems found.
    """
    name = STDIN if arg == "-" else arg
    try:
        data = sys.stdin.buffer.read() if arg == "-" else Path(arg).read_bytes()
    except FileNotFoundError:
        return (
            None,
            name,
            [
                Diagnostic.error(
                    Location(name),
                    "file not found",
                    "check the path, or give '-' to read the entry from standard input",
                )
            ],
        )
    except OSError as exc:
        return None, name, [Diagnostic.error(Location(name), f"cannot read file: {exc.strerror or exc}")]
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return (
            None,
            name,
            [Diagnostic.error(Location(name, line), "the new entry is not valid UTF-8", "save it as UTF-8")],
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), name, []


def add_source(text: str, name: str, settings: Settings, strict: bool = False) -> tuple[AddResult, list[Diagnostic]]:
    """Append the BibTeX entries in `text` to the library and create a note skeleton for each.

    Nothing is written when the text has a problem (every problem
    [`bib`][build_scripts.library.bib] finds in it, even one that is only a warning in
    `check`, such as an undefined macro, is an error here), holds no entry, or
    reuses a citekey of the library (compared case-insensitively); nor, with
    `strict`, when there are warnings (a likely duplicate: same DOI or title).

    Args:
        text: The new BibTeX text, as the user wrote it.
        name: How to name the text in diagnostics (the user's path or `<stdin>`).
        settings: The project's settings.
        strict: Treat warnings as errors: write nothing if there are any.

    Returns:
        What was done, and the problems found (sorted by location).
    """
    root = settings.root
    library = settings.bib_files
    with tempfile.TemporaryDirectory(prefix="add-source-") as tmp:
        new_file = Path(tmp) / "new.bib"
        new_file.write_bytes(text.encode("utf-8"))
        tmp_rel = relative_path(new_file, root)
        combined, found = bib.load_library([*library, new_file], root)
        new_only, _ = bib.load_library([new_file], root)
    # New entries must parse cleanly, so that the library gains no warning: every problem is an error here.
    diags = [_relocate(d, tmp_rel, name, Severity.ERROR) for d in found if d.location.path == tmp_rel]
    existing = {key.lower(): src for key, src in combined.items() if src.location.path != tmp_rel}

    for key, src in new_only.items():
        old = existing.get(key.lower())
        if old is None:
            continue
        loc = Location(name, src.location.line)
        # bib reports the clash as a duplicate in the library; say it in add-source's terms instead.
        diags = [d for d in diags if not (d.location == loc and d.code is Code.DUPLICATE_CITEKEY)]
        what = (
            f"({old.location})" if old.key == key else f"as '{old.key}' ({old.location}; citekeys are case-insensitive)"
        )
        diags.append(
            Diagnostic.error(
                loc,
                f"citekey '{key}' already exists in the library {what}",
                "cite the existing entry, or give the new one another key",
            )
        )
    if not new_only and not any(d.severity is Severity.ERROR for d in diags):
        diags.append(
            Diagnostic.error(
                Location(name),
                "no BibTeX entry found",
                "give one or more entries such as @article{key, title = {...}, ...}",
            )
        )
    target = library[-1] if library else settings.bib_dir / "library.bib"
    target_rel = relative_path(target, root)
    diags += _text_problems(new_only, target_rel, name, root)
    if any(d.severity is Severity.ERROR for d in diags):
        return AddResult(), sorted(diags)

    added = [_relocated(combined[key], name) for key in new_only]
    diags += _likely_duplicates(added, list(existing.values()))
    if strict and diags:
        return AddResult(), sorted(diags)

    try:
        append_atomically(target, text)
    except OSError as exc:
        diags.append(
            Diagnostic.error(
                Location(target_rel),
                f"cannot write the library: {exc.strerror or exc}",
                "nothing was changed; check the file's permissions and the free space",
            )
        )
        return AddResult(), sorted(diags)
    except EncodingMismatch:
        diags.append(
            Diagnostic.error(
                Location(target_rel),
                "the library file is not UTF-8; appending would mix encodings",
                "save it as UTF-8 first",
            )
        )
        return AddResult(), sorted(diags)

    created: list[str] = []
    ids = _note_ids(settings)
    for src in added:
        try:
            created.append(relative_path(_create_note(src, settings, ids), root))
        except OSError as exc:
            diags.append(
                Diagnostic.error(
                    Location(target_rel),
                    f"'{src.key}' was added, but its note could not be created: {exc.strerror or exc}",
                    "write the note by hand",
                )
            )
    return AddResult(tuple(s.key for s in added), target_rel, tuple(created)), sorted(diags)


def summary(result: AddResult) -> str:
    """What was done and what to do next, as lines for the terminal."""
    if not result.written:
        return "nothing was added"
    lines = [f"added {', '.join(result.keys)} to {result.bib_file}"]
    lines += [f"created {path}" for path in result.notes]
    lines.append("next:")
    if result.notes:
        lines.append(f"  - edit {', '.join(result.notes)}: add topics, a summary, claims and your notes")
    lines.append("  - run `python -m build_scripts check`, or `make serve` for a live preview")
    return "\n".join(lines)


# -- checks ---------------------------------------------------------------------


def _likely_duplicates(added: list[Source], existing: list[Source]) -> list[Diagnostic]:
    """Warnings for new entries that have the DOI or the title of another entry."""
    diags: list[Diagnostic] = []
    seen = list(existing)
    for src in added:
        doi, title = _doi(src), _title(src)
        for other in seen:
            why = [f"same DOI {doi}"] if doi and doi == _doi(other) else []
            why += ["same title"] if title and title == _title(other) else []
            if why:
                diags.append(
                    Diagnostic.warning(
                        src.location,
                        f"'{src.key}' may duplicate '{other.key}' ({other.location}): {' and '.join(why)}",
                        f"if it is the same work, cite '{other.key}' and drop the new entry",
                    )
                )
        seen.append(src)
    return diags


def _doi(src: Source) -> str:
    return entry_doi(src.fields).casefold()


def _title(src: Source) -> str:
    text = unicodedata.normalize("NFKC", latex.decode_latex(src.fields.get("title", ""))).casefold()
    return _NOT_WORD.sub(" ", text).strip()


def _note_ids(settings: Settings) -> set[str]:
    loaded, _ = notes.load_notes(settings.content_dir, settings.root)
    return {unicodedata.normalize("NFKC", n.id).casefold() for n in loaded}


def _create_note(src: Source, settings: Settings, ids: set[str]) -> Path:
    """Write a note skeleton for `src` under a fresh id; returns its path."""
    folder = settings.content_dir / "notes"
    folder.mkdir(parents=True, exist_ok=True)
    base = slug(src.key) or "source"
    n = 1
    while True:
        note_id = base if n == 1 else f"{base}-{n}"
        path = folder / f"{note_id}.md"
        n += 1
        if note_id in ids or path.exists():
            continue
        try:
            out = path.open("x", encoding="utf-8", newline="\n")
        except FileExistsError:  # created meanwhile
            continue
        try:
            with out:
                out.write(_skeleton(note_id, src))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        ids.add(note_id)
        return path


def _skeleton(note_id: str, src: Source) -> str:
    title = latex.decode_latex(src.fields.get("title", "")) or src.key
    meta = {
        "id": note_id,
        "title": f"Notes on {title}",
        "sources": [src.key],
        "topics": [],
        "summary": "",
        "claims": [],
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1 << 16)
    key = src.key
    return f"""---
{front}---
Notes on this source [@{key}].

<!--
Write your notes here; cite the source with a locator, e.g. [@{key}, p. 12].
Tag the note with topic ids in "topics: [...]" and give it a one-sentence "summary:".
Record what the source asserts under "claims:" in the front matter, one per line,
for facts declared in any note (a topic page is the natural place), each with the
source's own words (at most 12) that carry the value:
  claims:
    - {{fact: trade-1992, value: USD 5.56 billion, locator: para. 12, quote: "a meagre USD 5.56 billion"}}
Keep a plain-text copy of the source (e.g. bib/texts/{key}.txt) and name it in the
entry's file field (file = {{texts/{key}.txt}}): every quotation is then checked
against it, and "para. N" (the N-th non-empty line) is checked too.
Link to other pages with [[topic]], [[topic#heading]] or [[note-id|link text]].
Then run "python -m build_scripts check", or "make serve" to preview.
-->
"""


# -- locations ------------------------------------------------------------------


def _relocate(diag: Diagnostic, tmp_rel: str, name: str, severity: Severity) -> Diagnostic:
    """A diagnostic about the temporary copy, naming the user's input instead."""
    loc = diag.location
    if loc.path == tmp_rel:
        loc = Location(name, loc.line, loc.col)
    return Diagnostic(loc, severity, diag.message.replace(tmp_rel, name), diag.hint.replace(tmp_rel, name), diag.code)


def _text_problems(new: dict[str, Source], target_rel: str, name: str, root: Path) -> list[Diagnostic]:
    """Problems with the archived texts the new entries' `file` fields name (a missing file), at the entries.

    A `file` path is read from the folder of the library file the entries are added to, as `check` will.
    """
    placed = {key: replace(src, location=Location(target_rel, src.location.line)) for key, src in new.items()}
    _, found = archive.load_texts(placed, root)
    return [
        replace(
            d,
            location=Location(name, d.location.line),
            hint=f"{d.hint}; the entry goes into {target_rel}: save the text first, then add the entry",
        )
        for d in found
    ]


def _relocated(src: Source, name: str) -> Source:
    """`src`, located in the user's input."""
    return Source(src.key, src.entry_type, src.fields, Location(name, src.location.line))
