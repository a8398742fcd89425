"""Batch fee checks: many engagements at once, with the single check's findings.

:func:`audit_tables` takes an engagements table and a payments table (columns in docs/batch.md)
and returns four tables: findings (one row per engagement and finding, the single check's rule
ids, statuses and amounts), one summary row per engagement, one per agency, and the rows that
failed validation with the single check's field and error code.

How it stays identical to :func:`fairpassage.law.check_fees`:

* cells are read by :mod:`~fairpassage.law.batch_parse` only where their meaning is certain; an
  engagement with any other cell, valid or not, goes through the single check itself (counted
  in ``stats["single_path"]``), which gives its findings or its exact input error;
* each distinct label is classified once with the single check's classifier;
* amounts are converted with exact integer arithmetic and rounded half up, like ``round_vnd``;
* the law's parameters are looked up once per group of engagements
  (:mod:`~fairpassage.law.batch_plan`) and the rules evaluated as Polars expressions
  (:mod:`~fairpassage.law.batch_rules`); a ceiling that lands within a thousandth of a dong of a
  half is recomputed with :class:`~decimal.Decimal` exactly as the single check does.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from fairpassage.law import batch_parse as bp
from fairpassage.law.audit import STATUSES, round_vnd
from fairpassage.law.batch_io import (
    AGENCY_ID,
    CONDUCT_FIELDS,
    ENGAGEMENT_COLUMNS,
    ENGAGEMENT_ID,
    FX_PREFIX,
    PAYMENT_COLUMNS,
    WAGE_AMOUNT,
    WAGE_CURRENCY,
    fx_columns,
)
from fairpassage.law.batch_plan import (
    CAT,
    UNKNOWN_CAT,
    breakpoints,
    ilo_candidates,
    jp_side_candidates,
)
from fairpassage.law.batch_rules import MESSAGE, RULE, RULE_IDS, STATUS, UNCLASSIFIED
from fairpassage.law.batch_single import ErrorRow, single_rows
from fairpassage.law.batch_table import group_table, service_fee_table
from fairpassage.law.batch_rules import (
    excess_column,
    overall_status,
    rule_columns,
    summary_columns,
    totals_columns,
    whole_possible,
)
from fairpassage.law.engagement import MAX_LABEL, MAX_PAYMENTS, PAYEES, PRIORS, STAGES
from fairpassage.law.messages import input_error_text
from fairpassage.law.params import ParameterStore, default_store
from fairpassage.law.taxonomy import CATEGORIES, classify

Progress = Callable[[str, float], None]
NCAT = UNKNOWN_CAT + 1
ESD_PAYEES = ("sending_organisation", "broker", "unknown")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
BATCH_MESSAGES = Path(__file__).resolve().parent / "batch_messages.yaml"


@dataclass
class BatchResult:
    findings: pl.DataFrame
    engagements: pl.DataFrame
    agencies: pl.DataFrame
    errors: pl.DataFrame
    stats: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _batch_texts() -> dict[str, dict[str, str]]:
    raw = yaml.safe_load(BATCH_MESSAGES.read_text(encoding="utf-8"))
    return {k: dict(v) for k, v in raw["input_errors"].items()}


def error_text(code: str, lang: str, params: dict[str, Any]) -> str:
    table = _batch_texts().get(code)
    if table is None:
        return input_error_text(code, lang, params)
    return table[lang].format(**params)


def _complete(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    missing = [pl.lit(None, pl.String).alias(c) for c in columns if c not in frame.columns]
    return frame.with_columns(missing) if missing else frame


def _stage_default(programme: pl.Expr, stage: pl.Expr) -> pl.Expr:
    default: Any = None
    for prog, stages in STAGES.items():
        cond, value = programme == prog, pl.lit(stages[0])
        default = pl.when(cond).then(value) if default is None else default.when(cond).then(value)
    return pl.when(bp.blank(stage)).then(default).otherwise(stage)


def _parse_engagements(eng: pl.DataFrame, points: tuple[Any, ...]) -> pl.DataFrame:
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
        & bp.currency(cur)
        & signed_ok
        & (departs_blank | (departs_ok & (departs >= signed)).fill_null(False))
    )
    for name in CONDUCT_FIELDS:
        value, flag_ok = bp.flag(name, s[name])
        columns[f"{name}_v"] = value
        ok = ok & flag_ok
    rate: Any = pl.when(cur == "VND").then(pl.lit(10**bp.RATE_DECIMALS, pl.Int64))
    for col in fx_columns(eng.columns):
        code = col[len(FX_PREFIX) :]
        if not CURRENCY_CODE.fullmatch(code):
            ok = ok & pl.col(col).is_null()
            continue
        value, rate_ok = bp.scaled(col, s[col], bp.RATE_DECIMALS, bp.RATE_DIGITS)
        good = rate_ok & (value > 0) & (value <= 10**6 * 10**bp.RATE_DECIMALS)
        ok = ok & (pl.col(col).is_null() | good.fill_null(False))
        columns[f"rate_{code}"] = pl.when(good).then(value)
        rate = rate.when(cur == code).then(pl.when(good).then(value))
    columns["wage_r"] = rate.otherwise(None)
    parsed = eng.lazy().with_columns(**columns, _ok=ok)
    product = pl.col("wage_a").cast(pl.Float64) * pl.col("wage_r").cast(pl.Float64)
    signed_w = bp.window(pl.col("signed_v"), points)
    departs_w = pl.when(pl.col("departs_v").is_null()).then(-1)
    departs_w = departs_w.otherwise(bp.window(pl.col("departs_v"), points))
    return parsed.with_columns(
        _ok=pl.col("_ok") & pl.col("wage_r").is_not_null() & (product < 9e18).fill_null(False),
        wage_w=pl.col("wage_a") * pl.col("wage_r"),  # dong x 10**6
        sw=signed_w,
        dw=departs_w,
    ).collect()


LABEL_LONG = 1 << 5  # the stripped label is longer than the single check allows
LABEL_EMPTY = 1 << 6  # the stripped label is empty


def _label_codes(pay: pl.DataFrame, label: pl.Expr, missing: pl.Expr) -> tuple[list[str], list[int]]:
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


def _parse_payments(pay: pl.DataFrame, eng: pl.DataFrame) -> pl.DataFrame:
    """Payment rows with category code, amount in dong, index in the engagement and ``_pok``."""
    s = pay.schema
    label, label_ok = bp.text("label", s["label"])
    category, category_ok = bp.text("category", s["category"])
    cur, cur_ok = bp.text("currency", s["currency"])
    payee, payee_ok = bp.text("payee", s["payee"])
    amount, amount_ok = bp.scaled("amount", s["amount"], bp.AMOUNT_DECIMALS, bp.AMOUNT_DIGITS)
    paid_on, paid_ok = bp.date("paid_on", s["paid_on"])
    paid_blank = pl.col("paid_on").is_null()
    if bp.is_text(s["paid_on"]):
        paid_blank = bp.blank(pl.col("paid_on").cast(pl.String))
    given = pl.when(bp.blank(category)).then(None).otherwise(category)
    keys, codes = _label_codes(pay, label, given.is_null())
    lab = pl.lit(None, pl.Int32)
    if keys:
        lab = label.replace_strict(keys, codes, default=None, return_dtype=pl.Int32)
    cat_given = pl.when(given.is_null()).then(None)
    cat_given = cat_given.otherwise(given.replace_strict(CAT, default=-1, return_dtype=pl.Int32))
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
        _pok=label_ok & category_ok & cur_ok & payee_ok & amount_ok
        & bp.currency(cur)
        & (paid_blank | paid_ok),
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


def _aggregate(pay: pl.DataFrame, n: int) -> dict[str, np.ndarray[Any, Any]]:
    """Per engagement row: sums and counts per category, and the sums the ESD cap counts.

    Each amount is below 2**44 and an engagement has at most 200 payments, so float sums are
    exact integers.
    """
    good = pay.filter(pl.col("_pok"))
    rows = good["_row"].cast(pl.Int64).to_numpy()
    cats = good["cat"].cast(pl.Int64).to_numpy()
    amounts = good["amount_vnd"].cast(pl.Float64).to_numpy()
    esd = good["payee_s"].is_in(list(ESD_PAYEES)).to_numpy()
    key = rows * NCAT + cats
    size = n * NCAT
    sums = np.bincount(key, weights=amounts, minlength=size).reshape(n, NCAT)
    counts = np.bincount(key, minlength=size).reshape(n, NCAT)
    esd_sums = np.bincount(key, weights=np.where(esd, amounts, 0.0), minlength=size)
    esd_sums = esd_sums.reshape(n, NCAT)
    out: dict[str, np.ndarray[Any, Any]] = {}
    for c in range(NCAT):
        out[f"P{c}"] = sums[:, c].astype(np.int64)
        out[f"N{c}"] = counts[:, c].astype(np.int64)
        if c < UNKNOWN_CAT:
            out[f"E{c}"] = esd_sums[:, c].astype(np.int64)
    all_rows = pay["_row"].drop_nulls().cast(pl.Int64).to_numpy()
    out["n_items"] = np.bincount(all_rows, minlength=n).astype(np.int64)
    bad_rows = pay.filter(~pl.col("_pok") & pl.col("_row").is_not_null())["_row"]
    out["n_bad"] = np.bincount(bad_rows.cast(pl.Int64).to_numpy(), minlength=n).astype(np.int64)
    return out


def _limits(frame: pl.DataFrame, factor: str, known: pl.Expr, name: str) -> pl.DataFrame:
    """``round_vnd(wage_vnd * factor)``: floats where the result is certain, Decimal elsewhere."""
    x = (pl.col("wage_w").cast(pl.Float64) / 1e6) * pl.col(factor).cast(pl.Float64)
    frac = x - x.floor()
    frame = frame.with_columns(
        (x + 0.5).floor().cast(pl.Int64).alias(name),
        (known & ((x >= 1e11) | ((frac - 0.5).abs() < 1e-3))).fill_null(False).alias("_amb"),
    )
    doubtful = frame.filter(pl.col("_amb"))
    if doubtful.height:
        exact = [
            round_vnd(Decimal(w).scaleb(-6) * Decimal(f))
            for w, f in doubtful.select("wage_w", factor).iter_rows()
        ]
        values = frame[name].to_numpy().copy()
        values[np.flatnonzero(frame["_amb"].to_numpy())] = exact
        frame = frame.with_columns(pl.Series(name, values))
    return frame.with_columns(pl.when(known).then(pl.col(name)).alias(name)).drop("_amb")


FINDING_SCHEMA: dict[str, Any] = {
    "rule_id": RULE,
    "status": STATUS,
    "message_key": MESSAGE,
    "excess_vnd": pl.Int64,
    "limit_vnd": pl.Int64,
    "paid_vnd": pl.Int64,
    "payment_index": pl.Int64,
}
SUMMARY_COLUMNS = (
    "status",
    "total_paid_vnd",
    "excess_vnd",
    "worker_borne_recruitment_costs_vnd",
    "unclassified_vnd",
    *STATUSES,
)


def _vector_audit(fast: pl.DataFrame, store: ParameterStore, points: Any) -> pl.DataFrame:
    """Rule columns and summary columns for the engagements read entirely by the fast path."""
    keys = fast.select("sw", "dw", "programme_v", "stage_v", "prior_v", "same_v").unique()
    groups, specs = group_table(keys, store, points)
    fast = fast.join(groups, on=list(groups.columns[:6]), how="left")
    fee_keys = fast.select("sf_spec", "months_v").unique()
    fast = fast.join(service_fee_table(fee_keys, specs), on=["sf_spec", "months_v"], how="left")
    fast = fast.with_columns(*[pl.col(f"{name}_v").alias(name) for name in CONDUCT_FIELDS])
    fast = _limits(fast, "sf_factor", pl.col("sf_known"), "sf_limit")
    esd_known = pl.col("esd_kind").is_in(["capped", "unverified"])
    fast = _limits(fast, "esd_factor", esd_known, "esd_limit")
    jp_possible, ilo_possible = jp_side_candidates(store), ilo_candidates(store)
    possible = whole_possible(jp_possible, ilo_possible)
    return (
        fast.lazy()
        .with_columns(rule_columns(jp_possible, ilo_possible))
        .with_columns(summary_columns())
        .with_columns(excess_column(possible), *totals_columns())
        .with_columns(overall_status())
        .collect()
    )


def _findings(fast: pl.DataFrame, pay: pl.DataFrame) -> pl.DataFrame:
    parts = []
    for i, rule in enumerate(RULE_IDS):
        parts.append(
            fast.select(
                "_row",
                pl.lit(rule, RULE).alias("rule_id"),
                pl.col(f"{i}_status").alias("status"),
                pl.col(f"{i}_key").alias("message_key"),
                pl.col(f"{i}_excess").alias("excess_vnd"),
                pl.col(f"{i}_limit").alias("limit_vnd"),
                pl.col(f"{i}_paid").alias("paid_vnd"),
                pl.lit(None, pl.Int64).alias("payment_index"),
            )
        )
    unclassified = pay.filter(pl.col("_pok") & pl.col("_fast") & (pl.col("cat") == UNKNOWN_CAT))
    parts.append(
        unclassified.select(
            "_row",
            pl.lit(UNCLASSIFIED, RULE).alias("rule_id"),
            pl.lit("needs_review", STATUS).alias("status"),
            pl.lit(f"{UNCLASSIFIED}.needs_review", MESSAGE).alias("message_key"),
            pl.lit(0, pl.Int64).alias("excess_vnd"),
            pl.lit(None, pl.Int64).alias("limit_vnd"),
            pl.col("amount_vnd").cast(pl.Int64).alias("paid_vnd"),
            pl.col("_idx").cast(pl.Int64).alias("payment_index"),
        )
    )
    return pl.concat(parts, how="vertical")


def _route(
    eng: pl.DataFrame, pay: pl.DataFrame, routed_rows: list[int], store: ParameterStore
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[ErrorRow]]:
    """The single check for the engagements the fast path does not read."""
    from fairpassage.law.batch_io import row_to_input

    wanted = pl.Series("_row", routed_rows, pl.UInt32)
    originals = [c for c in eng.columns if c in ENGAGEMENT_COLUMNS or c.startswith(FX_PREFIX)]
    rows = eng.filter(pl.col("_row").is_in(wanted.implode())).select("_row", *originals)
    payments: dict[int, list[dict[str, Any]]] = {}
    chosen = pay.filter(pl.col("_row").is_in(wanted.implode())).sort("_prow")
    for p in chosen.select("_row", *PAYMENT_COLUMNS).iter_rows(named=True):
        payments.setdefault(p["_row"], []).append(p)
    findings: list[dict[str, Any]] = []
    summaries: list[dict[str, Any]] = []
    errors: list[ErrorRow] = []
    for row in rows.iter_rows(named=True):
        data = row_to_input(row, payments.get(row["_row"], []))
        outcome = single_rows(data, store)
        if isinstance(outcome, Exception):
            errors.append(
                ErrorRow(
                    row[ENGAGEMENT_ID],
                    row[AGENCY_ID],
                    None,
                    outcome.field,
                    outcome.message_key,
                    outcome.params,
                )
            )
            continue
        rows_found, summary = outcome
        findings.extend({"_row": row["_row"], **f} for f in rows_found)
        summaries.append({"_row": row["_row"], **summary})
    return findings, summaries, errors


def _id_errors(eng: pl.DataFrame, pay: pl.DataFrame) -> list[ErrorRow]:
    errors = []
    for eid, agency in eng.filter(pl.col("_noid")).select(ENGAGEMENT_ID, AGENCY_ID).iter_rows():
        errors.append(ErrorRow(eid, agency, None, ENGAGEMENT_ID, "required", {}))
    for eid, agency in eng.filter(pl.col("_dup")).select(ENGAGEMENT_ID, AGENCY_ID).iter_rows():
        errors.append(ErrorRow(eid, agency, None, ENGAGEMENT_ID, "duplicate_id", {"id": eid}))
    known = eng[ENGAGEMENT_ID].drop_nulls()
    orphans = pay.filter(pl.col("_row").is_null() & ~pl.col(ENGAGEMENT_ID).is_in(known.implode()))
    for eid, prow in orphans.select(ENGAGEMENT_ID, "_prow").iter_rows():
        if eid is None:
            errors.append(ErrorRow(None, None, prow, f"payments.{ENGAGEMENT_ID}", "required", {}))
        else:
            errors.append(
                ErrorRow(
                    eid, None, prow, f"payments.{ENGAGEMENT_ID}", "unknown_engagement", {"id": eid}
                )
            )
    return errors


def audit_tables(
    engagements: pl.DataFrame,
    payments: pl.DataFrame,
    *,
    lang: str = "vi",
    store: ParameterStore | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Check every engagement of the tables; see the module documentation."""
    store = store or default_store()
    tell = progress or (lambda stage, fraction: None)
    started = time.perf_counter()
    points = breakpoints(store)
    eng = _complete(engagements, ENGAGEMENT_COLUMNS).with_row_index("_row")
    pay = _complete(payments, PAYMENT_COLUMNS).with_row_index("_prow")
    if eng.schema[ENGAGEMENT_ID] != pay.schema[ENGAGEMENT_ID]:
        eng = eng.with_columns(pl.col(ENGAGEMENT_ID).cast(pl.String))
        pay = pay.with_columns(pl.col(ENGAGEMENT_ID).cast(pl.String))
    n = eng.height
    eng = eng.with_columns(
        _noid=pl.col(ENGAGEMENT_ID).is_null(),
        _dup=pl.col(ENGAGEMENT_ID).is_duplicated() & pl.col(ENGAGEMENT_ID).is_not_null(),
    )
    ids = eng.filter(~pl.col("_noid") & ~pl.col("_dup")).select(ENGAGEMENT_ID, "_row")
    pay = pay.with_columns(
        _row=pl.col(ENGAGEMENT_ID).replace_strict(
            ids[ENGAGEMENT_ID], ids["_row"], default=None, return_dtype=pl.UInt32
        )
    )
    raw_rows = pay["_row"].cast(pl.Int64).fill_null(-1).to_numpy()
    pay = pay.with_columns(_idx=pl.Series(positions(raw_rows)))
    tell("validate", 0.1)
    eng = _parse_engagements(eng, points)
    pay = _parse_payments(pay, eng)
    tell("classify", 0.3)
    agg = _aggregate(pay, n)
    eng = eng.with_columns(
        **{k: pl.Series(k, v) for k, v in agg.items()},
    ).with_columns(
        _fast=pl.col("_ok")
        & (pl.col("n_bad") == 0)
        & (pl.col("n_items") <= MAX_PAYMENTS)
        & ~pl.col("_noid")
        & ~pl.col("_dup")
    )
    pay = pay.with_columns(
        _fast=pl.col("_row").is_not_null()
        & eng["_fast"].gather(pay["_row"].fill_null(0)).alias("_fast")
    )
    tell("audit", 0.4)
    fast = _vector_audit(eng.filter(pl.col("_fast")), store, points)
    tell("findings", 0.7)
    findings = _findings(fast, pay)
    routed = eng.filter(~pl.col("_fast") & ~pl.col("_noid") & ~pl.col("_dup"))["_row"].to_list()
    tell("single", 0.8)
    single_findings, single_summaries, errors = _route(eng, pay, routed, store)
    errors = _id_errors(eng, pay) + errors
    if single_findings:
        extra = pl.DataFrame(single_findings, schema={"_row": pl.UInt32, **FINDING_SCHEMA})
        findings = pl.concat([findings, extra], how="vertical")
    ids_series = eng[ENGAGEMENT_ID]
    findings = findings.select(
        ids_series.gather(findings["_row"]).alias(ENGAGEMENT_ID),
        *FINDING_SCHEMA,
    )
    summaries = fast.select("_row", *SUMMARY_COLUMNS).with_columns(pl.lit("batch").alias("path"))
    if single_summaries:
        extra_summary = pl.DataFrame(
            single_summaries,
            schema={"_row": pl.UInt32, **summaries.drop("_row", "path").schema},
        ).with_columns(pl.lit("single").alias("path"))
        summaries = pl.concat([summaries, extra_summary], how="vertical")
    summaries = summaries.sort("_row")
    per_engagement = summaries.select(
        ids_series.gather(summaries["_row"]).alias(ENGAGEMENT_ID),
        eng[AGENCY_ID].gather(summaries["_row"]).alias(AGENCY_ID),
        *SUMMARY_COLUMNS,
        "path",
    )
    tell("summaries", 0.9)
    error_frame = _error_frame(errors, lang, eng.schema[ENGAGEMENT_ID], eng.schema[AGENCY_ID])
    agencies = agency_summary(per_engagement, error_frame)
    stats = {
        "engagements": n,
        "payments": pay.height,
        "checked": per_engagement.height,
        "batch_path": fast.height,
        "single_path": len(routed)
        - sum(
            1
            for e in errors
            if e.payment_row is None
            and e.code not in ("required", "duplicate_id")
            and e.field != ENGAGEMENT_ID
        ),
        "input_errors": error_frame.height,
        "distinct_labels": pay["label_s"].drop_nulls().n_unique(),
        "findings": findings.height,
        "seconds": round(time.perf_counter() - started, 3),
        "rules_version": store.version,
    }
    stats["single_path"] = len(routed)
    return BatchResult(findings, per_engagement, agencies, error_frame, stats)


def _error_frame(errors: list[ErrorRow], lang: str, id_type: Any, agency_type: Any) -> pl.DataFrame:
    from fairpassage.law.batch_single import params_json

    return pl.DataFrame(
        [
            (
                e.engagement_id,
                e.agency_id,
                e.payment_row,
                e.field,
                e.code,
                params_json(e.params),
                error_text(e.code, lang, e.params),
            )
            for e in errors
        ],
        schema={
            ENGAGEMENT_ID: id_type,
            AGENCY_ID: agency_type,
            "payment_row": pl.Int64,
            "field": pl.String,
            "code": pl.String,
            "params": pl.String,
            "message": pl.String,
        },
        orient="row",
    )


def agency_summary(per_engagement: pl.DataFrame, errors: pl.DataFrame) -> pl.DataFrame:
    """Per agency: engagements checked, with a violation, violations, total excess, errors."""
    checked = per_engagement.group_by(AGENCY_ID).agg(
        pl.len().alias("engagements"),
        (pl.col("status") == "violation").sum().alias("engagements_with_violation"),
        pl.col("violation").sum().alias("violations"),
        pl.col("excess_vnd").sum().alias("excess_vnd"),
        (pl.col("status") == "needs_review").sum().alias("engagements_needing_review"),
    )
    failed = (
        errors.filter(pl.col("payment_row").is_null())
        .group_by(AGENCY_ID)
        .agg(pl.len().alias("input_errors"))
    )
    if failed.schema[AGENCY_ID] != checked.schema[AGENCY_ID]:
        failed = failed.with_columns(pl.col(AGENCY_ID).cast(checked.schema[AGENCY_ID]))
    out = checked.join(failed, on=AGENCY_ID, how="full", coalesce=True, nulls_equal=True)
    counts = ["engagements", "engagements_with_violation", "violations", "excess_vnd"]
    counts += ["engagements_needing_review", "input_errors"]
    return out.with_columns(pl.col(counts).fill_null(0).cast(pl.Int64)).sort(
        "excess_vnd", AGENCY_ID, descending=[True, False], nulls_last=True
    )


OUTPUT_TABLES = ("findings", "engagements", "agencies", "errors")


def run_batch(
    source: Path,
    out: Path,
    *,
    fmt: str = "parquet",
    lang: str = "vi",
    progress: Progress | None = None,
) -> BatchResult:
    """Read ``source`` (a folder with engagements.* and payments.*), audit, and publish the four
    tables and ``manifest.json`` into the folder ``out`` atomically (see ``batch_io.publish``)."""
    from fairpassage.law.batch_io import MANIFEST, publish, read_tables, write_table

    if fmt not in ("parquet", "csv"):
        raise ValueError(f"format {fmt}")
    tell = progress or (lambda stage, fraction: None)
    tell("read", 0.0)
    engagements, payments = read_tables(source)
    result = audit_tables(engagements, payments, lang=lang, progress=progress)

    def write(folder: Path) -> None:
        for i, name in enumerate(OUTPUT_TABLES):
            tell(f"write {name}", 0.9 + i / 50)
            write_table(getattr(result, name), folder / f"{name}.{fmt}")
        manifest = {**result.stats, "format": fmt, "tables": list(OUTPUT_TABLES)}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    publish(out, write)
    tell("done", 1.0)
    return result
