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

from ..link import Index
from ..model import Inconsistency, Note, NoteKind

__all__ = ["INCONSISTENCIES_PAGE", "body_callouts", "note_order", "placements", "topic_callouts", "topic_elsewhere"]

INCONSISTENCIES_PAGE = "inconsistencies.md"


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


def topic_callouts(
    topic: Note, index: Index, inconsistencies: Mapping[str, Sequence[Inconsistency]]
) -> list[Inconsistency]:
    """The callouts a topic page adds after its text: its facts' disagreements that no note's text embeds."""
    embedded = _embedded(index, inconsistencies)
    return [issue for issue in _topic_issues(topic, index, inconsistencies) if issue.anchor not in embedded]


def topic_elsewhere(
    topic: Note, index: Index, inconsistencies: Mapping[str, Sequence[Inconsistency]]
) -> list[Inconsistency]:
    """A topic's disagreements that another note's text sets out, and its own does not: named in a line."""
    in_body = {issue.anchor for issue in body_callouts(topic, inconsistencies)}
    embedded = _embedded(index, inconsistencies)
    return [
        issue
        for issue in _topic_issues(topic, index, inconsistencies)
        if issue.anchor in embedded and issue.anchor not in in_body
    ]


def _topic_issues(
    topic: Note, index: Index, inconsistencies: Mapping[str, Sequence[Inconsistency]]
) -> list[Inconsistency]:
    return [
        issue for fact in index.facts.values() if topic.id in fact.topics for issue in inconsistencies.get(fact.id, [])
    ]


def _embedded(index: Index, inconsistencies: Mapping[str, Sequence[Inconsistency]]) -> set[str]:
    """The callouts some note's text embeds."""
    return {issue.anchor for note in index.notes.values() for issue in body_callouts(note, inconsistencies)}


def placements(index: Index, inconsistencies: Mapping[str, Sequence[Inconsistency]]) -> dict[str, tuple[str, ...]]:
    """Callout anchor → the pages that show it, in [`note_order`][build_scripts.render.placement.note_order];
    the Inconsistencies page for a callout that no note shows."""
    pages: dict[str, list[str]] = {}
    for note in note_order(index):
        shown = body_callouts(note, inconsistencies)
        if note.kind is NoteKind.TOPIC:
            shown += topic_callouts(note, index, inconsistencies)
        for issue in shown:
            pages.setdefault(issue.anchor, []).append(index.page(note.id))
    for issues in inconsistencies.values():
        for issue in issues:
            pages.setdefault(issue.anchor, [INCONSISTENCIES_PAGE])
    return {anchor: tuple(where) for anchor, where in pages.items()}
