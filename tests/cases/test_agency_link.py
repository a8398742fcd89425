"""Linking a case to an agency of the registry: the service (access, timeline, audit), the page
without JavaScript (search, pick, clear), the agency's status on the case page, who may do it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from fairpassage.cases import agency
from fairpassage.cases.models import Case
from fairpassage.core.errors import Forbidden, InvalidInput, NotFound
from fairpassage.core.models import AuditEvent, Organisation
from fairpassage.registry.imports import agencies_import
from fairpassage.registry.selectors import search_index_reset
from tests.cases.conftest import World
from tests.cases.staff_scene import Scene, scene_build, statuses
from tests.cases.test_permissions import expect
from tests.factories import login_verified

pytestmark = pytest.mark.django_db

HEADER = (
    "name,country,kind,licence_number,licence_status,licence_issued_on,licence_expires_on,"
    "address,phone,website"
)
SAO_MAI = "Công ty Cổ phần Nhân lực Sao Mai,VN,sending_agency,123/LĐTBXH-GP,active,2021-03-01,,,,"
SAO_KHUE = "Công ty TNHH Sao Khuê,VN,sending_agency,456/LĐTBXH-GP,active,2020-01-01,,,,"
SAKURA = "サクラ事業協同組合,JP,supervising_organisation,許1712000123,active,2019-04-01,,,,"


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    cache.clear()
    search_index_reset()
    yield
    cache.clear()
    search_index_reset()


def _listing(*rows: str, as_of: dt.date) -> None:
    data = ("\n".join((HEADER, *rows)) + "\n").encode("utf-8")
    report = agencies_import(actor=None, data=data, filename="list.csv", as_of=as_of)
    assert not report.errors, report.errors


@pytest.fixture
def scene(world: World) -> Scene:
    today = timezone.localdate()
    _listing(SAO_MAI, SAO_KHUE, SAKURA, as_of=today - dt.timedelta(days=30))
    _listing(
        SAO_MAI, SAO_KHUE.replace(",active,", ",revoked,"), SAKURA, as_of=today - dt.timedelta(1)
    )
    return scene_build(world)


def _org(name_start: str) -> Organisation:
    return Organisation.objects.get(name__startswith=name_start)


# --- service ---------------------------------------------------------------------------------


def test_link_and_clear_leave_timeline_and_audit(scene: Scene) -> None:
    cw = scene.world.user("vn", "case_worker")
    sao_mai = _org("Công ty Cổ phần Nhân lực Sao Mai")
    agency.case_agency_set(actor=cw, case=scene.a, agency=sao_mai)
    case = Case.objects.get(pk=scene.a.pk)
    assert case.agency == sao_mai
    assert case.agency_name == "Cty Sao Mai"  # the worker's words are kept
    event = case.timeline.filter(kind="agency").get()
    assert event.data == {"agency": sao_mai.slug, "previous": None}
    audit = AuditEvent.objects.filter(action="case.agency").get()
    assert audit.organisation == scene.world.vn

    agency.case_agency_set(actor=cw, case=case, agency=None)
    assert Case.objects.get(pk=case.pk).agency is None
    assert list(case.timeline.filter(kind="agency").values_list("data", flat=True)) == [
        {"agency": sao_mai.slug, "previous": None},
        {"agency": None, "previous": sao_mai.slug},
    ]
    assert AuditEvent.objects.filter(action="case.agency").count() == 2


@pytest.mark.parametrize(
    ("visitor", "error"),
    [
        ("vn_reviewer", NotFound),  # reviewers open no case
        ("vn_analyst", NotFound),
        ("jp_case_worker", Forbidden),  # referred with consent, but not the owner
        ("other_case_worker", NotFound),
        ("staff", NotFound),
    ],
)
def test_only_writers_of_the_owner_link(scene: Scene, visitor: str, error: type) -> None:
    with pytest.raises(error):
        agency.case_agency_set(
            actor=scene.world.users[visitor], case=scene.a, agency=_org("Công ty TNHH Sao Khuê")
        )
    assert Case.objects.get(pk=scene.a.pk).agency is None
    assert not scene.a.timeline.filter(kind="agency").exists()
    assert not AuditEvent.objects.filter(action="case.agency").exists()


def test_own_and_inactive_organisations_are_refused(scene: Scene) -> None:
    cw = scene.world.user("vn", "case_worker")
    with pytest.raises(InvalidInput) as own:
        agency.case_agency_set(actor=cw, case=scene.a, agency=scene.world.vn)
    assert own.value.field == "agency"
    closed = _org("サクラ")
    Organisation.objects.filter(pk=closed.pk).update(is_active=False)
    closed.refresh_from_db()
    with pytest.raises(InvalidInput):
        agency.case_agency_set(actor=cw, case=scene.a, agency=closed)
    assert Case.objects.get(pk=scene.a.pk).agency is None


def test_candidates_come_ranked_from_the_registry_search(scene: Scene) -> None:
    today = timezone.localdate()
    found = agency.agency_candidates(case=scene.a, text="Sao Mai", on=today)
    assert found[0].organisation == _org("Công ty Cổ phần Nhân lực Sao Mai")
    assert found[0].status == "active"
    by_licence = agency.agency_candidates(case=scene.a, text="456/LĐTBXH-GP", on=today)
    assert by_licence[0].organisation == _org("Công ty TNHH Sao Khuê")
    assert by_licence[0].status == "revoked"
    assert agency.agency_candidates(case=scene.a, text="  ", on=today) == []
    everyone = agency.agency_candidates(case=scene.a, text=scene.world.vn.name, on=today)
    assert scene.world.vn not in [m.organisation for m in everyone]


# --- pages -----------------------------------------------------------------------------------


def test_search_pick_and_show_on_the_case_page(scene: Scene, client: Client) -> None:
    login_verified(client, scene.world.user("vn", "case_worker"))
    url = f"/en/cases/{scene.a.pk}/agency/"
    case_page = client.get(f"/en/cases/{scene.a.pk}/").content.decode()
    assert f'action="{url}"' in case_page  # the small search form on the case page
    html = client.get(url, {"q": "Sao"}).content.decode()
    sao_mai, sao_khue = _org("Công ty Cổ phần Nhân lực Sao Mai"), _org("Công ty TNHH Sao Khuê")
    assert f'name="agency" value="{sao_mai.pk}"' in html
    assert f'name="agency" value="{sao_khue.pk}"' in html
    assert "<script" not in html.split("<main", 1)[1]

    response = client.post(url, {"agency": str(sao_khue.pk)})
    assert response.status_code == 302
    assert response["Location"] == f"/en/cases/{scene.a.pk}/?section=links#s-links"
    page = client.get(response["Location"]).content.decode()
    assert f"The case is linked to {sao_khue.name}." in page
    assert f'href="/en/agencies/{sao_khue.slug}/"' in page
    assert "Revoked" in page and "456/LĐTBXH-GP" in page
    assert "Cty Sao Mai" in page  # the worker's words stay visible

    cleared = client.post(url, {"agency": ""})
    assert cleared.status_code == 302
    assert Case.objects.get(pk=scene.a.pk).agency is None
    assert f"/agencies/{sao_khue.slug}/" not in client.get(cleared["Location"]).content.decode()


def test_a_bad_choice_comes_back_as_a_message(scene: Scene, client: Client) -> None:
    login_verified(client, scene.world.user("vn", "case_worker"))
    url = f"/en/cases/{scene.a.pk}/agency/"
    response = client.post(url, {"agency": "999999"}, follow=True)
    assert "Choose an agency from the list." in response.content.decode()
    own = client.post(url, {"agency": str(scene.world.vn.pk)}, follow=True)
    assert "not the organisation handling the case" in own.content.decode()
    assert Case.objects.get(pk=scene.a.pk).agency is None
    assert client.get(url, {"q": ""}).status_code == 422


def test_the_case_page_read_by_the_receiver_shows_the_agency(scene: Scene, client: Client) -> None:
    sao_mai = _org("Công ty Cổ phần Nhân lực Sao Mai")
    agency.case_agency_set(
        actor=scene.world.user("vn", "case_worker"), case=scene.a, agency=sao_mai
    )
    login_verified(client, scene.world.user("jp", "case_worker"))
    html = client.get(f"/en/cases/{scene.a.pk}/").content.decode()
    assert f'href="/en/agencies/{sao_mai.slug}/"' in html
    assert "Active" in html
    assert f"/en/cases/{scene.a.pk}/agency/" not in html  # no form for the receiver


OWNER_WRITERS = expect(404, vn_writers=200, jp_readers=403)


def test_permission_matrix_search(scene: Scene) -> None:
    url = f"/vi/cases/{scene.a.pk}/agency/"
    assert statuses(scene.world, lambda c: c.get(url, {"q": "Sao Mai"})) == OWNER_WRITERS


def test_permission_matrix_pick(scene: Scene) -> None:
    url = f"/vi/cases/{scene.a.pk}/agency/"
    choice = {"agency": str(_org("Công ty Cổ phần Nhân lực Sao Mai").pk)}
    seen = statuses(scene.world, lambda c: c.post(url, choice))
    assert seen == {**OWNER_WRITERS, "vn_case_worker": 302, "vn_organisation_admin": 302}
    assert AuditEvent.objects.filter(action="case.agency").count() == 2
