"""Recommendation tracker: consultations, their recommendations, and dated status updates.

A recommendation's current status is never stored: it is the status of its latest update
(``selectors.with_current_status``), or "not started" when nobody has reported yet.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairpassage.core.models import Organisation

LANGS = ("vi", "ja", "en")


class Theme(models.TextChoices):
    MIGRATION_MECHANISMS = "migration_mechanisms", _("Migration mechanisms")
    INFORMATION_CHANNELS = "information_channels", _("Information channels")
    INTERNATIONAL_COOPERATION = "international_cooperation", _("International cooperation")
    RETURNEE_SUPPORT = "returnee_support", _("Support for returnees")
    RECRUITMENT_FEES = "recruitment_fees", _("Recruitment fees")
    DECENT_WORK = "decent_work", _("Decent work")
    HUMAN_RESOURCE_DEVELOPMENT = "human_resource_development", _("Human-resource development")


class Stakeholder(models.TextChoices):
    GOVERNMENT_VN = "government_vn", _("Government of Viet Nam")
    GOVERNMENT_JP = "government_jp", _("Government of Japan")
    AGENCIES_ASSOCIATION = "agencies_association", _("Association of recruitment agencies")
    RECRUITMENT_AGENCIES = "recruitment_agencies", _("Recruitment agencies")
    EMPLOYERS = "employers", _("Employers")
    INTERNATIONAL_ORGANISATIONS = "international_organisations", _("International organisations")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    WORKERS = "workers", _("Workers")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTLY_DONE = "partly_done", _("Partly done")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Consultation(models.Model):
    """A multi-stakeholder meeting that ended with recommendations."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_vi = models.TextField(_("summary (Vietnamese)"), blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    date = models.DateField(_("date"))
    place_vi = models.CharField(_("place (Vietnamese)"), max_length=200, blank=True)
    place_ja = models.CharField(_("place (Japanese)"), max_length=200, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    organisers = models.CharField(_("organisers"), max_length=300)
    participants_total = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    participants_more_than = models.BooleanField(
        _("more than this number"),
        default=False,
        help_text=_("Tick when the source gives only a lower bound (for example 'over 50')."),
    )
    proceedings_url = models.URLField(_("proceedings document"), max_length=500, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    source_note = models.TextField(_("note on the source"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-date", "slug"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title_en or self.title_vi or self.title_ja or self.slug


class Participation(models.Model):
    """Who took part, by stakeholder group; ``count`` is empty when the source gives none."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participations"
    )
    stakeholder = models.CharField(_("stakeholder group"), max_length=40, choices=Stakeholder)
    description = models.CharField(_("who"), max_length=300, blank=True)
    count = models.PositiveIntegerField(_("number of people"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["consultation", "id"]
        verbose_name = _("participating group")
        verbose_name_plural = _("participating groups")

    def __str__(self) -> str:
        return f"{self.get_stakeholder_display()}: {self.count or '?'}"


class Recommendation(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.CharField(_("number"), max_length=12)
    text_vi = models.TextField(_("text (Vietnamese)"), blank=True)
    text_ja = models.TextField(_("text (Japanese)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    theme = models.CharField(_("theme"), max_length=40, choices=Theme)
    pending_proceedings = models.BooleanField(
        _("to be completed from the proceedings"),
        default=False,
        help_text=_("The wording and addressees still have to be checked against the proceedings."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["consultation", "position", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="tracker_one_number_per_consultation"
            )
        ]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.consultation.slug} #{self.number}"


class RecommendationStakeholder(models.Model):
    """A stakeholder a recommendation is addressed to (one row each, portable filtering)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="addressees"
    )
    stakeholder = models.CharField(_("stakeholder"), max_length=40, choices=Stakeholder)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["recommendation", "stakeholder"], name="tracker_one_row_per_addressee"
            )
        ]
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")

    def __str__(self) -> str:
        return self.get_stakeholder_display()


class StatusUpdate(models.Model):
    """A dated report on a recommendation by a member organisation; attributed and audited."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date of the situation"))
    status = models.CharField(_("status"), max_length=20, choices=Status)
    text = models.TextField(_("what happened"))
    language = models.CharField(_("language of the text"), max_length=5, default="vi")
    evidence = models.JSONField(_("evidence links"), default=list, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="tracker_updates"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering: ClassVar = ["-date", "-created_at", "-id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return f"{self.recommendation} {self.date:%Y-%m-%d} {self.status}"
