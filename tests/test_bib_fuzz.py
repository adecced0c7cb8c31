"""Property-based tests of build_scripts.library.bib: whatever the input, no exception, only diagnostics.

Three kinds of input: arbitrary text (heavy on BibTeX's special characters and control
characters), arbitrary bytes, and well-formed libraries built from a small BibTeX grammar
(entries, @string macros, `#` concatenation, nested braces, crossrefs). Runs are
derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_scripts.citations import cite, csl_fields
from build_scripts.library.bib import load_library
from build_scripts.library.latex import decode_latex
from build_scripts.model import Diagnostic, Severity, Source

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
FUZZ = settings(
    deadline=None, derandomize=True, database=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow]
)
FORMAT = settings(FUZZ, max_examples=50)  # citeproc is slow: fewer, smaller examples


@pytest.fixture(scope="module")
def bibfile() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "refs.bib"


def load(path: Path, content: str | bytes) -> tuple[dict[str, Source], list[Diagnostic]]:
    path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    return load_library([path], path.parent)


def check(sources: dict[str, Source], diags: list[Diagnostic], max_line: int) -> None:
    """What must hold for any input: valid locations, sorted diagnostics, clean values."""
    assert diags == sorted(diags)
    for diag in diags:
        assert diag.location.path == "refs.bib"
        assert 0 <= diag.location.line <= max_line, diag
        assert str(diag).startswith(f"{diag.location}: {diag.severity.value}: ")
    for key, src in sources.items():
        assert key == src.key
        assert key.strip()
        assert src.entry_type
        assert 1 <= src.location.line <= max_line
        for text in (key, *src.fields, *src.fields.values()):
            assert not CONTROL.search(text), (key, text)


def lines(text: str) -> int:
    return text.count("\n") + text.count("\r") + 1


# -- arbitrary text and bytes -----------------------------------------------------------

SPECIAL = st.sampled_from(
    [
        *list('@{}()"#=,%\\\n\r\t '),
        "@misc{",
        "@string{",
        "@comment{",
        "crossref = ",
        "\x00",
        "\x1b",
        "\x85",
        "\ufeff",
        "\u2028",
        "\\\n",
    ]
)
TOKEN = st.one_of(SPECIAL, st.characters(), st.sampled_from("abcAB01"))
TEXT = st.lists(TOKEN, max_size=250).map("".join)


@FUZZ
@given(text=TEXT)
def test_any_text_loads_without_raising(bibfile: Path, text: str) -> None:
    sources, diags = load(bibfile, text)
    check(sources, diags, lines(text))


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.tuples(
            st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]), st.binary(max_size=200)
        ).map(b"".join),
        TEXT.map(lambda t: t.encode("utf-16", "surrogatepass")),
    )
)
def test_any_bytes_load_without_raising(bibfile: Path, data: bytes) -> None:
    sources, diags = load(bibfile, data)
    check(sources, diags, data.count(b"\n") + data.count(b"\r") + 1)


@FORMAT
@given(
    text=st.lists(TOKEN, max_size=100)
    .map("".join)
    .map(lambda t: "@misc{k,\n title = {" + t + "},\n author = {" + t[::-1] + "}}\n@book{j, " + t + "}\n")
)
def test_references_format_whatever_loads(bibfile: Path, text: str) -> None:
    sources, diags = load(bibfile, text)
    check(sources, diags, lines(text))
    refs = cite.Formatter().references(sources.values())
    assert set(refs) == set(sources)
    for ref in refs.values():
        assert not CONTROL.search(ref.html)


# -- well-formed libraries from a grammar -------------------------------------------------

WORD = st.builds(str.__add__, st.sampled_from("abcdefghijXYZ"), st.text(alphabet="abcXYZ0123456789-_:.", max_size=7))
PLAIN = st.lists(
    st.one_of(
        st.sampled_from(list("abc XYZ,=#%'()~.-\n\t")),
        st.sampled_from(["\\'e", "\\emph{x}", '{\\"u}', "--", "\u00e9", "\x00", "\x1b"]),
    ),
    max_size=12,
).map("".join)


def braced(depth: int = 3) -> st.SearchStrategy[str]:
    """`{...}` with balanced nested groups; the content never closes early."""
    if depth == 0:
        return PLAIN.map(lambda s: "{" + s + "}")
    inner = st.lists(st.one_of(PLAIN, braced(depth - 1)), max_size=3).map("".join)
    return inner.map(lambda s: "{" + s + "}")


QUOTED = st.lists(st.one_of(PLAIN.map(lambda s: s.replace('"', "")), braced(2)), max_size=3).map(
    lambda parts: '"' + "".join(parts) + '"'
)


ENTRY_TYPES = st.sampled_from(sorted(csl_fields.ENTRY_TYPES | {"misc", "unknown"})).flatmap(
    lambda kind: st.sampled_from([kind, kind.capitalize(), kind.upper()])
)
"""The entry types the site knows (from the CSL mapping), `misc`, one it does not; in any case."""


@st.composite
def library(draw: st.DrawFn) -> tuple[str, dict[str, int], set[str]]:
    """(text, line of each entry by lower-case key, lower-case keys given twice)."""
    macros = draw(st.lists(WORD, max_size=4, unique_by=str.lower))
    keys = draw(st.lists(WORD, min_size=1, max_size=6))
    operand = st.one_of(
        braced(),
        QUOTED,
        st.integers(0, 3000).map(str),
        st.sampled_from(["jan", "DEC"]),
        st.sampled_from(macros) if macros else WORD,
        WORD,
    )
    value = st.lists(operand, min_size=1, max_size=3).map(lambda parts: " # ".join(parts))
    fields = st.lists(
        st.tuples(st.one_of(WORD, st.sampled_from(["title", "author", "year", "Title"])), value), max_size=5
    )
    chunks, starts, twice = [], {}, set()
    line = 1

    def add(text: str) -> None:
        nonlocal line
        chunks.append(text)
        line += text.count("\n")

    for name in macros:
        add(f"@string{{{name} = {draw(value)}}}\n")
    for key in keys:
        if draw(st.booleans()):
            add(draw(st.sampled_from(["\n", "% comment\n", "stray text\n", "\t\n"])))
        low = key.lower()
        (twice.add(low) if low in starts else starts.setdefault(low, line))
        body = [f"  {name} = {val}" for name, val in draw(fields)]
        if draw(st.booleans()):
            target = draw(st.sampled_from(keys))
            body.append(f"  crossref = {{{target.upper() if draw(st.booleans()) else target}}}")
        open_, close = draw(st.sampled_from([("{", "}"), ("(", ")")]))
        entry_type = draw(ENTRY_TYPES)
        add(
            f"@{entry_type}{open_}{key},\n"
            + ",\n".join(body)
            + ("," if body and draw(st.booleans()) else "")
            + f"\n{close}\n"
        )
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return "".join(chunks).replace("\n", newline), starts, twice


ALLOWED_ERRORS = ("duplicate key", "differs only by case", "circular crossref")


@FUZZ
@given(lib=library())
def test_well_formed_library_loads_every_entry(bibfile: Path, lib: tuple[str, dict[str, int], set[str]]) -> None:
    text, starts, twice = lib
    sources, diags = load(bibfile, text)
    check(sources, diags, lines(text))
    assert {key.lower(): src.location.line for key, src in sources.items()} == starts
    for diag in diags:
        if diag.severity is Severity.ERROR:
            assert any(e in diag.message for e in ALLOWED_ERRORS), diag
    assert len([d for d in diags if "duplicate key" in d.message or "only by case" in d.message]) >= len(twice)
    for src in sources.values():
        for value in src.fields.values():
            decode_latex(value)


@FORMAT
@given(lib=library())
def test_references_format_every_well_formed_library(bibfile: Path, lib: tuple[str, dict[str, int], set[str]]) -> None:
    sources, _ = load(bibfile, lib[0])
    refs = cite.Formatter().references(sources.values())
    assert set(refs) == set(sources)
