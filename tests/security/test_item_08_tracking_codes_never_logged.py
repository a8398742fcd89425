"""Item 8: tracking codes reached the logs because the API carried them in the address. Codes
now travel in a POST body or a header only, the old addresses answer 410 without a lookup, and
a filter on every handler (Django's, the development server's request log, gunicorn's access
and error logs) masks anything shaped like a code."""

from __future__ import annotations

import copy
import importlib.util
import io
import logging
import logging.config
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from fairpassage.cases import codes
from fairpassage.core.logmask import mask
from tests.cases.conftest import World, _private_attachments, world
from tests.security.helpers_c import file_by_api, post_json

__all__ = ["_private_attachments", "world"]

GUNICORN_CONF = Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"


def _captured(config: dict[str, Any], stream: io.StringIO) -> dict[str, Any]:
    """``config`` with every handler writing to ``stream`` (mail to admins left out)."""
    config = copy.deepcopy(config)
    for name, handler in config["handlers"].items():
        if "Stream" in handler.get("class", ""):
            handler["stream"] = stream
        else:
            config["handlers"][name] = {"class": "logging.NullHandler"}
    return config


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Everything the settings' logging writes, as the configured handlers write it."""
    stream = io.StringIO()
    logging.config.dictConfig(_captured(settings.LOGGING, stream))
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def _gunicorn_config() -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("gunicorn_conf", GUNICORN_CONF)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.logconfig_dict)


def _spellings(code: str) -> list[str]:
    shown = codes.display(code)
    return [code, shown, code.lower(), shown.lower(), shown.replace("-", "%2D")]


def test_item_08_following_a_grievance_leaves_no_code_in_any_log(
    client: Client, world: World, logs: io.StringIO
) -> None:
    code = codes.normalise(file_by_api(client))
    # The API: the code in the body, or in a header, never in the address.
    status = post_json(client, "/api/grievances/track", {"code": code})
    assert status.status_code == 200 and status.json()["status"] == "intake"
    by_header = post_json(client, "/api/grievances/track", {}, **{"Tracking-Code": code})
    assert by_header.status_code == 200
    sent = post_json(client, "/api/grievances/track/messages", {"code": code, "body": "hello"})
    assert sent.status_code == 201
    # The old addresses answer 410 pointing to the new ones, without looking the code up.
    old = client.get(f"/api/grievances/{codes.display(code)}")
    assert old.status_code == 410 and "/api/grievances/track" in old.json()["error"]["message"]
    old_message = post_json(client, f"/api/grievances/{code}/messages", {"body": "x"})
    assert old_message.status_code == 410
    # The page: the form posts the code in the body; no redirect or link carries it.
    page = client.get("/vi/grievance/track/")
    assert 'method="post"' in page.content.decode()
    followed = client.post("/vi/grievance/track/", {"code": code, "body": "Tôi cần giúp"})
    assert followed.status_code == 200  # answered in place: no redirect to an address
    html = followed.content.decode()
    for form_tag in html.split("<form")[1:]:
        action = form_tag.split(">", 1)[0]
        assert 'method="post"' in action and code not in action
    assert "Tôi cần giúp" in html
    # Django logs what went wrong with the address (a 410 is a client error: logged), the
    # development server logs each request line; both through the configured handlers.
    logging.getLogger("django.server").info('"GET /api/grievances/%s HTTP/1.1" 410 99', code)
    logging.getLogger("django.request").warning("Gone: /api/grievances/%s", codes.display(code))
    try:
        raise ValueError(f"no case for {codes.display(code).lower()}")
    except ValueError:
        logging.getLogger("fairpassage").exception("lookup failed")
    written = logs.getvalue()
    assert "/api/grievances/" in written and "lookup failed" in written
    for spelling in _spellings(code):
        assert spelling not in written, spelling
    assert "[tracking code]" in written


def test_item_08_gunicorn_access_and_error_logs_mask_codes(world: World) -> None:
    code = codes.code_for_key("gunicorn-log-key-0001")
    stream = io.StringIO()
    logging.config.dictConfig(_captured(_gunicorn_config(), stream))
    try:
        access = logging.getLogger("gunicorn.access")
        atoms = {"r": f"GET /api/grievances/{codes.display(code)} HTTP/1.1", "s": "410"}
        access.info('%(r)s" %(s)s', atoms)
        logging.getLogger("gunicorn.error").error("Error handling request /%s/messages", code)
    finally:
        logging.config.dictConfig(settings.LOGGING)
    written = stream.getvalue()
    assert "GET /api/grievances/" in written and "Error handling request" in written
    for spelling in _spellings(code):
        assert spelling not in written, spelling


def test_item_08_the_mask_keeps_what_is_not_a_code() -> None:
    kept = [
        "vn-support-centre-hanoi",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "ABCD-EFGH-JKMN-PQRS-TVWXY",
        "Internal Server Error: /api/cases/12/claims",
    ]
    for text in kept:
        assert mask(text) == text
    code = codes.code_for_key("mask-key-000000001")
    assert mask(f"/{code}/") == "/[tracking code]/"
