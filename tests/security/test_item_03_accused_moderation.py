"""Issue 13, item 3: the accused never moderates, nor reads, a report about itself.

Moderation belongs to platform staff and to reviewers of support organisations (NGOs, unions,
legal aid), public bodies and international organisations; never to an agency, an employer, a
supervising or a registered support organisation; and never to a member of the organisation the
report is about, whatever its kind. Before publication nothing of a report reaches the accused
organisation's members (not its wording, not the fact that it was rejected); after it, only the
redacted public text.
"""

from __future__ import annotations

import pytest
from django.test import Client

from fairpassage.core import services as core_services
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import AuditEvent, Organisation, OrganisationKind, Role, User
from fairpassage.registry import selectors, services
from fairpassage.registry.models import AgencyReview, ReviewStatus
from tests.factories import OrganisationFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db

WORDING = "Ông Hùng ở văn phòng Sao Mai giữ hộ chiếu của tôi, gọi 0901 234 567"
STARS = {"fees_honesty": 1, "contract_kept": 1, "support": 1}


def _reviewer_of(organisation: Organisation) -> User:
    user = UserFactory.create()
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.REVIEWER
    )
    return user


def _report(about: Organisation) -> AgencyReview:
    return services.review_submit(
        organisation=about, stars=STARS, text=WORDING, language="vi", client="198.51.100.4"
    )


@pytest.fixture
def agency() -> Organisation:
    return OrganisationFactory.create(
        slug="sao-mai", name="Sao Mai Manpower", kind=OrganisationKind.SENDING_AGENCY
    )


def _signed_in(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_item_03_the_accused_agencys_reviewer_neither_reads_nor_rejects(
    agency: Organisation,
) -> None:
    review = _report(agency)
    accused = _reviewer_of(agency)
    assert not services.may_moderate(accused)
    assert list(selectors.reviews_pending(user=accused)) == []
    with pytest.raises(Forbidden):
        services.review_moderate(actor=accused, review=review, publish=False)
    client = _signed_in(accused)
    page = client.get("/vi/agencies/reports/moderate/")
    assert page.status_code == 403
    assert "hộ chiếu" not in page.content.decode()
    rejected = client.post(
        "/vi/agencies/reports/moderate/",
        {"review": review.pk, "decision": "reject", "text": ""},
    )
    assert rejected.status_code == 403
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


@pytest.mark.parametrize(
    ("kind", "moderates"),
    [
        (OrganisationKind.SENDING_AGENCY, False),
        (OrganisationKind.EMPLOYER, False),
        (OrganisationKind.SUPERVISING_ORGANISATION, False),
        (OrganisationKind.REGISTERED_SUPPORT_ORGANISATION, False),
        (OrganisationKind.SUPPORT_ORGANISATION, True),
        (OrganisationKind.GOVERNMENT_BODY, True),
        (OrganisationKind.INTERNATIONAL_ORGANISATION, True),
    ],
)
def test_item_03_only_reviewers_of_support_organisations_and_public_bodies_moderate(
    agency: Organisation, kind: str, moderates: bool
) -> None:
    review = _report(agency)
    reviewer = _reviewer_of(OrganisationFactory.create(kind=kind))
    assert services.may_moderate(reviewer) is moderates
    client = _signed_in(reviewer)
    page = client.get("/vi/agencies/reports/moderate/")
    assert page.status_code == (200 if moderates else 403)
    assert ("hộ chiếu" in page.content.decode()) is moderates
    response = client.post(
        "/vi/agencies/reports/moderate/",
        {"review": review.pk, "decision": "reject", "text": ""},
    )
    assert response.status_code == (302 if moderates else 403)
    review.refresh_from_db()
    assert review.status == (ReviewStatus.REJECTED if moderates else ReviewStatus.PENDING)


def test_item_03_a_moderating_organisation_never_sees_reports_about_itself() -> None:
    union = OrganisationFactory.create(kind=OrganisationKind.SUPPORT_ORGANISATION)
    about_union = _report(union)
    own = _reviewer_of(union)
    other = _reviewer_of(OrganisationFactory.create(kind=OrganisationKind.SUPPORT_ORGANISATION))
    assert services.may_moderate(own)  # a moderator in general ...
    assert list(selectors.reviews_pending(user=own)) == []  # ... but not of this report
    with pytest.raises(Forbidden):
        services.review_moderate(actor=own, review=about_union, publish=True)
    client = _signed_in(own)
    assert "hộ chiếu" not in client.get("/vi/agencies/reports/moderate/").content.decode()
    posted = client.post(
        "/vi/agencies/reports/moderate/",
        {"review": about_union.pk, "decision": "reject", "text": ""},
    )
    assert posted.status_code == 404
    about_union.refresh_from_db()
    assert about_union.status == ReviewStatus.PENDING
    assert list(selectors.reviews_pending(user=other)) == [about_union]


def test_item_03_platform_staff_who_belong_to_the_accused_do_not_moderate(
    agency: Organisation,
) -> None:
    review = _report(agency)
    staff = UserFactory.create(is_staff=True)
    assert list(selectors.reviews_pending(user=staff)) == [review]
    core_services.membership_set(
        actor=None, user=staff, organisation=agency, role=Role.ORGANISATION_ADMIN
    )
    assert list(selectors.reviews_pending(user=staff)) == []
    with pytest.raises(Forbidden):
        services.review_moderate(actor=staff, review=review, publish=False)


def test_item_03_the_accused_learns_nothing_before_publication_and_only_the_redacted_text_after(
    agency: Organisation,
) -> None:
    admin = UserFactory.create()
    core_services.membership_set(
        actor=None, user=admin, organisation=agency, role=Role.ORGANISATION_ADMIN
    )
    moderator = _reviewer_of(OrganisationFactory.create())
    rejected, published = _report(agency), _report(agency)
    services.review_moderate(actor=moderator, review=rejected, publish=False)
    services.review_moderate(actor=moderator, review=published, publish=True)
    # The accused's audit trail holds no event about the reports.
    trail = AuditEvent.objects.filter(organisation=agency)
    assert not trail.filter(action__startswith="registry.review").exists()
    page = _signed_in(admin).get(f"/vi/agencies/{agency.slug}/").content.decode()
    assert "0901" not in page and "Hùng" not in page
    published.refresh_from_db()
    assert published.published_text and published.published_text in page
