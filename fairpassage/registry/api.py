"""The agency registry over the API: search, an agency's record, a worker's report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import Organisation
from fairpassage.core.ratelimit import client_key, rate_limit
from fairpassage.core.schemas import ErrorOut
from fairpassage.registry import selectors, services
from fairpassage.registry.schemas import (
    AgencyMatchOut,
    AgencyOut,
    ReviewAcceptedOut,
    ReviewIn,
)

router = Router(tags=["agencies"])
SEARCHES_PER_MINUTE = 120


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=200, description="name or licence number, as typed")
    country: str | None = Field(None, pattern="^(VN|JP)$")
    on: dt.date | None = Field(None, description="status on this date (default: today)")
    limit: int = Field(10, ge=1, le=50)


@router.get(
    "/agencies",
    response={200: list[AgencyMatchOut], 422: ErrorOut, 429: ErrorOut},
    summary="Find an agency however its name or licence number is typed",
)
def agencies_search(request: HttpRequest, query: Query[SearchQuery]) -> list[dict[str, Any]]:
    """Same results as `fairpassage agencies search`, best first, each with its licence status
    on the date asked."""
    rate_limit(
        scope="agency-search", key=client_key(request), limit=SEARCHES_PER_MINUTE, window_seconds=60
    )
    if not query.q.strip():
        raise InvalidInput(_("Write a name or a licence number."), field="q")
    matches = selectors.agencies_search(
        text=query.q,
        on=query.on or timezone.localdate(),
        country=query.country or "",
        limit=query.limit,
    )
    return [m.as_dict() for m in matches]


@router.get(
    "/agencies/{slug:slug}",
    response={200: AgencyOut, 404: ErrorOut, 422: ErrorOut},
    summary="An agency's licences with their history, sanctions and report summaries",
)
def agency_detail(request: HttpRequest, slug: str, on: dt.date | None = None) -> dict[str, Any]:
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    return selectors.agency_record(organisation=organisation, on=on or timezone.localdate())


@router.post(
    "/agencies/{slug:slug}/reports",
    response={202: ReviewAcceptedOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Report on an agency (no account; held for moderation)",
)
def agency_report(request: HttpRequest, slug: str, payload: ReviewIn) -> Status[dict[str, str]]:
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    services.review_submit(
        organisation=organisation,
        stars={
            "fees_honesty": payload.fees_honesty,
            "contract_kept": payload.contract_kept,
            "support": payload.support,
        },
        text=payload.text,
        language=(get_language() or "vi")[:2],
        client=client_key(request),
    )
    return Status(
        202,
        {
            "status": "pending",
            "message": _("Thank you. Your report will be published after a reviewer reads it."),
        },
    )
