"""The archive of source texts, and finding a claim's quotation in it.

A source whose text we have names a plain-text copy in its BibTeX `file`
field, as Zotero, JabRef and Better BibTeX do (`file = {texts/baev2021.txt}`,
relative to the `.bib` file). The archive is for checking, never published.

Paragraphs are the text's non-empty lines, numbered from 1: `para. 14` is the
14th non-empty line. A quotation is matched verbatim, except that differences
of whitespace and line breaks, of straight against typographic quotes and
apostrophes, and between the dashes are tolerated. A quotation may be two
fragments joined by `…` (or `...`), found in that order in one paragraph.

```python
texts, diags = load_texts(sources, root)
found = find(texts["baev2021"], "a mutually exaggerated strategic partnership")
found[0].paragraph  # → 3
```
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from rapidfuzz import fuzz

from build_scripts.cache import digest
from build_scripts.model import Diagnostic, Source
from build_scripts.paths import inside, real, relative_path

__all__ = [
    "ArchivedText",
    "Passage",
    "closest",
    "find",
    "fragments",
    "load_texts",
    "normalise",
    "paragraphs_of",
    "quote_words",
]

READABLE = (".txt", ".md")
"""Archive formats read directly; anything else is an error that says what to do."""

MAX_BYTES = 20_000_000
"""Largest archived text read (a larger file is almost certainly not a plain-text article)."""

_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`\u2039\u203a"}
_QUOTES |= {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_FOLD = str.maketrans({**_QUOTES, **_DASHES, "\u00ad": None})
_FOLD_CHARS = {**_QUOTES, **_DASHES}
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLD_CHARS)) + "]")
_SOFT_HYPHEN = "\u00ad"
_RUNS = re.compile(r"(\s+)|\S+")
_WHITESPACE = re.compile(r"\s+")
_DASH_SPACE = re.compile(r" ?- ?")
_SPACE_AROUND_DASH = re.compile(r"\s*-\s*")
_LINE_END = re.compile(r"\r\n|\r|\n")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")


class Normalised:
    """Text folded for matching, with the way back to offsets in the original.

    Attributes:
        original: The text as it was.
        text: Folded text: one space for any whitespace, `'` `"` `-` for their
            variants, no space next to a dash, no soft hyphen.
    """

    __slots__ = ("original", "text")

    def __init__(self, original: str):
        self.original = original
        same = _FOLDABLE.sub(lambda m: _FOLD_CHARS[m.group()], original.replace(_SOFT_HYPHEN, ""))
        self.text = _DASH_SPACE.sub("-", _WHITESPACE.sub(" ", same).strip(" "))

    @property
    def offsets(self) -> array[int]:
        """`offsets[i]` is the original offset of `text[i]`.

        One extra entry holds the original length, so that an end offset maps too. Worked out on
        each use, not kept (only paragraphs where a quotation is found need them, and kept for every
        such paragraph of a large archive, they took more memory than its texts).
        """
        return _offsets(self.original)


def normalise(text: str) -> Normalised:
    """Fold `text` for matching, keeping the way back to original offsets."""
    return Normalised(text)


def _offsets(text: str) -> array[int]:
    """The original offset of each character of `Normalised(text).text`, then the length of `text`."""
    offsets: list[int] = []
    last = ""
    pending_space = -1
    for match in _RUNS.finditer(text):
        start, end = match.span()
        if match.group(1) is not None:  # whitespace: one space, placed when the next word comes
            if last and pending_space < 0:
                pending_space = start
            continue
        word = match.group().translate(_FOLD)
        if not word:
            continue
        if pending_space >= 0:
            if word[0] != "-" and last != "-":
                offsets.append(pending_space)
            pending_space = -1
        last = word[-1]
        if len(word) == end - start:
            offsets.extend(range(start, end))
        else:  # soft hyphens dropped
            offsets.extend(start + i for i, char in enumerate(match.group()) if char != _SOFT_HYPHEN)
    offsets.append(len(text))
    return array("l", offsets)


@dataclass(frozen=True)
class ArchivedText:
    """One source's archived text, split into paragraphs.

    Attributes:
        key: Citekey of the source.
        path: Path of the text, relative to the project root.
        paragraphs: The non-empty lines, stripped; `paragraphs[0]` is para. 1.
    """

    key: str
    path: str
    paragraphs: tuple[str, ...]

    @functools.cached_property
    def digest(self) -> str:
        """A hash of the text's path and paragraphs (worked out once: look-ups of each quotation are keyed on it)."""
        return digest(self.path, *self.paragraphs)

    @functools.cached_property
    def folded(self) -> tuple[Normalised, ...]:
        """Each paragraph folded for matching: worked out once, when a quotation is first looked up in the text.

        A rebuild that finds every look-up in its cache never needs it.
        """
        return tuple(normalise(p) for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Passage:
    """Where a quotation was found.

    Attributes:
        paragraph: Paragraph number (1-based).
        spans: Start and end offset in the paragraph of each fragment of the quotation.
        text: The archive's own words for each fragment (typographic quotes and all).
    """

    paragraph: int
    spans: tuple[tuple[int, int], ...]
    text: tuple[str, ...]


def paragraphs_of(text: str) -> tuple[str, ...]:
    r"""The paragraphs of a text: its non-empty lines, stripped.

    Lines end at `\n`, `\r\n` or `\r` only, as editors count them: a Unicode
    line separator inside a paragraph does not start a new one.
    """
    return tuple(line.strip() for line in _LINE_END.split(text) if line.strip())


def fragments(quote: str) -> list[str]:
    """The fragments of a quotation: the text between `…` (or `...`) elisions.

    A quotation that is nothing but an ellipsis quotes the ellipsis itself.
    """
    return [part for part in _ELLIPSIS.split(quote.strip()) if part] or ([quote.strip()] if quote.strip() else [])


def quote_words(quote: str) -> int:
    """How many words a quotation has (elisions are not words)."""
    return sum(len(part.split()) for part in fragments(quote))


def find(text: ArchivedText, quote: str) -> list[Passage]:
    """Every place the quotation occurs: its fragments in order, in one paragraph."""
    needles = [normalise(part).text for part in fragments(quote)]
    if not needles or not all(needles):
        return []
    found: list[Passage] = []
    for number, (original, folded) in enumerate(zip(text.paragraphs, text.folded, strict=True), start=1):
        for spans in _matches(folded.text, needles, 0):
            offsets = folded.offsets
            mapped = tuple((offsets[a], offsets[b - 1] + 1) for a, b in spans)
            found.append(Passage(number, mapped, tuple(original[a:b] for a, b in mapped)))
    return found


def _matches(hay: str, needles: list[str], start: int) -> Iterable[list[tuple[int, int]]]:
    """Spans of `needles` found in order in `hay` from `start`, each on word boundaries."""
    first, rest = needles[0], needles[1:]
    at = hay.find(first, start)
    while at >= 0:
        end = at + len(first)
        if _bounded(hay, at, end, first):
            if not rest:
                yield [(at, end)]
            else:
                tail = next(iter(_matches(hay, rest, end)), None)
                if tail is not None:
                    yield [(at, end), *tail]
        at = hay.find(first, at + 1)


def _bounded(hay: str, start: int, end: int, needle: str) -> bool:
    """Whether the match does not cut a word in two at either end."""
    before = start == 0 or not (hay[start - 1].isalnum() and needle[0].isalnum())
    after = end == len(hay) or not (hay[end].isalnum() and needle[-1].isalnum())
    return before and after


def closest(text: ArchivedText, quote: str) -> tuple[int, str]:
    """The paragraph and passage most like the quotation (fuzzy, for hints): `(paragraph, words)`."""
    needle = " ".join(normalise(part).text for part in fragments(quote))
    best = (-1.0, 0, "")
    for number, (original, folded) in enumerate(zip(text.paragraphs, text.folded, strict=True), start=1):
        hit = fuzz.partial_ratio_alignment(needle, folded.text)
        if hit is not None and hit.score > best[0]:
            offsets = folded.offsets
            start, end = offsets[hit.dest_start], offsets[max(hit.dest_end - 1, hit.dest_start)] + 1
            best = (hit.score, number, _whole_words(original, start, end))
    return best[1], best[2]


def _whole_words(text: str, start: int, end: int) -> str:
    """The passage `text[start:end]`, widened to whole words."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip()


# -- Loading -------------------------------------------------------------------------


def load_texts(sources: Mapping[str, Source], root: Path) -> tuple[dict[str, ArchivedText], list[Diagnostic]]:
    """The archived text of each source whose BibTeX entry has a `file` field.

    The path is relative to the `.bib` file's folder and must stay inside the
    project; the file must be UTF-8 `.txt` or `.md`. Each problem is an error
    at the entry, and that source's claims are then not checked.
    """
    texts: dict[str, ArchivedText] = {}
    diags: list[Diagnostic] = []
    for key in sorted(sources):
        source = sources[key]
        named = source.fields.get("file", "").strip()
        if not named:
            continue
        text, problem = _read(source, named, root)
        if problem:
            diags.append(Diagnostic.error(source.location, f"archived text of '{key}': {problem[0]}", problem[1]))
        elif text is not None:
            texts[key] = text
    return texts, diags


def _read(source: Source, field: str, root: Path) -> tuple[ArchivedText | None, tuple[str, str] | None]:
    """Read the file a `file` field names; `(text, None)` or `(None, (what is wrong, how to fix it))`."""
    names = [part for part in field.split(";") if part.strip()]
    if len(names) > 1:
        return None, (
            f"the file field names {len(names)} files ({field})",
            "keep one plain-text copy of the source in 'file'",
        )
    name = _zotero_path(names[0].strip())
    bib_folder = (root / source.location.path).parent
    path = (bib_folder / name) if not PurePosixPath(name).is_absolute() else Path(name)
    real_root, target = real(root), real(path)
    if not inside(target, real_root):
        return None, (
            f"'{name}' is outside the project and is not read",
            "copy the text into the project (e.g. bib/texts/) and point 'file' at the copy",
        )
    shown = relative_path(target, real_root)
    if target.suffix.lower() == ".pdf":
        return None, (
            f"'{shown}' is a PDF, which is not read",
            f"extract its text (e.g. pdftotext '{shown}' '{target.with_suffix('.txt').name}') "
            "and point 'file' at the .txt",
        )
    if target.suffix.lower() not in READABLE:
        return None, (
            f"'{shown}' is not a .txt or .md file",
            "save the text as plain UTF-8 .txt and point 'file' at it",
        )
    if not target.is_file():
        return None, (f"'{shown}' does not exist", "check the path (relative to the .bib file's folder)")
    try:
        if target.stat().st_size > MAX_BYTES:
            return None, (f"'{shown}' is larger than {MAX_BYTES // 1_000_000} MB", "archive the article's text only")
        data = target.read_bytes()
    except OSError as exc:
        return None, (f"cannot read '{shown}': {exc.strerror or exc}", "check the file's permissions")
    if b"\0" in data:
        return None, (f"'{shown}' is a binary file, not text", "save the text as plain UTF-8 .txt")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, (
            f"'{shown}' is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8",
        )
    return ArchivedText(source.key, shown, paragraphs_of(text)), None


def _zotero_path(name: str) -> str:
    """The path in a Zotero/JabRef file field (`description:path:mime-type`), or `name` as it is."""
    parts = name.split(":")
    if len(parts) == 3 and not re.fullmatch(r"[A-Za-z]", parts[0]):
        return parts[1].replace("\\:", ":")
    return name
