"""Reads of fee checks and earnings plans, scoped to the user's organisations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum

from fairpassage.checks.models import BatchAudit, EarningsPlan, FeeCheck
from fairpassage.core import selectors as core_selectors
from fairpassage.core.models import Organisation, Role, User

#: Who reads (and saves) an organisation's fee checks: its case roles. Not analysts (they see
#: the aggregates), not reviewers, and not platform staff as such: a check speaks of one worker.
FEE_CHECK_ROLES = frozenset({Role.ORGANISATION_ADMIN.value, Role.CASE_WORKER.value})
#: Who sees an organisation's fee checks counted: its case roles and its analysts.
FEE_CHECK_AGGREGATE_ROLES = FEE_CHECK_ROLES | {Role.ANALYST.value}
#: Figures over fewer checks than this are not shown.
MIN_CELL = 5


def _organisations_where(*, user: User | AnonymousUser, roles: frozenset[str]) -> QuerySet[Any]:
    """Ids of the organisations where ``user`` holds one of ``roles`` (membership only)."""
    return core_selectors.memberships_of(user=user).filter(role__in=roles).values("organisation_id")


def fee_check_roles_in(*, user: User | AnonymousUser, organisation: Organisation) -> bool:
    """True when ``user`` is an administrator or a case worker of ``organisation``."""
    return (
        _organisations_where(user=user, roles=FEE_CHECK_ROLES)
        .filter(organisation_id=organisation.pk)
        .exists()
    )


def fee_checks_visible(*, user: User | AnonymousUser) -> QuerySet[FeeCheck]:
    """The fee checks saved by organisations where ``user`` holds a case role."""
    return FeeCheck.objects.filter(
        organisation_id__in=_organisations_where(user=user, roles=FEE_CHECK_ROLES)
    ).select_related("organisation", "created_by")


def fee_checks_aggregates(*, user: User | AnonymousUser) -> list[dict[str, Any]]:
    """Per organisation where ``user`` is a case role or an analyst: its saved fee checks
    counted, with the violations and the excess behind them; each figure only from MIN_CELL."""
    rows = (
        FeeCheck.objects.filter(
            organisation_id__in=_organisations_where(user=user, roles=FEE_CHECK_AGGREGATE_ROLES)
        )
        .values("organisation_id")
        .annotate(
            n=Count("id"),
            violations=Count("id", filter=Q(status="violation")),
            excess_vnd=Sum("excess_vnd", filter=Q(status="violation")),
        )
    )
    by_org = {row["organisation_id"]: row for row in rows}
    organisations = Organisation.objects.filter(
        pk__in=_organisations_where(user=user, roles=FEE_CHECK_AGGREGATE_ROLES)
    ).order_by("name", "pk")
    out = []
    for organisation in organisations:
        row = by_org.get(organisation.pk, {"n": 0, "violations": 0, "excess_vnd": 0})
        violations_shown = row["n"] >= MIN_CELL and row["violations"] >= MIN_CELL
        out.append(
            {
                "organisation": organisation,
                "n": row["n"] if row["n"] >= MIN_CELL else None,
                "violations": row["violations"] if violations_shown else None,
                "excess_vnd": (row["excess_vnd"] or 0) if violations_shown else None,
            }
        )
    return out


def earnings_plans_visible(*, user: User | AnonymousUser) -> QuerySet[EarningsPlan]:
    organisations = core_selectors.organisations_visible(user=user)
    return EarningsPlan.objects.filter(organisation__in=organisations).select_related(
        "organisation", "created_by"
    )


def earnings_plans_of(*, organisation: Organisation, limit: int = 50) -> QuerySet[EarningsPlan]:
    """The organisation's latest saved plans, to choose one for a case."""
    return EarningsPlan.objects.filter(organisation=organisation)[:limit]


def batch_audits_visible(*, user: User | AnonymousUser) -> QuerySet[BatchAudit]:
    organisations = core_selectors.organisations_visible(user=user)
    return BatchAudit.objects.filter(organisation__in=organisations).select_related(
        "organisation", "created_by"
    )
