"""Tests for finding disagreements between claims (build_scripts.check.reconcile)."""

from __future__ import annotations

import pytest

from build_scripts.check.reconcile import claim_key, reconcile
from build_scripts.model import Claim, Fact, Inconsistency, Location

FACT_AT = Location("content/topics/t.md", 4)


def fact(kind: str = "number", unit: str = "", tolerance: float | None = None, fid: str = "f") -> Fact:
    return Fact(fid, "A fact", kind, ("t",), FACT_AT, unit=unit, tolerance=tolerance)


def claim(source: str, value: str, *, fid: str = "f", position: str = "", suspect: str = "", n: int = 1) -> Claim:
    return Claim(
        fid,
        source,
        value,
        f"note-{source}",
        Location(f"content/notes/{source}.md", n),
        locator="p. 1",
        position=position,
        suspect=suspect,
        id=f"{fid}--{source}-{n}",
    )


def run(facts: list[Fact], claims: list[Claim]) -> list[Inconsistency]:
    found, _, diagnostics = reconcile({f.id: f for f in facts}, claims)
    assert not diagnostics, diagnostics
    return found


def kinds(found: list[Inconsistency]) -> list[str]:
    return [x.kind for x in found]


@pytest.mark.parametrize(
    ("unit", "a", "b", "disputed"),
    [
        pytest.param("USD", "USD 5.56 billion", "US$5.85 billion", True, id="usd_billions_differ"),
        pytest.param("USD", "$1.2 trillion", "1,200 billion", False, id="trillion_equals_billions"),
        pytest.param("USD", "US$107.7 bn", "107.70 billion", False, id="trailing_zero"),
        pytest.param("percent", "almost 70 percent", "70%", False, id="almost_vs_exact"),
        pytest.param("percent", "almost 70 percent", "73 percent", True, id="almost_vs_above"),
        pytest.param("percent", "more than 70 percent", "75%", False, id="more_than_vs_inside"),
        pytest.param("percent", "more than 70 percent", "60%", True, id="more_than_vs_below"),
        pytest.param("percent", "about 50 percent", "54 percent", False, id="about_within_ten_percent"),
        pytest.param("USD", "5–6 billion", "USD 6.4 billion", False, id="range_overlaps_rounding"),
        pytest.param("USD", "5–6 billion", "USD 6.6 billion", True, id="range_misses"),
        pytest.param("USD", "USD 100 billion", "USD 100.9 billion", False, id="within_default_tolerance"),
        pytest.param("USD", "USD 100 billion", "USD 102 billion", True, id="beyond_default_tolerance"),
    ],
)
def test_numeric(unit: str, a: str, b: str, disputed: bool) -> None:
    found = run([fact(unit=unit)], [claim("alpha", a), claim("beta", b)])
    assert kinds(found) == (["numeric"] if disputed else [])


def test_tolerance_override() -> None:
    claims = [claim("alpha", "USD 100 billion"), claim("beta", "USD 108 billion")]
    assert kinds(run([fact(unit="USD")], claims)) == ["numeric"]
    assert kinds(run([fact(unit="USD", tolerance=0.1)], claims)) == []
    assert kinds(run([fact(unit="USD", tolerance=0.0)], [claim("a", "100.0"), claim("b", "100.2")])) == ["numeric"]


def test_numeric_summary_and_claim_order() -> None:
    trade = fact(unit="USD")
    claims = [claim("nolimits-partnership", "USD 5.56 billion"), claim("beijing-moscow-axis", "US$5.85 billion")]
    [found] = run([trade], claims)
    assert found.fact is trade
    assert found.summary == (
        "2 sources disagree: USD 5.56 bn (nolimits-partnership) vs USD 5.85 bn (beijing-moscow-axis)"
    )
    assert [c.source for c in found.claims] == ["beijing-moscow-axis", "nolimits-partnership"]
    assert found.anchor == "disagreement-numeric-f"


def test_summary_groups_sources_with_the_same_value() -> None:
    claims = [claim("c", "USD 5.85 billion"), claim("a", "USD 5.56 billion"), claim("b", "5.56 bn")]
    [found] = run([fact(unit="USD")], claims)
    assert found.summary == "3 sources disagree: USD 5.56 bn (a, b) vs USD 5.85 bn (c)"


@pytest.mark.parametrize(
    ("a", "b", "disputed"),
    [
        pytest.param("2008", "2004", True, id="different_years"),
        pytest.param("2008", "March 2008", False, id="month_inside_year"),
        pytest.param("1990s", "early 1990s", False, id="decade"),
        pytest.param("2014–2016", "2016", False, id="range_overlap"),
        pytest.param("4 February 2022", "February 5, 2022", True, id="adjacent_days"),
    ],
)
def test_dates(a: str, b: str, disputed: bool) -> None:
    found = run([fact("date")], [claim("alpha", a), claim("beta", b)])
    assert kinds(found) == (["date"] if disputed else [])
    if disputed:
        assert found[0].summary.startswith("2 sources disagree: ")


def test_date_summary() -> None:
    [found] = run([fact("date")], [claim("alpha", "2008"), claim("beta", "2004")])
    assert found.summary == "2 sources disagree: 2004 (beta) vs 2008 (alpha)"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [pytest.param("category", "categorical", id="category"), pytest.param("assessment", "assessment", id="assessment")],
)
def test_positions(kind: str, expected: str) -> None:
    claims = [
        claim("alpha", "trending upward", position="rising"),
        claim("beta", "has peaked", position="peaked"),
        claim("gamma", "keeps growing", position="Rising"),
    ]
    [found] = run([fact(kind)], claims)
    assert found.kind == expected
    assert found.summary == "3 sources disagree: rising (alpha, gamma) vs peaked (beta)"
    assert run([fact(kind)], [claims[0], claims[2]]) == []


def test_suspect_claim_is_internal() -> None:
    claims = [claim("alpha", "USD 383,373 billion", suspect="a misprint for 383.373 billion")]
    [found] = run([fact(unit="USD")], claims)
    assert found.kind == "internal"
    assert found.claims == tuple(claims)
    assert found.summary == "Possible error in alpha (USD 383,373 bn): A misprint for 383.373 billion."


def test_same_source_contradiction() -> None:
    claims = [claim("alpha", "70%", n=1), claim("alpha", "73 percent", n=2), claim("beta", "70 percent")]
    found = run([fact(unit="percent")], claims)
    assert kinds(found) == ["internal", "numeric"]
    internal = found[0]
    assert [c.id for c in internal.claims] == ["f--alpha-1", "f--alpha-2"]
    assert internal.summary == "alpha gives 70% and 73%, which cannot both be right."


def test_same_source_agreement_is_not_internal() -> None:
    claims = [claim("alpha", "70%", n=1), claim("alpha", "almost 70 percent", n=2)]
    assert run([fact(unit="percent")], claims) == []


@pytest.mark.parametrize(
    ("kind", "unit", "value", "reason"),
    [
        pytest.param("number", "percent", "120 percent", "a share outside 0–100%", id="share_above_100"),
        pytest.param("number", "", "-5%", "a share outside 0–100%", id="negative_share"),
        pytest.param("number", "count", "-3", "a negative count", id="negative_count"),
        pytest.param("number", "USD", "-USD 3 bn", "", id="not_a_number_form"),
        pytest.param("number", "USD", "-3 billion", "a negative amount of money", id="negative_money"),
        pytest.param("date", "", "2150", "a year outside 1000–2100", id="future_year"),
        pytest.param("date", "", "0999", "a year outside 1000–2100", id="ancient_year"),
    ],
)
def test_impossible_values(kind: str, unit: str, value: str, reason: str) -> None:
    found, values, diagnostics = reconcile({"f": fact(kind, unit=unit)}, [claim("alpha", value)])
    if not reason:
        assert found == []
        assert values == {}
        assert diagnostics
        return
    [internal] = found
    assert internal.kind == "internal"
    (problem,) = internal.problems
    assert (problem.kind, problem.source, problem.why) == ("impossible", "alpha", reason)
    assert internal.summary.startswith("alpha gives ")
    assert internal.summary.endswith(f"cannot be right: {reason[:1].upper()}{reason[1:]}.")


def test_one_internal_inconsistency_lists_every_reason() -> None:
    claims = [claim("alpha", "120 percent", n=1, suspect="probably 12"), claim("alpha", "12%", n=2)]
    [internal] = run([fact(unit="percent")], claims)
    assert internal.kind == "internal"
    assert internal.claims == tuple(claims)
    assert internal.summary == (
        "Possible error in alpha (120%): Probably 12. alpha gives 12% and 120%, which cannot both be right. "
        "alpha gives 120%, which cannot be right: A share outside 0–100%."
    )
    # The pages say the same, naming the source by its label and a position by its label.
    assert [p.kind for p in internal.problems] == ["suspect", "contradicts-itself", "impossible"]


def test_unknown_fact_and_unreadable_values_are_skipped() -> None:
    claims = [claim("alpha", "USD 5 billion"), claim("beta", "lots"), claim("gamma", "USD 9 billion", fid="ghost")]
    found, values, diagnostics = reconcile({"f": fact(unit="USD")}, claims)
    assert found == []
    assert list(values) == ["f--alpha-1"]
    assert [d.message for d in diagnostics] == ["cannot read a number in value 'lots' for fact 'f'"]
    assert diagnostics[0].location == claims[1].location


def test_output_is_sorted_and_keyed_by_claim_id() -> None:
    facts = [fact(fid="b-fact", unit="USD"), fact("date", fid="a-fact")]
    claims = [
        claim("x", "1.0 bn", fid="b-fact"),
        claim("y", "2.0 bn", fid="b-fact", suspect="odd"),
        claim("x", "2001", fid="a-fact"),
        claim("y", "2002", fid="a-fact"),
    ]
    found, values, _ = reconcile({f.id: f for f in facts}, claims)
    assert [(x.fact.id, x.kind) for x in found] == [("a-fact", "date"), ("b-fact", "internal"), ("b-fact", "numeric")]
    assert set(values) == {claim_key(c) for c in claims}
    assert reconcile({f.id: f for f in facts}, list(reversed(claims)))[0] == found


def test_claim_key_falls_back_to_fact_and_source() -> None:
    assert claim_key(Claim("f", "src", "1", "n", FACT_AT)) == "f--src"
