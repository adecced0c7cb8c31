"""Diagnostics sort and print, whatever mix of files, lines, columns and severities they have."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from build_scripts.model import Diagnostic, Location, Severity

from .conftest import cli

LOCATIONS = st.builds(
    Location, st.sampled_from(["a.md", "b.md", "bib/x.bib"]), st.integers(0, 5), st.one_of(st.none(), st.integers(1, 5))
)
DIAGNOSTICS = st.builds(Diagnostic, LOCATIONS, st.sampled_from(Severity), st.text(max_size=20), st.text(max_size=10))


@given(st.lists(DIAGNOSTICS, max_size=30))
def test_any_mix_of_diagnostics_sorts_by_place_and_prints(diags):
    ordered = sorted(set(diags))
    keys = [(d.location.path, d.location.line, d.location.col or 0) for d in ordered]
    assert keys == sorted(keys)
    for diag in ordered:
        text = str(diag)
        assert text.startswith(f"{diag.location.path}")
        assert f": {diag.severity.value}: " in text


def test_a_place_without_column_comes_first_on_its_line():
    line, at_col = Location("a.md", 3), Location("a.md", 3, 6)
    assert sorted([at_col, line]) == [line, at_col]
    assert str(line) == "a.md:3"
    assert str(at_col) == "a.md:3:6"


def test_unsafe_image_and_raw_html_on_one_line_give_two_diagnostics(mini):

    (mini / "content" / "crash.md").write_text(
        "---\nid: crash\ntitle: Crash\n---\nText ![x](javascript:alert(1)) <script>alert(1)</script> end.\n",
        encoding="utf-8",
    )
    done = cli(mini, "check")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "content/crash.md:5: warning: raw HTML was sanitised" in done.stderr
    assert "content/crash.md:5:6: error: unsafe image 'javascript:alert(1)'" in done.stderr
