"""Writes on returnees: the return, the claims still open, skills and certificates gained."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.choices import CertificateKind, ClaimKind, ClaimStatus, Part, ReturnReason
from fairpassage.cases.models import Case, Certificate, Claim, Return
from fairpassage.cases.services import require_access, timeline_add
from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import User
from fairpassage.core.services import audit_record
from fairpassage.core.validation import check_amount
from fairpassage.law.params import ParameterStore, default_store

PENSION_DEADLINE = "jp.pension.lump_sum_claim_deadline_years"


@lru_cache(maxsize=1)
def _store() -> ParameterStore:
    return default_store()


def pension_deadline(left_japan_on: dt.date) -> tuple[dt.date | None, dict[str, Any]]:
    """The last day to claim the pension lump sum, from the cited parameter in force then."""
    resolved = _store().value_on(PENSION_DEADLINE, left_japan_on)
    basis = resolved.as_dict()
    if not resolved.known:
        return None, basis
    years = int(resolved.value)
    try:
        deadline = left_japan_on.replace(year=left_japan_on.year + years)
    except ValueError:  # 29 February
        deadline = left_japan_on.replace(year=left_japan_on.year + years, day=28)
    return deadline, basis


@transaction.atomic
def return_record(
    *,
    actor: User,
    case: Case,
    returned_on: dt.date,
    reason: str,
    left_japan_on: dt.date | None = None,
) -> Return:
    """Record the return; a pension lump-sum claim is opened with its two-year deadline."""
    access = require_access(actor=actor, case=case, write=True, part=Part.CLAIMS)
    if reason not in ReturnReason.values:
        raise InvalidInput(_("Choose the reason for the return."), field="reason")
    left = left_japan_on or returned_on
    record, _created = Return.objects.update_or_create(
        case=case, defaults={"returned_on": returned_on, "left_japan_on": left, "reason": reason}
    )
    if not case.claims.filter(kind=ClaimKind.PENSION_LUMP_SUM).exists():
        due_on, basis = pension_deadline(left)
        Claim.objects.create(
            case=case, kind=ClaimKind.PENSION_LUMP_SUM, currency="JPY", due_on=due_on, basis=basis
        )
    data = {"reason": reason}
    timeline_add(case=case, kind="return", actor=actor, organisation=access.organisation, data=data)
    audit_record(actor=actor, action="case.return", obj=record, organisation=access.organisation)
    return record


@transaction.atomic
def claim_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    amount: int | None = None,
    currency: str = "VND",
    due_on: dt.date | None = None,
) -> Claim:
    access = require_access(actor=actor, case=case, write=True, part=Part.CLAIMS)
    if kind not in ClaimKind.values:
        raise InvalidInput(_("Choose the kind of claim."), field="kind")
    amount = check_amount(amount, field="amount")
    if currency not in ("VND", "JPY", "USD"):
        raise InvalidInput(_("Choose VND, JPY or USD."), field="currency")
    basis: dict[str, Any] = {}
    if kind == ClaimKind.PENSION_LUMP_SUM and due_on is None:
        record = Return.objects.filter(case=case).first()
        if record is not None and record.left_japan_on:
            due_on, basis = pension_deadline(record.left_japan_on)
    if kind == ClaimKind.SERVICE_FEE_REFUND and amount is None and case.claim_amount_vnd:
        amount = case.claim_amount_vnd
    claim = Claim.objects.create(
        case=case, kind=kind, amount=amount, currency=currency, due_on=due_on, basis=basis
    )
    data = {"kind": kind}
    timeline_add(case=case, kind="claim", actor=actor, organisation=access.organisation, data=data)
    audit_record(actor=actor, action="case.claim", obj=claim, organisation=access.organisation)
    return claim


@transaction.atomic
def claim_status_set(*, actor: User, claim: Claim, status: str) -> Claim:
    access = require_access(actor=actor, case=claim.case, write=True, part=Part.CLAIMS)
    if status not in ClaimStatus.values:
        raise InvalidInput(_("Choose a status from the list."), field="status")
    claim.status = status
    claim.save(update_fields=["status"])
    data = {"kind": claim.kind, "status": status}
    timeline_add(
        case=claim.case,
        kind="claim_status",
        actor=actor,
        organisation=access.organisation,
        data=data,
    )
    audit_record(
        actor=actor,
        action="case.claim_status",
        obj=claim,
        organisation=access.organisation,
        data=data,
    )
    return claim


@transaction.atomic
def certificate_add(
    *, actor: User, case: Case, kind: str, name: str, obtained_on: dt.date | None = None
) -> Certificate:
    access = require_access(actor=actor, case=case, write=True, part=Part.CLAIMS)
    if kind not in CertificateKind.values:
        raise InvalidInput(_("Choose the kind of certificate."), field="kind")
    name = (name or "").strip()[:200]
    if not name:
        raise InvalidInput(_("This field is required."), field="name")
    certificate = Certificate.objects.create(
        case=case, kind=kind, name=name, obtained_on=obtained_on
    )
    audit_record(
        actor=actor, action="case.certificate", obj=certificate, organisation=access.organisation
    )
    return certificate
