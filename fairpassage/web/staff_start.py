"""What a signed-in member of staff sees first on the home page: where their work is.

Each link is offered only to a role that the page behind it lets in, so the panel never sends
anyone to a refusal. Demo users (``make run``) also get one line on what to try first with the
demo data; :data:`DEMO_FIRST_STEPS` must name every demo user (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.access import CASE_ROLES, DASHBOARD_ROLES
from fairpassage.checks.selectors import BATCH_AUDIT_ROLES, FEE_CHECK_ROLES
from fairpassage.core import demo as core_demo
from fairpassage.core.models import Role, User
from fairpassage.core.selectors import is_platform_staff, memberships_of
from fairpassage.registry.selectors import may_moderate
from fairpassage.surveys.selectors import SURVEY_ROLES


@dataclass(frozen=True)
class StartLink:
    title: Promise | str
    text: Promise | str
    url: str


@dataclass(frozen=True)
class StaffStart:
    memberships: tuple[tuple[str, str], ...]  # (organisation name, role label)
    links: tuple[StartLink, ...]
    demo_first_step: Promise | str | None


DEMO_FIRST_STEPS: dict[str, Promise] = {
    "demo-admin": _(
        "Demo: open the case queue. The grievance about a 150 million dong fee and a deposit "
        "was filed from Viet Nam and routed to your centre. Then open Members to see who in "
        "your organisation holds which role."
    ),
    "demo-caseworker": _(
        "Demo: open the case queue and the grievance about a 150 million dong fee and a "
        "deposit. Claim it, reply to the worker, then try to refer it: the agency the worker "
        "complained about is refused, the Osaka union is offered."
    ),
    "demo-caseworker-jp": _(
        "Demo: open the case queue. The urgent grievance (passport kept by the supervisor) comes "
        "first, then the one about unpaid overtime. Both were filed from Japan and routed to "
        "your union."
    ),
    "demo-analyst": _(
        "Demo: open Surveys. The demo survey built from our questionnaire is already imported: "
        "look at its SDG 10.7.1 result and break it down by programme."
    ),
    "demo-reviewer": _(
        "Demo: open the reports to moderate. Workers' reports about agencies wait here before "
        "they are published; you never see reports about your own organisation."
    ),
    "demo-staff": _(
        "Demo: open the case queue to triage grievances that no organisation has taken, then "
        "the law status page to see which rules the encoded law does not yet cover."
    ),
}


def _link(title: Promise, text: Promise, name: str, **kwargs: str) -> StartLink:
    return StartLink(title=title, text=text, url=reverse(name, kwargs=kwargs or None))


def staff_start(*, user: User | AnonymousUser) -> StaffStart | None:
    """The start panel of a signed-in user, or ``None`` for a visitor."""
    if not user.is_authenticated:
        return None
    memberships = list(memberships_of(user=user).order_by("organisation__name"))
    roles = {m.role for m in memberships}
    staff = is_platform_staff(user)
    links: list[StartLink] = []
    if staff or roles & CASE_ROLES:
        links.append(
            _link(
                _("Cases and grievances"),
                _("Grievances and cases of your organisation, urgent first."),
                "cases:queue",
            )
        )
    if roles & CASE_ROLES:
        links.append(
            _link(
                _("Workers"),
                _("Returnees and workers followed by your organisation."),
                "cases:workers",
            )
        )
    if staff or roles & DASHBOARD_ROLES:
        links.append(
            _link(
                _("Dashboards"),
                _("Your organisation's cases by status, category and age."),
                "cases:dashboards",
            )
        )
    if staff or roles & FEE_CHECK_ROLES:
        links.append(
            _link(
                _("Saved fee checks"),
                _("Fee checks your organisation saved for its cases."),
                "checks:saved_list",
            )
        )
    if staff or roles & BATCH_AUDIT_ROLES:
        links.append(
            _link(
                _("Batch audit"),
                _("Check many engagements and payments at once from a spreadsheet."),
                "checks:batch_new",
            )
        )
    if staff or roles & SURVEY_ROLES:
        links.append(
            _link(
                _("Surveys"),
                _("Recruitment-cost surveys and the SDG 10.7.1 indicator."),
                "surveys:list",
            )
        )
    if may_moderate(user):
        links.append(
            _link(
                _("Reports to moderate"),
                _("Workers' reports about agencies, before they are published."),
                "registry:moderate",
            )
        )
    for membership in memberships:
        if membership.role == Role.ORGANISATION_ADMIN:
            links.append(
                _link(
                    _("Members"),
                    _("Who in your organisation holds which role."),
                    "core:members",
                    slug=membership.organisation.slug,
                )
            )
    if staff:
        links.append(
            _link(
                _("Law status"),
                _("Which rules are verified, and which dates the encoded law does not cover."),
                "checks:law_status",
            )
        )
    known_demo = {u.username for u in core_demo.USERS}
    demo = user.username in known_demo and not settings.PRODUCTION
    first_step = DEMO_FIRST_STEPS.get(user.username) if demo else None
    return StaffStart(
        memberships=tuple((m.organisation.name, str(Role(m.role).label)) for m in memberships),
        links=tuple(links),
        demo_first_step=first_step,
    )
