"""The public fee-check page, its letter, saved checks and the law page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from fairpassage import law
from fairpassage.checks import forms
from fairpassage.checks.models import FeeCheck
from fairpassage.core import services
from fairpassage.core.models import AuditEvent, Organisation, Role, User
from fairpassage.law.engagement import PAYEES
from tests.checks.conftest import pdf_text_and_fonts
from tests.factories import OrganisationFactory, UserFactory, login_verified

FORM = {
    "programme": "titp",
    "stage": "titp1",
    "prior": "none",
    "contract_months": "36",
    "wage_amount": "180000",
    "wage_currency": "JPY",
    "signed_on": "2025-06-01",
    "departs_on": "2025-09-01",
    "fx_jpy": "170",
    "payments-TOTAL_FORMS": "2",
    "payments-INITIAL_FORMS": "0",
    "payments-MIN_NUM_FORMS": "1",
    "payments-MAX_NUM_FORMS": "50",
    "payments-0-label": "phi dich vu",
    "payments-0-amount": "120000000",
    "payments-0-currency": "VND",
    "payments-1-label": "tien coc",
    "payments-1-amount": "30000000",
    "payments-1-currency": "VND",
}


@pytest.mark.django_db
def test_empty_form_in_vietnamese_with_three_payment_rows(client: Client) -> None:
    html = client.get("/vi/fee-check/").content.decode()
    assert 'name="payments-TOTAL_FORMS" value="3"' in html
    assert "Kiểm tra" in html


@pytest.mark.django_db
def test_a_worker_checks_fees_typed_without_diacritics(client: Client) -> None:
    response = client.post("/vi/fee-check/", FORM)
    assert response.status_code == 200
    report = response.context["report"]
    assert report["summary"]["excess_vnd"] == 28_200_000 + 30_000_000
    html = response.content.decode()
    assert "28.200.000" in html  # the service-fee excess, as the page shows it
    assert "Law 69/2020/QH14" in html
    assert 'name="engagement"' in html  # the letter can be downloaded
    assert not FeeCheck.objects.exists()


@pytest.mark.django_db
def test_rows_are_added_and_removed_without_javascript(client: Client) -> None:
    added = client.post("/vi/fee-check/", {**FORM, "add_row": "1"})
    assert added.status_code == 200
    assert 'name="payments-TOTAL_FORMS" value="3"' in added.content.decode()
    removed = client.post("/vi/fee-check/", {**FORM, "remove_row": "0"})
    html = removed.content.decode()
    assert 'name="payments-TOTAL_FORMS" value="1"' in html
    assert 'value="tien coc"' in html and 'value="phi dich vu"' not in html


@pytest.mark.django_db
def test_htmx_row_change_returns_only_the_payments(client: Client) -> None:
    response = client.post(
        "/vi/fee-check/", {**FORM, "add_row": "1"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<fieldset id="payments">')
    assert "<html" not in html


@pytest.mark.django_db
def test_engine_error_is_shown_next_to_the_field(client: Client) -> None:
    # No dollar rate given, and the reference table starts after a 2018 contract.
    form = {**FORM, "payments-1-currency": "USD", "signed_on": "2018-06-01", "departs_on": ""}
    response = client.post("/en/fee-check/", form)
    assert response.status_code == 422
    # The engine names payments[1].currency: the message sits beside that payment's currency.
    errors = response.context["payments"].forms[1].errors
    assert "USD" in errors["currency"][0]
    assert 'id="id_payments-1-currency_error"' in response.content.decode()


@pytest.mark.django_db
def test_form_error_keeps_what_was_typed(client: Client) -> None:
    response = client.post("/vi/fee-check/", {**FORM, "contract_months": "abc"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="tien coc"' in html and 'role="alert"' in html


@pytest.mark.django_db
def test_letter_pdf_in_vietnamese_with_japanese_copy(
    client: Client, example: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    response = client.post(
        "/vi/fee-check/letter.pdf",
        {
            "engagement": json.dumps(example),
            "recipient": "sending_organisation",
            "organisation_name": "Công ty Sông Hồng",
            "japanese_copy": "1",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, fonts = pdf_text_and_fonts(response.content)
    assert "Công ty Sông Hồng" in text
    assert "28.200.000" in text
    flat = " ".join(text.split())
    assert "Luật Người lao động Việt Nam" in flat and "Law 69/2020/QH14" not in flat
    assert "返還" in text  # the Japanese copy
    # Our font is embedded, and no character fell back to an empty box.
    assert fonts and all("Fair-Passage-Sans" in name for name in fonts)
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]


@pytest.mark.django_db
def test_letter_without_a_check_is_a_clear_error(client: Client) -> None:
    response = client.post("/vi/fee-check/letter.pdf", {"engagement": "not json"})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()


def _staff(organisation: Organisation, role: str) -> User:
    user = UserFactory.create()
    services.membership_set(actor=None, user=user, organisation=organisation, role=role)
    return user


@pytest.mark.django_db
def test_staff_save_a_check_with_its_rules_version(client: Client, example: dict[str, Any]) -> None:
    organisation = OrganisationFactory.create()
    login_verified(client, _staff(organisation, Role.CASE_WORKER))
    response = client.post(
        "/vi/fee-check/save/",
        {
            "engagement": json.dumps(example),
            "organisation": organisation.pk,
            "title": "Hoa",
        },
    )
    check = FeeCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/fee-checks/{check.pk}/")
    assert check.rules_version == law.rules_version()
    assert check.excess_vnd == check.result["summary"]["excess_vnd"] > 0
    assert check.result["findings"][0]["parameters"]  # the values the finding used
    assert AuditEvent.objects.filter(action="fee_check.save").count() == 1
    assert client.get(f"/vi/fee-checks/{check.pk}/").status_code == 200


@pytest.mark.django_db
def test_saving_needs_a_role_in_that_organisation(client: Client, example: dict[str, Any]) -> None:
    own, other = OrganisationFactory.create(), OrganisationFactory.create()
    login_verified(client, _staff(own, Role.ANALYST))
    body = {"engagement": json.dumps(example), "organisation": own.pk}
    assert client.post("/vi/fee-check/save/", body).status_code == 403
    login_verified(client, _staff(own, Role.CASE_WORKER))
    assert client.post("/vi/fee-check/save/", {**body, "organisation": other.pk}).status_code == 403
    assert not FeeCheck.objects.exists()


@pytest.mark.django_db
def test_saved_checks_are_scoped_to_the_organisation(
    client: Client, example: dict[str, Any]
) -> None:
    own, other = OrganisationFactory.create(), OrganisationFactory.create()
    writer = _staff(own, Role.CASE_WORKER)
    login_verified(client, writer)
    client.post("/vi/fee-check/save/", {"engagement": json.dumps(example), "organisation": own.pk})
    check = FeeCheck.objects.get()
    login_verified(client, _staff(other, Role.CASE_WORKER))
    assert client.get(f"/vi/fee-checks/{check.pk}/").status_code == 404
    assert check.title not in client.get("/vi/fee-checks/").content.decode() or not check.title
    client.logout()
    assert client.get(f"/vi/fee-checks/{check.pk}/").status_code == 302


@pytest.mark.django_db
def test_law_page_lists_every_parameter_and_unknowns(client: Client) -> None:
    html = client.get("/en/law/").content.decode()
    for parameter in law.default_store():
        assert parameter.id in html
    assert "not yet known" in html
    assert law.rules_version() in html
    assert "{&#x27;" not in html  # structured values are laid out, not printed as Python


@pytest.mark.django_db
def test_a_guessed_kind_of_cost_is_asked_about_and_corrected_without_javascript(
    client: Client,
) -> None:
    response = client.post("/en/fee-check/", FORM)
    report = response.context["report"]
    deposit = next(f for f in report["findings"] if f["rule"] == "VN-WORKER-DEPOSIT-JAPAN")
    assert deposit["status"] == "violation" and deposit["verified"] is False
    assert deposit["inferred_payments"] == [1]
    html = response.content.decode()
    assert "We read “tien coc” as Deposit — is that right?" in html
    corrections = response.context["corrections"]
    assert [c["field"] for c in corrections] == ["payments-0-category", "payments-1-category"]
    # One tap: the small form posts the same check again with the category chosen.
    again = dict(corrections[1]["hidden"])
    assert again["payments-0-label"] == "phi dich vu" and "payments-1-category" not in again
    again["payments-1-category"] = "housing_deposit"
    corrected = client.post("/en/fee-check/", again).context["report"]
    item = corrected["items"][1]
    assert (item["category"], item["category_source"]) == ("housing_deposit", "given")
    rule = next(f for f in corrected["findings"] if f["rule"] == "VN-WORKER-DEPOSIT-JAPAN")
    assert rule["status"] == "not_applicable"


def test_the_page_offers_every_category_and_payee_of_the_law() -> None:
    assert {c for c, _ in forms.CATEGORIES if c} == set(law.CATEGORIES)
    assert {p for p, _ in forms.PAYEES if p} == set(PAYEES) - {"unknown"}


@pytest.mark.django_db
def test_a_fee_paid_to_a_supervising_organisation_is_not_under_the_vietnamese_cap(
    client: Client,
) -> None:
    form = {
        **FORM,
        "payments-1-label": "kanrihi",
        "payments-1-category": "supervision_fee",
        "payments-1-payee": "jp_supervising_organisation",
    }
    report = client.post("/en/fee-check/", form).context["report"]
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert by_rule["VN-SERVICE-FEE-CAP"]["paid_vnd"] == 120_000_000
    assert by_rule["JP-SUPERVISION-SUPPORT-FEES"]["status"] == "violation"
    assert by_rule["JP-SUPERVISION-SUPPORT-FEES"]["paid_vnd"] == 30_000_000


@pytest.mark.django_db
def test_the_chart_and_the_excess_count_only_binding_rules(client: Client) -> None:
    form = {**FORM, "payments-1-label": "tien lot tay", "payments-1-amount": "3000000"}
    response = client.post("/en/fee-check/", form)
    report = response.context["report"]
    ilo = next(f for f in report["findings"] if f["rule"] == "ILO-ILLEGITIMATE-COST")
    assert (ilo["status"], ilo["paid_vnd"]) == ("advisory", 3_000_000)
    assert report["summary"]["excess_vnd"] == 28_200_000  # the service fee over its cap only
    # One bar per payment; the bribe meets only the ILO standard: a marked note, no allowed bar.
    bars = response.context["result"].bars
    assert [(b.number, b.allowed_vnd, b.note) for b in bars] == [
        (1, 91_800_000, "none"),
        (2, None, "advisory"),
    ]


#: Visitors of the saved fee-check pages: each role of the saving organisation ("own") and of
#: another one, a reviewer of an agency, platform staff, anonymous.
FEE_CHECK_VISITORS = ["anonymous", "staff", "agency_reviewer"] + [
    f"{o}_{r}" for o in ("own", "other") for r in Role.values
]
FEE_CHECK_READERS = {"own_organisation_admin", "own_case_worker"}


@pytest.mark.django_db
def test_saved_fee_check_permission_matrix(example: dict[str, Any]) -> None:
    orgs = {o: OrganisationFactory.create(slug=f"{o}-org") for o in ("own", "other")}
    agency = OrganisationFactory.create(kind="sending_agency")
    users: dict[str, User] = {}
    for o, org in orgs.items():
        for role in Role.values:
            users[f"{o}_{role}"] = _staff(org, role)
    users["agency_reviewer"] = _staff(agency, Role.REVIEWER)
    users["staff"] = UserFactory.create(is_staff=True, is_superuser=True)
    writer = Client()
    login_verified(writer, users["own_case_worker"])
    body = {"engagement": json.dumps(example), "organisation": orgs["own"].pk, "title": "Mai"}
    assert writer.post("/vi/fee-check/save/", body).status_code == 302
    check = FeeCheck.objects.get()
    seen: dict[str, tuple[int, int, bool]] = {}
    for visitor in FEE_CHECK_VISITORS:
        client = Client()
        if visitor != "anonymous":
            login_verified(client, users[visitor])
        listing = client.get("/vi/fee-checks/")
        seen[visitor] = (
            client.post("/vi/fee-check/save/", body).status_code,
            client.get(f"/vi/fee-checks/{check.pk}/").status_code,
            listing.status_code == 200 and ">Mai</a>" in listing.content.decode(),
        )
    expected = {v: (403, 404, False) for v in FEE_CHECK_VISITORS}
    expected |= {v: (302, 200, True) for v in FEE_CHECK_READERS}
    expected["anonymous"] = (302, 302, False)
    assert seen == expected


@pytest.mark.django_db
def test_law_page_shows_the_minimum_wage_table_with_planned_dates(client: Client) -> None:
    html = client.get("/en/law/").content.decode()
    assert "Regional minimum wages in Japan" in html
    assert "東京都" in html and "宮崎県" in html
    assert "1280" in html  # Tokyo FY2026
    assert html.count("date planned, not confirmed") == 2  # Miyazaki and Kagoshima


@pytest.mark.django_db
def test_law_status_page_shows_the_command_output_to_platform_staff(client: Client) -> None:
    login_verified(client, UserFactory.create(is_staff=True))
    html = client.get("/en/law/status/?on=2026-12-07&horizon=365").content.decode()
    assert "vn.service_fee.jp.other" in html and "Circular 09/2026" in html
    assert "jp.minimum_wage.regional.45" in html
    assert client.get("/en/law/status/?on=tomorrow").status_code == 422


@pytest.mark.django_db
def test_the_form_takes_the_new_questions_of_issue_14(client: Client) -> None:
    small = {**FORM, "payments-0-amount": "10000000", "payments-1-amount": "0"}
    # a stage-3 trainee who does not say whether the organisations changed: both ceilings
    html = client.post("/en/fee-check/", {**small, "stage": "titp3"}).content.decode()
    assert "depends on whether the sending enterprise" in html
    same = client.post(
        "/en/fee-check/", {**small, "stage": "titp3", "same_sending_and_supervising": "yes"}
    ).content.decode()
    assert "depends on whether the sending enterprise" not in same
    # a public non-business unit may collect no service fee
    public = client.post("/en/fee-check/", {**small, "sender": "public_unit"}).content.decode()
    assert "VND 10,000,000 over the ceiling of VND 0" in public
    # what the Japanese side paid lowers the worker's share
    paid = {**FORM, "japanese_paid_amount": "100000", "japanese_paid_currency": "JPY"}
    paid["payments-0-amount"] = "90000000"
    html = client.post("/en/fee-check/", paid).content.decode()
    assert "over the ceiling of VND 74,800,000" in html
