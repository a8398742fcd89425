"""Group constants as small tables, joined onto the engagements by group."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from fairpassage.law.batch_plan import SfSpec, fee_cap, group_constants
from fairpassage.law.batch_rules import MESSAGE
from fairpassage.law.params import ParameterStore

GROUP_KEYS = ("sw", "dw", "programme_v", "stage_v", "prior_v", "same_v")
PLACEHOLDER_KEY = "not_encoded.needs_review"


def group_table(
    keys: pl.DataFrame, store: ParameterStore, points: tuple[dt.date, ...]
) -> tuple[pl.DataFrame, list[SfSpec]]:
    """One row of constants per distinct group; also the distinct service-fee date readings."""
    specs: dict[SfSpec, int] = {}
    rows: list[dict[str, Any]] = []
    for sw, dw, programme, stage, prior, same in keys.select(GROUP_KEYS).iter_rows():
        g = group_constants(store, points, (sw, dw, programme, stage, prior, same))
        row: dict[str, Any] = dict(
            zip(GROUP_KEYS, (sw, dw, programme, stage, prior, same), strict=True)
        )
        row["sf_spec"] = specs.setdefault(g.service_fee, len(specs))
        for k, capped in enumerate(g.capped):
            row[f"cap{k}_limit"] = capped.limit
            row[f"cap{k}_open"] = capped.open_key
        row["jp_forbidden"] = g.jp_forbidden
        row["jp_open_key"] = g.jp_open_key
        row["jp_review"] = g.jp_review
        row["ilo_pays_open"], row["ilo_bad_open"] = g.ilo_open
        for j, p in enumerate(g.prohibitions):
            row[f"pr{j}_applies"] = p.applies
            row[f"pr{j}_banned"] = p.banned
            row[f"pr{j}_review"] = p.review_key or PLACEHOLDER_KEY
        row["ilo_pays"] = g.ilo_employer_pays
        row["ilo_bad"] = g.ilo_illegitimate
        row["jf_applies"] = g.japanese_fees.applies
        row["jf_banned"] = g.japanese_fees.banned
        row["jf_review"] = g.japanese_fees.review_key or PLACEHOLDER_KEY
        row["esd_kind"] = g.esd.kind
        row["esd_factor"] = str(g.esd.months) if g.esd.months is not None else None
        row["esd_factor_f"] = float(g.esd.months) if g.esd.months is not None else None
        rows.append(row)
    schema: dict[str, Any] = {k: keys.schema[k] for k in GROUP_KEYS}
    schema.update({"sf_spec": pl.Int64, "jp_forbidden": pl.Int64, "jp_open_key": MESSAGE})
    schema.update({"ilo_pays_open": pl.Boolean, "ilo_bad_open": pl.Boolean})
    schema["jp_review"] = pl.Int64
    for k in range(4):
        schema[f"cap{k}_limit"] = pl.Int64
        schema[f"cap{k}_open"] = MESSAGE
    for j in range(4):
        schema[f"pr{j}_applies"] = pl.Boolean
        schema[f"pr{j}_banned"] = pl.Boolean
        schema[f"pr{j}_review"] = MESSAGE
    schema.update(
        {
            "ilo_pays": pl.Boolean,
            "ilo_bad": pl.Int64,
            "jf_applies": pl.Boolean,
            "jf_banned": pl.Boolean,
            "jf_review": MESSAGE,
            "esd_kind": pl.String,
            "esd_factor": pl.String,
            "esd_factor_f": pl.Float64,
        }
    )
    table = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    return table, list(specs)


def service_fee_table(keys: pl.DataFrame, specs: list[SfSpec]) -> pl.DataFrame:
    """The service-fee cap per distinct (date readings, contract length)."""
    rows = []
    for spec, months in keys.select("sf_spec", "months_v").iter_rows():
        cap = fee_cap(specs[spec], months)
        rows.append(
            (
                spec,
                months,
                cap.known,
                str(cap.factor),
                float(cap.factor),
                cap.lowest_exact,
                cap.all_exact,
                cap.review_key,
                cap.share_known,
                str(cap.share_factor),
                float(cap.share_factor),
            )
        )
    schema: dict[str, Any] = {
        "sf_spec": pl.Int64,
        "months_v": keys.schema["months_v"],
        "sf_known": pl.Boolean,
        "sf_factor": pl.String,
        "sf_factor_f": pl.Float64,
        "sf_lowest_exact": pl.Boolean,
        "sf_all_exact": pl.Boolean,
        "sf_review_key": MESSAGE,
        "sfd_known": pl.Boolean,
        "sfd_factor": pl.String,
        "sfd_factor_f": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
