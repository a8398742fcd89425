"""Who may see and do what on a case.

- Members of the case's organisation with a case role (administrator or case worker) read and
  change the whole case. Reviewers moderate public reports and analysts read aggregates: neither
  opens a case, a worker or the passport search. Every page also needs the second factor
  (``mfa/middleware.py``).
- An organisation a case was referred to sees, once it has accepted, only the parts named by
  the referral AND still covered by a live consent: the consent is consulted on every request,
  so a withdrawal stops sharing at once. Before accepting, it sees the categories and stage.
- A case still in the platform's triage queue (no organisation) is open to platform staff, who
  route it. Platform staff have no other access to cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet

from fairpassage.cases.choices import Part, ReferralStatus
from fairpassage.cases.models import Case, Referral
from fairpassage.core.models import Membership, Organisation, Role, User
from fairpassage.core.selectors import is_platform_staff

#: The case roles: who reads a case, and who changes it, are the same people.
CASE_ROLES = frozenset({Role.ORGANISATION_ADMIN.value, Role.CASE_WORKER.value})
READ_ROLES = CASE_ROLES
WRITE_ROLES = CASE_ROLES
DASHBOARD_ROLES = frozenset(Role.values)
ALL_PARTS = frozenset(Part.values)

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class CaseAccess:
    """What one user may do with one case, and through which organisation."""

    case: Case
    organisation: Organisation | None  # the user's organisation that gives the access
    owner: bool
    can_write: bool
    parts: frozenset[str] = field(default_factory=frozenset)
    referral: Referral | None = None

    def sees(self, part: str) -> bool:
        return part in self.parts

    @property
    def pending(self) -> bool:
        """A proposed referral: the receiver may only accept or decline."""
        return self.referral is not None and self.referral.status == ReferralStatus.PROPOSED


def roles_by_organisation(user: AnyUser) -> dict[int, str]:
    if not user.is_authenticated:
        return {}
    return dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))


def live_referrals() -> QuerySet[Referral]:
    """Accepted referrals whose consent is not withdrawn and still names the receiver."""
    return Referral.objects.filter(
        status=ReferralStatus.ACCEPTED,
        consent__withdrawn_on__isnull=True,
        consent__organisations=F("to_org"),
    )


def cases_visible(*, user: AnyUser) -> QuerySet[Case]:
    """Cases the user may open: own organisations', referred ones, the triage queue for staff."""
    if not user.is_authenticated:
        return Case.objects.none()
    roles = roles_by_organisation(user)
    readable = [org for org, role in roles.items() if role in READ_ROLES]
    condition = Q(organisation_id__in=readable)
    referred = Referral.objects.filter(
        to_org_id__in=readable, status=ReferralStatus.PROPOSED
    ).values("case_id")
    live = live_referrals().filter(to_org_id__in=readable).values("case_id")
    condition |= Q(pk__in=referred) | Q(pk__in=live)
    if is_platform_staff(user):
        condition |= Q(organisation__isnull=True)
    return Case.objects.filter(condition)


def case_access(*, user: AnyUser, case: Case) -> CaseAccess | None:
    """The user's access to ``case``, or ``None`` when they may not open it at all."""
    if not user.is_authenticated:
        return None
    if case.organisation_id is None:
        if is_platform_staff(user):
            return CaseAccess(case, None, owner=True, can_write=True, parts=ALL_PARTS)
        return None
    roles = roles_by_organisation(user)
    role = roles.get(case.organisation_id)
    if role in READ_ROLES:
        return CaseAccess(
            case, case.organisation, owner=True, can_write=role in WRITE_ROLES, parts=ALL_PARTS
        )
    readable = [org for org, r in roles.items() if r in READ_ROLES]
    live = (
        live_referrals()
        .filter(case=case, to_org_id__in=readable)
        .select_related("consent", "to_org")
        .first()
    )
    if live is not None:
        parts = frozenset(live.parts) & frozenset(live.consent.parts)
        return CaseAccess(
            case,
            live.to_org,
            owner=False,
            can_write=roles[live.to_org_id] in WRITE_ROLES,
            parts=parts,
            referral=live,
        )
    pending = (
        Referral.objects.filter(case=case, to_org_id__in=readable, status=ReferralStatus.PROPOSED)
        .select_related("to_org")
        .first()
    )
    if pending is not None:
        return CaseAccess(
            case,
            pending.to_org,
            owner=False,
            can_write=roles[pending.to_org_id] in WRITE_ROLES,
            referral=pending,
        )
    return None


def dashboard_organisations(*, user: AnyUser) -> list[Organisation]:
    """Organisations whose dashboard the user may open (any role there)."""
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.filter(memberships__user=user).distinct())


def dashboard_entries(*, user: AnyUser) -> list[dict[str, object]]:
    """Each organisation whose dashboard the user may open, whether its counts are exact for
    them (a case role there) and whether they read its audit trail (its administrators)."""
    roles = roles_by_organisation(user)
    return [
        {
            "organisation": organisation,
            "exact": roles.get(organisation.pk) in READ_ROLES,
            "admin": roles.get(organisation.pk) == Role.ORGANISATION_ADMIN,
        }
        for organisation in dashboard_organisations(user=user)
    ]


def has_case_role(*, user: AnyUser) -> bool:
    """A case role (administrator or case worker) somewhere, or platform staff (triage): who may
    open the case pages at all. Reviewers and analysts may not."""
    if is_platform_staff(user):
        return True
    return any(role in CASE_ROLES for role in roles_by_organisation(user).values())


def can_read_cases_of(*, user: AnyUser, organisation: Organisation) -> bool:
    """A case role in ``organisation``: who opens its cases, and so sees its counts exactly."""
    return roles_by_organisation(user).get(organisation.pk) in READ_ROLES


def can_write_in(*, user: AnyUser, organisation: Organisation) -> bool:
    return roles_by_organisation(user).get(organisation.pk) in WRITE_ROLES


def is_admin_of(*, user: AnyUser, organisation: Organisation) -> bool:
    return roles_by_organisation(user).get(organisation.pk) == Role.ORGANISATION_ADMIN
