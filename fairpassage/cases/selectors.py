"""Reads of cases, scoped by ``access``; every read of a case or a person is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.access import (
    READ_ROLES,
    AnyUser,
    CaseAccess,
    case_access,
    cases_visible,
    roles_by_organisation,
)
from fairpassage.cases.choices import Category, ClaimStatus, Part, ReferralStatus
from fairpassage.cases.models import Case, Claim, Referral, Worker
from fairpassage.cases.people import passport_hash
from fairpassage.core import crypto
from fairpassage.core.errors import Forbidden, InvalidInput, NotFound
from fairpassage.core.models import AuditEvent, Organisation, Role
from fairpassage.core.services import audit_record


def case_queue(*, user: AnyUser, status: str = "") -> QuerySet[Case]:
    """Urgent cases first, then the oldest."""
    cases = cases_visible(user=user).select_related("organisation", "assigned_to")
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("-urgent", "created_at")


def case_read(*, user: AnyUser, case_id: int, purpose: str = "view") -> CaseAccess:
    """Open a case: NotFound when the user may not, an AuditEvent when they may."""
    case = Case.objects.select_related("organisation", "worker").filter(pk=case_id).first()
    access = case_access(user=user, case=case) if case is not None else None
    if case is None or access is None:
        raise NotFound(_("There is no case here, or you may not see it."))
    audit_record(
        actor=user,
        action="case.read",
        obj=case,
        organisation=access.organisation,
        data={
            "purpose": purpose,
            "case_organisation": case.organisation_id,
            "parts": sorted(access.parts),
        },
    )
    return access


def _worker_part(worker: Worker | None, parts: frozenset[str]) -> dict[str, Any] | None:
    if worker is None:
        return None
    out: dict[str, Any] = {"id": worker.pk}
    if Part.IDENTITY in parts:
        out |= {
            "full_name": worker.full_name,
            "birth_date": worker.birth_date,
            "passport_number": worker.passport_number,
        }
    if Part.CONTACT in parts:
        out |= {
            "phone": worker.phone,
            "chat_handles": worker.chat_handles,
            "address_vn": worker.address_vn,
            "province": worker.province.name if worker.province else "",
            "address_jp": worker.address_jp,
            "prefecture": str(worker.prefecture) if worker.prefecture else "",
        }
    return out


def case_view(access: CaseAccess) -> dict[str, Any]:
    """What this access may see of its case (the page and the API both render this)."""
    case = access.case
    parts = access.parts
    labels = dict(Category.choices)
    view: dict[str, Any] = {
        "case": case,
        "access": access,
        "category_labels": [str(labels.get(c, c)) for c in case.categories],
    }
    if access.pending:
        return view
    view["statement"] = case.statement if Part.STATEMENT in parts else None
    view["contact"] = case.contact if Part.CONTACT in parts else None
    view["worker"] = _worker_part(case.worker, parts)
    notes = case.notes.select_related("author", "organisation")
    if not (access.owner or Part.NOTES in parts):
        notes = notes.filter(organisation=access.organisation)
    view["notes"] = list(notes)
    view["thread"] = (
        list(case.messages.select_related("organisation")) if Part.MESSAGES in parts else None
    )
    view["attachments"] = list(case.attachments.all()) if Part.DOCUMENTS in parts else None
    if Part.CLAIMS in parts:
        view["return_record"] = getattr(case, "return_record", None)
        view["claims"] = list(case.claims.all())
        view["certificates"] = list(case.certificates.all())
    view["tasks"] = list(case.tasks.filter(organisation=access.organisation))
    view["timeline"] = list(case.timeline.select_related("organisation"))
    referrals = case.referrals.select_related("to_org", "from_org")
    if not access.owner:
        referrals = referrals.filter(to_org=access.organisation)
    view["referrals"] = list(referrals)
    view["consents"] = list(case.consents.prefetch_related("organisations")) if access.owner else []
    return view


def referral_payload(referral: Referral) -> dict[str, Any]:
    """The consented parts of a referred case as JSON-ready data (see docs/cases.md).

    Only the parts named by both the referral and its consent travel; a withdrawn consent, or
    one that no longer names the receiver, gives Forbidden. No audit here: callers audit.
    """
    consent = referral.consent
    if (
        consent.withdrawn_on is not None
        or not consent.organisations.filter(pk=referral.to_org_id).exists()
    ):
        raise Forbidden(_("The worker's consent for this referral is withdrawn."))
    parts = sorted(set(referral.parts) & set(consent.parts))
    case = referral.case
    payload: dict[str, Any] = {
        "format": "fairpassage.referral/1",
        "referral": {
            "id": referral.pk,
            "from_org": referral.from_org.slug,
            "to_org": referral.to_org.slug,
            "proposed_at": referral.proposed_at.isoformat(),
            "parts": parts,
        },
        "consent": {
            "purpose": consent.purpose,
            "method": consent.method,
            "given_on": consent.given_on.isoformat(),
            "parts": sorted(consent.parts),
        },
        "case": {
            "reference": case.reference,
            "categories": case.categories,
            "stage": case.stage,
            "urgent": case.urgent,
            "status": case.status,
            "agency_name": case.agency_name,
            "created_at": case.created_at.isoformat(),
            "language": case.language,
        },
    }
    if Part.STATEMENT in parts:
        payload["statement"] = case.statement
    if Part.CONTACT in parts:
        payload["contact"] = case.contact
    worker = _worker_part(case.worker, frozenset(parts))
    if worker is not None and len(worker) > 1:
        worker.pop("id")
        payload["worker"] = worker
    if Part.NOTES in parts:
        payload["notes"] = [
            {"language": n.language, "body": n.body, "at": n.created_at.isoformat()}
            for n in case.notes.all()
        ]
    if Part.MESSAGES in parts:
        payload["messages"] = [
            {"sender": m.sender, "body": m.body, "at": m.created_at.isoformat()}
            for m in case.messages.all()
        ]
    if Part.DOCUMENTS in parts:
        payload["documents"] = [
            {
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in case.attachments.all()
        ]
    if Part.CLAIMS in parts:
        record = getattr(case, "return_record", None)
        payload["return"] = (
            {
                "returned_on": record.returned_on.isoformat(),
                "left_japan_on": record.left_japan_on.isoformat() if record.left_japan_on else None,
                "reason": record.reason,
            }
            if record
            else None
        )
        payload["claims"] = [
            {
                "kind": c.kind,
                "amount": c.amount,
                "currency": c.currency,
                "due_on": c.due_on.isoformat() if c.due_on else None,
                "status": c.status,
            }
            for c in case.claims.all()
        ]
        payload["certificates"] = [
            {
                "kind": c.kind,
                "name": c.name,
                "obtained_on": c.obtained_on.isoformat() if c.obtained_on else None,
            }
            for c in case.certificates.all()
        ]
    payload["timeline"] = [
        {"at": e.at.isoformat(), "kind": e.kind, "data": e.data} for e in case.timeline.all()
    ]
    return payload


def referrals_received(*, user: AnyUser) -> QuerySet[Referral]:
    readable = [o for o, r in roles_by_organisation(user).items() if r in READ_ROLES]
    return Referral.objects.filter(to_org_id__in=readable, status=ReferralStatus.PROPOSED)


def worker_find(*, user: AnyUser, passport: str = "", phone: str = "") -> list[Worker]:
    """Exact search by passport or phone through the keyed hashes, in the user's organisations."""
    passport, phone = passport.strip(), phone.strip()
    if not passport and not phone:
        raise InvalidInput(_("Give a passport number or a telephone number."), field="passport")
    readable = [o for o, r in roles_by_organisation(user).items() if r in READ_ROLES]
    condition = Q()
    if passport:
        condition |= Q(passport_hash=passport_hash(passport))
    if phone:
        condition |= Q(phone_hash=crypto.phone_hash(phone))
    found = list(Worker.objects.filter(condition, organisation_id__in=readable)[:20])
    audit_record(
        actor=user,
        action="worker.search",
        data={"by": "passport" if passport else "phone", "found": len(found)},
    )
    return found


def worker_read(*, user: AnyUser, worker_id: int) -> Worker:
    worker = Worker.objects.filter(pk=worker_id).select_related("province", "prefecture").first()
    if worker is None or roles_by_organisation(user).get(worker.organisation_id) not in READ_ROLES:
        raise NotFound(_("There is no worker here, or you may not see them."))
    audit_record(actor=user, action="worker.read", obj=worker, organisation=worker.organisation)
    return worker


def audit_trail(*, user: AnyUser, organisation: Organisation) -> QuerySet[AuditEvent]:
    """Who read or changed what in ``organisation``'s cases, including reads through referral.

    Only the organisation's administrators see it.
    """
    if roles_by_organisation(user).get(organisation.pk) != Role.ORGANISATION_ADMIN:
        raise Forbidden(_("Only the organisation's administrators read its audit trail."))
    own_cases = [
        str(pk)
        for pk in Case.objects.filter(organisation=organisation).values_list("pk", flat=True)
    ]
    return AuditEvent.objects.filter(
        Q(organisation=organisation) | Q(object_type="cases.case", object_id__in=own_cases)
    ).select_related("actor", "organisation")


def claims_due(*, within_days: int, today: dt.date) -> list[dict[str, Any]]:
    """Open claims due within ``within_days`` (or overdue), for reminders: no personal data."""
    until = today + dt.timedelta(days=within_days)
    claims = Claim.objects.filter(
        status__in=[ClaimStatus.OPEN, ClaimStatus.FILED], due_on__isnull=False, due_on__lte=until
    ).select_related("case__organisation", "case__assigned_to")
    return [
        {
            "case": c.case.reference,
            "organisation": c.case.organisation.slug if c.case.organisation else None,
            "assigned_to": c.case.assigned_to.get_username() if c.case.assigned_to else None,
            "kind": c.kind,
            "due_on": c.due_on.isoformat() if c.due_on else None,
            "days_left": (c.due_on - today).days if c.due_on else None,
            "status": c.status,
        }
        for c in claims.order_by("due_on", "id")
    ]
