"""Amounts as people write them: one parser, in the pure core."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairpassage.text.amounts import AmountError, ParsedAmount, parse_amount


@pytest.mark.parametrize(
    ("typed", "value", "currency"),
    [
        ("120.000.000", 120_000_000, None),
        ("120,000,000", 120_000_000, None),
        ("120 000 000", 120_000_000, None),
        ("120000000", 120_000_000, None),
        ("120tr", 120_000_000, None),
        ("120 triệu", 120_000_000, None),
        ("120 trieu", 120_000_000, None),
        ("1,2 tỷ", 1_200_000_000, None),
        ("1,2 ty", 1_200_000_000, None),
        ("1.5tr", 1_500_000, None),
        ("500k", 500_000, None),
        ("50 nghìn", 50_000, None),
        ("50 ngàn", 50_000, None),
        ("¥180,000", 180_000, "JPY"),
        ("￥180，000", 180_000, "JPY"),
        ("18万円", 180_000, "JPY"),
        ("１８万円", 180_000, "JPY"),
        ("180.000 yên", 180_000, "JPY"),
        ("180000 yen", 180_000, "JPY"),
        ("１２０．０００．０００", 120_000_000, None),
        ("30.000.000đ", 30_000_000, "VND"),
        ("30.000.000 ₫", 30_000_000, "VND"),
        ("30 triệu đồng", 30_000_000, "VND"),
        ("30000000 VND", 30_000_000, "VND"),
        ("$1,200", 1_200, "USD"),
        ("1.200 USD", 1_200, "USD"),
        ("1.234.567,5", Decimal("1234567.5"), None),
    ],
)
def test_amounts_as_people_write_them(
    typed: str, value: int | Decimal, currency: str | None
) -> None:
    assert parse_amount(typed) == ParsedAmount(Decimal(value), currency)


def test_dollar_cents_are_read_when_the_currency_is_dollars() -> None:
    assert parse_amount("12.50", currency="USD").value == Decimal("12.50")
    assert parse_amount("12.50 USD").value == Decimal("12.50")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1.5", "ambiguous"),
        ("120,5", "ambiguous"),
        ("12.50", "ambiguous"),
        ("1.500 tr", "ambiguous"),
        ("1,2.3", "ambiguous"),
        ("1.20.000", "ambiguous"),
        ("12 34", "ambiguous"),
        ("", "empty"),
        ("   ", "empty"),
        ("-5", "negative"),
        ("abc", "invalid"),
        ("tr", "invalid"),
        ("120 yên đ", "currencies"),
        ("1.234 k ¥ $", "currencies"),
    ],
)
def test_what_cannot_be_read_for_sure_is_refused_not_guessed(typed: str, code: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(typed)
    assert caught.value.code == code


def test_an_amount_finer_than_a_hundredth_is_refused() -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount("0,000001 k")
    assert caught.value.code == "precision"


AMOUNTS = st.integers(min_value=0, max_value=10**13)


def vietnamese(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(AMOUNTS)
def test_vietnamese_grouping_reads_back(n: int) -> None:
    assert parse_amount(vietnamese(n)).value == n
    assert parse_amount(vietnamese(n) + " đ") == ParsedAmount(Decimal(n), "VND")
    assert parse_amount(vietnamese(n) + " yên") == ParsedAmount(Decimal(n), "JPY")


@given(AMOUNTS)
def test_japanese_grouping_reads_back(n: int) -> None:
    assert parse_amount(f"{n:,}").value == n
    assert parse_amount(f"¥{n:,}") == ParsedAmount(Decimal(n), "JPY")
    assert parse_amount(f"{n:,}円") == ParsedAmount(Decimal(n), "JPY")
    wide = f"{n:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    assert parse_amount(wide).value == n


@given(AMOUNTS)
def test_space_grouping_reads_back(n: int) -> None:
    assert parse_amount(f"{n:,}".replace(",", " ")).value == n


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=1, max_value=9))
def test_millions_with_a_decimal_comma_read_back(whole: int, tenth: int) -> None:
    expected = (Decimal(whole) + Decimal(tenth) / 10) * 10**6
    assert parse_amount(f"{whole},{tenth} triệu").value == expected
    assert parse_amount(f"{whole}.{tenth}tr").value == expected


@given(st.integers(min_value=1, max_value=99_999))
def test_man_yen_reads_back(n: int) -> None:
    assert parse_amount(f"{n}万円") == ParsedAmount(Decimal(n * 10_000), "JPY")
