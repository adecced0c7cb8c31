"""The markdown-it-py parser of note bodies, with the inline rules for citations and cross-references.

Two inline rules are added to a CommonMark parser: `[@key, locator; @key2]`
citations and `[[target#anchor|label]]` cross-references; a third marks a `<`
that starts no tag. Because they run inside the parser, text in code spans,
code blocks and autolinks is never taken for either, and an e-mail address is
plain text. Every rule records where in the block's text its token starts and
ends, so that [`scan`][build_scripts.notes.scan] can place it on a body line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from build_scripts.notes import safety

__all__ = ["parser"]

Rule = Callable[[StateInline, bool], bool]
"""A markdown-it inline rule: `(state, silent) -> matched`."""

_KEY = re.compile(r"@([^\s,;@\[\]{}]+)\s*(?:,\s*(.*))?$", re.DOTALL)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[@", pos):
        return False
    end = src.find("]", pos)
    if end < 0 or "[" in src[pos + 1 : end]:
        return False
    items = []
    for part in src[pos + 1 : end].split(";"):
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
    inner = src[pos + 2 : end]
    target, _, label = inner.partition("|")
    target, _, anchor = target.partition("#")
    if not target.strip():
        return False
    if not silent:
        token = state.push("crossref", "", 0)
        token.meta = {
            "target": target.strip(),
            "anchor": anchor.strip(),
            "label": label.strip(),
            "start": pos,
            "end": end + 2,
        }
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


def _positioned(rule: Rule, types: tuple[str, ...]) -> Rule:
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
    [`scan`][build_scripts.notes.scan.scan] checks them instead.
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
