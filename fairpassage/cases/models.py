"""Workers, grievances and cases, consent, referral, returnees and their claims.

Personal data (names, numbers, addresses, statements, notes, messages) is encrypted at rest
(``EncryptedTextField``); exact search goes through keyed hashes stored beside it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairpassage.cases import choices
from fairpassage.checks.models import EarningsPlan, FeeCheck
from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.models import Organisation
from fairpassage.reference.models import Prefecture, VnProvince


class Worker(models.Model):
    """A person an organisation helps. Every personal field is encrypted."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="workers")
    full_name = EncryptedTextField(_("full name"), blank=True)
    birth_date = EncryptedTextField(_("birth date"), blank=True)
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    passport_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("telephone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    chat_handles = EncryptedTextField(_("chat handles (Zalo, Facebook, LINE)"), blank=True)
    address_vn = EncryptedTextField(_("address in Viet Nam"), blank=True)
    province = models.ForeignKey(
        VnProvince,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"era": "2025"},
        help_text=_("One of the 34 provinces since 1 July 2025; an older one is mapped."),
    )
    address_jp = EncryptedTextField(_("address in Japan"), blank=True)
    prefecture = models.ForeignKey(
        Prefecture, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"worker {self.pk}"


class Case(models.Model):
    """A grievance and everything done about it, owned by one organisation.

    ``organisation`` is empty while the case waits in the platform's triage queue.
    """

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    idempotency_hash = models.CharField(max_length=64, unique=True, editable=False)
    request_fingerprint = models.CharField(max_length=64, editable=False)
    where_now = models.CharField(max_length=2, choices=choices.WhereNow.choices)
    categories = models.JSONField(default=list)
    stage = models.CharField(_("stage"), max_length=20, choices=choices.Stage.choices)
    urgent = models.BooleanField(_("urgent"), default=False, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=choices.Status.choices, default=choices.Status.INTAKE
    )
    close_reason = models.CharField(max_length=30, choices=choices.CloseReason.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    agency = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency_name = models.CharField(_("agency or employer"), max_length=300, blank=True)
    statement = EncryptedTextField(_("what happened"), blank=True)
    contact = EncryptedTextField(_("how to reach the person"), blank=True)
    language = models.CharField(max_length=5, default="vi")
    province = models.ForeignKey(
        VnProvince, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prefecture = models.ForeignKey(
        Prefecture, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    fee_check = models.ForeignKey(
        FeeCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    claim_amount_vnd = models.BigIntegerField(null=True, blank=True)
    earnings_plan = models.ForeignKey(
        EarningsPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-urgent", "created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"case {self.pk}"

    @property
    def reference(self) -> str:
        return f"FP-{self.pk:06d}"


class Consent(models.Model):
    """What the worker agreed to share, with whom, from when until withdrawn."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=30, choices=choices.ConsentPurpose.choices)
    method = models.CharField(max_length=20, choices=choices.ConsentMethod.choices)
    organisations = models.ManyToManyField(Organisation, related_name="+")
    parts = models.JSONField(default=list)
    given_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"consent {self.pk}"


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    parts = models.JSONField(default=list)
    status = models.CharField(
        max_length=20,
        choices=choices.ReferralStatus.choices,
        default=choices.ReferralStatus.PROPOSED,
    )
    reason = EncryptedTextField(blank=True, help_text="why it was declined (encrypted)")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-proposed_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["case", "to_org"],
                condition=models.Q(status__in=["proposed", "accepted"]),
                name="one_open_referral_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class StatusChange(models.Model):
    """One change of a case's status, with the reason staff gave, encrypted.

    The audit trail records that the status changed and by whom; the words of the reason live
    here only (issue 13, item 7).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=choices.Status.choices)
    to_status = models.CharField(max_length=20, choices=choices.Status.choices)
    close_reason = models.CharField(max_length=30, choices=choices.CloseReason.choices, blank=True)
    reason = EncryptedTextField(blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"status change {self.pk}"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = EncryptedTextField()
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["done_at", "due_on", "id"]

    def __str__(self) -> str:
        return f"task {self.pk}"


class Attachment(models.Model):
    """A file kept in the private attachment folder under a random name, never under static."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = EncryptedTextField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class TimelineEvent(models.Model):
    """What happened to a case; no personal data (the event kind and codes only)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(auto_now_add=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"timelineevent {self.pk}"


class Message(models.Model):
    """A message between the person (through the tracking code) and a case worker."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=choices.MessageSender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = EncryptedTextField()
    #: The language it is written in: the grievance's for the worker, the page's for staff.
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="vi")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class Translation(models.Model):
    """A staff member's translation of the statement, a message or a note, kept beside the
    original (never replacing it), encrypted like it. Neither ``message`` nor ``note``: the
    translation is of the grievance's statement."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="translations")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="translations"
    )
    note = models.ForeignKey(
        Note, null=True, blank=True, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    body = EncryptedTextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=30, help_text="the author's role when they wrote it")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(message__isnull=True) | models.Q(note__isnull=True),
                name="translation_of_one_text",
            )
        ]

    def __str__(self) -> str:
        return f"translation {self.pk}"

    @property
    def of(self) -> str:
        return "message" if self.message_id else "note" if self.note_id else "statement"


class Return(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="return_record")
    returned_on = models.DateField()
    left_japan_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=20, choices=choices.ReturnReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"return {self.pk}"


class Claim(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(max_length=30, choices=choices.ClaimKind.choices)
    amount = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="VND")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=choices.ClaimStatus.choices, default=choices.ClaimStatus.OPEN
    )
    basis = models.JSONField(default=dict, blank=True, help_text="the parameter behind due_on")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["due_on", "id"]

    def __str__(self) -> str:
        return f"claim {self.pk}"


class Certificate(models.Model):
    """A skill or certificate gained (Japanese level, skill test), for work at home."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(max_length=20, choices=choices.CertificateKind.choices)
    name = EncryptedTextField()
    obtained_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"certificate {self.pk}"
