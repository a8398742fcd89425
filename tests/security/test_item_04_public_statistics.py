"""Issue 13, item 4: public figures name only registry agencies that staff linked to cases, and
only when at least five cases fall in the cell; what a worker typed never leaves the case.

A single anonymous grievance naming "Công ty Bóng Đêm" must not put that name, nor any row that
tells the agency a complaint exists, on the public statistics page. The agency pages' public
totals (saved fee checks naming the agency) give no number under five.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.cases import stats
from fairpassage.cases.models import Case
from fairpassage.checks import services as checks_services
from fairpassage.core.models import Organisation, OrganisationKind, Role
from tests.cases.conftest import World, file_grievance, world  # noqa: F401
from tests.checks.conftest import EXAMPLE
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TYPED = "Công ty Bóng Đêm Xuất khẩu"


@pytest.fixture(autouse=True)
def _limits(settings: SettingsWrapper) -> None:
    settings.FAIRPASSAGE_RATE_LIMITS = {"grievance": 1000, "track": 1000, "message": 1000}


def _agency(name: str) -> Organisation:
    return OrganisationFactory.create(name=name, kind=OrganisationKind.SENDING_AGENCY)


def _grievances(n: int, *, agency: Organisation | None = None, typed: str = "") -> None:
    for _ in range(n):
        case, _code = file_grievance(agency_name=typed)
        if agency is not None:  # linked by the receiving organisation's staff
            Case.objects.filter(pk=case.pk).update(agency=agency)


def _agency_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return next(b["rows"] for b in figures["breakdowns"] if b["key"] == "agency")


def test_item_04_free_text_agency_names_never_reach_public_figures(
    client: Client,
    world: World,  # noqa: F811
) -> None:
    _grievances(1, typed=TYPED)
    _grievances(6, typed=TYPED)  # even many grievances typing the same name
    html = client.get("/en/grievance/statistics/").content.decode()
    assert "Bóng Đêm" not in html
    labels = [row["label"] for row in _agency_rows(stats.aggregate(Case.objects.all()))]
    assert all("Bóng Đêm" not in str(label) for label in labels)


def test_item_04_a_registry_agency_is_named_only_from_five_linked_cases(
    client: Client,
    world: World,  # noqa: F811
) -> None:
    few, many = _agency("Sao Mai Few Manpower"), _agency("Hong Ha Many Manpower")
    _grievances(4, agency=few)
    _grievances(5, agency=many)
    html = client.get("/en/grievance/statistics/").content.decode()
    assert "Sao Mai Few" not in html
    assert re.search(r"Hong Ha Many Manpower</td><td class=\"num\">5<", html)
    rows = _agency_rows(stats.aggregate(Case.objects.all()))
    assert all(row["count"] is None or row["count"] >= stats.SUPPRESS_BELOW for row in rows)
    assert [r["label"] for r in rows if r["count"] == 5] == ["Hong Ha Many Manpower"]


def test_item_04_no_row_of_the_public_figures_names_a_small_place(
    client: Client,
    world: World,  # noqa: F811
) -> None:
    _grievances(1, typed=TYPED)
    figures = stats.aggregate(Case.objects.all())
    for breakdown in figures["breakdowns"]:
        if breakdown["key"] in {"agency", "province"}:
            for row in breakdown["rows"]:
                assert row["count"] is not None or row["key"] == stats.OTHER, row


def _save_check(world: World, agency: Organisation, data: dict[str, Any]) -> str:  # noqa: F811
    check = checks_services.fee_check_save(
        actor=world.user("vn", Role.CASE_WORKER),
        organisation=world.vn,
        data=json.loads(json.dumps(data)),
        language="vi",
        agency=agency,
    )
    return check.status


def test_item_04_the_agency_page_gives_no_count_of_fee_checks_under_five(
    client: Client,
    world: World,  # noqa: F811
) -> None:
    agency = _agency("Kanto Checked Manpower")
    lawful = {**EXAMPLE, "payments": [EXAMPLE["payments"][0] | {"amount": 1_000_000}]}
    for n in range(4):
        record = client.get(f"/api/agencies/{agency.slug}").json()["fee_checks"]
        assert record == {"n": None, "suppressed": True}, n
        assert _save_check(world, agency, lawful) != "violation"
    assert _save_check(world, agency, EXAMPLE) == "violation"
    record = client.get(f"/api/agencies/{agency.slug}").json()["fee_checks"]
    assert record["n"] == 5 and record["suppressed"] is False
    # One violation among five: that sub-cell (and the one excess behind it) stays hidden.
    assert record["violations"] is None and record["excess_vnd"] is None
    page = client.get(f"/en/agencies/{agency.slug}/").content.decode()
    assert "Kanto Checked Manpower" in page and "5" in page
