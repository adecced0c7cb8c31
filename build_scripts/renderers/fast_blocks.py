"""The fast path's block rules: tabs, trailing attribute lists, and raw HTML with `md_in_html`.

Used by [`fast_html`][build_scripts.renderers.fast_html]: a markdown-it block
rule for `pymdownx.tabbed` (`=== "Label"` and an indented body), Python-Markdown's
treatment of raw HTML (block HTML only at the top level; a `markdown="span"`
element's content rendered inline, `markdown="block"` elements walked), and the
`{ #id .class }` list at the end of a heading, read with mdit-py-plugins' own
attribute parser.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from html import escape
from html.parser import HTMLParser

from markdown.util import BLOCK_LEVEL_ELEMENTS
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.attrs.parse import ParseError, parse

__all__ = ["BLOCK_LEVEL", "MdInHtml", "inline_html_only", "tabbed_plugin", "trailing_attrs"]

BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS)
"""The tags Python-Markdown treats as block level (a paragraph of one of them alone is unwrapped)."""

_MARKER = "==="

_Event = tuple[str, str, Sequence[tuple[str, str | None]], str]
"""An HTML event: kind (start, end, empty, data), tag, attributes, and the text as written."""


def _tab(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """One `=== "Label"` tab: its indented body, as `tab_open` … `tab_close`."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos : state.eMarks[start]]
    if not line.startswith(_MARKER + " "):
        return False
    title = line[len(_MARKER) :].strip()
    if len(title) < 2 or title[0] != '"' or title[-1] != '"':
        return False
    if silent:
        return True
    old_indent, old_max, old_parent = state.blkIndent, state.lineMax, state.parentType
    state.blkIndent += 4
    last = start
    nxt = start + 1
    while nxt < end:
        if state.isEmpty(nxt):
            nxt += 1
            continue
        if state.sCount[nxt] < state.blkIndent:
            break
        last = nxt
        nxt += 1
    state.lineMax = last + 1
    state.parentType = "tabbed"
    token = state.push("tab_open", "div", 1)
    token.meta = {"title": title[1:-1]}
    token.map = [start, last + 1]
    state.md.block.tokenize(state, start + 1, last + 1)
    state.push("tab_close", "div", -1)
    state.blkIndent, state.lineMax, state.parentType = old_indent, old_max, old_parent
    state.line = last + 1
    return True


def _group_tabs(state: object) -> None:
    """Wrap each run of consecutive tabs at one level in a `tabbed_set_open` … `tabbed_set_close` pair."""
    tokens: list[Token] = state.tokens  # type: ignore[attr-defined]
    out: list[Token] = []
    open_sets: list[int] = []  # levels with an open set
    for tok in tokens:
        if open_sets and tok.level == open_sets[-1] and tok.type not in ("tab_open", "tab_close"):
            out.append(Token("tabbed_set_close", "div", -1, level=open_sets.pop()))
        if tok.type == "tab_open" and (not open_sets or open_sets[-1] != tok.level):
            out.append(Token("tabbed_set_open", "div", 1, level=tok.level))
            open_sets.append(tok.level)
        if open_sets and tok.level < open_sets[-1]:
            out.append(Token("tabbed_set_close", "div", -1, level=open_sets.pop()))
        out.append(tok)
    out.extend(Token("tabbed_set_close", "div", -1, level=lv) for lv in reversed(open_sets))
    tokens[:] = out


def _html_block_at_top(rule: Callable[[StateBlock, int, int, bool], bool]) -> Callable[..., bool]:
    """Python-Markdown reads raw HTML blocks only at the left margin; indented, HTML is inline."""

    def html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        return state.blkIndent == 0 and rule(state, start, end, silent)

    return html_block


def tabbed_plugin(md: MarkdownIt) -> None:
    """Add `pymdownx.tabbed` tabs, and Python-Markdown's place for raw HTML, to a markdown-it parser."""
    md.block.ruler.before("fence", "tab", _tab, {"alt": ["paragraph"]})
    md.core.ruler.push("tab_sets", _group_tabs)
    for rule in md.block.ruler.__rules__:
        if rule.name == "html_block":
            rule.fn = _html_block_at_top(rule.fn)


def inline_html_only(children: Sequence[Token]) -> str | None:
    """The tag name, if a paragraph's only content is one inline HTML tag (else None)."""
    if len(children) != 1 or children[0].type != "html_inline":
        return None
    return children[0].content.lstrip("</").split(maxsplit=1)[0].rstrip(">").lower()


def trailing_attrs(children: list[Token]) -> dict[str, str]:
    """Take a heading's trailing `{ #id .class key="v" }` off its last text token; return it as attributes."""
    if not children or children[-1].type != "text":
        return {}
    text = children[-1].content.rstrip()
    start = text.rfind("{")
    if not text.endswith("}") or start < 0 or (start and text[start - 1] != " "):
        return {}  # `attr_list` wants a space before the list
    try:
        _, attrs = parse(text[start:])
    except ParseError:
        return {}
    children[-1].content = text[:start].rstrip()
    return dict(attrs)


class _Events(HTMLParser):
    """Raw HTML as a list of (kind, tag, attrs, raw text) events, nothing decoded.

    A generated page's matrix is megabytes of HTML in one block at N=5,000: an event holds only what is
    its own (tag names and end tags are shared), and only a tag with a `markdown` attribute keeps its
    attributes (the others are copied as written).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[_Event] = []
        self._ends: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(self._start("start", tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(self._start("empty", tag, attrs))

    def _start(self, kind: str, tag: str, attrs: list[tuple[str, str | None]]) -> _Event:
        text = self.get_starttag_text() or ""
        return kind, sys.intern(tag), attrs if any(name == "markdown" for name, _ in attrs) else (), text

    def handle_endtag(self, tag: str) -> None:
        tag = sys.intern(tag)
        end = self._ends.get(tag) or self._ends.setdefault(tag, f"</{tag}>")
        self.events.append(("end", tag, (), end))

    def handle_data(self, data: str) -> None:
        self.events.append(("data", "", (), data))

    def handle_entityref(self, name: str) -> None:
        self.events.append(("data", "", (), f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.events.append(("data", "", (), f"&#{name};"))


class MdInHtml:
    """Raw HTML blocks as `md_in_html` gives them: the `markdown` attribute honoured, then dropped.

    In a `markdown="block"` element, block-level children are copied (or walked, if
    they carry the attribute themselves) and a run of text and inline tags between
    them is a paragraph; a `markdown="span"` element's content is rendered inline.
    """

    def __init__(self, inline: Callable[[str, EnvType], str]) -> None:
        self.inline = inline

    def block(self, raw: str, env: EnvType) -> str:
        """A top-level raw HTML block; unchanged unless an element carries `markdown="…"`."""
        if "markdown=" not in raw:
            return raw.rstrip("\n")
        parser = _Events()
        parser.feed(raw)
        parser.close()
        events = parser.events
        out: list[str] = []
        i = 0
        while i < len(events):
            kind, _, attrs, text = events[i]
            if kind == "start" and dict(attrs).get("markdown") is not None:
                html, i = self._element(events, i, env)
                out.append(html)
            else:
                out.append(text)
                i += 1
        return "".join(out).rstrip("\n")

    def _element(self, events: list[_Event], i: int, env: EnvType) -> tuple[str, int]:
        """The element opening at `events[i]`, with a `markdown` attribute; returns its HTML and the next index."""
        _, tag, attrs, _ = events[i]
        end = _matching_end(events, i)
        open_tag, close = _tag(tag, attrs), f"</{tag}>" if end < len(events) else ""
        if dict(attrs).get("markdown") == "span":
            inner = "".join(e[3] for e in events[i + 1 : end]).strip()
            return f"{open_tag}{self.inline(inner, env)}{close}", end + 1
        out = [open_tag]
        run: list[str] = []
        j = i + 1
        while j < end:
            kind, child, child_attrs, text = events[j]
            if kind == "start" and child in BLOCK_LEVEL:
                out.append(self._paragraph(run, env))
                run = []
                if dict(child_attrs).get("markdown") is not None:
                    html, j = self._element(events, j, env)
                else:
                    k = _matching_end(events, j)
                    html, j = _pretty(events[j : k + 1]), k + 1
                out.append(html + "\n")
                continue
            run.append(text)
            j += 1
        out.append(self._paragraph(run, env))
        if len(out) > 1 and not out[1].startswith("\n"):
            out.insert(1, "\n")  # Python-Markdown's prettifier: a line break before a first block child
        return "".join(out) + close, end + 1

    def _paragraph(self, run: list[str], env: EnvType) -> str:
        text = "".join(run).strip()
        return f"\n<p>{self.inline(text, env)}</p>\n" if text else ""


def _pretty(events: list[_Event]) -> str:
    """Raw HTML as Python-Markdown's prettifier writes it.

    A line break after each block-level element, and before the first child of
    one whose first child is block level; blank text between them is dropped.
    """
    out: list[str] = []
    for n, (kind, tag, _, text) in enumerate(events):
        if kind == "data" and not text.strip() and _block_tag(events, n - 1) and _block_tag(events, n + 1):
            continue
        out.append(text)
        ends_block = kind == "end" and tag in BLOCK_LEVEL
        if ends_block or (kind == "start" and tag in BLOCK_LEVEL and _block_tag(events, _next_tag(events, n))):
            out.append("\n")
    return "".join(out).rstrip("\n")


def _next_tag(events: list[_Event], n: int) -> int:
    n += 1
    while n < len(events) and events[n][0] == "data" and not events[n][3].strip():
        n += 1
    return n


def _block_tag(events: list[_Event], n: int) -> bool:
    return 0 <= n < len(events) and events[n][0] in ("start", "end") and events[n][1] in BLOCK_LEVEL


def _tag(tag: str, attrs: Sequence[tuple[str, str | None]]) -> str:
    kept = "".join(f' {k}="{escape(v or "")}"' for k, v in attrs if k != "markdown")
    return f"<{tag}{kept}>"


def _matching_end(events: list[_Event], i: int) -> int:
    tag, depth = events[i][1], 0
    for j in range(i, len(events)):
        kind, name = events[j][0], events[j][1]
        if name == tag and kind == "start":
            depth += 1
        elif name == tag and kind == "end":
            depth -= 1
            if depth == 0:
                return j
    return len(events)
