"""Replacing the spans [`scan`][build_scripts.notes.scan] found in a text: one loop for note bodies and readings.

A note body ([`render_body`][build_scripts.render.body.render_body]) and the
short texts of a fact (its `resolution`, its `apparent` explanation) are
rendered alike: only the spans found are replaced (worked out in reading order, spliced in
right to left on each line), and the rest of the author's Markdown passes through untouched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from build_scripts.model import Replacement, Span
from build_scripts.render.page_state import SEPARATOR, PageState

__all__ = ["render_text", "substitute"]


def substitute(lines: list[str | None], spans: Sequence[Span], replace: Callable[[Span], str]) -> None:
    """Replace each span of `lines` (in place) by what `replace` gives for it.

    A footnote mark sits right after the word, as in Pandoc's note styles;
    the lines an HTML block of several lines covered, after its first, become `None`.
    """
    by_line: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        by_line[span.line].append(span)
    for number, found in by_line.items():
        line = lines[number] if number < len(lines) else None
        if line is None:
            continue
        ordered = sorted(found, key=lambda s: s.start)
        texts = [replace(span) for span in ordered]  # in reading order: footnotes are numbered as they are read
        for span, text in zip(reversed(ordered), reversed(texts), strict=True):  # spliced from the end
            before = line[: span.start]
            if span.citations:
                before = before.rstrip(" ") if before.strip() else before
            line = before + text + line[span.end :]
            if isinstance(span, Replacement) and span.end_line > span.line:
                for gone in range(span.line + 1, min(span.end_line, len(lines) - 1) + 1):
                    lines[gone] = None
        lines[number] = line


def render_text(text: str, spans: Sequence[Span], state: PageState) -> str:
    """A short Markdown text (a fact's resolution) with its citations as footnotes and its HTML cleaned.

    Such texts hold citations and Markdown only ([`notes`][build_scripts.notes.load] refuses fact embeds and
    cross-references in them); line breaks become spaces, so the text stays one paragraph.
    """
    lines: list[str | None] = list(text.split("\n"))
    substitute(lines, spans, lambda span: _cited(span, state))
    return " ".join(line.strip() for line in lines if line is not None and line.strip())


def _cited(span: Span, state: PageState) -> str:
    if isinstance(span, Replacement):
        return span.text
    return SEPARATOR.join(state.cite(c.key, c.locator) for c in span.citations)
