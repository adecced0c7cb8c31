"""The change report names what changed in each disagreement, and in each quotation check."""

from __future__ import annotations

from build_scripts.model import BuildResult, PageFile
from build_scripts.report import compare, inventory


def claim(cid: str, source: str, display: str, status: str = "verified") -> dict:
    return {
        "id": cid,
        "source": source,
        "value": display,
        "normalised": {"display": display},
        "verification": {"status": status},
    }


LABELS = {"lo2008": "Lo 2008", "baev2021": "Baev 2021", "smith2024": "Smith 2024"}


def build(claims: list[dict], issues: list[dict]) -> dict:
    data = {"claims": claims, "inconsistencies": issues, "labels": LABELS}
    result = BuildResult(pages=[PageFile("a.md", "A", "0" * 64)], files=["claims.json"], notes=["n"])
    return inventory(data, result)


def issue(kind: str, claims: list[str], fact: str = "naval") -> dict:
    return {
        "id": f"disagreement-{kind}-{fact}",
        "fact": fact,
        "label": "Year of the first joint naval exercise",
        "kind": kind,
        "claims": claims,
    }


A = claim("c-a", "lo2008", "2005")
B = claim("c-b", "baev2021", "2003")
C = claim("c-c", "smith2024", "2012")


def test_a_new_value_from_a_new_source_widens_the_disagreement():
    old = build([A, B], [issue("date", ["c-a", "c-b"])])
    new = build([A, B, C], [issue("date", ["c-a", "c-b", "c-c"])])
    lines = compare(old, new)
    assert "claims: +1 -0; added: c-c" in lines
    assert (
        "widened disagreements (1): Year of the first joint naval exercise: 3 dates from 3 sources (+2012 Smith 2024)"
    ) in lines  # sources by their reader labels


def test_a_side_leaving_narrows_it_and_the_last_leaving_resolves_it():
    wide = build([A, B, C], [issue("date", ["c-a", "c-b", "c-c"])])
    narrow = build([A, B], [issue("date", ["c-a", "c-b"])])
    assert any(
        line.startswith("narrowed disagreements (1):") and "(-2012 Smith 2024)" in line
        for line in compare(wide, narrow)
    )
    gone = build([A], [])
    assert "resolved disagreements (1): Year of the first joint naval exercise: 2 dates from 2 sources" in compare(
        narrow, gone
    )
    assert "new disagreements (1): Year of the first joint naval exercise: 2 dates from 2 sources" in compare(
        gone, narrow
    )


def test_a_disagreement_explained_as_apparent_changes_kind_not_identity():
    real = build([A, B], [issue("date", ["c-a", "c-b"])])
    apparent = build([A, B], [issue("apparent", ["c-a", "c-b"])])
    lines = compare(real, apparent)
    assert "changed kind disagreements (1): Year of the first joint naval exercise: date → apparent" in lines
    assert not any(line.startswith(("new", "resolved")) for line in lines)


def test_claims_whose_verification_changed_are_named():
    before = build([A, claim("c-b", "baev2021", "2003", "unchecked")], [])
    after = build([A, B], [])
    assert "quotation checks changed (1): c-b: unchecked → verified" in compare(before, after)


def test_first_build_and_no_change():
    now = build([A, B], [issue("date", ["c-a", "c-b"])])
    assert compare(None, now) == ["first build: 1 notes, 2 claims, 1 disagreements, 1 pages"]
    assert compare(now, now) == ["no changes since the previous build"]


def test_positions_are_named_by_their_labels():
    facts = [
        {
            "id": "trend",
            "positions": {
                "peaked": {"label": "May have peaked", "gloss": "g"},
                "rising": {"label": "Still rising", "gloss": "g"},
            },
        }
    ]

    def said(cid: str, source: str, position: str) -> dict:
        return {
            "id": cid,
            "fact": "trend",
            "source": source,
            "value": position,
            "normalised": {"display": position, "position": position},
        }

    def run(claims: list[dict]) -> dict:
        data = {
            "facts": facts,
            "claims": claims,
            "labels": LABELS,
            "inconsistencies": [issue("assessment", [c["id"] for c in claims], "trend")],
        }
        return inventory(data, BuildResult(pages=[PageFile("a.md", "A", "0" * 64)], notes=["n"]))

    old = run([said("a", "lo2008", "rising"), said("b", "baev2021", "peaked")])
    new = run([said("a", "lo2008", "rising"), said("b", "baev2021", "peaked"), said("c", "smith2024", "peaked")])
    assert any("(+May have peaked Smith 2024)" in line for line in compare(old, new))
