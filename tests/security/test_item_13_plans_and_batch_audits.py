"""Issue 13, item 13, the same rule for the other saved work of the fee-check area: a saved
earnings plan (a person's wage and debt) is read only by the administrators and case workers of
the organisation that saved it, and a batch audit (a book of contracts) only by members of its
organisation who may run one. Platform staff and another organisation read neither.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.checks import services
from fairpassage.checks.models import BatchAudit
from fairpassage.core import services as core_services
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import Organisation, Role, User
from fairpassage.law.batch_io import frames_from_inputs
from tests.checks.conftest import EXAMPLE
from tests.checks.test_saved_plans import EXAMPLE as PLAN_EXAMPLE
from tests.factories import OrganisationFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: SettingsWrapper, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.BATCH_AUDIT_DIR = tmp_path


def _member(org: Organisation, role: str) -> User:
    user = UserFactory.create()
    core_services.membership_set(actor=None, user=user, organisation=org, role=role)
    return user


def _visitors(own: Organisation) -> dict[str, User]:
    other = OrganisationFactory.create()
    return {
        "platform staff": UserFactory.create(is_staff=True, is_superuser=True),
        "own analyst": _member(own, Role.ANALYST),
        "own reviewer": _member(own, Role.REVIEWER),
        "other administrator": _member(other, Role.ORGANISATION_ADMIN),
    }


def test_item_13_a_saved_earnings_plan_is_read_only_by_its_case_roles() -> None:
    own = OrganisationFactory.create()
    plan = services.earnings_plan_save(
        actor=_member(own, Role.CASE_WORKER),
        organisation=own,
        data=copy.deepcopy(PLAN_EXAMPLE),
        language="vi",
        title="Anh Minh, nợ 120 triệu",
    )
    for who, user in _visitors(own).items():
        client = Client()
        login_verified(client, user)
        assert client.get(f"/vi/earnings-plans/{plan.pk}/").status_code == 404, who
        assert "Anh Minh" not in client.get("/vi/fee-checks/").content.decode(), who
        with pytest.raises(Forbidden):
            services.earnings_plan_save(
                actor=user, organisation=own, data=copy.deepcopy(PLAN_EXAMPLE), language="vi"
            )


def test_item_13_a_batch_audit_is_not_read_by_platform_staff_or_another_organisation() -> None:
    own = OrganisationFactory.create()
    runner = _member(own, Role.ANALYST)
    engagements, payments = frames_from_inputs([("E1", "A1", copy.deepcopy(EXAMPLE))])
    client = Client()
    login_verified(client, runner)
    response = client.post(
        "/en/fee-checks/batch/",
        {
            "organisation": own.pk,
            "engagements": SimpleUploadedFile("engagements.csv", engagements.write_csv().encode()),
            "payments": SimpleUploadedFile("payments.csv", payments.write_csv().encode()),
        },
    )
    assert response.status_code == 302
    audit = BatchAudit.objects.get()
    for who, user in _visitors(own).items():
        if who in ("own analyst",):
            continue  # an analyst of the organisation runs its audits
        client = Client()
        login_verified(client, user)
        assert client.get(f"/en/fee-checks/batch/{audit.pk}/").status_code == 404, who
        assert (
            client.get("/en/fee-checks/batch/").content.decode().count(f"/batch/{audit.pk}/") == 0
        ), who
