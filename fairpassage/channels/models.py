"""Connected chat accounts, the events they deliver, the conversations and what is sent back.

Nothing here holds a provider's user id in clear: a sender is known by a keyed hash
(``Conversation.sender_hash``); the id itself, needed to push an answer or a staff reply, is
kept encrypted (``Conversation.recipient``). Message texts and the dialogue's state are
encrypted too, and deleted after ``CHANNEL_RETENTION_DAYS`` (``services.channel_purge``).
"""

from __future__ import annotations

import json
import os
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.models import Case
from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.models import Organisation


class Provider(models.TextChoices):
    LINE = "line", "LINE"
    ZALO = "zalo", "Zalo OA"
    MESSENGER = "messenger", "Messenger"


class ChannelAccount(models.Model):
    """An organisation's LINE Official Account, Zalo Official Account or Facebook page.

    Secrets are typed in the admin (stored encrypted) or read from the environment: with
    ``env_prefix`` ``FP_LINE_HANOI`` the account reads ``FP_LINE_HANOI_SECRET``,
    ``FP_LINE_HANOI_ACCESS_TOKEN``, ``FP_LINE_HANOI_VERIFY_TOKEN`` and ``FP_LINE_HANOI_APP_ID``,
    each taking precedence over the stored value when set.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="channel_accounts"
    )
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    display_name = models.CharField(_("name shown to staff"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    # LINE: channel secret; Zalo: the OA secret key; Messenger: the app secret.
    secret = EncryptedTextField(_("signing secret"), blank=True)
    # LINE: channel access token; Zalo: OA access token; Messenger: page access token.
    access_token = EncryptedTextField(_("access token"), blank=True)
    # Messenger: the token typed when the webhook is registered (GET handshake).
    verify_token = EncryptedTextField(_("verify token"), blank=True)
    # Zalo: the application's id, part of the signature.
    app_id = models.CharField(_("application id"), max_length=100, blank=True)
    env_prefix = models.CharField(
        _("environment variable prefix"),
        max_length=60,
        blank=True,
        help_text=_("Read the secrets from PREFIX_SECRET, PREFIX_ACCESS_TOKEN, … when set."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "provider"], name="channels_one_account_per_provider"
            )
        ]
        verbose_name = _("chat account")
        verbose_name_plural = _("chat accounts")

    def __str__(self) -> str:
        return f"{self.get_provider_display()}: {self.display_name}"

    def credential(self, name: str) -> str:
        """``secret``, ``access_token``, ``verify_token`` or ``app_id``: the environment first."""
        if self.env_prefix:
            value = os.environ.get(f"{self.env_prefix}_{name.upper()}", "")
            if value:
                return value
        return str(getattr(self, name) or "")


class EventStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Being processed")
    DONE = "done", _("Answered")
    LIMITED = "limited", _("Over the rate limit")
    FAILED = "failed", _("Failed")


class ChannelEvent(models.Model):
    """One verified event, stored before it is processed; a redelivery finds it here."""

    account = models.ForeignKey(ChannelAccount, on_delete=models.CASCADE, related_name="events")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    event_id = models.CharField(max_length=200)
    sender_hash = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=12)
    text = EncryptedTextField(blank=True)
    recipient = EncryptedTextField(blank=True)  # the provider's user id, to answer
    reply_token = EncryptedTextField(blank=True)  # LINE only, valid for about a minute
    received_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=12, choices=EventStatus.choices, default=EventStatus.PENDING, db_index=True
    )
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="channels_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} event {self.pk}"


class Conversation(models.Model):
    """One sender's chat with one account: the dialogue's state and, with consent, a case."""

    account = models.ForeignKey(
        ChannelAccount, on_delete=models.CASCADE, related_name="conversations"
    )
    sender_hash = models.CharField(max_length=64)
    recipient = EncryptedTextField(blank=True)
    language = models.CharField(max_length=5, default="vi")
    state_encrypted = EncryptedTextField(blank=True)
    offered = models.JSONField(default=list, blank=True)  # payloads of the last quick replies
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity = models.DateTimeField(db_index=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["account", "sender_hash"], name="channels_one_conversation_per_sender"
            )
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    @property
    def state(self) -> dict[str, Any]:
        if not self.state_encrypted:
            return {}
        value = json.loads(self.state_encrypted)
        return value if isinstance(value, dict) else {}

    @state.setter
    def state(self, value: dict[str, Any]) -> None:
        self.state_encrypted = json.dumps(value, ensure_ascii=False, sort_keys=True)


class Direction(models.TextChoices):
    IN = "in", _("From the worker")
    OUT = "out", _("To the worker")


class ConversationMessage(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    text = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"conversation message {self.pk}"


class OutboundStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RETRYING = "retrying", _("Will be tried again")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundMessage(models.Model):
    """A message to send to a chat, tried again with back-off until it goes or gives up."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="outbound"
    )
    payload = EncryptedTextField()  # JSON of the Outgoing messages
    reply_token = EncryptedTextField(blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboundStatus.choices,
        default=OutboundStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"outbound message {self.pk}"
