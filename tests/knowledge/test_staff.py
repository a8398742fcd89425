"""Staff write drafts in the browser; a reviewer publishes; every step is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from fairpassage.core import services as core_services
from fairpassage.core.errors import Conflict, Forbidden
from fairpassage.core.models import AuditEvent, OrganisationKind, Role, User
from fairpassage.knowledge import services
from fairpassage.knowledge.models import Article, ArticleVersion, VersionStatus
from tests.factories import OrganisationFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db


def _member(role: str, kind: str = OrganisationKind.SUPPORT_ORGANISATION) -> User:
    user: User = UserFactory.create()
    organisation = OrganisationFactory.create(kind=kind)
    core_services.membership_set(actor=None, user=user, organisation=organisation, role=role)
    return user


def test_write_submit_and_publish_in_the_browser(client: Client) -> None:
    writer = _member(Role.CASE_WORKER.value)
    reviewer = _member(Role.REVIEWER.value)
    login_verified(client, writer)
    response = client.post(
        "/en/guide/manage/new/",
        {
            "slug": "before-you-sign",
            "stage": "fees_contracts",
            "order": "5",
            "law_parameters": "vn.deposit.japan_max_vnd\n",
            "sources": "Law 69/2020/QH14 | https://example.org/law-69",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="before-you-sign")
    assert article.sources == [{"title": "Law 69/2020/QH14", "url": "https://example.org/law-69"}]
    assert article.parameter_fingerprints.keys() == {"vn.deposit.japan_max_vnd"}
    assert client.get("/en/guide/before-you-sign/").status_code == 404  # nothing published

    draft = {"title": "Before you sign", "summary": "Read first.", "body": "Read **all** of it."}
    assert client.post("/en/guide/manage/before-you-sign/en/draft/", draft).status_code == 302
    version = ArticleVersion.objects.get(article=article, language="en")
    assert version.status == VersionStatus.DRAFT and version.author == writer
    # Editing again changes the same draft; saving and sending moves it to review.
    draft["title"] = "Before you sign anything"
    client.post("/en/guide/manage/before-you-sign/en/draft/", {**draft, "submit": "1"})
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW and version.title == "Before you sign anything"
    assert ArticleVersion.objects.filter(article=article).count() == 1

    # The writer cannot publish; the reviewer can.
    assert client.post(f"/en/guide/manage/versions/{version.pk}/publish/").status_code == 403
    login_verified(client, reviewer)
    assert client.post(f"/en/guide/manage/versions/{version.pk}/publish/").status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and version.reviewer == reviewer
    page = client.get("/en/guide/before-you-sign/").content.decode()
    assert "Before you sign anything" in page and "<strong>all</strong>" in page
    vietnamese = client.get("/vi/guide/before-you-sign/").content.decode()
    assert 'class="notice fallback"' in vietnamese

    history = client.get("/en/guide/manage/before-you-sign/").content.decode()
    assert "v1" in history and writer.username in history and reviewer.username in history
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "knowledge.article.create",
        "knowledge.version.create",
        "knowledge.version.update",
        "knowledge.version.submit",
        "knowledge.version.publish",
    } <= actions


def test_review_rules() -> None:
    article = Article.objects.create(slug="a", stage="deciding", reviewed_on="2026-01-01")
    writer = _member(Role.CASE_WORKER.value)
    admin = _member(Role.ORGANISATION_ADMIN.value)
    agency_reviewer = _member(Role.REVIEWER.value, kind=OrganisationKind.SENDING_AGENCY)
    with pytest.raises(Forbidden):
        services.version_draft_save(
            actor=agency_reviewer, article=article, language="vi", title="t", summary="s", body="b"
        )
    version = services.version_draft_save(
        actor=admin, article=article, language="vi", title="t", summary="s", body="b"
    )
    with pytest.raises(Conflict):
        services.version_publish(actor=admin, version=version)  # not yet sent for review
    services.version_submit(actor=admin, version=version)
    with pytest.raises(Forbidden):
        services.version_publish(actor=admin, version=version)  # nobody reviews their own text
    with pytest.raises(Forbidden):
        services.version_publish(actor=writer, version=version)
    with pytest.raises(Forbidden):
        services.version_publish(actor=agency_reviewer, version=version)
    with pytest.raises(Conflict):
        services.version_draft_save(
            actor=writer,
            article=article,
            language="vi",
            title="t",
            summary="s",
            body="b",
            version=version,
        )
    second_admin = _member(Role.ORGANISATION_ADMIN.value)
    services.version_return(actor=second_admin, version=version, reason="cite the decree")
    assert version.status == VersionStatus.DRAFT
    services.version_submit(actor=writer, version=version)
    staff = UserFactory.create(is_staff=True)
    services.version_publish(actor=staff, version=version)
    article.refresh_from_db()
    assert article.published("vi") == version
    event = AuditEvent.objects.get(action="knowledge.version.return")
    assert event.reason == "cite the decree"
