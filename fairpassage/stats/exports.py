"""Survey exports as people get them, read into the canonical tables (see ``canonical``).

* KoboToolbox CSV: group paths in column names (``profile/sex``), ``;`` or ``,`` separated; a
  repeat group, if present, is spread over indexed columns (``cost_item[2]/amount``).
* KoboToolbox XLSX: the main sheet first; each repeat group on its own sheet, joined by
  ``_parent_index`` to the main sheet's ``_index``.
* ODK Central CSV: a main file with ``KEY`` and one file per repeat group with ``PARENT_KEY``;
  group paths use ``-`` (``profile-sex``).
* Any other questionnaire: a saved ``ColumnMapping`` from its columns to the canonical fields,
  with value translations and one column per cost item.

Choice answers may be the XLSForm names or their labels in any of our languages.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from fairpassage.stats.canonical import (
    ITEM_FIELDS,
    RESPONDENT_FIELDS,
    Canonical,
    Problem,
    RawRow,
    build,
)
from fairpassage.stats.questionnaire import COST_REPEAT
from fairpassage.stats.tables import TableError, read_xlsx_sheets, rows_to_frame

KOBO_IDS = ("_uuid", "meta/instanceID", "_id")
ODK_IDS = ("KEY", "meta-instanceID", "instanceID")
ANSWER_FIELDS = [name for name in RESPONDENT_FIELDS if name != "respondent_id"]
FORMATS = ("kobo_csv", "kobo_xlsx", "odk_csv", "mapped")


def _rid(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value[5:] if value.startswith("uuid:") else value


def _segment(column: str) -> str:
    return re.split(r"[/-]", column)[-1]


def _match(
    columns: list[str], names: list[str], source: str, problems: list[Problem]
) -> dict[str, str]:
    """Canonical field -> source column, by exact name or last path segment."""
    found: dict[str, str] = {}
    for name in names:
        exact = [col for col in columns if col == name]
        hits = exact or [col for col in columns if _segment(col) == name]
        if len(hits) > 1:
            problems.append(Problem(source, 1, name, "ambiguous_column", {"columns": hits}))
        elif hits:
            found[name] = hits[0]
    return found


def _first(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    return next((col for col in candidates if col in columns), None)


def _raw_rows(
    frame: pl.DataFrame, source: str, matched: dict[str, str], id_column: str | None
) -> list[RawRow]:
    rows = []
    for number, record in enumerate(frame.iter_rows(named=True), start=2):
        values = {name: record.get(col) for name, col in matched.items()}
        values["respondent_id"] = _rid(record.get(id_column)) if id_column else None
        columns = {**matched, "respondent_id": id_column or "id"}
        rows.append(RawRow(source, number, values, columns))
    return rows


def _failed(problems: list[Problem]) -> Canonical:
    empty = build([], [])
    return Canonical(empty.respondents, empty.items, problems, [])


def _read_csv_text(data: bytes, source: str) -> pl.DataFrame:
    text = data.decode("utf-8-sig")
    header = text.split("\n", 1)[0]
    separator = ";" if header.count(";") > header.count(",") else ","
    try:
        return pl.read_csv(io.StringIO(text), separator=separator, infer_schema=False)
    except pl.exceptions.PolarsError as error:
        raise TableError("unreadable", file=source, detail=str(error).splitlines()[0]) from error


def read_kobo_csv(data: bytes, source: str = "export.csv") -> Canonical:
    frame = _read_csv_text(data, source)
    problems: list[Problem] = []
    columns = frame.columns
    id_column = _first(columns, KOBO_IDS)
    if id_column is None:
        return _failed([Problem(source, 1, "_uuid", "missing_column", {"column": "_uuid"})])
    matched = _match(columns, ANSWER_FIELDS, source, problems)
    people = _raw_rows(frame, source, matched, id_column)
    pattern = re.compile(rf"(?:^|/){COST_REPEAT}\[(\d+)\]/(?:.*/)?(\w+)$")
    slots: dict[int, dict[str, str]] = {}
    for col in columns:
        hit = pattern.search(col)
        if hit and hit.group(2) in ITEM_FIELDS:
            slots.setdefault(int(hit.group(1)), {})[hit.group(2)] = col
    items = []
    for person, record in zip(people, frame.iter_rows(named=True), strict=True):
        for _index, cols in sorted(slots.items()):
            values = {name: record.get(col) for name, col in cols.items()}
            if not any((value or "").strip() for value in values.values()):
                continue
            cols_with_parent = {**cols, "_parent": id_column}
            parent = person.values["respondent_id"]
            items.append(RawRow(source, person.row, values, cols_with_parent, parent))
    return _finish(people, items, problems)


def read_kobo_xlsx(data: bytes, source: str = "export.xlsx") -> Canonical:
    sheets = read_xlsx_sheets(io.BytesIO(data), source)
    if not sheets:
        return _failed([Problem(source, 1, "", "no_main_table")])
    names = list(sheets)
    main_name = names[0]
    main = sheets[main_name]
    problems: list[Problem] = []
    id_column = _first(main.columns, KOBO_IDS)
    if id_column is None or "_index" not in main.columns:
        missing = "_index" if id_column else "_uuid"
        return _failed([Problem(main_name, 1, missing, "missing_column", {"column": missing})])
    matched = _match(main.columns, ANSWER_FIELDS, main_name, problems)
    people = _raw_rows(main, main_name, matched, id_column)
    by_index = {
        (record.get("_index") or "").strip(): person.values["respondent_id"]
        for person, record in zip(people, main.iter_rows(named=True), strict=True)
    }
    items: list[RawRow] = []
    repeat = next((name for name in names[1:] if name.startswith(COST_REPEAT[:31])), None)
    if repeat is not None:
        sheet = sheets[repeat]
        if "_parent_index" not in sheet.columns:
            problems.append(
                Problem(repeat, 1, "_parent_index", "missing_column", {"column": "_parent_index"})
            )
        else:
            cols = _match(sheet.columns, list(ITEM_FIELDS), repeat, problems)
            for number, record in enumerate(sheet.iter_rows(named=True), start=2):
                key = (record.get("_parent_index") or "").strip()
                values = {name: record.get(col) for name, col in cols.items()}
                parent = by_index.get(key, key)
                columns = {**cols, "_parent": "_parent_index"}
                items.append(RawRow(repeat, number, values, columns, parent))
    return _finish(people, items, problems)


def read_odk_csv(files: Mapping[str, bytes]) -> Canonical:
    """ODK Central's CSV files (main and repeats), by file name."""
    frames = {name: _read_csv_text(data, name) for name, data in files.items()}
    mains = [n for n, f in frames.items() if "KEY" in f.columns and "PARENT_KEY" not in f.columns]
    if len(mains) != 1:
        source = next(iter(frames), "export.csv")
        return _failed([Problem(source, 1, "KEY", "no_main_table")])
    main_name = mains[0]
    main = frames[main_name]
    problems: list[Problem] = []
    matched = _match(main.columns, ANSWER_FIELDS, main_name, problems)
    people = _raw_rows(main, main_name, matched, _first(main.columns, ODK_IDS))
    items: list[RawRow] = []
    repeats = [n for n, f in frames.items() if "PARENT_KEY" in f.columns]
    for name in repeats:
        stem = name.rsplit(".", 1)[0]
        if len(repeats) > 1 and not stem.endswith(f"-{COST_REPEAT}"):
            continue
        sheet = frames[name]
        cols = _match(sheet.columns, list(ITEM_FIELDS), name, problems)
        for number, record in enumerate(sheet.iter_rows(named=True), start=2):
            values = {field: record.get(col) for field, col in cols.items()}
            parent = _rid(record.get("PARENT_KEY"))
            items.append(RawRow(name, number, values, {**cols, "_parent": "PARENT_KEY"}, parent))
    return _finish(people, items, problems)


def _finish(people: list[RawRow], items: list[RawRow], problems: list[Problem]) -> Canonical:
    result = build(people, items)
    if not problems:
        return result
    return Canonical(
        result.respondents.clear(),
        result.items.clear(),
        problems + result.problems,
        result.skipped,
    )


@dataclass(frozen=True)
class CostColumn:
    """One column of another questionnaire holding the amount of one cost item."""

    column: str
    item: str
    paid_when: str = "before_departure"
    currency: str | None = None  # a fixed code, or
    currency_column: str | None = None  # a column with the code
    paid_to: str | None = None


@dataclass(frozen=True)
class ColumnMapping:
    """How another questionnaire's single table maps to the canonical fields."""

    id_column: str
    columns: dict[str, str] = field(default_factory=dict)  # canonical field -> source column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {source: ours}
    costs: list[CostColumn] = field(default_factory=list)
    constants: dict[str, str] = field(default_factory=dict)  # field -> one value for every row

    def as_dict(self) -> dict[str, Any]:
        return {
            "id_column": self.id_column,
            "columns": dict(self.columns),
            "values": {key: dict(value) for key, value in self.values.items()},
            "costs": [cost.__dict__.copy() for cost in self.costs],
            "constants": dict(self.constants),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        return cls(
            id_column=str(data["id_column"]),
            columns={str(k): str(v) for k, v in dict(data.get("columns", {})).items()},
            values={str(k): dict(v) for k, v in dict(data.get("values", {})).items()},
            costs=[CostColumn(**cost) for cost in data.get("costs", [])],
            constants={str(k): str(v) for k, v in dict(data.get("constants", {})).items()},
        )

    def source_columns(self) -> list[str]:
        used = [self.id_column, *self.columns.values()]
        for cost in self.costs:
            used += [cost.column, *([cost.currency_column] if cost.currency_column else [])]
        return used


def read_mapped(frame: pl.DataFrame, mapping: ColumnMapping, source: str) -> Canonical:
    problems = [
        Problem(source, 1, column, "missing_column", {"column": column})
        for column in dict.fromkeys(mapping.source_columns())
        if column not in frame.columns
    ]
    unknown = [
        name for name in [*mapping.columns, *mapping.constants] if name not in RESPONDENT_FIELDS
    ]
    problems += [Problem(source, 1, name, "unknown_field", {"field": name}) for name in unknown]
    if problems:
        return _failed(problems)

    def translated(name: str, value: str | None) -> str | None:
        table = mapping.values.get(name, {})
        return table.get(value.strip(), value) if value is not None else None

    people, items = [], []
    for number, record in enumerate(frame.iter_rows(named=True), start=2):
        values: dict[str, str | None] = dict(mapping.constants)
        values |= {name: translated(name, record.get(col)) for name, col in mapping.columns.items()}
        rid = (record.get(mapping.id_column) or "").strip() or None
        values["respondent_id"] = rid
        columns = {**mapping.columns, "respondent_id": mapping.id_column}
        people.append(RawRow(source, number, values, columns))
        for cost in mapping.costs:
            amount = record.get(cost.column)
            if amount is None or not amount.strip():
                continue
            currency = record.get(cost.currency_column) if cost.currency_column else cost.currency
            item_values = {
                "item": cost.item,
                "paid_when": cost.paid_when,
                "paid_to": cost.paid_to,
                "amount": amount,
                "currency": currency,
            }
            item_columns = {"amount": cost.column, "_parent": mapping.id_column}
            if cost.currency_column:
                item_columns["currency"] = cost.currency_column
            items.append(RawRow(source, number, item_values, item_columns, rid))
    return _finish(people, items, [])


def detect(files: Mapping[str, bytes]) -> str:
    """The export format of the uploaded files: kobo_xlsx, odk_csv or kobo_csv."""
    names = list(files)
    if len(names) == 1 and names[0].lower().endswith(".xlsx"):
        return "kobo_xlsx"
    first_lines = [files[name].decode("utf-8-sig", "replace").split("\n", 1)[0] for name in names]
    if any(re.search(r"(^|[,;])\"?KEY\"?([,;]|$)", line) for line in first_lines):
        return "odk_csv"
    return "kobo_csv"


def read_export(files: Mapping[str, bytes], fmt: str | None = None) -> Canonical:
    """Read uploaded files of our questionnaire in the given (or detected) format."""
    fmt = fmt or detect(files)
    if fmt == "kobo_xlsx":
        name, data = next(iter(files.items()))
        return read_kobo_xlsx(data, name)
    if fmt == "odk_csv":
        return read_odk_csv(files)
    if fmt == "kobo_csv":
        name, data = next(iter(files.items()))
        return read_kobo_csv(data, name)
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS[:3])}")


def read_single_table(data: bytes, name: str) -> pl.DataFrame:
    """A CSV or the first sheet of an XLSX, all text (for mapped questionnaires)."""
    if name.lower().endswith(".xlsx"):
        sheets = read_xlsx_sheets(io.BytesIO(data), name)
        if not sheets:
            return rows_to_frame([], [], name)
        return next(iter(sheets.values()))
    return _read_csv_text(data, name)
