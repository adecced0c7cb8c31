"""What the renderers share: the build's [`Context`][build_scripts.render.context.Context].

It is computed before any page is drafted; what one page collects while it is drafted is its
[`PageState`][build_scripts.render.page_state.PageState].
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from build_scripts.check.coverage import ParagraphUse
from build_scripts.check.verify import Verification, paragraphs_named
from build_scripts.citations.cite import Formatter, Reference
from build_scripts.citations.source_labels import reader_labels
from build_scripts.config import Settings
from build_scripts.library.archive import ArchivedText
from build_scripts.model import Claim, Inconsistency
from build_scripts.notes.link import Index
from build_scripts.notes.values import Normalised
from build_scripts.render import fragments
from build_scripts.render.placement import Placements, placements

OPENING_WORDS = 6
"""Words of a paragraph's opening that a link to the paragraph highlights."""


@dataclass(frozen=True)
class Context:
    """Shared, read-only state of one build, all of it computed before any page is drafted.

    The fields are what the earlier stages found; what follows from them
    (claims by fact, note and source, where each callout is shown, the
    sources' labels...) is worked out here, once, when first asked for.

    Attributes:
        index: The resolved notes, sources, facts and claims.
        refs: Formatted reference of each source.
        inconsistencies: Disagreements, by fact id.
        values: Normalised value of each claim, by claim id.
        settings: Project settings.
        formatter: Formats CSL items (the site's own pages) in the site's style.
        dates: Last-changed date (`YYYY-MM-DD`) of each input file, from git.
        texts: Archived text of each source that has one (for checking only: never published).
        verifications: What checking each claim's quotation found, by claim id.
        paragraph_uses: What the notes do with each paragraph of each archived source, by citekey
            ([`coverage`][build_scripts.check.coverage.coverage]).
    """

    index: Index
    refs: dict[str, Reference]
    inconsistencies: dict[str, list[Inconsistency]]
    values: dict[str, Normalised]
    settings: Settings
    formatter: Formatter
    dates: dict[str, str] = field(default_factory=dict)
    texts: dict[str, ArchivedText] = field(default_factory=dict)
    verifications: dict[str, Verification] = field(default_factory=dict)
    paragraph_uses: dict[str, tuple[ParagraphUse, ...]] = field(default_factory=dict)

    @functools.cached_property
    def claims_by_fact(self) -> dict[str, list[Claim]]:
        """Claims, by fact id, sorted by source."""
        by_fact: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.index.claims:
            by_fact[claim.fact].append(claim)
        return {k: sorted(v, key=lambda c: (c.source, c.id)) for k, v in by_fact.items()}

    @functools.cached_property
    def claims_by_note(self) -> dict[str, list[Claim]]:
        """Claims, by the id of the note that records them."""
        by_note: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.index.claims:
            by_note[claim.note].append(claim)
        return dict(by_note)

    @functools.cached_property
    def claims_by_source(self) -> dict[str, list[Claim]]:
        """Claims, by citekey."""
        by_source: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.index.claims:
            by_source[claim.source].append(claim)
        return dict(by_source)

    @functools.cached_property
    def inconsistencies_by_source(self) -> dict[str, list[Inconsistency]]:
        """Disagreements, by the citekeys taking part."""
        issues: dict[str, list[Inconsistency]] = defaultdict(list)
        for found in self.inconsistencies.values():
            for issue in found:
                for key in dict.fromkeys(c.source for c in issue.claims):
                    issues[key].append(issue)
        return dict(issues)

    @functools.cached_property
    def placements(self) -> Placements:
        """Where each callout is shown ([`placements`][build_scripts.render.placement.placements])."""
        return placements(self.index, self.inconsistencies)

    @functools.cached_property
    def labels(self) -> dict[str, str]:
        """Each source's one reader label, by citekey.

        See [`reader_labels`][build_scripts.citations.source_labels.reader_labels].
        """
        return reader_labels(self.index.sources, self.refs)

    @functools.cached_property
    def cited_at(self) -> dict[str, list[tuple[str, str]]]:
        """Citekey → (note id, locator) of each citation of it in a note's text, in note order."""
        cited: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for note in self.index.notes.values():
            for span in note.spans:
                for citation in span.citations:
                    cited[citation.key].append((note.id, citation.locator))
        return dict(cited)

    def in_reference_order(self, keys: list[str]) -> list[str]:
        """Citekeys in the order of a reference list: by formatted reference, then by key."""
        return sorted(keys, key=lambda k: (self.refs[k].text.casefold(), k))

    def label(self, key: str) -> str:
        """A source's one reader label ("Baev 2021"), the name readers see it by everywhere."""
        return self.labels.get(key, key)

    def passage_url(self, key: str, locator: str, claim: Claim | None = None) -> str:
        """The source's online address, opening at the passage where it can ("" if the source has no address).

        A claim whose quotation was found links to the quotation; a locator
        naming one paragraph of an archived text links to that paragraph's
        first words; anything else to the address itself.
        """
        ref = self.refs.get(key)
        if ref is None or not ref.url:
            return ""
        found = self.verifications.get(claim.id) if claim is not None else None
        if found is not None and found.passage is not None:
            return fragments.passage_link(ref.url, found.passage)
        named = paragraphs_named(locator)
        if named is not None and len(named) == 1 and (words := self.opening(key, min(named))):
            return fragments.text_fragment(ref.url, words)
        return ref.url

    def opening(self, key: str, paragraph: int) -> str:
        """The first words of a paragraph of the source's archived text ("" if there is no such paragraph)."""
        text = self.texts.get(key)
        if text is None or not 1 <= paragraph <= len(text.paragraphs):
            return ""
        return " ".join(text.paragraphs[paragraph - 1].split()[:OPENING_WORDS])
