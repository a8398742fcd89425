"""Survey pages: who may see what, the upload flow, the indicator page and its downloads."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from fairpassage.core.models import Organisation, User
from fairpassage.surveys import services
from fairpassage.surveys.models import ColumnMapping, ImportStatus, Survey, SurveyImport
from tests.factories import OrganisationFactory, UserFactory, login_verified
from tests.surveys.conftest import _member
from tests.surveys.exports import kobo_xlsx


def _processed(analyst: User, survey: Survey) -> SurveyImport:
    record = services.import_start(
        actor=analyst, survey=survey, files={"s.xlsx": kobo_xlsx()}, background=False
    )
    return services.import_process(pk=record.pk)


@pytest.fixture
def visitors(
    analyst: User, case_worker: User, organisation: Organisation
) -> dict[str, User | None]:
    outsider = _member(OrganisationFactory.create(), "analyst")
    admin = _member(organisation, "organisation_admin")
    staff = UserFactory.create(is_staff=True)
    return {
        "anonymous": None,
        "case_worker": case_worker,
        "outsider_analyst": outsider,
        "analyst": analyst,
        "admin": admin,
        "staff": staff,
    }


#          anonymous, case worker, analyst elsewhere, analyst, org admin, platform staff
MATRIX = [
    ("/vi/surveys/", (302, 403, 200, 200, 200, 200)),
    ("/vi/surveys/new/", (302, 403, 200, 200, 200, 200)),
    ("/vi/surveys/{survey}/", (302, 403, 404, 200, 200, 200)),
    ("/vi/surveys/{survey}/mapping/", (302, 403, 404, 200, 200, 200)),
    ("/vi/surveys/{survey}/results.csv", (302, 403, 404, 200, 200, 200)),
    ("/vi/surveys/{survey}/results.xlsx", (302, 403, 404, 200, 200, 200)),
    ("/vi/surveys/imports/{import}/", (302, 403, 404, 200, 200, 200)),
    ("/vi/surveys/questionnaire.xlsx", (200, 200, 200, 200, 200, 200)),
]
WHO = ("anonymous", "case_worker", "outsider_analyst", "analyst", "admin", "staff")


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "expected"), MATRIX)
def test_permission_matrix(
    client: Client,
    visitors: dict[str, User | None],
    analyst: User,
    survey: Survey,
    url: str,
    expected: tuple[int, ...],
) -> None:
    record = _processed(analyst, survey)
    path = url.format(survey=survey.pk, **{"import": record.pk})
    for who, status in zip(WHO, expected, strict=True):
        client.logout()
        visitor = visitors[who]
        if visitor is not None:
            login_verified(client, visitor)
        assert client.get(path).status_code == status, (who, path)


def test_create_upload_and_see_the_indicator(
    client: Client, analyst: User, organisation: Organisation
) -> None:
    login_verified(client, analyst)
    response = client.post(
        "/en/surveys/new/",
        {
            "organisation": organisation.pk,
            "title": "Trainees 2026",
            "currency": "JPY",
            "rates": "VND=0.0061",
            "rates_source": "illustrative",
            "breakdowns": ["sex", "programme"],
            "min_cell": 1,
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get(title="Trainees 2026")
    upload = SimpleUploadedFile("kobo.xlsx", kobo_xlsx())
    response = client.post(f"/en/surveys/{survey.pk}/", {"exports": [upload], "format": "auto"})
    assert response.status_code == 302
    record = SurveyImport.objects.get(survey=survey)
    status_page = client.get(response["Location"])
    assert b'http-equiv="refresh"' in status_page.content  # waiting: the page refreshes
    services.import_process(pk=record.pk)  # what the background worker does
    page = client.get(f"/en/surveys/imports/{record.pk}/")
    assert b"3 respondents" in page.content and b"refresh" not in page.content
    detail = client.get(f"/en/surveys/{survey.pk}/").content.decode()
    assert "Ratio of means (headline)" in detail and "<svg" in detail
    assert "Female" in detail and "Technical intern training" in detail and "Woodruff" in detail
    assert "sex = female" not in detail  # groups in the questionnaire's words, not codes
    assert "Nghệ An" not in detail  # no respondent-level data on the page


def test_bad_rates_show_next_to_the_field(
    client: Client, analyst: User, organisation: Organisation
) -> None:
    login_verified(client, analyst)
    response = client.post(
        "/en/surveys/new/",
        {
            "organisation": organisation.pk,
            "title": "x",
            "currency": "JPY",
            "rates": "VND:1",
            "breakdowns": ["sex"],
            "min_cell": 5,
        },
    )
    assert response.status_code == 422 and b"CODE=NUMBER" in response.content


def test_rejected_import_lists_every_row(client: Client, analyst: User, survey: Survey) -> None:
    login_verified(client, analyst)
    bad = b"_uuid,profile/sex,profile/programme\nu1,x,titp\nu2,female,zzz\n"
    response = client.post(
        f"/vi/surveys/{survey.pk}/",
        {"exports": [SimpleUploadedFile("k.csv", bad)], "format": "kobo_csv"},
    )
    record = SurveyImport.objects.get()
    services.import_process(pk=record.pk)
    page = client.get(response["Location"]).content.decode()
    assert record.__class__.objects.get().status == ImportStatus.REJECTED
    assert page.count("không phải là lựa chọn hợp lệ") == 2


def test_downloads_hold_aggregates_only(client: Client, analyst: User, survey: Survey) -> None:
    _processed(analyst, survey)
    login_verified(client, analyst)
    csv_text = client.get(f"/en/surveys/{survey.pk}/results.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("group,n,suppressed,ratio_of_means")
    assert "overall" in csv_text and "0b7c1a52" not in csv_text
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/en/surveys/{survey.pk}/results.xlsx").content)
    )
    assert book.sheetnames == ["sdg_10_7_1", "descriptive"]
    pdf = client.get(f"/en/surveys/{survey.pk}/results.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = PdfReader(io.BytesIO(pdf.content)).pages[0]
    assert round(float(page.mediabox.width)) == 595  # A4 from the report's stylesheet
    assert "Returnees 2026" in page.extract_text()
    assert client.get(f"/en/surveys/{survey.pk}/results.doc").status_code == 404


def test_saving_a_mapping(client: Client, analyst: User, survey: Survey) -> None:
    login_verified(client, analyst)
    bad = client.post(f"/en/surveys/{survey.pk}/mapping/", {"name": "m", "mapping": "{"})
    assert bad.status_code == 422
    good = client.post(
        f"/en/surveys/{survey.pk}/mapping/",
        {"name": "Old form", "mapping": '{"id_column": "id", "columns": {"sex": "gender"}}'},
    )
    assert good.status_code == 302
    saved = ColumnMapping.objects.get(organisation=survey.organisation)
    assert saved.mapping["columns"] == {"sex": "gender"}
