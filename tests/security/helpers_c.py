"""What the security tests of items 8-17 share: a world of organisations, a grievance, a client
that speaks JSON, and a signed-in case worker with the second factor."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from fairpassage.cases.choices import Category, Stage, WhereNow

GRIEVANCE: dict[str, Any] = {
    "where_now": WhereNow.VIET_NAM,
    "categories": [Category.FEES_DEBT],
    "stage": Stage.BEFORE_DEPARTURE,
    "statement": "Công ty thu 150 triệu đồng",
}


def post_json(client: Client, path: str, body: Any, **headers: str) -> Any:
    """POST ``body`` as JSON text (a ``str`` is sent as it is, so any escape can be written)."""
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, text, content_type="application/json", headers=headers)


def file_by_api(client: Client, key: str = "security-test-key-0001") -> str:
    """File a grievance through the API; its tracking code."""
    response = post_json(client, "/api/grievances", {**GRIEVANCE, "idempotency_key": key})
    assert response.status_code == 201, response.content
    return str(response.json()["tracking_code"])
