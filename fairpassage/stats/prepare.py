"""From a survey table to the rows the indicator can use, and the rows it cannot (with reasons).

A row is left out, with the first reason that applies, when its cost is missing, not a number or
negative; its earnings are missing, not a number, zero or negative; its weight (if any) is missing,
not a number or not positive; or an amount is in a currency with no rate to the target currency.
A zero cost is kept: it is a valid ratio of 0. Nothing is dropped without a reason.

Amounts in several currencies are converted to one target currency, never silently: a rate comes
from the row (a rate column, in target units per unit of the row's currency) or from the survey
(one rate per currency code). An amount already in the target currency needs no rate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

ROW = "_row"
COST, EARNINGS, WEIGHT, RATIO = "_c", "_e", "_w", "_r"
REASON, REASON_COLUMN, REASON_CURRENCY = "_reason", "_reason_column", "_reason_currency"


@dataclass(frozen=True)
class Currency:
    """How amounts in several currencies become one: rates in ``target`` units per unit."""

    target: str
    cost_currency: str | None = None
    earnings_currency: str | None = None
    rates: Mapping[str, float] = field(default_factory=dict)
    cost_rate: str | None = None
    earnings_rate: str | None = None

    def columns(self) -> list[str]:
        names = (self.cost_currency, self.earnings_currency, self.cost_rate, self.earnings_rate)
        return [name for name in names if name]


@dataclass(frozen=True)
class Prepared:
    """Usable rows (columns _row, _c, _e, _w, _r and the breakdown columns) and excluded rows."""

    rows: pl.DataFrame
    excluded: pl.DataFrame  # columns _row, _reason, _reason_column, _reason_currency

    def excluded_list(self) -> list[dict[str, Any]]:
        return [
            {
                "row": item[ROW],
                "reason": item[REASON],
                "column": item[REASON_COLUMN],
                "currency": item[REASON_CURRENCY],
            }
            for item in self.excluded.iter_rows(named=True)
        ]


def _number(name: str, schema: pl.Schema) -> tuple[pl.Expr, pl.Expr]:
    """The column as Float64, and whether a present value failed to read as a finite number.

    "nan", "inf" and their kin are not amounts: they are reported, never carried into a sum.
    """
    column = pl.col(name)
    if schema[name] == pl.String:
        text = column.str.strip_chars()
        present = pl.when(text == "").then(None).otherwise(text).is_not_null()
        value = column.str.strip_chars().cast(pl.Float64, strict=False)
    elif schema[name] == pl.Boolean or not schema[name].is_numeric():
        present = column.is_not_null()
        value = column.cast(pl.Float64, strict=False)
    else:
        present = column.is_not_null()
        value = column.cast(pl.Float64)
    finite = value.is_finite().fill_null(False)
    return pl.when(finite).then(value), present & ~finite


def _factor(
    currency_column: str | None,
    rate_column: str | None,
    currency: Currency | None,
    schema: pl.Schema,
) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """Conversion factor, the row's currency code, and two failure flags (no currency, bad rate)."""
    if currency is None or currency_column is None:
        one = pl.lit(1.0)
        return one, pl.lit(None, dtype=pl.String), pl.lit(False), pl.lit(False)
    code = pl.col(currency_column).cast(pl.String).str.strip_chars().str.to_uppercase()
    code = pl.when(code == "").then(None).otherwise(code)
    target = currency.target.upper()
    rates = {key.upper(): float(value) for key, value in currency.rates.items()}
    survey_rate = code.replace_strict(rates, default=None, return_dtype=pl.Float64)
    bad_rate: pl.Expr = pl.lit(False)
    # the row's own rate first, then the survey's rate for its currency; none: null (excluded)
    other = survey_rate
    if rate_column is not None:
        row_rate, unreadable = _number(rate_column, schema)
        bad_rate = (code != target) & (unreadable | (row_rate <= 0))
        other = pl.when(row_rate > 0).then(row_rate).otherwise(survey_rate)
    factor = pl.when(code == target).then(pl.lit(1.0)).otherwise(other)
    return factor, code, code.is_null(), bad_rate


def prepare(
    table: pl.DataFrame,
    *,
    cost: str,
    earnings: str,
    weight: str | None = None,
    by: Sequence[str] = (),
    currency: Currency | None = None,
    exclude_zero_cost: bool = False,
    row_offset: int = 2,
) -> Prepared:
    """Check and convert each row. ``row_offset`` numbers rows as a spreadsheet does (header = 1).

    ``exclude_zero_cost`` reproduces surveys that left out workers who paid nothing (reason
    ``cost_zero``); by default a zero cost is a valid ratio of 0.
    """
    schema = table.schema
    cost_value, cost_bad = _number(cost, schema)
    earn_value, earn_bad = _number(earnings, schema)
    cost_factor, cost_code, cost_no_code, cost_bad_rate = _factor(
        currency.cost_currency if currency else None,
        currency.cost_rate if currency else None,
        currency,
        schema,
    )
    earn_factor, earn_code, earn_no_code, earn_bad_rate = _factor(
        currency.earnings_currency if currency else None,
        currency.earnings_rate if currency else None,
        currency,
        schema,
    )
    rules: list[tuple[pl.Expr, str, str | None, pl.Expr | None]] = [
        (cost_bad, "cost_not_number", cost, None),
        (cost_value.is_null(), "cost_missing", cost, None),
        (cost_value < 0, "cost_negative", cost, None),
        (earn_bad, "earnings_not_number", earnings, None),
        (earn_value.is_null(), "earnings_missing", earnings, None),
        (earn_value == 0, "earnings_zero", earnings, None),
        (earn_value < 0, "earnings_negative", earnings, None),
    ]
    if exclude_zero_cost:
        rules.append((cost_value == 0, "cost_zero", cost, None))
    weight_value: pl.Expr = pl.lit(1.0)
    if weight is not None:
        weight_value, weight_bad = _number(weight, schema)
        rules += [
            (weight_bad, "weight_not_number", weight, None),
            (weight_value.is_null(), "weight_missing", weight, None),
            (weight_value <= 0, "weight_not_positive", weight, None),
        ]
    if currency is not None:
        for code_col, rate_col, code, no_code, bad_rate, fac in (
            (
                currency.cost_currency,
                currency.cost_rate,
                cost_code,
                cost_no_code,
                cost_bad_rate,
                cost_factor,
            ),
            (
                currency.earnings_currency,
                currency.earnings_rate,
                earn_code,
                earn_no_code,
                earn_bad_rate,
                earn_factor,
            ),
        ):
            if code_col is None:
                continue
            rules += [
                (no_code, "currency_missing", code_col, None),
                (bad_rate, "rate_not_positive", rate_col, None),
                (fac.is_null(), "no_rate", code_col, code),
            ]
    reason = pl.lit(None, dtype=pl.String)
    reason_column = pl.lit(None, dtype=pl.String)
    reason_currency = pl.lit(None, dtype=pl.String)
    for condition, code_name, column, currency_expr in reversed(rules):
        hit = condition.fill_null(False)
        reason = pl.when(hit).then(pl.lit(code_name)).otherwise(reason)
        reason_column = pl.when(hit).then(pl.lit(column)).otherwise(reason_column)
        if currency_expr is not None:
            reason_currency = pl.when(hit).then(currency_expr).otherwise(reason_currency)
        else:
            reason_currency = pl.when(hit).then(pl.lit(None, pl.String)).otherwise(reason_currency)
    frame = table.lazy().with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + row_offset).alias(ROW),
        reason.alias(REASON),
        reason_column.alias(REASON_COLUMN),
        reason_currency.alias(REASON_CURRENCY),
    )
    usable = (
        frame.filter(pl.col(REASON).is_null())
        .with_columns(
            (cost_value * cost_factor).alias(COST),
            (earn_value * earn_factor).alias(EARNINGS),
            weight_value.alias(WEIGHT),
        )
        .with_columns((pl.col(COST) / pl.col(EARNINGS)).alias(RATIO))
        .select(ROW, COST, EARNINGS, WEIGHT, RATIO, *dict.fromkeys(by))
    )
    excluded = frame.filter(pl.col(REASON).is_not_null()).select(
        ROW, REASON, REASON_COLUMN, REASON_CURRENCY
    )
    rows, dropped = pl.collect_all([usable, excluded])
    return Prepared(rows=rows, excluded=dropped)
