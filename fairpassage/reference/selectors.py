"""Reads of the reference data."""

from __future__ import annotations

import datetime as dt

from fairpassage.reference.models import MinimumWage


def minimum_wage_on(*, prefecture_code: str, on: dt.date) -> MinimumWage | None:
    """The minimum wage in force on ``on`` (by effective date, not fiscal year), if known."""
    return (
        MinimumWage.objects.filter(prefecture_id=prefecture_code, effective_date__lte=on)
        .order_by("-effective_date")
        .first()
    )
