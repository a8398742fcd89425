"""The same search on the command line and the API; the pages and who may open them."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fairpassage.checks.models import FeeCheck
from fairpassage.cli import main
from fairpassage.core import services as core_services
from fairpassage.core.models import Organisation, OrganisationKind, Role, User
from fairpassage.registry.imports import agencies_import
from fairpassage.registry.models import AgencyReview
from fairpassage.registry.services import review_submit
from tests.checks.conftest import EXAMPLE
from tests.factories import OrganisationFactory, UserFactory, login_verified
from tests.registry.conftest import csv_bytes
from tests.registry.test_imports import NOV_1, NOV_20, SAKURA, SAO_MAI

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed() -> None:
    agencies_import(actor=None, data=csv_bytes(SAO_MAI, SAKURA), filename="l.csv", as_of=NOV_1)
    revoked = SAO_MAI.replace(",active,", ",revoked,")
    agencies_import(actor=None, data=csv_bytes(revoked, SAKURA), filename="l.csv", as_of=NOV_20)


def test_api_search_gives_the_status_on_the_date(client: Client, listed: None) -> None:
    before = client.get("/api/agencies", {"q": "cty cp nhan luc sao mai", "on": "2026-11-19"})
    after = client.get("/api/agencies", {"q": "cty cp nhan luc sao mai", "on": "2026-11-20"})
    assert before.status_code == after.status_code == 200
    assert before.json()[0]["name"] == "Công ty Cổ phần Nhân lực Sao Mai"
    assert (before.json()[0]["status"], after.json()[0]["status"]) == ("active", "revoked")
    assert before.json()[0]["licence_number"] == "123/LĐTBXH-GP"


def test_api_country_filter_and_half_width(client: Client, listed: None) -> None:
    found = client.get("/api/agencies", {"q": "ｻｸﾗ", "country": "JP"}).json()
    assert [r["name"] for r in found][:1] == ["サクラ事業協同組合"]
    assert client.get("/api/agencies", {"q": "ｻｸﾗ", "country": "VN"}).json() == []


def test_api_bad_input_names_the_field(client: Client) -> None:
    response = client.get("/api/agencies", {"q": "x", "on": "2026-13-01"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "on"


def test_api_agency_record(client: Client, listed: None) -> None:
    org = Organisation.objects.get(name="Công ty Cổ phần Nhân lực Sao Mai")
    record = client.get(f"/api/agencies/{org.slug}", {"on": "2026-11-19"}).json()
    assert record["licensed"] is True
    assert [h["status"] for h in record["licences"][0]["history"]] == ["active", "revoked"]
    assert record["reports"] == {"n": 0, "suppressed": True}
    assert client.get("/api/agencies/nope").status_code == 404


def test_api_report_is_accepted_for_moderation(client: Client, listed: None) -> None:
    org = Organisation.objects.get(name="サクラ事業協同組合")
    response = client.post(
        f"/api/agencies/{org.slug}/reports",
        {"fees_honesty": 1, "contract_kept": 2, "support": 3, "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 202
    assert AgencyReview.objects.get().status == "pending"
    bad = client.post(
        f"/api/agencies/{org.slug}/reports",
        {"fees_honesty": 0, "contract_kept": 2, "support": 3},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "fees_honesty"


def test_cli_search_prints_json(listed: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agencies", "search", "123 ldtbxh gp", "--on", "2026-11-20"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["status"] == "revoked" and found[0]["country"] == "VN"
    assert set(found[0]) >= {"name", "country", "licence_number", "status", "score"}


def test_cli_import_dry_run_and_bad_file(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "list.csv"  # type: ignore[operator]
    good.write_bytes(csv_bytes(SAO_MAI))
    assert main(["--lang", "en", "agencies", "import", str(good), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["created"] == 1 and "dry run" in err
    assert Organisation.objects.count() == 0
    bad = tmp_path / "bad.csv"  # type: ignore[operator]
    bad.write_bytes(csv_bytes(SAO_MAI.replace("2021-03-01", "01.13.2021")))
    assert main(["--lang", "en", "agencies", "import", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["errors"][0] == {
        "row": 2,
        "column": "licence_issued_on",
        "message": "“01.13.2021” is not a date (use YYYY-MM-DD).",
    }
    assert "nothing was changed" in err
    assert main(["agencies", "import", str(tmp_path / "missing.csv")]) == 2  # type: ignore[operator]


@pytest.fixture
def people() -> dict[str, User | None]:
    agency = OrganisationFactory.create(slug="the-agency", kind=OrganisationKind.SENDING_AGENCY)
    other = OrganisationFactory.create()
    employer = OrganisationFactory.create(kind=OrganisationKind.EMPLOYER)
    public_body = OrganisationFactory.create(kind=OrganisationKind.GOVERNMENT_BODY)
    users: dict[str, User | None] = {"anonymous": None}
    for name, org, role in (
        ("reviewer", other, Role.REVIEWER),
        ("agency_staff", agency, Role.ORGANISATION_ADMIN),
        ("case_worker", other, Role.CASE_WORKER),
        ("accused_reviewer", agency, Role.REVIEWER),
        ("employer_reviewer", employer, Role.REVIEWER),
        ("public_body_reviewer", public_body, Role.REVIEWER),
    ):
        user = UserFactory.create()
        core_services.membership_set(actor=None, user=user, organisation=org, role=role)
        users[name] = user
    users["staff"] = UserFactory.create(is_staff=True)
    review = review_submit(
        organisation=agency,
        stars={"fees_honesty": 1, "contract_kept": 1, "support": 1},
        text="t",
        language="vi",
        client="c",
    )
    review.status = "published"
    review.save()
    review_submit(  # waiting for moderation: only moderators outside the agency read it
        organisation=agency,
        stars={"fees_honesty": 1, "contract_kept": 1, "support": 1},
        text=PENDING_WORDING,
        language="vi",
        client="c",
    )
    return users


PENDING_WORDING = "Giám đốc giữ hộ chiếu của tôi"
VISITORS = [
    "anonymous",
    "reviewer",
    "agency_staff",
    "case_worker",
    "staff",
    "accused_reviewer",
    "employer_reviewer",
    "public_body_reviewer",
]


PAGES = [
    "/vi/agencies/?q=abc",
    "/vi/agencies/the-agency/",
    "/vi/agencies/the-agency/report/",
    "/vi/help/",
]
MATRIX = {
    # page: expected status per user
    "/vi/agencies/reports/moderate/": {
        "anonymous": 302,
        "reviewer": 200,
        "agency_staff": 403,
        "case_worker": 403,
        "staff": 200,
        "accused_reviewer": 403,
        "employer_reviewer": 403,
        "public_body_reviewer": 200,
    },
    "/vi/agencies/import/": {
        "anonymous": 302,
        "reviewer": 403,
        "agency_staff": 403,
        "case_worker": 403,
        "staff": 200,
        "accused_reviewer": 403,
        "employer_reviewer": 403,
        "public_body_reviewer": 403,
    },
    "REPLY": {
        "anonymous": 302,
        "reviewer": 403,
        "agency_staff": 200,
        "case_worker": 403,
        "staff": 403,
        "accused_reviewer": 200,
        "employer_reviewer": 403,
        "public_body_reviewer": 403,
    },
}
#: Who reads the pending report's wording (on the moderation page): moderators outside the agency.
READS_PENDING = {"reviewer", "staff", "public_body_reviewer"}


@pytest.mark.parametrize("who", VISITORS)
def test_permission_matrix(client: Client, people: dict[str, User | None], who: str) -> None:
    user = people[who]
    if user is not None:
        login_verified(client, user)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        assert PENDING_WORDING not in response.content.decode(), page
    review = AgencyReview.objects.get(status="published")
    for page, expected in MATRIX.items():
        url = f"/vi/agencies/reports/{review.pk}/reply/" if page == "REPLY" else page
        response = client.get(url)
        assert response.status_code == expected[who], (url, who)
        shown = PENDING_WORDING in response.content.decode()
        assert shown is (page == "/vi/agencies/reports/moderate/" and who in READS_PENDING)


def test_fee_checks_naming_an_agency_are_counted_from_five(client: Client, listed: None) -> None:
    own = OrganisationFactory.create()
    worker = UserFactory.create()
    core_services.membership_set(actor=None, user=worker, organisation=own, role=Role.CASE_WORKER)
    login_verified(client, worker)
    agency = Organisation.objects.get(name="Công ty Cổ phần Nhân lực Sao Mai")
    body = {"engagement": json.dumps(EXAMPLE), "organisation": own.pk}
    for n in range(5):
        page = client.get(f"/en/agencies/{agency.slug}/").content.decode()
        assert ("Fewer than 5 saved fee checks" in page) is True, n
        response = client.post("/en/fee-check/save/", {**body, "agency": "cty cp nhan luc sao mai"})
        assert response.status_code == 302
    assert FeeCheck.objects.filter(agency=agency).count() == 5
    summary = client.get(f"/api/agencies/{agency.slug}").json()["fee_checks"]
    assert summary["n"] == 5 and summary["suppressed"] is False
    assert summary["violations"] == 5 and summary["excess_vnd"] > 0
    unknown = client.post("/en/fee-check/save/", {**body, "agency": "Nobody Known Ltd"})
    assert unknown.status_code == 422
    assert FeeCheck.objects.count() == 5
