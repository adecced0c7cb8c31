"""Tests for reading claim values (build_scripts.notes.values)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from build_scripts.model import Claim, Fact, Location, Severity
from build_scripts.notes.values import Normalised, canonical_unit, normalise, parse_period

HERE = Location("content/notes/x.md", 7)


def read(value: str, kind: str = "number", unit: str = "", position: str = "") -> Normalised:
    fact = Fact("f", "F", kind, (), Location("content/topics/t.md", 3), unit=unit)
    result, diagnostics = normalise(fact, Claim("f", "src", value, "x", HERE, position=position))
    assert not diagnostics, diagnostics
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("value", "unit", "low", "high", "display"),
    [
        pytest.param("USD 5.56 billion", "USD", 5.555e9, 5.565e9, "USD 5.56 bn", id="usd_billion"),
        pytest.param("US$5.85 billion", "USD", 5.845e9, 5.855e9, "USD 5.85 bn", id="us_dollar_mark"),
        pytest.param("US$107.7 bn", "USD", 107.65e9, 107.75e9, "USD 107.7 bn", id="bn_abbreviation"),
        pytest.param("$1.2 trillion", "USD", 1.15e12, 1.25e12, "USD 1.2 tn", id="dollar_trillion"),
        pytest.param("1,200 billion", "USD", 1.1995e12, 1.2005e12, "USD 1,200 bn", id="thousands_separator"),
        pytest.param("107.70", "", 107.695, 107.705, "107.7", id="trailing_zero_precision"),
        pytest.param("4,000 km", "km", 3999.5, 4000.5, "4,000 km", id="plain_unit"),
        pytest.param("2.7 percent", "percent", 2.65, 2.75, "2.7%", id="percent_word"),
        pytest.param("70 per cent", "percent", 69.5, 70.5, "70%", id="per_cent_words"),
        pytest.param("70%", "percent", 69.5, 70.5, "70%", id="percent_sign"),
        pytest.param("5–6 billion", "USD", 4.5e9, 6.5e9, "USD 5–6 bn", id="range_en_dash"),
        pytest.param("5-6", "", 4.5, 6.5, "5–6", id="range_hyphen"),
        pytest.param("5 to 6 mn", "", 4.5e6, 6.5e6, "5–6 mn", id="range_to"),
        pytest.param("RMB 30 bn", "RMB", 29.5e9, 30.5e9, "RMB 30 bn", id="yuan_mark"),
        pytest.param("30 billion yuan", "RMB", 29.5e9, 30.5e9, "RMB 30 bn", id="yuan_word"),
        pytest.param("2 trillion rubles", "RUB", 1.5e12, 2.5e12, "RUB 2 tn", id="rubles"),
        pytest.param("12k", "count", 11.5e3, 12.5e3, "12 thousand", id="k_suffix"),
        pytest.param("-2.7 percent", "", -2.75, -2.65, "-2.7%", id="negative"),
        pytest.param("almost 70 percent", "percent", 0.9 * 69.5, 70.5, "almost 70%", id="almost"),
        pytest.param("nearly 70%", "percent", 0.9 * 69.5, 70.5, "almost 70%", id="nearly"),
        pytest.param("just under 70%", "percent", 0.9 * 69.5, 70.5, "almost 70%", id="just_under"),
        pytest.param("about 100", "", 89.55, 110.55, "about 100", id="about"),
        pytest.param("~100", "", 89.55, 110.55, "about 100", id="tilde"),
        pytest.param("some 4,000 km", "km", 0.9 * 3999.5, 1.1 * 4000.5, "about 4,000 km", id="some"),
        pytest.param("more than 70 percent", "percent", 69.5, math.inf, "more than 70%", id="more_than"),
        pytest.param("over 80%", "percent", 79.5, math.inf, "more than 80%", id="over"),
        pytest.param("at least 5", "", 4.5, math.inf, "at least 5", id="at_least"),
        pytest.param("less than 1 percent", "percent", 0.0, 1.5, "less than 1%", id="less_than_share"),
        pytest.param("below 0.1%", "percent", 0.0, 0.15, "less than 0.1%", id="below"),
        pytest.param("at most 3", "", -math.inf, 3.5, "at most 3", id="at_most_unbounded"),
        pytest.param("5,000+", "count", 4999.5, math.inf, "more than 5,000", id="plus_suffix"),
    ],
)
def test_numbers(value: str, unit: str, low: float, high: float, display: str) -> None:
    result = read(value, unit=unit)
    assert result.low == pytest.approx(low)
    assert result.high == pytest.approx(high)
    assert result.display == display
    assert result.position == ""


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("several billion", id="no_digits"),
        pytest.param("an estimated 5 bn", id="leading_words"),
        pytest.param("5 or 6 billion", id="two_numbers"),
        pytest.param("USD 5.56 billion in 1992", id="trailing_year"),
        pytest.param("", id="empty"),
    ],
)
def test_unreadable_number_is_a_warning(value: str) -> None:
    fact = Fact("trade-1992", "Trade", "number", (), HERE, unit="USD")
    result, diagnostics = normalise(fact, Claim("trade-1992", "src", value, "x", HERE))
    assert result is None
    [diagnostic] = diagnostics
    assert diagnostic.severity is Severity.WARNING
    assert diagnostic.location == HERE
    assert diagnostic.message == f"cannot read a number in value '{value}' for fact 'trade-1992'"
    assert "5.56 billion" in diagnostic.hint


@pytest.mark.parametrize(
    ("value", "unit"),
    [
        pytest.param("5 percent", "USD", id="percent_on_usd"),
        pytest.param("RMB 30 billion", "USD", id="other_currency"),
        pytest.param("USD 5", "count", id="money_on_count"),
    ],
)
def test_unit_mismatch_is_a_warning(value: str, unit: str) -> None:
    fact = Fact("f", "F", "number", (), HERE, unit=unit)
    result, diagnostics = normalise(fact, Claim("f", "src", value, "x", HERE))
    assert result is None
    [diagnostic] = diagnostics
    assert diagnostic.severity is Severity.WARNING
    assert "fact 'f' is in" in diagnostic.message


@pytest.mark.parametrize(
    ("value", "start", "end", "display"),
    [
        pytest.param("2008", date(2008, 1, 1), date(2008, 12, 31), "2008", id="year"),
        pytest.param("1990s", date(1990, 1, 1), date(1999, 12, 31), "1990s", id="decade"),
        pytest.param("early 1990s", date(1990, 1, 1), date(1999, 12, 31), "1990s", id="early_decade"),
        pytest.param("February 2022", date(2022, 2, 1), date(2022, 2, 28), "Feb 2022", id="month_name"),
        pytest.param("Feb 2022", date(2022, 2, 1), date(2022, 2, 28), "Feb 2022", id="month_abbr"),
        pytest.param("4 February 2022", date(2022, 2, 4), date(2022, 2, 4), "4 Feb 2022", id="day_month_year"),
        pytest.param("February 4, 2022", date(2022, 2, 4), date(2022, 2, 4), "4 Feb 2022", id="month_day_year"),
        pytest.param("2022-02-04", date(2022, 2, 4), date(2022, 2, 4), "4 Feb 2022", id="iso_day"),
        pytest.param("2022-02", date(2022, 2, 1), date(2022, 2, 28), "Feb 2022", id="iso_month"),
        pytest.param("2014–2016", date(2014, 1, 1), date(2016, 12, 31), "2014–2016", id="year_range"),
        pytest.param("2014-2016", date(2014, 1, 1), date(2016, 12, 31), "2014–2016", id="year_range_hyphen"),
        pytest.param("Jan–Aug 2021", date(2021, 1, 1), date(2021, 8, 31), "Jan–Aug 2021", id="month_range"),
        pytest.param("2021-01/2021-08", date(2021, 1, 1), date(2021, 8, 31), "Jan–Aug 2021", id="iso_interval"),
        pytest.param("in 2019", date(2019, 1, 1), date(2019, 12, 31), "2019", id="leading_in"),
    ],
)
def test_dates(value: str, start: date, end: date, display: str) -> None:
    result = read(value, kind="date")
    assert (result.low, result.high) == (start.toordinal(), end.toordinal())
    assert result.display == display


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("around 2008", id="hedged"),
        pytest.param("2022-02-30", id="no_such_day"),
        pytest.param("2016–2014", id="backwards_range"),
        pytest.param("soon", id="words"),
    ],
)
def test_unreadable_date_is_a_warning(value: str) -> None:
    fact = Fact("d", "D", "date", (), HERE)
    result, diagnostics = normalise(fact, Claim("d", "src", value, "x", HERE))
    assert result is None
    assert [d.message for d in diagnostics] == [f"cannot read a date in value '{value}' for fact 'd'"]
    assert diagnostics[0].hint


def test_parse_period_of_fact_time() -> None:
    assert parse_period("2021/2023") == (date(2021, 1, 1), date(2023, 12, 31), "2021–2023")
    assert parse_period("nonsense") is None


@pytest.mark.parametrize(
    ("kind", "value", "position", "expected"),
    [
        pytest.param("assessment", "trending incrementally upward", "Rising", "rising", id="position_wins"),
        pytest.param("category", "  Yes,  Partly ", "", "yes, partly", id="casefolded_value"),
    ],
)
def test_positions(kind: str, value: str, position: str, expected: str) -> None:
    result = read(value, kind=kind, position=position)
    assert (result.low, result.high, result.position, result.display) == (None, None, expected, expected)


def test_a_fact_of_unknown_kind_cannot_be_made() -> None:
    """Fact kinds are a closed set: the loader reports an unknown one, and the model refuses it."""
    with pytest.raises(ValueError, match="colour"):
        Fact("f", "F", "colour", (), HERE)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("US$", "USD"),
        ("usd", "USD"),
        ("Per  cent", "percent"),
        ("%", "percent"),
        ("yuan", "RMB"),
        ("Passengers", "passengers"),
    ],
)
def test_canonical_unit(written: str, canonical: str) -> None:
    assert canonical_unit(written) == canonical
