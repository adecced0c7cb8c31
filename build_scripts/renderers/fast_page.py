"""A generated page rendered by the fast path, in place of MkDocs' `Page.render`.

The `research-site` plugin calls [`render_page`][build_scripts.renderers.fast_page.render_page]
from `on_page_content` for a page the generator wrote: it sets everything
`Page.render` (MkDocs 1.6) would have set from Python-Markdown's run — the HTML
with links to `.md` files turned into page addresses (and checked, with MkDocs'
own warnings), the table of contents, the anchors the page holds and the links
it makes to anchors elsewhere — from [`fast_html.render`][build_scripts.renderers.fast_html.render].
"""

from __future__ import annotations

import re
from functools import partial
from html import unescape

from markdown import Markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

from build_scripts.renderers.fast_html import Parsed, render

__all__ = ["render_page", "stand_in"]


def stand_in(markdown: str) -> str:
    """What Python-Markdown gets instead of the page: its first line if that is a level-1 heading.

    MkDocs still takes the page's title from its own render; everything else
    comes from the fast path.
    """
    first = markdown.lstrip("\n").split("\n", 1)[0]
    return first if first.startswith("# ") else ""


_ANCHOR = re.compile(r"""<(?:[a-zA-Z][^>]*?\s(?:id)|a\s[^>]*?(?<=\s)name)=(?:"([^"]*)"|'([^']*)')""")
"""An `id` (or an `<a name>`) in the opening tag of an element of the HTML the fast path wrote.

The HTML is scanned, not parsed: the fast path writes every attribute quoted,
and `<` in text as `&lt;`, so a tag starts at each `<` followed by a letter.
"""


def _anchors(html: str) -> set[str]:
    """The ids in a page's HTML, as MkDocs collects them to check links to anchors."""
    return {unescape(m[1] if m[1] is not None else m[2]) for m in _ANCHOR.finditer(html)}


def _code(config: MkDocsConfig, block: str) -> str:
    """A code block rendered by Python-Markdown with the site's extensions (their highlighting, as configured)."""
    md = Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {})
    return str(md.convert(block))


def render_page(page: Page, markdown: Parsed, files: Files, config: MkDocsConfig) -> str:
    """Render a generated page's Markdown with the fast path, filling in what `Page.render` would.

    Args:
        page: The page; its `toc`, `present_anchor_ids` and `links_to_anchors` are set.
        markdown: The page's Markdown (front matter removed), as `on_page_markdown` saw it, parsed.
        files: The site's files, to resolve links to other pages.
        config: The site's config (directory URLs, link validation).

    Returns:
        The page's HTML.
    """
    links = _RelativePathTreeprocessor(page.file, files, config)
    rendered = render(markdown, links.path_to_url, partial(_code, config))
    page.toc = get_toc(rendered.toc)  # type: ignore[arg-type]
    page.present_anchor_ids = _anchors(rendered.html)
    page.links_to_anchors = links.links_to_anchors
    return rendered.html
