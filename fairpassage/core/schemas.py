"""API schemas of the core app."""

from __future__ import annotations

from ninja import Schema


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class HealthOut(Schema):
    status: str
    database: str
    version: str


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    role: str


class MeOut(Schema):
    username: str
    platform_staff: bool
    memberships: list[MembershipOut]
