"""Plain data passed between the pipeline's stages.

Every record carries the [`Location`][build_scripts.diagnostics.Location] it was
read from, so that any later stage can report a problem by `path:line`
(a [`Diagnostic`][build_scripts.diagnostics.Diagnostic]; both are defined in
[`diagnostics`][build_scripts.diagnostics] and importable from here).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_scripts.diagnostics import Diagnostic, Location, Severity

__all__ = [
    "BuildResult", "Citation", "Claim", "CrossRef", "Diagnostic", "DisagreementKind", "Fact", "FactEmbed", "FactKind",
    "Inconsistency", "Location", "NavItem", "Note", "NoteKind", "Page", "PageFile", "PassedOver", "Position", "Problem",
    "ProblemKind", "Replacement", "Severity", "Side", "Source", "Span",
]  # fmt: skip


class FactKind(enum.StrEnum):
    """What sort of value a fact has, which decides how claims on it are compared."""

    NUMBER = "number"
    DATE = "date"
    CATEGORY = "category"
    ASSESSMENT = "assessment"

    @property
    def has_positions(self) -> bool:
        """Whether claims on such a fact take one of the fact's declared positions."""
        return self in (FactKind.CATEGORY, FactKind.ASSESSMENT)


class NoteKind(enum.StrEnum):
    """What a note is: an ordinary note, the page of a topic, or the home page."""

    NOTE = "note"
    TOPIC = "topic"
    HOME = "home"


class DisagreementKind(enum.StrEnum):
    """What sort of disagreement an [`Inconsistency`][build_scripts.model.Inconsistency] is."""

    NUMERIC = "numeric"
    DATE = "date"
    CATEGORICAL = "categorical"
    ASSESSMENT = "assessment"
    APPARENT = "apparent"
    """Sources seem to differ, but the difference dissolves on reading both passages (explained)."""
    INTERNAL = "internal"
    """A suspected error, a source contradicting itself, or an impossible value."""


@dataclass(frozen=True, slots=True)
class Source:
    """One BibTeX entry, after macros, concatenation and crossrefs are resolved.

    Attributes:
        key: The citekey, as written.
        entry_type: Lower-case entry type (`article`, `book`, ...).
        fields: Field values with macros resolved; LaTeX is still encoded
            (decoding happens only for fields that are shown).
        location: Where the entry starts.
    """

    key: str
    entry_type: str
    fields: Mapping[str, str]
    location: Location


@dataclass(frozen=True, slots=True)
class Position:
    """One of the answers a category or assessment fact allows.

    Attributes:
        id: The token claims name in `position:` (lower case), never shown to readers.
        gloss: A short sentence saying what the position means.
        label: What readers see: a few plain words ("Alliance unlikely").
    """

    id: str
    gloss: str
    label: str


def position_label(position: str) -> str:
    """A reader's label made from a position's id when none is declared: "alliance-unlikely" → "Alliance unlikely"."""
    words = " ".join(position.replace("-", " ").replace("_", " ").split())
    return words[:1].upper() + words[1:]


@dataclass(frozen=True, slots=True)
class Fact:
    """Something sources make claims about: a figure, a date, a judgement.

    Attributes:
        id: Unique id, used by claims and by `[[fact:ID]]` in note bodies.
        label: Human-readable name, e.g. "China-Russia trade".
        kind: `number`, `date`, `category` or `assessment`.
        topics: Topic ids this fact belongs to.
        location: Where the fact is declared.
        unit: Unit of numeric facts (`USD`, `percent`, `km`, `count`...).
        time: The time the fact refers to (`1992`, `2021-01/2021-08`...).
        tolerance: Relative tolerance for numeric agreement (default 0.5 %).
        resolution: An author's note on which value is more plausible.
        series: Id of a time series the fact belongs to (drawn as a chart).
        positions: For category and assessment facts, each declared position
            (its id, a gloss saying what it means, and its reader label), in the order declared.
        when: The time the fact refers to as people write it ("Jan–Aug 2021"; `time` as written if unread).
        resolution_spans: Citations (and cleaned HTML) in `resolution`, to replace when it is shown.
        apparent_spans: The same, in `apparent`.
        apparent: Why the sources' difference on this fact dissolves when both
            passages are read (the disagreement is then only apparent).
    """

    id: str
    label: str
    kind: FactKind
    topics: tuple[str, ...]
    location: Location
    unit: str = ""
    time: str = ""
    tolerance: float | None = None
    resolution: str = ""
    series: str = ""
    positions: tuple[Position, ...] = ()
    apparent: str = ""
    when: str = ""
    resolution_spans: tuple[Span, ...] = ()
    apparent_spans: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FactKind(self.kind))  # "number" given as text is the same kind

    def gloss(self, position: str) -> str:
        """What a declared position means ("" if it is not declared)."""
        return next((p.gloss for p in self.positions if p.id == position), "")

    def label_of(self, position: str) -> str:
        """A position as readers see it: its declared label, else one made from its id."""
        return next((p.label for p in self.positions if p.id == position), position_label(position))

    @property
    def title(self) -> str:
        """Label with the time it refers to as people write it, e.g. "Bilateral trade (Jan–Aug 2021)"."""
        when = self.when or self.time
        return f"{self.label} ({when})" if when else self.label


@dataclass(frozen=True, slots=True)
class Claim:
    """One source asserting one value for one fact.

    Attributes:
        fact: Id of the fact.
        source: Citekey of the asserting source.
        value: The value as the source puts it ("almost 70 percent").
        note: Id of the note the claim is written in.
        location: Where the claim is written.
        locator: Where in the source (page, paragraph, section).
        quote: Optional short quotation (a dozen words at most).
        position: Normalised category for category/assessment facts.
        suspect: Why the author thinks this value is an error, if they do.
        id: Stable anchor id, unique in the build (`fact--source`).
    """

    fact: str
    source: str
    value: str
    note: str
    location: Location
    locator: str = ""
    quote: str = ""
    position: str = ""
    suspect: str = ""
    id: str = ""


@dataclass(frozen=True, slots=True)
class PassedOver:
    """Paragraphs of a source that the notes deliberately draw nothing from, and why.

    Attributes:
        source: Citekey of the source.
        locator: The paragraphs, as a locator names them (`para. 1`, `paras. 30–31`).
        reason: Why nothing is drawn from them ("author biography", "restates para. 12").
        location: Where the entry is written.
    """

    source: str
    locator: str
    reason: str
    location: Location


@dataclass(frozen=True, slots=True)
class Citation:
    """One `[@key, locator]` item inside a citation group.

    Attributes:
        key: The cited citekey.
        locator: Page or section as written after the comma, if any.
        location: Where it appears in the note.
    """

    key: str
    locator: str
    location: Location


@dataclass(frozen=True, slots=True)
class FactEmbed:
    """A `[[fact:ID]]` in a note body: the fact's value(s), cited, in running text.

    Attributes:
        fact: Id of the fact.
        location: Where it appears.
    """

    fact: str
    location: Location


@dataclass(frozen=True, slots=True)
class CrossRef:
    """A `[[target#anchor|label]]` link in a note body.

    Attributes:
        target: Note/topic id.
        anchor: Optional heading anchor on the target page.
        label: Optional link text.
        location: Where it appears.
    """

    target: str
    anchor: str
    label: str
    location: Location


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a note body that the renderer replaces.

    Attributes:
        line: 0-based line within the body.
        start: 0-based column where the span starts.
        end: Column just after the span.
        citations: The citation group, for a `[@...]` span.
        ref: The cross-reference, for a `[[...]]` span.
        embed: The embedded fact, for a `[[fact:ID]]` span.
        block_end: 0-based body line after the top-level block holding the span
            (where a callout for an embedded fact is placed).
    """

    line: int
    start: int
    end: int
    citations: tuple[Citation, ...] = ()
    ref: CrossRef | None = None
    embed: FactEmbed | None = None
    block_end: int = 0


@dataclass(frozen=True, slots=True)
class Replacement(Span):
    """A span whose text the renderer replaces by `text` (cleaned HTML, an escaped `<`).

    Attributes:
        text: What to write instead, including the original line prefixes for
            a block of several lines.
        end_line: Last body line the span covers (for HTML blocks); equal to
            `line` for a span inside one line.
    """

    text: str = ""
    end_line: int = 0


@dataclass(frozen=True, slots=True)
class Note:
    """One Markdown note with its front matter.

    Attributes:
        id: Unique id (also the page slug).
        title: Page title.
        kind: `note`, `topic` (the page of a topic) or `home`.
        path: Path relative to the project root.
        sources: Citekeys the note draws on.
        topics: Topic ids the note is tagged with.
        summary: One-sentence summary shown in lists.
        body: Markdown body (after the front matter).
        body_line: 1-based file line of the body's first line.
        facts: Facts declared in this note.
        claims: Claims written in this note.
        spans: Citations and cross-references found in the body.
        anchors: Anchors of the body's headings.
        order: Sort key among topic pages (lower first).
        questions: Ids of facts whose who-says-what matrix the page shows (the home page's headline questions).
        questions_line: File line of `questions:`.
        lead_end: 0-based body line where the note's opening ends (its first heading; the body's end if none):
            the answer comes first, and a page's who-says-what matrix follows it.
        passed_over: Paragraphs of its sources the note records as passed over, with the reason.
    """

    id: str
    title: str
    kind: NoteKind
    path: str
    sources: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    summary: str = ""
    body: str = ""
    body_line: int = 1
    facts: tuple[Fact, ...] = ()
    claims: tuple[Claim, ...] = ()
    spans: tuple[Span, ...] = ()
    anchors: frozenset[str] = frozenset()
    order: int = 0
    questions: tuple[str, ...] = ()
    questions_line: int = 1
    lead_end: int = 0
    passed_over: tuple[PassedOver, ...] = ()

    @property
    def location(self) -> Location:
        """Location of the note's first line."""
        return Location(self.path, 1)


class ProblemKind(enum.StrEnum):
    """What makes a value suspect within one source (an `internal` inconsistency)."""

    SUSPECT = "suspect"
    """The author of the notes thinks the value is an error, and says why."""
    CONTRADICTS_ITSELF = "contradicts-itself"
    """The source gives values for the fact that cannot both be right."""
    IMPOSSIBLE = "impossible"
    """The value cannot be right (a share over 100 %, a year 3021)."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a disagreement: a value (normalised display, or position id) and the sources giving it.

    Attributes:
        value: The normalised display ("USD 5.56 bn", "4 Feb 2022") or the position id.
        sources: Citekeys of the sources that give it, in order.
        claims: Ids of the claims that give it.
    """

    value: str
    sources: tuple[str, ...]
    claims: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """A reason to doubt values of one source (part of an `internal` inconsistency).

    Attributes:
        kind: What sort of problem it is.
        source: Citekey of the source.
        values: The values concerned (normalised displays, or position ids).
        why: The author's reason (suspect), or what makes the value impossible; "" for a contradiction.
    """

    kind: ProblemKind
    source: str
    values: tuple[str, ...]
    why: str = ""


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """A disagreement about one fact.

    Attributes:
        fact: The disputed fact.
        kind: What sort of disagreement it is.
        claims: The claims involved.
        summary: One line saying what disagrees (for data exports: names sources by citekey).
        sides: For a disagreement between sources, each value and who gives it.
        problems: For a possible error in a source, each reason to doubt it.
    """

    fact: Fact
    kind: DisagreementKind
    claims: tuple[Claim, ...]
    summary: str
    sides: tuple[Side, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def anchor(self) -> str:
        """Stable anchor id of the callout for this inconsistency."""
        return f"disagreement-{self.kind}-{self.fact.id}"


@dataclass(frozen=True, slots=True)
class Page:
    """One generated Markdown page.

    Attributes:
        path: Path of the Markdown file inside the docs tree (`military.md`).
        title: Page title.
        markdown: Full Markdown text, in Python-Markdown syntax.
    """

    path: str
    title: str
    markdown: str


@dataclass(frozen=True, slots=True)
class PageFile:
    """A generated page as a build leaves it: written to the build's folder, named by its Markdown's hash.

    Attributes:
        path: Path of the Markdown file inside the docs tree (`military.md`).
        title: Page title.
        digest: SHA-256 of the page's Markdown (UTF-8), hex.
    """

    path: str
    title: str
    digest: str


@dataclass(frozen=True, slots=True)
class NavItem:
    """An entry of the site navigation: a page, or a section of entries."""

    title: str
    path: str = ""
    children: tuple[NavItem, ...] = ()


@dataclass(slots=True)
class BuildResult:
    """Everything the generator produces.

    Pages and files are written to `folder` as they are made, so that memory
    holds one batch of pages at a time, not the whole site.

    Attributes:
        folder: Where the pages and files are written (the docs tree of the generated pages).
        pages: Generated Markdown pages, in site order.
        files: Other generated files (`claims.json`), paths inside `folder`.
        nav: Navigation tree.
        diagnostics: Problems found, errors and warnings.
        notes: Ids of the notes built.
        archived: Archived source texts the quotations were checked against (paths from the project root).
        archive_key: A hash of those texts, so that a rebuild notices when one changes.
        inventory: What the build produced, for the change report
            ([`report.inventory`][build_scripts.report.inventory]).
        stylesheets: Stylesheets among `files` that every page needs (the renderer adds them to the theme).
        scripts: Scripts among `files` that every page needs.
    """

    folder: Path | None = None
    pages: list[PageFile] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    archive_key: str = ""
    inventory: dict[str, Any] = field(default_factory=dict)

    def read(self, path: str) -> bytes:
        """A generated page or file, as written."""
        assert self.folder is not None, "no pages were written"
        return (self.folder / path).read_bytes()
