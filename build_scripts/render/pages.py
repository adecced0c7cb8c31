"""The site's pages, as Markdown: home, topics, notes, sources, bibliography, disagreements.

Each page is first drafted: its content, with a
[`PageState`][build_scripts.render.context.PageState] recording what it cites
and draws on. [`assemble`][build_scripts.render.pages.assemble] then formats
every page's own citation in one run and adds front matter, "Cite this page"
and the footnotes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .. import metadata
from ..link import source_page
from ..model import Claim, DisagreementKind, Inconsistency, Note, NoteKind, Page
from ..verify import QuoteStatus, paragraphs_named
from . import citepage, sourceinfo, trail
from .body import render_body
from .charts_md import trailing_charts
from .context import Context, PageState, attr, md_html, md_text, page_title, short_title
from .describe import summary
from .facts import KIND_TITLES, callouts, claims_table, companion
from .linking import link_urls
from .matrix import contested, matrix
from .placement import INCONSISTENCIES_PAGE, topic_callouts, topic_elsewhere

TOPICLESS = "General"


@dataclass(slots=True)
class Draft:
    """A page before assembly: its state, title, Markdown parts, and whether search indexes it."""

    state: PageState
    title: str
    parts: list[str]
    searchable: bool = True


def note_page(note: Note, ctx: Context) -> Draft:
    """A note's own page (also used for topic pages and the home page).

    The note's opening comes first: on the home page and on a topic page it is
    the answer (a bottom line, key findings), and the who-says-what matrix
    follows it, before the note's first heading.
    """
    state = PageState(ctx.index.page(note.id), ctx)
    parts = [f"# {page_title(note.title)}", ""]
    if note.kind is NoteKind.NOTE:
        parts += [_byline(note, state), ""]
    glance = _questions_matrix(note, state) + (_topic_matrix(note, state) if note.kind is NoteKind.TOPIC else [])
    parts += [render_body(note, state, glance).strip(), ""]
    if note.kind is NoteKind.HOME:
        parts += _home_sections(state)
    if note.kind is NoteKind.TOPIC:
        parts += _topic_sections(note, state)
    if note.claims:
        claims = ctx.claims_by_note.get(note.id, [])
        parts += ["## Claims recorded in this note", "", claims_table(claims, state, anchors=True)]
    if note.kind is not NoteKind.TOPIC:  # a topic page says it with its notes
        parts += _linked_from(note.id, state)
    return Draft(state, note.title, parts)


def _questions_matrix(note: Note, state: PageState) -> list[str]:
    """Who says what on the note's headline questions (`questions:`)."""
    facts = [state.ctx.index.facts[f] for f in note.questions if f in state.ctx.index.facts]
    lines = matrix(facts, state, "The headline questions.") if facts else []
    return ["## At a glance: who says what", "", *lines] if lines else []


def _byline(note: Note, state: PageState) -> str:
    sources = ", ".join(state.link_source(k) for k in note.sources if k in state.ctx.refs)
    topics = ", ".join(state.link_note(t) for t in note.topics if t in state.ctx.index.notes)
    bits = [f"**Sources:** {sources}" if sources else "", f"**Topics:** {topics}" if topics else ""]
    return " · ".join(b for b in bits if b) or f"*{md_text(note.summary)}*"


def _home_sections(state: PageState) -> list[str]:
    ctx, index = state.ctx, state.ctx.index
    verified = sum(v.status is QuoteStatus.VERIFIED for v in ctx.verifications.values())
    analysed = len(ctx.claims_by_source)
    outside = len(index.sources) > analysed
    out = ["## Topics", ""]
    for topic in index.topics:
        out.append(f"- {state.link_note(topic.id)}{': ' + md_text(topic.summary) if topic.summary else ''}")
    out += [
        "",
        "## In numbers",
        "",
        "| What | How many |",
        "|---|---:|",
        f"| Notes | {len(index.notes)} |",
        f"| Sources analysed (their claims quoted and checked) | {analysed} |",
        *([f"| Outside references our readings cite | {len(index.sources) - analysed} |"] if outside else []),
        f"| Facts | {len(index.facts)} |",
        f"| Claims | {len(index.claims)} |",
        f"| Claims whose quotation was checked against the source | {verified} |",
        f"| [Disagreements]({state.link(INCONSISTENCIES_PAGE)}) | {md_text(disagreement_counts(ctx))} |",
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
    out: list[str] = []
    rest = topic_callouts(topic, ctx.index, ctx.inconsistencies)  # those no note's text embeds
    elsewhere = [
        issue
        for issue in topic_elsewhere(topic, ctx.index, ctx.inconsistencies)
        if issue.kind is not DisagreementKind.INTERNAL or companion(issue, ctx.inconsistencies) is None
    ]
    if rest or elsewhere:
        out += ["## Other disagreements", ""]
        out += callouts(rest, state)
    if elsewhere:
        lines = [_elsewhere_line(issue, state) for issue in elsewhere]
        out += [
            '<div class="research-links" markdown="block">',
            "",
            "Set out in full in the notes:",
            "",
            *lines,
            "",
            "</div>",
            "",
        ]
    out += trailing_charts(topic, state)
    tagged = _tagged(topic, ctx)
    others = [n for n in ctx.index.backlinks.get(topic.id, []) if n not in {t.id for t in tagged}]
    if tagged or others:
        out += ["## Notes on this topic", ""]
        out += [_links(state.link_note(n.id) for n in tagged), ""] if tagged else []
        out += [_links([state.link_note(n) for n in others], "Also linked from: "), ""] if others else []
    return out


def _elsewhere_line(issue: Inconsistency, state: PageState) -> str:
    """A disagreement set out on another page, in one line: what, who says what, and where to read it."""
    page = (state.ctx.placements.get(issue.anchor) or (INCONSISTENCIES_PAGE,))[0]
    return (
        f"- [{md_text(issue.fact.title)}]({state.link(page, issue.anchor)}) "
        f"({KIND_TITLES[issue.kind].lower()}): {md_text(summary(issue, state))}"
    )


def _tagged(topic: Note, ctx: Context) -> list[Note]:
    """The notes on a topic (those that name it in `topics`)."""
    return [n for n in ctx.index.notes.values() if topic.id in n.topics and n.id != topic.id]


def _linked_from(note_id: str, state: PageState) -> list[str]:
    """The notes linking to this one."""
    links = state.ctx.index.backlinks.get(note_id, [])
    if not links:
        return []
    return ["## Linked from", "", _links(state.link_note(n) for n in links), ""]


def _links(links: Iterable[str], lead: str = "") -> str:
    """Links to move on by, in one compact paragraph."""
    return f'<p class="research-links" markdown="span">{lead}{" · ".join(links)}</p>'


def source_page_md(key: str, ctx: Context) -> Draft:
    """A source's page: its reference, how it was established, abstract, citing notes, claims, disagreements."""
    state = PageState(source_page(key), ctx)
    ref = ctx.refs[key]
    source = ctx.index.sources[key]
    state.inputs.add(source.location.path)
    title = ref.csl.get("title") or key
    parts = [
        f"# {page_title(title)}",
        "",
        f'<div class="research-reference">{link_urls(ref.html)}{metadata.coins(ref.csl)}</div>',
        "",
    ]
    if ref.url:
        parts += [f"**Link:** <{ref.url}>", ""]
    parts += [*sourceinfo.about(key, ctx), *sourceinfo.for_authors(key, ctx)]
    if ref.csl.get("abstract"):
        parts += ["## Abstract", "", md_text(ref.csl["abstract"]), ""]
    citing = ctx.index.cited_by.get(key, [])
    if citing:
        parts += ["## Cited by", "", *(f"- {state.link_note(n)}" for n in citing), ""]
    claims = sorted(ctx.claims_by_source.get(key, []), key=_in_text_order)
    if claims:
        parts += [
            "## Claims by this source",
            "",
            _checked(key, claims, ctx),
            "",
            claims_table(claims, state, anchors=False),
        ]
    parts += sourceinfo.passages(key, state)
    issues = ctx.inconsistencies_by_source.get(key, [])
    if issues:
        parts += ["## Disagreements it takes part in", ""]
        for issue in issues:
            where = ctx.placements.get(issue.anchor) or [INCONSISTENCIES_PAGE]
            parts.append(
                f"- [{md_text(issue.fact.title)}]({state.link(where[0], issue.anchor)}) "
                f"({KIND_TITLES[issue.kind].lower()}): {md_text(summary(issue, state))}"
            )
        parts.append("")
    return Draft(state, title, parts)


def _in_text_order(claim: Claim) -> tuple[int, str]:
    """A source's claims in the order of its text: by the first paragraph the locator names, then by id."""
    named = paragraphs_named(claim.locator)
    return (min(named) if named else 1 << 30, claim.id)


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
    parts = [
        "# Bibliography",
        "",
        f"{len(ctx.refs)} sources, formatted in the {md_text(ctx.formatter.title)} style.",
        "",
    ]
    for key in ctx.in_reference_order(list(ctx.refs)):
        ref = ctx.refs[key]
        state.inputs.add(ctx.index.sources[key].location.path)
        parts.append(
            f'- <span class="research-reference">{md_html(link_urls(ref.html))}</span>{metadata.coins(ref.csl)} '
            f"[Source page]({state.link(source_page(key))})"
        )
    return Draft(state, "Bibliography", [*parts, ""])


KIND_NAMES = {
    DisagreementKind.NUMERIC: "Figures",
    DisagreementKind.DATE: "Dates",
    DisagreementKind.CATEGORICAL: "Questions of fact",
    DisagreementKind.ASSESSMENT: "Assessments",
    DisagreementKind.APPARENT: "Apparent (wording only)",
    DisagreementKind.INTERNAL: "Possible error in a source",
}
"""What each kind of disagreement is called in the index of all disagreements, and in its filter."""


def disagreement_counts(ctx: Context) -> str:
    """How many disagreements there are, by kind, in words: the home page and the index say the same."""
    kinds = Counter(i.kind for found in ctx.inconsistencies.values() for i in found)
    total = sum(kinds.values())
    apparent, internal = kinds.pop(DisagreementKind.APPARENT, 0), kinds.pop(DisagreementKind.INTERNAL, 0)
    return (
        f"{total} in all: {sum(kinds.values())} between sources, {apparent} apparent (in wording only), "
        f"{internal} possible errors in a source"
    )


def inconsistencies_page(ctx: Context) -> Draft:
    """Every disagreement in one line (what, who says what, kind, topic), filterable, linking to its callout.

    A disagreement is set out in full where it is placed (a topic or note
    page); one that no other page shows is set out here, below the index.
    """
    state = PageState(INCONSISTENCIES_PAGE, ctx)
    topics = {t.id: short_title(t.title) for t in ctx.index.topics}
    issues = [i for found in ctx.inconsistencies.values() for i in found]
    issues.sort(key=lambda i: (_topic_of(i, topics) or "~", list(KIND_NAMES).index(i.kind), i.fact.title.casefold()))
    here = [i for i in issues if _placed(i, ctx) == INCONSISTENCIES_PAGE and not _shown_with_partner(i, ctx)]
    parts = [
        "# Inconsistencies",
        "",
        f"Where the sources disagree, {md_text(disagreement_counts(ctx))}. Each line says what is disputed and "
        "who says what, and links to where the disagreement is set out in full, with the sources' own words "
        "and our reading.",
        "",
        *_filters(issues, topics),
        '<div class="research-index" role="region" aria-labelledby="research-index-caption" tabindex="0" '
        'markdown="block">',
        '<table class="research-index-table" markdown="block">',
        '<caption id="research-index-caption">Every disagreement, by topic and kind</caption>',
        '<thead><tr><th scope="col">Disagreement</th><th scope="col">Who says what</th>'
        '<th scope="col">Kind</th><th scope="col">Topic</th></tr></thead>',
        '<tbody markdown="block">',
        *(_index_row(issue, topics, state, issue in here) for issue in issues),
        "</tbody>",
        "</table>",
        "</div>",
        "",
    ]
    if here:
        parts += ["## Set out on this page", "", "Disagreements that no topic or note page shows.", ""]
        parts += callouts(here, state)
    return Draft(state, "Inconsistencies", parts)


def _topic_of(issue: Inconsistency, topics: dict[str, str]) -> str:
    return next((t for t in topics if t in issue.fact.topics), "")


def _placed(issue: Inconsistency, ctx: Context) -> str:
    """The page where a disagreement is set out in full (for a possible error shown with its partner, the partner's)."""
    partner = companion(issue, ctx.inconsistencies)
    shown = partner if partner is not None and issue.kind is DisagreementKind.INTERNAL else issue
    return (ctx.placements.get(shown.anchor) or (INCONSISTENCIES_PAGE,))[0]


def _shown_with_partner(issue: Inconsistency, ctx: Context) -> bool:
    return issue.kind is DisagreementKind.INTERNAL and companion(issue, ctx.inconsistencies) is not None


def _filters(issues: list[Inconsistency], topics: dict[str, str]) -> list[str]:
    """The topic and kind filters (shown by `research.js`; without scripts the whole index shows)."""
    used_topics = list(dict.fromkeys(_topic_of(i, topics) or TOPICLESS for i in issues))
    used_kinds = [k for k in KIND_NAMES if any(i.kind is k for i in issues)]
    topic_options = "".join(
        f'<option value="{attr(t)}">{md_text(topics.get(t, TOPICLESS))}</option>' for t in used_topics
    )
    kind_options = "".join(f'<option value="{k}">{KIND_NAMES[k]}</option>' for k in used_kinds)
    return [
        '<div class="research-filter" role="group" aria-label="Filter the disagreements" hidden>',
        '<label>Topic <select data-filter="topic">'
        f'<option value="">All topics</option>{topic_options}</select></label>',
        f'<label>Kind <select data-filter="kind"><option value="">All kinds</option>{kind_options}</select></label>',
        f'<output aria-live="polite">Showing all {len(issues)}</output>',
        "</div>",
        "",
    ]


def _index_row(issue: Inconsistency, topics: dict[str, str], state: PageState, here: bool) -> str:
    """One disagreement: what (linked to where it is set out), who says what, kind, topic."""
    ctx = state.ctx
    for claim in issue.claims:
        state.use(claim)  # the page's date is its latest input's
    topic = _topic_of(issue, topics)
    page = _placed(issue, ctx)
    partner = companion(issue, ctx.inconsistencies)
    target = partner.anchor if _shown_with_partner(issue, ctx) and partner is not None else issue.anchor
    ident = "" if page == INCONSISTENCIES_PAGE else f' id="{issue.anchor}"'  # links to the index land on the line
    topic_page = ctx.index.page(topic) if topic else ""
    shown_elsewhere = not here and page not in (INCONSISTENCIES_PAGE, topic_page)
    where = f" (on {md_text(short_title(_page_title(page, ctx)))})" if shown_elsewhere else ""
    what = f"[{md_text(issue.fact.title)}]({state.link(page, target)}){where}"
    return (
        f'<tr{ident} data-topic="{attr(topic or TOPICLESS)}" data-kind="{issue.kind}" markdown="block">'
        f'<td markdown="span">{what}</td><td markdown="span">{md_text(summary(issue, state))}</td>'
        f"<td>{KIND_NAMES[issue.kind]}</td><td>{md_text(topics.get(topic, TOPICLESS))}</td></tr>"
    )


def _page_title(page: str, ctx: Context) -> str:
    return next((n.title for n in ctx.index.notes.values() if ctx.index.page(n.id) == page), page)


def notes_index_page(ctx: Context) -> Draft:
    """All notes, by title."""
    state = PageState("notes/index.md", ctx)
    parts = ["# All notes", ""]
    for note in sorted(ctx.index.notes.values(), key=lambda n: n.title.casefold()):
        if note.kind is NoteKind.NOTE:
            parts.append(f"- {state.link_note(note.id)}{': ' + md_text(note.summary) if note.summary else ''}")
    return Draft(state, "All notes", [*parts, ""])


def assemble(drafts: list[Draft], ctx: Context) -> list[Page]:
    """Finish the drafts: front matter (citation metadata, breadcrumb), footnotes, "Cite this page"."""
    citations = [citepage.page_citation(d.state, d.title) for d in drafts]
    refs = citepage.format_citations(citations, ctx)
    pages = []
    for draft, citation in zip(drafts, citations, strict=True):
        body = "\n".join([*draft.parts, *draft.state.notes_section(), *draft.state.references()]).rstrip()
        block = citepage.cite_block(citation, refs[citation.item["id"]], ctx.formatter.cache)
        front = citepage.front_matter(
            citation, draft.title, draft.state, draft.searchable, trail.trail(draft.state.page, ctx)
        )
        text = f"{front}{body}\n\n{block}\n"
        footnotes = draft.state.footnotes()
        if footnotes:
            text += "\n" + footnotes + "\n"
        pages.append(Page(path=draft.state.page, title=draft.title, markdown=text))
    return pages
