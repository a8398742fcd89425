"""Law pages beside the public catalogue: the minimum-wage table, and the law status for staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.selectors import is_platform_staff
from fairpassage.law.earnings_minwage import minimum_wage_table
from fairpassage.law.status import law_status
from fairpassage.mfa.decorators import second_factor_required


def minimum_wage_rows(on: dt.date) -> list[dict[str, Any]]:
    """Each prefecture: the rate in force on ``on`` and the newest one in the shipped table."""
    table = minimum_wage_table()
    rows = []
    for prefecture, latest in table.latest():
        lookup = table.on(prefecture, on)
        rows.append(
            {
                "code": prefecture.code,
                "name_ja": prefecture.name_ja,
                "name": prefecture.name_romaji.title(),
                "current": lookup.row,
                "state": lookup.state,
                "latest": latest,
                "planned": latest.date_status == "planned",
            }
        )
    return rows


@require_safe
@second_factor_required
def law_status_page(request: HttpRequest) -> HttpResponse:
    """``fairpassage law status`` for platform staff: what of the encoded law to read next."""
    if not is_platform_staff(request.user):
        raise Forbidden(_("This page is for platform staff."))
    on = timezone.localdate()
    if request.GET.get("on"):
        try:
            on = dt.date.fromisoformat(request.GET["on"])
        except ValueError as error:
            raise InvalidInput(_("Give the date as YYYY-MM-DD."), field="on") from error
    try:
        horizon = int(request.GET.get("horizon") or 365)
    except ValueError as error:
        raise InvalidInput(_("Give a number of days."), field="horizon") from error
    if not 0 <= horizon <= 3650:
        raise InvalidInput(_("Give a number of days."), field="horizon")
    return render(request, "checks/law_status.html", {"status": law_status(on, horizon)})
