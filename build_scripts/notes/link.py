"""The global index: every note, topic, source, fact and claim, resolved.

Runs once everything is loaded: it checks that each citation, cross-reference,
topic and fact a note names exists, gives each claim its stable id, and works
out which pages link to which (backlinks) and which notes cite each source.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from build_scripts.model import Claim, CrossRef, Diagnostic, Fact, Location, Note, NoteKind, Source
from build_scripts.slugs import slug

RESERVED_IDS = {
    "index",
    "bibliography",
    "inconsistencies",
    "sources",
    "notes",
    "reference",
    "authoring",
    "claims",
    "charts",
    "assets",
    "stylesheets",
    "javascripts",
    "search",
    "404",
}
RESERVED_NOTE_IDS = {"index"}


@dataclass(slots=True)
class Index:
    """Everything the renderer needs, resolved and sorted.

    Attributes:
        notes: Notes by id, in path order.
        topics: Topic notes, by `order` then id.
        home: The home note, if any.
        sources: Sources by citekey.
        facts: Facts by id.
        claims: All claims, each with its stable `id`.
        backlinks: Note id → ids of the notes linking to it.
        cited_by: Citekey → ids of the notes citing it (in text, claims or `sources`).
    """

    notes: dict[str, Note]
    topics: list[Note]
    home: Note | None
    sources: dict[str, Source]
    facts: dict[str, Fact]
    claims: list[Claim]
    backlinks: dict[str, list[str]] = field(default_factory=dict)
    cited_by: dict[str, list[str]] = field(default_factory=dict)

    def page(self, note_id: str) -> str:
        """Path of a note's page in the docs tree."""
        note = self.notes[note_id]
        if note.kind is NoteKind.HOME:
            return "index.md"
        return f"{note.id}.md" if note.kind is NoteKind.TOPIC else f"notes/{note.id}.md"


MAX_SLUG = 80
"""Longest source slug; a longer citekey is cut and given a hash, so file names stay short."""


@functools.cache  # every page links sources, many times each: slugging them once is enough
def source_page(key: str) -> str:
    """Path of a source's page in the docs tree (`sources/<slug>.md`), always inside `sources/`.

    The slug ([`slug`][build_scripts.slugs.slug]) keeps lower-case ASCII
    letters, digits, `.`, `_` and `-`; anything else (`/`, `..` as a whole,
    spaces) becomes `-`, so a citekey such as `../../evil` cannot name a path
    outside `sources/`.
    """
    name = re.sub(r"\.{2,}", ".", slug(key, keep="._")) or "source"
    if len(name) > MAX_SLUG:
        name = name[: MAX_SLUG - 9].rstrip("-.") + "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"sources/{name}.md"


def build_index(notes: list[Note], sources: dict[str, Source]) -> tuple[Index, list[Diagnostic]]:  # noqa: C901 (one pass over notes, facts and claims; left whole for the notes/ refactor)
    """Index `notes` and `sources` and check every reference between them."""
    diags: list[Diagnostic] = []
    by_id = _unique_notes(notes, diags)
    topics = sorted((n for n in by_id.values() if n.kind is NoteKind.TOPIC), key=lambda n: (n.order, n.id))
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
    index = Index(
        notes=by_id,
        topics=topics,
        home=homes[0] if homes else None,
        sources=sources,
        facts=facts,
        claims=_claims(by_id.values(), facts, sources, diags),
    )
    topic_ids = {t.id for t in topics}
    backlinks: dict[str, set[str]] = defaultdict(set)
    cited_by: dict[str, set[str]] = defaultdict(set)
    for note in by_id.values():
        for key in note.sources:
            if _check_key(key, Location(note.path, 1), sources, diags):
                cited_by[key].add(note.id)
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
                if _check_key(cite.key, cite.location, sources, diags):
                    cited_by[cite.key].add(note.id)
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
                target = _check_ref(span.ref, index, diags)
                if target and target != note.id:
                    backlinks[target].add(note.id)
    for note in by_id.values():
        for entry in note.passed_over:
            _check_key(entry.source, entry.location, sources, diags)
        for fact in note.facts:
            for span in (*fact.resolution_spans, *fact.apparent_spans):
                for cite in span.citations:
                    if _check_key(cite.key, cite.location, sources, diags):
                        cited_by[cite.key].add(note.id)
    for claim in index.claims:
        cited_by[claim.source].add(claim.note)
    index.backlinks = {k: sorted(v) for k, v in sorted(backlinks.items())}
    index.cited_by = {k: sorted(v) for k, v in sorted(cited_by.items())}
    return index, diags


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
                    f"note id '{note.id}' is reserved (notes/{note.id}.md is the list of all notes)",
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


def _check_ref(ref: CrossRef, index: Index, diags: list[Diagnostic]) -> str | None:
    """Resolve a cross-reference; return the id of the note it links to, if any."""
    if ref.target not in index.notes:
        diags.append(
            Diagnostic.error(
                ref.location,
                f"unknown cross-reference target '{ref.target}'",
                _suggest(ref.target, index.notes, "use the id of a note or topic"),
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
