"""Writes on workers, consent and referral within one installation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.access import READ_ROLES, WRITE_ROLES, roles_by_organisation
from fairpassage.cases.choices import (
    ConsentMethod,
    ConsentPurpose,
    Part,
    ReferralStatus,
    Status,
)
from fairpassage.cases.models import Case, Consent, Referral, Worker
from fairpassage.cases.recipients import recipient_check, recipients_check
from fairpassage.cases.services import _province, require_access, timeline_add
from fairpassage.core import crypto
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput
from fairpassage.core.models import Organisation, User
from fairpassage.core.services import audit_record
from fairpassage.reference.models import Prefecture

WORKER_TEXT_FIELDS = (
    "full_name",
    "birth_date",
    "passport_number",
    "phone",
    "chat_handles",
    "address_vn",
    "address_jp",
)


def passport_hash(number: str) -> str:
    normalised = "".join(ch for ch in number.upper() if ch.isalnum())
    return crypto.keyed_hash(normalised, purpose="passport")


@transaction.atomic
def worker_create(
    *,
    actor: User,
    organisation: Organisation,
    province_code: str = "",
    prefecture_code: str = "",
    **fields: str,
) -> Worker:
    """Record a person for ``organisation``; personal fields are encrypted, numbers hashed."""
    if roles_by_organisation(actor).get(organisation.pk) not in WRITE_ROLES:
        raise Forbidden(_("Only case workers of this organisation record workers."))
    unknown = set(fields) - set(WORKER_TEXT_FIELDS)
    if unknown:
        raise InvalidInput(_("This value is not valid."), field=sorted(unknown)[0])
    values = {name: (fields.get(name) or "").strip()[:500] for name in WORKER_TEXT_FIELDS}
    if values["birth_date"]:
        try:
            dt.date.fromisoformat(values["birth_date"])
        except ValueError as error:
            raise InvalidInput(_("Give the date as YYYY-MM-DD."), field="birth_date") from error
    if values["phone"] and len(crypto.normalise_phone(values["phone"])) < 6:
        raise InvalidInput(_("This telephone number is too short."), field="phone")
    prefecture = None
    if prefecture_code:
        prefecture = Prefecture.objects.filter(code=prefecture_code).first()
        if prefecture is None:
            raise InvalidInput(_("Choose a prefecture from the list."), field="prefecture")
    worker = Worker.objects.create(
        organisation=organisation,
        passport_hash=passport_hash(values["passport_number"]) if values["passport_number"] else "",
        phone_hash=crypto.phone_hash(values["phone"]) if values["phone"] else "",
        province=_province(province_code),
        prefecture=prefecture,
        created_by=actor,
        **values,
    )
    filled = sorted(k for k, v in values.items() if v)
    audit_record(
        actor=actor,
        action="worker.create",
        obj=worker,
        organisation=organisation,
        data={"fields": filled},
    )
    return worker


@transaction.atomic
def case_link_worker(*, actor: User, case: Case, worker: Worker) -> Case:
    access = require_access(actor=actor, case=case, write=True)
    if not access.owner or worker.organisation_id != case.organisation_id:
        raise Forbidden(_("Link a worker recorded by the organisation that owns the case."))
    case.worker = worker
    case.save(update_fields=["worker", "updated_at"])
    timeline_add(case=case, kind="worker_linked", actor=actor, organisation=access.organisation)
    audit_record(actor=actor, action="case.worker", obj=case, organisation=access.organisation)
    return case


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    purpose: str,
    method: str,
    organisations: Iterable[Organisation],
    parts: Iterable[str],
    given_on: dt.date | None = None,
) -> Consent:
    access = require_access(actor=actor, case=case, write=True)
    if not access.owner:
        raise Forbidden(_("Only the organisation that owns the case records consent."))
    if purpose not in ConsentPurpose.values:
        raise InvalidInput(_("Choose the purpose of the consent."), field="purpose")
    if method not in ConsentMethod.values:
        raise InvalidInput(_("Choose how the consent was given."), field="method")
    chosen_parts = sorted(set(parts))
    if not chosen_parts or any(p not in Part.values for p in chosen_parts):
        raise InvalidInput(_("Choose at least one part from the list."), field="parts")
    orgs = list(organisations)
    if not orgs:
        raise InvalidInput(_("Choose at least one organisation."), field="organisations")
    recipients_check(case=case, organisations=orgs, field="organisations")
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field="given_on")
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        method=method,
        parts=chosen_parts,
        given_on=given_on,
        recorded_by=actor,
    )
    consent.organisations.set(orgs)
    data = {"purpose": purpose, "parts": chosen_parts, "organisations": [o.slug for o in orgs]}
    timeline_add(
        case=case, kind="consent", actor=actor, organisation=access.organisation, data=data
    )
    audit_record(
        actor=actor,
        action="consent.record",
        obj=consent,
        organisation=access.organisation,
        data=data,
    )
    return consent


def _withdraw(consent: Consent) -> None:
    consent.withdrawn_on = timezone.localdate()
    consent.save(update_fields=["withdrawn_on"])


@transaction.atomic
def consent_withdraw(
    *, actor: User | None, consent: Consent, grievant_case: Case | None = None
) -> Consent:
    """Withdraw a consent: every referral resting on it stops sharing at once.

    A case worker of the owning organisation withdraws it as told by the worker; the worker
    withdraws it themself with the tracking code (``actor=None``, ``grievant_case`` the case
    that ``services.grievance_find`` found with the code).
    """
    case = consent.case
    if actor is None:
        if grievant_case is None or grievant_case.pk != case.pk:
            raise Forbidden()
        organisation = case.organisation
    else:
        access = require_access(actor=actor, case=case, write=True)
        if not access.owner:
            raise Forbidden(_("Only the organisation that owns the case records a withdrawal."))
        organisation = access.organisation
    if consent.withdrawn_on is None:
        _withdraw(consent)
        kind = "grievant.consent_withdrawn" if actor is None else "consent_withdrawn"
        timeline_add(case=case, kind=kind, actor=actor, organisation=organisation)
        audit_record(actor=actor, action="consent.withdraw", obj=consent, organisation=organisation)
    return consent


@transaction.atomic
def referral_propose(
    *, actor: User, case: Case, to_org: Organisation, consent: Consent, parts: Iterable[str]
) -> Referral:
    """Refer a case, only with a live consent that names ``to_org`` and every chosen part."""
    access = require_access(actor=actor, case=case, write=True)
    if not access.owner or access.organisation is None:
        raise Forbidden(_("Only the organisation that owns the case refers it."))
    if to_org.pk == access.organisation.pk or not to_org.is_active:
        raise InvalidInput(_("Choose another, active organisation."), field="to_org")
    recipient_check(case=case, organisation=to_org, field="to_org")
    chosen = sorted(set(parts))
    if not chosen or any(p not in Part.values for p in chosen):
        raise InvalidInput(_("Choose at least one part from the list."), field="parts")
    if consent.case_id != case.pk or consent.withdrawn_on is not None:
        raise Forbidden(_("This consent is withdrawn or belongs to another case."))
    if not consent.organisations.filter(pk=to_org.pk).exists():
        raise Forbidden(_("The consent does not name this organisation."))
    if not set(chosen) <= set(consent.parts):
        raise Forbidden(_("The consent does not cover every part chosen."))
    if Referral.objects.filter(
        case=case, to_org=to_org, status__in=[ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED]
    ).exists():
        raise Conflict(_("This case is already referred to this organisation."), field="to_org")
    referral = Referral.objects.create(
        case=case,
        from_org=access.organisation,
        to_org=to_org,
        consent=consent,
        parts=chosen,
        proposed_by=actor,
    )
    data = {"to_org": to_org.slug, "parts": chosen}
    timeline_add(
        case=case,
        kind="referral_proposed",
        actor=actor,
        organisation=access.organisation,
        data=data,
    )
    audit_record(
        actor=actor,
        action="referral.propose",
        obj=referral,
        organisation=access.organisation,
        data=data,
    )
    return referral


@transaction.atomic
def referral_decide(*, actor: User, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The receiving organisation accepts or declines a proposed referral."""
    if roles_by_organisation(actor).get(referral.to_org_id) not in WRITE_ROLES:
        if roles_by_organisation(actor).get(referral.to_org_id) in READ_ROLES:
            raise Forbidden(_("Your role can read this case but not change it."))
        raise Forbidden(_("Only the organisation the case was referred to decides."))
    if referral.status != ReferralStatus.PROPOSED:
        raise Conflict(_("This referral was already decided."), field="status")
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.reason = (reason or "").strip()[:1000]
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    case = referral.case
    if accept and case.status in (Status.INTAKE, Status.TRIAGE, Status.ACTIVE):
        case.status = Status.REFERRED
        case.save(update_fields=["status", "updated_at"])
    kind = "referral_accepted" if accept else "referral_declined"
    data = {"to_org": referral.to_org.slug}
    timeline_add(case=case, kind=kind, actor=actor, organisation=referral.to_org, data=data)
    audit_record(
        actor=actor,
        action=f"referral.{'accept' if accept else 'decline'}",
        obj=referral,
        organisation=referral.to_org,
        data={"reason_given": bool(referral.reason)},
    )
    return referral
