"""Who may post an update, what is refused, and the audit trail each update leaves."""

from __future__ import annotations

import datetime as dt

import pytest

from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import AuditEvent, Organisation, User
from fairpassage.tracker.models import Recommendation, StatusUpdate
from fairpassage.tracker.services import status_update_create
from tests.tracker.conftest import YESTERDAY

pytestmark = pytest.mark.django_db


def _post(user: User, rec: Recommendation, org: Organisation, **overrides: object) -> StatusUpdate:
    values: dict[str, object] = {
        "status": "in_progress",
        "date": YESTERDAY,
        "text": "A hotline number was added to the pre-departure booklet.",
        "evidence": ["https://example.org/booklet.pdf"],
    }
    values.update(overrides)
    return status_update_create(
        actor=user,
        recommendation=rec,
        organisation=org,
        **values,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("role", ["case_worker", "reviewer", "admin"])
def test_staff_of_a_member_organisation_post_and_the_update_is_audited(
    recommendation: Recommendation, users: dict[str, User], home_org: Organisation, role: str
) -> None:
    update = _post(users[role], recommendation, home_org)
    assert (update.author, update.organisation) == (users[role], home_org)
    event = AuditEvent.objects.get(action="tracker.status_update.create")
    assert event.actor == users[role]
    assert event.organisation == home_org
    assert event.object_id == str(update.pk)
    assert event.data["status"] == "in_progress"
    assert event.data["recommendation"] == recommendation.pk


@pytest.mark.parametrize("role", ["analyst", "staff", "other_org"])
def test_others_cannot_post_for_the_organisation(
    recommendation: Recommendation, users: dict[str, User], home_org: Organisation, role: str
) -> None:
    with pytest.raises(Forbidden):
        _post(users[role], recommendation, home_org)
    assert not StatusUpdate.objects.exists()
    assert not AuditEvent.objects.filter(action="tracker.status_update.create").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"date": dt.date.today() + dt.timedelta(days=2)}, "date"),
        ({"date": dt.date(2019, 7, 1)}, "date"),
        ({"text": "   "}, "text"),
        ({"evidence": ["https://ok.example/a", "javascript:alert(1)"]}, "evidence[1]"),
        ({"evidence": [f"https://e.example/{n}" for n in range(11)]}, "evidence"),
    ],
)
def test_bad_input_names_the_field(
    recommendation: Recommendation,
    users: dict[str, User],
    home_org: Organisation,
    overrides: dict[str, object],
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as error:
        _post(users["case_worker"], recommendation, home_org, **overrides)
    assert error.value.field == field
    assert not StatusUpdate.objects.exists()
