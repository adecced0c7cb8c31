"""Footnotes on a page: numbered in order of first citation, one per (source, locator, quotation), marks kept apart."""

from __future__ import annotations

import pytest

from build_scripts import load_settings, pipeline
from build_scripts.model import Citation, Location, Span
from build_scripts.render.body import render_body
from build_scripts.render.page_state import SEPARATOR, PageState

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def ctx():
    ctx, diags = pipeline.check(load_settings(FIXTURES / "mini" / "mkdocs.yml"))
    assert ctx is not None, diags
    return ctx


def test_footnotes_are_numbered_in_order_of_first_citation(ctx):
    state = PageState("alpha.md", ctx)
    assert [state.cite("lo2008", "p. 2"), state.cite("baev2021", "para. 14"), state.cite("gomez2022")] == [
        "[^1]",
        "[^2]",
        "[^3]",
    ]
    assert state.cited == ["lo2008", "baev2021", "gomez2022"]
    lines = state.footnotes().splitlines()
    assert [line.split(":", 1)[0] for line in lines] == ["[^1]", "[^2]", "[^3]"]
    assert lines[0].startswith("[^1]: [Lo 2008](#ref-lo2008), [p. 2](sources/lo2008.md).")  # the short form
    assert '<span class="research-fullref">Lo, Bobo. 2008.' in lines[0]  # the full reference, for the tooltip
    assert state.references()[0] == "## References"
    items = [line for line in state.references() if line.startswith("- ")]
    assert [line.split("</span>")[0] for line in items] == [
        '- <span class="anchor" id="ref-baev2021">',
        '- <span class="anchor" id="ref-gomez2022">',
        '- <span class="anchor" id="ref-lo2008">',
    ]  # each source once, in reference-list order


def test_repeated_source_and_locator_share_one_footnote(ctx):
    state = PageState("alpha.md", ctx)
    first = state.cite("baev2021", "para. 14")
    assert state.cite("baev2021", "para. 14") == first
    assert state.cite("baev2021", "para. 30") != first  # another locator, another footnote
    assert len(state.footnotes().splitlines()) == 2


def test_a_claims_quotation_gets_its_own_footnote(ctx):
    state = PageState("alpha.md", ctx)
    claim = next(c for c in ctx.index.claims if c.id == "claim-trade-1992--baev2021")
    plain, quoted = state.cite("baev2021", "para. 14"), state.cite_claim(claim)
    assert plain != quoted
    assert state.cite_claim(claim) == quoted
    text = state.footnotes().splitlines()[1]
    assert '<q class="research-quote">meagre USD 5.56 billion</q>' in text
    assert "#:~:text=meagre%20USD%205.56%20billion" in text


def test_consecutive_marks_are_separated(ctx):
    note = ctx.index.notes["baev-note"]
    where = Location(note.path, note.body_line)
    group = (Citation("baev2021", "para. 14", where), Citation("lo2008", "p. 2", where))
    body_note = type(note)(
        **{
            **{f: getattr(note, f) for f in note.__slots__},
            "body": "Two sources [@baev2021, para. 14; @lo2008, p. 2].",
            "spans": (Span(0, 12, 48, citations=group),),
        }
    )
    text = render_body(body_note, PageState("notes/baev-note.md", ctx))
    assert text == f"Two sources[^1]{SEPARATOR}[^2]."


def test_footnotes_on_one_line_are_numbered_as_they_are_read(ctx):
    note = ctx.index.notes["baev-note"]
    where = Location(note.path, note.body_line)
    body = "First [@lo2008, ch. 2; @baev2021, para. 3], then [@gomez2022]."
    first = (Citation("lo2008", "ch. 2", where), Citation("baev2021", "para. 3", where))
    second = (Citation("gomez2022", "", where),)
    start, end = body.index("[@lo"), body.index("]") + 1
    later = body.index("[@gomez")
    body_note = type(note)(
        **{
            **{f: getattr(note, f) for f in note.__slots__},
            "body": body,
            "spans": (Span(0, start, end, citations=first), Span(0, later, len(body) - 1, citations=second)),
        }
    )
    text = render_body(body_note, PageState("notes/baev-note.md", ctx))
    assert text == f"First[^1]{SEPARATOR}[^2], then[^3]."
