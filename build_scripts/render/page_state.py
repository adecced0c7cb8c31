"""What one page collects while it is drafted: its citations and footnotes, the inputs it draws on, its links.

A [`Draft`][build_scripts.render.page_state.Draft] is a page before assembly,
with the [`PageState`][build_scripts.render.page_state.PageState] that
recorded it; [`assemble`][build_scripts.render.pages.assemble] finishes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_scripts.check.verify import QuoteStatus
from build_scripts.model import Claim
from build_scripts.page_paths import source_page
from build_scripts.render.context import Context
from build_scripts.render.linking import link_urls, locator_anchor, reference_anchor, rel
from build_scripts.render.text import inner_quotes, md_html, md_text

__all__ = ["FOOTNOTES_HERE", "SEPARATOR", "Draft", "PageState"]

FOOTNOTES_HERE = "///Footnotes Go Here///"
"""Python-Markdown's footnotes extension puts the footnote list where this paragraph stands."""
SEPARATOR = '<sup class="fn-sep">,</sup>'
"""Between consecutive footnote marks, so that marks 4 and 5 do not read as 45."""


@dataclass(slots=True)
class Draft:
    """A page before assembly: its state, title, Markdown parts, and whether search indexes it."""

    state: PageState
    title: str
    parts: list[str]
    searchable: bool = True


class PageState:
    """What one page collects while it is rendered: citation footnotes, and the inputs it draws on.

    Attributes:
        page: Path of the page in the docs tree.
        ctx: The build's context.
        inputs: Input files (notes, BibTeX files) whose content shows on the page.
        reads: What the page read beyond what every page reads
            ([`fingerprint`][build_scripts.render.fingerprint]): `note:ID` (a note, its text included),
            `outline:ID` (a note but its text: title, summary, topics...), `notes` (every note's outline),
            `tagged:ID` (which notes name a topic),
            `source:KEY` (a source, its reference and label, the notes citing it), `sources` (the whole library).
        cited: Citekeys cited on the page, in order of first citation.
    """

    def __init__(self, page: str, ctx: Context):
        self.page, self.ctx = page, ctx
        self.inputs: set[str] = set()
        self.reads: set[str] = set()
        self._footnotes: dict[tuple[str, str, str], tuple[str, Claim | None]] = {}
        self._cited: dict[str, None] = {}

    @property
    def cited(self) -> list[str]:
        """Citekeys of the sources the page cites, in the order of first citation."""
        return list(self._cited)

    def refer(self, key: str) -> None:
        """Record that the page cites `key`: its full reference goes in the page's References list."""
        if key not in self._cited:
            self._cited[key] = None
            self.inputs.add(self.ctx.index.sources[key].location.path)
            self.reads.add(f"source:{key}")

    def cite(self, key: str, locator: str = "", claim: Claim | None = None) -> str:
        """Footnote reference (`[^n]`) for citing `key` at `locator`, or for a claim (with its quotation).

        One footnote per (source, locator, quotation).
        """
        ident = (key, locator, claim.quote if claim else "")
        if ident not in self._footnotes:
            self._footnotes[ident] = (f"[^{len(self._footnotes) + 1}]", claim)
            self.refer(key)
        return self._footnotes[ident][0]

    def cite_claim(self, claim: Claim) -> str:
        """Footnote reference for a claim: its source, locator and quotation."""
        return self.cite(claim.source, claim.locator, claim)

    def where(self, key: str, locator: str, claim: Claim | None = None) -> str:
        """The locator as a link: to the passage in the original where the source has an address, else to its page."""
        self.reads.add(f"source:{key}")
        return self._where(key, locator, self.ctx.passage_url(key, locator, claim))

    def _where(self, key: str, locator: str, url: str) -> str:
        """The locator as a link, saying in words where it leads.

        To the publisher: "para. 12, at the publisher". Else to the block of
        the source's page that lists what the site draws from that paragraph
        (its first, for a range), or to the top of the page for a locator
        naming no paragraph.
        """
        if url:
            text = f"{md_text(locator)}, at the publisher" if locator else "at the publisher"
            return f'[{text}]({url}){{ .research-passage title="Open the passage at the publisher" }}'
        return f"[{md_text(locator) if locator else 'source'}]({self.link(source_page(key), locator_anchor(locator))})"

    def quotation(self, claim: Claim) -> str:
        """The claim's quotation for a page: in quotation marks, flagged if it could not be checked."""
        if not claim.quote:
            return ""
        found = self.ctx.verifications.get(claim.id)
        flag = " *(not checked against the source text)*" if found and found.status is QuoteStatus.UNCHECKED else ""
        return f'<q class="research-quote">{md_text(inner_quotes(claim.quote))}</q>{flag}'

    def link(self, to_page: str, anchor: str = "") -> str:
        """Relative link from this page to another (and an optional anchor)."""
        return rel(self.page, to_page, anchor)

    def link_callout(self, anchor: str) -> str:
        """Relative link to a callout: on this page when the page shows it, else where it is set out first."""
        placed = self.ctx.placements
        return self.link(self.page if placed.shows(self.page, anchor) else placed.home(anchor), anchor)

    def link_note(self, note_id: str, text: str = "", anchor: str = "") -> str:
        """A Markdown link to a note's page, titled by the note unless `text` is given."""
        note = self.ctx.index.notes[note_id]
        self.inputs.add(note.path)
        self.reads.add(f"outline:{note_id}")
        return f"[{md_text(text or note.title)}]({self.link(self.ctx.index.page(note_id), anchor)})"

    def link_source(self, key: str, text: str = "") -> str:
        """A Markdown link to a source's page, labelled `text` or "Author Year" (the source joins the References)."""
        self.refer(key)
        return f"[{md_text(text or self.ctx.label(key))}]({self.link(source_page(key))})"

    def use(self, claim: Claim) -> None:
        """Record that a claim (its fact's declaration, the text its quotation is checked against) shows on the page."""
        fact, text = self.ctx.index.facts.get(claim.fact), self.ctx.texts.get(claim.source)
        self.inputs.add(claim.location.path)
        self.inputs.update(path for path in (fact and fact.location.path, text and text.path) if path)

    def footnotes(self) -> str:
        """Footnote definitions, for the end of the page: the citation style's short form, then the quotation.

        "Baev 2021, para. 12: “…”": the label links to the page's References
        list, the locator to the passage in the original (or to the source's
        page). The full reference follows in a span that the stylesheet shows
        only in the footnote's tooltip.
        """
        lines = []
        for (key, locator, _), (label, claim) in self._footnotes.items():
            url = self.ctx.passage_url(key, locator, claim)
            short = f"[{md_text(self.ctx.label(key))}](#{reference_anchor(key)})"
            where = f", {self._where(key, locator, url)}" if locator else ""
            quote = f": {self.quotation(claim)}" if claim is not None and claim.quote else ""
            full = f'<span class="research-fullref">{self.reference(key)}</span>'
            lines.append(f"{label}: {short}{where}{quote}.{full}")
        return "\n".join(lines)

    def notes_section(self) -> list[str]:
        """Where the page's footnotes go: a "Footnotes" heading (in the table of contents) over a closed block.

        Each note is a mark's short reference, passage and quotation, shown in
        the mark's tooltip; the list opens on demand, and a link to a note opens it.
        """
        count = len(self._footnotes)
        if not count:
            return []
        what = "1 note" if count == 1 else f"{count} notes"
        return [
            "## Footnotes",
            "",
            f'??? note "The {what} of this page: each mark\'s source, passage and quotation"',
            "",
            f"    {FOOTNOTES_HERE}",
            "",
        ]

    def reference(self, key: str) -> str:
        """A source's full reference, formatted in the site's style (its address a link), and a link to its page."""
        return f"{md_html(link_urls(self.ctx.refs[key].html))} [Source page]({self.link(source_page(key))})"

    def references(self) -> list[str]:
        """The page's References section: every source it cites, in full, in reference-list order."""
        keys = self.ctx.in_reference_order(self.cited)
        if not keys:
            return []
        items = [f'- <span class="anchor" id="{reference_anchor(k)}"></span>{self.reference(k)}' for k in keys]
        listed = ['<div class="research-references" markdown="block">', "", *items, "", "</div>"]
        return ["## References", "", *listed, ""]

    @property
    def date(self) -> str:
        """When the page's content last changed: the latest date among its inputs ("" if unknown)."""
        return max((self.ctx.dates.get(path, "") for path in self.inputs), default="")
