"""Input errors and per-agency summaries of the batch fee check."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from fairpassage.law.batch_io import AGENCY_ID, ENGAGEMENT_ID
from fairpassage.law.batch_single import ErrorRow, params_json
from fairpassage.law.messages import input_error_text

BATCH_MESSAGES = Path(__file__).resolve().parent / "batch_messages.yaml"


@lru_cache(maxsize=1)
def _batch_texts() -> dict[str, dict[str, str]]:
    raw = yaml.safe_load(BATCH_MESSAGES.read_text(encoding="utf-8"))
    return {k: dict(v) for k, v in raw["input_errors"].items()}


def error_text(code: str, lang: str, params: dict[str, Any]) -> str:
    table = _batch_texts().get(code)
    if table is None:
        return input_error_text(code, lang, params)
    return table[lang].format(**params)


def id_errors(eng: pl.DataFrame, pay: pl.DataFrame) -> list[ErrorRow]:
    errors = []
    for eid, agency in eng.filter(pl.col("_noid")).select(ENGAGEMENT_ID, AGENCY_ID).iter_rows():
        errors.append(ErrorRow(eid, agency, None, ENGAGEMENT_ID, "required", {}))
    for eid, agency in eng.filter(pl.col("_dup")).select(ENGAGEMENT_ID, AGENCY_ID).iter_rows():
        errors.append(ErrorRow(eid, agency, None, ENGAGEMENT_ID, "duplicate_id", {"id": eid}))
    known = eng[ENGAGEMENT_ID].drop_nulls()
    unlinked = pay.select(ENGAGEMENT_ID, "_prow", "_row").filter(pl.col("_row").is_null())
    orphans = unlinked.filter(~pl.col(ENGAGEMENT_ID).is_in(known.implode()))
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


def error_frame(errors: list[ErrorRow], lang: str, id_type: Any, agency_type: Any) -> pl.DataFrame:
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
