"""What a source's page says beyond its reference: how the reference was established, and the passages drawn on.

"About this reference" shows the entry's `note` (how author, title, date
and outlet were established) as written, then a short list of what is
uncertain, read from the entry's data: an approximate date (`date =
{2022~}`), no author, no outlet, a title in brackets (a description, not
the source's own), no address.

"Passages this site draws on" has one block per paragraph that a claim's
locator names, anchored as its locators link to it
([`locator_anchor`][build_scripts.render.linking.locator_anchor]), listing
each claim drawn from it with its quotation, never the paragraph's text (the
archived copy is for checking only).
"""

from __future__ import annotations

import html
from collections import defaultdict

from build_scripts.check.coverage import paras
from build_scripts.check.verify import paragraphs_named
from build_scripts.citations.csl_json import ATTRIBUTED
from build_scripts.citations.csl_values import CslItem, text_of
from build_scripts.model import Claim
from build_scripts.render.context import OPENING_WORDS, Context
from build_scripts.render.linking import link_urls, paragraph_anchor
from build_scripts.render.page_state import PageState
from build_scripts.render.text import indent, md_code, md_html, md_text

__all__ = ["about", "for_authors", "passages", "uncertain"]


def uncertain(csl: CslItem) -> list[str]:
    """What the entry's data leaves uncertain, in plain words ("Date: approximate"), from its CSL-JSON item."""
    issued = csl.get("issued") or {}
    title = text_of(csl, "title")
    names = csl.get("author") or csl.get("editor") or []
    marks = [
        "Author: not established" if not names else "",
        "Author: attributed (inferred, not stated in the text)"
        if any(ATTRIBUTED in str(name.get("suffix", "")) for name in names)
        else "",
        "Title: a description in brackets, not the source's own"
        if title.startswith("[") and title.endswith("]")
        else "",
        "Date: not established" if not issued.get("date-parts") else "Date: approximate" if issued.get("circa") else "",
        "Outlet: not established" if not (csl.get("container-title") or csl.get("publisher")) else "",
        "Online address: not established" if not (csl.get("URL") or csl.get("DOI")) else "",
    ]
    return [m for m in marks if m]


def about(key: str, ctx: Context) -> list[str]:
    """The "About this reference" section: the entry's note, as written, and what is uncertain."""
    csl = ctx.refs[key].csl
    note = str(csl.get("note", "")).strip()
    marks = uncertain(csl)
    out = ["## About this reference", ""]
    if note:
        out += ["How the details of this reference were established:", "", md_html(link_urls(html.escape(note))), ""]
    else:
        out += ["The library entry gives no note on how the details of this reference were established.", ""]
    if marks:
        out += ["In short:", "", *(f"- {md_text(m)}" for m in marks), ""]
    return out


def for_authors(key: str, ctx: Context) -> list[str]:
    """A closed block for the site's authors: the citekey to cite the source by, and where its entry is."""
    source = ctx.index.sources[key]
    text = (
        f"Citekey {md_code(key)}, defined in {md_code(str(source.location))}. "
        f"Cite it in a note as {md_code(f'[@{key}, para. 12]')}."
    )
    return ['??? note "For authors"', "", indent(text), ""]


def passages(key: str, state: PageState) -> list[str]:
    """One block per paragraph the site names, each listing the claims drawn from it and the notes citing it.

    A paragraph's block opens with its first words, a short quotation to
    find it by (never the whole paragraph); then each claim drawn from it, with its quotation;
    then the notes that cite it in their text. A locator naming several
    paragraphs puts its claim or note in each one's block.
    """
    ctx = state.ctx
    claims: dict[int, list[Claim]] = defaultdict(list)
    citing: dict[int, dict[str, None]] = defaultdict(dict)
    for claim in ctx.claims_by_source.get(key, []):
        for number in sorted(paragraphs_named(claim.locator) or ()):
            claims[number].append(claim)
    for note_id, locator in ctx.cited_at.get(key, []):
        for number in sorted(paragraphs_named(locator) or ()):
            citing[number][note_id] = None
    numbers = sorted(claims.keys() | citing.keys())
    if not numbers and not ctx.paragraph_uses.get(key):
        return []
    if ctx.refs[key].url:
        intro = (
            "Each paragraph of this source that the site draws on, with every claim taken from it and its words. "
            "The paragraph numbers in the notes open the passage at the publisher."
        )
    else:
        intro = (
            "No online copy of this text was located, so the paragraph numbers in the notes (“para. 12”) lead "
            "here: each paragraph the site draws on, with every claim taken from it and its words. "
            "The text itself is not published."
        )
    out = ["## Passages this site draws on", "", intro, "", *_accounted(key, ctx)]
    for number in numbers:
        out += [f"### Para. {number} {{ #{paragraph_anchor(number)} }}", ""]
        opening = _opening(key, number, ctx)
        if opening:
            more = " …" if opening.endswith((".", "!", "?")) else "…"  # the rest of the paragraph
            out += [f'The paragraph begins <q class="research-quote research-opening">{md_text(opening)}{more}</q>', ""]
        out += [_claim_line(claim, state) for claim in claims[number]]
        if citing[number]:
            notes = ", ".join(state.link_note(n) for n in citing[number])
            out += ["", f"Cited in {notes}."] if claims[number] else [f"Cited in {notes}."]
        out.append("")
    return out


def _accounted(key: str, ctx: Context) -> list[str]:
    """How many of the archived text's paragraphs the notes draw on, and which they pass over and why."""
    uses = ctx.paragraph_uses.get(key, ())
    if not uses:
        return []
    drawn = sum(1 for use in uses if use.claims)
    by_reason: dict[str, list[int]] = defaultdict(list)
    for use in uses:
        if use.passed_over and not use.claims:
            by_reason[use.passed_over].append(use.number)
    out = [f"Claims are drawn from {drawn} of the text's {len(uses)} paragraphs."]
    if by_reason:
        passed = sum(len(numbers) for numbers in by_reason.values())
        out[0] += (
            f" {passed} is passed over, with its reason:"
            if passed == 1
            else f" {passed} are passed over, each for a reason:"
        )
        out += ["", *(f"- {paras(numbers).capitalize()}: {md_text(reason)}" for reason, numbers in by_reason.items())]
    return [*out, ""]


def _opening(key: str, number: int, ctx: Context) -> str:
    """A paragraph's first words, to find it by: at most `OPENING_WORDS`, and never more than half of it."""
    text = ctx.texts.get(key)
    if text is None or not 1 <= number <= len(text.paragraphs):
        return ""
    words = text.paragraphs[number - 1].split()
    return " ".join(words[: min(OPENING_WORDS, len(words) // 2)])


def _claim_line(claim: Claim, state: PageState) -> str:
    """A claim in its paragraph's block: fact, value, its words and a link to it on its note's page."""
    state.use(claim)
    fact = state.ctx.index.facts[claim.fact]
    several = len(paragraphs_named(claim.locator) or ()) > 1
    located = f" ({md_text(claim.locator)})" if several else ""
    words = f" — {state.quotation(claim)}" if claim.quote else ""
    link = state.link_note(claim.note, anchor=claim.id)
    return f"- **{md_text(fact.title)}:** {md_text(claim.value)}{located}{words} (recorded in {link})"
