"""The reference data loads from data/, completely, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from fairpassage.reference.models import MinimumWage, Prefecture, ProvinceEra, VnProvince
from fairpassage.reference.selectors import minimum_wage_on
from fairpassage.reference.services import reference_data_load


@pytest.mark.django_db
def test_load_is_complete_and_a_second_load_changes_nothing() -> None:
    loaded = reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    assert sum(loaded.values()) == 47 + 141 + 63
    assert Prefecture.objects.count() == 47
    assert MinimumWage.objects.count() == 141
    assert VnProvince.objects.filter(era=ProvinceEra.CURRENT).count() == 34
    assert VnProvince.objects.filter(era=ProvinceEra.LEGACY).count() == 63
    assert reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR) == {}
    assert MinimumWage.objects.count() == 141


@pytest.mark.django_db
def test_minimum_wage_follows_the_effective_date_not_the_fiscal_year() -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    tokyo = minimum_wage_on(prefecture_code="13", on=dt.date(2025, 10, 3))
    assert tokyo is not None and tokyo.hourly_jpy == 1226
    # Akita's FY2025 rate begins only on 2026-03-31: the day before, FY2024 still applies.
    before = minimum_wage_on(prefecture_code="05", on=dt.date(2026, 3, 30))
    after = minimum_wage_on(prefecture_code="05", on=dt.date(2026, 3, 31))
    assert before is not None and after is not None
    assert before.fiscal_year == 2024 and after.fiscal_year == 2025
    assert after.hourly_jpy > before.hourly_jpy
    assert minimum_wage_on(prefecture_code="13", on=dt.date(2020, 1, 1)) is None


@pytest.mark.django_db
def test_old_provinces_map_to_their_successor() -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    ha_giang = VnProvince.objects.get(era=ProvinceEra.LEGACY, name_ascii="Tinh Ha Giang")
    assert ha_giang.successor is not None
    assert ha_giang.successor.name == "Tỉnh Tuyên Quang"
    assert ha_giang.successor.era == ProvinceEra.CURRENT
