"""Find citations and cross-references in a note body, as markdown-it-py tokens.

Two inline rules are added to a CommonMark parser: `[@key, locator; @key2]`
citations and `[[target#anchor|label]]` cross-references. Because they run
inside the parser, text in code spans, code blocks and autolinks is never
taken for either, and an e-mail address is plain text. Each match becomes a
[`Span`][build_scripts.model.Span] with its body line and columns, so the
renderer can replace exactly that text and diagnostics can name the line.

The same pass makes the body safe to publish: it finds raw HTML, links,
images, code and attribute lists, and hands them to the rules of
[`safety`][build_scripts.notes.safety], which clean them (a
[`Replacement`][build_scripts.model.Replacement] span carries the cleaned
text) or report them.

The bodies of Python-Markdown containers (admonitions `!!!`, details `???`,
content tabs `===`, footnote definitions), indented by four spaces, are
dedented before parsing, so that what they hold is checked as Markdown rather
than skipped as indented code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it.token import Token

from build_scripts.model import Citation, CrossRef, Diagnostic, FactEmbed, Location, Replacement, Span
from build_scripts.notes import safety
from build_scripts.notes.markdown import parser
from build_scripts.slugs import heading_anchor

FACT_PREFIX = "fact:"
"""`[[fact:ID]]` embeds a fact; any other `[[...]]` links to a page."""
SOURCE_PREFIX = "source:"
"""`[[source:KEY]]` links to a source's page (resolved in [`link`][build_scripts.notes.link])."""

_CONTAINER = re.compile(r"(?:!!!|\?\?\?\+?|===\+?!?|\[\^[^\]]+\]:)(?:\s|$)")


@dataclass(slots=True)
class _Body:
    """A body as parsed: container bodies dedented; `offsets` maps parsed columns back to the file."""

    lines: list[str]
    parsed: list[str]
    offsets: list[int]

    @classmethod
    def of(cls, body: str) -> _Body:
        lines = body.split("\n")
        # markdown-it reads a lone CR as a line break and NUL as U+FFFD; notes.py normalises both already.
        parsed, offsets = _dedent_containers([line.replace("\r", " ").replace("\0", "\ufffd") for line in lines])
        return cls(lines, parsed, offsets)

    def col(self, line: int, col: int) -> int:
        return col + self.offsets[line] if 0 <= line < len(self.offsets) else col


def _dedent_containers(lines: list[str]) -> tuple[list[str], list[int]]:
    """Dedent the bodies of admonitions, details, tabs and footnote definitions by 4 columns per level."""
    parsed, offsets = [], []
    stack: list[int] = []  # content indent of each open container
    for line in lines:
        if not line.strip():
            parsed.append(line)
            offsets.append(0)
            continue
        rest = line.lstrip(" \t")
        width = len(line[: len(line) - len(rest)].expandtabs(4))
        while stack and width < stack[-1]:
            stack.pop()
        remove = 4 * len(stack)
        if _CONTAINER.match(rest):
            stack.append(width + 4)
        new = " " * (width - remove) + rest if remove else line
        parsed.append(new)
        offsets.append(len(line) - len(new))
    return parsed, offsets


@dataclass(slots=True)
class _Scan:
    """What scanning one body collects: the spans to replace and the problems found."""

    text: _Body
    path: str
    body_line: int
    spans: list[Span] = field(default_factory=list)
    diags: list[Diagnostic] = field(default_factory=list)
    cleaned: dict[int, list[str]] = field(default_factory=dict)  # body line → HTML removed there
    unsafe_lines: set[int] = field(default_factory=set)
    trusted: set[int] = field(default_factory=set)  # lines in fenced code Python-Markdown surely reads as code
    block_end: int = 0  # body line after the current top-level block

    def where(self, line: int, col: int | None = None) -> Location:
        return Location(self.path, self.body_line + line, None if col is None else col + 1)


@dataclass(frozen=True, slots=True)
class _Inline:
    """One positioned inline token: where it is in the body, and the block it is in."""

    token: Token
    block: Token
    line: int
    start: int  # -1 when the token's columns could not be found (it spans lines)
    end: int
    location: Location


def scan(body: str, path: str, body_line: int) -> tuple[list[Span], list[Diagnostic]]:
    """Return the spans of `body` to replace, in reading order, and the problems found.

    Spans are citations, cross-references, fact embeds and
    [`Replacement`][build_scripts.model.Replacement]s (cleaned HTML, escaped `<`).
    Each token type is handled by the function `_BLOCKS` or `_INLINES` maps it to.

    Args:
        body: The note body.
        path: The note's path, for locations.
        body_line: File line of the body's first line.
    """
    run = _Scan(_Body.of(body), path, body_line)
    for token in _tokens(body):
        if token.level == 0 and token.map and token.nesting >= 0:
            run.block_end = token.map[1]
        if token.type in _BLOCKS and token.map:
            _BLOCKS[token.type](run, token)
            continue
        if token.type != "inline" or not token.map or not token.children:
            continue
        for child in token.children:
            handler = _INLINES.get(child.type)
            if handler is None or "start" not in (child.meta or {}):
                continue
            line, start, end = _position(child, token, run.text.parsed)
            if start >= 0:
                start, end = run.text.col(line, start), run.text.col(line, end)
            handler(run, _Inline(child, token, line, start, end, run.where(line, start if start >= 0 else None)))
    run.diags += safety.python_markdown_links(run.text.lines, run.trusted, run.unsafe_lines, run.where)
    run.diags += safety.attribute_lists(run.text.lines, run.trusted, run.where)
    run.diags += safety.sanitised(run.cleaned, run.where)
    run.spans.sort(key=lambda s: (s.line, s.start))
    return _without_overlaps(run.spans), run.diags


def _html_block(run: _Scan, token: Token) -> None:
    assert token.map is not None
    span, removed = safety.clean_html_block(token.content, run.text.lines, token.map[0], token.map[1] - 1)
    if span is not None:
        run.spans.append(span)
    if removed:
        run.cleaned.setdefault(token.map[0], []).extend(removed)


def _code_block(run: _Scan, token: Token) -> None:
    assert token.map is not None
    if safety.trusted_fence(token, run.text.parsed):
        run.trusted.update(range(token.map[0] + 1, token.map[1] - 1))
    else:
        run.diags += safety.html_in_code_block(token.content, run.where(token.map[0]))


def _broken_citation(run: _Scan, at: _Inline) -> None:
    run.diags.append(Diagnostic.error(at.location, "a citation spans several lines", "keep each [@...] on one line"))


def _citation(run: _Scan, at: _Inline) -> None:
    if at.start < 0:
        _broken_citation(run, at)
        return
    cites = tuple(Citation(key, locator, at.location) for key, locator in at.token.meta["items"])
    run.spans.append(Span(at.line, at.start, at.end, citations=cites, block_end=run.block_end))


def _crossref(run: _Scan, at: _Inline) -> None:
    meta = at.token.meta
    if at.start < 0:
        _broken_citation(run, at)
    elif meta["target"].startswith(FACT_PREFIX):
        embed = FactEmbed(meta["target"].removeprefix(FACT_PREFIX), at.location)
        run.spans.append(Span(at.line, at.start, at.end, embed=embed, block_end=run.block_end))
    else:
        ref = CrossRef(meta["target"], meta["anchor"], meta["label"], at.location)
        run.spans.append(Span(at.line, at.start, at.end, ref=ref, block_end=run.block_end))


def _link(run: _Scan, at: _Inline) -> None:
    kind = at.token.type
    url = str(at.token.attrGet("href" if kind == "link_open" else "src") or "")
    if safety.unsafe_scheme(url) is not None:
        run.unsafe_lines.add(at.line)
        run.diags.append(safety.unsafe_link(at.location, url, "image" if kind == "image" else "link"))


def _code_span(run: _Scan, at: _Inline) -> None:
    meta = at.token.meta
    run.diags += safety.html_in_code_span(at.block.content[meta["start"] : meta["end"]], at.location)


def _lt(run: _Scan, at: _Inline) -> None:
    if at.start >= 0:
        run.spans.append(Replacement(at.line, at.start, at.end, block_end=run.block_end, text="&lt;", end_line=at.line))
    else:
        run.diags.append(safety.misplaced_lt(at.location))


def _html_inline(run: _Scan, at: _Inline) -> None:
    meta = at.token.meta
    raw = at.block.content[meta["start"] : meta["end"]]
    new, removed = safety.clean_tag(raw)
    if new == raw:
        return
    if "\n" in raw or at.start < 0:
        run.diags.append(safety.split_tag(at.location, raw))
        return
    run.cleaned.setdefault(at.line, []).extend(removed)
    end = safety.cleaned_tag_end(raw, run.text.lines[at.line], at.end)  # `<script>` goes with its content
    run.spans.append(Replacement(at.line, at.start, end, block_end=run.block_end, text=new, end_line=at.line))


_BLOCKS: dict[str, Callable[[_Scan, Token], None]] = {
    "html_block": _html_block,
    "fence": _code_block,
    "code_block": _code_block,
}
"""Block token type → what scanning does with it."""

_INLINES: dict[str, Callable[[_Scan, _Inline], None]] = {
    "citation": _citation,
    "citation_broken": _broken_citation,
    "crossref": _crossref,
    "link_open": _link,
    "image": _link,
    "code_inline": _code_span,
    "html_lt": _lt,
    "html_inline": _html_inline,
}
"""Inline token type (as positioned by the rules above) → what scanning does with it."""


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Drop spans inside an earlier one on the same line (the content of a removed inline `<script>...</script>`)."""
    out: list[Span] = []
    for span in spans:
        if out and out[-1].line == span.line and span.start < out[-1].end:
            continue
        out.append(span)
    return out


def _position(child: Token, block: Token, lines: list[str]) -> tuple[int, int, int]:
    """Body line and columns of an inline token, from its offsets in the block's content."""
    content = block.content
    assert block.map is not None, "block tokens carry their lines"
    start, end = child.meta["start"], child.meta["end"]
    line_in_block = content.count("\n", 0, start)
    line_start = content.rfind("\n", 0, start) + 1
    line_end = content.find("\n", start)
    content_line = content[line_start : line_end if line_end >= 0 else len(content)].rstrip()
    line = block.map[0] + line_in_block
    source = lines[line] if line < len(lines) else ""
    offset = source.find(content_line) if content_line else -1
    if offset < 0:  # fall back to the token's own text
        raw = content[start:end]
        col = source.find(raw) if raw and "\n" not in raw else -1
        return line, col, col + len(raw) if col >= 0 else -1
    col = offset + (start - line_start)
    return line, col, col + (end - start)


# -- headings ---------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _tokens(body: str) -> list[Token]:
    """The token stream of a body (cached: scanning and heading slugs read the same one)."""
    return parser().parse("\n".join(_Body.of(body).parsed))


def heading_anchors(body: str) -> set[str]:
    """Anchors of the body's headings, as the site's table of contents makes them."""
    slugs: set[str] = set()
    tokens = _tokens(body)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            inline = tokens[i + 1]
            text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
            slug = heading_anchor(text)
            unique, n = slug, 1
            while unique in slugs:
                unique, n = f"{slug}_{n}", n + 1
            slugs.add(unique)
    return slugs


def lead_end(body: str) -> int:
    """The 0-based body line where the note's opening ends: its first top-level heading, else the end."""
    for token in _tokens(body):
        if token.type == "heading_open" and token.level == 0 and token.map:
            return token.map[0]
    return len(body.split("\n"))
