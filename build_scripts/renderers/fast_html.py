"""The fast path: a generated page's Markdown to the HTML Python-Markdown would give, with markdown-it-py.

Python-Markdown is most of MkDocs' cost per page. The generated pages use a
closed set of constructs (the extensions of the example's `mkdocs.yml`):
headings with `toc` ids and permalinks, footnotes, admonitions,
`pymdownx.details`, `pymdownx.tabbed` (alternate style), tables, `attr_list`
on links and headings, and raw HTML with `md_in_html`. [`render`][build_scripts.renderers.fast_html.render]
parses the page with markdown-it-py and mdit-py-plugins and prints the tokens
as Python-Markdown lays them out, quirks included: inside an indented block
(admonition, details, tab) raw HTML is inline HTML in a paragraph, and a
paragraph holding one block-level tag alone is unwrapped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape, unescape
from typing import Any

import markdown
from markdown.extensions.toc import slugify, unique
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from build_scripts.renderers.fast_blocks import BLOCK_LEVEL, MdInHtml, inline_html_only, tabbed_plugin
from build_scripts.renderers.fast_tokens import close_of, known_ids, mark_footnotes, plain_text, tight

__all__ = ["FOOTNOTE_MARKER", "Parsed", "Rendered", "TocEntry", "parse", "render"]

FOOTNOTE_MARKER = "///Footnotes Go Here///"
"""Python-Markdown's footnotes placeholder: the footnote list goes where a paragraph holds only this."""

_PARSED = frozenset({"href", "src", "title", "alt"})
"""Attributes markdown-it has already decoded (the others come raw from `{ … }`)."""
_CHECKED = ' checked="checked"'
_BACKREF = '<a class="footnote-backref" href="#{ref}" title="Jump back to footnote {n} in the text">&#8617;</a>'


@dataclass
class TocEntry:
    """A heading, as Python-Markdown's `toc` extension lists it (`md.toc_tokens`)."""

    level: int
    id: str
    name: str
    children: list[TocEntry] = field(default_factory=list)

    def token(self) -> dict[str, Any]:
        """The entry as a `toc_tokens` dict, for `mkdocs.structure.toc.get_toc`."""
        return {"level": self.level, "id": self.id, "name": self.name, "children": [c.token() for c in self.children]}


@dataclass
class Rendered:
    """A page rendered by the fast path.

    Attributes:
        html: The page's HTML, as Python-Markdown would give it.
        toc: The headings, nested, as `toc_tokens`.
    """

    html: str
    toc: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Parsed:
    """A page's Markdown as markdown-it-py tokens, ready for [`render`][build_scripts.renderers.fast_html.render].

    Attributes:
        tokens: The block tokens, inline tokens holding their children.
        env: What the parse collected (footnote and reference definitions).
    """

    tokens: list[Token]
    env: EnvType

    def leaves_references(self) -> bool:
        """Whether a `[text][id]` or `[id][]` is left as text: a reference with no definition on the page.

        Python-Markdown's autorefs extension (mkdocstrings) turns those into cross-references
        to API objects, which the fast path does not; such a page is left to Python-Markdown.
        """
        return any(
            "][" in child.content
            for token in self.tokens
            if token.type == "inline"
            for child in token.children or ()
            if child.type == "text"
        )


def parse(markdown: str) -> Parsed:
    """Parse a generated page's Markdown (front matter removed) as the fast path reads it."""
    env: EnvType = {}
    return Parsed(_MD.parse(markdown, env), env)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.normalizeLink = _as_written  # type: ignore[method-assign]  # Python-Markdown keeps addresses as written
    md.use(footnote_plugin, inline=False, move_to_end=False)
    md.use(admon_plugin).use(tabbed_plugin).use(attrs_plugin, after=("link_close", "image", "code_inline"))
    return md


def _as_written(url: str) -> str:
    return url


_MD = _parser()


class _Printer:
    """Prints one page's tokens as Python-Markdown would; a fresh one for each page."""

    def __init__(self, md: MarkdownIt, link: Callable[[str], str], code: Callable[[str], str]) -> None:
        self.md, self.link, self.code = md, link, code
        self.used_ids: set[str] = set()
        self.toc: list[TocEntry] = []
        self.numbers: dict[str, int] = {}  # footnote label: its number (Python-Markdown's: in definition order)
        self.ref_counts: dict[str, int] = {}
        self.tab_sets = 0
        self.md_in_html = MdInHtml(self.inline)

    # -- inline ---------------------------------------------------------------------------------
    def inline(self, children: Sequence[Token] | str, env: EnvType) -> str:
        """Inline tokens (or inline source, parsed here) to HTML."""
        if isinstance(children, str):
            children = self.md.parseInline(children, env)[0].children or []
        out: list[str] = []
        for tok in children:
            out.append(self._inline_token(tok, env))
        return "".join(out)

    def _inline_token(self, tok: Token, env: EnvType) -> str:
        kind = tok.type
        if kind == "text":
            return escape(tok.content, quote=False)
        if kind in ("softbreak",):
            return "\n"
        if kind == "hardbreak":
            return "<br />\n"
        if kind in ("html_inline",):
            return tok.content
        if kind == "code_inline":
            return f"<code{self._attrs(tok)}>{escape(tok.content, quote=False)}</code>"
        if kind == "footnote_ref":
            return self._footnote_ref(tok)
        if kind == "link_open":
            tok.attrs["href"] = self.link(str(tok.attrs["href"]))
        if kind == "image":
            tok.attrs["src"] = self.link(str(tok.attrs["src"]))
            alt = escape("".join(child.content for child in tok.children or []))
            return f'<img alt="{alt}"{self._attrs(tok, skip=("alt",))} />'
        if tok.nesting == 1:
            return f"<{tok.tag}{self._attrs(tok)}>"
        if tok.nesting == -1:
            return f"</{tok.tag}>"
        return escape(tok.content, quote=False)

    @staticmethod
    def _attrs(tok: Token, skip: tuple[str, ...] = ()) -> str:
        """Attributes in name order; values from an attribute list are read as HTML, as `attr_list` reads them."""
        return "".join(
            f' {k}="{escape(str(v) if k in _PARSED else unescape(str(v)))}"'
            for k, v in sorted(tok.attrs.items())
            if k not in skip
        )

    def _footnote_ref(self, tok: Token) -> str:
        label = str(tok.meta["label"])
        count = self.ref_counts[label] = self.ref_counts.get(label, 0) + 1
        ref = f"fnref:{label}" if count == 1 else f"fnref{count}:{label}"
        number = self.numbers.get(label, 0)
        return f'<sup id="{ref}"><a class="footnote-ref" href="#fn:{label}">{number}</a></sup>'

    # -- blocks ---------------------------------------------------------------------------------
    def blocks(self, tokens: list[Token], env: EnvType, nested: bool = False) -> str:
        """Block tokens to HTML; `nested` inside an indented container, where raw HTML is inline."""
        out: list[str] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            end = close_of(tokens, i)
            inner = tokens[i + 1 : end]
            out.append(self._block(tok, inner, env, nested))
            i = end + 1
        return "".join(out)

    def _block(self, tok: Token, inner: list[Token], env: EnvType, nested: bool) -> str:
        kind = tok.type
        if kind == "inline":
            return self.inline(tok.children or [], env)
        if kind == "html_block":
            return self.md_in_html.block(tok.content, env) + "\n"
        if kind == "fence":
            fence = tok.markup
            return self.code(f"{fence}{tok.info}\n{tok.content}{fence}\n") + "\n"
        if kind == "code_block":
            return self.code("".join(f"    {line}" for line in tok.content.splitlines(keepends=True))) + "\n"
        if kind == "hr":
            return "<hr />\n"
        if kind == "heading_open":
            return self._heading(tok, inner[0], env)
        if kind == "paragraph_open":
            return self._paragraph(tok, inner, env, nested)
        if kind == "admonition_open":
            return self._admonition(tok, inner, env)
        if kind == "tabbed_set_open":
            return self._tabbed(inner, env)
        if kind == "footnote_reference_open":
            return ""
        return self._container(tok, self.blocks(inner, env, nested), inner)

    @staticmethod
    def _container(tok: Token, body: str, inner: list[Token]) -> str:
        """A list, list item, table part or cell around its rendered content."""
        kind = tok.type
        if kind == "bullet_list_open" or kind == "ordered_list_open":
            start = tok.attrs.get("start")
            first = f' start="{start}"' if start else ""
            return f"<{tok.tag}{first}>\n{body}</{tok.tag}>\n"
        if kind == "list_item_open":
            return f"<li>{body.strip() if tight(inner) else chr(10) + body}</li>\n"
        if kind in ("th_open", "td_open"):
            style = tok.attrs.get("style")
            align = f' style="{str(style).replace(":", ": ")};"' if style else ""
            return f"<{tok.tag}{align}>{body}</{tok.tag}>\n"
        return f"<{tok.tag}>\n{body}</{tok.tag}>\n"

    def _paragraph(self, tok: Token, inner: list[Token], env: EnvType, nested: bool) -> str:
        children = inner[0].children or []
        if tok.hidden:  # a tight list item's paragraph
            return self.inline(children, env)
        if nested and (tag := inline_html_only(children)) is not None and tag in BLOCK_LEVEL:
            return children[0].content + "\n"
        if nested and children and children[0].type == "html_inline" and children[0].content.startswith("<pre"):
            return f"<p>{inner[0].content}</p>\n"  # Python-Markdown keeps the lines as written
        text = self.inline(children, env)
        if text == escape(FOOTNOTE_MARKER, quote=False):
            return FOOTNOTE_MARKER + "\n"
        return f"<p>{text}</p>\n"

    def _heading(self, tok: Token, inline: Token, env: EnvType) -> str:
        attrs = {k: str(v) for k, v in tok.attrs.items()}  # its `{ … }` list, taken off by `known_ids`
        html = self.inline(inline.children or [], env).strip()
        name = escape(plain_text(html), quote=False)
        ident = attrs.pop("id", None) or unique(slugify(unescape(name), "-"), self.used_ids)
        self.used_ids.add(ident)
        self._add_toc(TocEntry(int(tok.tag[1]), ident, name))
        extra = "".join(f' {k}="{escape(v)}"' for k, v in sorted(attrs.items()))
        link = f'<a class="headerlink" href="#{ident}" title="Permanent link">&para;</a>'
        return f'<{tok.tag}{extra} id="{ident}">{html}{link}</{tok.tag}>\n'

    def _add_toc(self, entry: TocEntry) -> None:
        siblings = self.toc
        while siblings and siblings[-1].level < entry.level:
            siblings = siblings[-1].children
        siblings.append(entry)

    def _admonition(self, tok: Token, inner: list[Token], env: EnvType) -> str:
        kind = str(tok.meta["tag"])
        title = ""
        if inner and inner[0].type == "admonition_title_open":
            title, inner = self.inline(inner[1].children or [], env), inner[3:]
        body = self.blocks(inner, env, nested=True)
        if tok.markup.startswith("?"):
            opened = " open" if tok.markup.endswith("+") else ""
            return f'<details class="{kind}"{opened}>\n<summary>{title}</summary>\n{body}</details>\n'
        head = f'<p class="admonition-title">{title}</p>\n' if title else ""
        return f'<div class="admonition {kind}">\n{head}{body}</div>\n'

    def _tabbed(self, inner: list[Token], env: EnvType) -> str:
        self.tab_sets += 1
        tabs: list[tuple[str, str]] = []
        i = 0
        while i < len(inner):
            end = close_of(inner, i)
            tabs.append((str(inner[i].meta["title"]), self.blocks(inner[i + 1 : end], env, nested=True)))
            i = end + 1
        s = self.tab_sets
        radios = "".join(
            f'<input{_CHECKED if n == 1 else ""} id="__tabbed_{s}_{n}" name="__tabbed_{s}" type="radio" />'
            for n in range(1, len(tabs) + 1)
        )
        labels = "".join(
            f'<label for="__tabbed_{s}_{n}">{self.inline(title, env)}</label>' for n, (title, _) in enumerate(tabs, 1)
        )
        blocks = "".join(f'<div class="tabbed-block">\n{body}</div>\n' for _, body in tabs)
        head = f'<div class="tabbed-set tabbed-alternate" data-tabs="{s}:{len(tabs)}">{radios}'
        return (
            f'{head}<div class="tabbed-labels">{labels}</div>\n<div class="tabbed-content">\n{blocks}</div>\n</div>\n'
        )

    # -- footnotes ------------------------------------------------------------------------------
    def footnotes(self, tokens: list[Token], env: EnvType) -> str:
        """The footnote list, in definition order, each with a way back to every mark of it."""
        items: list[str] = []
        for i, tok in enumerate(tokens):
            if tok.type != "footnote_reference_open":
                continue
            label = str(tok.meta["label"])
            body = self.blocks(tokens[i + 1 : close_of(tokens, i)], env).rstrip("\n")
            n = self.numbers[label]
            refs = [f"fnref:{label}"] + [f"fnref{k}:{label}" for k in range(2, self.ref_counts.get(label, 1) + 1)]
            back = "".join(_BACKREF.format(ref=ref, n=n) for ref in refs)
            if body.endswith("</p>"):
                body = f"{body[:-4]}&#160;{back}</p>"
            else:
                body = f"{body}\n<p>{back}</p>"
            items.append(f'<li id="fn:{label}">\n{body}\n</li>\n')
        return f'<div class="footnote">\n<hr />\n<ol>\n{"".join(items)}</ol>\n</div>\n' if items else ""


def highlighted(block: str) -> str:
    """A code block as `pymdownx.superfences` (with its `highlight` defaults) writes it, by Python-Markdown itself.

    Code is rare in generated pages and its highlighting is Pygments', so the fast
    path leaves it to the extension that defines it.
    """
    return str(markdown.Markdown(extensions=["pymdownx.superfences"]).convert(block))


def render(
    markdown: str | Parsed, link: Callable[[str], str] = str, code: Callable[[str], str] = highlighted
) -> Rendered:
    """Render a generated page's Markdown as Python-Markdown with the site's extensions would.

    Args:
        markdown: The page's Markdown, front matter removed (or as [`parse`][build_scripts.renderers.fast_html.parse]
            gave it).
        link: Rewrites a link or image address (MkDocs' `.md` links to page URLs).
        code: Renders a code block (its Markdown, fenced or indented) to HTML.

    Returns:
        The page's HTML and its table of contents.
    """
    parsed = parse(markdown) if isinstance(markdown, str) else markdown
    tokens, env = parsed.tokens, parsed.env
    mark_footnotes(tokens)
    printer = _Printer(_MD, link, code)
    labels = [str(t.meta["label"]) for t in tokens if t.type == "footnote_reference_open"]
    printer.numbers = {label: n for n, label in enumerate(labels, 1)}
    printer.used_ids = known_ids(tokens)
    body = [t for t in tokens if not t.meta.get("in_footnote")]
    html = printer.blocks(body, env)
    notes = printer.footnotes(tokens, env)
    marker = FOOTNOTE_MARKER + "\n"
    html = html.replace(marker, notes, 1) if marker in html else html + notes
    return Rendered(html.rstrip("\n"), [entry.token() for entry in printer.toc])
