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

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from fairpassage.law.audit import STATUSES, round_vnd
from fairpassage.law.batch_frames import parse_engagements, parse_payments, positions
from fairpassage.law.batch_io import (
    AGENCY_ID,
    CONDUCT_FIELDS,
    ENGAGEMENT_COLUMNS,
    ENGAGEMENT_ID,
    FX_PREFIX,
    MANIFEST,
    PAYMENT_COLUMNS,
    publish,
    read_tables,
    row_to_input,
    write_table,
)
from fairpassage.law.batch_output import agency_summary, id_errors
from fairpassage.law.batch_output import error_frame as make_error_frame
from fairpassage.law.batch_plan import (
    CAT,
    UNKNOWN_CAT,
    breakpoints,
    ilo_candidates,
    jp_side_candidates,
)
from fairpassage.law.batch_rules import (
    MESSAGE,
    RULE,
    RULE_IDS,
    STATUS,
    UNCLASSIFIED,
    excess_column,
    open_columns,
    overall_status,
    rule_columns,
    summary_columns,
    totals_columns,
    whole_possible,
)
from fairpassage.law.batch_single import ErrorRow, single_rows
from fairpassage.law.batch_table import group_table, service_fee_table
from fairpassage.law.engagement import JAPANESE_PAYEES, MAX_PAYMENTS
from fairpassage.law.params import ParameterStore, default_store
from fairpassage.law.rules_payee import VIETNAMESE_FEE_CATEGORIES
from fairpassage.law.taxonomy import JAPANESE_FEE_CATEGORIES

Progress = Callable[[str, float], None]
NCAT = UNKNOWN_CAT + 1
ESD_PAYEES = ("sending_organisation", "broker", "unknown")


@dataclass
class BatchResult:
    findings: pl.DataFrame
    engagements: pl.DataFrame
    agencies: pl.DataFrame
    errors: pl.DataFrame
    stats: dict[str, Any] = field(default_factory=dict)


def _complete(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    missing = [pl.lit(None, pl.String).alias(c) for c in columns if c not in frame.columns]
    return frame.with_columns(missing) if missing else frame


def _aggregate(pay: pl.DataFrame, n: int) -> dict[str, np.ndarray[Any, Any]]:
    """Per engagement row: sums and counts per category, and the sums the ESD cap counts.

    Each amount is below 2**44 and an engagement has at most 200 payments, so float sums are
    exact integers.
    """
    good = pay.select("_row", "cat", "amount_vnd", "payee_s", "_pok").filter(pl.col("_pok"))
    rows = good["_row"].cast(pl.Int64).to_numpy()
    cats = good["cat"].cast(pl.Int64).to_numpy()
    amounts = good["amount_vnd"].cast(pl.Float64).to_numpy()
    payee = good["payee_s"]
    esd = payee.is_in(list(ESD_PAYEES)).to_numpy()
    # Fees of Japanese organisations (rules_payee): by kind, or a Vietnamese-looking fee paid to
    # an organisation in Japan ("moved": the Vietnamese rules do not read it).
    in_japan = payee.is_in(list(JAPANESE_PAYEES)).to_numpy()
    moved = np.isin(cats, [CAT[c] for c in VIETNAMESE_FEE_CATEGORIES]) & in_japan
    fee = moved | np.isin(cats, [CAT[c] for c in JAPANESE_FEE_CATEGORIES])
    supervision = fee & (
        (cats == CAT["supervision_fee"]) | (payee == "jp_supervising_organisation").to_numpy()
    )
    support = fee & ((cats == CAT["support_fee"]) | (payee == "jp_support_organisation").to_numpy())
    out: dict[str, np.ndarray[Any, Any]] = {}
    for name, chosen in (("J", moved), ("JF", fee), ("JA", supervision), ("JB", support)):
        out[f"P{name}"] = np.bincount(rows[chosen], weights=amounts[chosen], minlength=n).astype(
            np.int64
        )
        out[f"N{name}"] = np.bincount(rows[chosen], minlength=n).astype(np.int64)
    rows, cats, amounts, esd = rows[~moved], cats[~moved], amounts[~moved], esd[~moved]
    key = rows * NCAT + cats
    size = n * NCAT
    sums = np.bincount(key, weights=amounts, minlength=size).reshape(n, NCAT)
    counts = np.bincount(key, minlength=size).reshape(n, NCAT)
    esd_sums = np.bincount(key, weights=np.where(esd, amounts, 0.0), minlength=size)
    esd_sums = esd_sums.reshape(n, NCAT)
    for c in range(NCAT):
        out[f"P{c}"] = sums[:, c].astype(np.int64)
        out[f"N{c}"] = counts[:, c].astype(np.int64)
        if c < UNKNOWN_CAT:
            out[f"E{c}"] = esd_sums[:, c].astype(np.int64)
    all_rows = pay["_row"].drop_nulls().cast(pl.Int64).to_numpy()
    out["n_items"] = np.bincount(all_rows, minlength=n).astype(np.int64)
    bad = pay.select("_row", "_pok").filter(~pl.col("_pok") & pl.col("_row").is_not_null())
    bad_rows = bad["_row"]
    out["n_bad"] = np.bincount(bad_rows.cast(pl.Int64).to_numpy(), minlength=n).astype(np.int64)
    return out


def _limits(frame: pl.DataFrame, factor: str, known: pl.Expr, name: str) -> pl.DataFrame:
    """``round_vnd(wage_vnd * factor)``: floats where the result is certain, Decimal elsewhere."""
    x = (pl.col("wage_w").cast(pl.Float64) / 1e6) * pl.col(f"{factor}_f")
    frac = x - x.floor()
    frame = frame.with_columns(
        (x + 0.5).floor().cast(pl.Int64).alias(name),
        (known & ((x >= 1e11) | ((frac - 0.5).abs() < 1e-3))).fill_null(False).alias("_amb"),
    )
    doubtful = frame.filter(pl.col("_amb"))
    if doubtful.height:
        factors: dict[str, Decimal] = {}
        exact = [
            round_vnd(Decimal(w).scaleb(-6) * factors.setdefault(f, Decimal(f)))
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


def _with_service_fee(fast: pl.DataFrame, specs: list[Any]) -> pl.DataFrame:
    """The service-fee cap columns, looked up by (date readings, contract length)."""
    width = 121  # contract lengths 1..120
    key = (fast["sf_spec"] * width + fast["months_v"]).to_numpy()
    present = np.unique(key)
    table = service_fee_table(
        pl.DataFrame({"sf_spec": present // width, "months_v": present % width}), specs
    )
    slot = np.full(len(specs) * width, -1, np.int64)
    slot[present] = np.arange(len(present))
    gathered = table.drop("sf_spec", "months_v").select(pl.all().gather(pl.Series(slot[key])))
    return fast.with_columns(gathered.get_columns())


def _vector_audit(fast: pl.DataFrame, store: ParameterStore, points: Any) -> pl.DataFrame:
    """Rule columns and summary columns for the engagements read entirely by the fast path."""
    keys = fast.select("sw", "dw", "programme_v", "stage_v", "prior_v", "same_v").unique()
    groups, specs = group_table(keys, store, points)
    fast = fast.join(groups, on=list(groups.columns[:6]), how="left")
    fast = _with_service_fee(fast, specs)
    fast = fast.with_columns(*[pl.col(f"{name}_v").alias(name) for name in CONDUCT_FIELDS])
    fast = _limits(fast, "sf_factor", pl.col("sf_known"), "sf_limit")
    fast = _limits(fast, "sfd_factor", pl.col("sfd_known"), "sfd_limit")
    esd_known = pl.col("esd_kind").is_in(["capped", "unverified"])
    fast = _limits(fast, "esd_factor", esd_known, "esd_limit")
    jp_possible, ilo_possible = jp_side_candidates(store), ilo_candidates(store)
    possible = whole_possible(jp_possible, ilo_possible)
    return (
        fast.lazy()
        .with_columns(rule_columns(jp_possible, ilo_possible))
        .with_columns(open_columns())
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
    if not routed_rows:
        return [], [], []
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
    started = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def tell(stage: str, fraction: float) -> None:
        marks.append((stage, time.perf_counter()))
        if progress:
            progress(stage, fraction)

    tell("link payments", 0.0)
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
    tell("validate and classify labels", 0.1)
    eng = parse_engagements(eng, points)
    pay = parse_payments(pay, eng)
    tell("aggregate payments", 0.3)
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
    tell("rules", 0.4)
    fast = _vector_audit(eng.filter(pl.col("_fast")), store, points)
    tell("findings", 0.7)
    findings = _findings(fast, pay)
    routed = eng.filter(~pl.col("_fast") & ~pl.col("_noid") & ~pl.col("_dup"))["_row"].to_list()
    tell("single check", 0.8)
    single_findings, single_summaries, errors = _route(eng, pay, routed, store)
    errors = id_errors(eng, pay) + errors
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
    error_frame = make_error_frame(errors, lang, eng.schema[ENGAGEMENT_ID], eng.schema[AGENCY_ID])
    agencies = agency_summary(per_engagement, error_frame)
    stats = {
        "engagements": n,
        "payments": pay.height,
        "checked": per_engagement.height,
        "batch_path": fast.height,
        "single_path": len(routed),
        "input_errors": error_frame.height,
        "distinct_labels": pay["label_s"].drop_nulls().n_unique(),
        "findings": findings.height,
        "seconds": round(time.perf_counter() - started, 3),
        "stage_seconds": _durations([*marks, ("end", time.perf_counter())]),
        "rules_version": store.version,
    }
    return BatchResult(findings, per_engagement, agencies, error_frame, stats)


def _durations(marks: list[tuple[str, float]]) -> dict[str, float]:
    return {a[0]: round(b[1] - a[1], 3) for a, b in itertools.pairwise(marks)}


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
