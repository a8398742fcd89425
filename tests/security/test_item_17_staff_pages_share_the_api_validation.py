"""Item 17: staff pages accepted NUL bytes and inputs the API refuses, and an unknown assignee
id silently unassigned a case. Pages and API now share one validation."""

from __future__ import annotations

import pytest
from django.db.models import Model
from django.test import Client

from fairpassage.cases import services
from fairpassage.cases.models import Claim, Note, Task
from fairpassage.core import services as core_services
from fairpassage.core.models import Role
from tests.cases.conftest import World, _private_attachments, file_grievance, world
from tests.factories import login_verified
from tests.security.helpers_c import post_json

__all__ = ["_private_attachments", "world"]


def _signed_in(client: Client, world: World) -> None:
    login_verified(client, world.user("vn", Role.CASE_WORKER))


@pytest.mark.parametrize(
    ("action", "form", "model"),
    [
        ("task", {"title": "call\x00back"}, Task),
        ("note", {"body": "a\x00b", "language": "vi"}, Note),
        ("claim", {"kind": "unpaid_wages", "currency": "VND\x00"}, Claim),
        ("claim", {"kind": "unpaid_wages", "amount": "100000000000000000000"}, Claim),
    ],
)
def test_item_17_a_staff_page_refuses_what_the_api_refuses(
    client: Client, world: World, action: str, form: dict[str, str], model: type[Model]
) -> None:
    case, _code = file_grievance()
    _signed_in(client, world)
    response = client.post(f"/vi/cases/{case.pk}/do/{action}/", form, follow=True)
    assert response.status_code < 500
    assert not model._default_manager.exists()
    # The API answers the same input with 422 naming the field.
    worker = world.user("vn", Role.CASE_WORKER)
    _token, token = core_services.api_token_create(actor=None, user=worker, name="t")
    path = {"note": "notes", "claim": "claims"}.get(action)
    if path is not None:
        body = dict(form)
        if "amount" in body:
            body["amount"] = int(body["amount"])  # type: ignore[assignment]
        api = post_json(
            client, f"/api/cases/{case.pk}/{path}", body, Authorization=f"Bearer {token}"
        )
        assert api.status_code == 422
    assert not model._default_manager.exists()


@pytest.mark.parametrize("assignee", ["999999", "abc", "1 OR 1=1", "²", "9" * 30])
def test_item_17_an_unknown_assignee_never_unassigns_the_case(
    client: Client, world: World, assignee: str
) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", Role.CASE_WORKER)
    services.case_assign(actor=worker, case=case, assignee=worker)
    _signed_in(client, world)
    response = client.post(f"/vi/cases/{case.pk}/do/assign/", {"assignee": assignee}, follow=True)
    assert response.status_code < 500
    case.refresh_from_db()
    assert case.assigned_to == worker
    texts = [str(m) for m in response.context["messages"]]
    assert texts and all("assigned." not in t for t in texts), texts
    # Leaving the choice empty still unassigns, as the API's empty string does.
    client.post(f"/vi/cases/{case.pk}/do/assign/", {"assignee": ""})
    case.refresh_from_db()
    assert case.assigned_to is None
