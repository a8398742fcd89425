"""Agency search never reassures falsely: how each result matched, and what the page says when
no record carries the name typed (issue 15, item 6)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fairpassage.cli import main
from fairpassage.registry.imports import agencies_import
from tests.registry.conftest import csv_bytes
from tests.registry.test_imports import NOV_1, NOV_20, SAKURA, SAO_MAI

pytestmark = pytest.mark.django_db

NOT_LISTED = "nhan luc quoc te abc"


@pytest.fixture
def listed() -> None:
    agencies_import(actor=None, data=csv_bytes(SAO_MAI, SAKURA), filename="l.csv", as_of=NOV_1)
    revoked = SAO_MAI.replace(",active,", ",revoked,")
    agencies_import(actor=None, data=csv_bytes(revoked, SAKURA), filename="l.csv", as_of=NOV_20)


@pytest.mark.parametrize(
    ("query", "quality"),
    [
        ("123/LĐTBXH-GP", "exact_licence"),
        ("Công ty Cổ phần Nhân lực Sao Mai", "exact_name"),
        ("cong ty co phan nhan luc sao mai", "name_without_diacritics"),
        ("Nhân lực Sao Mai", "same_name_other_form"),
        ("Sao Mai Nhân lực", "word_order"),
    ],
)
def test_api_says_how_each_result_matched(
    client: Client, listed: None, query: str, quality: str
) -> None:
    found = client.get("/api/agencies", {"q": query}).json()
    assert found[0]["name"] == "Công ty Cổ phần Nhân lực Sao Mai"
    assert found[0]["match_quality"] == quality


def test_a_name_not_listed_is_only_similar(client: Client, listed: None) -> None:
    found = client.get("/api/agencies", {"q": NOT_LISTED}).json()
    assert found, "a near name is still shown"
    assert {r["match_quality"] for r in found} == {"similar"}


def test_cli_search_gives_the_match_quality(
    listed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agencies", "search", NOT_LISTED]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed and all(r["match_quality"] == "similar" for r in printed)


def test_page_says_first_that_the_name_is_not_on_the_lists(client: Client, listed: None) -> None:
    page = client.get("/vi/agencies/", {"q": NOT_LISTED, "on": "2026-11-10"})
    html = page.content.decode()
    assert page.status_code == 200
    warning = html.index('class="not-found"')
    assert NOT_LISTED in html[warning : warning + 400]
    # the lists held, with their date, before any result
    assert "20/11/2026" in html[warning:] or "20-11-2026" in html[warning:]
    similar = html.index('class="results similar"')
    assert warning < similar
    assert html.index("Sao Mai") > warning
    assert 'class="results"' not in html  # no result presented as the agency asked about


def test_page_shows_a_named_agency_without_the_warning(client: Client, listed: None) -> None:
    html = client.get("/vi/agencies/", {"q": "123/LĐTBXH-GP", "on": "2026-11-10"}).content
    assert b'class="not-found"' not in html
    assert b"licence-valid" in html


def test_revoked_licence_is_a_warning_not_a_licence(client: Client, listed: None) -> None:
    html = client.get("/vi/agencies/", {"q": "123/LĐTBXH-GP", "on": "2026-11-21"}).content.decode()
    assert "licence-warning" in html and "licence-valid" not in html
    assert "⚠" in html
    assert 'class="licence-alert"' in html
