"""Batch fee-check tables: their columns, reading them, and the single check's input per row.

Two tables (Parquet or CSV) describe many engagements; docs/batch.md documents the columns. A row
of the engagements table with its payments (in file order) means exactly the JSON input
:func:`row_to_input` builds from it, and the batch audit gives the findings the single fee check
gives for that input.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

ENGAGEMENT_ID = "engagement_id"
AGENCY_ID = "agency_id"
TEXT_FIELDS = ("programme", "stage", "prior")
BOOL_FIELDS = ("same_sending_and_supervising",)
CONDUCT_FIELDS = ("passport_held", "penalty_contract", "forced_savings")
WAGE_AMOUNT = "monthly_basic_wage_amount"
WAGE_CURRENCY = "monthly_basic_wage_currency"
JP_PAID = "japanese_side_paid_service_fee"
# Inputs added by issue 14: rows that give any of them go through the single check itself.
SINGLE_ONLY_COLUMNS = ("sender", "extension_months", f"{JP_PAID}_amount", f"{JP_PAID}_currency")
ENGAGEMENT_COLUMNS = (
    ENGAGEMENT_ID,
    AGENCY_ID,
    *TEXT_FIELDS,
    *BOOL_FIELDS,
    "contract_months",
    WAGE_AMOUNT,
    WAGE_CURRENCY,
    "signed_on",
    "departs_on",
    *CONDUCT_FIELDS,
    *SINGLE_ONLY_COLUMNS,
)
PAYMENT_FIELDS = ("label", "category", "amount", "currency", "paid_on", "payee")
PAYMENT_COLUMNS = (ENGAGEMENT_ID, *PAYMENT_FIELDS)
FX_PREFIX = "fx_"
TRUE_TEXT = ("true", "1")
FALSE_TEXT = ("false", "0")
FORMATS = ("parquet", "csv")
_FX_COLUMN = re.compile(r"^fx_(.+)$")


class BatchFileError(ValueError):
    """A batch input cannot be read at all (missing file, unknown format, broken file)."""


def fx_columns(columns: Iterable[str]) -> list[str]:
    """The exchange-rate columns (``fx_JPY``, ``fx_USD``, ...) in table order."""
    return [c for c in columns if _FX_COLUMN.match(c)]


# ------------------------------------------------------------------------------ reading


def _find(folder: Path, stem: str) -> Path:
    for fmt in FORMATS:
        candidate = folder / f"{stem}.{fmt}"
        if candidate.is_file():
            return candidate
    raise BatchFileError(f"{folder}: no {stem}.parquet or {stem}.csv")


def read_table(path: Path) -> pl.DataFrame:
    """A Parquet file as typed, or a CSV file with every column as text (empty cell = missing)."""
    try:
        if path.suffix == ".parquet":
            return pl.read_parquet(path)
        if path.suffix == ".csv":
            return pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (OSError, pl.exceptions.PolarsError) as error:
        raise BatchFileError(f"{path.name}: {error}") from error
    raise BatchFileError(f"{path.name}: the format must be .parquet or .csv")


def read_tables(folder: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``engagements.*`` and ``payments.*`` from a folder."""
    if not folder.is_dir():
        raise BatchFileError(f"{folder}: not a folder")
    return read_table(_find(folder, "engagements")), read_table(_find(folder, "payments"))


# ---------------------------------------------------------------------- row -> JSON input


def _scalar(value: Any) -> Any:
    """A table cell as the single check's JSON would carry it."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def as_bool(value: Any) -> Any:
    """A flag cell: booleans stay, the texts true/false/1/0 become booleans, others stay as is."""
    if isinstance(value, str):
        low = value.strip().lower()
        if low in TRUE_TEXT:
            return True
        if low in FALSE_TEXT:
            return False
    return value


def row_to_input(row: Mapping[str, Any], payments: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The single fee check's input for one engagement row and its payment rows (in order).

    A missing cell (null, or an empty CSV cell) leaves its key out, as a JSON input would.
    """
    data: dict[str, Any] = {}
    for key in (*TEXT_FIELDS, "contract_months", "signed_on", "departs_on"):
        if row.get(key) is not None:
            data[key] = _scalar(row[key])
    for key in ("sender", "extension_months"):
        if row.get(key) is not None:
            data[key] = _scalar(row[key])
    paid = {
        name: _scalar(row[f"{JP_PAID}_{name}"])
        for name in ("amount", "currency")
        if row.get(f"{JP_PAID}_{name}") is not None
    }
    if paid:
        data[JP_PAID] = paid
    for key in BOOL_FIELDS:
        if row.get(key) is not None:
            data[key] = as_bool(row[key])
    wage = {
        name: _scalar(row[col])
        for name, col in (("amount", WAGE_AMOUNT), ("currency", WAGE_CURRENCY))
        if row.get(col) is not None
    }
    if wage:
        data["monthly_basic_wage"] = wage
    conduct = {k: as_bool(row[k]) for k in CONDUCT_FIELDS if row.get(k) is not None}
    if conduct:
        data["conduct"] = conduct
    fx = {
        col[len(FX_PREFIX) :]: _scalar(row[col])
        for col in fx_columns(row)
        if row.get(col) is not None
    }
    if fx:
        data["fx"] = fx
    data["payments"] = [
        {k: _scalar(p[k]) for k in PAYMENT_FIELDS if p.get(k) is not None} for p in payments
    ]
    return data


# ---------------------------------------------------------------------- JSON input -> rows


def _column(values: list[Any]) -> pl.Series | list[Any]:
    kinds = {type(v) for v in values if v is not None}
    if len(kinds) <= 1:
        return values
    return [None if v is None else str(v) for v in values]


def _frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> pl.DataFrame:
    data = {c: _column([r.get(c) for r in rows]) for c in columns}
    return pl.DataFrame(data, strict=False, infer_schema_length=None)


def frames_from_inputs(
    inputs: Sequence[tuple[Any, Any, Mapping[str, Any]]],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Tables from ``(engagement_id, agency_id, single-check input)`` triples (flat JSON only)."""
    codes: list[str] = []
    engagement_rows: list[dict[str, Any]] = []
    payment_rows: list[dict[str, Any]] = []
    for engagement_id, agency_id, data in inputs:
        row: dict[str, Any] = {ENGAGEMENT_ID: engagement_id, AGENCY_ID: agency_id}
        for key in (*TEXT_FIELDS, *BOOL_FIELDS, "contract_months", "signed_on", "departs_on"):
            row[key] = data.get(key)
        wage = data.get("monthly_basic_wage") or {}
        row[WAGE_AMOUNT], row[WAGE_CURRENCY] = wage.get("amount"), wage.get("currency")
        row["sender"], row["extension_months"] = data.get("sender"), data.get("extension_months")
        paid = data.get(JP_PAID) or {}
        row[f"{JP_PAID}_amount"] = paid.get("amount")
        row[f"{JP_PAID}_currency"] = paid.get("currency")
        for key in CONDUCT_FIELDS:
            row[key] = (data.get("conduct") or {}).get(key)
        for code, rate in (data.get("fx") or {}).items():
            if code not in codes:
                codes.append(code)
            row[FX_PREFIX + code] = rate
        engagement_rows.append(row)
        for payment in data.get("payments") or []:
            payment_rows.append({ENGAGEMENT_ID: engagement_id, **payment})
    engagements = _frame(engagement_rows, [*ENGAGEMENT_COLUMNS, *(FX_PREFIX + c for c in codes)])
    payments = _frame(payment_rows, PAYMENT_COLUMNS)
    return engagements, payments


# ------------------------------------------------------------------------- atomic output


def write_table(frame: pl.DataFrame, path: Path) -> None:
    if path.suffix == ".csv":
        frame.write_csv(path)
    else:
        frame.write_parquet(path)
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(out: Path) -> list[Path]:
    """Temporary folders of earlier runs on ``out`` whose process is gone."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(?:tmp|old)-(\d+)$")
    found = []
    for entry in out.parent.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_dir() and not _alive(int(match.group(1))):
            found.append(entry)
    return found


MANIFEST = "manifest.json"


def publish(out: Path, write: Any) -> None:
    """Write the results into a temporary folder beside ``out`` and rename it into place.

    ``write(folder)`` fills the folder. A run killed before the rename leaves no ``out`` (only a
    hidden temporary folder, removed by the next run); an earlier complete result at ``out`` is
    replaced whole. A folder at ``out`` that is not a batch result is never touched.
    """
    out = out.resolve()
    if out.exists() and not (out / MANIFEST).is_file():
        raise BatchFileError(f"{out.name}: exists and is not a batch result; choose a new name")
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in _leftovers(out):
        shutil.rmtree(stale, ignore_errors=True)
    temp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    try:
        write(temp)
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.replace(old)
            temp.replace(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            temp.replace(out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
