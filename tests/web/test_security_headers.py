"""A strict Content-Security-Policy on every page, and no template that would break it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2] / "fairpassage"
#: Rendered to PDF on the server, never served to a browser.
PDF_TEMPLATES = {"letter.html", "_leaflet_style.html", "leaflet.html"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"", re.I)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/vi/", "/en/agencies/", "/api/health"])
def test_every_response_carries_the_policy(client: Client, path: str) -> None:
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_no_template_has_inline_script_style_or_handlers() -> None:
    offenders = []
    for template in ROOT.rglob("templates/**/*.html"):
        if template.name in PDF_TEMPLATES:
            continue
        text = template.read_text("utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_STYLE.search(text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached(client: Client) -> None:
    assert "no-store" not in client.get("/vi/").headers.get("Cache-Control", "")
    client.force_login(UserFactory.create())
    assert client.get("/vi/").headers["Cache-Control"] == "no-store, private"
