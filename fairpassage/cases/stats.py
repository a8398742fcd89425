"""Aggregates of cases for dashboards: counts by category, stage, agency, province and month.

Cells under ``SUPPRESS_BELOW`` cases are suppressed (shown as "fewer than 5"), so that no
count points at a person. Where the row's label itself would tell something (the agency a
complaint is about, a province), a cell under ``SUPPRESS_BELOW`` is not even named: it is
counted in one unnamed "other" row. An agency is named only from the registry record staff
linked to the case (``Case.agency``); what the worker typed (``Case.agency_name``) never leaves
the case. Charts are horizontal bars laid out here and drawn as inline SVG.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from fairpassage.cases.choices import Category, Stage
from fairpassage.cases.models import Case

SUPPRESS_BELOW = 5
BAR_HEIGHT = 22
#: The key of the unnamed row that holds the cells too small to be named.
OTHER = "_other"


def suppress(count: int) -> int | None:
    return count if count >= SUPPRESS_BELOW else None


def _fold(counter: Counter[str]) -> Counter[str]:
    """Cells under SUPPRESS_BELOW summed into one unnamed ``OTHER`` cell, kept last."""
    folded: Counter[str] = Counter()
    other = 0
    for key, n in counter.most_common():
        if n >= SUPPRESS_BELOW and key != OTHER:
            folded[key] = n
        else:
            other += n
    if other:
        folded[OTHER] = other
    return folded


def _rows(counter: Counter[str], labels: dict[str, str] | None = None) -> list[dict[str, Any]]:
    ordered = sorted(counter.items(), key=lambda kv: (kv[0] == OTHER, -kv[1]))
    shown = [(key, suppress(n)) for key, n in ordered]
    top = max([n for _key, n in shown if n is not None] or [1])
    rows = []
    for index, (key, count) in enumerate(shown):
        rows.append(
            {
                "key": key,
                "label": (labels or {}).get(key, key),
                "count": count,
                "pct": round(100 * (count or 0) / top, 1),
                "w": round(2.2 * 100 * (count or 0) / top, 1),
                "y": index * BAR_HEIGHT,
                "text_y": index * BAR_HEIGHT + 15,
            }
        )
    return rows


def aggregate(cases: QuerySet[Case]) -> dict[str, Any]:
    """Every breakdown with small cells suppressed; ``total`` is suppressed too."""
    records: Iterable[tuple[Any, ...]] = cases.values_list(
        "categories", "stage", "agency_id", "agency__name", "province__name", "created_at"
    )
    by: dict[str, Counter[str]] = {
        k: Counter() for k in ("category", "stage", "agency", "province", "month")
    }
    agency_names: dict[str, str] = {}
    total = 0
    for categories, stage, agency_id, agency, province, created in records:
        total += 1
        for category in categories or []:
            by["category"][category] += 1
        by["stage"][stage] += 1
        if agency_id is None:  # not linked to the registry: counted, never named
            by["agency"][OTHER] += 1
        else:
            agency_names[str(agency_id)] = agency
            by["agency"][str(agency_id)] += 1
        by["province"][province or _("Not given")] += 1
        by["month"][created.strftime("%Y-%m")] += 1
    month_rows = _rows(by["month"])
    month_rows.sort(key=lambda r: r["key"])
    for index, row in enumerate(month_rows):
        row["y"], row["text_y"] = index * BAR_HEIGHT, index * BAR_HEIGHT + 15
    breakdowns = {
        "category": _rows(by["category"], {k: str(v) for k, v in Category.choices}),
        "stage": _rows(by["stage"], {k: str(v) for k, v in Stage.choices}),
        "agency": _rows(
            _fold(by["agency"]),
            agency_names | {OTHER: str(_("Other agencies, or none linked from the registry"))},
        ),
        "province": _rows(
            _fold(by["province"]), {OTHER: str(_("Other provinces (fewer than 5 cases each)"))}
        ),
        "month": month_rows,
    }
    return {
        "total": suppress(total),
        "breakdowns": [
            {"key": key, "rows": rows, "height": max(len(rows), 1) * BAR_HEIGHT}
            for key, rows in breakdowns.items()
        ],
        "suppress_below": SUPPRESS_BELOW,
    }
