"""Read `content/` into [`Note`][build_scripts.model.Note]s, checking the front matter.

A note's facts are read by [`facts`][build_scripts.notes.facts], its claims
and passed-over paragraphs by [`claims`][build_scripts.notes.claims].

Only the shape of each note is checked here (keys, types, ids); whether the
citekeys, topics and facts it names exist is checked later, in
[`link`][build_scripts.notes.link], once everything is loaded.
"""

from __future__ import annotations

from pathlib import Path

from build_scripts import paths
from build_scripts.cache import Cache, digest
from build_scripts.model import Diagnostic, Location, Note, NoteKind
from build_scripts.notes import frontmatter, scan
from build_scripts.notes.claims import CLAIM_KEYS, MAX_QUOTE_WORDS, PASSED_OVER_KEYS, read_claim, read_passed_over
from build_scripts.notes.facts import FACT_KEYS, FACT_KINDS, POSITION_KEYS, read_fact
from build_scripts.notes.frontmatter import Reader
from build_scripts.paths import relative_path

__all__ = [
    "CLAIM_KEYS",
    "FACT_KEYS",
    "FACT_KINDS",
    "MAX_QUOTE_WORDS",
    "NOTE_KEYS",
    "NOTE_KINDS",
    "PASSED_OVER_KEYS",
    "POSITION_KEYS",
    "load_notes",
    "parse_note",
]

NOTE_KINDS = tuple(NoteKind)
NOTE_KEYS = frozenset(
    {
        "id",
        "title",
        "kind",
        "sources",
        "topics",
        "summary",
        "order",
        "facts",
        "claims",
        "questions",
        "passed_over",
    }
)
"""The keys a note's front matter may have."""


def load_notes(content_dir: Path, root: Path, cache: Cache | None = None) -> tuple[list[Note], list[Diagnostic]]:
    """Load every `*.md` file under `content_dir`, sorted by path; unchanged files come from `cache`.

    The folder is walked without following symbolic links blindly: a link
    (to a file or a folder) is followed only when it points inside the project,
    and each real folder and file is read once, so a link loop cannot hang the
    build. Hidden files and folders (`.name`, e.g. editor lock files) are skipped.
    """
    notes: list[Note] = []
    if not content_dir.is_dir():
        return [], [
            Diagnostic.error(
                Location(relative_path(content_dir, root)), "content directory not found", "create it and add notes"
            )
        ]
    files, diags = paths.find_notes(content_dir, root)
    for file in files:
        path = relative_path(file, root)
        try:
            data = file.read_bytes()
        except OSError as exc:
            diags.append(Diagnostic.error(Location(path, 0), f"cannot read note: {exc.strerror or exc}"))
            continue
        key = digest(path, data)
        found = cache.get("note", key) if cache else None
        if found is None:
            found = parse_note(data, path)
            if cache:
                cache.put("note", key, found)
        note, problems = found
        diags.extend(problems)
        if note is not None:
            notes.append(note)
    if not files and not diags:
        diags.append(
            Diagnostic.warning(
                Location(relative_path(content_dir, root)),
                "no notes found (no *.md files in the content directory)",
                "add notes as content/<name>.md, each starting with YAML front matter",
            )
        )
    return notes, diags


def parse_note(data: bytes, path: str) -> tuple[Note | None, list[Diagnostic]]:
    """Parse the bytes of the note at `path`; returns None (with diagnostics) when it cannot be used."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Diagnostic.error(Location(path, 1), "note is UTF-16, not UTF-8", "save the file as UTF-8")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Diagnostic.error(
                Location(path, line, col),
                f"note is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                "save the file as UTF-8",
            )
        ]
    text = text.lstrip("\ufeff")  # a byte-order mark (editors sometimes write two)
    # Line breaks as markdown-it sees them; NUL as markdown-it replaces it, so columns agree.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    if not text.strip():
        return None, [
            Diagnostic.error(
                Location(path, 1),
                "note is empty",
                "start the file with a line '---', the YAML keys (at least id and title), and '---'",
            )
        ]
    parts, diags = frontmatter.split(text, path)
    meta = parts.meta
    if meta is None:
        return None, diags
    reader = Reader(path, meta, diags)
    note_id = reader.ident("id")
    title = reader.get("title", str, required=True)
    if title == "":
        reader.error("title", "note title is empty", "write the page title after 'title:'")
        title = None
    kind = reader.get("kind", str, default=NoteKind.NOTE)
    if kind not in NOTE_KINDS:
        reader.error("kind", f"unknown kind '{kind}'", f"use one of: {', '.join(NOTE_KINDS)}")
        kind = NoteKind.NOTE
    reader.unknown_keys(NOTE_KEYS)
    sources = reader.strings("sources")
    topics = reader.strings("topics")
    if note_id is None or title is None:
        return None, diags
    spans, scan_diags = scan.scan(parts.body, path, parts.body_line)
    diags.extend(scan_diags)
    facts = tuple(f for m in reader.mappings("facts") if (f := read_fact(m, path, topics, diags)))
    claims = tuple(c for m in reader.mappings("claims") if (c := read_claim(m, path, note_id, sources, diags)))
    passed = tuple(p for m in reader.mappings("passed_over") if (p := read_passed_over(m, path, sources, diags)))
    note = Note(
        id=note_id,
        title=title,
        kind=NoteKind(kind),
        path=path,
        sources=sources,
        topics=topics,
        summary=reader.get("summary", str, default=""),
        body=parts.body,
        body_line=parts.body_line,
        facts=facts,
        claims=claims,
        spans=tuple(spans),
        anchors=frozenset(scan.heading_anchors(parts.body)),
        lead_end=scan.lead_end(parts.body),
        passed_over=passed,
        order=reader.get("order", int, default=0),
        questions=reader.strings("questions"),
        questions_line=reader.line("questions"),
    )
    return note, diags
