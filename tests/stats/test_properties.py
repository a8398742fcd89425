"""Properties of the estimators over generated tables."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from fairpassage.stats.sdg import indicator

amounts = st.integers(min_value=0, max_value=10_000_000)
earnings = st.integers(min_value=1, max_value=1_000_000)
weights = st.integers(min_value=1, max_value=1000)
rows = st.lists(
    st.tuples(amounts, earnings, weights, st.sampled_from("AB")), min_size=2, max_size=40
)


def _report(data: list[tuple[int, int, int, str]], scale: float = 1.0) -> dict[str, Any]:
    table = pl.DataFrame(
        {
            "c": [c * scale for c, _e, _w, _g in data],
            "e": [e * scale for _c, e, _w, _g in data],
            "w": [w for _c, _e, w, _g in data],
            "g": [g for _c, _e, _w, g in data],
        }
    )
    return indicator(table, cost="c", earnings="e", weight="w", by=[["g"]], min_cell=1)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_figures_are_consistent(data: list[tuple[int, int, int, str]]) -> None:
    overall = _report(data)["overall"]
    ratios = sorted(c / e for c, e, _w, _g in data)
    assert overall["median_ratio"] in [round(r, 6) for r in ratios]
    assert overall["median_ratio"] <= overall["p80_ratio"]
    low, high = overall["ci95"]["ratio_of_means"]
    assert low <= overall["ratio_of_means"] <= high
    low, high = overall["ci95"]["median_ratio"]
    assert low <= overall["median_ratio"] <= high
    # the median rule: the cumulative weight up to it reaches half, and not before it
    total = sum(w for *_x, w, _g in data)
    below = sum(w for c, e, w, _g in data if round(c / e, 6) < overall["median_ratio"])
    upto = sum(w for c, e, w, _g in data if round(c / e, 6) <= overall["median_ratio"])
    assert below < total / 2 <= upto


@settings(max_examples=30, deadline=None)
@given(rows)
def test_the_currency_unit_does_not_matter(data: list[tuple[int, int, int, str]]) -> None:
    plain, scaled = _report(data), _report(data, scale=160.0)
    for key in ("ratio_of_means", "mean_of_ratios", "median_ratio", "p80_ratio"):
        assert abs(plain["overall"][key] - scaled["overall"][key]) < 1e-5


@settings(max_examples=30, deadline=None)
@given(rows)
def test_a_group_equals_the_table_filtered_to_it(data: list[tuple[int, int, int, str]]) -> None:
    report = _report(data)
    for cell in report["groups"]:
        subset = [row for row in data if row[3] == cell["by"]["g"]]
        alone = _report(subset)["overall"]
        assert cell["n"] == alone["n"]
        for key in ("ratio_of_means", "median_ratio", "p80_ratio", "ci95"):
            assert cell[key] == alone[key]
