"""Every citation, cross-reference, topic and fact resolves, or the build names where it does not."""

from __future__ import annotations

from pathlib import Path

from build_scripts.model import Location, Severity, Source
from build_scripts.notes.link import build_index
from build_scripts.notes.load import load_notes

from .conftest import write

SOURCES = {k: Source(k, "article", {"title": k}, Location("bib/library.bib", 1)) for k in ("baev2021", "lo2008")}


def index_of(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        write(tmp_path / "content" / name, text)
    notes, diags = load_notes(tmp_path / "content", tmp_path)
    assert not [d for d in diags if d.severity is Severity.ERROR]
    return build_index(notes, SOURCES)


TOPIC = "---\nid: space\nkind: topic\ntitle: Space\n---\n## Early warning\n\nText [@lo2008].\n"


def test_unknown_citekey_names_path_line_and_column(tmp_path):
    _, diags = index_of(tmp_path, {"n.md": "---\nid: n\ntitle: N\n---\nline one\n\nSee [@baev2012, p. 3].\n"})
    (diag,) = diags
    assert str(diag).startswith("content/n.md:7:5: error: unknown citekey 'baev2012'")
    assert "did you mean 'baev2021'" in diag.hint


def test_cross_references_resolve_with_anchors_and_backlinks(tmp_path):
    index, diags = index_of(
        tmp_path,
        {
            "space.md": TOPIC,
            "n.md": "---\nid: n\ntitle: N\ntopics: [space]\n---\nSee [[space#early-warning]] and [[space|it]].\n",
        },
    )
    assert diags == []
    assert index.backlinks == {"space": ["n"]}
    assert index.cited_by == {"lo2008": ["space"]}
    assert index.page("space") == "space.md"
    assert index.page("n") == "notes/n.md"


def test_unknown_targets_and_anchors_are_errors(tmp_path):
    _, diags = index_of(
        tmp_path,
        {
            "space.md": TOPIC,
            "n.md": "---\nid: n\ntitle: N\ntopics: [spaec]\n---\n[[nowhere]] [[space#nothing]] [[fact:none]]\n",
        },
    )
    messages = sorted(d.message for d in diags)
    assert messages == [
        "no heading '#nothing' on 'space'",
        "unknown cross-reference target 'nowhere'",
        "unknown fact 'none' in [[fact:none]]",
        "unknown topic 'spaec' in note 'n'",
    ]
    assert {d.location.line for d in diags} == {1, 6}


def test_the_questions_a_page_answers_must_be_known_facts(tmp_path):
    """`questions:` names the facts of a page's who-says-what matrix; a typo is an error at its line."""
    index, diags = index_of(
        tmp_path,
        {
            "index.md": "---\nid: index\nkind: home\ntitle: Home\nfacts:\n  - {id: trend, label: T, kind: number}\n"
            "questions: [trend, trnd]\n---\n",
        },
    )
    (diag,) = diags
    assert str(diag).startswith("content/index.md:7: error: unknown fact 'trnd' in 'questions' of note 'index'")
    assert "did you mean 'trend'" in diag.hint
    assert index.notes["index"].questions == ("trend", "trnd")


def test_duplicate_ids_even_by_case(tmp_path):
    _, diags = index_of(
        tmp_path,
        {
            "a.md": "---\nid: same\ntitle: A\n---\n",
            "b.md": "---\nid: same\ntitle: B\n---\n",
        },
    )
    (diag,) = diags
    assert diag.location.path == "content/b.md"
    assert "duplicate note id 'same'" in diag.message


def test_claims_get_stable_ids_and_need_known_facts_and_sources(tmp_path):
    index, diags = index_of(
        tmp_path,
        {
            "a.md": "---\nid: a\ntitle: A\nsources: [baev2021]\nfacts:\n  - {id: f, label: F, kind: number}\n"
            "claims:\n  - {fact: f, value: 1, locator: p. 1}\n  - {fact: f, value: 1.0, locator: p. 2}\n"
            "  - {fact: g, value: 2, locator: p. 3}\n  - {fact: f, source: nobody, value: 3, locator: p. 4}\n---\n",
        },
    )
    assert [c.id for c in index.claims] == ["claim-f--baev2021", "claim-f--baev2021-2"]
    assert sorted((d.location.line, d.message) for d in diags) == [
        (10, "claim names unknown fact 'g'"),
        (11, "unknown citekey 'nobody'"),
    ]


POSITIONS = (
    "---\nid: a\ntitle: A\nsources: [baev2021]\nfacts:\n  - id: strength\n    label: S\n"
    "    kind: assessment\n    positions: {strong: deep and broad, mixed: uneven, weak: shallow}\n"
    "claims:\n  - {fact: strength, value: weakening, position: %s, quote: q}\n---\n"
)


def test_an_undeclared_position_is_an_error_suggesting_the_nearest(tmp_path):
    _, diags = index_of(tmp_path, {"a.md": POSITIONS % "weakening"})
    [diag] = diags
    assert (diag.severity, diag.location.line) == (Severity.ERROR, 11)
    assert diag.message == "'weakening' is not a position of strength"
    assert diag.hint.startswith("did you mean 'weak'?")
    assert "'strong', 'mixed', 'weak'" in diag.hint


def test_a_declared_position_passes_and_a_value_may_be_the_position(tmp_path):
    index, diags = index_of(tmp_path, {"a.md": POSITIONS % "weak"})
    assert diags == []
    assert [c.position for c in index.claims] == ["weak"]
    text = POSITIONS.replace("value: weakening, position: %s", "value: Mixed")
    index, diags = index_of(tmp_path, {"a.md": text})
    assert diags == []
    assert len(index.claims) == 1


def test_a_claim_without_position_on_an_assessment_is_an_error(tmp_path):
    _, diags = index_of(tmp_path, {"a.md": POSITIONS.replace(", position: %s", "")})
    assert [d.message for d in diags] == ["claim on 'strength' has no position"]
