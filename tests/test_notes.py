"""Front matter is checked key by key, and every problem names its file and line."""

from __future__ import annotations

import pytest

from build_scripts.model import Severity
from build_scripts.notes import load_note, load_notes

from .conftest import write

GOOD = """---
id: n-1
title: A note
sources: [baev2021]
topics: [military]
facts:
  - {id: f-1, label: Trade, kind: number, unit: USD, time: 1992}
claims:
  - {fact: f-1, value: USD 5 billion, locator: p. 2, quote: five billion}
  - fact: f-1
    source: lo2008
    value: 6 billion
    locator: p. 3
    quote: six billion dollars
---
Body [@baev2021].
"""


def load(tmp_path, text):
    path = write(tmp_path / "content" / "n.md", text)
    return load_note(path, tmp_path)


def test_good_note(tmp_path):
    note, diags = load(tmp_path, GOOD)
    assert diags == []
    assert (note.id, note.title, note.topics, note.body_line) == ("n-1", "A note", ("military",), 16)
    (fact,) = note.facts
    assert (fact.time, fact.topics, fact.location.line) == ("1992", ("military",), 7)
    assert [(c.source, c.value, c.location.line) for c in note.claims] == [
        ("baev2021", "USD 5 billion", 9), ("lo2008", "6 billion", 10)]


@pytest.mark.parametrize(
    "text, line, message",
    [
        pytest.param("no front matter\n", 1, "no front matter", id="missing"),
        pytest.param("---\nid: x\ntitle: t\n", 1, "not closed", id="unclosed"),
        pytest.param("---\nid: x\ntitle: [unclosed\n---\n", 3, "not valid YAML", id="bad-yaml"),
        pytest.param("---\nid: x\nid: y\ntitle: t\n---\n", 3, "duplicate key 'id'", id="duplicate-key"),
        pytest.param("---\nid: x\ntitle: t\ntopic: [a]\n---\n", 4, "unknown note key 'topic'", id="unknown-key"),
        pytest.param("---\nid: x\ntitle: [a, b]\n---\n", 3, "'title' must be a str", id="wrong-type"),
        pytest.param("---\nid: Bad Id\ntitle: t\n---\n", 2, "invalid note id", id="bad-id"),
        pytest.param("---\ntitle: t\n---\n", 2, "note has no 'id'", id="no-id"),
        pytest.param("---\nid: x\ntitle: !!python/object:os.system t\n---\n", 3, "cannot read 'title'", id="unsafe-tag"),
        pytest.param("---\nid: x\ntitle: t\nkind: page\n---\n", 4, "unknown kind 'page'", id="bad-kind"),
        pytest.param("---\nid: x\ntitle: t\n\tsources: [a]\n---\n", 4, "not valid YAML", id="tab"),
        pytest.param("---\nid: x\ntitle: t\nclaims:\n  - {fact: f, value: 1, locator: p}\n---\n", 5,
                     "has no source", id="claim-without-source"),
        pytest.param("---\nid: x\ntitle: t\nsources: [a]\nclaims:\n  - {fact: f, locator: p}\n---\n", 6,
                     "claim has no value", id="claim-without-value"),
        pytest.param("---\nid: x\ntitle: t\nsources: [a]\nclaims:\n  - {fact: f, value: 2, locator: p, "
                     "quote: one two three four five six seven eight nine ten eleven twelve thirteen}\n---\n",
                     6, "quotation of 13 words", id="long-quote"),
        pytest.param("---\nid: x\ntitle: t\nfacts:\n  - {id: f, label: F, kind: guess}\n---\n", 5,
                     "unknown fact kind 'guess'", id="bad-fact-kind"),
        pytest.param("---\nid: x\ntitle: t\nclaims: just text\n---\n", 4, "must be a list of mappings",
                     id="claims-not-list"),
    ],
)
def test_bad_front_matter_is_an_error_with_line(tmp_path, text, line, message):
    _, diags = load(tmp_path, text)
    errors = [d for d in diags if d.severity is Severity.ERROR]
    assert errors, diags
    assert errors[0].location.path == "content/n.md"
    assert errors[0].location.line == line
    assert message in errors[0].message


def test_claim_without_quotation_or_locator_is_warned_about_both(tmp_path):
    note, diags = load(tmp_path, "---\nid: x\ntitle: t\nsources: [a]\nclaims:\n  - {fact: f, value: 2}\n---\n")
    assert [(d.severity, d.location.line) for d in diags] == [(Severity.WARNING, 6)] * 2
    assert "no quotation" in diags[0].message and "no locator" in diags[1].message
    assert note.claims[0].locator == ""


def test_quoted_claim_needs_no_locator(tmp_path):
    """The locator of a quoted claim is computed from where the quotation is found."""
    note, diags = load(tmp_path, "---\nid: x\ntitle: t\nsources: [a]\nclaims:\n"
                                 "  - {fact: f, value: 2, quote: two of them}\n---\n")
    assert diags == [] and note.claims[0].quote == "two of them"


@pytest.mark.parametrize(("quote", "ok"), [
    ("one two three four five six seven eight nine ten eleven twelve", True),
    ("one two three four five six … seven eight nine ten eleven twelve", True),
    ("one two three four five six ... seven eight nine ten eleven twelve", True),
    ("one two three four five six seven eight nine ten eleven twelve thirteen", False),
    ("one two three four five six … seven eight nine ten eleven twelve thirteen", False),
])
def test_quotation_of_at_most_twelve_words_elisions_not_counted(tmp_path, quote, ok):
    _note, diags = load(tmp_path, f"---\nid: x\ntitle: t\nsources: [a]\nclaims:\n"
                                 f"  - {{fact: f, value: 2, locator: p. 1, quote: \"{quote}\"}}\n---\n")
    assert (diags == []) is ok
    if not ok:
        assert diags[0].severity is Severity.ERROR and diags[0].location.line == 6
        assert "13 words is too long" in diags[0].message


FACT = "---\nid: x\ntitle: t\nfacts:\n  - id: f\n    label: F\n    kind: {kind}\n{extra}---\n"


def test_assessment_fact_declares_positions_with_glosses(tmp_path):
    extra = "    positions:\n      yes: they agree\n      No: they do not\n      mixed:  partly,\n        in some areas\n"
    note, diags = load(tmp_path, FACT.format(kind="assessment", extra=extra))
    assert diags == []
    assert note.facts[0].positions == (("yes", "they agree"), ("no", "they do not"), ("mixed", "partly, in some areas"))
    assert note.facts[0].gloss("no") == "they do not"


@pytest.mark.parametrize(("kind", "extra", "message"), [
    ("assessment", "", "assessment fact 'f' declares no positions"),
    ("category", "", "category fact 'f' declares no positions"),
    ("number", "    positions: {a: b}\n", "number fact 'f' cannot have positions"),
    ("category", "    positions: [a, b]\n", "must be a mapping of position to gloss"),
    ("category", "    positions: {a: ''}\n", "position 'a' of fact 'f' has no gloss"),
    ("category", "    positions: {a: x, A: y}\n", "position 'A' of fact 'f' is declared twice"),
])
def test_bad_positions_are_errors_at_the_fact(tmp_path, kind, extra, message):
    _, diags = load(tmp_path, FACT.format(kind=kind, extra=extra))
    assert [d.severity for d in diags] == [Severity.ERROR]
    assert message in diags[0].message and diags[0].location.line >= 5


def test_non_utf8_note_is_reported(tmp_path):
    path = tmp_path / "content" / "n.md"
    path.parent.mkdir(parents=True)
    path.write_bytes("---\nid: x\ntitle: caf\xe9\n---\n".encode("latin-1"))
    note, diags = load_note(path, tmp_path)
    assert note is None and "not UTF-8" in diags[0].message


def test_missing_content_dir(tmp_path):
    notes, diags = load_notes(tmp_path / "content", tmp_path)
    assert notes == [] and "content directory not found" in diags[0].message
