"""Places and wages loaded from ``data/`` (the files there are the one source of truth)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceDataset(models.Model):
    """What was loaded from which file, so that an unchanged file is not loaded again."""

    name = models.CharField(max_length=80, primary_key=True)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class Prefecture(models.Model):
    code = models.CharField(_("JIS code"), max_length=2, primary_key=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=10)
    name_ja_short = models.CharField(max_length=10)
    name_kana = models.CharField(max_length=20)
    name_romaji = models.CharField(_("name (romaji)"), max_length=20, unique=True)
    region_ja = models.CharField(max_length=10)
    region_romaji = models.CharField(max_length=20)

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")

    def __str__(self) -> str:
        return f"{self.name_ja} ({self.name_romaji.capitalize()})"


class MinimumWage(models.Model):
    """A prefecture's regional minimum hourly wage from its effective date."""

    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.CASCADE, related_name="minimum_wages"
    )
    fiscal_year = models.PositiveSmallIntegerField()
    hourly_jpy = models.PositiveIntegerField()
    effective_date = models.DateField()
    gazette_published_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["prefecture", "effective_date"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["prefecture", "effective_date"], name="one_minimum_wage_per_date"
            ),
        ]
        verbose_name = _("regional minimum wage")
        verbose_name_plural = _("regional minimum wages")

    def __str__(self) -> str:
        return f"{self.prefecture_id} {self.effective_date}: ¥{self.hourly_jpy}"


class ProvinceEra(models.TextChoices):
    CURRENT = "2025", _("34 provinces (since 1 July 2025)")
    LEGACY = "legacy", _("63 provinces (before 1 July 2025)")


class VnProvince(models.Model):
    era = models.CharField(max_length=10, choices=ProvinceEra.choices)
    code = models.CharField(_("code"), max_length=2)
    name = models.CharField(_("name"), max_length=80)
    name_ascii = models.CharField(max_length=80, db_index=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("For a province before 2025: the province it became part of."),
    )

    class Meta:
        ordering: ClassVar = ["era", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["era", "code"], name="one_province_code_per_era"),
        ]
        verbose_name = _("Vietnamese province")
        verbose_name_plural = _("Vietnamese provinces")

    def __str__(self) -> str:
        return self.name
