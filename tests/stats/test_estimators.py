"""SDG 10.7.1 estimators on hand-computed tables and on the published headline arithmetic."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest

from fairpassage.stats.prepare import Currency
from fairpassage.stats.sdg import indicator

# The synthetic fixture of the method note (§4.2): ids 5 (out of the window) and 6 (no earnings).
FIXTURE = pl.DataFrame(
    {
        "id": [1, 2, 3, 4, 5, 6],
        "sex": ["M", "F", "M", "F", "M", "M"],
        "dest": ["JP", "JP", "JP", "TW", "JP", "JP"],
        "first_job_year": [2019, 2020, 2018, 2019, 2016, 2020],
        "weight": [100, 150, 120, 80, 90, 60],
        "cost_usd": [6000, 7000, 0, 4000, 8000, 3000],
        "earnings_usd": [1200, 1000, 1500, 800, 1100, None],
    }
)
IN_WINDOW = FIXTURE.filter(pl.col("first_job_year") >= 2018)


def run(table: pl.DataFrame, **options: Any) -> dict[str, Any]:
    options.setdefault("min_cell", 1)
    return indicator(table, cost="cost_usd", earnings="earnings_usd", **options)


def group(report: dict[str, Any], **by: Any) -> dict[str, Any]:
    return next(g for g in report["groups"] if g["by"] == by)


def test_reference_fixture_all_in_scope() -> None:
    report = run(IN_WINDOW, weight="weight", by=[["sex"], ["dest"]])
    overall = report["overall"]
    assert (overall["n"], overall["sum_weights"], overall["excluded"]) == (4, 450.0, 1)
    assert overall["ratio_of_means"] == pytest.approx(3.8327, abs=5e-5)
    assert overall["mean_of_ratios"] == pytest.approx(4.3333, abs=5e-5)
    assert overall["median_ratio"] == 5.0
    assert overall["share_zero_cost"] == pytest.approx(120 / 450, abs=1e-6)
    assert report["excluded_rows"][0]["reason"] == "earnings_missing"
    expected = {
        ("sex", "F"): (2, 6.4019, 6.3043, 7.0),
        ("sex", "M"): (2, 2.0, 2.2727, 0.0),
        ("dest", "JP"): (3, 3.6667, 4.1892, 5.0),
    }
    for (col, value), (n, rom, mor, median) in expected.items():
        cell = group(report, **{col: value})
        assert cell["n"] == n
        assert cell["ratio_of_means"] == pytest.approx(rom, abs=5e-5)
        assert cell["mean_of_ratios"] == pytest.approx(mor, abs=5e-5)
        assert cell["median_ratio"] == median


def test_reference_fixture_unweighted_and_paid_only() -> None:
    unweighted = run(IN_WINDOW)["overall"]
    assert unweighted["ratio_of_means"] == pytest.approx(3.7778, abs=5e-5)
    assert unweighted["mean_of_ratios"] == pytest.approx(4.25, abs=5e-5)
    paid = run(IN_WINDOW, weight="weight", exclude_zero_cost=True)
    assert paid["overall"]["n"] == 3 and paid["overall"]["sum_weights"] == 330.0
    assert paid["overall"]["ratio_of_means"] == pytest.approx(5.8982, abs=5e-5)
    assert paid["overall"]["mean_of_ratios"] == pytest.approx(5.9091, abs=5e-5)
    assert [row["reason"] for row in paid["excluded_rows"]] == ["cost_zero", "earnings_missing"]


def _by_construction(mean_cost: float, mean_earnings: float, weights: list[float]) -> pl.DataFrame:
    """Workers whose weighted mean cost and earnings are the published means, with spread."""
    spread = [0.6, 1.4, 1.0, 0.8, 1.2][: len(weights)]
    base_w = sum(weights)
    # rescale so that Σ w·x / Σ w equals the published mean exactly
    cost_scale = mean_cost * base_w / sum(w * s for w, s in zip(weights, spread, strict=True))
    earn = list(reversed(spread))
    earn_scale = mean_earnings * base_w / sum(w * s for w, s in zip(weights, earn, strict=True))
    return pl.DataFrame(
        {
            "weight": weights,
            "cost_usd": [cost_scale * s for s in spread],
            "earnings_usd": [earn_scale * s for s in earn],
        }
    )


@pytest.mark.parametrize(
    ("survey", "mean_cost", "mean_earnings", "published"),
    [
        ("Viet Nam LFS 2021 (VND)", 165.0e6, 22.4e6, 7.4),
        ("Bangladesh CMS 2020 (Tk)", 416_789, 23_693, 17.6),
        ("Lao PDR LFS 2017 (USD)", 141.31, 430.88, 0.33),
        ("Lao PDR LFS 2017, men (USD)", 141.35, 435.49, 0.32),
    ],
)
def test_published_headlines_are_the_ratio_of_means(
    survey: str, mean_cost: float, mean_earnings: float, published: float
) -> None:
    table = _by_construction(mean_cost, mean_earnings, [120.0, 80.0, 200.0, 50.0, 150.0])
    overall = run(table, weight="weight")["overall"]
    digits = 1 if published >= 1 else 2
    assert round(overall["ratio_of_means"], digits) == published, survey
    # the mean of the individual ratios differs once costs and earnings vary: (A) is the headline
    assert round(overall["mean_of_ratios"], digits) != published, survey


def test_lao_weighted_totals_reproduce_the_published_figure() -> None:
    # 254 sample cases standing for 48,429 persons; costs USD 6,843,640, earnings USD 20,866,748
    weights = [48_429 / 254] * 254
    per_person_cost, per_person_earnings = 6_843_640 / 48_429, 20_866_748 / 48_429
    factors = [0.5 + (i % 11) / 10 for i in range(254)]
    mean_factor = sum(factors) / 254
    table = pl.DataFrame(
        {
            "weight": weights,
            "cost_usd": [per_person_cost * f / mean_factor for f in factors],
            "earnings_usd": [per_person_earnings] * 254,
        }
    )
    overall = run(table, weight="weight")["overall"]
    assert overall["n"] == 254
    assert overall["sum_weights"] == pytest.approx(48_429)
    assert overall["ratio_of_means"] == pytest.approx(6_843_640 / 20_866_748, abs=1e-6)
    assert round(overall["ratio_of_means"], 2) == 0.33


def test_weighted_median_and_p80_with_ties_and_exact_half() -> None:
    # ratios 1, 2, 2, 3, 4 with weights 1, 2, 1, 2, 4 (total 10; half = 5)
    table = pl.DataFrame(
        {
            "cost_usd": [400, 100, 300, 200, 200],
            "earnings_usd": [100, 100, 100, 100, 100],
            "weight": [4, 1, 2, 1, 2],
        }
    )
    overall = run(table, weight="weight")["overall"]
    # sorted: r=1 (w1, cum 1), r=2 (w1+w2, cum 4), r=3 (w2, cum 6), r=4 (w4, cum 10)
    assert overall["median_ratio"] == 3.0
    assert overall["p80_ratio"] == 4.0
    # exactly half: weights 1,1,1,1 on 1,2,3,4 -> cumulative 2 reaches 2 at r = 2
    even = pl.DataFrame({"cost_usd": [1, 2, 3, 4], "earnings_usd": [1, 1, 1, 1]})
    assert run(even)["overall"]["median_ratio"] == 2.0
    assert run(even)["overall"]["p80_ratio"] == 4.0


def test_zero_costs_count_and_excluded_rows_are_listed() -> None:
    table = pl.DataFrame(
        {
            "cost_usd": ["0", "100", "-5", "50", "", "x", "10", "10"],
            "earnings_usd": ["100", "0", "100", "-1", "100", "100", "abc", None],
        }
    )
    report = run(table)
    assert report["overall"]["n"] == 1 and report["overall"]["ratio_of_means"] == 0.0
    assert report["overall"]["share_zero_cost"] == 1.0
    reasons = [(row["row"], row["reason"]) for row in report["excluded_rows"]]
    assert reasons == [
        (3, "earnings_zero"),
        (4, "cost_negative"),
        (5, "earnings_negative"),
        (6, "cost_missing"),
        (7, "cost_not_number"),
        (8, "earnings_not_number"),
        (9, "earnings_missing"),
    ]
    assert report["overall"]["excluded"] == 7
    assert all(row["message"] for row in report["excluded_rows"])


def test_amounts_that_are_not_finite_numbers_are_excluded_with_a_reason() -> None:
    text = pl.DataFrame(
        {"cost_usd": ["100", "200", "0", "inf"], "earnings_usd": ["nan", "50", "Infinity", "10"]}
    )
    report = run(text)
    assert report["overall"]["n"] == 1 and report["overall"]["ratio_of_means"] == 4.0
    reasons = [(row["row"], row["reason"]) for row in report["excluded_rows"]]
    assert reasons == [
        (2, "earnings_not_number"),
        (4, "earnings_not_number"),
        (5, "cost_not_number"),
    ]
    floats = pl.DataFrame(
        {"cost_usd": [100.0, 200.0, float("nan")], "earnings_usd": [float("inf"), 50.0, 10.0]}
    )
    report = run(floats)
    assert report["overall"]["n"] == 1 and report["overall"]["ratio_of_means"] == 4.0
    assert [row["reason"] for row in report["excluded_rows"]] == [
        "earnings_not_number",
        "cost_not_number",
    ]


def test_weights_must_be_positive_numbers() -> None:
    table = pl.DataFrame(
        {"cost_usd": [1, 1, 1, 1], "earnings_usd": [1, 1, 1, 1], "w": ["1", "0", "", "z"]}
    )
    reasons = [row["reason"] for row in run(table, weight="w")["excluded_rows"]]
    assert reasons == ["weight_not_positive", "weight_missing", "weight_not_number"]


def _linearised(rows: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Standard errors of the ratio of means and the mean of ratios, loop by loop."""
    n = len(rows)
    sw = sum(w for w, _c, _e in rows)
    swe = sum(w * e for w, _c, e in rows)
    rom = sum(w * c for w, c, _e in rows) / swe
    mor = sum(w * c / e for w, c, e in rows) / sw
    v_rom = n / (n - 1) * sum((w * (c - rom * e)) ** 2 for w, c, e in rows) / swe**2
    v_mor = n / (n - 1) * sum((w * (c / e - mor)) ** 2 for w, c, e in rows) / sw**2
    return math.sqrt(v_rom), math.sqrt(v_mor)


def test_linearised_intervals_match_the_formula() -> None:
    rows = [(100, 6000, 1200), (150, 7000, 1000), (120, 0, 1500), (80, 4000, 800)]
    se_rom, se_mor = _linearised([(float(w), float(c), float(e)) for w, c, e in rows])
    overall = run(IN_WINDOW, weight="weight")["overall"]
    rom, mor = overall["ratio_of_means"], overall["mean_of_ratios"]
    assert overall["ci95"]["ratio_of_means"] == pytest.approx(
        [rom - 1.959964 * se_rom, rom + 1.959964 * se_rom], abs=1e-5
    )
    assert overall["ci95"]["mean_of_ratios"] == pytest.approx(
        [mor - 1.959964 * se_mor, mor + 1.959964 * se_mor], abs=1e-5
    )


def test_woodruff_interval_by_hand() -> None:
    # 20 workers, ratios 1..20, equal weights: median 10; F(10) = 0.5;
    # s = sqrt(20/19 * 20 * (0.5)^2) / 20 = 0.11471; p -+ 1.96 s = 0.27517 .. 0.72483
    # -> cumulative 5.5 and 14.5 of 20 are first reached at r = 6 and r = 15.
    table = pl.DataFrame({"cost_usd": list(range(1, 21)), "earnings_usd": [1] * 20})
    overall = run(table)["overall"]
    assert overall["median_ratio"] == 10.0
    assert overall["ci95"]["median_ratio"] == [6.0, 15.0]
    # p80 = 16; F = 0.8; s = sqrt(20/19 * (16 * 0.2^2 + 4 * 0.8^2)) / 20 = 0.091766
    # 0.8 -+ 0.17986 -> cumulative 12.4 and 19.6 -> r = 13 and r = 20
    assert overall["p80_ratio"] == 16.0
    assert overall["ci95"]["p80_ratio"] == [13.0, 20.0]


def test_small_groups_are_suppressed_without_figures() -> None:
    report = run(IN_WINDOW, weight="weight", by=[["dest"]], min_cell=2)
    tw = group(report, dest="TW")
    assert tw == {"by": {"dest": "TW"}, "suppressed": True}
    assert group(report, dest="JP")["suppressed"] is False
    tiny = run(IN_WINDOW, min_cell=5)["overall"]
    assert tiny["suppressed"] is True and "ratio_of_means" not in tiny


def test_crossed_breakdown_and_missing_group_values() -> None:
    table = IN_WINDOW.with_columns(
        pl.when(pl.col("id") == 4).then(None).otherwise("sex").alias("s")
    )
    report = run(table, by=[["dest", "sex"], ["s"]])
    assert group(report, dest="JP", sex="M")["n"] == 2
    assert group(report, s=None)["n"] == 1
    assert [g["by"]["s"] for g in report["groups"] if "s" in g["by"]] == ["F", "M", None]


def test_currency_per_survey_and_per_row_rates_and_missing_rate() -> None:
    table = pl.DataFrame(
        {
            "cost_usd": [30_000_000, 1000, 200_000, 500, 100],
            "cur": ["VND", "USD", "JPY", "EUR", "usd"],
            "row_rate": [None, None, None, "1.1", None],
            "earnings_usd": [1000, 1000, 1000, 1000, 1000],
        }
    )
    money = Currency(
        target="USD", cost_currency="cur", rates={"VND": 0.00004}, cost_rate="row_rate"
    )
    report = run(table, currency=money)
    # VND 30,000,000 x 0.00004 = USD 1,200; USD 1,000; EUR 500 x 1.1 = 550; USD 100
    assert report["overall"]["n"] == 4
    assert report["overall"]["ratio_of_means"] == pytest.approx((1200 + 1000 + 550 + 100) / 4000)
    assert report["excluded_rows"] == [
        {
            "row": 4,
            "reason": "no_rate",
            "column": "cur",
            "message": "The amount is in JPY but no rate to USD was given (column cur).",
        }
    ]


def test_messages_in_every_language() -> None:
    table = pl.DataFrame({"cost_usd": [1], "earnings_usd": [0]})
    texts = {lang: run(table, lang=lang)["excluded_rows"][0]["message"] for lang in ("vi", "ja")}
    assert "earnings_usd" in texts["vi"] and "thu nhập" in texts["vi"].lower()
    assert "収入" in texts["ja"]


def test_the_method_note_states_the_choices() -> None:
    kept = run(IN_WINDOW, lang="vi")["method"]
    assert set(kept) == {"ratio", "headline", "quantiles", "ci95", "zero_cost", "suppression"}
    assert "r = 0" in kept["zero_cost"] and "Woodruff" in kept["ci95"]
    left_out = run(IN_WINDOW, exclude_zero_cost=True)["method"]["zero_cost"]
    assert "left out" in left_out


def test_groups_of_every_key_type_match_the_table_filtered_to_them() -> None:
    # a group's rows are found by sorting on its key: each kind of key must still give the
    # same groups as comparing the values (a zero and a negative zero, NaN with NaN, missing)
    table = pl.DataFrame(
        {
            "cost_usd": [float(i % 7) for i in range(40)],
            "earnings_usd": [1.0 + i % 5 for i in range(40)],
            "weight": [1.0 + i % 3 for i in range(40)],
            "f": [[0.0, -0.0, float("nan"), None, 2.5][i % 5] for i in range(40)],
            "b": [[True, False, None][i % 3] for i in range(40)],
            "t": pl.Series([["x", "y", None, "x"][i % 4] for i in range(40)]).cast(pl.Categorical),
            "none": pl.Series([None] * 40, dtype=pl.String),
        }
    )
    report = run(table, weight="weight", by=[["f"], ["b"], ["t"], ["t", "b"], ["none"]])
    floats = [g["by"]["f"] for g in report["groups"] if "f" in g["by"]]
    assert len(floats) == 4 and 0.0 in floats and None in floats  # NaN shows as missing
    assert sum(g["n"] for g in report["groups"] if list(g["by"]) == ["t", "b"]) == 40
    assert group(report, none=None)["n"] == 40
    for cell in report["groups"]:
        (col, value), *rest = cell["by"].items()
        if rest or col == "f":
            continue
        alone = run(table.filter(pl.col(col).eq_missing(value)), weight="weight")["overall"]
        for key in ("n", "ratio_of_means", "median_ratio", "p80_ratio", "ci95"):
            assert cell[key] == alone[key], (col, value, key)
