"""Demonstration grievances for the demo organisations (development machines only).

Idempotent: each demo grievance has a fixed submission key, so a second run finds it.
"""

from __future__ import annotations

from fairpassage.cases.choices import Category, Stage, WhereNow
from fairpassage.cases.services import grievance_submit
from fairpassage.core.models import Organisation

DEMO_GRIEVANCES = (
    {
        "key": "demo-grievance-0001-fees",
        "where_now": WhereNow.VIET_NAM,
        "categories": [Category.FEES_DEBT, Category.DEPOSIT_PENALTY],
        "stage": Stage.BEFORE_DEPARTURE,
        "statement": "[Demo] The agency asked for 150 million dong and a deposit before the "
        "visa interview.",
        "agency_name": "[Demo] Song Hong Manpower JSC",
    },
    {
        "key": "demo-grievance-0002-wages",
        "where_now": WhereNow.JAPAN,
        "categories": [Category.WAGES, Category.HOURS],
        "stage": Stage.IN_JAPAN,
        "statement": "[Demo] Overtime has not been paid for three months.",
        "agency_name": "[Demo] Kanto Business Cooperative",
    },
    {
        "key": "demo-grievance-0003-urgent",
        "where_now": WhereNow.JAPAN,
        "categories": [Category.DOCUMENTS_HELD, Category.VIOLENCE],
        "stage": Stage.IN_JAPAN,
        "statement": "[Demo] The supervisor keeps my passport and shouted at me.",
        "urgent": True,
    },
)


def demo_create() -> None:
    """File the demo grievances once (they route to the demo support organisations)."""
    if not Organisation.objects.filter(slug__startswith="demo-").exists():
        return
    for spec in DEMO_GRIEVANCES:
        grievance_submit(
            idempotency_key=str(spec["key"]),
            where_now=str(spec["where_now"]),
            categories=[str(c) for c in spec["categories"]],  # type: ignore[attr-defined]
            stage=str(spec["stage"]),
            statement=str(spec["statement"]),
            urgent=bool(spec.get("urgent", False)),
            agency_name=str(spec.get("agency_name", "")),
            language="vi",
        )
