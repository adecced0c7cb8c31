"""Citations and cross-references are found as markdown-it tokens, with exact positions."""

from __future__ import annotations

import pytest

from build_scripts.notes.scan import heading_anchors, scan
from build_scripts.slugs import heading_anchor, slug


def spans_text(body: str) -> list[str]:
    spans, diags = scan(body, "n.md", 1)
    assert not diags
    lines = body.split("\n")
    return [lines[s.line][s.start : s.end] for s in spans]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("See [@a].", ["[@a]"], id="single"),
        pytest.param("See [@a, p. 12].", ["[@a, p. 12]"], id="locator"),
        pytest.param("See [@a; @b, ch. 2].", ["[@a; @b, ch. 2]"], id="group"),
        pytest.param("Mail me@example.org or [me@example.org](mailto:me@example.org).", [], id="email"),
        pytest.param("Code `[@a]` here.", [], id="code-span"),
        pytest.param("```\n[@a]\n```", [], id="fenced-code"),
        pytest.param("    [@a] indented code", [], id="indented-code"),
        pytest.param("<https://x.org/[@a]>", [], id="autolink"),
        pytest.param("A [link](https://x.org) and [@a].", ["[@a]"], id="after-link"),
        pytest.param("- item [@a]\n  more [[space]]", ["[@a]", "[[space]]"], id="list-item"),
        pytest.param("> quoted [@a]", ["[@a]"], id="blockquote"),
        pytest.param("`[@a]` then [@a]", ["[@a]"], id="same-text-in-code-first"),
    ],
)
def test_finds_exactly_the_citations_outside_code(body, expected):
    assert spans_text(body) == expected


def test_citation_items_and_locations():
    spans, _ = scan("x\n\nSee [@baev2021, para. 3; @lo2008].", "content/n.md", 10)
    (span,) = spans
    assert [(c.key, c.locator) for c in span.citations] == [("baev2021", "para. 3"), ("lo2008", "")]
    assert str(span.citations[0].location) == "content/n.md:12:5"


@pytest.mark.parametrize(
    ("text", "target", "anchor", "label"),
    [
        ("[[space]]", "space", "", ""),
        ("[[economic#energy]]", "economic", "energy", ""),
        ("[[n-1|Baev's note]]", "n-1", "", "Baev's note"),
        ("[[economic#energy|gas]]", "economic", "energy", "gas"),
    ],
)
def test_crossref_parts(text, target, anchor, label):
    (span,), _ = scan(f"Go to {text}.", "n.md", 1)
    assert span.embed is None
    assert (span.ref.target, span.ref.anchor, span.ref.label) == (target, anchor, label)


def test_a_fact_embed_is_a_span_of_its_own():
    (span,), _ = scan("Trade was [[fact:trade-1992]] then.", "n.md", 3)
    assert span.ref is None
    assert span.embed is not None
    assert (span.embed.fact, str(span.embed.location)) == ("trade-1992", "n.md:3:11")


def test_block_end_is_after_the_top_level_block():
    body = "- one [[fact:x]]\n- two\n\nAfter."
    (span,), _ = scan(body, "n.md", 1)
    lines = body.split("\n")
    assert lines[span.block_end - 1 : span.block_end + 1] == ["", "After."]


def test_heading_anchors_match_python_markdown():
    assert heading_anchors("## Energy and gas\n\n## Energy and gas\n\n# Ünïcode `code`!") == {
        "energy-and-gas",
        "energy-and-gas_1",
        "unicode-code",
    }
    assert heading_anchor("Arms sales (1990s–2020s)") == "arms-sales-1990s2020s"


def test_citation_broken_across_lines_is_an_error():
    spans, diags = scan("Intro\n\nSee [@baev2021,\npara. 3] here.", "n.md", 5)
    assert spans == []
    assert [str(d) for d in diags] == [
        "n.md:7:5: error: a citation spans several lines (hint: keep each [@...] on one line)"
    ]


@pytest.mark.parametrize(
    ("text", "keep", "expected"),
    [
        ("Gómez/2008", "", "gomez-2008"),
        ("China–Russia trade", "", "china-russia-trade"),
        ("lo.2008_b", "._", "lo.2008_b"),
        ("--a  b--", "", "a-b"),
        ("../../evil", "._", "evil"),
        ("日本", "", ""),
    ],
)
def test_slug(text, keep, expected):
    assert slug(text, keep) == expected
