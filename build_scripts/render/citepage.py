"""Citing the site itself: a "Cite this page" block, and the metadata reference managers read.

Each page is cited as a web page of the site: the site's name and authors
(`site_name`, `site_author` in `mkdocs.yml`), the page title, its canonical URL
(from `site_url`; left out when that is not set) and the date its content
last changed ([`PageState.date`][build_scripts.render.page_state.PageState.date]).
The block shows it formatted in the site's CSL style, followed by the date the
reader opened the page (filled in by `research.js` in the reader's browser, so
that a build stays the same from day to day), then as BibTeX and as RIS, in
content tabs with copy buttons and download links (`data:` URLs: no files
beside the page). The page's front matter carries Highwire `citation_*` values
that `overrides/main.html` turns into `<meta>` tags, and the breadcrumb of a
page outside the nav ([`trail`][build_scripts.render.trail.trail]).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from build_scripts.cache import Cache, digest
from build_scripts.citations import cite, metadata
from build_scripts.citations.bibtex_ris import bibtex, ris
from build_scripts.citations.cite import Reference
from build_scripts.citations.csl_values import CslItem, CslName
from build_scripts.config import Settings
from build_scripts.render.context import Context
from build_scripts.render.page_state import PageState
from build_scripts.render.text import md_html
from build_scripts.render.trail import page_url
from build_scripts.slugs import slug


@dataclass(frozen=True, slots=True)
class PageCitation:
    """How to cite one page.

    Attributes:
        item: The page as a CSL-JSON item.
        url: Canonical URL of the page ("" without `site_url`).
        date: Last-changed date, `YYYY-MM-DD` ("" if unknown).
    """

    item: CslItem
    url: str
    date: str


def page_citation(state: PageState, title: str) -> PageCitation:
    """The citation of the page `state` is rendering."""
    settings = state.ctx.settings
    url = canonical_url(settings.site_url, state.page)
    key = "page-" + (slug(state.page.removesuffix(".md")) or "home")
    item = metadata.page_item(
        title=title, url=url, site_name=settings.site_name, authors=_authors(settings), date=state.date, key=key
    )
    return PageCitation(item, url, state.date)


def _authors(settings: Settings) -> list[CslName]:
    """The site's authors (`site_author`: names separated by `;` or "and")."""
    return [_name(a) for a in re.split(r"\s*(?:;|\band\b)\s*", settings.site_author) if a.strip()]


_TITLE, _URL = "\ue000", "\ue001"  # placeholders: private-use characters that no style transforms


def format_citations(citations: list[PageCitation], ctx: Context) -> dict[str, Reference]:
    """Format the page citations, keyed by item id.

    All pages share one shape (the same authors and site, a title, a URL, a
    date), so citeproc formats that shape once per distinct date, with
    placeholders, and each page's title and URL are put in. Titles are used
    as written (no title-casing by the style).
    """
    shapes: dict[tuple[str, bool], CslItem] = {}
    for c in citations:
        shape_key = (c.date, bool(c.url))
        if shape_key not in shapes:
            shapes[shape_key] = _shape(ctx.settings, c.item.get("author", []), *shape_key)
    formatted = ctx.formatter.format(shapes.values(), suffixes=False)
    refs = {}
    for c in citations:
        shape = formatted[shapes[(c.date, bool(c.url))]["id"]]
        markup = shape.html.replace(_TITLE, html.escape(c.item.get("title", ""), quote=False))
        markup = ctx.formatter.punctuate(markup.replace(_URL, html.escape(c.url, quote=False)))
        refs[c.item["id"]] = Reference(
            key=c.item["id"],
            html=markup,
            text=cite.plain(markup),
            label=shape.label,
            year=shape.year,
            url=c.url,
            csl=c.item,
        )
    return refs


def shapes(settings: Settings, dates: Mapping[str, str]) -> list[CslItem]:
    """Every shape a page citation of this build can take: one for each date an input has (`dates`), and undated.

    A page is dated by the latest of its inputs' dates, so these are all.
    """
    authors = _authors(settings)
    return [_shape(settings, authors, date, bool(settings.site_url)) for date in sorted({"", *dates.values()})]


def format_shapes(ctx: Context) -> None:
    """Format, in one run, every shape a page citation of this build can take (see `shapes`).

    The formatter keeps what it made, and [`format_citations`][build_scripts.render.citepage.format_citations]
    finds each page's shape there. Formatted page by page instead, each new
    date would cost a run of citeproc-js of its own (a process, for a large
    library: about a second each). The pipeline has them formatted with the
    library already, in the same run: then nothing is left to do here.
    """
    ctx.formatter.format(shapes(ctx.settings, ctx.dates), suffixes=False)


def _shape(settings: Settings, authors: list[CslName], date: str, with_url: bool) -> CslItem:
    """A page citation with placeholders for its title and URL."""
    return metadata.page_item(
        title=_TITLE,
        url=_URL if with_url else "",
        site_name=settings.site_name,
        authors=authors,
        date=date,
        key=f"shape-{date or 'nd'}-{int(with_url)}",
    )


_CODE_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "[]()*_`\\{}<>!#|~^="}


def cite_block(citation: PageCitation, ref: Reference, cache: Cache | None = None) -> str:
    """The "Cite this page" section: formatted, BibTeX and RIS tabs; code blocks get copy buttons.

    The code blocks are written as HTML (`<pre><code>`), so that thousands of
    pages do not each go through syntax highlighting for three short blocks;
    their long lines wrap (`research.css`), so that on a phone they never
    need scrolling sideways, with or without a keyboard. The BibTeX and RIS of a page are kept in the cache, by the
    page's CSL data.
    """

    def tab(title: str, body: str) -> list[str]:
        return [f'=== "{title}"', "", *(f"    {line}" if line else "" for line in body.split("\n")), ""]

    def code(text: str) -> str:  # entities, not backslashes: Markdown must not read links or emphasis in it
        escaped = html.escape(text.strip(), quote=False).translate(_CODE_ENTITIES)
        return f'<pre class="research-cite"><code>{escaped}</code></pre>'

    def download(text: str, kind: str, suffix: str) -> str:
        url = f"data:{kind};charset=utf-8,{quote(text)}"
        name = f"{citation.item['id']}{suffix}"
        return f'<p class="research-download"><a href="{url}" download="{name}">Download {suffix} file</a></p>'

    lines = ["## Cite this page", ""]
    lines += tab("Formatted", f"{md_html(ref.html)} {ACCESSED}")
    key = digest(json.dumps(citation.item, sort_keys=True))
    exports = cache.get("page-exports", key) if cache else None
    if exports is None:
        exports = (bibtex(citation.item), ris(citation.item))
        if cache:
            cache.put("page-exports", key, exports)
    lines += tab("BibTeX", f"{code(exports[0])}\n\n{download(exports[0], 'application/x-bibtex', '.bib')}")
    lines += tab("RIS", f"{code(exports[1])}\n\n{download(exports[1], 'application/x-research-info-systems', '.ris')}")
    return "\n".join(lines)


ACCESSED = 'Accessed <span class="research-accessed">&#91;the date you read it&#93;</span>.'
"""The access date after a page's formatted citation: `research.js` puts in the reader's date ("5 December 2026")."""


def front_matter(
    citation: PageCitation,
    title: str,
    state: PageState,
    searchable: bool = True,
    trail: list[dict[str, str]] | None = None,
) -> str:
    """YAML front matter: the page's Highwire citation metadata, `search.exclude` for unsearched pages, its trail."""
    refs = state.ctx.refs
    meta: dict[str, object] = {
        "citation_title": title,
        "citation_authors": [_display(a) for a in citation.item.get("author", [])],
        "citation_date": citation.date.replace("-", "/"),
        "citation_references": [metadata.highwire_reference(refs[key].csl) for key in state.cited],
    }
    if not searchable:
        meta["search"] = {"exclude": True}
    if trail:
        meta["research_trail"] = trail
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items() if value]
    return "---\n" + "\n".join(lines) + "\n---\n\n"  # JSON values are valid YAML


def canonical_url(site_url: str, page: str) -> str:
    """Public URL of a docs page with directory URLs (`military.md` → `<site_url>military/`)."""
    return site_url.rstrip("/") + "/" + page_url(page) if site_url else ""


def _name(text: str) -> CslName:
    text = text.strip()
    if "," in text:
        family, given = (p.strip() for p in text.split(",", 1))
        return {"family": family, "given": given}
    parts = text.split()
    if len(parts) < 2 or not all(p[:1].isupper() for p in parts):
        return {"literal": text}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def _display(name: CslName) -> str:
    if "literal" in name:
        return str(name["literal"])
    return f"{name.get('family', '')}, {name.get('given', '')}".strip(", ")
