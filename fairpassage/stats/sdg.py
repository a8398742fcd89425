"""SDG indicator 10.7.1 for a table: the report printed by ``fairpassage sdg1071``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from fairpassage.stats.estimators import estimate, figures, group_entry
from fairpassage.stats.messages import method_notes, reason_text
from fairpassage.stats.prepare import RATIO, WEIGHT, Currency, Prepared, prepare

DEFAULT_MIN_CELL = 5


def indicator(
    table: pl.DataFrame,
    *,
    cost: str,
    earnings: str,
    weight: str | None = None,
    by: Sequence[Sequence[str]] = (),
    min_cell: int = DEFAULT_MIN_CELL,
    currency: Currency | None = None,
    exclude_zero_cost: bool = False,
    lang: str = "en",
    row_offset: int = 2,
) -> dict[str, Any]:
    """The indicator overall and by group, with every excluded row and its reason.

    ``by`` lists breakdowns; each is one or more columns crossed together.
    """
    columns = sorted({col for cols in by for col in cols})
    prepared = prepare(
        table,
        cost=cost,
        earnings=earnings,
        weight=weight,
        by=columns,
        currency=currency,
        exclude_zero_cost=exclude_zero_cost,
        row_offset=row_offset,
    )
    target = currency.target.upper() if currency else ""
    return report(
        prepared,
        by=by,
        min_cell=min_cell,
        lang=lang,
        target=target,
        exclude_zero_cost=exclude_zero_cost,
    )


def report(
    prepared: Prepared,
    *,
    by: Sequence[Sequence[str]],
    min_cell: int,
    lang: str,
    target: str = "",
    exclude_zero_cost: bool = False,
) -> dict[str, Any]:
    """The JSON report: overall, groups (small ones suppressed), excluded rows with reasons."""
    estimates = estimate(prepared.rows, by)
    overall_row = estimates.overall
    overall: dict[str, Any] = {"n": overall_row["n"], "excluded": prepared.excluded.height}
    if overall_row["n"] < min_cell:
        overall["suppressed"] = True
    else:
        overall["suppressed"] = False
        overall.update(figures(overall_row))
    groups = [
        group_entry(cols, row, min_cell) for cols, rows in estimates.breakdowns for row in rows
    ]
    excluded_rows = []
    for item in prepared.excluded_list():
        params = {
            "column": item["column"],
            "currency": item["currency"],
            "target": target,
        }
        excluded_rows.append(
            {
                "row": item["row"],
                "reason": item["reason"],
                "column": item["column"],
                "message": reason_text(item["reason"], lang, params),
            }
        )
    return {
        "overall": overall,
        "groups": groups,
        "excluded_rows": excluded_rows,
        "min_cell": min_cell,
        "currency": target or None,
        "method": method_notes(lang, {"min_cell": min_cell}, exclude_zero_cost=exclude_zero_cost),
    }


def histogram(
    rows: pl.DataFrame, *, min_cell: int = DEFAULT_MIN_CELL, width: float = 1.0, bins: int = 24
) -> list[dict[str, Any]]:
    """The distribution of r in bins of ``width`` months (the last bin open-ended), as weighted
    shares; a bin with fewer than ``min_cell`` people is suppressed (no count, no share)."""
    if rows.height == 0:
        return []
    index = (pl.col(RATIO) / width).floor().clip(0, bins - 1).cast(pl.Int64)
    total = float(rows[WEIGHT].sum())
    counts = (
        rows.group_by(index.alias("bin"))
        .agg(pl.len().alias("n"), pl.col(WEIGHT).sum().alias("w"))
        .sort("bin")
    )
    found = {row["bin"]: row for row in counts.iter_rows(named=True)}
    last = max(found)
    out = []
    for number in range(last + 1):
        row = found.get(number, {"n": 0, "w": 0.0})
        entry: dict[str, Any] = {
            "from": number * width,
            "to": None if number == bins - 1 else (number + 1) * width,
        }
        if 0 < row["n"] < min_cell:
            entry["suppressed"] = True
        else:
            entry.update({"suppressed": False, "n": row["n"], "share": round(row["w"] / total, 6)})
        out.append(entry)
    return out
