"""Reads of fee checks, scoped to the user's organisations."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from fairpassage.checks.models import BatchAudit, FeeCheck
from fairpassage.core import selectors as core_selectors
from fairpassage.core.models import User


def fee_checks_visible(*, user: User | AnonymousUser) -> QuerySet[FeeCheck]:
    organisations = core_selectors.organisations_visible(user=user)
    return FeeCheck.objects.filter(organisation__in=organisations).select_related(
        "organisation", "created_by"
    )


def batch_audits_visible(*, user: User | AnonymousUser) -> QuerySet[BatchAudit]:
    organisations = core_selectors.organisations_visible(user=user)
    return BatchAudit.objects.filter(organisation__in=organisations).select_related(
        "organisation", "created_by"
    )
