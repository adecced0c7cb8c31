"""The Inconsistencies page: every disagreement in one line, filterable by topic and kind.

Each line says what is disputed, who says what, its kind and its topic, and
links to where the disagreement is set out in full (a topic or note page); a
disagreement that no other page shows is set out here, below the index. The
counts it gives are the home page's ([`disagreement_counts`][build_scripts.render.disagreements.disagreement_counts]).
"""

from __future__ import annotations

from collections import Counter

from build_scripts.model import DisagreementKind, Inconsistency
from build_scripts.page_paths import INCONSISTENCIES_PAGE
from build_scripts.render.context import Context
from build_scripts.render.describe import summary
from build_scripts.render.facts import callouts, companion
from build_scripts.render.page_state import Draft, PageState
from build_scripts.render.text import attr, md_text, short_title

__all__ = ["KIND_NAMES", "TOPICLESS", "disagreement_counts", "inconsistencies_page"]

TOPICLESS = "General"
"""The topic of a disagreement on a fact that belongs to no topic."""

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
    placed = ctx.placements
    here = [i for i in issues if placed.home(i.anchor) == INCONSISTENCIES_PAGE and not _shown_with_partner(i, ctx)]
    titles = {ctx.index.page(n.id): short_title(n.title) for n in ctx.index.notes.values()}
    homes = {placed.home(i.anchor) for i in issues}
    state.reads.update(f"outline:{n.id}" for n in ctx.index.notes.values() if ctx.index.page(n.id) in homes)
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
        *(_index_row(issue, topics, titles, state, issue in here) for issue in issues),
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


def _index_row(
    issue: Inconsistency, topics: dict[str, str], titles: dict[str, str], state: PageState, here: bool
) -> str:
    """One disagreement: what (linked to where it is set out), who says what, kind, topic."""
    ctx = state.ctx
    for claim in issue.claims:
        state.use(claim)  # the page's date is its latest input's
    topic = _topic_of(issue, topics)
    page = ctx.placements.home(issue.anchor)  # a possible error shown with its partner: the same pages
    partner = companion(issue, ctx.inconsistencies)
    target = partner.anchor if _shown_with_partner(issue, ctx) and partner is not None else issue.anchor
    ident = "" if page == INCONSISTENCIES_PAGE else f' id="{issue.anchor}"'  # links to the index land on the line
    topic_page = ctx.index.page(topic) if topic else ""
    shown_elsewhere = not here and page not in (INCONSISTENCIES_PAGE, topic_page)
    where = f" (on {md_text(titles.get(page, page))})" if shown_elsewhere else ""
    what = f"[{md_text(issue.fact.title)}]({state.link(page, target)}){where}"
    return (
        f'<tr{ident} data-topic="{attr(topic or TOPICLESS)}" data-kind="{issue.kind}" markdown="block">'
        f'<td markdown="span">{what}</td><td markdown="span">{md_text(summary(issue, state))}</td>'
        f"<td>{KIND_NAMES[issue.kind]}</td><td>{md_text(topics.get(topic, TOPICLESS))}</td></tr>"
    )
