"""Helpers of the fast path over markdown-it-py's token stream: nesting, ids, footnotes, plain text."""

from __future__ import annotations

from collections.abc import Sequence
from html.parser import HTMLParser

from markdown_it.token import Token

from build_scripts.renderers.fast_blocks import trailing_attrs

__all__ = ["close_of", "known_ids", "mark_footnotes", "plain_text", "tight"]


def close_of(tokens: Sequence[Token], i: int) -> int:
    """The index of the token that closes `tokens[i]` (itself, for a token that opens nothing)."""
    if tokens[i].nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def tight(inner: list[Token]) -> bool:
    """Whether a list item's content is one paragraph of a tight list (printed without `<p>`)."""
    return bool(inner) and inner[0].type == "paragraph_open" and inner[0].hidden and len(inner) == 3


class _Text(HTMLParser):
    """The text of an HTML fragment, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The text of a heading's HTML, tags dropped (what `toc` slugifies and lists)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def known_ids(tokens: list[Token]) -> set[str]:
    """The ids set by hand (on headings, links, images): an automatic heading id must differ from them all.

    Python-Markdown's `attr_list` runs before its `toc`, so an id given later in
    the page still counts; each heading's own `{ … }` list moves to its attributes here.
    """
    ids: set[str] = set()
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            tok.attrs.update(trailing_attrs(tokens[i + 1].children or []))
        for each in (tok, *(tok.children or [])):
            if "id" in each.attrs:
                ids.add(str(each.attrs["id"]))
    return ids


def mark_footnotes(tokens: list[Token]) -> None:
    """Mark the tokens of footnote definitions (`in_footnote`): they are printed apart, in the footnote list."""
    depth = 0
    for tok in tokens:
        if tok.type == "footnote_reference_open":
            depth += 1
        if depth:
            tok.meta["in_footnote"] = True
        if tok.type == "footnote_reference_close":
            depth -= 1
