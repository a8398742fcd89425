"""API shapes of surveys: summaries and stored results (aggregates only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class SurveyOut(Schema):
    id: int
    title: str
    organisation: str
    currency: str
    min_cell: int
    is_demo: bool = Field(
        False, description="Generated answers for trying the product, never real respondents."
    )
    created_at: dt.datetime


class SurveyResultOut(Schema):
    survey: int
    computed_at: dt.datetime
    parameters: dict[str, Any]
    report: dict[str, Any]
    descriptive: dict[str, Any]
    distribution: list[dict[str, Any]]
