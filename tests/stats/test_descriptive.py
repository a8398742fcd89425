"""The descriptive table: mean pre-departure cost, share who borrowed, mean debt, by group."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from fairpassage.stats.canonical import from_records, indicator_table
from fairpassage.stats.descriptive import describe

TABLE = pl.DataFrame(
    {
        "sex": ["F", "F", "M", "M", "M", "M"],
        "pre": ["100", "300", "200", "", "400", "0"],
        "borrowed": ["yes", "no", "1", "có", None, "0"],
        "debt": [50, 0, 100, None, 300, 0],
        "w": [1, 3, 2, 2, 1, 1],
    }
)


def test_weighted_figures_over_the_people_who_answered() -> None:
    result = describe(
        TABLE,
        pre_departure_cost="pre",
        borrowed="borrowed",
        debt="debt",
        weight="w",
        by=[["sex"]],
        min_cell=2,
    )
    overall = result["overall"]
    assert overall["n"] == 6
    # pre: (100*1 + 300*3 + 200*2 + 400*1 + 0*1) / (1+3+2+1+1) = 1800/8
    assert overall["mean_pre_departure_cost"] == pytest.approx(225.0)
    # borrowed: yes(1), no(3), 1(2), có(2), 0(1) -> (1 + 2 + 2) / 9
    assert overall["share_borrowed"] == pytest.approx(round(5 / 9, 6))
    # debt: (50 + 0 + 200 + 300 + 0) / (1+3+2+1+1)
    assert overall["mean_debt"] == pytest.approx(550 / 8)
    women = next(g for g in result["groups"] if g["by"] == {"sex": "F"})
    assert women["share_borrowed"] == pytest.approx(0.25)


def test_small_groups_are_suppressed() -> None:
    result = describe(
        TABLE, pre_departure_cost="pre", borrowed="borrowed", debt="debt", by=[["sex"]], min_cell=3
    )
    assert result["groups"][0] == {"by": {"sex": "F"}, "suppressed": True}
    assert result["groups"][1]["n"] == 4


def test_records_from_resolved_cases_become_the_canonical_table() -> None:
    records: list[dict[str, Any]] = [
        {
            "respondent_id": "CASE-0001",
            "sex": "female",
            "programme": "titp",
            "departure_year": 2024,
            "first_month_earnings": 160000,
            "earnings_currency": "JPY",
            "items": [
                {
                    "item": "service_fee",
                    "paid_when": "before_departure",
                    "amount": 98000000,
                    "currency": "VND",
                },
                {
                    "item": "deposit",
                    "paid_when": "before_departure",
                    "amount": 30000000,
                    "currency": "VND",
                },
            ],
        },
        {
            "respondent_id": "CASE-0002",
            "sex": "male",
            "items": [
                {"item": "travel", "paid_when": "before_departure", "amount": -1, "currency": "VND"}
            ],
        },
    ]
    bad = from_records(records)
    assert [(p.row, p.code) for p in bad.problems] == [(2, "negative_amount")]
    good = from_records(records[:1])
    assert good.ok and good.items.height == 2
    table = indicator_table(good.respondents, good.items, target="VND")
    assert table["cost_total"].to_list() == [128000000.0]


def test_a_question_nobody_answered_is_null() -> None:
    table = pl.DataFrame({"pre": ["1"], "borrowed": [None], "debt": [None]})
    result = describe(table, pre_departure_cost="pre", borrowed="borrowed", debt="debt", min_cell=1)
    assert result["overall"]["share_borrowed"] is None and result["overall"]["mean_debt"] is None
