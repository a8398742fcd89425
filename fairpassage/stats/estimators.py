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
NUMBERS = (RATIO, WEIGHT, COST, EARNINGS)


def _at(values: pl.Series, index: int) -> float:
    return float(values[min(max(index, 0), values.len() - 1)])


QUANTILES = (("median_ratio", 0.5), ("p80_ratio", 0.8))


def _empty() -> dict[str, Any]:
    empty: dict[str, Any] = {"n": 0, "sum_weights": 0.0, "share_zero_cost": None}
    empty.update({name: None for name in FIGURES})
    empty.update({f"{name}_{side}": None for name in FIGURES for side in ("low", "high")})
    return empty


_R, _W, _C, _E = pl.col(RATIO), pl.col(WEIGHT), pl.col(COST), pl.col(EARNINGS)
_SUMS = (
    _W.sum(),
    (_W * _E).sum().alias("we"),
    (_W * _C).sum().alias("wc"),
    (_W * _R).sum().alias("wr"),
    _W.filter(_C == 0).sum().alias("zero"),
)


def group_figures(part: pl.DataFrame) -> dict[str, Any]:
    """All figures for one group whose rows are sorted by the ratio.

    Each figure is a sum, a cumulative sum or a binary search over the group's columns: the
    intervals cost a few passes over the data, no resampling. The sums are asked for together
    and the searches in batches, so a group costs a handful of calls into Polars.
    """
    n = part.height
    if n == 0:
        return _empty()
    r, w = part[RATIO], part[WEIGHT]
    sum_w, sum_we, sum_wc, sum_wr, zero = part.select(_SUMS).row(0)
    rom, mor = sum_wc / sum_we, sum_wr / sum_w
    out: dict[str, Any] = {
        "n": n,
        "sum_weights": sum_w,
        "mean_of_ratios": mor,
        "ratio_of_means": rom,
        "share_zero_cost": zero / sum_w,
    }
    cumulative = w.cum_sum()
    total = _at(cumulative, n - 1)

    def quantiles(shares: list[float]) -> list[float]:
        """For each p, the smallest r whose cumulative weight reaches p of the total."""
        targets = pl.Series([min(max(p, 0.0), 1.0) * total for p in shares], dtype=pl.Float64)
        found = cumulative.search_sorted(targets, side="left")
        return [_at(r, index) for index in found]

    shares = [p for _name, p in QUANTILES]
    for (name, _p), value in zip(QUANTILES, quantiles(shares), strict=True):
        out[name] = value
    for name in FIGURES:
        out[f"{name}_low"] = out[f"{name}_high"] = None
    if n < 2:
        return out
    k = n / (n - 1)
    # the rows at or below each quantile lead the group: how many they are
    upto = list(r.search_sorted(pl.Series([out[name] for name, _p in QUANTILES]), side="right"))
    var_rom, var_mor = part.select(
        ((_W * (_C - rom * _E)) ** 2).sum().alias("rom"),
        ((_W * (_R - mor)) ** 2).sum().alias("mor"),
    ).row(0)
    squares = w * w
    total_sq = float(squares.sum())
    below_sq = [float(squares.head(count).sum()) for count in upto]
    se_rom = math.sqrt(k * var_rom) / sum_we
    se_mor = math.sqrt(k * var_mor) / sum_w
    out["ratio_of_means_low"], out["ratio_of_means_high"] = rom - Z95 * se_rom, rom + Z95 * se_rom
    out["mean_of_ratios_low"], out["mean_of_ratios_high"] = mor - Z95 * se_mor, mor + Z95 * se_mor
    bounds = []
    for (_name, p), count, below in zip(QUANTILES, upto, below_sq, strict=True):
        # Woodruff: the standard error of F = Σ w [r <= q] / Σ w (ties included), linearised
        # like a weighted mean: s² = n/(n-1) Σ (w (b - F))² / (Σ w)², b = [r <= q], which is
        # Σ w² b (1 - 2F) + F² Σ w² because b is 0 or 1 (and the rows with b = 1 lead).
        share = _at(cumulative, count - 1) / total
        spread = below * (1 - 2 * share) + share * share * total_sq
        se = math.sqrt(k * max(spread, 0.0)) / total
        bounds += [p - Z95 * se, p + Z95 * se]
    ends = iter(quantiles(bounds))
    for name, _p in QUANTILES:
        out[f"{name}_low"], out[f"{name}_high"] = next(ends), next(ends)
    return out


@dataclass(frozen=True)
class Estimates:
    overall: dict[str, Any]
    breakdowns: list[tuple[tuple[str, ...], list[dict[str, Any]]]]


def _partition(
    ordered: pl.DataFrame, cols: Sequence[str]
) -> tuple[list[tuple[Any, ...]], list[pl.DataFrame]]:
    """A breakdown's groups, each as its key values and its rows still in order of r.

    A stable sort by the breakdown's columns (categories by their codes) brings each group's rows
    together without changing their order, so every group is a slice of one frame.
    """
    order = [
        pl.col(col).to_physical()
        if isinstance(ordered.schema[col], pl.Categorical | pl.Enum)
        else pl.col(col)
        for col in cols
    ]
    grouped = ordered.select(*NUMBERS, *cols).sort(
        order, maintain_order=True, nulls_last=True, multithreaded=False
    )
    if grouped.height == 0:
        return [], []
    changed = pl.any_horizontal([pl.col(col).ne_missing(pl.col(col).shift(1)) for col in cols])
    starts: list[int] = grouped.select(changed.arg_true().alias("start"))["start"].to_list()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)  # the first row starts a group even when its key is missing
    ends = [*starts[1:], grouped.height]
    values = grouped.select(*cols)[starts].rows()
    return values, [
        grouped.slice(start, end - start) for start, end in zip(starts, ends, strict=True)
    ]


def estimate(rows: pl.DataFrame, breakdowns: Sequence[Sequence[str]] = ()) -> Estimates:
    """Figures for all rows and for each breakdown (a tuple of columns crossed together).

    The rows are sorted by r once; each breakdown then splits that order into its groups.
    """
    keys = sorted({name for cols in breakdowns for name in cols})
    # Text keys travel as categories: the sorts move small integer codes, not strings.
    text = [name for name in keys if rows.schema[name] == pl.String]
    # One thread sorts about as fast as two here, and leaves the other core to other work.
    ordered = (
        rows.select(*NUMBERS, *keys)
        .with_columns(pl.col(text).cast(pl.Categorical))
        .sort(RATIO, multithreaded=False)
    )

    def breakdown(cols: Sequence[str]) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
        values, parts = _partition(ordered, cols)
        entries = [
            {**dict(zip(cols, map(_key, key), strict=True)), **group_figures(part)}
            for key, part in zip(values, parts, strict=True)
        ]
        entries.sort(key=lambda entry: tuple(_sort_key(entry[col]) for col in cols))
        return tuple(cols), entries

    # Polars releases the GIL: the overall figures and the breakdowns share the cores.
    workers = max(1, min(len(breakdowns) + 1, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        overall = pool.submit(group_figures, ordered.select(NUMBERS))
        results = list(pool.map(breakdown, breakdowns))
    return Estimates(overall=overall.result(), breakdowns=results)


def _key(value: Any) -> Any:
    """A group's key as shown: a zero is 0.0, never -0.0 (they form one group)."""
    return value + 0.0 if isinstance(value, float) else value


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
