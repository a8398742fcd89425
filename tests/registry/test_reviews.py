"""Worker reports on agencies: moderation, redaction, rate limit, one reply, suppression."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from fairpassage.core import services as core_services
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput, TooManyRequests
from fairpassage.core.models import AuditEvent, Organisation, OrganisationKind, Role, User
from fairpassage.registry import selectors, services
from fairpassage.registry.models import AgencyReview, ReviewStatus
from fairpassage.registry.redact import redact
from tests.factories import OrganisationFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db
STARS = {"fees_honesty": 2, "contract_kept": 3, "support": 4}


@pytest.fixture
def agency() -> Organisation:
    return OrganisationFactory.create(
        name="Công ty Cổ phần Sao Mai", kind=OrganisationKind.SENDING_AGENCY
    )


@pytest.fixture
def reviewer() -> User:
    user = UserFactory.create()
    core_services.membership_set(
        actor=None, user=user, organisation=OrganisationFactory.create(), role=Role.REVIEWER
    )
    return user


def _submit(agency: Organisation, text: str = "", client: str = "10.0.0.1") -> AgencyReview:
    return services.review_submit(
        organisation=agency, stars=STARS, text=text, language="vi", client=client
    )


def test_a_report_is_held_and_published_redacted(agency: Organisation, reviewer: User) -> None:
    review = _submit(agency, "Anh Tuấn gọi 0901 234 567 đòi thêm 2000 USD.")
    assert review.status == ReviewStatus.PENDING
    assert list(selectors.reviews_published(agency)) == []
    services.review_moderate(actor=reviewer, review=review, publish=True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert "0901" not in review.published_text and "Tuấn" not in review.published_text
    assert "2000 USD" in review.published_text
    with pytest.raises(Conflict):
        services.review_moderate(actor=reviewer, review=review, publish=False)


def test_only_reviewers_moderate(agency: Organisation) -> None:
    review = _submit(agency)
    case_worker = UserFactory.create()
    core_services.membership_set(
        actor=None, user=case_worker, organisation=agency, role=Role.CASE_WORKER
    )
    with pytest.raises(Forbidden):
        services.review_moderate(actor=case_worker, review=review, publish=True)


def test_reports_are_rate_limited_per_address(agency: Organisation) -> None:
    for _ in range(services.REVIEWS_PER_HOUR):
        _submit(agency, client="10.0.0.9")
    with pytest.raises(TooManyRequests):
        _submit(agency, client="10.0.0.9")
    _submit(agency, client="10.0.0.10")


def test_bad_stars_name_the_field(agency: Organisation) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.review_submit(
            organisation=agency,
            stars={**STARS, "support": 6},
            text="",
            language="vi",
            client="x",
        )
    assert caught.value.field == "support"


def test_the_agency_replies_once(agency: Organisation, reviewer: User) -> None:
    review = _submit(agency)
    staff = UserFactory.create()
    core_services.membership_set(
        actor=None, user=staff, organisation=agency, role=Role.ORGANISATION_ADMIN
    )
    with pytest.raises(Conflict):  # not yet published
        services.reply_post(actor=staff, review=review, text="Chúng tôi đã hoàn tiền.")
    services.review_moderate(actor=reviewer, review=review, publish=True)
    with pytest.raises(Forbidden):
        services.reply_post(actor=reviewer, review=review, text="not theirs")
    services.reply_post(actor=staff, review=review, text="Chúng tôi đã hoàn tiền.")
    with pytest.raises(Conflict):
        services.reply_post(actor=staff, review=review, text="again")


def test_averages_are_suppressed_under_five(agency: Organisation, reviewer: User) -> None:
    for n in range(5):
        review = _submit(agency, client=f"c{n}")
        services.review_moderate(actor=reviewer, review=review, publish=True)
        summary = selectors.reviews_summary(agency)
        assert summary["suppressed"] is (n < 4)
    assert summary == {
        "n": 5,
        "suppressed": False,
        "fees_honesty": 2.0,
        "contract_kept": 3.0,
        "support": 4.0,
    }


def test_the_reporter_is_never_stored_or_shown(
    client: Client, agency: Organisation, reviewer: User
) -> None:
    response = client.post(
        f"/vi/agencies/{agency.slug}/report/",
        {**STARS, "text": "Họ giữ hộ chiếu của tôi."},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    review = AgencyReview.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_agencyreview")
        stored = " ".join(str(v) for v in cursor.fetchone())
    assert "203.0.113.7" not in stored
    assert "hộ chiếu" not in stored  # the text is encrypted at rest
    services.review_moderate(actor=reviewer, review=review, publish=True)
    page = client.get(f"/vi/agencies/{agency.slug}/").content.decode()
    assert "Họ giữ hộ chiếu của tôi." in page


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("Gọi +84 912-345-678 nhé", "912", "Gọi"),
        ("email: ten.toi@gmail.com", "gmail", "email"),
        ("Bà Nguyễn Thị Lan thu tiền", "Lan", "thu tiền"),
        ("田中さんに電話した", "田中", "電話"),
        ("Văn phòng ở Hà Nội, Hồ Chí Minh", "@@", "Hà Nội, Hồ Chí Minh"),
        ("Phí 3.600 USD năm 2024", "@@", "3.600 USD năm 2024"),
    ],
)
def test_redaction(text: str, gone: str, kept: str) -> None:
    result = redact(text)
    assert gone not in result
    assert kept in result


def test_platform_staff_record_a_sanction_in_the_admin(
    client: Client, agency: Organisation
) -> None:
    staff = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(staff)  # the password alone
    assert "/second-factor/" in client.get("/en/admin/registry/sanction/add/")["Location"]
    login_verified(client, staff)
    response = client.post(
        "/en/admin/registry/sanction/add/",
        {
            "organisation": agency.pk,
            "decided_on": "2025-03-01",
            "authority": "Department of Overseas Labour",
            "measure": "Licence revoked",
            "basis": "Law 69/2020/QH14, Art. 16",
            "source_url": "",
        },
    )
    assert response.status_code == 302, response.content[:500]
    record = client.get(f"/api/agencies/{agency.slug}").json()
    assert record["sanctions"][0]["measure"] == "Licence revoked"
    assert AuditEvent.objects.filter(action="registry.sanction").count() == 1
