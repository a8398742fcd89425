"""Writes on grievances and cases: intake, messages, status, assignment, notes, tasks, files.

Every function checks access itself (``access.case_access``), so pages and the API share the
same rules; every write leaves an AuditEvent and, where the worker's story moves, a timeline
event (which never carries personal data).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fairpassage.cases import codes, storage
from fairpassage.cases.access import CaseAccess, case_access
from fairpassage.cases.choices import (
    TRANSITIONS,
    Category,
    CloseReason,
    MessageSender,
    Part,
    Stage,
    Status,
    WhereNow,
)
from fairpassage.cases.models import (
    Attachment,
    Case,
    Message,
    Note,
    StatusChange,
    Task,
    TimelineEvent,
)
from fairpassage.cases.ratelimit import code_lookup_count
from fairpassage.channels.hooks import staff_message_posted
from fairpassage.checks.models import FeeCheck
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from fairpassage.core.models import Membership, Organisation, OrganisationKind, User
from fairpassage.core.services import Actor, audit_record
from fairpassage.core.validation import clean_text, refuse_text
from fairpassage.reference.models import ProvinceEra, VnProvince

MAX_TEXT = 10_000
#: The languages a text on a case is written or translated in.
LANGUAGE_CODES = ("vi", "ja", "en")
RETRIES = 30


def timeline_add(
    *,
    case: Case,
    kind: str,
    actor: Actor,
    organisation: Organisation | None,
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    label = "anonymous" if actor is None or not actor.is_authenticated else actor.get_username()
    if kind.startswith("grievant."):
        label = "grievant"
    return TimelineEvent.objects.create(
        case=case, kind=kind, actor_label=label, organisation=organisation, data=data or {}
    )


def require_access(
    *, actor: Actor, case: Case, write: bool = False, part: str | None = None
) -> CaseAccess:
    """The actor's access to the case, or NotFound (cannot open) / Forbidden (may not do this)."""
    access = case_access(user=actor, case=case) if actor is not None else None
    if access is None:
        raise NotFound(_("There is no case here, or you may not see it."))
    if access.pending:
        raise Forbidden(_("Accept the referral before working on this case."))
    if write and not access.can_write:
        raise Forbidden(_("Your role can read this case but not change it."))
    if part is not None and not access.sees(part):
        raise Forbidden(_("The worker's consent does not cover this part of the case."))
    return access


def _clean_text(value: str, *, field: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    """The one text check of forms, pages and the API (``core.validation.clean_text``)."""
    return clean_text(value, field=field, required=required, limit=limit)


# --- public intake ---------------------------------------------------------------------------


def grievance_route(*, where_now: str) -> Organisation | None:
    """The receiving organisation: the oldest active support organisation of the country the
    person is in; ``None`` (the platform's triage queue) when there is none or they are
    elsewhere."""
    if where_now not in (WhereNow.VIET_NAM, WhereNow.JAPAN):
        return None
    return (
        Organisation.objects.filter(
            country=where_now, kind=OrganisationKind.SUPPORT_ORGANISATION, is_active=True
        )
        .order_by("created_at", "id")
        .first()
    )


def _fingerprint(fields: dict[str, Any]) -> str:
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _province(code: str) -> VnProvince | None:
    """A province code of either era; an older province is mapped to its 2025 successor."""
    if not code:
        return None
    refuse_text(code, field="province")
    province = VnProvince.objects.filter(era=ProvinceEra.CURRENT, code=code).first()
    if province is None:
        legacy = VnProvince.objects.filter(era=ProvinceEra.LEGACY, code=code).first()
        province = legacy.successor if legacy is not None else None
    if province is None:
        raise InvalidInput(_("Choose a province from the list."), field="province")
    return province


@transaction.atomic
def _grievance_create(**fields: Any) -> Case:
    case = Case.objects.create(**fields)
    organisation = case.organisation
    timeline_add(
        case=case,
        kind="grievant.submitted",
        actor=None,
        organisation=organisation,
        data={"urgent": case.urgent},
    )
    audit_record(
        actor=None,
        action="grievance.submit",
        obj=case,
        organisation=organisation,
        data={"urgent": case.urgent, "routed": organisation is not None},
    )
    return case


def grievance_submit(
    *,
    idempotency_key: str,
    where_now: str,
    categories: list[str],
    stage: str,
    statement: str,
    urgent: bool = False,
    contact: str = "",
    agency_name: str = "",
    agency: Organisation | None = None,
    province_code: str = "",
    language: str = "vi",
) -> tuple[Case, str, bool]:
    """File a grievance without an account: ``(case, tracking_code, created)``.

    Idempotent: the same key returns the same case and code (a retried POST never makes a
    second case); the same key with different content is a Conflict. Safe under concurrency:
    the unique key hash decides, and a lost race reads the winner's case.
    """
    key = (idempotency_key or "").strip()
    if not 16 <= len(key) <= 200:
        raise InvalidInput(
            _("The submission key must have 16 to 200 characters."), field="idempotency_key"
        )
    if not categories or any(c not in Category.values for c in categories):
        raise InvalidInput(_("Choose at least one category from the list."), field="categories")
    if stage not in Stage.values:
        raise InvalidInput(_("Choose where in the migration you are."), field="stage")
    if where_now not in WhereNow.values:
        raise InvalidInput(_("Choose the country you are in now."), field="where_now")
    statement = _clean_text(statement, field="statement", required=True)
    contact = _clean_text(contact, field="contact", limit=500)
    agency_name = _clean_text(agency_name, field="agency_name", limit=300)
    content = {
        "where_now": where_now,
        "categories": sorted(set(categories)),
        "stage": stage,
        "statement": statement,
        "urgent": bool(urgent),
        "contact": contact,
        "agency_name": agency_name,
        "agency": agency.pk if agency else None,
        "province": province_code,
    }
    key_hash = codes.idempotency_hash(key)
    code = codes.code_for_key(key)
    fingerprint = _fingerprint(content)

    def existing() -> Case | None:
        case = Case.objects.filter(idempotency_hash=key_hash).first()
        if case is not None and case.request_fingerprint != fingerprint:
            raise Conflict(
                _("This submission key was already used for a different grievance."),
                field="idempotency_key",
            )
        return case

    def attempt() -> tuple[Case, str, bool]:
        found = existing()
        if found is not None:
            return found, code, False
        fields = {
            "organisation": grievance_route(where_now=where_now),
            "tracking_hash": codes.tracking_hash(code),
            "idempotency_hash": key_hash,
            "request_fingerprint": fingerprint,
            "where_now": where_now,
            "categories": content["categories"],
            "stage": stage,
            "urgent": bool(urgent),
            "statement": statement,
            "contact": contact,
            "agency": agency,
            "agency_name": agency_name,
            "province": _province(province_code),
            "language": language[:5],
        }
        try:
            return _grievance_create(**fields), code, True
        except IntegrityError:  # a concurrent submission with the same key won the race
            found = existing()
            if found is None:
                raise
            return found, code, False

    for retry in range(RETRIES):
        try:
            return attempt()
        except OperationalError as error:  # SQLite under load: "database (table) is locked"
            if "locked" not in str(error) or retry == RETRIES - 1:
                raise
            time.sleep(0.02 * (retry + 1) + random.random() * 0.05)  # noqa: S311 - jitter only
    raise AssertionError("unreachable")  # pragma: no cover


def grievance_find(*, code: str, client: str) -> Case:
    """The case behind a tracking code (exact keyed-hash match), or NotFound.

    Every lookup counts against the one tracking limit of ``client`` (its address) before the
    code is even read, whichever page or operation asks: the limit cannot be multiplied by
    guessing through several endpoints.
    """
    code_lookup_count(client=client)
    refuse_text(code, field="code")
    if not codes.is_well_formed(code):
        raise InvalidInput(_("A tracking code has 20 letters and digits."), field="code")
    case = Case.objects.filter(tracking_hash=codes.tracking_hash(code)).first()
    if case is None:
        raise NotFound(_("No grievance has this tracking code. Check each character."))
    return case


@transaction.atomic
def grievant_message_post(*, case: Case, body: str) -> Message:
    """The person writes on their case, found with :func:`grievance_find`."""
    body = _clean_text(body, field="body", required=True, limit=5000)
    message = Message.objects.create(
        case=case, sender=MessageSender.GRIEVANT, body=body, language=case.language or "vi"
    )
    timeline_add(case=case, kind="grievant.message", actor=None, organisation=None)
    audit_record(actor=None, action="grievance.message", obj=case, organisation=case.organisation)
    return message


# --- staff -----------------------------------------------------------------------------------


@transaction.atomic
def staff_message_post(*, actor: User, case: Case, body: str, language: str = "") -> Message:
    """A staff reply, in ``language`` (the author's page language when not given)."""
    access = require_access(actor=actor, case=case, write=True, part=Part.MESSAGES)
    body = _clean_text(body, field="body", required=True, limit=5000)
    language = language or (get_language() or "")[:2]
    if language not in LANGUAGE_CODES:
        raise InvalidInput(_("Choose the language of the message."), field="language")
    message = Message.objects.create(
        case=case,
        sender=MessageSender.STAFF,
        author=actor,
        organisation=access.organisation,
        body=body,
        language=language,
    )
    timeline_add(case=case, kind="message.staff", actor=actor, organisation=access.organisation)
    audit_record(actor=actor, action="case.message", obj=case, organisation=access.organisation)
    staff_message_posted(message=message)  # to the worker's chat, when linked with consent
    return message


@transaction.atomic
def case_status_change(
    *, actor: User, case: Case, status: str, reason: str = "", close_reason: str = ""
) -> Case:
    access = require_access(actor=actor, case=case, write=True)
    if not access.owner:
        raise Forbidden(_("Only the organisation that owns the case changes its status."))
    if status not in Status.values:
        raise InvalidInput(_("Choose a status from the list."), field="status")
    if status == case.status:
        raise InvalidInput(
            _("The case already has this status: choose a new one to change it."), field="status"
        )
    if status not in TRANSITIONS[case.status]:
        raise InvalidInput(
            _("A case cannot go from this status to the one chosen."), field="status"
        )
    if status == Status.CLOSED and close_reason not in CloseReason.values:
        raise InvalidInput(_("Give the reason for closing the case."), field="close_reason")
    reason = _clean_text(reason, field="reason", limit=1000)
    if not reason:
        raise InvalidInput(_("Give the reason for changing the status."), field="reason")
    previous = case.status
    case.status = status
    case.close_reason = close_reason if status == Status.CLOSED else ""
    case.save(update_fields=["status", "close_reason", "updated_at"])
    # The reason's words are kept encrypted on the change; the trail says only that one was given.
    change = StatusChange.objects.create(
        case=case,
        organisation=access.organisation,
        changed_by=actor,
        from_status=previous,
        to_status=status,
        close_reason=case.close_reason,
        reason=reason,
    )
    data = {"from": previous, "to": status, "close_reason": case.close_reason}
    timeline_add(
        case=case,
        kind="status",
        actor=actor,
        organisation=access.organisation,
        data={**data, "status_change": change.pk},
    )
    audit_record(
        actor=actor,
        action="case.status",
        obj=case,
        organisation=access.organisation,
        data={**data, "status_change": change.pk, "reason_given": bool(reason)},
    )
    return case


def assignee_find(*, username: str | None = None, pk: str | None = None) -> User | None:
    """The user named by an assignment form or API call (the page sends the id, the API the
    user name); an empty value means "nobody", anything that names no user is refused (it
    never silently unassigns the case)."""
    value = (username if username is not None else pk or "").strip()
    if not value:
        return None
    refuse_text(value, field="assignee")
    if username is not None:
        found = User.objects.filter(username=value).first()
    else:
        digits = value.isascii() and value.isdigit() and len(value) < 19
        found = User.objects.filter(pk=int(value)).first() if digits else None
    if found is None:
        raise InvalidInput(_("Choose a case worker of this organisation."), field="assignee")
    return found


def organisations_find(
    *, slugs: list[str] | None = None, ids: list[int] | None = None
) -> list[Organisation]:
    """Every organisation a consent form or API call names (the page by id, the API by short
    name); one that names no organisation is refused, never silently left out."""
    if slugs is not None:
        for slug in slugs:
            refuse_text(slug, field="organisations")
        found = list(Organisation.objects.filter(slug__in=slugs))
        wanted = len(set(slugs))
    else:
        found = list(Organisation.objects.filter(pk__in=ids or []))
        wanted = len(set(ids or []))
    if len(found) != wanted:
        raise InvalidInput(_("Choose organisations from the list."), field="organisations")
    return found


@transaction.atomic
def case_assign(*, actor: User, case: Case, assignee: User | None) -> Case:
    access = require_access(actor=actor, case=case, write=True)
    if not access.owner or access.organisation is None:
        raise Forbidden(_("Only the organisation that owns the case assigns it."))
    if (
        assignee is not None
        and not Membership.objects.filter(
            user=assignee,
            organisation=access.organisation,
            role__in=["organisation_admin", "case_worker"],
        ).exists()
    ):
        raise InvalidInput(_("Choose a case worker of this organisation."), field="assignee")
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    data = {"assignee": assignee.get_username() if assignee else None}
    timeline_add(
        case=case, kind="assigned", actor=actor, organisation=access.organisation, data=data
    )
    audit_record(
        actor=actor, action="case.assign", obj=case, organisation=access.organisation, data=data
    )
    return case


@transaction.atomic
def case_route(*, actor: User, case: Case, organisation: Organisation) -> Case:
    """Platform staff hand a case from the triage queue to an organisation."""
    if case.organisation_id is not None or not getattr(actor, "is_staff", False):
        raise Forbidden(_("Only platform staff route cases from the triage queue."))
    case.organisation = organisation
    case.save(update_fields=["organisation", "updated_at"])
    data = {"organisation": organisation.slug}
    timeline_add(case=case, kind="routed", actor=actor, organisation=organisation, data=data)
    audit_record(actor=actor, action="case.route", obj=case, organisation=organisation, data=data)
    return case


@transaction.atomic
def note_add(*, actor: User, case: Case, body: str, language: str) -> Note:
    access = require_access(actor=actor, case=case, write=True)
    if access.organisation is None:
        raise Forbidden(_("Route the case to an organisation before writing notes."))
    if language not in LANGUAGE_CODES:
        raise InvalidInput(_("Choose the note's language."), field="language")
    body = _clean_text(body, field="body", required=True)
    note = Note.objects.create(
        case=case, organisation=access.organisation, author=actor, language=language, body=body
    )
    timeline_add(case=case, kind="note", actor=actor, organisation=access.organisation)
    audit_record(actor=actor, action="case.note", obj=case, organisation=access.organisation)
    return note


@transaction.atomic
def task_add(*, actor: User, case: Case, title: str, due_on: Any = None) -> Task:
    access = require_access(actor=actor, case=case, write=True)
    if access.organisation is None:
        raise Forbidden(_("Route the case to an organisation before adding tasks."))
    title = _clean_text(title, field="title", required=True, limit=300)
    task = Task.objects.create(
        case=case, organisation=access.organisation, title=title, due_on=due_on, created_by=actor
    )
    timeline_add(case=case, kind="task", actor=actor, organisation=access.organisation)
    audit_record(actor=actor, action="case.task", obj=task, organisation=access.organisation)
    return task


@transaction.atomic
def task_done(*, actor: User, task: Task) -> Task:
    access = require_access(actor=actor, case=task.case, write=True)
    if access.organisation is None or task.organisation_id != access.organisation.pk:
        raise Forbidden(_("Only the organisation that set the task closes it."))
    task.done_at = task.done_at or timezone.now()
    task.save(update_fields=["done_at"])
    audit_record(actor=actor, action="case.task_done", obj=task, organisation=access.organisation)
    return task


def attachment_add(*, actor: User, case: Case, name: str, content: bytes) -> Attachment:
    """Attach a file. Every check (access, name, size, type) passes before anything is
    written; the encrypted file is removed again if its record is rolled back."""
    access = require_access(actor=actor, case=case, write=True, part=Part.DOCUMENTS)
    if access.organisation is None:
        raise Forbidden(_("Route the case to an organisation before attaching files."))
    original_name = _clean_text(name, field="file", limit=200) or "file"
    prepared = storage.prepare(content)
    stored = ""
    try:
        with transaction.atomic():
            stored = storage.write(prepared)
            attachment = Attachment.objects.create(
                case=case,
                organisation=access.organisation,
                uploaded_by=actor,
                original_name=original_name,
                content_type=prepared.content_type,
                size=len(content),
                sha256=prepared.sha256,
                stored_name=stored,
            )
            data = {"content_type": prepared.content_type, "size": len(content)}
            timeline_add(
                case=case,
                kind="attachment",
                actor=actor,
                organisation=access.organisation,
                data=data,
            )
            audit_record(
                actor=actor, action="case.attach", obj=attachment, organisation=access.organisation
            )
    except BaseException:
        if stored:
            storage.discard(stored)
        raise
    return attachment


def attachment_read(*, actor: User, attachment: Attachment) -> bytes:
    """The file's bytes for someone who may see the case's documents; the read is audited."""
    access = require_access(actor=actor, case=attachment.case, part=Part.DOCUMENTS)
    audit_record(
        actor=actor, action="case.attachment_read", obj=attachment, organisation=access.organisation
    )
    return storage.read(attachment.stored_name)


@transaction.atomic
def case_link_fee_check(*, actor: User, case: Case, fee_check: FeeCheck) -> Case:
    """Link a saved fee check of the same organisation; its excess becomes the claim amount."""
    access = require_access(actor=actor, case=case, write=True)
    if not access.owner or fee_check.organisation_id != case.organisation_id:
        raise Forbidden(_("Link a fee check saved by the organisation that owns the case."))
    case.fee_check = fee_check
    case.claim_amount_vnd = fee_check.excess_vnd
    case.save(update_fields=["fee_check", "claim_amount_vnd", "updated_at"])
    data = {"fee_check": fee_check.pk, "excess_vnd": fee_check.excess_vnd}
    timeline_add(
        case=case, kind="fee_check", actor=actor, organisation=access.organisation, data=data
    )
    audit_record(
        actor=actor, action="case.fee_check", obj=case, organisation=access.organisation, data=data
    )
    return case
