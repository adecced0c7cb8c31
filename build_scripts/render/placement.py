"""Where each disagreement callout is shown, worked out once before any page is drafted.

A callout appears on every page whose body embeds its fact (`[[fact:ID]]`),
on the page of each topic the fact belongs to (under "Other disagreements")
when no note's text embeds it (a topic whose fact is set out in another
note's text names it in a line, linking there), and on the Inconsistencies
page only when no other page shows it (that page is otherwise an index
linking to each).
Knowing this in advance, every page is drafted from the index alone: source
pages link to a callout's first page, the Inconsistencies page says where each
appears, and `claims.json` lists the pages, whatever order pages are drafted in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from build_scripts.model import Inconsistency, Note, NoteKind
from build_scripts.notes.link import Index

__all__ = [
    "INCONSISTENCIES_PAGE",
    "Placements",
    "body_callouts",
    "note_order",
    "placements",
    "topic_issues",
    "topic_rest",
]

INCONSISTENCIES_PAGE = "inconsistencies.md"

Placements = dict[str, tuple[str, ...]]
"""Callout anchor → the pages that show it."""


def note_order(index: Index) -> list[Note]:
    """The notes in the order their pages are listed: topics first (by `order`), then every other note by path."""
    return [*index.topics, *(n for n in index.notes.values() if n.kind is not NoteKind.TOPIC)]


def body_callouts(note: Note, inconsistencies: Mapping[str, Sequence[Inconsistency]]) -> list[Inconsistency]:
    """The callouts a note's body shows: those of the facts it embeds, each once, in reading order."""
    shown: dict[str, Inconsistency] = {}
    for span in note.spans:
        if span.embed is not None:
            for issue in inconsistencies.get(span.embed.fact, []):
                shown.setdefault(issue.anchor, issue)
    return list(shown.values())


def topic_issues(
    topic: Note, index: Index, inconsistencies: Mapping[str, Sequence[Inconsistency]]
) -> list[Inconsistency]:
    """The disagreements on the facts of a topic."""
    facts = [fact for fact in index.facts.values() if topic.id in fact.topics]
    return [issue for fact in facts for issue in inconsistencies.get(fact.id, [])]


def topic_rest(
    topic: Note, index: Index, inconsistencies: Mapping[str, Sequence[Inconsistency]], placed: Placements
) -> tuple[list[Inconsistency], list[Inconsistency]]:
    """A topic's disagreements that its text does not set out.

    Those its page adds after its text (no note's text embeds them), and those another note's text
    sets out (the page names them in a line).
    """
    page = index.page(topic.id)
    in_body = {issue.anchor for issue in body_callouts(topic, inconsistencies)}
    issues = [issue for issue in topic_issues(topic, index, inconsistencies) if issue.anchor not in in_body]
    added = [issue for issue in issues if page in placed.get(issue.anchor, ())]
    elsewhere = [issue for issue in issues if page not in placed.get(issue.anchor, ())]
    return added, elsewhere


def placements(index: Index, inconsistencies: Mapping[str, Sequence[Inconsistency]]) -> Placements:
    """Callout anchor → the pages that show it.

    In [`note_order`][build_scripts.render.placement.note_order]; the Inconsistencies page for a
    callout that no note shows.
    """
    embedded = {issue.anchor for note in index.notes.values() for issue in body_callouts(note, inconsistencies)}
    pages: dict[str, list[str]] = {}
    for note in note_order(index):
        shown = body_callouts(note, inconsistencies)
        if note.kind is NoteKind.TOPIC:  # the disagreements of its facts that no note's text sets out
            shown += [i for i in topic_issues(note, index, inconsistencies) if i.anchor not in embedded]
        for issue in shown:
            pages.setdefault(issue.anchor, []).append(index.page(note.id))
    for issues in inconsistencies.values():
        for issue in issues:
            pages.setdefault(issue.anchor, [INCONSISTENCIES_PAGE])
    return {anchor: tuple(where) for anchor, where in pages.items()}
