"""The current status is derived from the latest update, never stored."""

from __future__ import annotations

import datetime as dt

import pytest

from fairpassage.core.models import User
from fairpassage.tracker import selectors
from fairpassage.tracker.models import Consultation, Recommendation
from fairpassage.tracker.services import status_update_create

pytestmark = pytest.mark.django_db


def _post(user: User, rec: Recommendation, status: str, on: dt.date) -> None:
    status_update_create(
        actor=user,
        recommendation=rec,
        organisation=user.memberships.get().organisation,
        status=status,
        date=on,
        text=f"{status} on {on}",
    )


def _status(rec: Recommendation) -> str:
    found = selectors.recommendation_get(pk=rec.pk)
    assert found is not None
    return str(found.current_status)  # type: ignore[attr-defined]


def test_no_update_means_not_started(recommendation: Recommendation) -> None:
    assert _status(recommendation) == "not_started"
    assert not hasattr(Recommendation, "status")


def test_the_latest_situation_wins_not_the_latest_posted(
    recommendation: Recommendation, users: dict[str, User]
) -> None:
    _post(users["case_worker"], recommendation, "in_progress", dt.date(2024, 5, 1))
    assert _status(recommendation) == "in_progress"
    _post(users["reviewer"], recommendation, "done", dt.date(2025, 1, 10))
    assert _status(recommendation) == "done"
    # A late report about an earlier date does not move the status back.
    _post(users["other_org"], recommendation, "partly_done", dt.date(2024, 9, 1))
    assert _status(recommendation) == "done"
    # On the same date, the one posted last wins.
    _post(users["admin"], recommendation, "dropped", dt.date(2025, 1, 10))
    assert _status(recommendation) == "dropped"


def test_filters_and_progress_use_the_derived_status(
    seeded: Consultation, users: dict[str, User]
) -> None:
    first, second = seeded.recommendations.order_by("number")[:2]
    _post(users["case_worker"], first, "done", dt.date(2023, 3, 3))
    _post(users["case_worker"], second, "in_progress", dt.date(2023, 3, 3))
    assert [r.pk for r in selectors.recommendations_list(status="done")] == [first.pk]
    assert selectors.recommendations_list(status="not_started").count() == 2
    rows = {row["theme"]: row["counts"] for row in selectors.progress_by_theme()}
    assert rows["migration_mechanisms"]["done"] == 1
    assert rows["information_channels"]["in_progress"] == 1
    assert rows["returnee_support"]["not_started"] == 1
    assert sum(sum(c.values()) for c in rows.values()) == 4
