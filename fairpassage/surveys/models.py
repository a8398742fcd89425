"""Surveys: a survey, its imports (uploaded exports), saved column mappings and stored results.

Respondent-level data never leaves the system: uploads and the canonical tables are encrypted at
rest and read only by the processing service; pages, downloads and the API show aggregates.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.models import Organisation


class Survey(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    currency = models.CharField(
        _("currency of the results"),
        max_length=3,
        default="JPY",
        help_text=_("Costs and earnings are converted to this currency."),
    )
    rates: models.JSONField[dict[str, float], dict[str, float]] = models.JSONField(
        _("exchange rates"),
        default=dict,
        blank=True,
        help_text=_("Units of the results' currency per unit of each other currency."),
    )
    rates_source = models.CharField(_("source and date of the rates"), max_length=300, blank=True)
    breakdowns: models.JSONField[list[list[str]], list[list[str]]] = models.JSONField(
        _("breakdowns"), default=list, blank=True
    )
    min_cell = models.PositiveSmallIntegerField(_("smallest group shown"), default=5)
    # A database default too, so that a server still running the previous release (a rolling
    # deployment on one database) can keep creating surveys while this column exists.
    is_demo = models.BooleanField(
        _("demonstration data"),
        default=False,
        db_default=False,
        help_text=_("Generated answers for trying the product; never real respondents."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title


class ColumnMapping(models.Model):
    """How another questionnaire's columns map to the canonical table (reused across imports)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_mappings"
    )
    name = models.CharField(_("name"), max_length=200)
    mapping: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(_("mapping"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(fields=("organisation", "name"), name="survey_mapping_name")
        ]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected: rows to correct")
    FAILED = "failed", _("Failed")


class ImportFormat(models.TextChoices):
    AUTO = "auto", _("Detect (our questionnaire)")
    KOBO_XLSX = "kobo_xlsx", _("KoboToolbox XLSX")
    KOBO_CSV = "kobo_csv", _("KoboToolbox CSV")
    ODK_CSV = "odk_csv", _("ODK Central CSV (main and repeat files)")
    MAPPED = "mapped", _("Another questionnaire, with a saved column mapping")


class SurveyImport(models.Model):
    """One upload: all-or-nothing. Rejected imports keep the row-by-row report and no data."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    format = models.CharField(max_length=12, choices=ImportFormat.choices)
    mapping = models.ForeignKey(ColumnMapping, on_delete=models.SET_NULL, null=True, blank=True)
    file_names: models.JSONField[list[str], list[str]] = models.JSONField(default=list)
    upload = EncryptedTextField(blank=True, default="")  # the files until processed, then ""
    data = EncryptedTextField(blank=True, default="")  # the canonical tables (Parquet, base64)
    respondents = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    problems: models.JSONField[list[dict[str, Any]], list[dict[str, Any]]] = models.JSONField(
        default=list
    )
    skipped: models.JSONField[list[dict[str, Any]], list[dict[str, Any]]] = models.JSONField(
        default=list
    )
    step = models.CharField(max_length=40, blank=True)
    attempt = models.PositiveIntegerField(
        default=1, help_text="the run that owns the row; a restart takes the next number"
    )
    problem = models.TextField(
        blank=True, help_text="why processing stopped (e.g. its worker died); no personal data"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return ", ".join(self.file_names)


class SurveyResult(models.Model):
    """Aggregates of one import: the indicator report and the descriptive table (small groups
    already suppressed), with the parameters used."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="results")
    source = models.ForeignKey(SurveyImport, on_delete=models.CASCADE, related_name="results")
    parameters: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(default=dict)
    report: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(default=dict)
    descriptive: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(default=dict)
    distribution: models.JSONField[list[dict[str, Any]], list[dict[str, Any]]] = models.JSONField(
        default=list
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.survey} ({self.created_at:%Y-%m-%d})"
