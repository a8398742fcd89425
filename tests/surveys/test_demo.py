"""Analysts start with data (issue 16, item 7): `fairpassage setup` loads a demo survey generated
from our questionnaire, marked as demo on every page, the same on every machine, in seconds; the
picker offers the questionnaire's labels and the groups are named in words, money with its
currency."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import translation

from fairpassage.cli import main
from fairpassage.core import demo as core_demo
from fairpassage.core.models import Organisation, User
from fairpassage.surveys import demo
from fairpassage.surveys.forms import SurveyForm
from fairpassage.surveys.models import Survey
from fairpassage.surveys.presenters import export_rows
from tests.factories import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_org(tmp_path: Path) -> None:
    core_demo.demo_create(actor=None, passwords_file=tmp_path / "demo-users.json")


def test_answers_are_generated_from_the_seed_and_the_same_each_time() -> None:
    first = demo.respondents()
    assert first == demo.respondents()
    assert first != demo.respondents(seed=demo.SEED + 1)
    assert len(first) == demo.RESPONDENTS
    answered = [p for p in first if p["consent"] == "yes"]
    assert {p["sex"] for p in answered} == {"female", "male", "other"}
    assert {"titp", "ssw"} <= {p["programme"] for p in answered}


def test_demo_survey_is_imported_quickly_marked_and_created_once(demo_org: None) -> None:
    started = time.perf_counter()
    survey = demo.demo_create()
    elapsed = time.perf_counter() - started
    print(f"demo survey created in {elapsed:.2f} s")
    assert elapsed < 5, f"the demo survey took {elapsed:.1f} s"
    assert survey is not None and survey.is_demo and survey.title.startswith("[Demo]")
    record = survey.imports.get()
    consented = [p for p in demo.respondents() if p["consent"] == "yes"]
    assert record.status == "done" and record.respondents == len(consented)  # others skipped
    result = survey.results.get()
    assert result.report["overall"]["n"] > 150
    again = demo.demo_create()
    assert again == survey and Survey.objects.count() == 1
    # Deterministic: a fresh demo gives the same figures.
    report = result.report
    survey.delete()
    rebuilt = demo.demo_create()
    assert rebuilt is not None and rebuilt.results.get().report == report


def test_setup_loads_the_demo_survey(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with override_settings(VAR_DIR=tmp_path):
        assert main(["--lang", "en", "setup"]) == 0
    assert "demo survey" in capsys.readouterr().out
    assert Survey.objects.filter(is_demo=True).count() == 1
    with override_settings(VAR_DIR=tmp_path):
        assert main(["--lang", "en", "setup", "--no-demo"]) == 0
    assert Survey.objects.count() == 1


def test_every_page_of_the_demo_survey_says_it_is_a_demo(client: Client, demo_org: None) -> None:
    survey = demo.demo_create()
    assert survey is not None
    login_verified(client, User.objects.get(username="demo-analyst"))
    record = survey.imports.get()
    for url in (
        "/vi/surveys/",
        f"/vi/surveys/{survey.pk}/",
        f"/vi/surveys/imports/{record.pk}/",
        f"/vi/surveys/{survey.pk}/mapping/",
    ):
        html = client.get(url).content.decode()
        assert 'class="demo-badge"' in html or 'class="demo-banner"' in html, url
    detail = client.get(f"/vi/surveys/{survey.pk}/").content.decode()
    assert 'class="demo-banner"' in detail


def test_groups_are_named_in_the_questionnaires_words_and_money_has_its_currency(
    client: Client, demo_org: None
) -> None:
    survey = demo.demo_create()
    assert survey is not None
    login_verified(client, User.objects.get(username="demo-analyst"))
    vi = client.get(f"/vi/surveys/{survey.pk}/").content.decode()
    for words in ("Nữ", "Thực tập sinh kỹ năng", "Giới tính", "Nữ · Thực tập sinh kỹ năng"):
        assert words in vi, words
    assert "sex = female" not in vi and "programme = titp" not in vi
    costs = vi.split("<caption>", 2)[2]  # the costs, borrowing and debt table
    assert re.search(r'class="num">\d{1,3}(\.\d{3}){2,} ₫</td>', costs)
    ja = client.get(f"/ja/surveys/{survey.pk}/").content.decode()
    assert "女性" in ja and "技能実習" in ja
    assert re.search(r'class="num">\d{1,3}(,\d{3}){2,}ドン</td>', ja)
    # Downloads keep the codes, for the machines that read them.
    csv_rows = export_rows(survey.results.get().report)
    assert any(str(row[0]).startswith("sex = female") for row in csv_rows)


def test_the_picker_offers_the_questionnaires_labels(client: Client, demo_org: None) -> None:
    analyst = User.objects.get(username="demo-analyst")
    login_verified(client, analyst)
    html = client.get("/vi/surveys/new/").content.decode()
    assert 'type="checkbox" name="breakdowns" value="sex"' in html
    assert "Giới tính × Chương trình" in html and "Ngành nghề ở Nhật" in html
    assert 'type="text" name="breakdowns"' not in html
    with translation.override("ja"):
        form = SurveyForm(organisations=Organisation.objects.none())
        labels = dict(form.fields["breakdowns"].choices)  # type: ignore[attr-defined]
    assert labels["sex+programme"] == "性別 × 在留資格・制度"
    organisation = analyst.memberships.get().organisation
    response = client.post(
        "/vi/surveys/new/",
        {
            "organisation": organisation.pk,
            "title": "Khảo sát 2026",
            "currency": "VND",
            "breakdowns": ["sex+programme", "occupation"],
            "min_cell": 5,
        },
    )
    assert response.status_code == 302
    created = Survey.objects.get(title="Khảo sát 2026")
    assert created.breakdowns == [["sex", "programme"], ["occupation"]]
    assert not created.is_demo
