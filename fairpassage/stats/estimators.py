"""SDG 10.7.1 estimators over prepared rows (see ``prepare``): one vectorised pass per breakdown.

For worker i with cost C_i, first-month earnings E_i and survey weight w_i (1 without weights):

* ``r_i = C_i / E_i`` (months of earnings);
* ``ratio_of_means`` = Σ w·C / Σ w·E, the headline form that reproduces published figures;
* ``mean_of_ratios`` = Σ w·r / Σ w;
* ``median_ratio`` and ``p80_ratio``: the smallest r whose cumulative weight (in order of r)
  reaches half (80 % of) the total weight;
* ``share_zero_cost``: the weighted share of workers who paid nothing.

95 % confidence intervals, with each worker treated as an independently drawn unit and the
weights as fixed (no strata or clusters are known):

* ratio of means: Taylor linearisation, V = n/(n-1) · Σ (w_i (C_i - R E_i))² / (Σ w E)²;
* mean of ratios: linearisation of a weighted mean, V = n/(n-1) · Σ (w_i (r_i - M))² / (Σ w)²;
* quantiles: Woodruff's method. The standard error s of the weighted share of workers at or below
  the estimated quantile is computed as for a weighted mean; the interval is the pair of quantiles
  at p − 1.96 s and p + 1.96 s (each by the same cumulative-weight rule, clipped to [0, 1]).

Intervals use the normal quantile 1.96; they are null for a group of one worker.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import polars as pl

from fairpassage.stats.prepare import COST, EARNINGS, RATIO, WEIGHT

Z95 = NormalDist().inv_cdf(0.975)
FIGURES = ("mean_of_ratios", "ratio_of_means", "median_ratio", "p80_ratio")
DIGITS = 6


def _at(values: pl.Series, index: int) -> float:
    return float(values[min(max(index, 0), values.len() - 1)])


QUANTILES = (("median_ratio", 0.5), ("p80_ratio", 0.8))


def group_figures(part: pl.DataFrame) -> dict[str, Any]:
    """All figures for one group whose rows are sorted by the ratio.

    Each figure is a sum, a cumulative sum or a binary search over the group's columns: the
    intervals cost a few passes over the data, no resampling.
    """
    r, w, c, e = part[RATIO], part[WEIGHT], part[COST], part[EARNINGS]
    n = part.height
    if n == 0:
        empty: dict[str, Any] = {"n": 0, "sum_weights": 0.0, "share_zero_cost": None}
        empty.update({name: None for name in FIGURES})
        empty.update({f"{name}_{side}": None for name in FIGURES for side in ("low", "high")})
        return empty
    sum_w = float(w.sum())
    sum_we = float((w * e).sum())
    rom = float((w * c).sum()) / sum_we
    mor = float((w * r).sum()) / sum_w
    out: dict[str, Any] = {
        "n": n,
        "sum_weights": sum_w,
        "mean_of_ratios": mor,
        "ratio_of_means": rom,
        "share_zero_cost": float(w.filter(c == 0).sum()) / sum_w,
    }
    cumulative = w.cum_sum()
    total = _at(cumulative, n - 1)

    def quantile(p: float) -> float:
        """The smallest r whose cumulative weight reaches p of the total."""
        target = min(max(p, 0.0), 1.0) * total
        return _at(r, int(cumulative.search_sorted(target, side="left")))

    for name, p in QUANTILES:
        out[name] = quantile(p)
    for name in FIGURES:
        out[f"{name}_low"] = out[f"{name}_high"] = None
    if n < 2:
        return out
    k = n / (n - 1)
    se_rom = math.sqrt(k * float(((w * (c - rom * e)) ** 2).sum())) / sum_we
    se_mor = math.sqrt(k * float(((w * (r - mor)) ** 2).sum())) / sum_w
    out["ratio_of_means_low"], out["ratio_of_means_high"] = rom - Z95 * se_rom, rom + Z95 * se_rom
    out["mean_of_ratios_low"], out["mean_of_ratios_high"] = mor - Z95 * se_mor, mor + Z95 * se_mor
    cumulative_sq = (w * w).cum_sum()
    total_sq = _at(cumulative_sq, n - 1)
    for name, p in QUANTILES:
        # Woodruff: the standard error of F = Σ w [r <= q] / Σ w (ties included), linearised
        # like a weighted mean: s² = n/(n-1) Σ (w (b - F))² / (Σ w)², b = [r <= q], which is
        # Σ w² b (1 - 2F) + F² Σ w² because b is 0 or 1.
        last = int(r.search_sorted(out[name], side="right")) - 1
        share = _at(cumulative, last) / total
        spread = _at(cumulative_sq, last) * (1 - 2 * share) + share * share * total_sq
        se = math.sqrt(k * max(spread, 0.0)) / total
        out[f"{name}_low"] = quantile(p - Z95 * se)
        out[f"{name}_high"] = quantile(p + Z95 * se)
    return out


@dataclass(frozen=True)
class Estimates:
    overall: dict[str, Any]
    breakdowns: list[tuple[tuple[str, ...], list[dict[str, Any]]]]


def estimate(rows: pl.DataFrame, breakdowns: Sequence[Sequence[str]] = ()) -> Estimates:
    """Figures for all rows and for each breakdown (a tuple of columns crossed together).

    The rows are sorted by r once; gathering each group's rows keeps that order within it.
    """
    keys = sorted({name for cols in breakdowns for name in cols})
    # Text keys travel as categoricals: the sort and the split then move small integer codes.
    text = [name for name in keys if rows.schema[name] == pl.String]
    ordered = (
        rows.select(RATIO, WEIGHT, COST, EARNINGS, *keys)
        .with_columns(pl.col(text).cast(pl.Categorical))
        .sort(RATIO)
    )

    numbers = ordered.select(RATIO, WEIGHT, COST, EARNINGS)

    def breakdown(cols: Sequence[str]) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
        # each group's row numbers, in the frame's order (so still sorted by r)
        groups = ordered.select(*cols).with_row_index("_i").group_by(list(cols)).agg(pl.col("_i"))
        entries = [
            {**dict(zip(cols, values, strict=True)), **group_figures(numbers[rows])}
            for values, rows in zip(groups.select(*cols).rows(), groups["_i"], strict=True)
        ]
        entries.sort(key=lambda entry: tuple(_sort_key(entry[col]) for col in cols))
        return tuple(cols), entries

    # Polars releases the GIL: breakdowns overlap their Python bookkeeping with its work.
    with ThreadPoolExecutor(max_workers=max(1, min(len(breakdowns), os.cpu_count() or 1))) as pool:
        results = list(pool.map(breakdown, breakdowns))
    return Estimates(overall=group_figures(ordered), breakdowns=results)


def _sort_key(value: Any) -> tuple[int, str]:
    """Missing values last, numbers and text in their natural order."""
    if value is None:
        return (2, "")
    if isinstance(value, int | float):
        return (0, f"{value:020.6f}")
    return (1, str(value))


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
            return None
        return round(value, DIGITS)
    return value


def figures(row: dict[str, Any]) -> dict[str, Any]:
    """One group's figures in the published JSON shape."""
    out: dict[str, Any] = {
        "n": row["n"],
        "sum_weights": _clean(row["sum_weights"]),
    }
    for name in FIGURES:
        out[name] = _clean(row[name])
    out["share_zero_cost"] = _clean(row["share_zero_cost"])
    out["ci95"] = {
        name: [_clean(row[f"{name}_low"]), _clean(row[f"{name}_high"])] for name in FIGURES
    }
    return out


def group_entry(
    cols: Sequence[str], row: dict[str, Any], min_cell: int, extra: Sequence[str] = ()
) -> dict[str, Any]:
    """A breakdown cell; under ``min_cell`` people it is suppressed: no figures, not even n."""
    entry: dict[str, Any] = {"by": {col: _clean(row[col]) for col in cols}}
    if row["n"] < min_cell:
        entry["suppressed"] = True
        return entry
    entry["suppressed"] = False
    entry.update(figures(row))
    for name in extra:
        entry[name] = _clean(row[name])
    return entry
