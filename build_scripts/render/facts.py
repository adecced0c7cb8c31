"""Facts on a page: inline values, inconsistency callouts, claims tables.

Callouts are Python-Markdown admonitions of their own type, `disagreement`,
styled in `build_scripts/assets/research.css`; each carries a stable anchor
([`Inconsistency.anchor`][build_scripts.model.Inconsistency.anchor]), and each
claim row carries the claim's own anchor and a link that copies its permalink
and citation.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import Claim, DisagreementKind, Fact, Inconsistency
from ..reconcile import KINDS
from .context import SEPARATOR, PageState, attr, indent, md_text, title_text

KIND_TITLES = {
    DisagreementKind.NUMERIC: "Figures disagree",
    DisagreementKind.DATE: "Dates disagree",
    DisagreementKind.CATEGORICAL: "Sources disagree",
    DisagreementKind.ASSESSMENT: "Assessments disagree",
    DisagreementKind.APPARENT: "Apparent disagreement",
    DisagreementKind.INTERNAL: "Possible error in a source",
}


def inline_value(fact: Fact, state: PageState) -> str:
    """The fact's value(s) for running text, each with its citation footnote."""
    claims = state.ctx.claims_by_fact.get(fact.id, [])
    if not claims:
        return f"*{md_text(fact.label)}*"
    for claim in claims:
        state.use(claim)
    issues = state.ctx.inconsistencies.get(fact.id, [])
    disputed = [i for i in issues if i.kind is not DisagreementKind.INTERNAL]
    if not disputed:
        cites = SEPARATOR.join(state.cite_claim(c) for c in claims)
        text = f"{md_text(claims[0].value)}{cites}"
    else:
        parts = [f"{md_text(c.value)}{state.cite_claim(c)}" for c in claims]
        what = "sources seem to differ" if disputed[0].kind is DisagreementKind.APPARENT else "sources disagree"
        text = f"{' or '.join(parts)} ([{what}]({state.link(state.page, disputed[0].anchor)}))"
    internal = [i for i in issues if i.kind is DisagreementKind.INTERNAL]
    if internal:
        text += f" ([possible error]({state.link(state.page, internal[0].anchor)}))"
    return text


def callouts(issues: list[Inconsistency], state: PageState) -> list[str]:
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
    """An inconsistency callout: its headline, and each source's value and own words side by side.

    The reasoning (why a disagreement is only apparent, what the positions
    mean, how it is resolved, why a value is suspect) and where each source
    says it are in a block that opens on demand. `internal`, a possible error
    on the same fact, is shown in this callout rather than in one of its own.
    """
    fact = issue.fact
    rows = ["| Source | Says | In its words |", "|---|---|---|"]
    for claim in issue.claims:
        state.use(claim)
        flag = " ⚠" if claim.suspect else ""
        position = f"**{md_text(claim.position)}**: " if claim.position and fact.positions else ""
        rows.append(
            f"| {state.link_source(claim.source)} | {position}{md_text(claim.value)}{flag} | {state.quotation(claim)} |"
        )
    anchors = [f'<span class="anchor" id="{issue.anchor}"></span>']
    if issue.kind is DisagreementKind.APPARENT:  # it keeps the address it had as a real one, so links still work
        anchors.append(f'<span class="anchor" id="disagreement-{KINDS[fact.kind]}-{fact.id}"></span>')
    if internal is not None:
        anchors.append(f'<span class="anchor" id="{internal.anchor}"></span>')
    body = [f'<div class="research-anchors">{"".join(anchors)}</div>', ""]  # a block of its own: no empty line
    if issue.kind is DisagreementKind.INTERNAL:
        body += [md_text(_sentence(issue.summary)), ""]
    body += rows
    if internal is not None:
        body += ["", f"⚠ **{KIND_TITLES[internal.kind]}:** {md_text(_sentence(internal.summary))}"]
    body += ["", *_details(issue, state)]
    # An apparent disagreement dissolves on reading: its callout opens on demand, its title saying as much.
    opener = "???" if issue.kind is DisagreementKind.APPARENT else "!!!"
    title = title_text(f"{KIND_TITLES[issue.kind]}: {fact.title}")
    return f'{opener} disagreement "{title}"\n\n' + indent("\n".join(body)) + "\n"


def _details(issue: Inconsistency, state: PageState) -> list[str]:
    """The collapsed block of a callout: the reasoning, if any, then where each source says it."""
    fact = issue.fact
    why: list[str] = []
    if issue.kind is DisagreementKind.APPARENT:
        why.append(f"**Why it is only apparent.** {md_text(fact.apparent)}")
    used = list(dict.fromkeys(c.position for c in issue.claims if c.position))
    glosses = [f"**{md_text(p)}**: {md_text(fact.gloss(p))}" for p in used if fact.gloss(p)]
    if glosses:
        why.append("*Positions:* " + " · ".join(glosses))
    if fact.resolution:
        why.append(f"**Resolution.** {md_text(fact.resolution)}")
    why += [
        f"⚠ **Suspected error in {md_text(state.ctx.label(c.source))}.** {md_text(c.suspect)}"
        for c in issue.claims
        if c.suspect
    ]
    lines = [line for paragraph in why for line in (paragraph, "")]
    if why:
        lines += ["Where each source says it:", ""]
    lines += [*(_where_line(c, state) for c in issue.claims), ""]
    citation = f"{KIND_TITLES[issue.kind]}: {fact.title}. {issue.summary}"
    links = [_permalink(issue.anchor, citation, state, "Permalink")]
    if state.page != "inconsistencies.md":
        links.append(f"[All disagreements]({state.link('inconsistencies.md', issue.anchor)})")
    lines.append(" · ".join(links))
    summary = "Why, where each source says it, and a permalink" if why else "Where each source says it, and a permalink"
    return [f'??? info "{summary}"', "", indent("\n".join(lines)), ""]


def _where_line(claim: Claim, state: PageState) -> str:
    return f"- {md_text(state.ctx.label(claim.source))}: {state.where(claim.source, claim.locator, claim)}"


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


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
            f' [⚠]({state.link(_home_of(i, state), i.anchor)} "{attr(i.summary)}")'
            for i in ctx.inconsistencies.get(fact.id, [])
        )
        rows.append(
            f"| {anchor}{md_text(fact.title)}{flags} "
            f"| {state.link_source(claim.source)} "
            f"| {md_text(claim.value)} | {state.where(claim.source, claim.locator, claim)} "
            f"| {state.quotation(claim)} |"
        )
    return "\n".join(rows) + "\n"


def _permalink(anchor: str, citation: str, state: PageState, text: str = "¶") -> str:
    """A link to `anchor` that also copies the permalink and a citation (see `research.js`)."""
    return (
        f"[{text}]({state.link(state.page, anchor)}){{ .research-permalink "
        f'title="Copy the link and citation" data-cite="{attr(citation)}" }}'
    )


def _home_of(issue: Inconsistency, state: PageState) -> str:
    """The page where an inconsistency's callout is sure to be: its topic, or the index of all."""
    index = state.ctx.index
    topics = [t.id for t in index.topics if t.id in issue.fact.topics]
    return index.page(topics[0]) if topics else "inconsistencies.md"
