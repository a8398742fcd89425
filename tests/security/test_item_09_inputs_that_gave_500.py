"""Item 9: four inputs answered 500; each now answers 4xx naming the field."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fairpassage.cases.models import Case, Claim
from fairpassage.core import services as core_services
from fairpassage.core.models import Role
from tests.cases.conftest import World, _private_attachments, file_grievance, world
from tests.security.helpers_c import GRIEVANCE, post_json

__all__ = ["_private_attachments", "world"]


def _field(response: object) -> str | None:
    return response.json()["error"]["field"]  # type: ignore[attr-defined, no-any-return]


def test_item_09_a_lone_surrogate_in_a_grievance_is_422_naming_the_field(
    client: Client, world: World
) -> None:
    body = json.dumps(
        {**GRIEVANCE, "idempotency_key": "surrogate-key-0001", "statement": "PLACEHOLDER"}
    ).replace("PLACEHOLDER", "x\\ud800y")  # JSON may spell half a UTF-16 pair
    response = post_json(client, "/api/grievances", body)
    assert response.status_code == 422
    assert _field(response) == "statement"
    assert not Case.objects.exists()


def test_item_09_a_json_body_over_the_limit_is_413_naming_the_body(
    client: Client, world: World
) -> None:
    big = {**GRIEVANCE, "statement": "x" * (3 * 1024 * 1024)}
    response = post_json(client, "/api/grievances", big)
    assert response.status_code == 413
    assert _field(response) == "body"
    assert not Case.objects.exists()


def test_item_09_a_claim_amount_of_1e20_is_422_naming_the_amount(
    client: Client, world: World
) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", Role.CASE_WORKER)
    _token, token = core_services.api_token_create(actor=None, user=worker, name="t")
    auth = {"Authorization": f"Bearer {token}"}
    for amount in ("1e20", "100000000000000000000"):
        body = '{"kind": "unpaid_wages", "amount": ' + amount + "}"
        response = post_json(client, f"/api/cases/{case.pk}/claims", body, **auth)
        assert response.status_code == 422, (amount, response.content)
        assert _field(response) == "amount"
    assert not Claim.objects.exists()


@pytest.mark.parametrize("field", ["agency_name", "province", "contact", "where_now"])
def test_item_09_a_nul_byte_in_a_text_field_is_422_naming_it(
    client: Client, world: World, field: str
) -> None:
    body = {**GRIEVANCE, "idempotency_key": "nul-key-000000001", field: "a\x00b"}
    response = post_json(client, "/api/grievances", body)
    assert response.status_code == 422
    assert _field(response) == field
    # The page refuses it the same way, on SQLite as on PostgreSQL.
    form = {**GRIEVANCE, "idempotency_key": "nul-key-000000002", field: "a\x00b"}
    page = client.post("/vi/grievance/", form)
    assert page.status_code in (400, 422)
    assert not Case.objects.exists()
