"""Saved earnings plans: saving from the planner, the saved list and page, who sees what."""

from __future__ import annotations

import copy
import json
import re
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage import law
from fairpassage.checks import services
from fairpassage.checks.models import EarningsPlan
from fairpassage.core import services as core_services
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import AuditEvent, Organisation, Role, User
from fairpassage.reference.services import reference_data_load
from tests.checks.test_earnings import EXAMPLE, PAGE
from tests.factories import OrganisationFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db

ORGS = ("own", "other")
VISITORS = ["anonymous", "outsider", "staff"] + [f"{o}_{r}" for o in ORGS for r in Role.values]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: SettingsWrapper) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def orgs() -> dict[str, Organisation]:
    return {name: OrganisationFactory.create(slug=f"{name}-centre") for name in ORGS}


@pytest.fixture
def users(orgs: dict[str, Organisation]) -> dict[str, User]:
    out: dict[str, User] = {}
    for name, org in orgs.items():
        for role in Role.values:
            user = UserFactory.create(username=f"{name}_{role}")
            core_services.membership_set(actor=None, user=user, organisation=org, role=role)
            out[f"{name}_{role}"] = user
    out["staff"] = UserFactory.create(username="platform", is_staff=True)
    out["outsider"] = UserFactory.create(username="outsider")
    return out


def _client(users: dict[str, User], visitor: str) -> Client:
    client = Client()
    if visitor != "anonymous":
        login_verified(client, users[visitor])
    return client


def _save_body(organisation: Organisation, **extra: Any) -> dict[str, Any]:
    return {"plan_input": json.dumps(EXAMPLE), "organisation": organisation.pk, **extra}


def test_the_saved_figures_are_the_engines(
    orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    client = _client(users, "own_case_worker")
    response = client.post("/vi/earnings/save/", _save_body(orgs["own"], title="Lan, Aichi"))
    saved = EarningsPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/earnings-plans/{saved.pk}/")
    plan = services.earnings_plan_run(data=copy.deepcopy(EXAMPLE), language="vi")
    assert saved.result == json.loads(json.dumps(plan))
    assert saved.input == EXAMPLE
    assert saved.rules_version == law.rules_version() == plan["rules_version"]
    assert saved.law_date.isoformat() == plan["law_date"] == EXAMPLE["on"]
    assert saved.status == plan["summary"]["status"] == "violation"  # under Tokyo's minimum
    assert saved.net_jpy == plan["summary"]["net_jpy"] == plan["pay"]["net"]
    assert saved.remit_jpy == plan["summary"]["remit_jpy"]
    assert saved.debt_principal == plan["debt"]["principal"] == 150_000_000
    assert saved.debt_currency == "VND"
    assert saved.months_to_repay == plan["debt"]["months_to_repay"] > 1
    assert saved.debt_never_repaid is False
    assert (saved.organisation, saved.created_by, saved.title) == (
        orgs["own"],
        users["own_case_worker"],
        "Lan, Aichi",
    )
    event = AuditEvent.objects.get(action="earnings_plan.save")
    assert event.organisation == orgs["own"]
    page = client.get(f"/en/earnings-plans/{saved.pk}/").content.decode()
    assert "Lan, Aichi" in page and "JP-MINIMUM-WAGE" in page and "<polyline" in page
    listing = client.get("/en/fee-checks/").content.decode()
    assert "Lan, Aichi" in listing and f"{saved.months_to_repay}</td>" in listing


def test_a_plan_without_debt_has_no_debt_figures(
    orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    data = {k: v for k, v in EXAMPLE.items() if k not in ("debt", "fx")}
    saved = services.earnings_plan_save(
        actor=users["own_case_worker"], organisation=orgs["own"], data=data, language="en"
    )
    assert saved.debt_principal is None and saved.months_to_repay is None
    assert saved.debt_currency == "" and not saved.debt_never_repaid
    assert saved.net_jpy == saved.result["pay"]["net"]


def test_a_debt_that_grows_is_marked_never_repaid(
    orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["debt"]["annual_interest_rate"] = 2.5
    saved = services.earnings_plan_save(
        actor=users["own_organisation_admin"], organisation=orgs["own"], data=data, language="vi"
    )
    assert saved.months_to_repay is None and saved.debt_never_repaid is True
    html = _client(users, "own_case_worker").get("/en/fee-checks/").content.decode()
    assert "Never: the debt grows" in html


def test_the_service_refuses_an_analyst_and_another_organisation(
    orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    for user, org in (
        (users["own_analyst"], orgs["own"]),
        (users["own_case_worker"], orgs["other"]),
    ):
        with pytest.raises(Forbidden):
            services.earnings_plan_save(actor=user, organisation=org, data=EXAMPLE, language="vi")
    assert not EarningsPlan.objects.exists()
    assert not AuditEvent.objects.filter(action="earnings_plan.save").exists()


def _writers_of(org: str) -> list[str]:
    """A plan is a person's wage and debt: only administrators and case workers save and read."""
    return [f"{org}_{r}" for r in (Role.ORGANISATION_ADMIN, Role.CASE_WORKER)]


def test_permission_matrix(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    saved = services.earnings_plan_save(
        actor=users["own_case_worker"],
        organisation=orgs["own"],
        data=EXAMPLE,
        language="vi",
        title="Plan of Minh",
    )
    save_expected = {v: 403 for v in VISITORS} | {v: 302 for v in _writers_of("own")}
    save_expected["anonymous"] = 302  # to the sign-in page
    detail_expected = {v: 404 for v in VISITORS} | {v: 200 for v in _writers_of("own")}
    detail_expected |= {"anonymous": 302}
    seen_save, seen_detail, seen_list = {}, {}, {}
    for visitor in VISITORS:
        client = _client(users, visitor)
        response = client.post("/vi/earnings/save/", _save_body(orgs["own"]))
        seen_save[visitor] = response.status_code
        if visitor == "anonymous":
            assert "/login/" in response["Location"]
        seen_detail[visitor] = client.get(f"/vi/earnings-plans/{saved.pk}/").status_code
        listing = client.get("/vi/fee-checks/")
        seen_list[visitor] = (listing.status_code, "Plan of Minh" in listing.content.decode())
    assert seen_save == save_expected
    assert seen_detail == detail_expected
    list_expected = {v: (200, False) for v in VISITORS} | {
        v: (200, True) for v in _writers_of("own")
    }
    list_expected |= {"anonymous": (302, False)}
    assert seen_list == list_expected
    saved_by = EarningsPlan.objects.exclude(pk=saved.pk).values_list(
        "created_by__username", flat=True
    )
    assert sorted(saved_by) == sorted(_writers_of("own"))


def test_saving_with_a_broken_input_or_organisation(
    orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    client = _client(users, "own_case_worker")
    response = client.post(
        "/vi/earnings/save/", {"plan_input": "not json", "organisation": orgs["own"].pk}
    )
    assert response.status_code == 422
    assert (
        client.post(
            "/vi/earnings/save/", _save_body(orgs["own"]) | {"organisation": "x"}
        ).status_code
        == 404
    )
    bad = json.dumps({**EXAMPLE, "age": 5})
    response = client.post(
        "/en/earnings/save/", {"plan_input": bad, "organisation": orgs["own"].pk}
    )
    assert response.status_code == 422
    assert not EarningsPlan.objects.exists()
    assert client.get("/vi/earnings/save/").status_code == 405


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, name
    return unescape(found.group(1))


def test_the_planner_offers_saving_to_staff_only(
    orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    anonymous = Client().post("/en/earnings/", PAGE).content.decode()
    analyst = _client(users, "own_analyst").post("/en/earnings/", PAGE).content.decode()
    for html in (anonymous, analyst):
        assert "<polyline" in html and 'name="plan_input"' not in html
    client = _client(users, "own_case_worker")
    html = client.post("/en/earnings/", PAGE).content.decode()
    assert "Save this plan (staff)" in html
    assert 'action="/en/earnings/save/"' in html
    # Only the save form's organisation list (the planner's prefecture list has options too).
    start = html.index('action="/en/earnings/save/"')
    save_form = html[start : html.index("</form>", start)]
    assert f'<option value="{orgs["own"].pk}">' in save_form
    assert f'<option value="{orgs["other"].pk}">' not in save_form
    # The form posts back exactly what the planner computed with.
    response = client.post(
        "/en/earnings/save/",
        {"plan_input": _hidden(html, "plan_input"), "organisation": orgs["own"].pk},
    )
    assert response.status_code == 302
    saved = EarningsPlan.objects.get()
    shown = client.post("/en/earnings/", PAGE).context["plan"]
    assert saved.result["pay"] == shown["pay"] and saved.result["debt"] == shown["debt"]
    # A form error shows no save form.
    html = client.post("/en/earnings/", {**PAGE, "prefecture": ""}).content.decode()
    assert 'name="plan_input"' not in html


def test_the_fee_check_page_still_offers_its_own_saving(
    orgs: dict[str, Organisation], users: dict[str, User], example: dict[str, Any]
) -> None:
    client = _client(users, "own_case_worker")
    body = {"engagement": json.dumps(example), "organisation": orgs["own"].pk}
    assert client.post("/vi/fee-check/save/", body).status_code == 302
    html = client.get("/en/fee-checks/").content.decode()
    assert "No earnings plan has been saved yet." in html
