"""API shapes of grievances and cases."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from fairpassage.core.validation import MAX_AMOUNT


class GrievanceIn(Schema):
    where_now: str = Field(description="VN, JP or XX: the country the person is in now")
    categories: list[str]
    stage: str
    statement: str
    urgent: bool = False
    contact: str = ""
    agency_name: str = ""
    province: str = Field("", description="a Vietnamese province code (2025 or older, mapped)")
    idempotency_key: str | None = Field(
        None, description="16-200 random characters; or the Idempotency-Key header"
    )


class EmergencyOut(Schema):
    country: str
    number: str
    label: str
    url: str


class GrievanceOut(Schema):
    tracking_code: str
    status: str
    urgent: bool
    created: bool
    emergency: list[EmergencyOut]


class TranslationOut(Schema):
    """A person's translation kept beside the original (never machine-made)."""

    language: str
    body: str
    organisation: str
    author_role: str
    at: dt.datetime


class MessageOut(Schema):
    id: int | None = None
    sender: str
    body: str
    at: dt.datetime
    language: str = "vi"
    translations: list[TranslationOut] = []


class GrievanceStatusOut(Schema):
    status: str
    received_on: dt.date
    organisation: str | None
    messages: list[MessageOut]


class MessageIn(Schema):
    body: str
    language: str = Field("", description="vi, ja or en; the request's language when empty")


class TrackIn(Schema):
    code: str = Field(
        "", description="the tracking code; or send it in the Tracking-Code header instead"
    )


class TrackMessageIn(TrackIn):
    body: str


class CaseSummaryOut(Schema):
    id: int
    reference: str
    organisation: str | None
    status: str
    urgent: bool
    categories: list[str]
    stage: str
    created_at: dt.datetime


class NoteOut(Schema):
    id: int | None = None
    organisation: str
    language: str
    body: str
    at: dt.datetime
    translations: list[TranslationOut] = []


class TimelineOut(Schema):
    at: dt.datetime
    kind: str
    organisation: str | None
    data: dict[str, object]


class CaseOut(CaseSummaryOut):
    parts: list[str]
    pending_referral: int | None
    statement: str | None = None
    statement_language: str = "vi"
    statement_translations: list[TranslationOut] = []
    contact: str | None = None
    worker: dict[str, object] | None = None
    close_reason: str = ""
    claim_amount_vnd: int | None = None
    notes: list[NoteOut] = []
    messages: list[MessageOut] | None = None
    timeline: list[TimelineOut] = []


class CaseUpdateIn(Schema):
    status: str | None = None
    reason: str = ""
    close_reason: str = ""
    assignee: str | None = Field(None, description="a username; empty string to unassign")


class NoteIn(Schema):
    body: str
    language: str


class TranslationIn(Schema):
    language: str
    body: str
    message: int | None = Field(None, description="the id of the message translated")
    note: int | None = Field(None, description="the note translated; neither: the statement")


class ConsentIn(Schema):
    purpose: str
    method: str
    organisations: list[str] = Field(description="organisation short names (slugs)")
    parts: list[str]
    given_on: dt.date | None = None


class ConsentOut(Schema):
    id: int
    purpose: str
    parts: list[str]
    organisations: list[str]
    given_on: dt.date
    withdrawn_on: dt.date | None


class ReferralIn(Schema):
    to_org: str
    consent: int
    parts: list[str]


class ReferralOut(Schema):
    id: int
    case: int
    from_org: str
    to_org: str
    parts: list[str]
    status: str


class DecisionIn(Schema):
    reason: str = ""


class ClaimIn(Schema):
    kind: str
    amount: int | None = Field(
        None, ge=0, le=MAX_AMOUNT, description="whole units of the currency, 0 to 10^15"
    )
    currency: str = "VND"
    due_on: dt.date | None = None


class ClaimOut(Schema):
    id: int
    kind: str
    amount: int | None
    currency: str
    due_on: dt.date | None
    status: str
