"""A generated page rendered by the fast path, in place of MkDocs' `Page.render`.

The `research-site` plugin calls [`render_page`][build_scripts.renderers.fast_page.render_page]
from `on_page_content` for a page the generator wrote: it sets everything
`Page.render` (MkDocs 1.6) would have set from Python-Markdown's run — the HTML
with links to `.md` files turned into page addresses (and checked, with MkDocs'
own warnings), the table of contents, the anchors the page holds and the links
it makes to anchors elsewhere — from [`fast_html.render`][build_scripts.renderers.fast_html.render].
"""

from __future__ import annotations

from html.parser import HTMLParser

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

from build_scripts.renderers.fast_html import render

__all__ = ["render_page", "stand_in"]


def stand_in(markdown: str) -> str:
    """What Python-Markdown gets instead of the page: its first line if that is a level-1 heading.

    MkDocs still takes the page's title from its own render; everything else
    comes from the fast path.
    """
    first = markdown.lstrip("\n").split("\n", 1)[0]
    return first if first.startswith("# ") else ""


class _Anchors(HTMLParser):
    """The ids in a page's HTML (and `<a name>`), as MkDocs collects them to check links to anchors."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


def render_page(page: Page, markdown: str, files: Files, config: MkDocsConfig) -> str:
    """Render a generated page's Markdown with the fast path, filling in what `Page.render` would.

    Args:
        page: The page; its `toc`, `present_anchor_ids` and `links_to_anchors` are set.
        markdown: The page's Markdown (front matter removed), as `on_page_markdown` saw it.
        files: The site's files, to resolve links to other pages.
        config: The site's config (directory URLs, link validation).

    Returns:
        The page's HTML.
    """
    links = _RelativePathTreeprocessor(page.file, files, config)
    rendered = render(markdown, links.path_to_url)
    page.toc = get_toc(rendered.toc)  # type: ignore[arg-type]
    anchors = _Anchors()
    anchors.feed(rendered.html)
    anchors.close()
    page.present_anchor_ids = anchors.ids
    page.links_to_anchors = links.links_to_anchors
    return rendered.html
