"""The fixed vocabularies of grievances and cases: categories, stages, statuses, shared parts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    FEES_DEBT = "fees_debt", _("Fees and debt")
    DEPOSIT_PENALTY = "deposit_penalty", _("Deposit or penalty")
    DOCUMENTS_HELD = "documents_held", _("Documents held")
    WAGES = "wages", _("Unpaid or underpaid wages")
    HOURS = "hours", _("Excessive hours")
    HOUSING = "housing", _("Housing")
    VIOLENCE = "violence", _("Violence or harassment")
    INJURY = "injury", _("Injury or illness")
    FORCED_RETURN = "forced_return", _("Forced return")
    CONTRACT_SUBSTITUTION = "contract_substitution", _("Contract substitution")
    JOB_CHANGE = "job_change", _("Change of job")
    VISA = "visa", _("Visa status")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    BEFORE_DEPARTURE = "before_departure", _("Before departure")
    IN_TRAINING = "in_training", _("In training")
    IN_JAPAN = "in_japan", _("In Japan")
    AFTER_RETURN = "after_return", _("After return")


class WhereNow(models.TextChoices):
    """Where the person is now: decides which organisation receives the grievance."""

    VIET_NAM = "VN", _("In Viet Nam")
    JAPAN = "JP", _("In Japan")
    ELSEWHERE = "XX", _("Elsewhere")


class Status(models.TextChoices):
    INTAKE = "intake", _("Received")
    TRIAGE = "triage", _("Being assessed")
    ACTIVE = "active", _("Being handled")
    REFERRED = "referred", _("Referred to another organisation")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# Which status may follow which; closing always needs a reason.
TRANSITIONS: dict[str, set[str]] = {
    Status.INTAKE: {Status.TRIAGE, Status.ACTIVE, Status.CLOSED},
    Status.TRIAGE: {Status.ACTIVE, Status.REFERRED, Status.CLOSED},
    Status.ACTIVE: {Status.REFERRED, Status.RESOLVED, Status.CLOSED},
    Status.REFERRED: {Status.ACTIVE, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.ACTIVE, Status.CLOSED},
    Status.CLOSED: {Status.ACTIVE},
}


class CloseReason(models.TextChoices):
    RESOLVED = "resolved", _("Resolved in the worker's favour")
    PARTLY = "partly_resolved", _("Partly resolved")
    NOT_RESOLVED = "not_resolved", _("Could not be resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn by the worker")
    NO_CONTACT = "no_contact", _("No contact with the worker")
    REFERRED_AWAY = "referred_away", _("Handled by another organisation")
    DUPLICATE = "duplicate", _("Duplicate")
    OUT_OF_SCOPE = "out_of_scope", _("Outside what we can help with")


class Part(models.TextChoices):
    """The parts of a case a consent can let travel to another organisation."""

    IDENTITY = "identity", _("Identity (name, birth date, passport)")
    CONTACT = "contact", _("Contact details and addresses")
    STATEMENT = "statement", _("The statement of what happened")
    NOTES = "notes", _("Case notes")
    DOCUMENTS = "documents", _("Documents and attachments")
    CLAIMS = "claims", _("Return and claims")
    MESSAGES = "messages", _("Messages with the worker")


class ConsentPurpose(models.TextChoices):
    REFERRAL = "referral", _("Referral to another organisation")
    LEGAL_ACTION = "legal_action", _("Legal action or complaint to an authority")
    RETURN_SUPPORT = "return_support", _("Support after return")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written and signed")
    ORAL = "oral", _("Oral, noted by the case worker")
    MESSAGE = "message", _("In a message through the tracking code")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ReturnReason(models.TextChoices):
    CONTRACT_END = "contract_end", _("End of contract")
    EARLY_EMPLOYER = "early_employer", _("Early, for the employer's or agency's reasons")
    EARLY_WORKER = "early_worker", _("Early, for the worker's own reasons")
    FORCED = "forced", _("Forced return")
    OTHER = "other", _("Other")


class ClaimKind(models.TextChoices):
    UNPAID_WAGES = "unpaid_wages", _("Unpaid wages")
    DEPOSIT_REFUND = "deposit_refund", _("Deposit refund")
    SERVICE_FEE_REFUND = "service_fee_refund", _("Refund of the service fee on early return")
    PENSION_LUMP_SUM = "pension_lump_sum", _("Lump-sum withdrawal payment (pension)")
    OTHER = "other", _("Other")


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILED = "filed", _("Filed")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    LAPSED = "lapsed", _("Lapsed")


class CertificateKind(models.TextChoices):
    JAPANESE_LEVEL = "japanese_level", _("Japanese level (JLPT, JFT-Basic)")
    SKILL_TEST = "skill_test", _("Skill test")
    LICENCE = "licence", _("Licence or qualification")
    OTHER = "other", _("Other")


class MessageSender(models.TextChoices):
    GRIEVANT = "grievant", _("The worker")
    STAFF = "staff", _("Case worker")
