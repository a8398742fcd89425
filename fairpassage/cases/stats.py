"""Aggregates of cases for dashboards: counts by category, stage, agency, province and month.

Two audiences, two rules (issue 16, item 6):

- Public and cross-organisation aggregates (``aggregate(cases)``): cells under
  ``SUPPRESS_BELOW`` cases are suppressed (shown as "fewer than 5"), so that no count points at
  a person. Where the row's label itself would tell something (the agency a complaint is about,
  a province), a cell under ``SUPPRESS_BELOW`` is not even named: it is counted in one unnamed
  "other" row.
- An organisation's own staff looking at their own cases (``aggregate(cases, exact=True)``):
  every count exactly, since they already see each case; the work of the team is added
  (``work``): open, urgent and unassigned cases, the oldest open case, the amounts claimed.

An agency is named only from the registry record staff
linked to the case (``Case.agency``); what the worker typed (``Case.agency_name``) never leaves
the case. Charts are horizontal bars laid out here and drawn as inline SVG.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fairpassage.cases.choices import Category, Stage, Status
from fairpassage.cases.models import Case, StatusChange

SUPPRESS_BELOW = 5
#: Each bar has its label on its own line above it, so long labels never cover a bar.
BAR_HEIGHT = 40
LABEL_Y = 15
BAR_Y = 20
BAR_THICKNESS = 14
#: Bars run from 0 to BAR_SPAN in a 400-unit wide chart, leaving room for the count after them.
BAR_SPAN = 320.0
#: The key of the unnamed row that holds the cells too small to be named.
OTHER = "_other"


def suppress(count: int, exact: bool = False) -> int | None:
    return count if exact or count >= SUPPRESS_BELOW else None


def _fold(counter: Counter[str], exact: bool = False) -> Counter[str]:
    """Cells under SUPPRESS_BELOW summed into one unnamed ``OTHER`` cell, kept last (exact:
    every named cell kept as it is)."""
    folded: Counter[str] = Counter()
    other = 0
    for key, n in counter.most_common():
        if (exact or n >= SUPPRESS_BELOW) and key != OTHER:
            folded[key] = n
        else:
            other += n
    if other:
        folded[OTHER] = other
    return folded


def _place(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for index, row in enumerate(rows):
        top = index * BAR_HEIGHT
        row["y"], row["text_y"], row["count_y"] = top + BAR_Y, top + LABEL_Y, top + BAR_Y + 13
        row["count_x"] = row["w"] + 6
    return rows


def _rows(
    counter: Counter[str], labels: dict[str, str] | None = None, exact: bool = False
) -> list[dict[str, Any]]:
    ordered = sorted(counter.items(), key=lambda kv: (kv[0] == OTHER, -kv[1]))
    shown = [(key, suppress(n, exact)) for key, n in ordered]
    top = max([n for _key, n in shown if n is not None] or [1])
    rows = []
    for key, count in shown:
        # A suppressed cell gets a short stub: visible, but showing no size.
        width = BAR_SPAN * (count or 0) / top if count is not None else 8.0
        rows.append(
            {
                "key": key,
                "label": (labels or {}).get(key, key),
                "count": count,
                "pct": round(100 * (count or 0) / top, 1),
                "w": round(width, 1),
            }
        )
    return _place(rows)


def aggregate(cases: QuerySet[Case], *, exact: bool = False) -> dict[str, Any]:
    """Every breakdown; small cells suppressed and ``total`` too, unless ``exact`` (an
    organisation's own staff on its own cases: see the module's note)."""
    records: Iterable[tuple[Any, ...]] = cases.values_list(
        "categories",
        "stage",
        "agency_id",
        "agency__name",
        "province__name",
        "created_at",
        "status",
    )
    by: dict[str, Counter[str]] = {
        k: Counter() for k in ("status", "category", "stage", "agency", "province", "month")
    }
    agency_names: dict[str, str] = {}
    total = 0
    for categories, stage, agency_id, agency, province, created, status in records:
        total += 1
        by["status"][status] += 1
        for category in categories or []:
            by["category"][category] += 1
        by["stage"][stage] += 1
        if agency_id is None:  # not linked to the registry: counted, never named
            by["agency"][OTHER] += 1
        else:
            agency_names[str(agency_id)] = agency
            by["agency"][str(agency_id)] += 1
        by["province"][province or _("Not given")] += 1
        by["month"][timezone.localtime(created).strftime("%Y-%m")] += 1
    month_rows = _rows(by["month"], exact=exact)
    month_rows.sort(key=lambda r: r["key"])
    _place(month_rows)
    other_agencies = (
        _("Not linked to an agency in the registry")
        if exact
        else _("Other agencies, or none linked from the registry")
    )
    breakdowns = {
        "category": _rows(by["category"], {k: str(v) for k, v in Category.choices}, exact),
        "stage": _rows(by["stage"], {k: str(v) for k, v in Stage.choices}, exact),
        "agency": _rows(
            _fold(by["agency"], exact), agency_names | {OTHER: str(other_agencies)}, exact
        ),
        "province": _rows(
            _fold(by["province"], exact),
            {OTHER: str(_("Other provinces (fewer than 5 cases each)"))},
            exact,
        ),
        "month": month_rows,
    }
    if exact:
        status_rows = _rows(by["status"], {k: str(v) for k, v in Status.choices}, exact)
        order = {value: n for n, value in enumerate(Status.values)}
        status_rows.sort(key=lambda r: order.get(r["key"], len(order)))
        breakdowns = {"status": _place(status_rows), **breakdowns}
    return {
        "total": suppress(total, exact),
        "exact": exact,
        "breakdowns": [
            {"key": key, "rows": rows, "height": max(len(rows), 1) * BAR_HEIGHT}
            for key, rows in breakdowns.items()
        ],
        "suppress_below": SUPPRESS_BELOW,
    }


OPEN = (Status.INTAKE, Status.TRIAGE, Status.ACTIVE, Status.REFERRED)


def work(cases: QuerySet[Case]) -> dict[str, Any]:
    """The team's own work, exactly: for an organisation's staff on its own cases only."""
    open_cases = cases.filter(status__in=OPEN)
    figures = open_cases.aggregate(
        open=Count("pk"),
        urgent=Count("pk", filter=Q(urgent=True)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        oldest=Min("created_at"),
        claimed=Sum("claim_amount_vnd"),
    )
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    closed_this_month = (
        StatusChange.objects.filter(
            case__in=cases,
            to_status__in=(Status.RESOLVED, Status.CLOSED),
            at__gte=month_start,
        )
        .values("case")
        .distinct()
        .count()
    )
    return {
        "open": figures["open"],
        "urgent": figures["urgent"],
        "unassigned": figures["unassigned"],
        "oldest": timezone.localtime(figures["oldest"]).date() if figures["oldest"] else None,
        "claimed_vnd": figures["claimed"],
        "closed_this_month": closed_this_month,
        "as_of": timezone.localdate(),
    }
