"""Property-based tests: whatever a note holds, reading it never raises and every diagnostic has a real line."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_scripts.model import Location, Replacement, Source
from build_scripts.notes import load
from build_scripts.notes.link import build_index
from build_scripts.notes.load import parse_note
from build_scripts.notes.scan import scan

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SOURCES = {k: Source(k, "article", {"title": k}, Location("bib/l.bib", 1)) for k in ("a", "b", "k1")}

# -- strategies -------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "a",
        "b",
        "k1",
        "f",
        "x",
        "note",
        "topic",
        "home",
        "number",
        "date",
        "assessment",
        "category",
        "rising",
        "USD 5 bn",
        "p. 3",
        "1992",
        "",
        " ",
        "é",
        "e\u0301",
        "<b>",
        "<script>",
        "javascript:alert(1)",
        "[@a]",
        "[[x]]",
        "{: onclick=1 }",
        "\t",
        "\n",
        "!!python/object:os.system",
        "&amp;",
        "--- ",
        "...",
        ":",
        "- x",
        "'",
        '"',
        "\u2028",
    ]
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=True), st.text(max_size=20), WORDS
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(WORDS, inner, max_size=4)),
    max_leaves=12,
)


def keys(schema: Iterable[str]) -> st.SearchStrategy[str]:
    """The schema's own keys, half the time, else near misses the loader must reject.

    Near misses: a key capitalised, a plural key in the singular (`topic`), and an unknown word.
    """
    known = sorted(schema)
    near = {k.capitalize() for k in known} | {k[:-1] for k in known if k.endswith("s")} | {"bogus"}
    return st.one_of(st.sampled_from(known), st.sampled_from(sorted(near - set(known))))


NOTE_KEYS = keys(load.NOTE_KEYS)
FACT_KEYS = keys(load.FACT_KEYS)
CLAIM_KEYS = keys(load.CLAIM_KEYS)
PASSED_OVER_KEYS = keys(load.PASSED_OVER_KEYS)
POSITIONS = st.dictionaries(WORDS, st.one_of(VALUES, st.dictionaries(keys(load.POSITION_KEYS), VALUES, max_size=3)))
ITEM = st.one_of(
    st.dictionaries(FACT_KEYS, st.one_of(VALUES, POSITIONS), max_size=6),
    st.dictionaries(CLAIM_KEYS, VALUES, max_size=6),
    st.dictionaries(PASSED_OVER_KEYS, VALUES, max_size=4),
    VALUES,
)
FRONT = st.dictionaries(NOTE_KEYS, st.one_of(VALUES, st.lists(ITEM, max_size=4)), max_size=9)

FRAGMENTS = st.sampled_from(
    [
        "[@",
        "[@a",
        "[@a]",
        "[@a, p. 3]",
        "[@a; @b, ch. 2]",
        "[@a,\n p. 3]",
        "@",
        "[[",
        "]]",
        "[[x]]",
        "[[x#y|z]]",
        "[[fact:f]]",
        "[[|]]",
        "[[#]]",
        ";",
        ",",
        "\n",
        "\n\n",
        "`",
        "``",
        "```",
        "\n```\n",
        "    ",
        "\t",
        "> ",
        "- ",
        "1. ",
        "# ",
        '!!! note "t"\n',
        "??? x\n",
        '=== "t"\n',
        "[^1]: ",
        "<b>",
        "</b>",
        "<script>",
        "</script>",
        "<div onclick=x>",
        "<!--",
        "-->",
        "<a/onmouseover=1>",
        "<",
        ">",
        "&",
        "&#106;",
        "](",
        "](javascript:x)",
        "[x]: data:y",
        "{: onclick=1 }",
        "{",
        "}",
        "\\",
        "*",
        "_",
        "|",
        "é",
        "e\u0301",
        "\x00",
        "\u2028",
        " ",
        "word",
    ]
)
BODY = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join)


def front_matter(data: dict) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None, sort_keys=False)
    except (yaml.YAMLError, ValueError):
        return "id: x\ntitle: T\n"


# -- checks -------------------------------------------------------------------------------------


def check_lines(diags, text: str) -> None:
    last = max(text.count("\n") + 1, 1)
    for d in diags:
        assert isinstance(d.location.line, int), (str(d), last)
        assert 0 <= d.location.line <= last, (str(d), last)
        assert d.location.col is None or d.location.col >= 1, str(d)
        str(d)


def check_note(data: bytes) -> None:
    note, diags = parse_note(data, "content/n.md")
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    check_lines(diags, text)
    if note is not None:
        lines = note.body.split("\n")
        for span in note.spans:
            assert 0 <= span.line < len(lines), span
            assert 0 <= span.start <= span.end <= len(lines[span.line]), span
        _index, found = build_index([note], SOURCES)
        check_lines(found, text)


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes(data):
    check_note(data)


@FUZZ
@given(st.text(max_size=300))
def test_any_text(text):
    check_note(text.encode("utf-8"))
    check_note(("---\n" + text).encode("utf-8"))


@FUZZ
@given(FRONT, BODY)
def test_yaml_front_matter_and_markdown_body(data, body):
    check_note(f"---\n{front_matter(data)}---\n{body}".encode())


@FUZZ
@given(st.lists(st.tuples(NOTE_KEYS, st.lists(WORDS, max_size=5).map(" ".join)), max_size=8), BODY)
def test_yaml_ish_lines(pairs, body):
    """Front matter written by hand: keys and junk that is often not valid YAML at all."""
    yaml_text = "\n".join(f"{key}: {value}" for key, value in pairs)
    check_note(f"---\n{yaml_text}\n---\n{body}".encode())


@FUZZ
@given(BODY, st.integers(1, 50))
def test_scan_never_raises_and_spans_fit_the_body(body, body_line):
    spans, diags = scan(body, "n.md", body_line)
    lines = body.split("\n")
    for span in spans:
        assert 0 <= span.line < len(lines)
        assert 0 <= span.start <= span.end <= len(lines[span.line]), (span, lines[span.line])
        if isinstance(span, Replacement):
            assert span.line <= span.end_line < len(lines)
    for d in diags:
        assert body_line <= d.location.line < body_line + len(lines), str(d)
    ordered = [(s.line, s.start) for s in spans]
    assert ordered == sorted(ordered)
    assert all(a.line != b.line or a.end <= b.start for a, b in itertools.pairwise(spans))


# -- the schema the strategies are built from ---------------------------------------------------------


@pytest.mark.parametrize("key", sorted(load.NOTE_KEYS))
def test_every_key_of_the_schema_is_known_to_the_loader(key):
    """The strategies draw from the loader's own key lists: each of them is a key a note may have."""
    _note, diags = parse_note(f"---\nid: n\ntitle: T\n{key}: \n---\nText.\n".encode(), "content/n.md")
    assert not [d for d in diags if "unknown note key" in d.message], [str(d) for d in diags]


def test_a_near_miss_of_a_key_is_reported_with_the_keys_allowed():
    _note, diags = parse_note(b"---\nid: n\ntitle: T\ntopic: x\n---\nText.\n", "content/n.md")
    unknown = [d for d in diags if "unknown note key 'topic'" in d.message]
    assert unknown, [str(d) for d in diags]
    assert unknown[0].location.line == 4
    assert "topics" in unknown[0].hint
