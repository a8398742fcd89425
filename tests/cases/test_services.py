"""Intake, tracking codes, workflow, consent and referral: the rules in the services."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.conf import settings
from django.db import connection

from fairpassage.cases import codes, people, returns, selectors, services, storage
from fairpassage.cases.access import case_access
from fairpassage.cases.choices import ClaimKind, Part, ReferralStatus, Status, WhereNow
from fairpassage.cases.models import Case, Claim, Consent, Referral
from fairpassage.checks.models import FeeCheck
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from fairpassage.core.models import AuditEvent
from fairpassage.reference.models import VnProvince
from fairpassage.reference.services import reference_data_load
from tests.cases.conftest import World, file_grievance

pytestmark = pytest.mark.django_db


def test_tracking_code_is_long_random_and_readable() -> None:
    code = codes.code_for_key(codes.new_idempotency_key())
    assert len(code) == 20 and codes.BITS >= 80
    assert set(code) <= set(codes.ALPHABET)
    assert not set(code) & set("ILOU")
    shown = codes.display(code)
    assert shown.count("-") == 4
    # read aloud and typed back in lower case, with O for 0 and spaces: still found
    typed = shown.lower().replace("-", " ").replace("0", "o")
    assert codes.tracking_hash(typed) == codes.tracking_hash(code)
    many = {codes.code_for_key(codes.new_idempotency_key()) for _ in range(2000)}
    assert len(many) == 2000
    # every character position varies (no fixed prefix)
    assert all(len({c[i] for c in many}) > 16 for i in range(20))
    assert math.log2(32**20) >= 80


def test_submission_is_idempotent_and_a_reused_key_with_other_content_conflicts(
    world: World,
) -> None:
    case, code = file_grievance(idempotency_key="same-key-0123456789")
    again, code_again = file_grievance(idempotency_key="same-key-0123456789")
    assert again.pk == case.pk and code_again == code
    assert Case.objects.count() == 1
    with pytest.raises(Conflict):
        file_grievance(idempotency_key="same-key-0123456789", statement="something else")
    with pytest.raises(InvalidInput) as short:
        file_grievance(idempotency_key="short")
    assert short.value.field == "idempotency_key"


def test_routing_to_the_country_support_organisation_or_triage(world: World) -> None:
    assert file_grievance(where_now=WhereNow.VIET_NAM)[0].organisation == world.vn
    assert file_grievance(where_now=WhereNow.JAPAN)[0].organisation == world.jp
    assert file_grievance(where_now=WhereNow.ELSEWHERE)[0].organisation is None
    world.jp.is_active = False
    world.jp.save()
    assert file_grievance(where_now=WhereNow.JAPAN)[0].organisation is None


def test_invalid_grievances_name_the_field(world: World) -> None:
    for overrides, field in (
        ({"categories": []}, "categories"),
        ({"categories": ["nonsense"]}, "categories"),
        ({"stage": "x"}, "stage"),
        ({"where_now": "FR"}, "where_now"),
        ({"statement": "  "}, "statement"),
        ({"province_code": "99"}, "province"),
    ):
        with pytest.raises(InvalidInput) as error:
            file_grievance(**overrides)
        assert error.value.field == field


def test_tracking_code_finds_the_case_and_carries_messages(world: World) -> None:
    case, code = file_grievance()
    assert services.grievance_find(code=codes.display(code), client="test").pk == case.pk
    with pytest.raises(NotFound):
        services.grievance_find(code="0" * 20, client="test")
    with pytest.raises(InvalidInput):
        services.grievance_find(code="abc", client="test")
    services.grievant_message_post(case=case, body="Xin giúp tôi")
    services.staff_message_post(
        actor=world.user("vn", "case_worker"), case=case, body="Chúng tôi sẽ gọi"
    )
    assert [m.sender for m in case.messages.all()] == ["grievant", "staff"]
    with pytest.raises(NotFound):  # reviewers open no case (issue 13, item 1)
        services.staff_message_post(actor=world.user("vn", "reviewer"), case=case, body="no")
    with pytest.raises(NotFound):
        services.staff_message_post(actor=world.user("jp", "case_worker"), case=case, body="no")


def test_status_follows_the_allowed_transitions_and_closing_needs_a_reason(world: World) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", "case_worker")
    services.case_status_change(actor=worker, case=case, status=Status.TRIAGE, reason="read")
    with pytest.raises(InvalidInput):
        services.case_status_change(actor=worker, case=case, status=Status.INTAKE)
    with pytest.raises(InvalidInput) as error:
        services.case_status_change(actor=worker, case=case, status=Status.CLOSED)
    assert error.value.field == "close_reason"
    services.case_status_change(
        actor=worker, case=case, status=Status.CLOSED, close_reason="duplicate", reason="twice"
    )
    assert Case.objects.get(pk=case.pk).close_reason == "duplicate"
    event = AuditEvent.objects.filter(action="case.status").first()
    assert event is not None and event.reason == "" and event.data["to"] == "closed"
    with pytest.raises(NotFound):  # an analyst cannot open a case at all
        services.case_status_change(
            actor=world.user("vn", "analyst"), case=case, status=Status.ACTIVE
        )


def test_assign_only_to_a_case_worker_of_the_organisation(world: World) -> None:
    case, _code = file_grievance()
    admin = world.user("vn", "organisation_admin")
    services.case_assign(actor=admin, case=case, assignee=world.user("vn", "case_worker"))
    with pytest.raises(InvalidInput):
        services.case_assign(actor=admin, case=case, assignee=world.user("jp", "case_worker"))


def _referred(world: World, parts: list[str]) -> tuple[Case, str, Consent, Referral]:
    case, code = file_grievance()
    worker = world.user("vn", "case_worker")
    consent = people.consent_record(
        actor=worker,
        case=case,
        purpose="referral",
        method="oral",
        organisations=[world.jp],
        parts=[Part.STATEMENT, Part.MESSAGES],
    )
    referral = people.referral_propose(
        actor=worker, case=case, to_org=world.jp, consent=consent, parts=parts
    )
    return case, code, consent, referral


def test_referral_needs_a_consent_covering_the_organisation_and_the_parts(world: World) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", "case_worker")
    consent = people.consent_record(
        actor=worker,
        case=case,
        purpose="referral",
        method="written",
        organisations=[world.jp],
        parts=[Part.STATEMENT],
    )
    with pytest.raises(Forbidden):
        people.referral_propose(
            actor=worker, case=case, to_org=world.other, consent=consent, parts=[Part.STATEMENT]
        )
    with pytest.raises(Forbidden):
        people.referral_propose(
            actor=worker, case=case, to_org=world.jp, consent=consent, parts=[Part.IDENTITY]
        )
    people.referral_propose(
        actor=worker, case=case, to_org=world.jp, consent=consent, parts=[Part.STATEMENT]
    )
    with pytest.raises(Conflict):
        people.referral_propose(
            actor=worker, case=case, to_org=world.jp, consent=consent, parts=[Part.STATEMENT]
        )


def test_receiver_sees_only_consented_parts_and_loses_them_on_withdrawal(world: World) -> None:
    case, code, consent, referral = _referred(world, [Part.STATEMENT, Part.MESSAGES])
    jp_worker = world.user("jp", "case_worker")
    pending = case_access(user=jp_worker, case=case)
    assert pending is not None and pending.pending and not pending.parts
    with pytest.raises(Forbidden):
        services.staff_message_post(actor=jp_worker, case=case, body="too early")
    with pytest.raises(Forbidden):
        people.referral_decide(actor=world.user("jp", "reviewer"), referral=referral, accept=True)
    people.referral_decide(actor=jp_worker, referral=referral, accept=True)
    access = case_access(user=jp_worker, case=case)
    assert access is not None and access.parts == {Part.STATEMENT, Part.MESSAGES}
    view = selectors.case_view(access)
    assert (
        "150 triệu" in view["statement"] and view["contact"] is None and view["attachments"] is None
    )
    services.staff_message_post(actor=jp_worker, case=case, body="Konnichiwa, we can help")
    assert Case.objects.get(pk=case.pk).status == Status.REFERRED
    payload = selectors.referral_payload(referral)
    assert payload["referral"]["parts"] == ["messages", "statement"]
    assert "contact" not in payload and "worker" not in payload and len(payload["messages"]) == 1
    # the worker withdraws with the tracking code: sharing stops on the next request
    found = services.grievance_find(code=code, client="test")
    people.consent_withdraw(actor=None, consent=consent, grievant_case=found)
    assert case_access(user=jp_worker, case=case) is None
    with pytest.raises(NotFound):
        services.staff_message_post(actor=jp_worker, case=case, body="after withdrawal")
    with pytest.raises(Forbidden):
        selectors.referral_payload(referral)
    assert not selectors.case_queue(user=jp_worker).filter(pk=case.pk).exists()


def test_declined_referral_gives_no_access(world: World) -> None:
    case, _code, _consent, referral = _referred(world, [Part.STATEMENT])
    people.referral_decide(
        actor=world.user("jp", "case_worker"), referral=referral, accept=False, reason="no capacity"
    )
    assert referral.status == ReferralStatus.DECLINED
    assert case_access(user=world.user("jp", "case_worker"), case=case) is None


def test_case_read_is_audited_and_others_get_not_found(world: World) -> None:
    case, _code = file_grievance()
    selectors.case_read(user=world.user("vn", "case_worker"), case_id=case.pk)
    assert AuditEvent.objects.filter(action="case.read", object_id=str(case.pk)).count() == 1
    for user in (
        world.user("vn", "reviewer"),
        world.user("vn", "analyst"),
        world.user("jp", "organisation_admin"),
        world.users["staff"],
    ):
        with pytest.raises(NotFound):
            selectors.case_read(user=user, case_id=case.pk)
    trail = selectors.audit_trail(
        user=world.user("vn", "organisation_admin"), organisation=world.vn
    )
    assert trail.filter(action="case.read").exists()
    with pytest.raises(Forbidden):
        selectors.audit_trail(user=world.user("vn", "case_worker"), organisation=world.vn)


def test_triage_queue_is_for_platform_staff_who_route(world: World) -> None:
    case, _code = file_grievance(where_now=WhereNow.ELSEWHERE)
    assert case_access(user=world.user("vn", "organisation_admin"), case=case) is None
    services.case_route(actor=world.users["staff"], case=case, organisation=world.vn)
    assert case_access(user=world.user("vn", "case_worker"), case=case) is not None
    assert case_access(user=world.users["staff"], case=case) is None


def test_worker_found_by_exact_passport_or_phone_in_own_organisation(world: World) -> None:
    worker_user = world.user("vn", "case_worker")
    worker = people.worker_create(
        actor=worker_user,
        organisation=world.vn,
        full_name="Nguyễn Văn A",
        passport_number="c 1234567",
        phone="+84 90 123 4567",
    )
    assert selectors.worker_find(user=worker_user, passport="C1234567") == [worker]
    assert selectors.worker_find(user=worker_user, phone="0084901234567") == [worker]
    assert selectors.worker_find(user=worker_user, passport="C1234568") == []
    assert selectors.worker_find(user=world.user("jp", "case_worker"), passport="C1234567") == []
    with pytest.raises(Forbidden):
        people.worker_create(
            actor=world.user("vn", "analyst"), organisation=world.vn, full_name="x"
        )


def test_legacy_province_is_mapped_to_its_successor(world: World) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    legacy = (
        VnProvince.objects.filter(era="legacy", successor__isnull=False)
        .exclude(code__in=VnProvince.objects.filter(era="2025").values("code"))
        .first()
    )
    assert legacy is not None and legacy.successor is not None
    case, _code = file_grievance(province_code=legacy.code)
    assert case.province == legacy.successor


def test_return_opens_the_pension_claim_two_years_after_leaving_japan(world: World) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", "case_worker")
    returns.return_record(
        actor=worker,
        case=case,
        returned_on=dt.date(2026, 3, 2),
        left_japan_on=dt.date(2026, 3, 1),
        reason="early_employer",
    )
    claim = Claim.objects.get(case=case, kind=ClaimKind.PENSION_LUMP_SUM)
    assert claim.due_on == dt.date(2028, 3, 1)
    assert claim.basis["id"] == "jp.pension.lump_sum_claim_deadline_years"
    assert claim.basis["reference"]["url"].startswith("https://www.nenkin.go.jp/")
    returns.claim_add(
        actor=worker,
        case=case,
        kind=ClaimKind.UNPAID_WAGES,
        amount=300000,
        currency="JPY",
        due_on=dt.date(2026, 4, 1),
    )
    due = selectors.claims_due(within_days=30, today=dt.date(2026, 3, 10))
    assert [d["kind"] for d in due] == ["unpaid_wages"]
    assert len(selectors.claims_due(within_days=800, today=dt.date(2026, 3, 10))) == 2
    returns.claim_status_set(actor=worker, claim=claim, status="paid")
    assert len(selectors.claims_due(within_days=800, today=dt.date(2026, 3, 10))) == 1
    returns.certificate_add(actor=worker, case=case, kind="japanese_level", name="JLPT N3")


def test_linked_fee_check_excess_becomes_the_claim_amount(world: World) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", "case_worker")
    check = FeeCheck.objects.create(
        organisation=world.vn,
        created_by=worker,
        language="vi",
        rules_version="x",
        law_date=dt.date(2025, 1, 1),
        status="violation",
        excess_vnd=28_200_000,
        input={},
        result={},
    )
    services.case_link_fee_check(actor=worker, case=case, fee_check=check)
    assert Case.objects.get(pk=case.pk).claim_amount_vnd == 28_200_000
    claim = returns.claim_add(actor=worker, case=case, kind=ClaimKind.SERVICE_FEE_REFUND)
    assert claim.amount == 28_200_000
    other = FeeCheck.objects.create(
        organisation=world.jp,
        created_by=worker,
        language="vi",
        rules_version="x",
        law_date=dt.date(2025, 1, 1),
        status="violation",
        excess_vnd=1,
        input={},
        result={},
    )
    with pytest.raises(Forbidden):
        services.case_link_fee_check(actor=worker, case=case, fee_check=other)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attachments_are_sniffed_limited_encrypted_and_private(world: World) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", "case_worker")
    attachment = services.attachment_add(actor=worker, case=case, name="contract.png", content=PDF)
    assert attachment.content_type == "application/pdf"  # by content, not by the name
    stored = storage.attachment_dir() / attachment.stored_name
    assert stored.exists() and b"%PDF" not in stored.read_bytes()
    assert services.attachment_read(actor=worker, attachment=attachment) == PDF
    with pytest.raises(InvalidInput) as kind:
        services.attachment_add(
            actor=worker, case=case, name="x.pdf", content=b"MZ\x90\x00 not a pdf"
        )
    assert kind.value.code == "file_type"
    with pytest.raises(InvalidInput) as size:
        services.attachment_add(
            actor=worker, case=case, name="x.pdf", content=PDF + b"0" * storage.MAX_BYTES
        )
    assert size.value.code == "file_size"
    with pytest.raises(NotFound):
        services.attachment_read(actor=world.user("jp", "case_worker"), attachment=attachment)
    assert connection.vendor in ("sqlite", "postgresql")
