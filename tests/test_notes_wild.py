"""Notes as they are found in the wild: broken YAML, odd encodings, hostile ids, symbolic links.

Every problem is a diagnostic with a file and line, never an exception.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from build_scripts.model import Location, Severity, Source
from build_scripts.notes.frontmatter import MAX_ID_LENGTH
from build_scripts.notes.link import build_index
from build_scripts.notes.load import load_notes, parse_note
from build_scripts.page_paths import source_page

from .conftest import cli, write

HEAD = "---\nid: n\ntitle: T\n"


def parse(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_note(data, "content/n.md")


def errors(diags):
    return [d for d in diags if d.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        pytest.param("---\nid: n\ntitle: [unclosed\n---\n", 3, "not valid YAML", id="malformed-yaml"),
        pytest.param("---\nid: n\ntitle: a: b: c\n---\n", 3, "not valid YAML", id="unquoted-colon"),
        pytest.param("---\nid: n\ntitle: T\ntitle: U\n---\n", 4, "duplicate key 'title'", id="duplicate-key"),
        pytest.param(
            HEAD + "sources: [a]\nclaims:\n  - {fact: f, value: 1, value: 2, locator: p}\n---\n",
            6,
            "duplicate key 'value'",
            id="duplicate-key-in-claim",
        ),
        pytest.param("---\nid: n\ntitle: [a, b]\n---\n", 3, "'title' must be a str, not list", id="title-list"),
        pytest.param(HEAD + "order: first\n---\n", 4, "'order' must be an int", id="order-text"),
        pytest.param(HEAD + "sources: {a: 1}\n---\n", 4, "'sources' must be a list of names", id="sources-mapping"),
        pytest.param(HEAD + "topics: [1, 2]\n---\n", 4, "'topics' must be a list of names", id="topics-numbers"),
        pytest.param(HEAD + "facts: {id: f}\n---\n", 4, "'facts' must be a list of mappings", id="facts-mapping"),
        pytest.param(HEAD + "facts: [just, words]\n---\n", 4, "'facts' must be a list of mappings", id="facts-words"),
        pytest.param(
            HEAD + "sources: [a]\nclaims:\n  - {fact: f, value: {x: 1}, locator: p}\n---\n",
            6,
            "'value' must be a single value, not a mapping",
            id="value-mapping",
        ),
        pytest.param(
            HEAD + "facts:\n  - {id: f, label: F, kind: number, tolerance: lots}\n---\n",
            5,
            "'tolerance' must be an int or float",
            id="tolerance-text",
        ),
        pytest.param(
            HEAD + "facts:\n  - {id: f, label: F, kind: number, tolerance: .nan}\n---\n",
            5,
            "tolerance nan of fact 'f' is out of range",
            id="tolerance-nan",
        ),
        pytest.param(
            HEAD + "facts:\n  - {id: f, label: F, kind: number, tolerance: -1}\n---\n",
            5,
            "out of range",
            id="tolerance-negative",
        ),
        pytest.param(HEAD + "\tsources: [a]\n---\n", 4, "not valid YAML", id="tab-indent"),
        pytest.param(
            "---\nid: n\ntitle: !!python/object:os.system x\n---\n", 3, "cannot read 'title'", id="python-object-tag"
        ),
        pytest.param(
            "---\nid: n\ntitle: !!python/object/apply:os.system [echo hi]\n---\n",
            3,
            "cannot read 'title'",
            id="python-apply-tag",
        ),
        pytest.param(
            "---\nid: n\ntitle: !!python/name:os.system ''\n---\n", 3, "cannot read 'title'", id="python-name-tag"
        ),
        pytest.param("---\nid: n\ntitle: !custom x\n---\n", 3, "cannot read 'title'", id="custom-tag"),
        pytest.param(HEAD + "sources: &a [*a]\n---\n", 4, "cannot read 'sources'", id="recursive-alias"),
        pytest.param(
            "---\nid: n\ntitle: " + "[" * 3000 + "]" * 3000 + "\n---\n", 3, "nested too deeply", id="deep-nesting"
        ),
        pytest.param(HEAD + "order: 1" + "0" * 5000 + "\n---\n", 4, "cannot read 'order'", id="huge-int"),
        pytest.param("---\n- a\n- b\n---\n", 2, "must be a mapping", id="front-matter-list"),
        pytest.param("---\nid: n\ntitle: ''\n---\n", 3, "note title is empty", id="empty-title"),
        pytest.param("", 1, "note is empty", id="empty-file"),
        pytest.param(" \n\n\t\n", 1, "note is empty", id="whitespace-file"),
        pytest.param("Just some text.\n", 1, "no front matter", id="no-front-matter"),
        pytest.param("---\nid: n\ntitle: T\n", 1, "not closed", id="unclosed"),
        pytest.param("---\nid: n\ntitle: T\n---\n".encode("utf-16"), 1, "UTF-16", id="utf-16"),
        pytest.param(b"---\nid: n\ntitle: caf\xe9\n---\n", 3, "not UTF-8", id="latin-1"),
        pytest.param("---\nid: x\ntitle: [unclosed\n---\n", 3, "not valid YAML", id="bad-yaml"),
        pytest.param("---\nid: x\nid: y\ntitle: t\n---\n", 3, "duplicate key 'id'", id="duplicate-key"),
        pytest.param("---\nid: x\ntitle: t\ntopic: [a]\n---\n", 4, "unknown note key 'topic'", id="unknown-key"),
        pytest.param("---\nid: x\ntitle: [a, b]\n---\n", 3, "'title' must be a str", id="wrong-type"),
        pytest.param("---\nid: Bad Id\ntitle: t\n---\n", 2, "invalid note id", id="bad-id"),
        pytest.param("---\ntitle: t\n---\n", 2, "note has no 'id'", id="no-id"),
        pytest.param("---\nid: x\ntitle: t\nkind: page\n---\n", 4, "unknown kind 'page'", id="bad-kind"),
        pytest.param(
            "---\nid: x\ntitle: t\nclaims:\n  - {fact: f, value: 1, locator: p}\n---\n",
            5,
            "has no source",
            id="claim-without-source",
        ),
        pytest.param(
            "---\nid: x\ntitle: t\nsources: [a]\nclaims:\n  - {fact: f, locator: p}\n---\n",
            6,
            "claim has no value",
            id="claim-without-value",
        ),
        pytest.param(
            "---\nid: x\ntitle: t\nsources: [a]\nclaims:\n  - {fact: f, value: 2, locator: p, "
            "quote: one two three four five six seven eight nine ten eleven twelve thirteen}\n---\n",
            6,
            "quotation of 13 words",
            id="long-quote",
        ),
        pytest.param(
            "---\nid: x\ntitle: t\nfacts:\n  - {id: f, label: F, kind: guess}\n---\n",
            5,
            "unknown fact kind 'guess'",
            id="bad-fact-kind",
        ),
        pytest.param(
            "---\nid: x\ntitle: t\nclaims: just text\n---\n", 4, "must be a list of mappings", id="claims-not-list"
        ),
    ],
)
def test_broken_notes_are_errors_with_lines(data, line, message):
    _, diags = parse(data)
    found = errors(diags)
    assert found, diags
    assert found[0].location.path == "content/n.md"
    assert found[0].location.line == line, found
    assert message in found[0].message, found
    assert all(d.location.line >= 1 for d in diags)


def test_non_utf8_names_line_and_column():
    _, diags = parse(b"---\nid: n\ntitle: ok\n---\nBody\nsecond caf\xe9 line\n")
    assert str(diags[0]).startswith("content/n.md:6:11: error: note is not UTF-8 (byte 0xe9")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("\ufeff---\nid: n\ntitle: T\n---\nBody\n".encode(), id="bom"),
        pytest.param("\ufeff\ufeff---\nid: n\ntitle: T\n---\nBody\n".encode(), id="double-bom"),
        pytest.param(b"---\r\nid: n\r\ntitle: T\r\n---\r\nBody\r\n", id="crlf"),
        pytest.param(b"---\rid: n\rtitle: T\r---\rBody\r", id="old-mac"),
        pytest.param(b"---\nid: n\ntitle: T\n---\nBody with a NUL \x00 byte [@k].\n", id="nul-byte"),
    ],
)
def test_harmless_oddities_are_accepted(data):
    note, diags = parse(data)
    assert not errors(diags), diags
    assert (note.id, note.title, note.body_line) == ("n", "T", 5)


@pytest.mark.parametrize(
    ("value", "problem", "hint"),
    [
        pytest.param("../x", "an id is a name, not a path", "'x'", id="dotdot-slash"),
        pytest.param("/etc", "an id is a name, not a path", "'etc'", id="absolute"),
        pytest.param("..", "an id is a name, not a path", "lower-case ASCII", id="dotdot"),
        pytest.param("a/b", "an id is a name, not a path", "'a-b'", id="slash"),
        pytest.param("Alpha", "ids are lower-case", "'alpha'", id="upper-case"),
        pytest.param("caf\u00e9", "ASCII only", "'cafe'", id="composed-e-acute"),
        pytest.param("cafe\u0301", "ASCII only", "'cafe'", id="decomposed-e-acute"),
        pytest.param("-x", "starts with a letter or digit", "'x'", id="leading-dash"),
        pytest.param("a b", "lower-case letters, digits and '-' only", "'a-b'", id="space"),
    ],
)
def test_invalid_ids_say_why_and_suggest_one(value, problem, hint):
    _, diags = parse(f'---\nid: "{value}"\ntitle: T\n---\n')
    (error,) = errors(diags)
    assert error.location.line == 2
    assert f"invalid note id '{value}'" in error.message
    assert problem in error.message
    assert hint in error.hint


def test_id_length_is_capped():
    ok, diags = parse(f"---\nid: {'a' * MAX_ID_LENGTH}\ntitle: T\n---\n")
    assert ok is not None
    assert not diags
    _, diags = parse(f"---\nid: {'a' * (MAX_ID_LENGTH + 1)}\ntitle: T\n---\n")
    (error,) = errors(diags)
    assert error.location.line == 2
    assert f"is {MAX_ID_LENGTH + 1} characters long" in error.message


def test_fact_ids_are_checked_like_note_ids():
    _, diags = parse(HEAD + "facts:\n  - {id: ../../x, label: F, kind: number}\n---\n")
    (error,) = errors(diags)
    assert (error.location.line, error.message.split(":")[0]) == (5, "invalid fact id '../../x'")


def test_titles_and_values_keep_their_text():
    decomposed = "Cafe\u0301 <b> & \u00e9"
    note, diags = parse(
        f'---\nid: n\ntitle: "{decomposed}"\nsources: [k]\n'
        "claims:\n  - {fact: f, value: 107.70, position: no, locator: p. 2, quote: 107.70}\n---\n"
    )
    assert not diags
    assert note.title == decomposed
    (claim,) = note.claims
    assert (claim.value, claim.position) == ("107.70", "no")  # as written, not YAML's 107.7 and False


def test_missing_fact_is_not_called_none():
    _, diags = parse(HEAD + "sources: [a, b]\nclaims:\n  - {value: 1}\n---\n")
    assert not any("'None'" in d.message for d in diags)
    assert any(d.message == "claim has no source" for d in diags)


# -- the content folder -----------------------------------------------------------------------


def note_text(note_id: str, title: str = "T") -> str:
    return f"---\nid: {note_id}\ntitle: {title}\n---\nBody.\n"


def load(root: Path):
    return load_notes(root / "content", root)


def messages(diags) -> list[str]:
    return [str(d) for d in diags]


def test_empty_content_folder_is_a_warning(tmp_path):
    (tmp_path / "content").mkdir()
    notes, diags = load(tmp_path)
    assert notes == []
    assert messages(diags) == [
        "content: warning: no notes found (no *.md files in the content directory) "
        "(hint: add notes as content/<name>.md, each starting with YAML front matter)"
    ]


def test_duplicate_ids_are_errors(tmp_path):
    write(tmp_path / "content" / "a.md", note_text("same"))
    write(tmp_path / "content" / "b.md", note_text("same"))
    write(tmp_path / "content" / "c.md", note_text("Same"))
    notes, diags = load(tmp_path)
    index_diags = build_index(notes, {})[1]
    assert any(
        m.startswith("content/b.md:1: error: duplicate note id 'same' (also in content/a.md)")
        for m in messages(index_diags)
    )
    assert any(str(d).startswith("content/c.md:2: error: invalid note id 'Same': ids are lower-case") for d in diags)


def test_unicode_normalisation_twins_are_both_rejected_clearly(tmp_path):
    write(tmp_path / "content" / "nfc.md", note_text("caf\u00e9", "Caf\u00e9"))
    write(tmp_path / "content" / "nfd.md", note_text("cafe\u0301", "Cafe\u0301"))
    notes, diags = load(tmp_path)
    assert notes == []
    assert [(d.location.path, d.location.line) for d in diags] == [("content/nfc.md", 2), ("content/nfd.md", 2)]
    assert all("ASCII only" in d.message and "'cafe'" in d.hint for d in diags)


def test_reserved_note_id(tmp_path):
    write(tmp_path / "content" / "i.md", note_text("index"))
    notes, _ = load(tmp_path)
    _, diags = build_index(notes, {})
    assert any("note id 'index' is reserved" in d.message for d in diags)


@pytest.mark.parametrize(
    "key",
    ["../../evil", "..", "/etc/passwd", "a/../../b", "C:\\x", "x" * 300, "sp ace", "\u00e9v\u00eel", ".hidden"],
)
def test_source_pages_stay_inside_sources(key):
    page = source_page(key)
    parts = page.split("/")
    assert parts[0] == "sources"
    assert len(parts) == 2
    assert parts[1].endswith(".md")
    assert parts[1] not in (".md", "..md")
    assert not parts[1].startswith(".")
    assert len(parts[1]) <= 90
    assert ".." not in parts[1]


def test_citekeys_sharing_a_page_are_an_error():
    sources = {k: Source(k, "misc", {}, Location("bib/l.bib", n)) for n, k in enumerate(["Lo/2008", "lo-2008"], 1)}
    _, diags = build_index([], sources)
    assert messages(diags) == [
        "bib/l.bib:2: error: citekeys 'Lo/2008' and 'lo-2008' would share the page "
        "sources/lo-2008.md (hint: rename one of them (keys differing only in case or "
        "punctuation clash))"
    ]


needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symbolic links")


@needs_symlinks
def test_symlink_loops_do_not_hang(tmp_path):
    write(tmp_path / "content" / "sub" / "a.md", note_text("a"))
    os.symlink("..", tmp_path / "content" / "sub" / "loop")  # content/sub/loop -> content
    os.symlink(".", tmp_path / "content" / "self")  # content/self -> content
    os.symlink("..", tmp_path / "content" / "up")  # content/up -> the project root
    write(tmp_path / "docs" / "page.md", "not a note")
    notes, diags = load(tmp_path)
    assert [n.id for n in notes] == ["a"]
    assert sorted(str(d.location) for d in diags) == ["content/self", "content/sub/loop", "content/up"]
    assert all(d.severity is Severity.WARNING and "not followed" in d.message for d in diags)


@needs_symlinks
def test_links_out_of_the_project_are_errors_and_not_read(tmp_path):
    project = tmp_path / "project"
    write(tmp_path / "outside.md", note_text("outside"))
    write(tmp_path / "outside-dir" / "o.md", note_text("outside-dir"))
    write(project / "content" / "ok.md", note_text("ok"))
    os.symlink("/etc/passwd", project / "content" / "passwd.md")
    os.symlink("../../outside.md", project / "content" / "outside.md")
    os.symlink(str(tmp_path / "outside-dir"), project / "content" / "elsewhere")
    os.symlink("missing.md", project / "content" / "broken.md")
    os.symlink("/nonexistent/x", project / "content" / ".#emacs-lock.md")  # hidden: ignored
    notes, diags = load(project)
    assert [n.id for n in notes] == ["ok"]
    by_path = {d.location.path: d for d in diags}
    assert sorted(by_path) == ["content/broken.md", "content/elsewhere", "content/outside.md", "content/passwd.md"]
    assert all(d.severity is Severity.ERROR for d in diags)
    assert "symbolic link to a file outside the project: /etc/passwd" in by_path["content/passwd.md"].message
    assert "outside the project: ../../outside.md" in by_path["content/outside.md"].message
    assert "symbolic link to a folder outside the project" in by_path["content/elsewhere"].message
    assert "broken symbolic link" in by_path["content/broken.md"].message


@needs_symlinks
def test_links_inside_the_project_are_followed_once(tmp_path):
    write(tmp_path / "shared" / "s.md", note_text("shared"))
    write(tmp_path / "content" / "a.md", note_text("a"))
    os.symlink("../shared", tmp_path / "content" / "shared")
    os.symlink("a.md", tmp_path / "content" / "again.md")
    notes, diags = load(tmp_path)
    assert sorted(n.id for n in notes) == ["a", "shared"]
    assert [n.path for n in notes if n.id == "shared"] == ["content/shared/s.md"]
    assert messages(diags) == [
        "content/again.md: warning: same file as content/a.md (a symbolic link); read once (hint: remove the link)"
    ]


@needs_symlinks
def test_check_on_a_wild_corpus_reports_without_traceback(mini):
    content = mini / "content" / "notes"
    (content / "empty.md").write_bytes(b"")
    (content / "latin.md").write_bytes(b"---\nid: latin\ntitle: caf\xe9\n---\n")
    (content / "tag.md").write_text("---\nid: tag\ntitle: !!python/object/apply:os.system [echo pwned]\n---\n")
    (content / "escape.md").write_text("---\nid: ../escape\ntitle: T\n---\n")
    os.symlink("..", content / "loop")
    os.symlink("/etc/passwd", content / "passwd.md")
    done = cli(mini, "check", timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "pwned" not in done.stdout
    for expected in [
        "content/notes/empty.md:1: error: note is empty",
        "content/notes/latin.md:3:11: error: note is not UTF-8",
        "content/notes/tag.md:3: error: cannot read 'title'",
        "content/notes/escape.md:2: error: invalid note id '../escape'",
        "content/notes/passwd.md: error: symbolic link to a file outside the project",
    ]:
        assert expected in done.stderr, done.stderr
