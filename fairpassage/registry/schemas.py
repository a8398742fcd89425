"""API schemas of the agency registry."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field


class AgencyMatchOut(Schema):
    id: int
    slug: str
    name: str
    name_local: str
    country: str
    kind: str
    licence_number: str | None
    issuer: str | None
    status: str = Field(
        description="licence status on the date asked: active, suspended, revoked, expired, "
        "not_issued (before its first recorded status) or no_licence"
    )
    score: float
    reason: str


class StatusChangeOut(Schema):
    status: str
    effective_on: dt.date
    note: str


class LicenceOut(Schema):
    issuer: str
    number: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    status: str
    history: list[StatusChangeOut]


class SanctionOut(Schema):
    decided_on: dt.date
    authority: str
    measure: str
    basis: str
    source_url: str


class AgencyOut(Schema):
    id: int
    slug: str
    name: str
    name_local: str
    country: str
    kind: str
    on: dt.date
    licensed: bool
    licences: list[LicenceOut]
    sanctions: list[SanctionOut]
    reports: dict[str, float | int | bool]
    fee_checks: dict[str, int | bool | None]


class ReviewIn(Schema):
    fees_honesty: int = Field(ge=1, le=5)
    contract_kept: int = Field(ge=1, le=5)
    support: int = Field(ge=1, le=5)
    text: str = Field("", max_length=3000)


class ReviewAcceptedOut(Schema):
    status: Literal["pending"]
    message: str
