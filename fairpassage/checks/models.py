"""Fee checks and earnings plans saved by staff, with the rules version and parameters used."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.models import Organisation


class FeeCheck(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fee_checks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agency = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fee_checks_naming",
        verbose_name=_("agency named in the check"),
    )
    title = EncryptedTextField(_("title"), blank=True)
    language = models.CharField(max_length=5)
    rules_version = models.CharField(max_length=64)
    law_date = models.DateField()
    status = models.CharField(max_length=20)
    excess_vnd = models.BigIntegerField()
    input = models.JSONField()
    result = models.JSONField(help_text="the full report, with every parameter value used")

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("fee check")
        verbose_name_plural = _("fee checks")

    def __str__(self) -> str:
        return self.title or f"fee check {self.pk}"


class EarningsPlan(models.Model):
    """An earnings and debt plan saved by staff; the headline figures are columns for lists."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="earnings_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    title = EncryptedTextField(_("title"), blank=True)
    language = models.CharField(max_length=5)
    rules_version = models.CharField(max_length=64)
    law_date = models.DateField()
    status = models.CharField(max_length=20)
    net_jpy = models.BigIntegerField(help_text="net pay in the first month, yen")
    remit_jpy = models.BigIntegerField(help_text="sent home in the first month, yen")
    debt_principal = models.BigIntegerField(
        null=True, blank=True, help_text="the debt at the start, in debt_currency"
    )
    debt_currency = models.CharField(max_length=3, blank=True)
    months_to_repay = models.PositiveIntegerField(
        null=True, blank=True, help_text="empty when there is no debt or it is not repaid"
    )
    debt_never_repaid = models.BooleanField(
        default=False, help_text="the balance never falls below the debt at the start"
    )
    input = models.JSONField()
    result = models.JSONField(help_text="the full plan, with every parameter value used")

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("earnings plan")
        verbose_name_plural = _("earnings plans")

    def __str__(self) -> str:
        return self.title or f"earnings plan {self.pk}"


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BatchAudit(models.Model):
    """A whole book of engagements checked at once; the tables live, encrypted, in a private
    folder until the retention period ends (``checks/batch_services.py``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="batch_audits"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    language = models.CharField(max_length=5)
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    stage = models.CharField(max_length=40, blank=True)
    fraction = models.FloatField(default=0.0)
    problem = EncryptedTextField(blank=True)
    stats = models.JSONField(default=dict, blank=True)
    attempt = models.PositiveIntegerField(
        default=1, help_text="the run that owns the row; a restart takes the next number"
    )
    runner = models.CharField(
        max_length=300, blank=True, help_text="host:pid of the process that runs (or queued) it"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="last sign of life of the runner; stale means it died"
    )
    files_deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="when the tables were deleted after the retention period"
    )

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"batch audit {self.pk}"
