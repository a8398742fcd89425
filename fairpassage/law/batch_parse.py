"""Reading table cells the way the single check reads JSON values, for the common cases.

Each helper returns the parsed value and an ``ok`` flag. ``ok`` is true only for cells whose
meaning is certain and identical to the single check's (plain decimal numbers, ISO dates, exact
choice texts); any other cell, valid or not, makes the engagement go through the single check
itself, which gives the exact answer or the exact input error.

Amounts are kept as integers scaled by 100 (two decimals), exchange rates scaled by 10,000 (four
decimals), so conversion to dong is exact integer arithmetic.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from fairpassage.law.engagement import MAX_DATE, MIN_DATE

AMOUNT_DECIMALS = 2
RATE_DECIMALS = 4
AMOUNT_DIGITS = 13  # below MAX_AMOUNT = 10**13
RATE_DIGITS = 7
BOOL_TEXT = {"true": True, "false": False, "True": True, "False": False, "1": True, "0": False}
EPOCH = dt.date(1970, 1, 1)
BOOL_TEXT.update({"TRUE": True, "FALSE": False})


def is_text(dtype: pl.DataType) -> bool:
    return dtype in (pl.String, pl.Null) or isinstance(dtype, pl.Categorical | pl.Enum)


def text(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    """A text cell: (the text or null, ok). Non-text columns are never ok (unless null)."""
    col = pl.col(name)
    if is_text(dtype):
        return col.cast(pl.String), pl.lit(True)
    return pl.lit(None, pl.String), col.is_null()


def blank(expr: pl.Expr) -> pl.Expr:
    """Missing for the single check's optional fields: null or the empty text."""
    return expr.is_null() | (expr == "")


def scaled(name: str, dtype: pl.DataType, decimals: int, digits: int) -> tuple[pl.Expr, pl.Expr]:
    """A non-negative number below ``10**digits`` as an integer times ``10**decimals``."""
    col, factor = pl.col(name), 10**decimals
    if dtype.is_integer():
        value = col.cast(pl.Int64, strict=False)
        ok = value.is_not_null() & (value >= 0) & (value < 10**digits)
        return value * factor, ok.fill_null(False)
    if dtype.is_float():
        times = (col * factor).round(0)
        ok = col.is_finite() & (col >= 0) & (col < 10**digits) & _exact_at(col, factor)
        return times.cast(pl.Int64, strict=False), ok.fill_null(False)
    if not is_text(dtype):
        return pl.lit(None, pl.Int64), pl.lit(False)
    t = col.cast(pl.String)
    ok = t.str.contains(rf"^[0-9]{{1,{digits}}}(\.[0-9]{{1,{decimals}}})?$").fill_null(False)
    whole = t.str.extract(r"^([0-9]+)", 1).cast(pl.Int64, strict=False)
    frac = t.str.extract(r"\.([0-9]+)$", 1).fill_null("").str.pad_end(decimals, "0")
    value = whole * factor + frac.cast(pl.Int64, strict=False)
    return pl.when(ok).then(value).otherwise(None), ok


def _exact_at(col: pl.Expr, factor: int) -> pl.Expr:
    """The float is the nearest float to a decimal with at most log10(factor) decimals.

    Then (below 10**15 in all) its shortest repr, which the single check reads with
    ``Decimal(repr(value))``, is that decimal. Division is done by NumPy: IEEE division is
    correctly rounded, unlike multiplying by the reciprocal.
    """

    def check(series: pl.Series) -> pl.Series:
        values = series.cast(pl.Float64).to_numpy()
        with np.errstate(invalid="ignore"):
            return pl.Series(np.round(values * factor) / factor == values)

    return col.map_batches(check, return_dtype=pl.Boolean)


def whole_number(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    """A whole number of at most three digits (the contract length)."""
    col = pl.col(name)
    if dtype.is_integer():
        value = col.cast(pl.Int64, strict=False)
        return value, (value.is_not_null() & (value >= 0) & (value < 1000)).fill_null(False)
    if dtype.is_float():
        ok = col.is_finite() & (col >= 0) & (col < 1000) & (col.floor() == col)
        return col.cast(pl.Int64, strict=False), ok.fill_null(False)
    if not is_text(dtype):
        return pl.lit(None, pl.Int64), pl.lit(False)
    t = col.cast(pl.String)
    ok = t.str.contains(r"^[0-9]{1,3}$").fill_null(False)
    return pl.when(ok).then(t.cast(pl.Int64, strict=False)), ok


def date(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    """A date (a Date column, or YYYY-MM-DD text) within the single check's range."""
    col = pl.col(name)
    if dtype == pl.Date:
        value = col
    elif is_text(dtype):
        t = col.cast(pl.String)
        shaped = t.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$").fill_null(False)
        value = pl.when(shaped).then(t.str.to_date("%Y-%m-%d", strict=False))
    else:
        return pl.lit(None, pl.Date), pl.lit(False)
    ok = value.is_not_null() & value.is_between(pl.lit(MIN_DATE), pl.lit(MAX_DATE))
    return value, ok.fill_null(False)


def flag(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    """A true/false cell (Boolean, or the texts true/false/1/0); null stays null and is ok."""
    col = pl.col(name)
    if dtype == pl.Boolean:
        return col, pl.lit(True)
    if dtype == pl.Null:
        return pl.lit(None, pl.Boolean), pl.lit(True)
    if not is_text(dtype):
        return pl.lit(None, pl.Boolean), col.is_null()
    t = col.cast(pl.String)
    value = t.replace_strict(BOOL_TEXT, default=None, return_dtype=pl.Boolean)
    return value, t.is_null() | value.is_not_null()


def currency(expr: pl.Expr) -> pl.Expr:
    return expr.str.contains(r"^[A-Z]{3}$").fill_null(False)


def window(days: pl.Series, points: tuple[dt.date, ...]) -> pl.Series:
    """How many law breakpoints fall on or before each day (its window number); -1 for null."""
    ordinals = np.array([(p - EPOCH).days for p in points], np.int64)
    values = days.cast(pl.Int64).fill_null(np.iinfo(np.int64).min).to_numpy()
    found = np.searchsorted(ordinals, values, side="right").astype(np.int64)
    return pl.Series(np.where(days.is_null().to_numpy(), -1, found))
