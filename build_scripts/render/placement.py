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
from dataclasses import dataclass

from build_scripts.model import Inconsistency, Note, NoteKind
from build_scripts.notes.link import Index
from build_scripts.page_paths import INCONSISTENCIES_PAGE

__all__ = ["Placements", "body_callouts", "note_order", "placements", "topic_issues"]


@dataclass(frozen=True, slots=True)
class Placements:
    """Where each callout is shown: the one answer every page asks (links, the index, a topic's extra callouts).

    A page's body shows the callouts of the facts it embeds, each after the
    block that embeds it ([`render_body`][build_scripts.render.body.render_body]
    places them, on the pages named here).

    Attributes:
        pages: Callout anchor → the pages that show it, in note order; the
            Inconsistencies page alone for a callout that no note shows.
        added: Topic id → the callouts its page adds after its text: of its
            facts, and embedded in no note's text.
        named: Topic id → its disagreements that another note's text sets
            out: its page names each in a line, linking there.
    """

    pages: Mapping[str, tuple[str, ...]]
    added: Mapping[str, tuple[Inconsistency, ...]]
    named: Mapping[str, tuple[Inconsistency, ...]]

    def where(self, anchor: str) -> tuple[str, ...]:
        """The pages that show a callout."""
        return self.pages.get(anchor, ())

    def home(self, anchor: str) -> str:
        """The page where a callout is set out first (the Inconsistencies page for one no note shows)."""
        return self.pages[anchor][0]

    def shows(self, page: str, anchor: str) -> bool:
        """Whether `page` shows a callout."""
        return page in self.where(anchor)


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


def placements(index: Index, inconsistencies: Mapping[str, Sequence[Inconsistency]]) -> Placements:
    """Where each callout is shown, pages in [`note_order`][build_scripts.render.placement.note_order].

    A callout is shown on each page whose body embeds its fact; on the page of
    each topic of its fact when no note's body embeds it; else on the
    Inconsistencies page alone.
    """
    embedded = {issue.anchor for note in index.notes.values() for issue in body_callouts(note, inconsistencies)}
    pages: dict[str, list[str]] = {}
    added: dict[str, tuple[Inconsistency, ...]] = {}
    named: dict[str, tuple[Inconsistency, ...]] = {}
    for note in note_order(index):
        shown = body_callouts(note, inconsistencies)
        if note.kind is NoteKind.TOPIC:  # the disagreements of its facts that its own text does not set out
            in_body = {issue.anchor for issue in shown}
            rest = [i for i in topic_issues(note, index, inconsistencies) if i.anchor not in in_body]
            added[note.id] = tuple(i for i in rest if i.anchor not in embedded)
            named[note.id] = tuple(i for i in rest if i.anchor in embedded)
            shown += added[note.id]
        for issue in shown:
            pages.setdefault(issue.anchor, []).append(index.page(note.id))
    for issues in inconsistencies.values():
        for issue in issues:
            pages.setdefault(issue.anchor, [INCONSISTENCIES_PAGE])
    return Placements({anchor: tuple(where) for anchor, where in pages.items()}, added, named)
