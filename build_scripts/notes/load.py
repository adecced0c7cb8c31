"""Read `content/` into [`Note`][build_scripts.model.Note]s, checking the front matter.

Only the shape of each note is checked here (keys, types, ids); whether the
citekeys, topics and facts it names exist is checked later, in
[`link`][build_scripts.notes.link], once everything is loaded.
"""

from __future__ import annotations

import math
from pathlib import Path

from build_scripts import paths
from build_scripts.cache import Cache, digest
from build_scripts.check.verify import paragraphs_named
from build_scripts.library.archive import quote_words
from build_scripts.model import (
    Claim,
    Diagnostic,
    Fact,
    FactKind,
    Location,
    Note,
    NoteKind,
    PassedOver,
    Position,
    Span,
    position_label,
)
from build_scripts.notes import frontmatter, scan
from build_scripts.notes.frontmatter import Reader
from build_scripts.notes.periods import period_label
from build_scripts.paths import relative_path

NOTE_KINDS = tuple(NoteKind)
FACT_KINDS = tuple(FactKind)
NOTE_KEYS = frozenset({
    "id", "title", "kind", "sources", "topics", "summary", "order", "facts", "claims", "questions", "passed_over",
})  # fmt: skip
"""The keys a note's front matter may have."""
PASSED_OVER_KEYS = frozenset({"source", "locator", "reason"})
"""The keys of an item of `passed_over:` (a passage of a source the note leaves aside)."""
FACT_KEYS = frozenset({
    "id", "label", "kind", "unit", "time", "topics", "tolerance", "resolution", "series", "positions", "apparent",
})  # fmt: skip
"""The keys of a fact (an item of `facts:`)."""
CLAIM_KEYS = frozenset({"fact", "source", "value", "locator", "quote", "position", "suspect"})
"""The keys of a claim (an item of `claims:`)."""
MAX_QUOTE_WORDS = 12


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
    facts = tuple(f for m in reader.mappings("facts") if (f := _fact(m, path, topics, diags)))
    claims = tuple(c for m in reader.mappings("claims") if (c := _claim(m, path, note_id, sources, diags)))
    passed = tuple(p for m in reader.mappings("passed_over") if (p := _passed_over(m, path, sources, diags)))
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


def _fact(m: frontmatter.Mapping, path: str, note_topics: tuple[str, ...], diags: list[Diagnostic]) -> Fact | None:
    r = Reader(path, m, diags, what="fact")
    r.unknown_keys(FACT_KEYS)
    fact_id = r.ident("id")
    label = r.get("label", str, required=True)
    kind = r.get("kind", str, required=True)
    if kind is not None and kind not in FACT_KINDS:
        r.error("kind", f"unknown fact kind '{kind}'", f"use one of: {', '.join(FACT_KINDS)}")
        kind = None
    if fact_id is None or label is None or kind is None:
        return None
    tolerance = r.get("tolerance", (int, float), default=None)
    if tolerance is not None and not (math.isfinite(tolerance) and 0 <= tolerance < 1):
        r.error(
            "tolerance",
            f"tolerance {tolerance} of fact '{fact_id}' is out of range",
            "write a relative tolerance between 0 and 1, e.g. 0.01 for 1 %",
        )
        tolerance = None
    kind = FactKind(kind)
    positions = _positions(r, fact_id, kind)
    time = r.text("time")
    resolution, resolution_spans = _reading(r, "resolution")
    apparent, apparent_spans = _reading(r, "apparent")
    return Fact(
        id=fact_id,
        label=label,
        kind=kind,
        positions=positions,
        apparent=apparent,
        apparent_spans=apparent_spans,
        topics=r.strings("topics") if "topics" in m.data else note_topics,
        location=Location(path, m.line),
        unit=r.get("unit", str, default=""),
        time=time,
        when=period_label(time),
        tolerance=float(tolerance) if tolerance is not None else None,
        resolution=resolution,
        resolution_spans=resolution_spans,
        series=r.get("series", str, default=""),
    )


POSITION_KEYS = ("label", "gloss")
"""The keys of a position written as a mapping (`id: {label: ..., gloss: ...}`)."""


def _positions(r: Reader, fact_id: str, kind: FactKind) -> tuple[Position, ...]:
    """The positions a category or assessment fact declares, each with its gloss and reader label.

    A position is written `id: gloss`, or `id: {label: ..., gloss: ...}` to
    give readers a label of their own (else one is made from the id).
    """
    example = "positions: {strong: deep and broad, mixed: strong in some areas only, weak: shallow}"
    if "positions" not in r.m.data:
        if kind.has_positions:
            r.error(
                None,
                f"{kind} fact '{fact_id}' declares no positions",
                f"list the positions a claim can take, each with a short gloss, e.g. '{example}'",
            )
        return ()
    if not kind.has_positions:
        r.error(
            "positions",
            f"{kind} fact '{fact_id}' cannot have positions",
            "only category and assessment facts have positions; remove 'positions:'",
        )
        return ()
    pairs = r.m.pairs.get("positions")
    if pairs is None or not pairs:
        r.error(
            "positions", f"'positions' of fact '{fact_id}' must be a mapping of position to gloss", f"e.g. '{example}'"
        )
        return ()
    found: list[Position] = []
    for name, given in pairs:
        position = " ".join(name.casefold().split())
        label, gloss = _position_parts(r, fact_id, name, given)
        if gloss is None:
            continue
        if any(p.id == position for p in found):
            r.error("positions", f"position '{name}' of fact '{fact_id}' is declared twice", "remove one of them")
        else:
            found.append(Position(position, gloss, label or position_label(position)))
    return tuple(found)


def _position_parts(r: Reader, fact_id: str, name: str, given: object) -> tuple[str, str | None]:
    """The reader label ("" if not given) and gloss (`None` after an error) of one declared position."""
    label: object = ""
    gloss: object = given
    if isinstance(given, dict):
        unknown = sorted(set(map(str, given)) - set(POSITION_KEYS))
        if unknown:
            r.error(
                "positions",
                f"position '{name}' of fact '{fact_id}' has unknown key '{unknown[0]}'",
                f"a position takes 'label' (what readers see) and 'gloss' (what it means): "
                f"'{name}: {{label: ..., gloss: ...}}'",
            )
            return "", None
        label, gloss = given.get("label", ""), given.get("gloss")
        if not isinstance(label, str):
            r.error(
                "positions",
                f"the label of position '{name}' of fact '{fact_id}' must be text",
                "write a few plain words, quoted if they hold a colon",
            )
            return "", None
    if not isinstance(gloss, str) or not gloss.strip():
        r.error(
            "positions",
            f"position '{name}' of fact '{fact_id}' has no gloss",
            f"say in a few words what '{name}' means: '{name}: <gloss>'",
        )
        return "", None
    return " ".join(str(label).split()), " ".join(gloss.split())


def _reading(r: Reader, key: str) -> tuple[str, tuple[Span, ...]]:
    """A fact's `resolution` or `apparent` text and the spans to replace in it: citations, cleaned HTML.

    Such a text may cite sources (`[@key, locator]`, e.g. the outside data a
    resolution relies on); it may not embed facts or link to notes.
    """
    text = r.get(key, str, default="")
    if not text:
        return "", ()
    spans, problems = scan.scan(text, r.path, r.line(key))
    r.diags.extend(problems)
    kept = []
    for span in spans:
        if span.embed is not None or span.ref is not None:
            r.error(
                key,
                f"'{key}' of a fact may cite sources but not embed facts or link to notes",
                "write the fact or note in words, or move the link into the note's body",
            )
        else:
            kept.append(span)
    return text, tuple(kept)


def _passed_over(
    m: frontmatter.Mapping, path: str, sources: tuple[str, ...], diags: list[Diagnostic]
) -> PassedOver | None:
    """One `passed_over:` entry: paragraphs of a source deliberately not drawn on, and why."""
    r = Reader(path, m, diags, what="passed_over")
    r.unknown_keys(PASSED_OVER_KEYS)
    source = r.get("source", str, default="") or (sources[0] if len(sources) == 1 else "")
    locator = r.text("locator")
    reason = " ".join(r.text("reason").split())
    example = "'- {locator: paras. 30–31, reason: page furniture (share buttons)}'"
    if not source:
        r.error(None, "passed_over entry has no source", "add 'source: <citekey>' (the note does not name exactly one)")
    if paragraphs_named(locator) is None:
        r.error(
            "locator" if locator else None, f"passed_over locator '{locator}' names no paragraph", f"e.g. {example}"
        )
    if not reason:
        r.error("reason" if "reason" in m.data else None, "passed_over entry gives no reason", f"e.g. {example}")
    if not source or not reason or paragraphs_named(locator) is None:
        return None
    return PassedOver(source, locator, reason, Location(path, m.line))


def _claim(
    m: frontmatter.Mapping, path: str, note_id: str, sources: tuple[str, ...], diags: list[Diagnostic]
) -> Claim | None:
    r = Reader(path, m, diags, what="claim")
    r.unknown_keys(CLAIM_KEYS)
    fact = r.get("fact", str, required=True)
    about = f"claim on '{fact}'" if fact else "claim"
    value = r.text("value")
    if not value:
        r.error("value", "claim has no value", "add 'value:' with the value as the source gives it")
    source = r.get("source", str, default="")
    if not source:
        if len(sources) == 1:
            source = sources[0]
        else:
            r.error(
                None, f"{about} has no source", "add 'source: <citekey>' (the note does not name exactly one source)"
            )
    locator = r.text("locator")
    quote = " ".join(r.text("quote").split())
    by = f" by '{source}'" if source else ""
    if not quote:
        diags.append(
            Diagnostic.warning(
                Location(path, m.line),
                f"{about}{by} has no quotation",
                f"add 'quote:' with the source's own words that carry the value (at most {MAX_QUOTE_WORDS} words)",
            )
        )
        if not locator:
            diags.append(
                Diagnostic.warning(
                    Location(path, m.line),
                    f"{about}{by} has no locator",
                    "add 'locator:' with the page, paragraph or section",
                )
            )
    elif quote_words(quote) > MAX_QUOTE_WORDS:
        r.error(
            "quote",
            f"quotation of {quote_words(quote)} words is too long",
            f"quote at most {MAX_QUOTE_WORDS} words (two fragments may be joined by '…'); "
            "summarise the rest in your own words",
        )
    if fact is None or not value or not source:
        return None
    return Claim(
        fact=fact,
        source=source,
        value=value,
        note=note_id,
        location=Location(path, m.line),
        locator=locator,
        quote=quote,
        position=r.text("position").casefold(),
        suspect=r.get("suspect", str, default=""),
    )
