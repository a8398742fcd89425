"""The two input tables as parsed columns, with an ``ok`` flag per row (see batch_parse)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import polars as pl

from fairpassage.law import batch_parse as bp
from fairpassage.law.batch_io import (
    CONDUCT_FIELDS,
    FX_PREFIX,
    SINGLE_ONLY_COLUMNS,
    WAGE_AMOUNT,
    WAGE_CURRENCY,
    fx_columns,
)
from fairpassage.law.batch_plan import CAT, UNKNOWN_CAT
from fairpassage.law.engagement import MAX_LABEL, PAYEES, PRIORS, STAGES
from fairpassage.law.taxonomy import classify

_CURRENCY = re.compile(r"[A-Z]{3}")


def _stage_default(programme: pl.Expr, stage: pl.Expr) -> pl.Expr:
    default: Any = None
    for prog, stages in STAGES.items():
        cond, value = programme == prog, pl.lit(stages[0])
        default = pl.when(cond).then(value) if default is None else default.when(cond).then(value)
    return pl.when(bp.blank(stage)).then(default).otherwise(stage)


def parse_engagements(eng: pl.DataFrame, points: tuple[Any, ...]) -> pl.DataFrame:
    s = eng.schema
    prog, prog_ok = bp.text("programme", s["programme"])
    stage_raw, stage_ok = bp.text("stage", s["stage"])
    prior_raw, prior_ok = bp.text("prior", s["prior"])
    same, same_ok = bp.flag("same_sending_and_supervising", s["same_sending_and_supervising"])
    months, months_ok = bp.whole_number("contract_months", s["contract_months"])
    wage, wage_ok = bp.scaled(WAGE_AMOUNT, s[WAGE_AMOUNT], bp.AMOUNT_DECIMALS, bp.AMOUNT_DIGITS)
    cur, cur_ok = bp.text(WAGE_CURRENCY, s[WAGE_CURRENCY])
    signed, signed_ok = bp.date("signed_on", s["signed_on"])
    departs_raw = pl.col("departs_on")
    departs, departs_ok = bp.date("departs_on", s["departs_on"])
    departs_blank = departs_raw.is_null()
    if bp.is_text(s["departs_on"]):
        departs_blank = bp.blank(departs_raw.cast(pl.String))
    stage = _stage_default(prog, stage_raw)
    prior = pl.when(bp.blank(prior_raw)).then(pl.lit("none")).otherwise(prior_raw)
    columns: dict[str, pl.Expr] = {
        "programme_v": prog,
        "stage_v": stage,
        "prior_v": prior,
        "same_v": same.fill_null(False),
        "months_v": months,
        "wage_a": wage,
        "wage_cur": cur,
        "signed_v": signed,
        "departs_v": pl.when(departs_blank).then(None).otherwise(departs),
    }
    pairs = [f"{p}/{st}" for p, sts in STAGES.items() for st in sts]
    ok = (
        prog_ok
        & stage_ok
        & prior_ok
        & same_ok
        & prog.is_in(list(STAGES)).fill_null(False)
        & pl.concat_str([prog, stage], separator="/").is_in(pairs).fill_null(False)
        & prior.is_in(list(PRIORS)).fill_null(False)
        & months_ok
        & months.is_between(1, 120).fill_null(False)
        & wage_ok
        & (wage > 0).fill_null(False)
        & cur_ok
        & signed_ok
        & (departs_blank | (departs_ok & (departs >= signed)).fill_null(False))
    )
    # The single check decides what an unanswered "same organisations" means for stage 3, and
    # reads the inputs added by issue 14 (sender, extension, what the Japanese side paid).
    ok = ok & ~((stage == "titp3") & same.is_null()).fill_null(False)
    for name in SINGLE_ONLY_COLUMNS:
        ok = ok & pl.col(name).is_null()
    for name in CONDUCT_FIELDS:
        value, flag_ok = bp.flag(name, s[name])
        columns[f"{name}_v"] = value
        ok = ok & flag_ok
    rate: Any = pl.when(cur == "VND").then(pl.lit(10**bp.RATE_DECIMALS, pl.Int64))
    for col in fx_columns(eng.columns):
        code = col[len(FX_PREFIX) :]
        if not _CURRENCY.fullmatch(code):
            ok = ok & pl.col(col).is_null()
            continue
        value, rate_ok = bp.scaled(col, s[col], bp.RATE_DECIMALS, bp.RATE_DIGITS)
        good = rate_ok & (value > 0) & (value <= 10**6 * 10**bp.RATE_DECIMALS)
        ok = ok & (pl.col(col).is_null() | good.fill_null(False))
        columns[f"rate_{code}"] = pl.when(good).then(value)
        rate = rate.when(cur == code).then(pl.when(good).then(value))
    columns["wage_r"] = rate.otherwise(None)
    product = pl.col("wage_a").cast(pl.Float64) * pl.col("wage_r").cast(pl.Float64)
    parsed = (
        eng.lazy()
        .with_columns(**columns, _ok=ok)
        .with_columns(
            _ok=pl.col("_ok") & pl.col("wage_r").is_not_null() & (product < 9e18).fill_null(False),
            wage_w=pl.col("wage_a") * pl.col("wage_r"),  # dong x 10**6
        )
        .collect()
    )
    return parsed.with_columns(
        sw=bp.window(parsed["signed_v"], points),
        dw=bp.window(parsed["departs_v"], points),
    )


LABEL_LONG = 1 << 5  # the stripped label is longer than the single check allows
LABEL_EMPTY = 1 << 6  # the stripped label is empty


def _label_codes(
    pay: pl.DataFrame, label: pl.Expr, missing: pl.Expr
) -> tuple[list[str], list[int]]:
    """Each distinct label once: its category code (classified only where a payment gives no
    category) with the LABEL_LONG / LABEL_EMPTY bits."""
    labels = pay.select(label.alias("l"), missing.alias("m")).drop_nulls("l")
    wanted = set(labels.filter(pl.col("m"))["l"].unique().to_list())
    keys, codes = [], []
    for raw in labels["l"].unique().to_list():
        stripped = raw.strip()
        category = classify(stripped).category if raw in wanted and stripped else None
        code = CAT[category] if category else UNKNOWN_CAT
        code |= LABEL_LONG if len(stripped) > MAX_LABEL else 0
        code |= LABEL_EMPTY if not stripped else 0
        keys.append(raw)
        codes.append(code)
    return keys, codes


def parse_payments(pay: pl.DataFrame, eng: pl.DataFrame) -> pl.DataFrame:
    """Payment rows with category code, amount in dong, index in the engagement and ``_pok``."""
    s = pay.schema
    label, label_ok = bp.text("label", s["label"])
    category, category_ok = bp.text("category", s["category"])
    cur, cur_ok = bp.text("currency", s["currency"])
    payee, payee_ok = bp.text("payee", s["payee"])
    amount, amount_ok = bp.scaled("amount", s["amount"], bp.AMOUNT_DECIMALS, bp.AMOUNT_DIGITS)
    _paid_on, paid_ok = bp.date("paid_on", s["paid_on"])
    paid_blank = pl.col("paid_on").is_null()
    if bp.is_text(s["paid_on"]):
        paid_blank = bp.blank(pl.col("paid_on").cast(pl.String))
    given = pl.when(bp.blank(category)).then(None).otherwise(category)
    keys, codes = _label_codes(pay, label, given.is_null())
    lab = pl.lit(None, pl.Int32)
    if keys:
        lab = label.replace_strict(keys, codes, default=None, return_dtype=pl.Int32)
    cat_given = (
        pl.when(given.is_null())
        .then(None)
        .otherwise(given.replace_strict(CAT, default=-1, return_dtype=pl.Int32))
    )
    # the rate of the payment's currency in its engagement (null when none is given)
    rows = pay["_row"].fill_null(0).to_numpy()
    rate: Any = pl.when(cur == "VND").then(pl.lit(10**bp.RATE_DECIMALS, pl.Int64))
    rate_columns = {}
    for col in eng.columns:
        if col.startswith("rate_"):
            values = eng[col].fill_null(-1).to_numpy()[rows]
            rate_columns[col] = pl.Series(col, values).replace(-1, None)
            rate = rate.when(cur == col[5:]).then(pl.col(col))
    half = 10**bp.RATE_DECIMALS * 10**bp.AMOUNT_DECIMALS
    frame = pay.with_columns(**rate_columns).lazy()
    frame = frame.with_columns(
        label_s=label,
        _lab=lab,
        cat_given=cat_given,
        cur_s=cur,
        payee_s=pl.when(bp.blank(payee)).then(pl.lit("unknown")).otherwise(payee),
        amount_a=amount,
        _rate=rate.otherwise(None),
        _pok=label_ok & category_ok & cur_ok & payee_ok & amount_ok & (paid_blank | paid_ok),
    )
    product = pl.col("amount_a").cast(pl.Float64) * pl.col("_rate").cast(pl.Float64)
    lab_bits = pl.col("_lab").fill_null(UNKNOWN_CAT)
    return frame.with_columns(
        cat=pl.when(pl.col("cat_given").is_null())
        .then(lab_bits % LABEL_LONG)
        .otherwise(pl.col("cat_given")),
        amount_vnd=(pl.col("amount_a") * pl.col("_rate") + half // 2) // half,
        _pok=pl.col("_pok")
        & pl.col("_row").is_not_null()
        & (pl.col("cat_given").is_null() | (pl.col("cat_given") >= 0))
        & (pl.col("cat_given").is_not_null() | ((lab_bits // LABEL_EMPTY) % 2 == 0))
        & ((lab_bits // LABEL_LONG) % 2 == 0)
        & pl.col("payee_s").is_in(list(PAYEES)).fill_null(False)
        & pl.col("_rate").is_not_null()
        & (product < 9e18).fill_null(False),
    ).collect()


def positions(rows: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Each payment's index among its engagement's payments, in file order."""
    m = len(rows)
    if m == 0:
        return np.zeros(0, np.int64)
    ordered = bool(np.all(rows[1:] >= rows[:-1]))
    order = None if ordered else np.argsort(rows, kind="stable")
    keys = rows if order is None else rows[order]
    starts = np.zeros(m, np.int64)
    change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts[change] = change
    index = np.arange(m, dtype=np.int64) - np.maximum.accumulate(starts)
    if order is None:
        return index
    out = np.empty(m, np.int64)
    out[order] = index
    return out
