"""Load the reference data from ``data/``; idempotent, each dataset in one transaction."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fairpassage.core.services import Actor, audit_record
from fairpassage.reference.models import (
    MinimumWage,
    Prefecture,
    ProvinceEra,
    ReferenceDataset,
    VnProvince,
)

PREFECTURES = "jp-prefectures-min-wage/prefectures_derived.csv"
MINIMUM_WAGES = "jp-prefectures-min-wage/minimum_wage_fy2023_2025_derived.csv"
VN_PROVINCES = "vn-admin-units/provinces_63_to_34_derived.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text.strip() else None


def _load_prefectures(rows: list[dict[str, str]]) -> None:
    for row in rows:
        Prefecture.objects.update_or_create(
            code=row["jis_code"],
            defaults={
                "name_ja": row["name_ja"],
                "name_ja_short": row["name_ja_short"],
                "name_kana": row["name_kana"],
                "name_romaji": row["name_romaji"],
                "region_ja": row["region_ja"],
                "region_romaji": row["region_romaji"],
            },
        )


def _load_minimum_wages(rows: list[dict[str, str]]) -> None:
    for row in rows:
        MinimumWage.objects.update_or_create(
            prefecture_id=row["jis_code"],
            effective_date=dt.date.fromisoformat(row["effective_date"]),
            defaults={
                "fiscal_year": int(row["fiscal_year"]),
                "hourly_jpy": int(row["hourly_min_wage_jpy"]),
                "gazette_published_on": _date(row["gazette_publication_date"]),
                "note": row["note"],
            },
        )


def _load_vn_provinces(rows: list[dict[str, str]]) -> None:
    current: dict[str, VnProvince] = {}
    for row in rows:
        code = row["new_province_code"]
        if code not in current:
            current[code], _created = VnProvince.objects.update_or_create(
                era=ProvinceEra.CURRENT,
                code=code,
                defaults={
                    "name": row["new_province_name"],
                    "name_ascii": row["new_province_name_ascii"],
                    "successor": None,
                },
            )
    for row in rows:
        VnProvince.objects.update_or_create(
            era=ProvinceEra.LEGACY,
            code=row["old_province_code"],
            defaults={
                "name": row["old_province_name"],
                "name_ascii": row["old_province_name_ascii"],
                "successor": current[row["new_province_code"]],
            },
        )


LOADERS: dict[str, Callable[[list[dict[str, str]]], None]] = {
    PREFECTURES: _load_prefectures,
    MINIMUM_WAGES: _load_minimum_wages,
    VN_PROVINCES: _load_vn_provinces,
}


def reference_data_load(
    *,
    actor: Actor,
    data_dir: Path,
    force: bool = False,
    progress: Callable[[str, str], None] | None = None,
) -> dict[str, int]:
    """Load each dataset whose file changed since its last load; returns rows loaded per file."""
    loaded: dict[str, int] = {}
    for name, loader in LOADERS.items():
        path = data_dir / name
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        known = ReferenceDataset.objects.filter(name=name).first()
        if known is not None and known.sha256 == digest and not force:
            if progress:
                progress(name, _("unchanged"))
            continue
        rows = _rows(path)
        with transaction.atomic():
            loader(rows)
            ReferenceDataset.objects.update_or_create(
                name=name, defaults={"sha256": digest, "rows": len(rows)}
            )
            audit_record(
                actor=actor,
                action="reference.load",
                data={"dataset": name, "rows": len(rows), "sha256": digest},
            )
        loaded[name] = len(rows)
        if progress:
            progress(name, _("%(rows)d rows loaded") % {"rows": len(rows)})
    return loaded
