"""Item 15: the public grievance API took ``Content-Type: text/plain``, so any web page could
file grievances through its visitors' browsers. JSON bodies must say application/json (415
otherwise) and a browser's cross-site request is refused."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fairpassage.cases.models import Case
from tests.cases.conftest import World, _private_attachments, world
from tests.security.helpers_c import GRIEVANCE

__all__ = ["_private_attachments", "world"]


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_item_15_a_simple_request_content_type_is_415(
    client: Client, world: World, content_type: str
) -> None:
    body = json.dumps({**GRIEVANCE, "idempotency_key": "cross-site-key-0001"})
    response = client.post("/api/grievances", body, content_type=content_type)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}],
)
def test_item_15_a_browser_request_from_another_site_is_refused(
    client: Client, world: World, headers: dict[str, str]
) -> None:
    body = json.dumps({**GRIEVANCE, "idempotency_key": "cross-site-key-0002"})
    response = client.post(
        "/api/grievances", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert not Case.objects.exists()
    # The same request from the site itself, or from a client that is not a browser, files it.
    same = client.post(
        "/api/grievances",
        body,
        content_type="application/json",
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 201
