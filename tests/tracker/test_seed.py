"""The seeded 2019 Ha Noi consultation: loaded once, idempotent, nothing invented."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from fairpassage.core.models import AuditEvent
from fairpassage.tracker import selectors
from fairpassage.tracker.models import Consultation, Recommendation, StatusUpdate
from fairpassage.tracker.services import status_update_create, tracker_seed_load
from tests.tracker.conftest import SEED_SLUG, YESTERDAY

pytestmark = pytest.mark.django_db


def test_the_seed_is_the_hanoi_consultation_with_four_groups() -> None:
    messages: list[tuple[str, str]] = []
    assert tracker_seed_load(progress=lambda name, state: messages.append((name, state))) == {
        "2019-07-24-hanoi.yaml": "created"
    }
    assert messages == [("2019-07-24-hanoi.yaml", "created")]
    consultation = Consultation.objects.get(slug=SEED_SLUG)
    assert str(consultation.date) == "2019-07-24"
    assert consultation.title_en == "Consultation on Labour Migration from Viet Nam to Japan"
    assert all((consultation.title_vi, consultation.title_ja, consultation.place_ja))
    assert (consultation.participants_total, consultation.participants_more_than) == (50, True)
    assert consultation.source_url.startswith("http")
    groups = set(consultation.participations.values_list("stakeholder", flat=True))
    assert groups == {
        "government_jp",
        "government_vn",
        "agencies_association",
        "international_organisations",
        "civil_society",
        "recruitment_agencies",
    }
    assert not consultation.participations.exclude(count=None).exists()  # no invented counts
    recs = list(selectors.recommendations_list(consultation_id=consultation.pk))
    assert [(r.number, r.theme) for r in recs] == [
        ("1", "migration_mechanisms"),
        ("2", "information_channels"),
        ("3", "international_cooperation"),
        ("4", "returnee_support"),
    ]
    assert all(r.pending_proceedings for r in recs)
    assert {r.current_status for r in recs} == {"not_started"}  # type: ignore[attr-defined]
    assert all(r.text_vi and r.text_ja and r.text_en for r in recs)
    assert not StatusUpdate.objects.exists()


def test_loading_again_changes_nothing() -> None:
    tracker_seed_load()
    events = AuditEvent.objects.count()
    assert tracker_seed_load() == {"2019-07-24-hanoi.yaml": "unchanged"}
    assert Consultation.objects.count() == 1
    assert Recommendation.objects.count() == 4
    assert AuditEvent.objects.count() == events


def test_a_changed_file_updates_in_place_and_keeps_the_updates(
    tmp_path: Path, users: dict[str, object]
) -> None:
    folder = tmp_path / "consultations"
    folder.mkdir()
    source = Path(settings.FAIRPASSAGE_DATA_DIR) / "consultations" / "2019-07-24-hanoi.yaml"
    shutil.copy(source, folder / source.name)
    tracker_seed_load(data_dir=tmp_path)
    rec = Recommendation.objects.get(number="4")
    update = status_update_create(
        actor=users["case_worker"],  # type: ignore[arg-type]
        recommendation=rec,
        organisation=users["case_worker"].memberships.get().organisation,  # type: ignore[attr-defined]
        status="in_progress",
        date=YESTERDAY,
        text="A returnee desk opened.",
    )
    data = yaml.safe_load(source.read_text("utf-8"))
    data["recommendations"][3]["text"]["en"] = "Expand support for returnees."
    data["recommendations"][3]["stakeholders"] = ["government_vn"]
    (folder / source.name).write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert tracker_seed_load(data_dir=tmp_path) == {"2019-07-24-hanoi.yaml": "updated"}
    rec.refresh_from_db()
    assert rec.text_en == "Expand support for returnees."
    assert list(rec.addressees.values_list("stakeholder", flat=True)) == ["government_vn"]
    assert Recommendation.objects.count() == 4
    assert StatusUpdate.objects.get() == update
