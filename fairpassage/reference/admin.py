from __future__ import annotations

from django.contrib import admin

from fairpassage.reference.models import MinimumWage, Prefecture, VnProvince


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin[Prefecture]):
    list_display = ("code", "name_ja", "name_romaji", "region_romaji")


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin[MinimumWage]):
    list_display = ("prefecture", "fiscal_year", "hourly_jpy", "effective_date")
    list_filter = ("fiscal_year",)


@admin.register(VnProvince)
class VnProvinceAdmin(admin.ModelAdmin[VnProvince]):
    list_display = ("code", "name", "era", "successor")
    list_filter = ("era",)
    search_fields = ("name", "name_ascii")
