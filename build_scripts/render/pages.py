"""The site's pages, as Markdown: home, topics, notes, sources, bibliography, disagreements.

Each page is first drafted: its content, with a
[`PageState`][build_scripts.render.context.PageState] recording what it cites
and draws on. [`assemble`][build_scripts.render.pages.assemble] then formats
every page's own citation in one run and adds front matter, "Cite this page"
and the footnotes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .. import charts, metadata
from ..link import source_page
from ..model import DisagreementKind, Fact, FactKind, Inconsistency, Note, NoteKind, Page
from ..verify import QuoteStatus
from . import citepage, trail
from .body import render_body
from .context import Context, PageState, indent, md_code, md_html, md_text, page_title, title_text
from .facts import KIND_TITLES, callout, callouts, claims_table, companion
from .matrix import contested, matrix
from .placement import topic_callouts

TOPICLESS = "General"


@dataclass(slots=True)
class Draft:
    """A page before assembly: its state, title, Markdown parts, and whether search indexes it."""

    state: PageState
    title: str
    parts: list[str]
    searchable: bool = True


def note_page(note: Note, ctx: Context) -> Draft:
    """A note's own page (also used for topic pages and the home page)."""
    state = PageState(ctx.index.page(note.id), ctx)
    parts = [f"# {page_title(note.title)}", ""]
    if note.kind is NoteKind.NOTE:
        parts += [_byline(note, state), ""]
    if note.kind is NoteKind.TOPIC:
        parts += _topic_matrix(note, state)
    parts += [render_body(note, state).strip(), ""]
    if note.questions:
        facts = [ctx.index.facts[f] for f in note.questions if f in ctx.index.facts]
        parts += ["## At a glance: who says what", "", *matrix(facts, state, "The headline questions.")]
    if note.kind is NoteKind.HOME:
        parts += _home_sections(state)
    if note.kind is NoteKind.TOPIC:
        parts += _topic_sections(note, state)
    elif note.claims:
        claims = ctx.claims_by_note.get(note.id, [])
        parts += ["## Claims recorded in this note", "", claims_table(claims, state, anchors=True)]
    listed = {n.id for n in _tagged(note, ctx)} if note.kind is NoteKind.TOPIC else set()
    parts += _linked_from(note.id, state, listed)
    return Draft(state, note.title, parts)


def _byline(note: Note, state: PageState) -> str:
    sources = ", ".join(state.link_source(k) for k in note.sources if k in state.ctx.refs)
    topics = ", ".join(state.link_note(t) for t in note.topics if t in state.ctx.index.notes)
    bits = [f"**Sources:** {sources}" if sources else "", f"**Topics:** {topics}" if topics else ""]
    return " · ".join(b for b in bits if b) or f"*{md_text(note.summary)}*"


def _home_sections(state: PageState) -> list[str]:
    ctx, index = state.ctx, state.ctx.index
    kinds = Counter(i.kind for v in ctx.inconsistencies.values() for i in v)
    apparent, internal = kinds.pop(DisagreementKind.APPARENT, 0), kinds.pop(DisagreementKind.INTERNAL, 0)
    disputes = f"{sum(kinds.values())} (and {apparent} apparent, {internal} possible errors in a source)"
    verified = sum(v.status is QuoteStatus.VERIFIED for v in ctx.verifications.values())
    out = ["## Topics", ""]
    for topic in index.topics:
        out.append(f"- {state.link_note(topic.id)}{': ' + md_text(topic.summary) if topic.summary else ''}")
    out += [
        "",
        "## In numbers",
        "",
        "| | |",
        "|---|---:|",
        f"| Notes | {len(index.notes)} |",
        f"| Sources | {len(index.sources)} |",
        f"| Facts | {len(index.facts)} |",
        f"| Claims | {len(index.claims)} |",
        f"| Claims whose quotation was checked against the source | {verified} |",
        f"| [Disagreements]({state.link('inconsistencies.md')}) | {disputes} |",
        "",
    ]
    return out


def _topic_matrix(topic: Note, state: PageState) -> list[str]:
    """Who says what on the topic's contested facts, before its text."""
    facts = contested((f for f in state.ctx.index.facts.values() if topic.id in f.topics), state)
    if not facts:
        return []
    caption = f"Where the sources disagree on {topic.title[:1].lower()}{topic.title[1:]}."
    return ["## Who says what", "", *matrix(facts, state, caption)]


def _topic_sections(topic: Note, state: PageState) -> list[str]:
    ctx = state.ctx
    facts = [f for f in ctx.index.facts.values() if topic.id in f.topics]
    out: list[str] = []
    rest = topic_callouts(topic, ctx.index, ctx.inconsistencies)  # those the text does not embed
    if rest:
        out += ["## Other disagreements", ""]
        out += callouts(rest, state)
    out += _charts(facts, state)
    claims = [c for f in facts for c in ctx.claims_by_fact.get(f.id, [])]
    if claims:
        table = indent(claims_table(claims, state, anchors=True))
        out += [
            "## Claims",
            "",
            f'??? quote "Every claim the sources make on {title_text(topic.title.lower())}, by fact ({len(claims)})"',
            "",
            table,
        ]
    tagged = _tagged(topic, ctx)
    if tagged:
        out += ["## Notes on this topic", ""]
        out += [f"- {state.link_note(n.id)}{': ' + md_text(n.summary) if n.summary else ''}" for n in tagged]
        out.append("")
    return out


def _charts(facts: list[Fact], state: PageState) -> list[str]:
    ctx = state.ctx
    series: dict[str, list] = defaultdict(list)
    for fact in facts:
        if fact.series and fact.kind is FactKind.NUMBER:
            series[fact.series].append(fact)
    out: list[str] = []
    for _, members in sorted(series.items()):
        claims = [c for f in members for c in ctx.claims_by_fact.get(f.id, [])]
        if len(members) < 2 or len({c.source for c in claims}) < 2:
            continue
        title = members[0].label
        labels = {c.source: ctx.label(c.source) for c in claims}
        svg = charts.series_chart(title, members, claims, ctx.values, labels)
        out += [
            "## Chart: " + md_text(title),
            "",
            f'<div class="research-chart">{svg}</div>',
            "",
            '??? info "The chart as a table"',
            "",
        ]
        out += ["    | When | Source | Value | Where |", "    |---|---|---|---|"]
        for fact in sorted(members, key=lambda f: f.time):
            for c in ctx.claims_by_fact.get(fact.id, []):
                state.use(c)
                out.append(
                    f"    | {md_text(fact.time)} | {md_text(ctx.label(c.source))} "
                    f"| {md_text(c.value)} | {md_text(c.locator)} |"
                )
        out.append("")
    return out


def _tagged(topic: Note, ctx: Context) -> list[Note]:
    """The notes on a topic (those that name it in `topics`)."""
    return [n for n in ctx.index.notes.values() if topic.id in n.topics and n.id != topic.id]


def _linked_from(note_id: str, state: PageState, listed: set[str]) -> list[str]:
    """The notes linking to this one, but for those the page lists already (a topic's own notes)."""
    links = [n for n in state.ctx.index.backlinks.get(note_id, []) if n not in listed]
    if not links:
        return []
    return ["## Linked from", "", *(f"- {state.link_note(n)}" for n in links), ""]


def source_page_md(key: str, ctx: Context) -> Draft:
    """A source's page: its reference, link, abstract, citing notes and disagreements."""
    state = PageState(source_page(key), ctx)
    ref = ctx.refs[key]
    source = ctx.index.sources[key]
    state.inputs.add(source.location.path)
    title = ref.csl.get("title") or key
    parts = [
        f"# {page_title(title)}",
        "",
        f'<div class="research-reference">{ref.html}{metadata.coins(ref.csl)}</div>',
        "",
    ]
    if ref.url:
        parts += [f"**Link:** <{ref.url}>", ""]
    parts += [f"**Citekey:** {md_code(key)} · defined in {md_code(str(source.location))}", ""]
    if ref.csl.get("abstract"):
        parts += ["## Abstract", "", md_text(ref.csl["abstract"]), ""]
    citing = ctx.index.cited_by.get(key, [])
    if citing:
        parts += ["## Cited by", "", *(f"- {state.link_note(n)}" for n in citing), ""]
    claims = ctx.claims_by_source.get(key, [])
    if claims:
        parts += [
            "## Claims by this source",
            "",
            _checked(key, claims, ctx),
            "",
            claims_table(claims, state, anchors=False),
        ]
    issues = ctx.inconsistencies_by_source.get(key, [])
    if issues:
        parts += ["## Disagreements it takes part in", ""]
        for issue in issues:
            where = ctx.placements.get(issue.anchor) or ["inconsistencies.md"]
            parts.append(
                f"- [{md_text(issue.fact.title)}]({state.link(where[0], issue.anchor)}): {md_text(issue.summary)}"
            )
        parts.append("")
    return Draft(state, title, parts)


def _checked(key: str, claims: list, ctx: Context) -> str:
    """How many of the source's quotations were found in its archived text."""
    quoted = [c for c in claims if c.quote]
    found = sum(ctx.verifications[c.id].status is QuoteStatus.VERIFIED for c in quoted if c.id in ctx.verifications)
    if key not in ctx.texts:
        return (
            f"{len(quoted)} of {len(claims)} claims carry a quotation; none is checked, as no copy of this "
            "source's text is archived."
        )
    return (
        f"{found} of {len(claims)} claims carry a quotation found, at the paragraph named, in the archived copy "
        "of the text (kept for checking only, and not published)."
    )


def bibliography_page(ctx: Context) -> Draft:
    """Every source, formatted, in reference-list order, with COinS for reference managers."""
    state = PageState("bibliography.md", ctx)
    parts = ["# Bibliography", "", f"{len(ctx.refs)} sources, formatted in the `{ctx.settings.csl_style}` style.", ""]
    for key in ctx.in_reference_order(list(ctx.refs)):
        ref = ctx.refs[key]
        state.inputs.add(ctx.index.sources[key].location.path)
        parts.append(
            f'- <span class="research-reference">{md_html(ref.html)}</span>{metadata.coins(ref.csl)} '
            f"[Source page]({state.link(source_page(key))})"
        )
    return Draft(state, "Bibliography", [*parts, ""])


def inconsistencies_page(ctx: Context) -> Draft:
    """Every disagreement, by topic and kind, each linking to where it appears."""
    state = PageState("inconsistencies.md", ctx)
    groups: dict[str, dict[str, list[Inconsistency]]] = defaultdict(lambda: defaultdict(list))
    topic_titles = {t.id: t.title for t in ctx.index.topics}
    for issues in ctx.inconsistencies.values():
        for issue in issues:
            topics = [t for t in topic_titles if t in issue.fact.topics] or [TOPICLESS]
            groups[topics[0]][issue.kind].append(issue)
    total = sum(len(v) for v in ctx.inconsistencies.values())
    parts = [
        "# Inconsistencies",
        "",
        f"Where the sources disagree: {total} disagreements found by the build, "
        "by topic and kind. Each links to the pages where it appears.",
        "",
    ]
    kinds = list(KIND_TITLES)
    titles = {ctx.index.page(n.id): md_text(n.title) for n in ctx.index.notes.values()}
    parts += ["| Topic | " + " | ".join(k.capitalize() for k in kinds) + " |", "|---|" + "---:|" * len(kinds)]
    order = [t for t in topic_titles if t in groups] + ([TOPICLESS] if TOPICLESS in groups else [])
    for topic in order:
        name = topic_titles.get(topic, TOPICLESS)
        parts.append(f"| {md_text(name)} | " + " | ".join(str(len(groups[topic][k])) for k in kinds) + " |")
    parts.append("")
    for topic in order:
        parts += [f"## {md_text(topic_titles.get(topic, TOPICLESS))}", ""]
        for kind in kinds:
            if not groups[topic][kind]:
                continue
            parts += [f"### {KIND_TITLES[kind]}", ""]
            for issue in groups[topic][kind]:
                where = sorted(set(ctx.placements.get(issue.anchor, [])))
                shown = ", ".join(f"[{titles[p]}]({state.link(p, issue.anchor)})" for p in where if p in titles)
                partner = companion(issue, ctx.inconsistencies)
                if partner is not None and issue.kind is DisagreementKind.INTERNAL:  # shown once, with its partner
                    parts += [
                        f"- [{md_text(issue.fact.title)}]({state.link(state.page, partner.anchor)}): "
                        f"{md_text(issue.summary)} (shown with the disagreement on this fact)",
                        "",
                    ]
                    continue
                parts.append(callout(issue, state, partner))
                if shown:
                    parts += [f"Appears on: {shown}", ""]
    return Draft(state, "Inconsistencies", parts)


def notes_index_page(ctx: Context) -> Draft:
    """All notes, by title."""
    state = PageState("notes/index.md", ctx)
    parts = ["# All notes", ""]
    for note in sorted(ctx.index.notes.values(), key=lambda n: n.title.casefold()):
        if note.kind is NoteKind.NOTE:
            parts.append(f"- {state.link_note(note.id)}{': ' + md_text(note.summary) if note.summary else ''}")
    return Draft(state, "All notes", [*parts, ""])


FOOTNOTES_HEADING = "## Footnotes"
"""The heading of a page's footnote list (in its table of contents), above "Cite this page"."""
FOOTNOTES_HERE = "///Footnotes Go Here///"
"""Python-Markdown's footnotes extension puts the footnote list where this line is (`PLACE_MARKER`)."""


def assemble(drafts: list[Draft], ctx: Context) -> list[Page]:
    """Finish the drafts: front matter (citation metadata, breadcrumb), footnotes, "Cite this page"."""
    citations = [citepage.page_citation(d.state, d.title) for d in drafts]
    refs = citepage.format_citations(citations, ctx)
    pages = []
    for draft, citation in zip(drafts, citations, strict=True):
        body = "\n".join([*draft.parts, *draft.state.references()]).rstrip()
        block = citepage.cite_block(citation, refs[citation.item["id"]], ctx.formatter.cache)
        front = citepage.front_matter(
            citation, draft.title, draft.state, draft.searchable, trail.trail(draft.state.page, ctx)
        )
        footnotes = draft.state.footnotes()
        notes = f"{FOOTNOTES_HEADING}\n\n{FOOTNOTES_HERE}\n\n" if footnotes else ""  # before "Cite this page"
        text = f"{front}{body}\n\n{notes}{block}\n"
        if footnotes:
            text += "\n" + footnotes + "\n"
        pages.append(Page(path=draft.state.page, title=draft.title, markdown=text))
    return pages
