"""API schemas of the fee check: the documented input and report.

The schemas check shapes and types; every rule of law (and every range) is checked by the law
engine, which names the field in the same dotted form (``payments[2].currency``). The report
models allow extra keys, so the API returns exactly what ``fairpassage check-fees`` prints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from fairpassage.law.engagement import PAYEES
from fairpassage.law.taxonomy import CATEGORIES


class MoneyIn(Schema):
    amount: int | float = Field(ge=0, examples=[180000])
    currency: str = Field(min_length=3, max_length=3, examples=["JPY"])


class PaymentIn(Schema):
    label: str | None = Field(None, max_length=500, examples=["Phí dịch vụ"])
    category: str | None = Field(
        None,
        examples=["service_fee"],
        description="Kind of cost, when the person chose it (else read from the label): "
        + ", ".join(CATEGORIES),
    )
    amount: int | float = Field(ge=0, examples=[120000000])
    currency: str = Field(min_length=3, max_length=3, examples=["VND"])
    paid_on: dt.date | None = None
    payee: str | None = Field(
        None,
        examples=["sending_organisation"],
        description="Who was paid (a fee paid to an organisation in Japan is judged by the "
        "Japanese rule, not the Vietnamese ceilings): " + ", ".join(PAYEES),
    )


class ConductIn(Schema):
    passport_held: bool | None = None
    penalty_contract: bool | None = None
    forced_savings: bool | None = None


class FeeCheckIn(Schema):
    programme: Literal["titp", "ssw", "esd"]
    stage: Literal["titp1", "titp2", "titp3", "ssw1", "ssw2", "esd"] | None = None
    prior: Literal["none", "titp2_completed", "titp3_completed"] = "none"
    same_sending_and_supervising: bool | None = Field(
        None,
        description="Stage 3: no service enterprise or supervising organisation changed. "
        "Left out: both ceilings are shown (needs_review where they differ).",
    )
    sender: Literal["service_enterprise", "public_unit"] | None = Field(
        None,
        description="Who sends the worker (default service_enterprise); a public "
        "non-business unit may collect no service fee (Law 69 Art. 42(3)).",
    )
    extension_months: int | None = Field(
        None, ge=1, le=120, description="Months of contract extension (Law 69 Art. 23(4)(b))."
    )
    japanese_side_paid_service_fee: MoneyIn | None = Field(
        None,
        description="Service fee the Japanese side paid the Vietnamese enterprise "
        "(Law 69 Art. 23(2)(d)); the worker's allowed share is the ceiling less it.",
    )
    contract_months: int = Field(ge=1, le=120, examples=[36])
    monthly_basic_wage: MoneyIn
    signed_on: dt.date
    departs_on: dt.date | None = None
    payments: list[PaymentIn] = Field(max_length=200)
    conduct: ConductIn | None = None
    fx: dict[str, int | float] | None = Field(None, examples=[{"JPY": 170.0, "USD": 25400.0}])


class Basis(BaseModel):
    model_config = ConfigDict(extra="allow")
    instrument: str
    provision: str | None = None
    url: str | None = None
    verification: str


class ItemOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    label: str
    category: str | None
    category_source: Literal["given", "inferred", "unknown"]
    ilo_class: str | None
    amount_vnd: int


class FindingOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    rule: str
    status: Literal["violation", "compliant", "needs_review", "advisory", "not_applicable"]
    excess_vnd: int
    limit_vnd: int | None
    basis: list[Basis]
    verified: bool = Field(
        description="Every basis read in its own text and no payment's category guessed "
        "from its label"
    )
    inferred_payments: list[int] = Field(
        default_factory=list,
        description="Payments of this finding whose category was read from the label",
    )
    message: str


class SummaryOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    total_paid_vnd: int
    excess_vnd: int
    worker_borne_recruitment_costs_vnd: int


class FeeCheckOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    rules_version: str
    law_date: dt.date
    items: list[ItemOut]
    findings: list[FindingOut]
    summary: SummaryOut


class DebtIn(Schema):
    principal: MoneyIn
    annual_interest_rate: int | float = Field(ge=0, examples=[0.12])


class DeductionsIn(Schema):
    housing: int | float | None = Field(None, ge=0)
    utilities: int | float | None = Field(None, ge=0)
    meals: int | float | None = Field(None, ge=0)
    other: int | float | None = Field(None, ge=0)


class EarningsIn(Schema):
    on: dt.date
    prefecture: str = Field(examples=["13", "tokyo"])
    monthly_basic_wage: int | float | None = Field(None, ge=0, examples=[190000])
    hourly_wage: int | float | None = Field(None, ge=0)
    scheduled_hours_per_month: int | float = Field(gt=0, examples=[160])
    overtime_hours_per_month: int | float = Field(0, ge=0, examples=[20])
    age: int = Field(ge=15, le=80, examples=[24])
    months_in_japan: int = Field(0, ge=0, examples=[6])
    deductions: DeductionsIn | None = None
    debt: DebtIn | None = None
    remit_share_of_net: int | float = Field(0, ge=0, le=1, examples=[0.6])
    fx: dict[str, int | float] | None = Field(None, examples=[{"JPY": 170.0}])
    programme: Literal["titp", "ssw", "esd"] | None = None
    industry: Literal["general", "agriculture", "construction"] | None = None
    housing_actual_cost: int | float | None = Field(None, ge=0)
    deductions_agreement: bool | None = None
    dependants: int | None = Field(None, ge=0, le=20)
    horizon_months: int | None = Field(None, ge=1, le=600)
    contract_months: int | None = Field(
        None,
        ge=1,
        le=600,
        description="length of the work contract in months; without it, the programme's usual "
        "length (technical intern training 36, skill development 36), else no contract verdict",
    )


class EarningsOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    rules_version: str
    law_date: dt.date
    pay: dict[str, Any]
    debt: dict[str, Any]
    findings: list[FindingOut]
    approximations: list[dict[str, Any]]


def as_engine_input(payload: Schema) -> dict[str, Any]:
    """The payload as the JSON the law engine reads (dates as ISO text, no empty keys)."""
    return payload.model_dump(mode="json", exclude_none=True)
