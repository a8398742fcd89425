"""Staff pages without dangerous defaults, and a timeline in words (issue 16, items 1 and 4)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.cases import people, services, timeline, transfer
from fairpassage.cases.access import CaseAccess, case_access
from fairpassage.cases.choices import Part, Status
from fairpassage.cases.models import Case, Referral
from fairpassage.cases.package import keypair_generate
from fairpassage.core import services as core_services
from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import Country, Organisation, OrganisationKind, User
from fairpassage.registry.models import OrganisationName
from tests.cases.conftest import World, file_grievance
from tests.factories import OrganisationFactory, login_verified

pytestmark = pytest.mark.django_db


def _agency(name: str = "Công ty Cổ phần Nhân lực Sông Hồng") -> Organisation:
    return OrganisationFactory.create(
        name=name, kind=OrganisationKind.SENDING_AGENCY, country=Country.VIET_NAM
    )


def _consent_to(world: World, case: Case, org: Organisation) -> None:
    people.consent_record(
        actor=world.user("vn", "case_worker"),
        case=case,
        purpose="referral",
        method="oral",
        organisations=[org],
        parts=[Part.IDENTITY],
    )


@pytest.mark.parametrize(
    "kind",
    [
        OrganisationKind.SENDING_AGENCY,
        OrganisationKind.EMPLOYER,
        OrganisationKind.SUPERVISING_ORGANISATION,
        OrganisationKind.REGISTERED_SUPPORT_ORGANISATION,
    ],
)
def test_consent_never_names_an_agency_employer_or_supervisor(world: World, kind: str) -> None:
    case, _code = file_grievance()
    org = OrganisationFactory.create(kind=kind)
    with pytest.raises(InvalidInput) as error:
        _consent_to(world, case, org)
    assert error.value.field == "organisations" and error.value.code == "recipient_kind"
    assert not case.consents.exists()


def test_referral_service_refuses_an_agency_even_under_an_old_consent(world: World) -> None:
    """A consent recorded before the rule named an agency: the referral is still refused."""
    case, _code = file_grievance()
    org = _agency("Other Agency")
    _consent_to(world, case, world.jp)
    consent = case.consents.get()
    consent.organisations.add(org)  # as stored before the rule
    with pytest.raises(InvalidInput) as error:
        people.referral_propose(
            actor=world.user("vn", "case_worker"),
            case=case,
            to_org=org,
            consent=consent,
            parts=[Part.IDENTITY],
        )
    assert error.value.field == "to_org"
    assert not Referral.objects.exists()


def test_the_accused_organisation_is_refused_with_the_reason(world: World) -> None:
    """Named in the grievance by a differently written name, and even a support kind."""
    accused = OrganisationFactory.create(
        name="Trung tâm Hỗ trợ Sông Hồng", kind=OrganisationKind.SUPPORT_ORGANISATION
    )
    case, _code = file_grievance(agency_name="  TRUNG TÂM HỖ TRỢ  sông hồng ")
    with pytest.raises(InvalidInput) as error:
        _consent_to(world, case, accused)
    assert error.value.code == "accused_organisation"
    with translation.override("vi"):
        assert "Trung tâm Hỗ trợ Sông Hồng" in error.value.rendered_message()
        assert "phản ánh" in error.value.rendered_message()


def test_the_registry_agency_linked_to_the_case_is_refused(world: World) -> None:
    agency = _agency()
    case, _code = file_grievance()
    Case.objects.filter(pk=case.pk).update(agency=agency)
    case.refresh_from_db()
    with pytest.raises(InvalidInput) as error:
        _consent_to(world, case, agency)
    assert error.value.code == "accused_organisation"


def test_status_change_needs_a_reason_and_a_new_status(world: World) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", "case_worker")
    with pytest.raises(InvalidInput) as error:
        services.case_status_change(actor=worker, case=case, status=Status.TRIAGE, reason=" ")
    assert error.value.field == "reason"
    with pytest.raises(InvalidInput) as error:
        services.case_status_change(actor=worker, case=case, status=case.status, reason="x")
    assert error.value.field == "status"
    assert Case.objects.get(pk=case.pk).status == Status.INTAKE


def test_timeline_speaks_words_names_roles_and_shows_reasons_to_readers(world: World) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", "case_worker")
    services.case_status_change(
        actor=worker, case=case, status=Status.TRIAGE, reason="Đã gọi lại cho người lao động"
    )
    services.staff_message_post(actor=worker, case=case, body="Chào bạn")
    with translation.override("vi"):
        found = timeline.entries(access=_access(worker, case), events=case.timeline.all())
        by_kind = {e.event.kind: e for e in found}
        assert by_kind["grievant.submitted"].actor == "người lao động"
        status = by_kind["status"]
        assert status.text.startswith("Trạng thái đã đổi từ")
        assert f"“{Status.INTAKE.label}” sang “{Status.TRIAGE.label}”" in status.text
        assert status.reason == "Đã gọi lại cho người lao động"
        assert status.actor == f"một cán bộ phụ trách vụ việc của {world.vn}"
        assert "vn_case_worker" not in status.actor
        assert "message.staff" not in by_kind["message.staff"].text
    with translation.override("ja"):
        found = timeline.entries(access=_access(worker, case), events=case.timeline.all())
        status = next(e for e in found if e.event.kind == "status")
        assert f"「{Status.INTAKE.label}」から「{Status.TRIAGE.label}」" in status.text
        assert status.actor == f"{world.vn}のケース担当者"


def _access(user: User, case: Case) -> CaseAccess:
    access = case_access(user=user, case=case)
    assert access is not None
    return access


def _post(client: Client, case: Case, action: str, data: dict[str, object]) -> str:
    response = client.post(reverse("cases:case_action", args=[case.pk, action]), data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_case_page_starts_on_the_current_status_and_refuses_the_accused(
    client: Client, world: World
) -> None:
    accused = _agency()
    case, _code = file_grievance(agency_name="Nhân lực Sông Hồng JSC")
    login_verified(client, world.user("vn", "case_worker"))
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    status_select = page[
        page.index('name="status"') : page.index("</select>", page.index('name="status"'))
    ]
    assert f'value="{Status.INTAKE}" selected' in status_select
    assert "selected" not in status_select.split(f'value="{Status.INTAKE}" selected', 1)[1]
    # The consent list offers support organisations only, never the agency.
    consent_form = page[page.index('name="organisations"') :]
    consent_form = consent_form[: consent_form.index("</select>")]
    assert f'value="{accused.pk}"' not in consent_form and f'value="{world.jp.pk}"' in consent_form
    # A forged post naming the agency is refused with the reason, in Vietnamese.
    html = _post(
        client,
        case,
        "consent",
        {
            "purpose": "referral",
            "method": "oral",
            "organisations": [accused.pk],
            "parts": ["identity"],
        },
    )
    assert "phản ánh" in html and not case.consents.exists()
    # A change of status gives its reason; the timeline shows it in words.
    html = _post(client, case, "status", {"status": Status.ACTIVE, "reason": "Lý do rõ ràng"})
    assert Case.objects.get(pk=case.pk).status == Status.ACTIVE
    assert "Lý do rõ ràng" in html and "vn_case_worker" not in html.split('id="timeline"')[1]


@pytest.fixture
def installations(settings: SettingsWrapper) -> None:
    here = keypair_generate()
    settings.REFERRAL_INSTALLATION_ID = "test-here"
    settings.REFERRAL_SIGNING_KEY = here.signing_private_key
    settings.REFERRAL_ENCRYPTION_KEY = here.encryption_private_key
    settings.REFERRAL_PEERS = {
        "test-here": {
            "signing": here.signing_public_key,
            "encryption": here.encryption_public_key,
        }
    }


def test_package_export_names_no_agency_even_for_an_old_referral(
    world: World, installations: None
) -> None:
    case, _code = file_grievance()
    agency = _agency("Old Agency")
    _consent_to(world, case, world.jp)
    consent = case.consents.get()
    referral = Referral.objects.create(  # as stored before the rule
        case=case, from_org=world.vn, to_org=agency, consent=consent, parts=[Part.IDENTITY]
    )
    with pytest.raises(InvalidInput) as error:
        transfer.referral_package_export(
            actor=world.user("vn", "case_worker"), referral=referral, peer="test-here"
        )
    assert error.value.field == "to_org"
    assert not case.timeline.filter(kind="referral.exported").exists()


def test_package_page_refuses_the_accused_with_the_reason(
    client: Client, world: World, installations: None
) -> None:
    accused = _agency()
    case, _code = file_grievance(agency_name="Nhân lực Sông Hồng")
    _consent_to(world, case, world.jp)
    login_verified(client, world.user("vn", "case_worker"))
    response = client.post(
        f"/ja/cases/{case.pk}/package/",
        {
            "peer": "test-here",
            "to_org": accused.slug,
            "consent": str(case.consents.get().pk),
            "parts": [Part.IDENTITY],
        },
    )
    assert response.status_code == 422
    assert "相談の中で名前が挙げられた組織" in response.content.decode()
    assert not Referral.objects.exists()


def test_status_reason_is_shown_only_to_readers_of_the_notes(world: World) -> None:
    case, _code = file_grievance()
    vn = world.user("vn", "case_worker")
    people.consent_record(
        actor=vn,
        case=case,
        purpose="referral",
        method="oral",
        organisations=[world.jp],
        parts=[Part.STATEMENT],
    )
    referral = people.referral_propose(
        actor=vn, case=case, to_org=world.jp, consent=case.consents.get(), parts=[Part.STATEMENT]
    )
    jp = world.user("jp", "case_worker")
    people.referral_decide(actor=jp, referral=referral, accept=True)
    services.case_status_change(actor=vn, case=case, status=Status.ACTIVE, reason="bí mật nội bộ")
    owner = timeline.entries(access=_access(vn, case), events=case.timeline.all())
    receiver = timeline.entries(access=_access(jp, case), events=case.timeline.all())
    assert [e.reason for e in owner if e.reason] == ["bí mật nội bộ"]
    assert not [e for e in receiver if e.reason]


def test_api_status_change_without_reason_is_refused(client: Client, world: World) -> None:
    case, _code = file_grievance()
    user = world.user("vn", "case_worker")
    _token, plaintext = core_services.api_token_create(actor=None, user=user, name="t")
    response = client.patch(
        f"/api/cases/{case.pk}",
        {"status": Status.TRIAGE},
        content_type="application/json",
        headers={"Authorization": f"Bearer {plaintext}"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "reason"
    assert Case.objects.get(pk=case.pk).status == Status.INTAKE


def test_an_other_name_of_the_registry_finds_the_accused_for_the_page(
    client: Client, world: World
) -> None:
    """The worker wrote the agency's other registered name: never offered, and refused."""
    agency = OrganisationFactory.create(
        name="Trung tâm Hỗ trợ Hồng Hà", kind=OrganisationKind.SUPPORT_ORGANISATION
    )
    OrganisationName.objects.create(organisation=agency, name="Hong Ha Manpower Centre")
    case, _code = file_grievance(agency_name="hong ha manpower centre")
    login_verified(client, world.user("vn", "case_worker"))
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    consent_form = page[page.index('name="organisations"') :]
    assert f'value="{agency.pk}"' not in consent_form[: consent_form.index("</select>")]
    assert "Trung tâm Hỗ trợ Hồng Hà" in page[page.index('id="recipients-rule"') :]
    with pytest.raises(InvalidInput) as error:
        _consent_to(world, case, agency)
    assert error.value.code == "accused_organisation"


def test_timeline_names_the_organisations_of_routing_and_referral(world: World) -> None:
    case, _code = file_grievance(where_now="XX")
    staff = world.users["staff"]
    services.case_route(actor=staff, case=case, organisation=world.vn)
    vn = world.user("vn", "case_worker")
    _consent_to(world, case, world.jp)
    referral = people.referral_propose(
        actor=vn, case=case, to_org=world.jp, consent=case.consents.get(), parts=[Part.IDENTITY]
    )
    people.referral_decide(actor=world.user("jp", "case_worker"), referral=referral, accept=True)
    with translation.override("en"):
        found = {
            e.event.kind: e
            for e in timeline.entries(access=_access(vn, case), events=case.timeline.all())
        }
    assert found["routed"].text == f"The case was sent to {world.vn.name}."
    assert found["routed"].actor == "the platform staff"
    assert found["referral_proposed"].text == f"A referral to {world.jp.name} was proposed."
    assert found["referral_accepted"].text == f"{world.jp.name} accepted the referral."
    assert found["referral_accepted"].actor == f"a case worker of {world.jp.name}"
