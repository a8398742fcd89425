"""Reading a survey table from CSV or XLSX, every cell as text (the estimators decide what a
number is, so a typo becomes an excluded row with a reason instead of a failed read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
import polars as pl

from fairpassage.stats.messages import input_error_text


class TableError(Exception):
    """A file that cannot be used: ``key`` and ``params`` render the message in any language."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str) -> str:
        return input_error_text(self.key, lang, self.params)


def cell_text(value: Any) -> str | None:
    """A spreadsheet cell as text: whole floats without ``.0``, empty cells as null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def rows_to_frame(header: Sequence[Any], rows: Iterable[Sequence[Any]], name: str) -> pl.DataFrame:
    columns = [cell_text(value) or f"column_{index + 1}" for index, value in enumerate(header)]
    if len(set(columns)) != len(columns):
        duplicate = next(col for col in columns if columns.count(col) > 1)
        raise TableError("unreadable", file=name, detail=f'duplicate column "{duplicate}"')
    data: dict[str, list[str | None]] = {col: [] for col in columns}
    for row in rows:
        values = [cell_text(value) for value in row]
        if not any(values):
            continue
        values += [None] * (len(columns) - len(values))
        for col, value in zip(columns, values, strict=False):
            data[col].append(value)
    return pl.DataFrame(data, schema=dict.fromkeys(columns, pl.String))


def read_xlsx_sheets(source: Path | BinaryIO, name: str | None = None) -> dict[str, pl.DataFrame]:
    """Every sheet of a workbook, the first row as column names."""
    name = name or (source.name if isinstance(source, Path) else "upload.xlsx")
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged or foreign file
        detail = str(error) or type(error).__name__
        raise TableError("unreadable", file=name, detail=detail) from error
    sheets = {}
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            sheets[sheet.title] = rows_to_frame(header, rows, name)
    finally:
        book.close()
    return sheets


def read_csv(path: Path) -> pl.DataFrame:
    try:
        return pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (OSError, pl.exceptions.PolarsError) as error:
        detail = getattr(error, "strerror", None) or str(error).splitlines()[0]
        raise TableError("unreadable", file=path.name, detail=detail) from error


def read_table(path: Path) -> pl.DataFrame:
    """The first sheet of an XLSX file or a CSV file (UTF-8), all columns as text."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise TableError("unreadable", file=path.name, detail="no such file")
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        sheets = read_xlsx_sheets(path)
        if not sheets:
            raise TableError("unreadable", file=path.name, detail="the workbook is empty")
        return next(iter(sheets.values()))
    raise TableError("file_type", file=path.name)


def require_columns(frame: pl.DataFrame, columns: Iterable[str | None], name: str) -> None:
    for column in columns:
        if column is not None and column not in frame.columns:
            raise TableError("missing_column", file=name, column=column)
