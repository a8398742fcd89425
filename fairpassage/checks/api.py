"""POST /api/fee-checks: the fee-check report for a worker's payments (no account needed)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router

from fairpassage.checks import services
from fairpassage.checks.schemas import FeeCheckIn, FeeCheckOut, as_engine_input
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
