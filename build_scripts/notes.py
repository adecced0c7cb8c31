"""Read `content/` into [`Note`][build_scripts.model.Note]s, checking the front matter.

Only the shape of each note is checked here (keys, types, ids); whether the
citekeys, topics and facts it names exist is checked later, in
[`link`][build_scripts.link], once everything is loaded.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import frontmatter, scan
from .cache import Cache, digest
from .model import Claim, Diagnostic, Fact, Location, Note, Severity

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NOTE_KINDS = ("note", "topic", "home")
FACT_KINDS = ("number", "date", "category", "assessment")
NOTE_KEYS = {"id", "title", "kind", "sources", "topics", "summary", "order", "facts", "claims"}
FACT_KEYS = {"id", "label", "kind", "unit", "time", "topics", "tolerance", "resolution", "series"}
CLAIM_KEYS = {"fact", "source", "value", "locator", "quote", "position", "suspect"}
MAX_QUOTE_WORDS = 12


def load_notes(content_dir: Path, root: Path, cache: Cache | None = None) -> tuple[list[Note], list[Diagnostic]]:
    """Load every `*.md` file under `content_dir`, sorted by path; unchanged files come from `cache`."""
    notes: list[Note] = []
    diags: list[Diagnostic] = []
    if not content_dir.is_dir():
        return [], [Diagnostic(Location(_rel(content_dir, root)), Severity.ERROR,
                               "content directory not found", "create it and add notes")]
    for file in sorted(content_dir.rglob("*.md")):
        path = _rel(file, root)
        try:
            data = file.read_bytes()
        except OSError as exc:
            diags.append(_diag(path, 0, f"cannot read note: {exc.strerror}"))
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
    return notes, diags


def load_note(file: Path, root: Path) -> tuple[Note | None, list[Diagnostic]]:
    """Load one note file; returns None (with diagnostics) when it cannot be used."""
    return parse_note(file.read_bytes(), _rel(file, root))


def parse_note(data: bytes, path: str) -> tuple[Note | None, list[Diagnostic]]:
    """Parse the bytes of the note at `path`; returns None (with diagnostics) when it cannot be used."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [_diag(path, 1, f"note is not UTF-8 (byte {exc.start})", "save the file as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts, diags = frontmatter.split(text, path)
    meta = parts.meta
    if meta is None:
        return None, diags
    reader = _Reader(path, meta, diags)
    note_id = reader.ident("id")
    title = reader.get("title", str, required=True)
    kind = reader.get("kind", str, default="note")
    if kind not in NOTE_KINDS:
        reader.error("kind", f"unknown kind '{kind}'", f"use one of: {', '.join(NOTE_KINDS)}")
    reader.unknown_keys(NOTE_KEYS)
    sources = reader.strings("sources")
    topics = reader.strings("topics")
    if note_id is None or title is None:
        return None, diags
    spans, scan_diags = scan.scan(parts.body, path, parts.body_line)
    diags.extend(scan_diags)
    facts = tuple(f for m in reader.mappings("facts") if (f := _fact(m, path, topics, diags)))
    claims = tuple(c for m in reader.mappings("claims") if (c := _claim(m, path, note_id, sources, diags)))
    note = Note(
        id=note_id, title=title, kind=kind, path=path, sources=sources, topics=topics,
        summary=reader.get("summary", str, default=""), body=parts.body, body_line=parts.body_line,
        facts=facts, claims=claims, spans=tuple(spans), anchors=frozenset(scan.heading_slugs(parts.body)),
        order=reader.get("order", int, default=0),
    )
    return note, diags


def _fact(m: frontmatter.Mapping, path: str, note_topics: tuple[str, ...], diags: list[Diagnostic]) -> Fact | None:
    r = _Reader(path, m, diags, what="fact")
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
    return Fact(
        id=fact_id, label=label, kind=kind,
        topics=r.strings("topics") if "topics" in m.data else note_topics,
        location=Location(path, m.line), unit=r.get("unit", str, default=""),
        time=r.text("time"), tolerance=float(tolerance) if tolerance is not None else None,
        resolution=r.get("resolution", str, default=""), series=r.get("series", str, default=""),
    )


def _claim(m: frontmatter.Mapping, path: str, note_id: str, sources: tuple[str, ...],
           diags: list[Diagnostic]) -> Claim | None:
    r = _Reader(path, m, diags, what="claim")
    r.unknown_keys(CLAIM_KEYS)
    fact = r.get("fact", str, required=True)
    value = r.text("value")
    if not value:
        r.error("value", "claim has no value", "add 'value:' with the value as the source gives it")
    source = r.get("source", str, default="")
    if not source:
        if len(sources) == 1:
            source = sources[0]
        else:
            r.error(None, f"claim on '{fact}' has no source",
                    "add 'source: <citekey>' (the note does not name exactly one source)")
    locator = r.text("locator")
    if not locator:
        diags.append(Diagnostic(Location(path, m.line), Severity.WARNING,
                                f"claim on '{fact}' by '{source}' has no locator",
                                "add 'locator:' with the page, paragraph or section"))
    quote = r.get("quote", str, default="")
    if len(quote.split()) > MAX_QUOTE_WORDS:
        r.error("quote", f"quotation of {len(quote.split())} words is too long",
                f"quote at most {MAX_QUOTE_WORDS} words; summarise the rest in your own words")
    if fact is None or not value or not source:
        return None
    return Claim(fact=fact, source=source, value=value, note=note_id, location=Location(path, m.line),
                 locator=locator, quote=quote, position=r.text("position").casefold(),
                 suspect=r.get("suspect", str, default=""))


class _Reader:
    """Typed access to one front-matter mapping, reporting problems as it goes."""

    def __init__(self, path: str, mapping: frontmatter.Mapping, diags: list[Diagnostic], what: str = "note"):
        self.path, self.m, self.diags, self.what = path, mapping, diags, what

    def line(self, key: str | None) -> int:
        return self.m.key_lines.get(key, self.m.line) if key else self.m.line

    def error(self, key: str | None, message: str, hint: str = "") -> None:
        self.diags.append(_diag(self.path, self.line(key), message, hint))

    def get(self, key: str, types: type | tuple[type, ...], required: bool = False, default: Any = None) -> Any:
        value = self.m.data.get(key)
        if value is None:
            if required:
                self.error(None, f"{self.what} has no '{key}'", f"add '{key}:'")
            return default
        if isinstance(value, bool) or not isinstance(value, types):
            expected = types.__name__ if isinstance(types, type) else " or ".join(t.__name__ for t in types)
            self.error(key, f"'{key}' must be {_article(expected)}, not {type(value).__name__}")
            return default
        return value.strip() if isinstance(value, str) else value

    def text(self, key: str) -> str:
        """A scalar as text: numbers and dates written unquoted are accepted."""
        value = self.m.data.get(key)
        if value is None or isinstance(value, (list, dict)):
            if value is not None:
                self.error(key, f"'{key}' must be a single value")
            return ""
        return str(value).strip()

    def ident(self, key: str) -> str | None:
        value = self.get(key, str, required=True)
        if value is not None and not ID_PATTERN.match(value):
            self.error(key, f"invalid {self.what} id '{value}'", "use lower-case letters, digits and '-'")
            return None
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.m.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, f"'{key}' must be a list of names")
            return ()
        return tuple(v.strip() for v in value)

    def mappings(self, key: str) -> list[frontmatter.Mapping]:
        if key not in self.m.data:
            return []
        items = self.m.items.get(key)
        if items is None or any(item is None for item in items):
            self.error(key, f"'{key}' must be a list of mappings", "write each item as '- key: value'")
            return [item for item in items or [] if item is not None]
        return items

    def unknown_keys(self, allowed: set[str]) -> None:
        for key in sorted(set(self.m.data) - allowed, key=self.line):
            self.error(key, f"unknown {self.what} key '{key}'", f"allowed keys: {', '.join(sorted(allowed))}")


def _article(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _diag(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Location(path, line), Severity.ERROR, message, hint)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()

