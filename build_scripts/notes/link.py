"""The global index: every note, topic, source, fact and claim, resolved.

Runs once everything is loaded: it checks that each citation, cross-reference,
topic and fact a note names exists, gives each claim its stable id, and works
out which pages link to which (backlinks) and which notes cite each source.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from build_scripts.model import Claim, CrossRef, Diagnostic, Fact, Location, Note, NoteKind, Source
from build_scripts.notes.scan import SOURCE_PREFIX
from build_scripts.page_paths import GENERATED_NAMES, NOTES_DIR, NOTES_INDEX_PAGE, SitePage, note_page, source_page
from build_scripts.slugs import slug

RESERVED_IDS = GENERATED_NAMES | {
    "reference",
    "authoring",
    "charts",
    "stylesheets",
    "javascripts",
    "search",
    "404",
}
"""Ids no topic may take: its page would be at the address of a generated page or of a hand-written section."""
RESERVED_NOTE_IDS = {NOTES_INDEX_PAGE.removeprefix(NOTES_DIR).removesuffix(".md")}
"""Ids no note may take: its page would be the list of all notes."""


@dataclass(frozen=True)
class Index:
    """Everything the renderer needs, resolved and sorted.

    Made by [`build_index`][build_scripts.notes.link.build_index] from what it
    checked; what follows from that (topics, home, backlinks, citing notes) is
    worked out here, from the index's own fields, when first asked for.

    Attributes:
        notes: Notes by id, in path order.
        sources: Sources by citekey.
        facts: Facts by id.
        claims: All claims, each with its stable `id`.
    """

    notes: dict[str, Note]
    sources: dict[str, Source]
    facts: dict[str, Fact]
    claims: list[Claim]

    @functools.cached_property
    def topics(self) -> list[Note]:
        """Topic notes, by `order` then id."""
        return sorted((n for n in self.notes.values() if n.kind is NoteKind.TOPIC), key=lambda n: (n.order, n.id))

    @functools.cached_property
    def home(self) -> Note | None:
        """The home note, if any (the first, if there are several)."""
        return next((n for n in self.notes.values() if n.kind is NoteKind.HOME), None)

    @functools.cached_property
    def backlinks(self) -> dict[str, list[str]]:
        """Note id → ids of the other notes linking to it."""
        links: dict[str, set[str]] = defaultdict(set)
        for note in self.notes.values():
            for span in note.spans:
                if span.ref is not None and span.ref.target in self.notes and span.ref.target != note.id:
                    links[span.ref.target].add(note.id)
        return {k: sorted(v) for k, v in sorted(links.items())}

    @functools.cached_property
    def cited_by(self) -> dict[str, list[str]]:
        """Citekey → ids of the notes citing it (in `sources`, in text, in a fact's texts, or in claims)."""
        cited: dict[str, set[str]] = defaultdict(set)
        for note in self.notes.values():
            spans = [*note.spans, *(s for f in note.facts for s in (*f.resolution_spans, *f.apparent_spans))]
            linked = (linked_source(span.ref) for span in note.spans if span.ref is not None)
            for key in [*note.sources, *(c.key for span in spans for c in span.citations), *linked]:
                if key in self.sources:
                    cited[key].add(note.id)
        for claim in self.claims:
            cited[claim.source].add(claim.note)
        return {k: sorted(v) for k, v in sorted(cited.items())}

    def page(self, note_id: str) -> str:
        """Path of a note's page in the docs tree."""
        return note_page(self.notes[note_id])


def build_index(notes: list[Note], sources: dict[str, Source]) -> tuple[Index, list[Diagnostic]]:  # noqa: C901 (one pass over notes, facts and claims; left whole for the notes/ refactor)
    """Index `notes` and `sources` and check every reference between them."""
    diags: list[Diagnostic] = []
    by_id = _unique_notes(notes, diags)
    homes = [n for n in by_id.values() if n.kind is NoteKind.HOME]
    for extra in homes[1:]:
        diags.append(
            Diagnostic.error(
                extra.location,
                f"second home page '{extra.id}' (first is {homes[0].path})",
                "only one note may have 'kind: home'",
            )
        )
    facts = _unique_facts(by_id.values(), diags)
    _unique_source_pages(sources, diags)
    index = Index(notes=by_id, sources=sources, facts=facts, claims=_claims(by_id.values(), facts, sources, diags))
    topic_ids = {t.id for t in index.topics}
    for note in by_id.values():
        for key in note.sources:
            _check_key(key, Location(note.path, 1), sources, diags)
        for topic in note.topics:
            if topic not in topic_ids:
                diags.append(
                    Diagnostic.error(
                        note.location,
                        f"unknown topic '{topic}' in note '{note.id}'",
                        _suggest(topic, topic_ids, "topic ids are the ids of 'kind: topic' notes"),
                    )
                )
        for fact_id in note.questions:
            if fact_id not in index.facts:
                diags.append(
                    Diagnostic.error(
                        Location(note.path, note.questions_line),
                        f"unknown fact '{fact_id}' in 'questions' of note '{note.id}'",
                        _suggest(fact_id, index.facts, "list ids of facts declared under 'facts:'"),
                    )
                )
        for span in note.spans:
            for cite in span.citations:
                _check_key(cite.key, cite.location, sources, diags)
            if span.embed is not None and span.embed.fact not in index.facts:
                fact_id = span.embed.fact
                diags.append(
                    Diagnostic.error(
                        span.embed.location,
                        f"unknown fact '{fact_id}' in [[fact:{fact_id}]]",
                        _suggest(fact_id, index.facts, "declare the fact under 'facts:'"),
                    )
                )
            if span.ref is not None:
                _check_ref(span.ref, index, diags)
    for note in by_id.values():
        for entry in note.passed_over:
            _check_key(entry.source, entry.location, sources, diags)
        for fact in note.facts:
            for span in (*fact.resolution_spans, *fact.apparent_spans):
                for cite in span.citations:
                    _check_key(cite.key, cite.location, sources, diags)
    return index, diags


def missing_home(index: Index, content_dir: str) -> list[Diagnostic]:
    """An error when no note is the home page: the site's front page (`index.md`) would be missing.

    Args:
        index: The linked notes.
        content_dir: The notes' folder, relative to the project root (where the home note goes).
    """
    if index.home is not None:
        return []
    return [
        Diagnostic.error(
            Location(content_dir),
            "no home note: the site's front page is made from the note with 'kind: home', and there is none",
            f"add {content_dir}/index.md starting with the front matter `id: index`, `kind: home` and "
            "`title: <your site's title>` (each on its own line between `---` lines), then the front page's text",
        )
    ]


def _unique_notes(notes: list[Note], diags: list[Diagnostic]) -> dict[str, Note]:
    by_id: dict[str, Note] = {}
    folded: dict[str, Note] = {}
    for note in notes:
        fold = unicodedata.normalize("NFKC", note.id).casefold()
        if fold in folded:
            first = folded[fold]
            diags.append(
                Diagnostic.error(
                    note.location, f"duplicate note id '{note.id}' (also in {first.path})", "give each note its own id"
                )
            )
            continue
        if note.kind is NoteKind.TOPIC and note.id in RESERVED_IDS:
            diags.append(
                Diagnostic.error(
                    note.location, f"topic id '{note.id}' is reserved for a site page", "choose another id"
                )
            )
            continue
        if note.kind is NoteKind.NOTE and note.id in RESERVED_NOTE_IDS:
            diags.append(
                Diagnostic.error(
                    note.location,
                    f"note id '{note.id}' is reserved ({NOTES_INDEX_PAGE} is the list of all notes)",
                    "choose another id",
                )
            )
            continue
        folded[fold] = note
        by_id[note.id] = note
    return by_id


def _unique_source_pages(sources: dict[str, Source], diags: list[Diagnostic]) -> None:
    """Two citekeys whose pages would be the same file (`Lo/2008` and `lo-2008`) are an error."""
    pages: dict[str, Source] = {}
    for key, source in sorted(sources.items()):
        page = source_page(key)
        if page in pages:
            first = pages[page]
            diags.append(
                Diagnostic.error(
                    source.location,
                    f"citekeys '{first.key}' and '{key}' would share the page {page}",
                    "rename one of them (keys differing only in case or punctuation clash)",
                )
            )
            continue
        pages[page] = source


def _unique_facts(notes: Iterable[Note], diags: list[Diagnostic]) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    for note in notes:
        for fact in note.facts:
            if fact.id in facts:
                diags.append(
                    Diagnostic.error(
                        fact.location,
                        f"duplicate fact id '{fact.id}' (also at {facts[fact.id].location})",
                        "declare each fact once; claims in any note can use it",
                    )
                )
                continue
            facts[fact.id] = fact
    return dict(sorted(facts.items()))


def _claims(
    notes: Iterable[Note], facts: dict[str, Fact], sources: dict[str, Source], diags: list[Diagnostic]
) -> list[Claim]:
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    for note in notes:
        for claim in note.claims:
            ok = True
            if claim.fact not in facts:
                diags.append(
                    Diagnostic.error(
                        claim.location,
                        f"claim names unknown fact '{claim.fact}'",
                        _suggest(claim.fact, facts, "declare the fact under 'facts:' in some note"),
                    )
                )
                ok = False
            else:
                ok = _check_position(claim, facts[claim.fact], diags)
            ok = _check_key(claim.source, claim.location, sources, diags) and ok
            if not ok:
                continue
            base = f"claim-{claim.fact}--{slug(claim.source)}"
            seen[base] = seen.get(base, 0) + 1
            claims.append(replace(claim, id=base if seen[base] == 1 else f"{base}-{seen[base]}"))
    return claims


def _check_position(claim: Claim, fact: Fact, diags: list[Diagnostic]) -> bool:
    """A claim on a category or assessment fact takes one of the fact's declared positions."""
    if not fact.kind.has_positions or not fact.positions:
        return True  # a fact without positions is reported where it is declared
    declared = [p.id for p in fact.positions]
    position = claim.position or " ".join(claim.value.casefold().split())
    if position in declared:
        return True
    listed = ", ".join(f"'{name}'" for name in declared)
    if not claim.position:
        diags.append(
            Diagnostic.error(
                claim.location, f"claim on '{fact.id}' has no position", f"add 'position:' with one of {listed}"
            )
        )
        return False
    close = process.extractOne(position, declared, scorer=fuzz.WRatio, score_cutoff=60)
    guess = f"did you mean '{close[0]}'? " if close else ""
    diags.append(
        Diagnostic.error(
            claim.location,
            f"'{claim.position}' is not a position of {fact.id}",
            f"{guess}the declared positions are {listed}; declare a new one under the fact's 'positions:' if none fits",
        )
    )
    return False


def _check_key(key: str, location: Location, sources: dict[str, Source], diags: list[Diagnostic]) -> bool:
    if key in sources:
        return True
    diags.append(
        Diagnostic.error(
            location, f"unknown citekey '{key}'", _suggest(key, sources, "add the entry to bib/ or correct the key")
        )
    )
    return False


def linked_source(ref: CrossRef) -> str:
    """The citekey a `[[source:KEY]]` link names ("" for a link to a note or another page)."""
    return ref.target.removeprefix(SOURCE_PREFIX) if ref.target.startswith(SOURCE_PREFIX) else ""


def _check_ref(ref: CrossRef, index: Index, diags: list[Diagnostic]) -> str | None:
    """Resolve a cross-reference; return the id of the note it links to, if any.

    `[[source:KEY]]` links to a source's page, `[[inconsistencies]]` and `[[bibliography]]` to those pages.
    """
    generated = ref.target in set(SitePage) or bool(linked_source(ref))
    if generated and ref.anchor:
        diags.append(
            Diagnostic.error(
                ref.location,
                f"[[{ref.target}#{ref.anchor}]]: a link to a generated page takes no '#heading'",
                f"link to the whole page: [[{ref.target}]]",
            )
        )
    if linked_source(ref):
        _check_key(linked_source(ref), ref.location, index.sources, diags)
        return None
    if generated:
        return None
    if ref.target not in index.notes:
        pages = ", ".join(f"[[{page}]]" for page in SitePage)
        diags.append(
            Diagnostic.error(
                ref.location,
                f"unknown cross-reference target '{ref.target}'",
                f"{_suggest(ref.target, [*index.notes, *SitePage], '')} link to a note or topic by its id, "
                f"or to a generated page: {pages} or [[{SOURCE_PREFIX}KEY]]".lstrip(),
            )
        )
        return None
    if ref.anchor and ref.anchor not in index.notes[ref.target].anchors:
        known = index.notes[ref.target].anchors
        diags.append(
            Diagnostic.error(
                ref.location,
                f"no heading '#{ref.anchor}' on '{ref.target}'",
                _suggest(ref.anchor, known, "anchors are heading slugs, e.g. '## Energy' → #energy"),
            )
        )
    return ref.target


def _suggest(word: str, known: Iterable[str], fallback: str) -> str:
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else fallback
