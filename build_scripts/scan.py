"""Find citations and cross-references in a note body, as markdown-it-py tokens.

Two inline rules are added to a CommonMark parser: `[@key, locator; @key2]`
citations and `[[target#anchor|label]]` cross-references. Because they run
inside the parser, text in code spans, code blocks and autolinks is never
taken for either, and an e-mail address is plain text. Each match becomes a
[`Span`][build_scripts.model.Span] with its body line and columns, so the
renderer can replace exactly that text and diagnostics can name the line.

The same pass makes the body safe to publish: it finds raw HTML, links,
images, code and attribute lists, and hands them to the rules of
[`safety`][build_scripts.safety], which clean them (a
[`Replacement`][build_scripts.model.Replacement] span carries the cleaned
text) or report them.

The bodies of Python-Markdown containers (admonitions `!!!`, details `???`,
content tabs `===`, footnote definitions), indented by four spaces, are
dedented before parsing, so that what they hold is checked as Markdown rather
than skipped as indented code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from . import safety
from .model import Citation, CrossRef, Diagnostic, Location, Replacement, Severity, Span

_KEY = re.compile(r"@([^\s,;@\[\]{}]+)\s*(?:,\s*(.*))?$", re.DOTALL)
_CONTAINER = re.compile(r"(?:!!!|\?\?\?\+?|===\+?!?|\[\^[^\]]+\]:)(?:\s|$)")


# -- inline rules -------------------------------------------------------------------


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


def _lt_rule(state: StateInline, silent: bool) -> bool:
    """A `<` that no other rule took (not a tag, not an autolink) but that Python-Markdown might."""
    src, pos = state.src, state.pos
    if not safety.TAG_START.match(src, pos):
        return False
    if not silent:
        token = state.push("html_lt", "", 0)
        token.content = "<"
        token.meta = {"start": pos, "end": pos + 1}
    state.pos = pos + 1
    return True


def _positioned(rule, types: tuple[str, ...]):
    """Wrap a built-in inline rule so that its first token of `types` records its source offsets."""
    def wrapped(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            for token in state.tokens[count:]:
                if token.type in types and "start" not in (token.meta or {}):
                    token.meta = {**(token.meta or {}), "start": start, "end": state.pos}
                    break
        return True
    return wrapped


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The CommonMark parser with the citation, cross-reference and safety rules.

    Every URL is accepted by the parser (markdown-it would otherwise turn a
    `javascript:` link into text, which Python-Markdown makes a link again);
    [`scan`][build_scripts.scan.scan] checks them instead.
    """
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # checked in scan(), with a location
    rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}
    md.inline.ruler.at("link", _positioned(rules["link"], ("link_open",)))
    md.inline.ruler.at("image", _positioned(rules["image"], ("image",)))
    md.inline.ruler.at("autolink", _positioned(rules["autolink"], ("link_open",)))
    md.inline.ruler.at("html_inline", _positioned(rules["html_inline"], ("html_inline",)))
    md.inline.ruler.at("backticks", _positioned(rules["backticks"], ("code_inline",)))
    md.inline.ruler.before("link", "crossref", _crossref_rule)
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.inline.ruler.push("html_lt", _lt_rule)
    return md


# -- scanning -----------------------------------------------------------------------


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
        width = len(line[:len(line) - len(rest)].expandtabs(4))
        while stack and width < stack[-1]:
            stack.pop()
        remove = 4 * len(stack)
        if _CONTAINER.match(rest):
            stack.append(width + 4)
        new = " " * (width - remove) + rest if remove else line
        parsed.append(new)
        offsets.append(len(line) - len(new))
    return parsed, offsets


def scan(body: str, path: str, body_line: int) -> tuple[list[Span], list[Diagnostic]]:
    """Return the spans of `body` to replace, in reading order, and the problems found.

    Spans are citations, cross-references and
    [`Replacement`][build_scripts.model.Replacement]s (cleaned HTML, escaped `<`).

    Args:
        body: The note body.
        path: The note's path, for locations.
        body_line: File line of the body's first line.
    """
    text = _Body.of(body)
    spans: list[Span] = []
    diags: list[Diagnostic] = []
    cleaned: dict[int, list[str]] = {}
    unsafe_lines: set[int] = set()
    trusted: set[int] = set()  # body lines inside fenced code that Python-Markdown surely reads as code
    block_end = 0

    def where(line: int, col: int | None = None) -> Location:
        return Location(path, body_line + line, None if col is None else col + 1)

    for token in _tokens(body):
        if token.level == 0 and token.map and token.nesting >= 0:
            block_end = token.map[1]
        if token.type == "html_block" and token.map:
            span, removed = safety.clean_html_block(token.content, text.lines, token.map[0], token.map[1] - 1)
            if span is not None:
                spans.append(span)
            if removed:
                cleaned.setdefault(token.map[0], []).extend(removed)
            continue
        if token.type in ("fence", "code_block") and token.map:
            if safety.trusted_fence(token, text.parsed):
                trusted.update(range(token.map[0] + 1, token.map[1] - 1))
            else:
                diags += safety.html_in_code_block(token.content, where(token.map[0]))
            continue
        if token.type != "inline" or not token.map or not token.children:
            continue
        for child in token.children:
            meta = child.meta or {}
            if "start" not in meta:
                continue
            line, start, end = _position(child, token, text.parsed)
            if start >= 0:
                start, end = text.col(line, start), text.col(line, end)
            location = where(line, start if start >= 0 else None)
            kind = child.type
            if kind in ("citation", "crossref", "citation_broken"):
                if start < 0 or kind == "citation_broken":
                    diags.append(Diagnostic(location, Severity.ERROR, "a citation spans several lines",
                                            "keep each [@...] on one line"))
                elif kind == "citation":
                    cites = tuple(Citation(key, locator, location) for key, locator in meta["items"])
                    spans.append(Span(line, start, end, citations=cites, block_end=block_end))
                else:
                    ref = CrossRef(meta["target"], meta["anchor"], meta["label"], location)
                    spans.append(Span(line, start, end, ref=ref, block_end=block_end))
            elif kind in ("link_open", "image"):
                url = str(child.attrGet("href" if kind == "link_open" else "src") or "")
                if safety.unsafe_scheme(url) is not None:
                    unsafe_lines.add(line)
                    diags.append(safety.unsafe_link(location, url, "image" if kind == "image" else "link"))
            elif kind == "code_inline":
                diags += safety.html_in_code_span(token.content[meta["start"]:meta["end"]], location)
            elif kind == "html_lt":
                if start >= 0:
                    spans.append(Replacement(line, start, end, block_end=block_end, text="&lt;", end_line=line))
                else:
                    diags.append(safety.misplaced_lt(location))
            elif kind == "html_inline":
                raw = token.content[meta["start"]:meta["end"]]
                new, removed = safety.clean_tag(raw)
                if new == raw:
                    continue
                if "\n" in raw or start < 0:
                    diags.append(safety.split_tag(location, raw))
                    continue
                cleaned.setdefault(line, []).extend(removed)
                end = safety.cleaned_tag_end(raw, text.lines[line], end)  # `<script>` goes with its content
                spans.append(Replacement(line, start, end, block_end=block_end, text=new, end_line=line))
    diags += safety.python_markdown_links(text.lines, trusted, unsafe_lines, where)
    diags += safety.attribute_lists(text.lines, trusted, where)
    diags += safety.sanitised(cleaned, where)
    spans.sort(key=lambda s: (s.line, s.start))
    return _without_overlaps(spans), diags


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
    content_line = content[line_start:line_end if line_end >= 0 else len(content)].rstrip()
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


def heading_slugs(body: str) -> set[str]:
    """Anchors of the body's headings, as the site's table of contents makes them."""
    slugs: set[str] = set()
    tokens = _tokens(body)
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
