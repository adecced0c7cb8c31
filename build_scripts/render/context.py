"""What the renderers share: the build's `Context`, and the `PageState` one page collects while it is written."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field

from build_scripts.check.coverage import ParagraphUse
from build_scripts.check.verify import QuoteStatus, Verification, paragraphs_named
from build_scripts.citations.cite import Formatter, Reference
from build_scripts.citations.source_labels import reader_labels
from build_scripts.config import Settings
from build_scripts.library.archive import ArchivedText
from build_scripts.model import Claim, Inconsistency
from build_scripts.notes.link import Index, source_page
from build_scripts.notes.values import Normalised
from build_scripts.render import fragments
from build_scripts.render.linking import link_urls, locator_anchor
from build_scripts.render.placement import INCONSISTENCIES_PAGE, placements

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#{}])")
_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]\s*")
_TAG_OR_ENTITY = re.compile(r"(<[^<>]*>|&#?\w+;)")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ATTR_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "{}[]()*_`\\|"})
OPENING_WORDS = 6
"""Words of a paragraph's opening that a link to the paragraph highlights."""
FOOTNOTES_HERE = "///Footnotes Go Here///"
"""Python-Markdown's footnotes extension puts the footnote list where this paragraph stands."""
SEPARATOR = '<sup class="fn-sep">,</sup>'
"""Between consecutive footnote marks, so that marks 4 and 5 do not read as 45."""


@dataclass(slots=True)
class Context:
    """Shared, read-only state of one build, all of it computed before any page is drafted.

    Attributes:
        index: The resolved notes, sources, facts and claims.
        refs: Formatted reference of each source.
        inconsistencies: Disagreements, by fact id.
        values: Normalised value of each claim, by claim id.
        settings: Project settings.
        formatter: Formats CSL items (the site's own pages) in the site's style.
        dates: Last-changed date (`YYYY-MM-DD`) of each input file, from git.
        claims_by_fact: Claims, by fact id, sorted by source.
        claims_by_note: Claims, by the id of the note that records them.
        claims_by_source: Claims, by citekey.
        inconsistencies_by_source: Disagreements, by the citekeys taking part.
        texts: Archived text of each source that has one (for checking only: never published).
        verifications: What checking each claim's quotation found, by claim id.
        placements: Callout anchor → pages showing that callout
            ([`placements`][build_scripts.render.placement.placements]).
        paragraph_uses: What the notes do with each paragraph of each archived source, by citekey
            ([`coverage`][build_scripts.check.coverage.coverage]).
        labels: Each source's one reader label, by citekey
            ([`reader_labels`][build_scripts.citations.source_labels.reader_labels]).
        cited_at: Citekey → (note id, locator) of each citation of it in a note's text, in note order.
    """

    index: Index
    refs: dict[str, Reference]
    inconsistencies: dict[str, list[Inconsistency]]
    values: dict[str, Normalised]
    settings: Settings
    formatter: Formatter
    dates: dict[str, str] = field(default_factory=dict)
    claims_by_fact: dict[str, list[Claim]] = field(default_factory=dict)
    claims_by_note: dict[str, list[Claim]] = field(default_factory=dict)
    claims_by_source: dict[str, list[Claim]] = field(default_factory=dict)
    inconsistencies_by_source: dict[str, list[Inconsistency]] = field(default_factory=dict)
    texts: dict[str, ArchivedText] = field(default_factory=dict)
    verifications: dict[str, Verification] = field(default_factory=dict)
    placements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    paragraph_uses: dict[str, tuple[ParagraphUse, ...]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    cited_at: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_fact: dict[str, list[Claim]] = defaultdict(list)
        by_note: dict[str, list[Claim]] = defaultdict(list)
        by_source: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.index.claims:
            by_fact[claim.fact].append(claim)
            by_note[claim.note].append(claim)
            by_source[claim.source].append(claim)
        self.claims_by_fact = {k: sorted(v, key=lambda c: (c.source, c.id)) for k, v in by_fact.items()}
        self.placements = placements(self.index, self.inconsistencies)
        self.claims_by_note, self.claims_by_source = dict(by_note), dict(by_source)
        issues: dict[str, list[Inconsistency]] = defaultdict(list)
        for found in self.inconsistencies.values():
            for issue in found:
                for key in dict.fromkeys(c.source for c in issue.claims):
                    issues[key].append(issue)
        self.inconsistencies_by_source = dict(issues)
        self.labels = reader_labels(self.index.sources, self.refs)
        cited: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for note in self.index.notes.values():
            for span in note.spans:
                for citation in span.citations:
                    cited[citation.key].append((note.id, citation.locator))
        self.cited_at = dict(cited)

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

    def home_of(self, anchor: str) -> str:
        """The page where a callout is set out first: its first placement, else the Inconsistencies page."""
        return (self.placements.get(anchor) or (INCONSISTENCIES_PAGE,))[0]

    def opening(self, key: str, paragraph: int) -> str:
        """The first words of a paragraph of the source's archived text ("" if there is no such paragraph)."""
        text = self.texts.get(key)
        if text is None or not 1 <= paragraph <= len(text.paragraphs):
            return ""
        return " ".join(text.paragraphs[paragraph - 1].split()[:OPENING_WORDS])


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
        cited: Citekeys cited on the page, in order of first citation.
    """

    def __init__(self, page: str, ctx: Context):
        self.page, self.ctx = page, ctx
        self.inputs: set[str] = set()
        self._footnotes: dict[tuple[str, str, str], tuple[str, Claim | None]] = {}
        self._cited: dict[str, None] = {}

    @property
    def cited(self) -> list[str]:
        """Citekeys cited on the page, in order of first citation."""
        return list(self._cited)

    def refer(self, key: str) -> None:
        """Record that the page cites `key`: its full reference goes in the page's References list."""
        if key not in self._cited:
            self._cited[key] = None
            self.inputs.add(self.ctx.index.sources[key].location.path)

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
        here = self.page in self.ctx.placements.get(anchor, ())
        return self.link(self.page if here else self.ctx.home_of(anchor), anchor)

    def link_note(self, note_id: str, text: str = "", anchor: str = "") -> str:
        """A Markdown link to a note's page, titled by the note unless `text` is given."""
        note = self.ctx.index.notes[note_id]
        self.inputs.add(note.path)
        return f"[{md_text(text or note.title)}]({self.link(self.ctx.index.page(note_id), anchor)})"

    def link_source(self, key: str) -> str:
        """A Markdown link to a source's page, labelled "Author Year" (the source is then in the References)."""
        self.refer(key)
        return f"[{md_text(self.ctx.label(key))}]({self.link(source_page(key))})"

    def use(self, claim: Claim) -> None:
        """Record that a claim (and its fact's declaration) shows on the page."""
        self.inputs.add(claim.location.path)
        fact = self.ctx.index.facts.get(claim.fact)
        if fact is not None:
            self.inputs.add(fact.location.path)

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


_STRAIGHT_QUOTED = re.compile(r'"([^"]*)"')


def inner_quotes(text: str) -> str:
    """A quotation's own quotation marks as single marks, as a quotation inside the `<q>`'s double marks reads."""
    return _STRAIGHT_QUOTED.sub("‘\\1’", text).translate({ord("“"): "‘", ord("”"): "’"})


def reference_anchor(key: str) -> str:
    """Anchor of a source's entry in a page's References list (`ref-baev2021`), named as its page is."""
    return "ref-" + source_page(key).removeprefix("sources/").removesuffix(".md")


def rel(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link from one docs page to another (and an optional anchor)."""
    if from_page == to_page and anchor:
        return f"#{anchor}"
    here, there = from_page.split("/")[:-1], to_page.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    path = "/".join([".."] * (len(here) - common) + there[common:])
    return f"{path}#{anchor}" if anchor else path


def md_text(text: str) -> str:
    """Escape text from notes or BibTeX for inline Markdown.

    HTML is escaped (`<` → `&lt;`), Markdown syntax is backslash-escaped
    (including `{` and `}`, so that no attribute list can form), and line
    breaks become spaces, so that a value cannot start a new block.
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(_LINE_BREAKS.sub(" ", text), quote=False))


def md_html(markup: str) -> str:
    """Escape Markdown syntax in the text of inline HTML (a formatted reference), leaving tags and entities.

    citeproc's HTML escapes `<` and `&` in the data but not `[`, `*` or `{`,
    which Python-Markdown would read as links, emphasis or attribute lists.
    """
    parts = _TAG_OR_ENTITY.split(_LINE_BREAKS.sub(" ", markup))
    return "".join(part if i % 2 else _MD_SPECIAL.sub(r"\\\1", part) for i, part in enumerate(parts))


def indent(text: str) -> str:
    """Markdown indented one level (four spaces), as the body of an admonition or a collapsible block."""
    return "\n".join(f"    {line}" if line else "" for line in text.split("\n"))


def md_code(text: str) -> str:
    """Text shown as code, safe whatever backticks it holds."""
    return f"<code>{md_text(text)}</code>"


def attr(text: str) -> str:
    """Escape text for a double-quoted HTML attribute, attribute-list value or link title.

    Besides `&<>"'`, the characters Python-Markdown would read as syntax if the
    attribute list failed to parse (`{}[]()*_` and backticks) are written as
    character references, which it keeps as they are.
    """
    return html.escape(_LINE_BREAKS.sub(" ", text), quote=True).translate(_ATTR_SPECIAL)


def page_title(text: str) -> str:
    """A page title for a `#` heading (where MkDocs takes the page's title from).

    As `md_text`; and a word joiner (U+2060, invisible) follows each `<` that
    could start a tag: the theme writes the title into `<title>` with its
    entities decoded, where `</title><script>` would otherwise be markup.
    """
    return md_text(_defuse_tags(text))


def short_title(title: str) -> str:
    """A title without its subtitle, for navigation and tables ("Overview: the wider order" → "Overview")."""
    return title.split(": ")[0]


def nav_title(text: str) -> str:
    """A title for the site navigation, which the theme writes as HTML: escaped, tags defused as in `page_title`."""
    return html.escape(_LINE_BREAKS.sub(" ", _defuse_tags(text)), quote=False)


def _defuse_tags(text: str) -> str:
    return _TAG_START.sub("<\u2060", text)


def title_text(text: str) -> str:
    """Escape text for the double-quoted title of an admonition or content tab.

    Python-Markdown reads the title as Markdown and HTML, and keeps entities as
    they are: so the text is escaped as for running text, and `"` as `&quot;`.
    """
    return md_text(text).replace('"', "&quot;")
