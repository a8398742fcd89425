"""Regional minimum wages (地域別最低賃金) read from the shipped tables.

The numbers live only in the shipped tables ``data/jp-prefectures-min-wage/minimum_wage_*.csv``
(FY2023-FY2025 derived, FY2026 secondary; prefecture names and JIS codes in
``prefectures_derived.csv``); nothing is copied into code or YAML. A FY2026 row whose effective
date is only ``planned`` (not confirmed) says so in its note. The table is read by *effective
date*, not fiscal year: several FY2025 rates start in 2026 (Akita on 2026-03-31).

Which rate applies on a date ``D`` in prefecture ``P``:

* ``D`` before ``P``'s first effective date in the table -> ``before_table`` (the rate is not
  known: ``needs_review``);
* otherwise the row with the latest effective date on or before ``D`` applies;
* the table is *stale* for ``P`` from 1 October of the fiscal year after ``P``'s last fiscal year
  in the table: the next annual revision may take effect from that day (revisions take effect
  from 1 October at the earliest), and the table cannot say whether it has. That is never later
  than 13 months after the last known change. On a stale date the last known rate is reported
  as a floor: regional minimum wages have only risen in the table's years, so a wage below the
  old rate is below the current one, but a wage above it cannot be confirmed (``needs_review``).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from fairpassage.law.params import Reference, Resolved

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "jp-prefectures-min-wage"
TABLE_FILES = ("minimum_wage_fy2023_2025_derived.csv", "minimum_wage_fy2026_secondary.csv")
TABLE_FILE = TABLE_FILES[0]
PREFECTURES_FILE = "prefectures_derived.csv"
ENV_OVERRIDE = "FAIRPASSAGE_MIN_WAGE_DIR"
MHLW_URL = "https://www.mhlw.go.jp/stf/newpage_63030.html"

MinWageState = Literal["known", "stale", "before_table"]


class MinimumWageTableError(ValueError):
    """The shipped minimum-wage table is missing or malformed."""


@dataclass(frozen=True)
class Prefecture:
    code: str
    name_ja: str
    name_romaji: str


@dataclass(frozen=True)
class MinWageRow:
    code: str
    fiscal_year: int
    hourly_jpy: int
    effective: dt.date
    gazette: dt.date | None
    note: str
    date_status: str = "announced"  # announced | planned (the effective date is not confirmed)
    verification: str = "secondary"


@dataclass(frozen=True)
class MinWageLookup:
    """The regional minimum wage for one prefecture on one date."""

    prefecture: Prefecture
    on: dt.date
    state: MinWageState
    row: MinWageRow | None
    stale_from: dt.date | None

    @property
    def hourly_jpy(self) -> int | None:
        return self.row.hourly_jpy if self.row else None

    def resolved(self, source: str) -> Resolved:
        """The lookup in the parameter-report shape used by findings."""
        row = self.row
        reference = Reference(
            instrument=(
                f"Regional minimum wage, {self.prefecture.name_romaji.title()} "
                f"({self.prefecture.name_ja}), MHLW / Prefectural Labour Bureau announcement"
            ),
            provision=(
                f"FY{row.fiscal_year}, effective {row.effective.isoformat()} ({source})"
                if row
                else f"not in the shipped table ({source})"
            ),
            url=MHLW_URL,
        )
        return Resolved(
            param_id=f"jp.minimum_wage.regional.{self.prefecture.code}",
            on=self.on,
            state="known" if self.state == "known" else "unknown",
            value=row.hourly_jpy if row else None,
            since=row.effective if row else None,
            reference=reference,
            verification=row.verification if row else "secondary",
            note=row.note if row and row.note else None,
        )


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise MinimumWageTableError(f"{where}: bad date {text!r}") from None


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    return folded.replace("-", "").replace(" ", "").replace("ō", "o").replace("ū", "u")


class MinimumWageTable:
    """The prefecture list and the dated minimum wages of the shipped CSV files."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_directory()
        self.prefectures: dict[str, Prefecture] = {}
        self._names: dict[str, str] = {}
        self.rows: dict[str, tuple[MinWageRow, ...]] = {}
        self._load_prefectures(self.directory / PREFECTURES_FILE)
        self._load_rates([self.directory / name for name in TABLE_FILES])

    def _load_prefectures(self, path: Path) -> None:
        if not path.is_file():
            raise MinimumWageTableError(f"{path}: prefecture list not found")
        with path.open(encoding="utf-8", newline="") as handle:
            for n, rec in enumerate(csv.DictReader(handle), start=2):
                code = (rec.get("jis_code") or "").strip().zfill(2)
                if not code.isdigit() or not 1 <= int(code) <= 47:
                    raise MinimumWageTableError(f"{path.name}:{n}: bad jis_code")
                pref = Prefecture(code, rec["name_ja"].strip(), rec["name_romaji"].strip())
                self.prefectures[code] = pref
                for name in (rec["name_ja"], rec.get("name_ja_short") or "", rec["name_romaji"]):
                    if name.strip():
                        self._names[_fold(name)] = code
                self._names[code] = code
                self._names[str(int(code))] = code
        if len(self.prefectures) != 47:
            raise MinimumWageTableError(f"{path.name}: expected 47 prefectures")

    def _load_rates(self, paths: list[Path]) -> None:
        by_code: dict[str, list[MinWageRow]] = {}
        for path in paths:
            if not path.is_file():
                raise MinimumWageTableError(f"{path}: minimum wage table not found")
            with path.open(encoding="utf-8", newline="") as handle:
                for n, rec in enumerate(csv.DictReader(handle), start=2):
                    row = self._row(rec, f"{path.name}:{n}")
                    by_code.setdefault(row.code, []).append(row)
        for code, rows in by_code.items():
            rows.sort(key=lambda r: r.effective)
            dates = [r.effective for r in rows]
            if len(set(dates)) != len(dates):
                raise MinimumWageTableError(f"{paths[0].name}: two rates on one date for {code}")
            self.rows[code] = tuple(rows)
        missing = sorted(set(self.prefectures) - set(self.rows))
        if missing:
            raise MinimumWageTableError(f"{paths[0].name}: no rates for {missing}")

    def _row(self, rec: dict[str, str], where: str) -> MinWageRow:
        code = (rec.get("jis_code") or "").strip().zfill(2)
        if code not in self.prefectures:
            raise MinimumWageTableError(f"{where}: unknown jis_code {code!r}")
        try:
            hourly = int(rec["hourly_min_wage_jpy"])
            fiscal_year = int(rec["fiscal_year"])
        except (TypeError, ValueError):
            raise MinimumWageTableError(f"{where}: bad number") from None
        if hourly <= 0:
            raise MinimumWageTableError(f"{where}: wage must be positive")
        gazette_text = (rec.get("gazette_publication_date") or "").strip()
        status = (rec.get("effective_date_status") or "announced").strip()
        if status not in ("announced", "planned"):
            raise MinimumWageTableError(f"{where}: effective_date_status {status!r}")
        verification = (rec.get("verification") or "secondary").strip()
        if verification not in ("verified", "secondary", "unverified"):
            raise MinimumWageTableError(f"{where}: verification {verification!r}")
        note = (rec.get("note") or "").strip()
        if status == "planned":
            planned = "effective date planned, not confirmed"
            note = f"{note}; {planned}" if note else planned
        return MinWageRow(
            code=code,
            fiscal_year=fiscal_year,
            hourly_jpy=hourly,
            effective=_date(rec["effective_date"].strip(), where),
            gazette=_date(gazette_text, where) if gazette_text else None,
            note=note,
            date_status=status,
            verification=verification,
        )

    @property
    def source(self) -> str:
        return " + ".join(f"data/jp-prefectures-min-wage/{name}" for name in TABLE_FILES)

    def latest(self) -> list[tuple[Prefecture, MinWageRow]]:
        """Each prefecture's newest row (for the public law page and the law status)."""
        return [(self.prefectures[code], self.rows[code][-1]) for code in sorted(self.rows)]

    def prefecture(self, text: str) -> Prefecture | None:
        """A prefecture by JIS code (``13`` or ``"13"``), romaji or Japanese name."""
        code = self._names.get(_fold(text))
        if code is None and _fold(text).endswith(("ken", "fu", "to")):
            for suffix in ("ken", "fu", "to"):
                base = _fold(text).removesuffix(suffix)
                if base in self._names:
                    code = self._names[base]
                    break
        return self.prefectures.get(code) if code else None

    def on(self, prefecture: Prefecture, day: dt.date) -> MinWageLookup:
        rows = self.rows[prefecture.code]
        current = None
        for row in rows:
            if row.effective <= day:
                current = row
            else:
                break
        if current is None:
            return MinWageLookup(prefecture, day, "before_table", None, None)
        last = rows[-1]
        stale_from = dt.date(last.fiscal_year + 1, 10, 1)
        state: MinWageState = "stale" if day >= stale_from else "known"
        return MinWageLookup(prefecture, day, state, current, stale_from)


def default_directory() -> Path:
    override = os.environ.get(ENV_OVERRIDE)
    return Path(override) if override else DATA_DIR


@lru_cache(maxsize=4)
def _cached(directory: Path) -> MinimumWageTable:
    return MinimumWageTable(directory)


def minimum_wage_table(directory: Path | None = None) -> MinimumWageTable:
    """The table in ``directory`` (default: the shipped one, or ``$FAIRPASSAGE_MIN_WAGE_DIR``)."""
    return _cached((directory or default_directory()).resolve())


def hourly_equivalent(monthly_wage: Decimal, scheduled_hours: Decimal) -> Decimal:
    """Monthly wage / scheduled monthly hours (Minimum Wage Act, Ordinance Art. 2)."""
    return monthly_wage / scheduled_hours
