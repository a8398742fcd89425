"""Reads of fee checks and earnings plans, scoped to the user's organisations."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from fairpassage.checks.models import BatchAudit, EarningsPlan, FeeCheck
from fairpassage.core import selectors as core_selectors
from fairpassage.core.models import Organisation, User


def fee_checks_visible(*, user: User | AnonymousUser) -> QuerySet[FeeCheck]:
    organisations = core_selectors.organisations_visible(user=user)
    return FeeCheck.objects.filter(organisation__in=organisations).select_related(
        "organisation", "created_by"
    )


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
