"""Read `content/` into [`Note`][build_scripts.model.Note]s, checking the front matter.

Only the shape of each note is checked here (keys, types, ids); whether the
citekeys, topics and facts it names exist is checked later, in
[`link`][build_scripts.link], once everything is loaded.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from . import frontmatter, scan
from .archive import quote_words
from .cache import Cache, digest
from .config import relative_path
from .model import Claim, Diagnostic, Fact, FactKind, Location, Note, Severity

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NOTE_KINDS = ("note", "topic", "home")
FACT_KINDS = tuple(FactKind)
NOTE_KEYS = {"id", "title", "kind", "sources", "topics", "summary", "order", "facts", "claims"}
FACT_KEYS = {"id", "label", "kind", "unit", "time", "topics", "tolerance", "resolution", "series", "positions",
             "apparent"}
CLAIM_KEYS = {"fact", "source", "value", "locator", "quote", "position", "suspect"}
MAX_QUOTE_WORDS = 12
MAX_ID_LENGTH = 100
"""Longest id accepted: ids become file names and URLs."""


def load_notes(content_dir: Path, root: Path, cache: Cache | None = None) -> tuple[list[Note], list[Diagnostic]]:
    """Load every `*.md` file under `content_dir`, sorted by path; unchanged files come from `cache`.

    The folder is walked without following symbolic links blindly: a link
    (to a file or a folder) is followed only when it points inside the project,
    and each real folder and file is read once, so a link loop cannot hang the
    build. Hidden files and folders (`.name`, e.g. editor lock files) are skipped.
    """
    notes: list[Note] = []
    if not content_dir.is_dir():
        return [], [Diagnostic(Location(relative_path(content_dir, root)), Severity.ERROR,
                               "content directory not found", "create it and add notes")]
    files, diags = find_notes(content_dir, root)
    for file in files:
        path = relative_path(file, root)
        try:
            data = file.read_bytes()
        except OSError as exc:
            diags.append(_diag(path, 0, f"cannot read note: {exc.strerror or exc}"))
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
        diags.append(Diagnostic(Location(relative_path(content_dir, root)), Severity.WARNING,
                                "no notes found (no *.md files in the content directory)",
                                "add notes as content/<name>.md, each starting with YAML front matter"))
    return notes, diags


def find_notes(content_dir: Path, root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The note files under `content_dir`, sorted by path, with problems found on the way.

    Symbolic links are followed only inside the project (`root`, or the real
    location of `content_dir` itself); a link pointing elsewhere is an error and
    is not read. Every real folder and file is visited once.
    """
    diags: list[Diagnostic] = []
    allowed = [_real(root), _real(content_dir)]
    seen_dirs: set[Path] = set()
    seen_files: dict[Path, str] = {}
    found: list[tuple[str, Path]] = []
    pending = [content_dir]
    while pending:
        folder = pending.pop()
        real = _real(folder)
        if real in seen_dirs:
            continue
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            diags.append(_diag(relative_path(folder, root), 0, f"cannot read folder: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            rel = relative_path(path, root)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_link:
                target = _real(path)
                if not any(_inside(target, base) for base in allowed):
                    what = "folder" if target.is_dir() else "file"
                    if is_dir or target.is_dir() or entry.name.endswith(".md"):
                        diags.append(_diag(rel, 0, f"symbolic link to a {what} outside the project: "
                                                   f"{os.readlink(path)}",
                                           "copy the note into content/ instead of linking to it"))
                    continue
                if not target.exists():
                    if entry.name.endswith(".md"):
                        diags.append(_diag(rel, 0, f"broken symbolic link: {os.readlink(path)}",
                                           "remove the link or restore its target"))
                    continue
                is_dir = target.is_dir()
            if is_dir:
                if is_link and _inside(allowed[1], target):
                    diags.append(Diagnostic(Location(rel), Severity.WARNING,
                                            "symbolic link back to the content folder or above it; not followed",
                                            "remove the link (it makes a loop)"))
                    continue
                pending.append(path)
            elif entry.name.endswith(".md"):
                real_file = _real(path)
                if real_file in seen_files:
                    diags.append(Diagnostic(Location(rel), Severity.WARNING,
                                            f"same file as {seen_files[real_file]} (a symbolic link); read once",
                                            "remove the link"))
                    continue
                seen_files[real_file] = rel
                found.append((rel, path))
    return [path for _, path in sorted(found)], diags
def load_note(file: Path, root: Path) -> tuple[Note | None, list[Diagnostic]]:
    """Load one note file; returns None (with diagnostics) when it cannot be used."""
    return parse_note(file.read_bytes(), relative_path(file, root))


def parse_note(data: bytes, path: str) -> tuple[Note | None, list[Diagnostic]]:
    """Parse the bytes of the note at `path`; returns None (with diagnostics) when it cannot be used."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [_diag(path, 1, "note is UTF-16, not UTF-8", "save the file as UTF-8")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Diagnostic(Location(path, line, col), Severity.ERROR,
                                 f"note is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                                 "save the file as UTF-8")]
    text = text.lstrip("\ufeff")  # a byte-order mark (editors sometimes write two)
    # Line breaks as markdown-it sees them; NUL as markdown-it replaces it, so columns agree.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    if not text.strip():
        return None, [_diag(path, 1, "note is empty", "start the file with a line '---', the YAML keys "
                                                      "(at least id and title), and '---'")]
    parts, diags = frontmatter.split(text, path)
    meta = parts.meta
    if meta is None:
        return None, diags
    reader = _Reader(path, meta, diags)
    note_id = reader.ident("id")
    title = reader.get("title", str, required=True)
    if title == "":
        reader.error("title", "note title is empty", "write the page title after 'title:'")
        title = None
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
    if tolerance is not None and not (math.isfinite(tolerance) and 0 <= tolerance < 1):
        r.error("tolerance", f"tolerance {tolerance} of fact '{fact_id}' is out of range",
                "write a relative tolerance between 0 and 1, e.g. 0.01 for 1 %")
        tolerance = None
    kind = FactKind(kind)
    positions = _positions(r, fact_id, kind)
    return Fact(
        id=fact_id, label=label, kind=kind, positions=positions, apparent=r.get("apparent", str, default=""),
        topics=r.strings("topics") if "topics" in m.data else note_topics,
        location=Location(path, m.line), unit=r.get("unit", str, default=""),
        time=r.text("time"), tolerance=float(tolerance) if tolerance is not None else None,
        resolution=r.get("resolution", str, default=""), series=r.get("series", str, default=""),
    )


def _positions(r: _Reader, fact_id: str, kind: FactKind) -> tuple[tuple[str, str], ...]:
    """The positions a category or assessment fact declares, each with its gloss."""
    example = "positions: {strong: deep and broad, mixed: strong in some areas only, weak: shallow}"
    if "positions" not in r.m.data:
        if kind.has_positions:
            r.error(None, f"{kind} fact '{fact_id}' declares no positions",
                    f"list the positions a claim can take, each with a short gloss, e.g. '{example}'")
        return ()
    if not kind.has_positions:
        r.error("positions", f"{kind} fact '{fact_id}' cannot have positions",
                "only category and assessment facts have positions; remove 'positions:'")
        return ()
    pairs = r.m.pairs.get("positions")
    if pairs is None or not pairs:
        r.error("positions", f"'positions' of fact '{fact_id}' must be a mapping of position to gloss",
                f"e.g. '{example}'")
        return ()
    found: list[tuple[str, str]] = []
    for name, gloss in pairs:
        position = " ".join(name.casefold().split())
        if not isinstance(gloss, str) or not gloss.strip():
            r.error("positions", f"position '{name}' of fact '{fact_id}' has no gloss",
                    f"say in a few words what '{name}' means: '{name}: <gloss>'")
        elif position in dict(found):
            r.error("positions", f"position '{name}' of fact '{fact_id}' is declared twice", "remove one of them")
        else:
            found.append((position, " ".join(gloss.split())))
    return tuple(found)


def _claim(m: frontmatter.Mapping, path: str, note_id: str, sources: tuple[str, ...],
           diags: list[Diagnostic]) -> Claim | None:
    r = _Reader(path, m, diags, what="claim")
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
            r.error(None, f"{about} has no source",
                    "add 'source: <citekey>' (the note does not name exactly one source)")
    locator = r.text("locator")
    quote = " ".join(r.text("quote").split())
    by = f" by '{source}'" if source else ""
    if not quote:
        diags.append(Diagnostic.warning(Location(path, m.line), f"{about}{by} has no quotation",
                                        f"add 'quote:' with the source's own words that carry the value "
                                        f"(at most {MAX_QUOTE_WORDS} words)"))
        if not locator:
            diags.append(Diagnostic.warning(Location(path, m.line), f"{about}{by} has no locator",
                                            "add 'locator:' with the page, paragraph or section"))
    elif quote_words(quote) > MAX_QUOTE_WORDS:
        r.error("quote", f"quotation of {quote_words(quote)} words is too long",
                f"quote at most {MAX_QUOTE_WORDS} words (two fragments may be joined by '…'); "
                "summarise the rest in your own words")
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
            if required and key not in self.m.key_lines:
                self.error(None, f"{self.what} has no '{key}'", f"add '{key}:'")
            return default
        if isinstance(value, bool) or not isinstance(value, types):
            expected = types.__name__ if isinstance(types, type) else " or ".join(t.__name__ for t in types)
            self.error(key, f"'{key}' must be {_article(expected)}, not {type(value).__name__}")
            return default
        return value.strip() if isinstance(value, str) else value

    def text(self, key: str) -> str:
        """A scalar as text: numbers, dates and yes/no written unquoted are taken as written."""
        value = self.m.data.get(key)
        if value is None:
            return ""
        if not isinstance(value, (str, int, float, datetime.date)):
            self.error(key, f"'{key}' must be a single value, not {_kind(value)}",
                       "write it as text; quote it if it contains ':' or starts with '[' or '{'")
            return ""
        return " ".join(str(self.m.raw.get(key, value)).split())

    def ident(self, key: str) -> str | None:
        value = self.get(key, str, required=True)
        if value is None:
            return None
        what = f"{self.what} id"
        if len(value) > MAX_ID_LENGTH:
            self.error(key, f"{what} '{value[:40]}…' is {len(value)} characters long",
                       f"use at most {MAX_ID_LENGTH} characters")
            return None
        if not ID_PATTERN.fullmatch(value):
            self.error(key, f"invalid {what} '{value}': {_id_problem(value)}", _id_hint(value))
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


def _id_problem(value: str) -> str:
    """Why `value` is not an id, in the author's terms."""
    if not value:
        return "it is empty"
    if "/" in value or "\\" in value or value.startswith("."):
        return "an id is a name, not a path"
    if not value.isascii():
        return "ids use ASCII only (no accents or other scripts)"
    if value.lower() != value:
        return "ids are lower-case"
    if value.startswith("-"):
        return "an id starts with a letter or digit"
    return "ids use lower-case letters, digits and '-' only"


def _id_hint(value: str) -> str:
    """A valid id close to `value`, as a hint."""
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    suggestion = re.sub(r"[^a-z0-9]+", "-", ascii_value.lower()).strip("-")[:MAX_ID_LENGTH].strip("-")
    if suggestion and suggestion != value:
        return f"use lower-case ASCII letters, digits and '-', e.g. '{suggestion}'"
    return "use lower-case ASCII letters, digits and '-'"


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(type(value), type(value).__name__)


def _article(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _diag(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Location(path, line), Severity.ERROR, message, hint)




def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, RuntimeError, ValueError):
        return path.absolute()


def _inside(path: Path, base: Path) -> bool:
    return path == base or base in path.parents
