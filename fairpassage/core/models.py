"""Organisations, who works for them in which role, the audit trail, API tokens, profiles."""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairpassage.core.fields import EncryptedTextField


def username_normalise(username: str) -> str:
    """One spelling per user name: NFKC (full-width and compatibility forms), case folding,
    NFKC again (folding can leave a form that is not), surrounding space removed. Accounts are
    created, found and throttled under this form, so 'ｐｒｏｄ-ｌｏｃｋ' is 'prod-lock'."""
    folded = unicodedata.normalize("NFKC", username).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


class User(AbstractUser):
    """A staff user. Workers never need an account; platform staff have ``is_staff``."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @classmethod
    def normalize_username(cls, username: str) -> str:
        return username_normalise(username)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Every way of creating or renaming an account (admin, command line, factories) stores
        the normalised name."""
        self.username = username_normalise(self.username)
        super().save(*args, **kwargs)


class Country(models.TextChoices):
    VIET_NAM = "VN", _("Viet Nam")
    JAPAN = "JP", _("Japan")
    OTHER = "XX", _("Other or international")


class OrganisationKind(models.TextChoices):
    SENDING_AGENCY = "sending_agency", _("Sending organisation (licensed Vietnamese enterprise)")
    SUPERVISING_ORGANISATION = "supervising_organisation", _("Supervising organisation")
    REGISTERED_SUPPORT_ORGANISATION = (
        "registered_support_organisation",
        _("Registered support organisation"),
    )
    EMPLOYER = "employer", _("Employer (implementing organisation)")
    SUPPORT_ORGANISATION = "support_organisation", _("Support organisation (NGO, union, legal aid)")
    GOVERNMENT_BODY = "government_body", _("Government body")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=300)
    name_local = models.CharField(
        _("name in the local script"),
        max_length=300,
        blank=True,
        help_text=_("The name as written in Vietnamese or Japanese, if different."),
    )
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation administrator")
    CASE_WORKER = "case_worker", _("Case worker")
    ANALYST = "analyst", _("Analyst")
    REVIEWER = "reviewer", _("Reviewer")


class Membership(models.Model):
    """A user works for an organisation in one role. Platform staff are ``User.is_staff``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_org"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Profile(models.Model):
    """A staff user's contact details: personal data, encrypted at rest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = EncryptedTextField(_("display name"), blank=True)
    phone = EncryptedTextField(_("telephone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="vi"
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"profile of user {self.user_id}"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who did what to which object, when and why. Append-only: never updated or deleted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, help_text="username, 'anonymous' or 'system'")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-at", "-id"]
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class ApiToken(models.Model):
    """A bearer token for an organisation user; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RateCounter(models.Model):
    """Hits of one client in one fixed window of one limit (``core/ratelimit.py``).

    The key holds the scope, the window and a keyed hash of the client: never an address.
    """

    key = models.CharField(max_length=120, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"


class TaskWorker(models.Model):
    """A task worker process (``manage.py db_worker``) and its last sign of life.

    The worker stamps ``beat_at`` every ``TASK_WORKER_HEARTBEAT_SECONDS``; a task it was running
    when it went silent for ``TASK_WORKER_STALE_SECONDS`` (or, on the same machine, whose process
    is gone) is marked failed by the recovery sweep (``core/queue.py``).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")
        indexes = [models.Index(fields=["host", "pid"], name="core_taskworker_host_pid")]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
