"""Grievances (public) and cases (staff, token) over the API, under the pages' access rules."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja import Status as Reply

from fairpassage.cases import codes, people, returns, selectors, services, translations
from fairpassage.cases.emergency import emergency_contacts
from fairpassage.cases.models import Case, Claim, Consent, Message, Note, Referral, Translation
from fairpassage.cases.ratelimit import rate_limit_request
from fairpassage.cases.schemas import (
    CaseOut,
    CaseSummaryOut,
    CaseUpdateIn,
    ClaimIn,
    ClaimOut,
    ConsentIn,
    ConsentOut,
    DecisionIn,
    GrievanceIn,
    GrievanceOut,
    GrievanceStatusOut,
    MessageIn,
    MessageOut,
    NoteIn,
    NoteOut,
    ReferralIn,
    ReferralOut,
    TrackIn,
    TrackMessageIn,
    TranslationIn,
    TranslationOut,
)
from fairpassage.core.auth import token_auth
from fairpassage.core.errors import Gone, NotFound
from fairpassage.core.models import Organisation, User
from fairpassage.core.ratelimit import client_key
from fairpassage.core.schemas import ErrorOut

router = Router(tags=["cases"])
M = TypeVar("M", bound=Model)
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def get_object_or_404(model: type[M], **lookup: Any) -> M:
    """The object, or the API's NotFound (the same answer as for an object one may not see)."""
    found = model._default_manager.filter(**lookup).first()
    if found is None:
        raise NotFound()
    return found


def _language() -> str:
    return (get_language() or "vi")[:2]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.post(
    "/grievances",
    response={200: GrievanceOut, 201: GrievanceOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="File a grievance without an account (idempotent)",
)
def grievance_create(request: HttpRequest, payload: GrievanceIn) -> Reply[Any]:
    """201 with a tracking code; the same `Idempotency-Key` (header or field) answers 200 with
    the same code and case. Without a key the server draws one (no retry protection)."""
    rate_limit_request(request, "grievance")
    key = request.headers.get("Idempotency-Key") or payload.idempotency_key
    case, code, created = services.grievance_submit(
        idempotency_key=key or codes.new_idempotency_key(),
        where_now=payload.where_now,
        categories=payload.categories,
        stage=payload.stage,
        statement=payload.statement,
        urgent=payload.urgent,
        contact=payload.contact,
        agency_name=payload.agency_name,
        province_code=payload.province,
        language=_language(),
    )
    return Reply(
        201 if created else 200,
        {
            "tracking_code": codes.display(code),
            "status": case.status,
            "urgent": case.urgent,
            "created": created,
            "emergency": emergency_contacts(language=_language()) if case.urgent else [],
        },
    )


def _translation_out(t: Translation) -> dict[str, Any]:
    return {
        "language": t.language,
        "body": t.body,
        "organisation": t.organisation.slug,
        "author_role": t.author_role,
        "at": t.created_at,
    }


def _message_out(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "sender": m.sender,
        "body": m.body,
        "at": m.created_at,
        "language": m.language,
        "translations": [_translation_out(t) for t in m.translations.all()],
    }


def _thread(case: Case) -> list[dict[str, Any]]:
    messages = case.messages.prefetch_related("translations__organisation")
    return [_message_out(m) for m in messages]


def _tracking_code(request: HttpRequest, payload: TrackIn) -> str:
    """The code from the body, or else from the ``Tracking-Code`` header; never the address."""
    return payload.code or request.headers.get("Tracking-Code", "")


def _status_out(case: Case) -> dict[str, Any]:
    return {
        "status": case.status,
        "received_on": case.created_at.date(),
        "organisation": case.organisation.name if case.organisation else None,
        "messages": _thread(case),
    }


@router.post(
    "/grievances/track",
    response={200: GrievanceStatusOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="A grievance's status and messages, by tracking code (in the body or a header)",
)
def grievance_status(request: HttpRequest, payload: TrackIn) -> dict[str, Any]:
    """The code travels in the body (`{"code": "…"}`) or the `Tracking-Code` header, never in
    the address, so no access log holds it. Every lookup, whatever the operation or page,
    counts against one limit per address."""
    case = services.grievance_find(
        code=_tracking_code(request, payload), client=client_key(request)
    )
    return _status_out(case)


@router.post(
    "/grievances/track/messages",
    response={201: MessageOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="The person writes to the case worker (code in the body or a header)",
)
def grievance_message(request: HttpRequest, payload: TrackMessageIn) -> Reply[Any]:
    case = services.grievance_find(
        code=_tracking_code(request, payload), client=client_key(request)
    )
    rate_limit_request(request, "message")
    message = services.grievant_message_post(case=case, body=payload.body)
    return Reply(201, _message_out(message))


def _gone() -> Gone:
    return Gone(
        _(
            "Tracking codes no longer travel in the address. Send POST /api/grievances/track "
            'with {"code": "…"} (messages: POST /api/grievances/track/messages), or the '
            "Tracking-Code header."
        )
    )


@router.get(
    "/grievances/{code}",
    response={410: ErrorOut},
    summary="Removed: the code in the address (use POST /grievances/track)",
    deprecated=True,
)
def grievance_status_by_address(request: HttpRequest, code: str) -> None:
    """Always 410: the code must not travel in an address. The code is not looked up."""
    raise _gone()


@router.post(
    "/grievances/{code}/messages",
    response={410: ErrorOut},
    summary="Removed: the code in the address (use POST /grievances/track/messages)",
    deprecated=True,
)
def grievance_message_by_address(request: HttpRequest, code: str) -> None:
    """Always 410: the code must not travel in an address. Nothing is read or stored."""
    raise _gone()


def _summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "organisation": case.organisation.slug if case.organisation else None,
        "status": case.status,
        "urgent": case.urgent,
        "categories": case.categories,
        "stage": case.stage,
        "created_at": case.created_at,
    }


@router.get("/cases", response={200: list[CaseSummaryOut], 401: ErrorOut}, auth=token_auth)
def case_list(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    """The queue: urgent first, then the oldest (at most 500)."""
    return [_summary(c) for c in selectors.case_queue(user=_user(request), status=status)[:500]]


def _case_out(request: HttpRequest, pk: int) -> dict[str, Any]:
    access = selectors.case_read(user=_user(request), case_id=pk, purpose="api")
    view = selectors.case_view(access)
    case = access.case
    out = _summary(case) | {
        "parts": sorted(access.parts),
        "pending_referral": access.referral.pk if access.pending and access.referral else None,
    }
    if access.pending:
        return out
    return out | {
        "statement": view["statement"],
        "statement_language": case.language,
        "statement_translations": [
            _translation_out(t)
            for t in case.translations.filter(message=None, note=None).select_related(
                "organisation"
            )
        ]
        if view["statement"] is not None
        else [],
        "contact": view["contact"],
        "worker": view["worker"],
        "close_reason": case.close_reason,
        "claim_amount_vnd": case.claim_amount_vnd,
        "notes": [
            {
                "id": n.pk,
                "organisation": n.organisation.slug,
                "language": n.language,
                "body": n.body,
                "at": n.created_at,
                "translations": [_translation_out(t) for t in n.translations.all()],
            }
            for n in view["notes"]
        ],
        "messages": _thread(case) if view["thread"] is not None else None,
        "timeline": [
            {
                "at": e.at,
                "kind": e.kind,
                "organisation": e.organisation.slug if e.organisation else None,
                "data": e.data,
            }
            for e in view["timeline"]
        ],
    }


@router.get("/cases/{pk}", response={200: CaseOut, **ERRORS}, auth=token_auth)
def case_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The parts of the case the caller may see; the read is audited."""
    return _case_out(request, pk)


@router.patch("/cases/{pk}", response={200: CaseOut, **ERRORS}, auth=token_auth)
def case_update(request: HttpRequest, pk: int, payload: CaseUpdateIn) -> dict[str, Any]:
    case = get_object_or_404(Case, pk=pk)
    user = _user(request)
    if payload.status is not None:
        services.case_status_change(
            actor=user,
            case=case,
            status=payload.status,
            reason=payload.reason,
            close_reason=payload.close_reason,
        )
    if payload.assignee is not None:
        assignee = services.assignee_find(username=payload.assignee)
        services.case_assign(actor=user, case=case, assignee=assignee)
    return _case_out(request, pk)


@router.post("/cases/{pk}/notes", response={201: NoteOut, **ERRORS}, auth=token_auth)
def note_create(request: HttpRequest, pk: int, payload: NoteIn) -> Reply[Any]:
    note = services.note_add(
        actor=_user(request),
        case=get_object_or_404(Case, pk=pk),
        body=payload.body,
        language=payload.language,
    )
    return Reply(
        201,
        {
            "id": note.pk,
            "organisation": note.organisation.slug,
            "language": note.language,
            "body": note.body,
            "at": note.created_at,
        },
    )


@router.post("/cases/{pk}/messages", response={201: MessageOut, **ERRORS}, auth=token_auth)
def message_create(request: HttpRequest, pk: int, payload: MessageIn) -> Reply[Any]:
    message = services.staff_message_post(
        actor=_user(request),
        case=get_object_or_404(Case, pk=pk),
        body=payload.body,
        language=payload.language,
    )
    return Reply(201, _message_out(message))


@router.post(
    "/cases/{pk}/translations",
    response={201: TranslationOut, **ERRORS},
    auth=token_auth,
    summary="Attach a person's translation of the statement, a message or a note",
)
def translation_create(request: HttpRequest, pk: int, payload: TranslationIn) -> Reply[Any]:
    case = get_object_or_404(Case, pk=pk)
    made = translations.translation_add(
        actor=_user(request),
        case=case,
        language=payload.language,
        body=payload.body,
        message=get_object_or_404(Message, pk=payload.message, case=case)
        if payload.message is not None
        else None,
        note=get_object_or_404(Note, pk=payload.note, case=case)
        if payload.note is not None
        else None,
    )
    return Reply(201, _translation_out(made))


def _consent_out(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "purpose": consent.purpose,
        "parts": consent.parts,
        "organisations": [o.slug for o in consent.organisations.all()],
        "given_on": consent.given_on,
        "withdrawn_on": consent.withdrawn_on,
    }


@router.post("/cases/{pk}/consents", response={201: ConsentOut, **ERRORS}, auth=token_auth)
def consent_create(request: HttpRequest, pk: int, payload: ConsentIn) -> Reply[Any]:
    organisations = services.organisations_find(slugs=payload.organisations)
    consent = people.consent_record(
        actor=_user(request),
        case=get_object_or_404(Case, pk=pk),
        purpose=payload.purpose,
        method=payload.method,
        organisations=organisations,
        parts=payload.parts,
        given_on=payload.given_on,
    )
    return Reply(201, _consent_out(consent))


@router.post("/consents/{pk}/withdraw", response={200: ConsentOut, **ERRORS}, auth=token_auth)
def consent_withdraw(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Sharing under the consent stops at once."""
    consent = get_object_or_404(Consent, pk=pk)
    return _consent_out(people.consent_withdraw(actor=_user(request), consent=consent))


def _referral_out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "case": referral.case_id,
        "from_org": referral.from_org.slug,
        "to_org": referral.to_org.slug,
        "parts": referral.parts,
        "status": referral.status,
    }


@router.post("/cases/{pk}/referrals", response={201: ReferralOut, **ERRORS}, auth=token_auth)
def referral_create(request: HttpRequest, pk: int, payload: ReferralIn) -> Reply[Any]:
    case = get_object_or_404(Case, pk=pk)
    services.require_access(actor=_user(request), case=case, write=True)
    referral = people.referral_propose(
        actor=_user(request),
        case=case,
        to_org=get_object_or_404(Organisation, slug=payload.to_org),
        consent=get_object_or_404(Consent, pk=payload.consent, case=case),
        parts=payload.parts,
    )
    return Reply(201, _referral_out(referral))


@router.post("/referrals/{pk}/accept", response={200: ReferralOut, **ERRORS}, auth=token_auth)
def referral_accept(request: HttpRequest, pk: int) -> dict[str, Any]:
    referral = get_object_or_404(Referral, pk=pk)
    return _referral_out(
        people.referral_decide(actor=_user(request), referral=referral, accept=True)
    )


@router.post("/referrals/{pk}/decline", response={200: ReferralOut, **ERRORS}, auth=token_auth)
def referral_decline(request: HttpRequest, pk: int, payload: DecisionIn) -> dict[str, Any]:
    referral = get_object_or_404(Referral, pk=pk)
    decided = people.referral_decide(
        actor=_user(request), referral=referral, accept=False, reason=payload.reason
    )
    return _referral_out(decided)


def _claim_out(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "kind": claim.kind,
        "amount": claim.amount,
        "currency": claim.currency,
        "due_on": claim.due_on,
        "status": claim.status,
    }


@router.get("/cases/{pk}/claims", response={200: list[ClaimOut], **ERRORS}, auth=token_auth)
def claim_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    access = services.require_access(
        actor=_user(request), case=get_object_or_404(Case, pk=pk), part="claims"
    )
    return [_claim_out(c) for c in access.case.claims.all()]


@router.post("/cases/{pk}/claims", response={201: ClaimOut, **ERRORS}, auth=token_auth)
def claim_create(request: HttpRequest, pk: int, payload: ClaimIn) -> Reply[Any]:
    claim = returns.claim_add(
        actor=_user(request),
        case=get_object_or_404(Case, pk=pk),
        kind=payload.kind,
        amount=payload.amount,
        currency=payload.currency,
        due_on=payload.due_on,
    )
    return Reply(201, _claim_out(claim))
