"""API schemas of the tracker."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class Localised(Schema):
    vi: str
    ja: str
    en: str


class ParticipationOut(Schema):
    stakeholder: str
    description: str
    count: int | None = Field(None, description="empty when the source gives no number")


class ConsultationOut(Schema):
    id: int
    slug: str
    title: Localised
    date: dt.date
    place: Localised
    organisers: str
    participants_total: int | None
    participants_more_than: bool = Field(description="the source gives only a lower bound")
    participants: list[ParticipationOut]
    proceedings_url: str
    source_url: str
    recommendations_count: int


class RecommendationOut(Schema):
    id: int
    consultation_id: int
    number: str
    text: Localised
    theme: str
    stakeholders: list[str]
    pending_proceedings: bool = Field(description="to be completed from the proceedings")
    current_status: str = Field(description="status of the latest update, else not_started")
    current_status_date: dt.date | None


class ConsultationDetailOut(ConsultationOut):
    summary: Localised
    source_note: str
    recommendations: list[RecommendationOut]


class StatusUpdateIn(Schema):
    status: str = Field(description="not_started, in_progress, partly_done, done or dropped")
    date: dt.date = Field(description="the day the situation described was true")
    text: str
    evidence: list[str] = Field(default_factory=list, description="web addresses")
    organisation: str | None = Field(
        None, description="slug of the organisation posting; needed when you have several"
    )
    language: str = Field("vi", description="language of the text: vi, ja or en")


class StatusUpdateOut(Schema):
    id: int
    recommendation_id: int
    status: str
    date: dt.date
    text: str
    language: str
    evidence: list[str]
    organisation: str
    organisation_name: str
    created_at: dt.datetime
