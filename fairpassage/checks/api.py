"""The law engine over the API: the fee check and the earnings plan (no account needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Router

from fairpassage import law
from fairpassage.checks import services
from fairpassage.checks.schemas import (
    EarningsIn,
    EarningsOut,
    FeeCheckIn,
    FeeCheckOut,
    as_engine_input,
)
from fairpassage.core.schemas import ErrorOut

router = Router(tags=["fee checks"])


@router.post(
    "/fee-checks",
    response={200: FeeCheckOut, 422: ErrorOut},
    summary="Check payments against the law in force on the contract date",
)
def fee_check(request: HttpRequest, payload: FeeCheckIn) -> dict[str, Any]:
    """Same input and report as `fairpassage check-fees`. Messages follow Accept-Language
    (vi, ja, en). Nothing is stored."""
    language = (get_language() or "vi")[:2]
    return services.fee_check_run(data=as_engine_input(payload), language=language)


@router.post(
    "/earnings",
    response={200: EarningsOut, 422: ErrorOut},
    summary="Net pay in Japan after deductions, wage checks and the debt repayment plan",
)
def earnings(request: HttpRequest, payload: EarningsIn) -> dict[str, Any]:
    """Same input and report as `fairpassage earnings`. Where a rate is approximate (income
    tax, resident tax), the report says so in `approximations`. Nothing is stored."""
    language = (get_language() or "vi")[:2]
    return services.earnings_plan_run(data=as_engine_input(payload), language=language)


@router.get(
    "/pathways",
    response={200: dict[str, Any], 422: ErrorOut},
    summary="The three routes to Japan (TITP, SSW, ESD) as the law stood on a date",
)
def pathways(request: HttpRequest, on: dt.date | None = None) -> dict[str, Any]:
    """Stages, fields in force, tests, job change, family, and who must do what; every fact
    with its source and verification. `on` defaults to today."""
    language = (get_language() or "vi")[:2]
    return law.pathways_on(on or timezone.localdate(), language)
