"""Agency registry: licences with their dated status history, sanctions, imports, worker reports
and the help directory.

"Is it licensed on date D?" is answered from :class:`LicenceStatusChange` rows (the status in
force on D is the latest change dated on or before D), never from a stored "current" status.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.models import Country, Organisation


class Issuer(models.TextChoices):
    VN_DOLAB = "vn_dolab", _("Department of Overseas Labour (Viet Nam)")
    JP_OTIT = "jp_otit", _("Organization for Technical Intern Training (OTIT)")
    JP_ISA = "jp_isa", _("Immigration Services Agency of Japan")


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class OrganisationName(models.Model):
    """Another name an organisation is known by (English name, reading, former name)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="other_names"
    )
    name = models.CharField(_("name"), max_length=300)
    is_reading = models.BooleanField(
        default=False, help_text="the kana reading of a Japanese name (フリガナ)"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "name"], name="registry_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Licence(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="licences"
    )
    issuer = models.CharField(_("issuer"), max_length=20, choices=Issuer.choices)
    number = models.CharField(_("licence number"), max_length=80)
    number_key = models.CharField(max_length=80, db_index=True, editable=False)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["issuer", "number_key"], name="registry_licence_unique")
        ]
        ordering: ClassVar = ["issuer", "number"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return self.number


class LicenceStatusChange(models.Model):
    """A status taking effect on a date; the history of a licence. Never updated in place."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=LicenceStatus.choices)
    effective_on = models.DateField(_("in effect from"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    batch = models.ForeignKey(
        "ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["licence", "effective_on", "id"]
        indexes: ClassVar = [models.Index(fields=["licence", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.status} from {self.effective_on}"


class Sanction(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sanctions"
    )
    decided_on = models.DateField(_("date"))
    authority = models.CharField(_("authority"), max_length=200)
    measure = models.CharField(_("measure"), max_length=300)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering: ClassVar = ["-decided_on"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")

    def __str__(self) -> str:
        return f"{self.decided_on} {self.measure}"


class ImportBatch(models.Model):
    """One committed import of an official list (dry runs are not stored)."""

    source = models.CharField(max_length=40)
    filename = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    as_of = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.filename}"


class RegistryVersion(models.Model):
    """A counter bumped by every write that changes what search finds (one row)."""

    value = models.BigIntegerField(default=0)
    #: The newest version a search index build was asked for (so that it is asked once).
    build_requested = models.BigIntegerField(default=-1)

    def __str__(self) -> str:
        return str(self.value)


class SearchIndex(models.Model):
    """The agency search index, built by a task and shared by every application server: the
    registry version it was built from and the index itself, serialised, compressed and signed
    (see ``registry/search_index.py``). Servers read the newest row's ``version`` and ``token``
    (an indexed query) and load its blob only when the token changes."""

    version = models.BigIntegerField(unique=True)
    token = models.CharField(max_length=32, unique=True)
    built_at = models.DateTimeField(auto_now_add=True)
    organisations = models.PositiveIntegerField(default=0)
    build_seconds = models.FloatField(default=0)
    blob = models.BinaryField()

    def __str__(self) -> str:
        return f"search index {self.version}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class AgencyReview(models.Model):
    """A worker's report on an agency: held for moderation, never showing who wrote it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reviews")
    fees_honesty = models.PositiveSmallIntegerField(_("honesty about fees"))
    contract_kept = models.PositiveSmallIntegerField(_("contract kept"))
    support = models.PositiveSmallIntegerField(_("support"))
    text = EncryptedTextField(_("what happened"), blank=True)
    published_text = models.TextField(blank=True)
    language = models.CharField(max_length=5)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"review {self.pk}"


class AgencyReply(models.Model):
    """The agency's one public reply to a published review."""

    review = models.OneToOneField(AgencyReview, on_delete=models.CASCADE, related_name="reply")
    text = models.TextField(_("reply"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"reply to review {self.review_id}"


class HelpKind(models.TextChoices):
    SUPPORT_ORGANISATION = "support_organisation", _("Support organisation")
    HOTLINE = "hotline", _("Hotline")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SHELTER = "shelter", _("Shelter")
    EMBASSY = "embassy", _("Embassy or consulate")
    GOVERNMENT = "government", _("Government office")
    EMERGENCY = "emergency", _("Emergency number")


class HelpEntry(models.Model):
    """A place a worker can get help, with its source and the date it was last verified."""

    key = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=HelpKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    name = models.JSONField(help_text="{vi, ja, en}")
    description = models.JSONField(default=dict, blank=True)
    hours = models.JSONField(default=dict, blank=True)
    phone = models.CharField(_("telephone"), max_length=80, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    languages = models.JSONField(default=list, blank=True)
    source_url = models.URLField(_("source"), max_length=500)
    source_title = models.CharField(max_length=300, blank=True)
    verified_on = models.DateField(_("last verified"))
    confidence = models.CharField(max_length=20)

    class Meta:
        ordering: ClassVar = ["country", "kind", "key"]

    def __str__(self) -> str:
        return self.key
