"""The descriptive table migration surveys publish: mean pre-departure cost, share who borrowed,
mean debt, overall and by group (weighted; each figure over the people who answered it).

Groups with fewer than ``min_cell`` people are suppressed: their figures are not reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import polars as pl

DIGITS = 6
_TRUE = ("1", "true", "yes", "y", "co", "có", "はい")
_FALSE = ("0", "false", "no", "n", "khong", "không", "いいえ")


def _flag(name: str, schema: pl.Schema) -> pl.Expr:
    """A yes/no column as 1.0/0.0 (null when unanswered or unreadable)."""
    if schema[name] == pl.Boolean:
        return pl.col(name).cast(pl.Float64)
    if schema[name].is_numeric():
        return pl.when(pl.col(name).is_in([0, 1])).then(pl.col(name).cast(pl.Float64))
    text = pl.col(name).cast(pl.String).str.strip_chars().str.to_lowercase()
    return pl.when(text.is_in(_TRUE)).then(1.0).when(text.is_in(_FALSE)).then(0.0)


def _number(name: str, schema: pl.Schema) -> pl.Expr:
    column = pl.col(name)
    if schema[name] == pl.String:
        return column.str.strip_chars().cast(pl.Float64, strict=False)
    return column.cast(pl.Float64, strict=False)


def _clean(value: Any) -> Any:
    """Rounded floats; no answer at all (0/0) is null, never NaN."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, DIGITS)
    return value


def _weighted_mean(value: pl.Expr, weight: pl.Expr) -> pl.Expr:
    present = value.is_not_null() & weight.is_not_null()
    return (value * weight).filter(present).sum() / weight.filter(present).sum()


def describe(
    table: pl.DataFrame,
    *,
    pre_departure_cost: str,
    borrowed: str,
    debt: str,
    weight: str | None = None,
    by: Sequence[Sequence[str]] = (),
    min_cell: int = 5,
) -> dict[str, Any]:
    """``{"overall": {...}, "groups": [{"by": {...}, ...}]}``; figures rounded to 6 decimals."""
    schema = table.schema
    frame = table.select(
        _number(pre_departure_cost, schema).alias("_cost"),
        _flag(borrowed, schema).alias("_borrowed"),
        _number(debt, schema).alias("_debt"),
        (_number(weight, schema) if weight else pl.lit(1.0)).alias("_w"),
        *sorted({col for cols in by for col in cols}),
    ).filter(pl.col("_w") > 0)
    w = pl.col("_w")
    aggs = [
        pl.len().alias("n"),
        _weighted_mean(pl.col("_cost"), w).alias("mean_pre_departure_cost"),
        _weighted_mean(pl.col("_borrowed"), w).alias("share_borrowed"),
        _weighted_mean(pl.col("_debt"), w).alias("mean_debt"),
    ]

    def entry(row: dict[str, Any], cols: Sequence[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"by": {col: row[col] for col in cols}} if cols else {}
        if row["n"] < min_cell:
            return {**out, "suppressed": True}
        figures = {key: _clean(value) for key, value in row.items() if key not in cols}
        return {**out, "suppressed": False, **figures}

    overall = entry(frame.select(aggs).row(0, named=True), ())
    groups = []
    for cols in by:
        result = frame.group_by(list(cols)).agg(aggs).sort(list(cols), nulls_last=True)
        groups += [entry(row, cols) for row in result.iter_rows(named=True)]
    return {"overall": overall, "groups": groups}
