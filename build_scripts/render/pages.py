"""The site's pages, as Markdown: home, topics, notes, sources, bibliography.

The index of disagreements is in [`disagreements`][build_scripts.render.disagreements].

Each page is first drafted: its content, with a
[`PageState`][build_scripts.render.page_state.PageState] recording what it cites
and draws on. [`assemble`][build_scripts.render.pages.assemble] then formats
every page's own citation in one run and adds front matter, "Cite this page"
and the footnotes.
"""

from __future__ import annotations

from collections.abc import Iterable

from build_scripts.check.verify import QuoteStatus, paragraphs_named
from build_scripts.citations import metadata
from build_scripts.citations.csl_values import text_of
from build_scripts.model import Claim, DisagreementKind, Inconsistency, Note, NoteKind, Page
from build_scripts.page_paths import BIBLIOGRAPHY_PAGE, INCONSISTENCIES_PAGE, NOTES_INDEX_PAGE, source_page
from build_scripts.render import citepage, sourceinfo, trail
from build_scripts.render.body import render_body
from build_scripts.render.charts_md import trailing_charts
from build_scripts.render.context import Context
from build_scripts.render.describe import summary
from build_scripts.render.disagreements import disagreement_counts
from build_scripts.render.facts import KIND_TITLES, callouts, claims_table, companion
from build_scripts.render.linking import link_urls
from build_scripts.render.matrix import contested, matrix
from build_scripts.render.page_state import Draft, PageState
from build_scripts.render.text import md_html, md_text, page_title


def note_page(note: Note, ctx: Context) -> Draft:
    """A note's own page (also used for topic pages and the home page).

    The note's opening comes first: on the home page and on a topic page it is
    the answer (a bottom line, key findings), and the who-says-what matrix
    follows it, before the note's first heading.
    """
    state = PageState(ctx.index.page(note.id), ctx)
    state.reads.add(f"note:{note.id}")
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
    state.reads.update(("sources", "notes"))  # how many sources and notes there are
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
    rest, named = ctx.placements.added.get(topic.id, ()), ctx.placements.named.get(topic.id, ())
    elsewhere = [  # a possible error shown with its disagreement is named with it
        issue
        for issue in named
        if issue.kind is not DisagreementKind.INTERNAL or companion(issue, ctx.inconsistencies) is None
    ]
    if rest or elsewhere:
        out += ["## Other disagreements", ""]
        out += callouts(rest, state)
    if elsewhere:
        lines = [_disagreement_line(issue, state) for issue in elsewhere]
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
    state.reads.add(f"tagged:{topic.id}")
    others = [n for n in ctx.index.backlinks.get(topic.id, []) if n not in {t.id for t in tagged}]
    if tagged or others:
        out += ["## Notes on this topic", ""]
        out += [_links(state.link_note(n.id) for n in tagged), ""] if tagged else []
        out += [_links([state.link_note(n) for n in others], "Also linked from: "), ""] if others else []
    return out


def _disagreement_line(issue: Inconsistency, state: PageState) -> str:
    """A disagreement set out on another page, in one line: what, its kind, who says what, linked to its callout."""
    return (
        f"- [{md_text(issue.fact.title)}]({state.link_callout(issue.anchor)}) "
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
    state.reads.add(f"source:{key}")
    ref = ctx.refs[key]
    source = ctx.index.sources[key]
    state.inputs.add(source.location.path)
    title = text_of(ref.csl, "title") or key
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
        parts += ["## Disagreements it takes part in", "", *(_disagreement_line(i, state) for i in issues), ""]
    return Draft(state, title, parts)


def _in_text_order(claim: Claim) -> tuple[int, str]:
    """A source's claims in the order of its text: by the first paragraph the locator names, then by id."""
    named = paragraphs_named(claim.locator)
    return (min(named) if named else 1 << 30, claim.id)


def _checked(key: str, claims: list[Claim], ctx: Context) -> str:
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
    state = PageState(BIBLIOGRAPHY_PAGE, ctx)
    state.reads.add("sources")
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


def notes_index_page(ctx: Context) -> Draft:
    """All notes, by title."""
    state = PageState(NOTES_INDEX_PAGE, ctx)
    state.reads.add("notes")
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
        block = citepage.cite_block(citation, refs[citation.item["id"]], ctx.formatter.cache)
        front = citepage.front_matter(
            citation, draft.title, draft.state, draft.searchable, trail.trail(draft.state.page, ctx)
        )
        footnotes = draft.state.footnotes()
        body = [*draft.parts, *draft.state.notes_section(), *draft.state.references()]
        while body and not body[-1].strip():
            body.pop()
        if body:
            body[-1] = body[-1].rstrip()
        lines = [front + (body[0] if body else ""), *body[1:]]
        lines[-1] += f"\n\n{block}\n" + (f"\n{footnotes}\n" if footnotes else "")
        pages.append(Page(path=draft.state.page, title=draft.title, lines=lines))  # never joined: 10 MB at N=5,000
    return pages
