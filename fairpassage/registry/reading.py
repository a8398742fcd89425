"""Read an official list (CSV or XLSX) into validated rows, or a report of every bad row.

Nothing here writes: :func:`read_list` returns :class:`ParsedRow` objects and the errors found,
each naming its row (as a spreadsheet numbers it, the header being row 1) and its column.
The column mappings of each source live in ``sources.yaml``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import Country, OrganisationKind
from fairpassage.registry.models import Issuer, LicenceStatus
from fairpassage.text.normalise import fold, licence_key

SOURCES_FILE = Path(__file__).with_name("sources.yaml")
ISSUER_OF_KIND = {
    OrganisationKind.SENDING_AGENCY: Issuer.VN_DOLAB,
    OrganisationKind.SUPERVISING_ORGANISATION: Issuer.JP_OTIT,
    OrganisationKind.REGISTERED_SUPPORT_ORGANISATION: Issuer.JP_ISA,
}
COUNTRY_WORDS = {
    "vn": "VN",
    "viet nam": "VN",
    "vietnam": "VN",
    "ベトナム": "VN",
    "jp": "JP",
    "japan": "JP",
    "nhat ban": "JP",
    "日本": "JP",
}
_ERAS = {"令和": 2018, "r": 2018, "平成": 1988, "h": 1988}
_ERA_DATE = re.compile(r"^(令和|平成|r|h)\s*(\d{1,2}|元)[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$")
_NUMBERS = re.compile(r"\d+")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Source:
    name: str
    description: dict[str, str]
    date_order: str
    fixed: dict[str, str]
    columns: dict[str, list[str]]
    optional: frozenset[str]
    default_status: str


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    row: int
    name: str
    country: str
    kind: str
    issuer: str
    licence_number: str
    number_key: str
    status: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    other_names: tuple[str, ...] = ()
    reading: str = ""
    address: str = ""
    phone: str = ""
    website: str = ""


@dataclass
class ReadResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@cache
def sources() -> dict[str, Source]:
    raw = yaml.safe_load(SOURCES_FILE.read_text("utf-8"))
    return {
        name: Source(
            name=name,
            description=spec["description"],
            date_order=spec["date_order"],
            fixed=spec.get("fixed", {}),
            columns=spec["columns"],
            optional=frozenset(spec.get("optional", [])),
            default_status=spec.get("default_status", ""),
        )
        for name, spec in raw.items()
        if name != "statuses"
    }


@cache
def status_words() -> dict[str, str]:
    raw = yaml.safe_load(SOURCES_FILE.read_text("utf-8"))["statuses"]
    return {fold(word): status for status, words in raw.items() for word in words}


def source_get(name: str) -> Source:
    try:
        return sources()[name]
    except KeyError:
        raise InvalidInput(
            _("Unknown source %(name)s. Known sources: %(known)s."),
            field="source",
            params={"name": name, "known": ", ".join(sorted(sources()))},
        ) from None


# Reading the cells ---------------------------------------------------------------------------


class UnreadableFile(Exception):
    """The file as a whole cannot be read (encoding, format)."""


def _decode(data: bytes) -> str:
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableFile(
            _(
                "The file is not UTF-8 text (first bad byte on line %(line)s). "
                'Save it as "CSV UTF-8" and import it again.'
            )
            % {"line": line}
        ) from error


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text, newline=""), dialect)


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise UnreadableFile(
            _("The spreadsheet cannot be opened: %(error)s") % {"error": error}
        ) from error
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def cells(data: bytes, filename: str) -> Iterator[list[Any]]:
    """Rows of cells of a CSV or XLSX file (recognised by content, not by name)."""
    if data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile(_("The file is named .xlsx but is not a spreadsheet."))
    return _csv_rows(data)


# Values ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any, order: str) -> dt.date | None:
    """A date from a cell: ISO always; ``dd/mm/yyyy`` or ``yyyy/mm/dd`` by source; 令和/平成."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = _text(value)
    if not raw:
        return None
    era = _ERA_DATE.match(raw.replace(" ", "").lower())
    if era:
        year = 1 if era.group(2) == "元" else int(era.group(2))
        return dt.date(_ERAS[era.group(1)] + year, int(era.group(3)), int(era.group(4)))
    numbers = [int(n) for n in _NUMBERS.findall(raw)]
    if len(numbers) != 3:
        raise ValueError(raw)
    if numbers[0] > 31 or order in ("iso", "ymd"):
        year, month, day = numbers
    else:
        day, month, year = numbers
    if order == "iso" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise ValueError(raw)
    return dt.date(year, month, day)


def _header_map(header: list[Any], source: Source) -> tuple[dict[str, int], list[str], list[str]]:
    folded = [fold(_text(cell)) for cell in header]
    positions: dict[str, int] = {}
    for column, aliases in source.columns.items():
        wanted = {fold(alias) for alias in aliases}
        for index, name in enumerate(folded):
            if name in wanted and column not in positions:
                positions[column] = index
    missing = [c for c in source.columns if c not in positions and c not in source.optional]
    used = set(positions.values())
    ignored = [_text(header[i]) for i in range(len(header)) if i not in used and _text(header[i])]
    return positions, missing, ignored


def read_list(
    data: bytes, *, filename: str, source: Source, progress: Progress | None = None
) -> ReadResult:
    """Validate every row; the result holds either rows to import or the errors of all rows."""
    result = ReadResult()
    try:
        rows = cells(data, filename)
        header: list[Any] | None = None
        header_row = 0
        for header_row, candidate in enumerate(rows, start=1):  # noqa: B007 - used below
            if any(_text(cell) for cell in candidate):
                header = candidate
                break
        if header is None:
            result.errors.append(RowError(1, "", _("The file has no header row.")))
            return result
        positions, missing, result.ignored_columns = _header_map(header, source)
        for column in missing:
            result.errors.append(
                RowError(
                    header_row,
                    column,
                    _("Required column %(column)s is missing.") % {"column": column},
                )
            )
        if missing:
            return result
        all_rows = list(rows)
    except UnreadableFile as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    except (csv.Error, UnicodeDecodeError) as error:
        result.errors.append(
            RowError(0, "", _("The file cannot be read: %(error)s") % {"error": error})
        )
        return result
    seen: dict[tuple[str, str], int] = {}
    total = len(all_rows)
    for offset, values in enumerate(all_rows, start=1):
        number = header_row + offset
        if not any(_text(v) for v in values):
            continue
        duplicate = _duplicate_of(values, number, positions, source, seen)
        row = _parse_row(values, number, positions, source, result.errors)
        if progress and offset % 1000 == 0:
            progress("read", offset, total)
        if duplicate is not None:
            result.errors.append(duplicate)
            continue
        if row is None:
            continue
        result.rows.append(row)
    if progress:
        progress("read", total, total)
    return result


def _duplicate_of(
    values: list[Any],
    number: int,
    positions: dict[str, int],
    source: Source,
    seen: dict[tuple[str, str], int],
) -> RowError | None:
    """An error when this row's licence number (of the same kind) is on an earlier row."""
    index = positions["licence_number"]
    text = _text(values[index]) if index < len(values) else ""
    if not text:
        return None
    kind_index = positions.get("kind")
    kind = source.fixed.get("issuer") or (
        _text(values[kind_index]) if kind_index is not None and kind_index < len(values) else ""
    )
    key = (kind, licence_key(text))
    if key in seen:
        return RowError(
            number,
            "licence_number",
            _("Licence number %(number)s is already on row %(row)s.")
            % {"number": text, "row": seen[key]},
        )
    seen[key] = number
    return None


def _parse_row(
    values: list[Any],
    number: int,
    positions: dict[str, int],
    source: Source,
    errors: list[RowError],
) -> ParsedRow | None:
    def cell(column: str) -> Any:
        index = positions.get(column)
        return values[index] if index is not None and index < len(values) else None

    found_before = len(errors)

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    name = _text(cell("name"))
    if not name:
        bad("name", _("The name is empty."))
    country = source.fixed.get("country") or COUNTRY_WORDS.get(fold(_text(cell("country"))), "")
    if country not in (Country.VIET_NAM, Country.JAPAN):
        bad(
            "country",
            _("Country must be VN or JP, not “%(value)s”.") % {"value": _text(cell("country"))},
        )
    kind = source.fixed.get("kind") or _text(cell("kind"))
    if kind not in OrganisationKind.values:
        bad(
            "kind",
            _("Unknown kind “%(value)s”; use one of: %(known)s.")
            % {"value": kind, "known": ", ".join(OrganisationKind.values)},
        )
    licence_number = _text(cell("licence_number"))
    issuer = source.fixed.get("issuer", "")
    if not issuer and kind in OrganisationKind.values:
        issuer = ISSUER_OF_KIND.get(OrganisationKind(kind), "")
    if licence_number and kind in OrganisationKind.values and not issuer:
        bad(
            "licence_number",
            _("Organisations of kind %(kind)s hold no licence in the registry.") % {"kind": kind},
        )
    status_text = _text(cell("licence_status"))
    status = status_words().get(fold(status_text), "") if status_text else source.default_status
    if licence_number and status not in LicenceStatus.values:
        bad(
            "licence_status",
            _("Unknown licence status “%(value)s”; use active, suspended, revoked or expired.")
            % {"value": status_text},
        )
    dates: dict[str, dt.date | None] = {}
    for column in ("licence_issued_on", "licence_expires_on"):
        try:
            dates[column] = parse_date(cell(column), source.date_order)
        except ValueError:
            dates[column] = None
            bad(
                column,
                _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": _text(cell(column))},
            )
    issued, expires = dates["licence_issued_on"], dates["licence_expires_on"]
    if issued and expires and expires < issued:
        bad("licence_expires_on", _("The licence expires before it was issued."))
    if len(errors) > found_before:
        return None
    english = _text(cell("english_name"))
    return ParsedRow(
        row=number,
        name=name,
        country=country,
        kind=kind,
        issuer=issuer if licence_number else "",
        licence_number=licence_number,
        number_key=licence_key(licence_number) if licence_number else "",
        status=status if licence_number else "",
        issued_on=issued,
        expires_on=expires,
        other_names=(english,) if english else (),
        reading=_text(cell("reading")),
        address=_text(cell("address")),
        phone=_text(cell("phone")),
        website=_text(cell("website")),
    )
