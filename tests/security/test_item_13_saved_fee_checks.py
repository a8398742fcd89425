"""Issue 13, item 13: a saved fee check is read only by the case roles (administrator, case
worker) of the organisation that saved it. Analysts see aggregates only; platform staff, and
every role of another organisation, read nothing of it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.checks import selectors, services
from fairpassage.checks.models import FeeCheck
from fairpassage.core import services as core_services
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import Organisation, Role, User
from tests.checks.conftest import EXAMPLE
from tests.factories import OrganisationFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db

TITLE = "Chị Lan, hộ chiếu C7654321"
ORGS = ("own", "other")
READERS = {"own_organisation_admin", "own_case_worker"}


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
    out["staff"] = UserFactory.create(username="platform", is_staff=True, is_superuser=True)
    return out


def _save(users: dict[str, User], orgs: dict[str, Organisation], title: str = TITLE) -> FeeCheck:
    return services.fee_check_save(
        actor=users["own_case_worker"],
        organisation=orgs["own"],
        data=json.loads(json.dumps(EXAMPLE)),
        language="vi",
        title=title,
    )


def _client(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_item_13_only_the_saving_organisations_case_roles_read_a_saved_fee_check(
    orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    check = _save(users, orgs)
    for name, user in users.items():
        reads = name in READERS
        assert (check in selectors.fee_checks_visible(user=user)) is reads, name
        client = _client(user)
        detail = client.get(f"/vi/fee-checks/{check.pk}/")
        assert detail.status_code == (200 if reads else 404), name
        listing = client.get("/vi/fee-checks/")
        assert listing.status_code == 200, name
        assert (TITLE in listing.content.decode()) is reads, name


def test_item_13_analysts_see_aggregates_only(
    orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    analyst = users["own_analyst"]
    check = _save(users, orgs)
    figures = selectors.fee_checks_aggregates(user=analyst)
    assert figures == [
        {"organisation": orgs["own"], "n": None, "violations": None, "excess_vnd": None}
    ]
    for n in range(4):
        _save(users, orgs, title=f"check {n}")
    figures = selectors.fee_checks_aggregates(user=analyst)
    assert figures[0]["n"] == 5 and figures[0]["violations"] == 5
    assert figures[0]["excess_vnd"] == 5 * check.excess_vnd
    html = _client(analyst).get("/en/fee-checks/").content.decode()
    assert TITLE not in html and "check 0" not in html
    assert f"/fee-checks/{check.pk}/" not in html
    assert "own-centre" in html or orgs["own"].name in html
    assert selectors.fee_checks_aggregates(user=users["other_analyst"])[0]["n"] is None
    assert selectors.fee_checks_aggregates(user=users["staff"]) == []


def test_item_13_platform_staff_and_reviewers_do_not_save_for_an_organisation(
    orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    example: dict[str, Any] = json.loads(json.dumps(EXAMPLE))
    for name in ("staff", "own_reviewer", "own_analyst", "other_case_worker"):
        with pytest.raises(Forbidden):
            services.fee_check_save(
                actor=users[name], organisation=orgs["own"], data=example, language="vi"
            )
    assert not FeeCheck.objects.exists()
