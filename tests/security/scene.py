"""A small world for the security tests: a support organisation that receives a grievance about
a sending agency, the agency itself, a Japanese union it is referred to, a user in every role of
each, platform staff and an outsider; and one real object of every kind a URL can name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.test import Client

from fairpassage.cases import people, services
from fairpassage.cases.choices import Part
from fairpassage.cases.models import Attachment, Case, Consent, Referral, Worker
from fairpassage.checks.models import BatchAudit, EarningsPlan, FeeCheck
from fairpassage.core import services as core_services
from fairpassage.core.models import Country, Organisation, OrganisationKind, Role, User
from fairpassage.knowledge import services as knowledge_services
from fairpassage.knowledge.models import Article, ArticleVersion
from fairpassage.registry import services as registry_services
from fairpassage.surveys import services as survey_services
from fairpassage.surveys.models import Survey, SurveyImport
from fairpassage.tracker.models import Consultation, Recommendation
from fairpassage.tracker.services import tracker_seed_load
from tests.cases.conftest import file_grievance
from tests.factories import OrganisationFactory, UserFactory, login_verified

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge" / "content"
PDF = b"%PDF-1.4\n%%EOF\n"
ORGS = ("support", "agency")


@dataclass
class SecurityScene:
    support: Organisation  # receives the grievance (a support organisation)
    agency: Organisation  # the sending agency the grievance is about
    union: Organisation  # a Japanese union the case is referred to
    users: dict[str, User]  # "<org>_<role>", "staff", "outsider"
    case: Case
    code: str
    worker: Worker
    attachment: Attachment
    consent: Consent
    referral: Referral
    objects: dict[str, Any] = field(default_factory=dict)

    def user(self, visitor: str) -> User:
        return self.users[visitor]


def visitors() -> list[str]:
    """Every signed-in visitor of the scene, by name."""
    return ["staff", "outsider"] + [f"{o}_{r}" for o in ORGS for r in Role.values]


def scene_build() -> SecurityScene:
    support = OrganisationFactory.create(
        slug="vn-support", kind=OrganisationKind.SUPPORT_ORGANISATION, country=Country.VIET_NAM
    )
    agency = OrganisationFactory.create(
        slug="sao-mai", name="Cty Sao Mai", kind=OrganisationKind.SENDING_AGENCY
    )
    union = OrganisationFactory.create(
        slug="jp-union", kind=OrganisationKind.SUPPORT_ORGANISATION, country=Country.JAPAN
    )
    users: dict[str, User] = {}
    for name, org in (("support", support), ("agency", agency)):
        for role in Role.values:
            user = UserFactory.create(username=f"{name}_{role}")
            core_services.membership_set(actor=None, user=user, organisation=org, role=role)
            users[f"{name}_{role}"] = user
    union_worker = UserFactory.create(username="union_case_worker")
    core_services.membership_set(
        actor=None, user=union_worker, organisation=union, role=Role.CASE_WORKER
    )
    users["staff"] = UserFactory.create(username="platform", is_staff=True, is_superuser=True)
    users["outsider"] = UserFactory.create(username="outsider")

    cw = users["support_case_worker"]
    case, code = file_grievance(agency_name="Cty Sao Mai")
    assert case.organisation_id == support.pk
    worker = people.worker_create(
        actor=cw, organisation=support, full_name="Trần Thị B", passport_number="B7654321"
    )
    attachment = services.attachment_add(actor=cw, case=case, name="a.pdf", content=PDF)
    consent = people.consent_record(
        actor=cw,
        case=case,
        purpose="referral",
        method="written",
        organisations=[union],
        parts=[Part.STATEMENT],
    )
    referral = people.referral_propose(
        actor=cw, case=case, to_org=union, consent=consent, parts=[Part.STATEMENT]
    )
    scene = SecurityScene(
        support, agency, union, users, case, code, worker, attachment, consent, referral
    )
    scene.objects = _objects(scene)
    return scene


def _objects(scene: SecurityScene) -> dict[str, Any]:
    """One saved row of every other kind a URL names."""
    support, analyst = scene.support, scene.users["support_analyst"]
    today = dt.date(2026, 6, 1)
    fee_check = FeeCheck.objects.create(
        organisation=support,
        created_by=scene.users["support_case_worker"],
        language="vi",
        rules_version="test",
        law_date=today,
        status="violation",
        excess_vnd=1,
        input={},
        result={},
    )
    plan = EarningsPlan.objects.create(
        organisation=support,
        created_by=scene.users["support_case_worker"],
        language="vi",
        rules_version="test",
        law_date=today,
        status="ok",
        net_jpy=1,
        remit_jpy=1,
        input={},
        result={},
    )
    batch = BatchAudit.objects.create(organisation=support, created_by=analyst, language="vi")
    survey: Survey = survey_services.survey_create(
        actor=analyst,
        organisation=support,
        title="Returnees 2026",
        currency="JPY",
        rates={"VND": 0.0061},
        rates_source="illustrative",
        breakdowns=[["sex"]],
        min_cell=1,
    )
    survey_import = SurveyImport.objects.create(survey=survey, format="kobo", uploaded_by=analyst)
    knowledge_services.knowledge_seed_load(directory=KNOWLEDGE)
    tracker_seed_load()
    review = registry_services.review_submit(
        organisation=scene.agency,
        stars=dict.fromkeys(registry_services.STARS, 2),
        text="Họ giữ hộ chiếu của tôi",
        language="vi",
        client="203.0.113.9",
    )
    return {
        "fee_check": fee_check,
        "plan": plan,
        "batch": batch,
        "survey": survey,
        "survey_import": survey_import,
        "article": Article.objects.order_by("pk").first(),
        "version": ArticleVersion.objects.order_by("pk").first(),
        "consultation": Consultation.objects.order_by("pk").first(),
        "recommendation": Recommendation.objects.order_by("pk").first(),
        "review": review,
        "group": Group.objects.create(name="editors"),
    }


def half_signed_in(scene: SecurityScene, visitor: str, *, with_device: bool = False) -> Client:
    """A client signed in with the password only: the second factor not passed."""
    client = Client()
    user = scene.user(visitor)
    if with_device:
        from tests.factories import second_factor_enrol  # noqa: PLC0415

        if not hasattr(user, "mfa_device"):
            second_factor_enrol(user)
    client.force_login(user)
    return client


def fully_signed_in(scene: SecurityScene, visitor: str) -> Client:
    client = Client()
    login_verified(client, scene.user(visitor))
    return client


__all__ = ["ORGS", "SecurityScene", "fully_signed_in", "half_signed_in", "scene_build", "visitors"]
