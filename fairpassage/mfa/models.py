"""Second factor: one authenticator device per user, recovery codes, and sign-in throttling."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairpassage.core.fields import EncryptedTextField


class Device(models.Model):
    """An authenticator app holding a TOTP secret. Unconfirmed until the user types a code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mfa_device"
    )
    secret = EncryptedTextField(_("secret"), help_text="base32, encrypted at rest")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(
        null=True, blank=True, help_text="the last 30-second step accepted; older ones are refused"
    )

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"authenticator of user {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for when the phone is lost; only its keyed hash is stored."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code {self.pk} of device {self.device_id}"


class ThrottleScope(models.TextChoices):
    LOGIN_USERNAME = "login_username", _("Sign-in, by user name")
    LOGIN_IP = "login_ip", _("Sign-in, by address")
    SECOND_FACTOR = "second_factor", _("Second factor, by user")


class ThrottleFailure(models.Model):
    """One failed attempt. ``key`` is a keyed hash: no user name or IP address in clear."""

    scope = models.CharField(max_length=20, choices=ThrottleScope.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.scope} failure at {self.at:%Y-%m-%d %H:%M:%S}"


class ThrottleLock(models.Model):
    """Attempts for ``key`` in ``scope`` are refused until ``until``."""

    scope = models.CharField(max_length=20, choices=ThrottleScope.choices)
    key = models.CharField(max_length=64)
    until = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["scope", "key", "until"])]

    def __str__(self) -> str:
        return f"{self.scope} locked until {self.until:%Y-%m-%d %H:%M:%S}"
