"""Facts on a page: inline values, inconsistency callouts, claims tables.

Callouts are Python-Markdown admonitions of their own type, `disagreement`,
styled in `docs/stylesheets/research.css`; each carries a stable anchor
([`Inconsistency.anchor`][build_scripts.model.Inconsistency.anchor]), and each
claim row carries the claim's own anchor and a link that copies its permalink
and citation.
"""

from __future__ import annotations

from ..model import Claim, DisagreementKind, Fact, Inconsistency
from ..reconcile import KINDS
from .context import SEPARATOR, PageState, attr, md_text, title_text

KIND_TITLES = {
    DisagreementKind.NUMERIC: "Figures disagree",
    DisagreementKind.DATE: "Dates disagree",
    DisagreementKind.CATEGORICAL: "Sources disagree",
    DisagreementKind.ASSESSMENT: "Assessments disagree",
    DisagreementKind.APPARENT: "Apparent disagreement",
    DisagreementKind.INTERNAL: "Possible error in a source",
}
NOUNS = {
    DisagreementKind.NUMERIC: "figures",
    DisagreementKind.DATE: "dates",
    DisagreementKind.CATEGORICAL: "answers",
    DisagreementKind.ASSESSMENT: "assessments",
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


def callout(issue: Inconsistency, state: PageState) -> str:
    """An inconsistency callout: each source's value and its own words side by side, cited, with locators."""
    fact = issue.fact
    rows = ["| Source | Says | Where | In its words |", "|---|---|---|---|"]
    for claim in issue.claims:
        state.use(claim)
        flag = f" ⚠ *{md_text(claim.suspect)}*" if claim.suspect else ""
        position = f"**{md_text(claim.position)}**: " if claim.position and fact.positions else ""
        rows.append(
            f"| {state.link_source(claim.source)}{state.cite_claim(claim)} "
            f"| {position}{md_text(claim.value)}{flag} | {state.where(claim.source, claim.locator, claim)} "
            f"| {state.quotation(claim)} |"
        )
    # An apparent disagreement also keeps the address it had as a real one, so that links to it still work.
    alias = (
        f'<span class="anchor" id="disagreement-{KINDS[fact.kind]}-{fact.id}"></span>'
        if issue.kind is DisagreementKind.APPARENT
        else ""
    )
    body = [f'<span class="anchor" id="{issue.anchor}"></span>{alias}{_lead(issue)}', ""]
    if issue.kind is DisagreementKind.APPARENT:
        body += [f"**Why it is only apparent.** {md_text(fact.apparent)}", ""]
    body += rows
    used = list(dict.fromkeys(c.position for c in issue.claims if c.position))
    glosses = [f"**{md_text(p)}**: {md_text(fact.gloss(p))}" for p in used if fact.gloss(p)]
    if glosses:
        body += ["", "*Positions:* " + " · ".join(glosses)]
    if fact.resolution:
        body += ["", f"**Resolution.** {md_text(fact.resolution)}"]
    citation = f"{KIND_TITLES[issue.kind]}: {fact.title}. {issue.summary}"
    links = [_permalink(issue.anchor, citation, state, "Permalink")]
    if state.page != "inconsistencies.md":
        links.append(f"[All disagreements]({state.link('inconsistencies.md', issue.anchor)})")
    body += ["", " · ".join(links)]
    indented = "\n".join(f"    {line}" if line else "" for line in body)
    return f'!!! disagreement "{title_text(KIND_TITLES[issue.kind] + ": " + fact.title)}"\n\n{indented}\n'


def claims_table(claims: list[Claim], state: PageState, *, anchors: bool) -> str:
    """A table of claims, one row each; rows carry the claims' anchors and permalinks if `anchors`."""
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
            f"| {state.link_source(claim.source)}{state.cite_claim(claim)} "
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


def _lead(issue: Inconsistency) -> str:
    """The callout's first line: what disagrees (the table shows who says what)."""
    if issue.kind is DisagreementKind.INTERNAL:
        text = issue.summary[:1].upper() + issue.summary[1:]
        return md_text(text if text.endswith((".", "!", "?")) else text + ".")
    sources = len({c.source for c in issue.claims})
    if issue.kind is DisagreementKind.APPARENT:
        return (
            f"{sources} sources seem to differ on this fact, but the difference dissolves when both passages are read."
        )
    return f"{sources} sources give different {NOUNS[issue.kind]} for this fact:"


def _home_of(issue: Inconsistency, state: PageState) -> str:
    """The page where an inconsistency's callout is sure to be: its topic, or the index of all."""
    index = state.ctx.index
    topics = [t.id for t in index.topics if t.id in issue.fact.topics]
    return index.page(topics[0]) if topics else "inconsistencies.md"
