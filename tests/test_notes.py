"""Front matter is checked key by key, and every problem names its file and line."""

from __future__ import annotations

import pytest

from build_scripts.model import Severity
from build_scripts.notes.load import load_notes, parse_note

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
    return parse_note(path.read_bytes(), path.relative_to(tmp_path).as_posix())


def test_good_note(tmp_path):
    note, diags = load(tmp_path, GOOD)
    assert diags == []
    assert (note.id, note.title, note.topics, note.body_line) == ("n-1", "A note", ("military",), 16)
    (fact,) = note.facts
    assert (fact.time, fact.topics, fact.location.line) == ("1992", ("military",), 7)
    assert [(c.source, c.value, c.location.line) for c in note.claims] == [
        ("baev2021", "USD 5 billion", 9),
        ("lo2008", "6 billion", 10),
    ]


def test_claim_without_quotation_or_locator_is_warned_about_both(tmp_path):
    note, diags = load(tmp_path, "---\nid: x\ntitle: t\nsources: [a]\nclaims:\n  - {fact: f, value: 2}\n---\n")
    assert [(d.severity, d.location.line) for d in diags] == [(Severity.WARNING, 6)] * 2
    assert "no quotation" in diags[0].message
    assert "no locator" in diags[1].message
    assert note.claims[0].locator == ""


def test_quoted_claim_needs_no_locator(tmp_path):
    """The locator of a quoted claim is computed from where the quotation is found."""
    note, diags = load(
        tmp_path, "---\nid: x\ntitle: t\nsources: [a]\nclaims:\n  - {fact: f, value: 2, quote: two of them}\n---\n"
    )
    assert diags == []
    assert note.claims[0].quote == "two of them"


@pytest.mark.parametrize(
    ("quote", "ok"),
    [
        ("one two three four five six seven eight nine ten eleven twelve", True),
        ("one two three four five six … seven eight nine ten eleven twelve", True),
        ("one two three four five six ... seven eight nine ten eleven twelve", True),
        ("one two three four five six seven eight nine ten eleven twelve thirteen", False),
        ("one two three four five six … seven eight nine ten eleven twelve thirteen", False),
    ],
)
def test_quotation_of_at_most_twelve_words_elisions_not_counted(tmp_path, quote, ok):
    _note, diags = load(
        tmp_path,
        f"---\nid: x\ntitle: t\nsources: [a]\nclaims:\n"
        f'  - {{fact: f, value: 2, locator: p. 1, quote: "{quote}"}}\n---\n',
    )
    assert (diags == []) is ok
    if not ok:
        assert diags[0].severity is Severity.ERROR
        assert diags[0].location.line == 6
        assert "13 words is too long" in diags[0].message


FACT = "---\nid: x\ntitle: t\nfacts:\n  - id: f\n    label: F\n    kind: {kind}\n{extra}---\n"


def test_assessment_fact_declares_positions_with_glosses(tmp_path):
    extra = (
        "    positions:\n      yes: they agree\n      No: they do not\n      mixed:  partly,\n        in some areas\n"
    )
    note, diags = load(tmp_path, FACT.format(kind="assessment", extra=extra))
    assert diags == []
    assert [(p.id, p.gloss) for p in note.facts[0].positions] == [
        ("yes", "they agree"),
        ("no", "they do not"),
        ("mixed", "partly, in some areas"),
    ]
    assert note.facts[0].label_of("mixed") == "Mixed"  # no label declared: made from the id
    assert note.facts[0].gloss("no") == "they do not"


def test_a_position_may_give_readers_a_label(tmp_path):
    extra = "    positions:\n      alliance-unlikely: {label: No alliance ahead, gloss: no alliance is taking shape}\n"
    note, diags = load(tmp_path, FACT.format(kind="assessment", extra=extra))
    assert diags == []
    assert note.facts[0].label_of("alliance-unlikely") == "No alliance ahead"
    assert note.facts[0].gloss("alliance-unlikely") == "no alliance is taking shape"


def test_a_fact_time_reads_as_people_write_it(tmp_path):
    note, diags = load(tmp_path, FACT.format(kind="number", extra='    time: "2022-01/2022-10"\n'))
    assert diags == []
    assert note.facts[0].title == "F (Jan–Oct 2022)"


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("assessment", "", "assessment fact 'f' declares no positions"),
        ("category", "", "category fact 'f' declares no positions"),
        ("number", "    positions: {a: b}\n", "number fact 'f' cannot have positions"),
        ("category", "    positions: [a, b]\n", "must be a mapping of position to gloss"),
        ("category", "    positions: {a: ''}\n", "position 'a' of fact 'f' has no gloss"),
        ("category", "    positions: {a: x, A: y}\n", "position 'A' of fact 'f' is declared twice"),
        ("category", "    positions: {a: {label: A, gist: x}}\n", "position 'a' of fact 'f' has unknown key 'gist'"),
        ("category", "    positions: {a: {label: A}}\n", "position 'a' of fact 'f' has no gloss"),
        (
            "category",
            "    positions: {a: {label: [A], gloss: x}}\n",
            "the label of position 'a' of fact 'f' must be text",
        ),
    ],
)
def test_bad_positions_are_errors_at_the_fact(tmp_path, kind, extra, message):
    _, diags = load(tmp_path, FACT.format(kind=kind, extra=extra))
    assert [d.severity for d in diags] == [Severity.ERROR]
    assert message in diags[0].message
    assert diags[0].location.line >= 5


def test_non_utf8_note_is_reported(tmp_path):
    path = tmp_path / "content" / "n.md"
    path.parent.mkdir(parents=True)
    path.write_bytes("---\nid: x\ntitle: caf\xe9\n---\n".encode("latin-1"))
    note, diags = parse_note(path.read_bytes(), "content/n.md")
    assert note is None
    assert "not UTF-8" in diags[0].message


def test_missing_content_dir(tmp_path):
    notes, diags = load_notes(tmp_path / "content", tmp_path)
    assert notes == []
    assert "content directory not found" in diags[0].message
