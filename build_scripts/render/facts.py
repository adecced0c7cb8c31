"""Facts on a page: inline values, inconsistency callouts, claims tables.

Callouts are Python-Markdown admonitions of their own type, `disagreement`,
styled in `build_scripts/assets/research.css`; each carries a stable anchor
([`Inconsistency.anchor`][build_scripts.disagreement.Inconsistency.anchor]), and each
claim row carries the claim's own anchor and a link that copies its permalink
and citation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from build_scripts.check.reconcile import KINDS, claim_key
from build_scripts.model import Claim, DisagreementKind, Fact, Inconsistency, callout_anchor
from build_scripts.page_paths import INCONSISTENCIES_PAGE
from build_scripts.render.describe import reading, said, summary
from build_scripts.render.page_state import SEPARATOR, PageState
from build_scripts.render.text import attr, indent, md_text, title_text

KIND_TITLES = {
    DisagreementKind.NUMERIC: "Figures disagree",
    DisagreementKind.DATE: "Dates disagree",
    DisagreementKind.CATEGORICAL: "Sources disagree",
    DisagreementKind.ASSESSMENT: "Assessments disagree",
    DisagreementKind.APPARENT: "Apparent disagreement",
    DisagreementKind.INTERNAL: "Possible error in a source",
}


def inline_value(fact: Fact, state: PageState) -> str:
    """The fact's value(s) for running text, each with its citation footnote.

    Where the sources disagree, the sentence names the sides and who takes
    each, in short ("Still rising (Korolev 2022¹, Ye 2022²) vs May have peaked
    (Baev 2021³)"), and links to the callout that sets out their own words.
    """
    claims = state.ctx.claims_by_fact.get(fact.id, [])
    if not claims:
        return f"*{md_text(fact.label)}*"
    for claim in claims:
        state.use(claim)
    issues = state.ctx.inconsistencies.get(fact.id, [])
    disputed = next((i for i in issues if i.kind is not DisagreementKind.INTERNAL), None)
    notes = []
    if disputed is None:
        cites = SEPARATOR.join(state.cite_claim(c) for c in claims)
        text = f"{md_text(claims[0].value)}{cites}"
    else:
        text = _sides_inline(disputed, claims, state)
        differ = _DIFFER[disputed.kind is DisagreementKind.APPARENT]
        notes.append(f"[{differ}]({state.link(state.page, disputed.anchor)})")
    internal = [i for i in issues if i.kind is DisagreementKind.INTERNAL]
    if internal:
        notes.append(f"[possible error]({state.link(state.page, internal[0].anchor)})")
    return f"{text} ({'; '.join(notes)})" if notes else text


_DIFFER = {True: "sources seem to differ", False: "sources disagree"}


def _sides_inline(issue: Inconsistency, claims: list[Claim], state: PageState) -> str:
    """Each side of a disagreement, with its sources by label and a footnote for each claim."""
    by_key = {claim_key(c): c for c in claims}
    parts = []
    for side in issue.sides:
        mine = [by_key[k] for k in side.claims if k in by_key]
        who = ", ".join(f"{md_text(state.ctx.label(c.source))}{state.cite_claim(c)}" for c in mine)
        parts.append(f"{md_text(said(issue.fact, side.value))} ({who})")
    return " vs ".join(parts)


def callouts(issues: Sequence[Inconsistency], state: PageState) -> list[str]:
    """The callouts of `issues` (all those of each fact shown), a suspected error shown once.

    Where a fact has both a disagreement between sources and a possible error
    in one of them, one callout shows both (see
    [`companion`][build_scripts.render.facts.companion]).
    """
    shown = []
    for issue in issues:
        partner = companion(issue, state.ctx.inconsistencies)
        if issue.kind is not DisagreementKind.INTERNAL:
            shown.append(callout(issue, state, partner))
        elif partner is None:
            shown.append(callout(issue, state))
    return shown


def companion(issue: Inconsistency, inconsistencies: Mapping[str, list[Inconsistency]]) -> Inconsistency | None:
    """The issue that shares `issue`'s callout: a possible error in a source and a disagreement on the same fact.

    For a disagreement between sources, the possible error on its fact, which
    its callout shows; for a possible error, the disagreement whose callout
    shows it. `None` when the fact has no such pair.
    """
    internal = issue.kind is DisagreementKind.INTERNAL
    others = inconsistencies.get(issue.fact.id, [])
    return next((i for i in others if (i.kind is DisagreementKind.INTERNAL) is not internal), None)


def callout(issue: Inconsistency, state: PageState, internal: Inconsistency | None = None) -> str:
    """An inconsistency callout: its headline, our reading, and each source's value and own words side by side.

    Our reading (the resolution, why the disagreement is only apparent, or
    why a value is suspect) is always in view. What the positions mean, where
    each source says it and the permalink are in a block that opens on demand;
    an apparent disagreement, which dissolves on reading, keeps its table there
    too. `internal`, a possible error on the same fact, is shown in this
    callout rather than in one of its own.
    """
    fact = issue.fact
    anchors = [f'<span class="anchor" id="{issue.anchor}"></span>']
    if issue.kind is DisagreementKind.APPARENT:  # it keeps the address it had as a real one, so links still work
        anchors.append(f'<span class="anchor" id="{callout_anchor(KINDS[fact.kind], fact.id)}"></span>')
    if internal is not None:
        anchors.append(f'<span class="anchor" id="{internal.anchor}"></span>')
    body = [f'<div class="research-anchors">{"".join(anchors)}</div>', ""]  # a block of its own: no empty line
    ours = reading(issue, state)
    if ours:
        body += [f'<p class="research-reading" markdown="span">**Our reading:** {ours}</p>', ""]
    table = _sides_list(issue, state)
    if issue.kind is not DisagreementKind.APPARENT:
        body += [*table, ""]
    if internal is not None:
        body += [f'<p class="research-suspect" markdown="span">⚠ {reading(internal, state)}</p>', ""]
    body += _details(issue, state, table if issue.kind is DisagreementKind.APPARENT else [])
    title = title_text(f"{KIND_TITLES[issue.kind]}: {fact.title}")
    return f'!!! disagreement "{title}"\n\n' + indent("\n".join(body)) + "\n"


def _sides_list(issue: Inconsistency, state: PageState) -> list[str]:
    """Each source's position (its label; a figure or date as the source gives it) and its own words.

    A list, one line per source, rather than a table: it reads as well and
    wraps far shorter on a phone.
    """
    fact = issue.fact
    rows = []
    for claim in issue.claims:
        state.use(claim)
        flag = ' <abbr title="suspected error in the source">⚠</abbr>' if claim.suspect else ""
        says = fact.label_of(claim.position) if claim.position and fact.positions else claim.value
        words = f" — {state.quotation(claim)}" if claim.quote else ""
        rows.append(f"- {state.link_source(claim.source)}: **{md_text(says)}**{flag}{words}")
    return ['<div class="research-sides" markdown="block">', "", *rows, "", "</div>"]


def _details(issue: Inconsistency, state: PageState, table: list[str]) -> list[str]:
    """The collapsed block of a callout: the sides (of an apparent one), the positions, where each source says it."""
    fact = issue.fact
    lines = [*table, ""] if table else []
    used = list(dict.fromkeys(c.position for c in issue.claims if c.position))
    glosses = [f"**{md_text(fact.label_of(p))}**: {md_text(fact.gloss(p))}" for p in used if fact.gloss(p)]
    if glosses:
        lines += ["*What the positions mean:* " + " · ".join(glosses), ""]
    lines += ["Where each source says it:", "", *(_where_line(c, state) for c in issue.claims), ""]
    citation = f"{KIND_TITLES[issue.kind]}: {fact.title}. {summary(issue, state)}"
    links = [_permalink(issue.anchor, citation, state, "Permalink")]
    if state.page != INCONSISTENCIES_PAGE:
        links.append(f"[All disagreements]({state.link(INCONSISTENCIES_PAGE, issue.anchor)})")
    lines.append(" · ".join(links))
    what = "Who says what, where" if table else "Where each source says it"
    title = f"{what}{', what the positions mean' if glosses else ''}, and a permalink"
    return [f'??? info "{title}"', "", indent("\n".join(lines)), ""]


def _where_line(claim: Claim, state: PageState) -> str:
    return f"- {md_text(state.ctx.label(claim.source))}: {state.where(claim.source, claim.locator, claim)}"


def claims_table(claims: list[Claim], state: PageState, *, anchors: bool) -> str:
    """A table of claims, one row each; rows carry the claims' anchors and permalinks if `anchors`.

    A row names its source, locator and quotation itself, so it needs no footnote.
    """
    ctx = state.ctx
    rows = ["| Fact | Source | Value | Where | In its words |", "|---|---|---|---|---|"]
    for claim in claims:
        state.use(claim)
        fact = ctx.index.facts[claim.fact]
        anchor = ""
        if anchors:
            citation = f"{ctx.label(claim.source)}, {claim.locator}: {fact.title}: {claim.value}"
            anchor = f'<span class="anchor" id="{claim.id}"></span>{_permalink(claim.id, citation, state)} '
        flags = "".join(
            f' [⚠]({state.link(ctx.placements.home(i.anchor), i.anchor)} "{attr(what)}"){{ aria-label="{attr(what)}" }}'
            for i in ctx.inconsistencies.get(fact.id, [])
            for what in [f"{KIND_TITLES[i.kind]}: {summary(i, state)}"]
        )
        rows.append(
            f"| {anchor}{md_text(fact.title)}{flags} "
            f"| {state.link_source(claim.source)} "
            f"| {md_text(claim.value)} | {state.where(claim.source, claim.locator, claim)} "
            f"| {state.quotation(claim)} |"
        )
    return "\n".join(rows) + "\n"


def _permalink(anchor: str, citation: str, state: PageState, text: str = "¶") -> str:
    """A link to `anchor` that also copies the permalink and a citation (see `research.js`).

    Its accessible name says what it does, whether it shows as "¶" or as "Permalink".
    """
    return (
        f"[{text}]({state.link(state.page, anchor)}){{ .research-permalink "
        f'title="Copy the link and citation" aria-label="Permalink: copy the link and citation" '
        f'data-cite="{attr(citation)}" }}'
    )
