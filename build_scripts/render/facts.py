"""Facts on a page: inline values, inconsistency callouts, claims tables.

Callouts are Python-Markdown admonitions of their own type, `disagreement`,
styled in `docs/stylesheets/research.css`; each carries a stable anchor
([`Inconsistency.anchor`][build_scripts.model.Inconsistency.anchor]).
"""

from __future__ import annotations

from ..link import source_page
from ..model import Claim, Fact, Inconsistency
from .context import Context, Footnotes, attr, md_text, rel

KIND_TITLES = {
    "numeric": "Figures disagree",
    "date": "Dates disagree",
    "categorical": "Sources disagree",
    "assessment": "Assessments disagree",
    "internal": "Possible error in a source",
}

NOUNS = {"numeric": "figures", "date": "dates", "categorical": "answers", "assessment": "assessments"}


def inline_value(fact: Fact, page: str, ctx: Context, notes: Footnotes) -> str:
    """The fact's value(s) for running text, each with its citation footnote."""
    claims = ctx.claims_by_fact.get(fact.id, [])
    if not claims:
        return f"*{md_text(fact.label)}*"
    issues = ctx.inconsistencies.get(fact.id, [])
    disputed = [i for i in issues if i.kind != "internal"]
    if not disputed:
        shown = claims[0].value
        cites = "".join(notes.cite(c.source, c.locator) for c in claims)
        text = f"{md_text(shown)}{cites}"
    else:
        parts = [f"{md_text(c.value)}{notes.cite(c.source, c.locator)}" for c in claims]
        text = f"{' or '.join(parts)} ([sources disagree]({rel(page, page, disputed[0].anchor)}))"
    internal = [i for i in issues if i.kind == "internal"]
    if internal:
        text += f" ([possible error]({rel(page, page, internal[0].anchor)}))"
    return text


def callout(issue: Inconsistency, page: str, ctx: Context, notes: Footnotes) -> str:
    """An inconsistency callout: each source's value side by side, cited, with locators."""
    ctx.placements[issue.anchor].append(page)
    fact = issue.fact
    title = f"{KIND_TITLES[issue.kind]}: {fact.title}"
    rows = ["| Source | Says | Where | In its words |", "|---|---|---|---|"]
    for claim in issue.claims:
        flag = f" ⚠ *{md_text(claim.suspect)}*" if claim.suspect else ""
        quote = f"“{md_text(claim.quote)}”" if claim.quote else ""
        rows.append(
            f"| [{md_text(ctx.label(claim.source))}]({rel(page, source_page(claim.source))})"
            f"{notes.cite(claim.source, claim.locator)} | {md_text(claim.value)}{flag} "
            f"| {md_text(claim.locator)} | {quote} |"
        )
    body = [f'<span class="anchor" id="{issue.anchor}"></span>{_lead(issue)}', "", *rows]
    if fact.resolution:
        body += ["", f"**Resolution.** {md_text(fact.resolution)}"]
    links = [f"[Permalink]({rel(page, page, issue.anchor)})"]
    if page != "inconsistencies.md":
        links.append(f"[All disagreements]({rel(page, 'inconsistencies.md', issue.anchor)})")
    body += ["", " · ".join(links)]
    indented = "\n".join(f"    {line}" if line else "" for line in body)
    return f'!!! disagreement "{attr(title)}"\n\n{indented}\n'


def _lead(issue: Inconsistency) -> str:
    """The callout's first line: what disagrees (the table shows who says what)."""
    if issue.kind == "internal":
        text = issue.summary[:1].upper() + issue.summary[1:]
        return md_text(text if text.endswith((".", "!", "?")) else text + ".")
    sources = len({c.source for c in issue.claims})
    return f"{sources} sources give different {NOUNS[issue.kind]} for this fact:"


def claims_table(claims: list[Claim], page: str, ctx: Context, notes: Footnotes, *, anchors: bool) -> str:
    """A table of claims, one row each, grouped by fact; rows carry the claims' anchors if `anchors`."""
    rows = ["| Fact | Source | Value | Where |", "|---|---|---|---|"]
    for claim in claims:
        fact = ctx.index.facts[claim.fact]
        anchor = f'<span class="anchor" id="{claim.id}"></span>' if anchors else ""
        issues = ctx.inconsistencies.get(fact.id, [])
        flag = "".join(f" [⚠]({rel(page, _home_of(i, ctx), i.anchor)} \"{attr(i.summary)}\")" for i in issues)
        rows.append(
            f"| {anchor}{md_text(fact.title)}{flag} "
            f"| [{md_text(ctx.label(claim.source))}]({rel(page, source_page(claim.source))})"
            f"{notes.cite(claim.source, claim.locator)} | {md_text(claim.value)} | {md_text(claim.locator)} |"
        )
    return "\n".join(rows) + "\n"


def _home_of(issue: Inconsistency, ctx: Context) -> str:
    """The page where an inconsistency's callout is sure to be: its topic, or the index of all."""
    topics = [t.id for t in ctx.index.topics if t.id in issue.fact.topics]
    return ctx.index.page(topics[0]) if topics else "inconsistencies.md"
