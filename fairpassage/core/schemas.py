"""API schemas of the core app."""

from __future__ import annotations

from ninja import Field, Schema


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class QueueOut(Schema):
    """The task queue (``core/queue.py``): work waiting, running and failed, and live workers."""

    waiting: int = Field(description="tasks waiting for a worker")
    running: int = Field(description="tasks a worker is running")
    oldest_waiting_seconds: float = Field(
        description="age of the oldest waiting task, in seconds (0 when none waits)"
    )
    failed_last_hour: int = Field(description="tasks that failed in the last hour")
    workers_alive: int = Field(description="workers whose heartbeat is recent")


class HealthOut(Schema):
    status: str
    database: str
    version: str
    queue: QueueOut


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    role: str


class MeOut(Schema):
    username: str
    platform_staff: bool
    memberships: list[MembershipOut]
