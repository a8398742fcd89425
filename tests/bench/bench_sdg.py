"""SDG 10.7.1 on 1,000,000 synthetic respondents: 5 breakdowns and 95 % intervals, in Polars,
beside a straightforward pandas implementation of the same estimators timed in the same run.

``bench_sdg()`` prints its figures (called by ``make bench``); ``python -m tests.bench.bench_sdg``
runs it alone. The issue's budget: under 5 s and at least 5 times faster than the pandas baseline.
"""

from __future__ import annotations

import importlib
import math
import os
import random
import time
from statistics import NormalDist
from typing import Any

import polars as pl

from fairpassage.stats.sdg import indicator

ROWS = 1_000_000
BREAKDOWNS = [["sex"], ["province"], ["programme"], ["occupation"], ["departure_year"]]
BUDGET_SECONDS = 5.0
SPEEDUP = 5.0
POLARS_REPEATS, PANDAS_REPEATS = 3, 2
Z95 = NormalDist().inv_cdf(0.975)


def synthetic(rows: int = ROWS, seed: int = 1071) -> pl.DataFrame:
    """Respondents with a lognormal cost and earnings, weights, and some rows to exclude."""
    rng = random.Random(seed)
    sex = pl.Series("sex", rng.choices(["F", "M"], k=rows))
    province = pl.Series("province", [f"P{rng.randrange(34):02d}" for _ in range(rows)])
    frame = pl.DataFrame(
        [
            sex,
            province,
            pl.Series("programme", rng.choices(["titp", "ssw", "esd"], k=rows)),
            pl.Series("occupation", rng.choices(["agri", "build", "food", "care", "mfg"], k=rows)),
            pl.Series("departure_year", rng.choices([2019, 2020, 2021, 2022, 2023], k=rows)),
            pl.Series("weight", [rng.uniform(50.0, 150.0) for _ in range(rows)]),
            pl.Series(
                "cost",
                [
                    0.0 if rng.random() < 0.05 else rng.lognormvariate(18.9, 0.5)
                    for _ in range(rows)
                ],
            ),
            pl.Series("earnings", [rng.lognormvariate(16.9, 0.3) for _ in range(rows)]),
        ]
    )
    # about 0.1 % of rows without earnings, to be excluded with a reason
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) % 1000 == 7).then(None).otherwise(pl.col("earnings"))
    )


def polars_run(frame: pl.DataFrame) -> dict[str, Any]:
    return indicator(
        frame, cost="cost", earnings="earnings", weight="weight", by=BREAKDOWNS, min_cell=5
    )


def _pandas_quantile(r: Any, w: Any, p: float) -> float:
    cumulative = w.cumsum()
    return float(r[cumulative >= p * cumulative.iloc[-1]].iloc[0])


def _pandas_group(g: Any) -> dict[str, float]:
    """The same estimators written the obvious pandas way, one group at a time."""
    g = g.sort_values("r")
    w, c, e, r = g["weight"], g["cost"], g["earnings"], g["r"]
    n = len(g)
    k = n / (n - 1)
    sw, swe = w.sum(), (w * e).sum()
    rom, mor = (w * c).sum() / swe, (w * r).sum() / sw
    out = {"n": n, "ratio_of_means": rom, "mean_of_ratios": mor}
    out["rom_se"] = math.sqrt(k * ((w * (c - rom * e)) ** 2).sum()) / swe
    out["mor_se"] = math.sqrt(k * ((w * (r - mor)) ** 2).sum()) / sw
    for name, p in (("median_ratio", 0.5), ("p80_ratio", 0.8)):
        q = _pandas_quantile(r, w, p)
        below = (r <= q).astype(float)
        share = (w * below).sum() / sw
        se = math.sqrt(k * ((w * (below - share)) ** 2).sum()) / sw
        out[name] = q
        out[f"{name}_low"] = _pandas_quantile(r, w, max(0.0, p - Z95 * se))
        out[f"{name}_high"] = _pandas_quantile(r, w, min(1.0, p + Z95 * se))
    return out


def pandas_run(frame: Any) -> dict[str, Any]:
    bad = frame["earnings"].isna() | (frame["earnings"] <= 0) | (frame["cost"] < 0)
    bad |= frame["cost"].isna() | frame["weight"].isna() | (frame["weight"] <= 0)
    excluded = frame.index[bad].tolist()
    rows = frame[~bad].copy()
    rows["r"] = rows["cost"] / rows["earnings"]
    result: dict[str, Any] = {"overall": _pandas_group(rows), "excluded": len(excluded)}
    for cols in BREAKDOWNS:
        result[",".join(cols)] = {key: _pandas_group(g) for key, g in rows.groupby(cols)}
    return result


def _same_figures(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Every estimate and interval end of one group, ours (rounded) against the baseline's."""
    pairs = [(ours["n"], theirs["n"])]
    for name in ("ratio_of_means", "mean_of_ratios", "median_ratio", "p80_ratio"):
        pairs.append((ours[name], theirs[name]))
    for name in ("median_ratio", "p80_ratio"):
        low, high = ours["ci95"][name]
        pairs += [(low, theirs[f"{name}_low"]), (high, theirs[f"{name}_high"])]
    for name, se in (("ratio_of_means", "rom_se"), ("mean_of_ratios", "mor_se")):
        low, high = ours["ci95"][name]
        pairs += [(low, theirs[name] - Z95 * theirs[se]), (high, theirs[name] + Z95 * theirs[se])]
    return all(math.isclose(a, round(b, 6), rel_tol=1e-6) for a, b in pairs)


def _best_of(work: Any, repeats: int) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_sdg(rows: int = ROWS) -> dict[str, Any]:
    """Print and return the timings in seconds (best of 3 for Polars, best of 2 for pandas)."""
    frame = synthetic(rows)
    print(
        f"== SDG 10.7.1 on {rows:,} respondents, {len(BREAKDOWNS)} breakdowns + 95% intervals "
        f"({os.cpu_count()} cores)"
    )
    polars_seconds, report = _best_of(lambda: polars_run(frame), POLARS_REPEATS)
    verdict = "within" if polars_seconds < BUDGET_SECONDS else "OVER"
    print(
        f"{'polars (fairpassage.stats)':<34} {polars_seconds:>8.3f} s  best of {POLARS_REPEATS}: "
        f"({verdict} the {BUDGET_SECONDS:.0f} s budget)"
    )
    figures: dict[str, Any] = {"rows": rows, "cores": os.cpu_count(), "polars": polars_seconds}
    try:
        pandas = importlib.import_module("pandas")
    except ImportError:
        print(f"{'pandas baseline':<34}  skipped: pandas is not installed (pip install pandas)")
        return figures
    pandas_frame = pandas.DataFrame({name: frame[name].to_numpy() for name in frame.columns})
    pandas_seconds, baseline = _best_of(lambda: pandas_run(pandas_frame), PANDAS_REPEATS)
    ratio = pandas_seconds / polars_seconds
    target = "meets" if ratio >= SPEEDUP else "MISSES"
    print(
        f"{'pandas baseline (same estimators)':<34} {pandas_seconds:>8.3f} s  "
        f"best of {PANDAS_REPEATS}: polars is {ratio:.1f}x faster "
        f"({target} the {SPEEDUP:.0f}x target)"
    )
    agree = _same_figures(report["overall"], baseline["overall"])
    for cell in report["groups"]:
        (col, value), *_rest = cell["by"].items()
        agree = agree and _same_figures(cell, baseline[col][(value,)])
    agree = agree and len(report["groups"]) == sum(len(baseline[",".join(c)]) for c in BREAKDOWNS)
    print(
        f"{'same estimates and intervals':<34} {'yes' if agree else 'NO'} (overall and every group)"
    )
    figures.update({"pandas": pandas_seconds, "speedup": ratio, "agree": agree})
    return figures


if __name__ == "__main__":
    bench_sdg()
