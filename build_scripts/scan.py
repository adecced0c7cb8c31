"""Find citations and cross-references in a note body, as markdown-it-py tokens.

Two inline rules are added to a CommonMark parser: `[@key, locator; @key2]`
citations and `[[target#anchor|label]]` cross-references. Because they run
inside the parser, text in code spans, code blocks and autolinks is never
taken for either, and an e-mail address is plain text. Each match becomes a
[`Span`][build_scripts.model.Span] with its body line and columns, so the
renderer can replace exactly that text and diagnostics can name the line.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .model import Citation, CrossRef, Diagnostic, Location, Severity, Span

_KEY = re.compile(r"@([^\s,;@\[\]{}]+)\s*(?:,\s*(.*))?$", re.DOTALL)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[@", pos):
        return False
    end = src.find("]", pos)
    if end < 0 or "[" in src[pos + 1:end]:
        return False
    items = []
    for part in src[pos + 1:end].split(";"):
        match = _KEY.match(part.strip())
        if not match:
            return False
        items.append((match.group(1), " ".join((match.group(2) or "").split())))
    if not silent:
        broken = "\n" in src[pos:end]
        token = state.push("citation_broken" if broken else "citation", "", 0)
        token.meta = {"items": items, "start": pos, "end": pos + 2 if broken else end + 1}
    state.pos = end + 1
    return True


def _crossref_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2)
    if end < 0 or "\n" in src[pos:end]:
        return False
    inner = src[pos + 2:end]
    target, _, label = inner.partition("|")
    target, _, anchor = target.partition("#")
    if not target.strip():
        return False
    if not silent:
        token = state.push("crossref", "", 0)
        token.meta = {"target": target.strip(), "anchor": anchor.strip(), "label": label.strip(),
                      "start": pos, "end": end + 2}
    state.pos = end + 2
    return True


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The CommonMark parser with the citation and cross-reference rules."""
    md = MarkdownIt("commonmark")
    md.inline.ruler.before("link", "crossref", _crossref_rule)
    md.inline.ruler.before("link", "citation", _citation_rule)
    return md


def scan(body: str, path: str, body_line: int) -> tuple[list[Span], list[Diagnostic]]:
    """Return the citation and cross-reference spans of `body`, in reading order.

    Args:
        body: The note body.
        path: The note's path, for locations.
        body_line: File line of the body's first line.
    """
    lines = body.split("\n")
    spans: list[Span] = []
    diags: list[Diagnostic] = []
    block_end = 0
    for token in parser().parse(body):
        if token.level == 0 and token.map and token.nesting >= 0:
            block_end = token.map[1]
        if token.type != "inline" or not token.map or not token.children:
            continue
        for child in token.children:
            if child.type not in ("citation", "crossref", "citation_broken"):
                continue
            line, start, end = _position(child, token, lines)
            location = Location(path, body_line + line, start + 1)
            if start < 0 or child.type == "citation_broken":
                diags.append(Diagnostic(location, Severity.ERROR, "a citation spans several lines",
                                        "keep each [@...] on one line"))
                continue
            if child.type == "citation":
                cites = tuple(Citation(key, locator, location) for key, locator in child.meta["items"])
                spans.append(Span(line, start, end, citations=cites, block_end=block_end))
            else:
                ref = CrossRef(child.meta["target"], child.meta["anchor"], child.meta["label"], location)
                spans.append(Span(line, start, end, ref=ref, block_end=block_end))
    return spans, diags


def _position(child: Token, block: Token, lines: list[str]) -> tuple[int, int, int]:
    """Body line and columns of an inline token, from its offsets in the block's content."""
    content = block.content
    start, end = child.meta["start"], child.meta["end"]
    line_in_block = content.count("\n", 0, start)
    line_start = content.rfind("\n", 0, start) + 1
    line_end = content.find("\n", start)
    content_line = content[line_start:line_end if line_end >= 0 else len(content)].rstrip()
    line = block.map[0] + line_in_block
    source = lines[line] if line < len(lines) else ""
    offset = source.find(content_line) if content_line else -1
    if offset < 0:  # fall back to the token's own text
        raw = content[start:end]
        col = source.find(raw)
        return line, col, col + len(raw)
    col = offset + (start - line_start)
    return line, col, col + (end - start)


def heading_slugs(body: str) -> set[str]:
    """Anchors of the body's headings, as the site's table of contents makes them."""
    slugs: set[str] = set()
    tokens = parser().parse(body)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            inline = tokens[i + 1]
            text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
            slug = slugify(text)
            unique, n = slug, 1
            while unique in slugs:
                unique, n = f"{slug}_{n}", n + 1
            slugs.add(unique)
    return slugs


def slugify(text: str) -> str:
    """Heading text to anchor, the same way Python-Markdown's `toc` extension does."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)
