"""The site's pages, as Markdown: home, topics, notes, sources, bibliography, disagreements."""

from __future__ import annotations

from collections import defaultdict

from .. import charts
from ..link import source_page
from ..model import Inconsistency, Note, Page
from .body import render_body
from .context import Context, Footnotes, attr, md_text, rel
from .facts import KIND_TITLES, callout, claims_table

TOPICLESS = "General"


def note_page(note: Note, ctx: Context) -> Page:
    """A note's own page (also used for topic pages and the home page)."""
    page = ctx.index.page(note.id)
    notes = Footnotes(page, ctx)
    placed: set[str] = set()
    parts = [f"# {md_text(note.title)}", ""]
    if note.kind == "note":
        parts += [_byline(note, page, ctx), ""]
    parts += [render_body(note, page, ctx, notes, placed).strip(), ""]
    if note.kind == "home":
        parts += _home_sections(page, ctx)
    if note.kind == "topic":
        parts += _topic_sections(note, page, ctx, notes, placed)
    elif note.claims:
        claims = [c for c in ctx.index.claims if c.note == note.id]
        parts += ["## Claims recorded in this note", "", claims_table(claims, page, ctx, notes, anchors=True)]
    parts += _linked_from(note.id, page, ctx)
    return _page(page, note.title, parts, notes)


def _byline(note: Note, page: str, ctx: Context) -> str:
    sources = ", ".join(f"[{md_text(ctx.label(k))}]({rel(page, source_page(k))})"
                        for k in note.sources if k in ctx.refs)
    topics = ", ".join(f"[{md_text(ctx.index.notes[t].title)}]({rel(page, ctx.index.page(t))})"
                       for t in note.topics if t in ctx.index.notes)
    bits = [f"**Sources:** {sources}" if sources else "", f"**Topics:** {topics}" if topics else ""]
    return " · ".join(b for b in bits if b) or f"*{md_text(note.summary)}*"


def _home_sections(page: str, ctx: Context) -> list[str]:
    index = ctx.index
    disputes = sum(len(v) for v in ctx.inconsistencies.values())
    out = ["## Topics", ""]
    for topic in index.topics:
        out.append(f"- [{md_text(topic.title)}]({rel(page, index.page(topic.id))})"
                   f"{': ' + md_text(topic.summary) if topic.summary else ''}")
    out += ["", "## At a glance", "", "| | |", "|---|---:|",
            f"| Notes | {len(index.notes)} |", f"| Sources | {len(index.sources)} |",
            f"| Facts | {len(index.facts)} |", f"| Claims | {len(index.claims)} |",
            f"| [Disagreements]({rel(page, 'inconsistencies.md')}) | {disputes} |", ""]
    return out


def _topic_sections(topic: Note, page: str, ctx: Context, notes: Footnotes, placed: set[str]) -> list[str]:
    facts = [f for f in ctx.index.facts.values() if topic.id in f.topics]
    out: list[str] = []
    rest = [i for f in facts for i in ctx.inconsistencies.get(f.id, []) if i.anchor not in placed]
    if rest:
        out += ["## Other disagreements", ""]
        for issue in rest:
            placed.add(issue.anchor)
            out.append(callout(issue, page, ctx, notes))
    out += _charts(facts, ctx)
    claims = [c for f in facts for c in ctx.claims_by_fact.get(f.id, [])]
    if claims:
        out += ["## Claims", "", f"Every claim the sources make on {md_text(topic.title.lower())}, by fact.", "",
                claims_table(claims, page, ctx, notes, anchors=True)]
    tagged = [n for n in ctx.index.notes.values() if topic.id in n.topics and n.id != topic.id]
    if tagged:
        out += ["## Notes on this topic", ""]
        out += [f"- [{md_text(n.title)}]({rel(page, ctx.index.page(n.id))})"
                f"{': ' + md_text(n.summary) if n.summary else ''}" for n in tagged]
        out.append("")
    return out


def _charts(facts, ctx: Context) -> list[str]:
    series: dict[str, list] = defaultdict(list)
    for fact in facts:
        if fact.series and fact.kind == "number":
            series[fact.series].append(fact)
    out: list[str] = []
    for name, members in sorted(series.items()):
        claims = [c for f in members for c in ctx.claims_by_fact.get(f.id, [])]
        if len(members) < 2 or len({c.source for c in claims}) < 2:
            continue
        title = members[0].label
        labels = {c.source: ctx.label(c.source) for c in claims}
        svg = charts.series_chart(title, members, claims, ctx.values, labels)
        out += ["## Chart: " + md_text(title), "", f'<div class="research-chart">{svg}</div>', "",
                '??? info "The chart as a table"', ""]
        out += ["    | When | Source | Value | Where |", "    |---|---|---|---|"]
        for fact in sorted(members, key=lambda f: f.time):
            for c in ctx.claims_by_fact.get(fact.id, []):
                out.append(f"    | {md_text(fact.time)} | {md_text(ctx.label(c.source))} "
                           f"| {md_text(c.value)} | {md_text(c.locator)} |")
        out.append("")
    return out


def _linked_from(note_id: str, page: str, ctx: Context) -> list[str]:
    links = ctx.index.backlinks.get(note_id, [])
    if not links:
        return []
    out = ["## Linked from", ""]
    out += [f"- [{md_text(ctx.index.notes[n].title)}]({rel(page, ctx.index.page(n))})" for n in links]
    return out + [""]


def source_page_md(key: str, ctx: Context) -> Page:
    """A source's page: its reference, link, abstract, citing notes and disagreements."""
    page = source_page(key)
    ref = ctx.refs[key]
    source = ctx.index.sources[key]
    notes = Footnotes(page, ctx)
    title = ref.csl.get("title") or key
    parts = [f"# {md_text(title)}", "", f'<div class="research-reference">{ref.html}</div>', ""]
    if ref.url:
        parts += [f"**Link:** <{ref.url}>", ""]
    parts += [f"**Citekey:** `{key}` · defined in `{source.location}`", ""]
    if ref.csl.get("abstract"):
        parts += ["## Abstract", "", md_text(ref.csl["abstract"]), ""]
    citing = ctx.index.cited_by.get(key, [])
    if citing:
        parts += ["## Cited by", ""]
        parts += [f"- [{md_text(ctx.index.notes[n].title)}]({rel(page, ctx.index.page(n))})" for n in citing]
        parts.append("")
    claims = [c for c in ctx.index.claims if c.source == key]
    if claims:
        parts += ["## Claims by this source", "", claims_table(claims, page, ctx, notes, anchors=False)]
    issues = [i for v in ctx.inconsistencies.values() for i in v if any(c.source == key for c in i.claims)]
    if issues:
        parts += ["## Disagreements it takes part in", ""]
        for issue in issues:
            where = ctx.placements.get(issue.anchor) or ["inconsistencies.md"]
            parts.append(f"- [{md_text(issue.fact.title)}]({rel(page, where[0], issue.anchor)}): "
                         f"{md_text(issue.summary)}")
        parts.append("")
    return _page(page, title, parts, notes)


def bibliography_page(ctx: Context) -> Page:
    """Every source, formatted, in reference-list order."""
    page = "bibliography.md"
    parts = ["# Bibliography", "", f"{len(ctx.refs)} sources, formatted in the `{ctx.settings.csl_style}` style.", ""]
    for key, ref in sorted(ctx.refs.items(), key=lambda kv: (kv[1].text.casefold(), kv[0])):
        parts.append(f'- <span class="research-reference" id="ref-{attr(key)}">{ref.html}</span> '
                     f"[Source page]({rel(page, source_page(key))})")
    return _page(page, "Bibliography", parts + [""], None)


def inconsistencies_page(ctx: Context) -> Page:
    """Every disagreement, by topic and kind, each linking to where it appears."""
    page = "inconsistencies.md"
    notes = Footnotes(page, ctx)
    groups: dict[str, dict[str, list[Inconsistency]]] = defaultdict(lambda: defaultdict(list))
    topic_titles = {t.id: t.title for t in ctx.index.topics}
    for issues in ctx.inconsistencies.values():
        for issue in issues:
            topics = [t for t in topic_titles if t in issue.fact.topics] or [TOPICLESS]
            groups[topics[0]][issue.kind].append(issue)
    total = sum(len(v) for v in ctx.inconsistencies.values())
    parts = ["# Inconsistencies", "",
             f"Where the sources disagree: {total} disagreements found by the build, "
             "by topic and kind. Each links to the pages where it appears.", ""]
    kinds = list(KIND_TITLES)
    titles = {ctx.index.page(n.id): md_text(n.title) for n in ctx.index.notes.values()}
    parts += ["| Topic | " + " | ".join(k.capitalize() for k in kinds) + " |",
              "|---|" + "---:|" * len(kinds)]
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
                shown = ", ".join(f"[{titles[p]}]({rel(page, p, issue.anchor)})" for p in where if p != page)
                parts.append(callout(issue, page, ctx, notes))
                if shown:
                    parts += [f"Appears on: {shown}", ""]
    return _page(page, "Inconsistencies", parts, notes)


def notes_index_page(ctx: Context) -> Page:
    """All notes, grouped by the first source they draw on."""
    page = "notes/index.md"
    parts = ["# All notes", ""]
    for note in sorted(ctx.index.notes.values(), key=lambda n: n.title.casefold()):
        if note.kind == "note":
            parts.append(f"- [{md_text(note.title)}]({rel(page, ctx.index.page(note.id))})"
                         f"{': ' + md_text(note.summary) if note.summary else ''}")
    return _page(page, "All notes", parts + [""], None)


def _page(path: str, title: str, parts: list[str], notes: Footnotes | None) -> Page:
    text = "\n".join(parts).rstrip() + "\n"
    if notes is not None:
        footnotes = notes.markdown()
        if footnotes:
            text += "\n" + footnotes + "\n"
    return Page(path=path, title=title, markdown=text)
