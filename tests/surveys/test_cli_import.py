"""`fairpassage survey-import`: the page's import service from the command line, all-or-nothing,
with a JSON summary, a dry run that stores nothing, and exit status 2 naming the bad input."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fairpassage.cli import main
from fairpassage.core.models import AuditEvent, Organisation, User
from fairpassage.stats.questionnaire import FORM_ID
from fairpassage.surveys import selectors, services
from fairpassage.surveys.models import ImportStatus, Survey, SurveyImport, SurveyResult
from tests.surveys.exports import RESPONDENTS, kobo_csv, kobo_xlsx, odk_csv

ROOT = Path(__file__).resolve().parents[2]
FAIRPASSAGE = Path(sys.executable).with_name("fairpassage")


def write(folder: Path, files: dict[str, bytes]) -> list[str]:
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(str(folder / name))
    return paths


def export(kind: str, folder: Path, people: list[dict[str, Any]] = RESPONDENTS) -> list[str]:
    if kind == "kobo-xlsx":
        return write(folder, {"survey.xlsx": kobo_xlsx(people)})
    if kind == "kobo-csv":
        return write(folder, {"survey.csv": kobo_csv(people)})
    return write(folder, odk_csv(people))


def survey_import(
    capsys: pytest.CaptureFixture[str], *args: str, lang: str = "en"
) -> tuple[int, dict[str, Any] | None, str]:
    status = main(["--lang", lang, "survey-import", *args])
    out, err = capsys.readouterr()
    return status, json.loads(out) if out.strip() else None, err


@pytest.mark.parametrize("kind", ["kobo-xlsx", "kobo-csv", "odk-csv"])
@pytest.mark.parametrize("given", [True, False], ids=["format-given", "format-guessed"])
def test_each_export_format_is_imported_into_the_survey(
    kind: str,
    given: bool,
    survey: Survey,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = export(kind, tmp_path)
    options = ["--format", kind] if given else []
    org = survey.organisation.slug
    status, summary, err = survey_import(
        capsys, *files, "--organisation", org, "--survey", str(survey.pk), *options
    )
    assert status == 0, err
    assert summary is not None
    record = SurveyImport.objects.get()
    assert record.status == ImportStatus.DONE and record.survey == survey
    assert record.uploaded_by is None and record.upload == ""
    sheet = FORM_ID[:31] if kind == "kobo-xlsx" else None  # a workbook names its sheet too
    assert summary == {
        "status": "done",
        "dry_run": False,
        "organisation": org,
        "survey": {"id": survey.pk, "title": "Returnees 2026", "created": False},
        "import": record.pk,
        "result": SurveyResult.objects.get(source=record).pk,
        "format": kind.replace("-", "_"),
        "files": sorted(Path(f).name for f in files),
        "rows_read": 4,
        "cost_items_read": 4,
        "rows_imported": 3,
        "cost_items_imported": 4,
        "rows_not_used": [
            {
                "file": Path(files[0]).name,
                "sheet": sheet,
                "row": 5,
                "column": summary["rows_not_used"][0]["column"],
                "code": "no_consent",
                "reason": "The respondent did not consent: the row is not used (column "
                f"{summary['rows_not_used'][0]['column']}).",
                "blocking": False,
            }
        ],
    }
    assert summary["rows_not_used"][0]["column"].endswith("consent")
    assert "Imported: 3 respondents, 4 cost items, 1 left out." in err
    assert "computing the indicator" in err
    assert selectors.latest_result(survey=survey).report["overall"]["n"] == 2  # type: ignore[union-attr]
    audit = AuditEvent.objects.get(action="survey.import")
    assert audit.actor is None and audit.actor_label == "system"
    assert audit.data["via"] == "command line"
    assert audit.organisation == survey.organisation


def test_a_new_title_creates_the_survey_with_its_rates(
    organisation: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = export("odk-csv", tmp_path)
    status, summary, err = survey_import(
        capsys,
        *files,
        "--organisation",
        organisation.slug,
        "--survey",
        "Hà Tĩnh returnees 2026",
        "--rate",
        "VND=0.0061",
        "--rates-source",
        "illustrative",
    )
    assert status == 0, err
    survey = Survey.objects.get()
    assert summary is not None and summary["survey"] == {
        "id": survey.pk,
        "title": "Hà Tĩnh returnees 2026",
        "created": True,
    }
    assert survey.organisation == organisation and survey.created_by is None
    assert survey.currency == "JPY" and survey.rates == {"VND": 0.0061}
    assert AuditEvent.objects.get(action="survey.create").data == {"via": "command line"}
    # the next run finds the survey by its title instead of creating another
    status, summary, err = survey_import(
        capsys, *files, "--organisation", organisation.slug, "--survey", "Hà Tĩnh returnees 2026"
    )
    assert status == 0, err
    assert summary is not None and summary["survey"]["created"] is False
    assert Survey.objects.count() == 1
    # options of a new survey are refused for an existing one rather than ignored
    status, summary, err = survey_import(
        capsys, *files, "--organisation", organisation.slug, "--survey", str(survey.pk),
        "--currency", "USD",
    )  # fmt: skip
    assert status == 2 and summary is None
    assert "--currency" in err and f"survey {survey.pk} exists" in err


def test_a_dry_run_reads_and_checks_and_stores_nothing(
    organisation: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = export("kobo-xlsx", tmp_path)
    events = AuditEvent.objects.count()
    status, summary, err = survey_import(
        capsys, *files, "--organisation", organisation.slug, "--survey", "New", "--dry-run"
    )
    assert status == 0, err
    assert summary is not None
    assert summary["status"] == "checked" and summary["dry_run"] is True
    assert summary["survey"] == {"id": None, "title": "New", "created": False}
    assert summary["import"] is None and summary["result"] is None
    assert (summary["rows_read"], summary["cost_items_read"]) == (4, 4)
    assert (summary["rows_imported"], summary["cost_items_imported"]) == (0, 0)
    assert [row["code"] for row in summary["rows_not_used"]] == ["no_consent"]
    assert "dry run, nothing stored" in err
    assert not Survey.objects.exists() and not SurveyImport.objects.exists()
    assert AuditEvent.objects.count() == events

    people = copy.deepcopy(RESPONDENTS)
    people[1]["age"] = "twenty"
    bad = export("kobo-xlsx", tmp_path, people)
    status, summary, err = survey_import(
        capsys, *bad, "--organisation", organisation.slug, "--survey", "New", "--dry-run"
    )
    assert status == 2
    assert f"survey.xlsx, sheet {FORM_ID[:31]}, row 3, column profile/age: " in err
    assert "1 problem found; nothing was imported." in err
    assert summary is not None and summary["status"] == "rejected"
    assert [(r["row"], r["code"], r["blocking"]) for r in summary["rows_not_used"]] == [
        (3, "not_integer", True),
        (5, "no_consent", False),
    ]
    assert not SurveyImport.objects.exists()


def test_bad_rows_exit_2_naming_file_row_and_column_and_nothing_is_imported(
    survey: Survey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = copy.deepcopy(RESPONDENTS)
    people[0]["sex"] = "x"
    people[1]["items"][0]["amount"] = "-5"
    files = export("odk-csv", tmp_path, people)
    main_file, repeat_file = (Path(f).name for f in files)
    status, summary, err = survey_import(
        capsys, *files, "--organisation", survey.organisation.slug, "--survey", "Returnees 2026"
    )
    assert status == 2
    assert summary is not None and summary["status"] == "rejected"
    assert summary["rows_read"] is None and summary["rows_imported"] == 0
    blocking = [
        (r["file"], r["row"], r["column"], r["code"])
        for r in summary["rows_not_used"]
        if r["blocking"]
    ]
    assert blocking == [
        (main_file, 2, "profile-sex", "bad_choice"),
        (repeat_file, 5, "amount", "negative_amount"),
    ]
    assert f"{main_file}, row 2, column profile-sex: " in err
    assert "2 problems found; nothing was imported." in err
    record = SurveyImport.objects.get()  # the report is kept, as on the page; no data
    assert record.status == ImportStatus.REJECTED and record.data == "" and record.upload == ""
    assert record.respondents == 0 and not SurveyResult.objects.exists()


def test_reasons_are_in_the_chosen_language(
    survey: Survey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = export("kobo-csv", tmp_path)
    org = survey.organisation.slug
    status, summary, _err = survey_import(
        capsys, *files, "--organisation", org, "--survey", str(survey.pk), "--dry-run",
        "--lang", "vi",
    )  # fmt: skip
    assert status == 0 and summary is not None
    assert summary["rows_not_used"][0]["reason"].startswith("Người này không đồng ý")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--organisation", "nobody"], "--organisation: no organisation nobody"),
        (["--survey", "999999"], "--survey: "),
        (["--format", "spss"], "--format: spss"),
        (["--mapping", "none-such"], "--mapping: "),
        (["--rate", "VND:0.0061", "--survey", "Another"], "[rates]"),
        (["--currency", "JP¥", "--survey", "Another"], "[currency]"),
    ],
)
def test_bad_options_exit_2_naming_the_option_and_store_nothing(
    args: list[str],
    named: str,
    survey: Survey,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = export("kobo-xlsx", tmp_path)
    base = {"--organisation": survey.organisation.slug, "--survey": str(survey.pk)}
    pairs = dict(zip(args[::2], args[1::2], strict=True))
    options = [part for key, value in {**base, **pairs}.items() for part in (key, value)]
    status, summary, err = survey_import(capsys, *files, *options)
    assert status == 2 and summary is None
    assert named in err
    assert Survey.objects.count() == 1 and not SurveyImport.objects.exists()


def test_missing_and_unreadable_files_exit_2_naming_the_file(
    survey: Survey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--organisation", survey.organisation.slug, "--survey", str(survey.pk)]
    status, summary, err = survey_import(capsys, str(tmp_path / "gone.xlsx"), *where)
    assert status == 2 and summary is None and "gone.xlsx: no such file" in err

    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    status, summary, err = survey_import(capsys, str(tmp_path / "broken.xlsx"), *where)
    assert status == 2 and summary is not None
    assert [(r["file"], r["code"]) for r in summary["rows_not_used"]] == [
        ("broken.xlsx", "unreadable")
    ]
    assert "broken.xlsx, row 1" in err

    # a spreadsheet saved as "Unicode text" is UTF-16, not the UTF-8 an export is
    (tmp_path / "saved.csv").write_bytes(kobo_csv().decode().encode("utf-16"))
    status, summary, err = survey_import(capsys, str(tmp_path / "saved.csv"), *where)
    assert status == 2 and summary is not None
    assert [(r["file"], r["code"]) for r in summary["rows_not_used"]] == [
        ("saved.csv", "unreadable")
    ]
    assert "UTF-8" in summary["rows_not_used"][0]["reason"]
    assert not SurveyResult.objects.exists()


def test_another_questionnaire_through_a_saved_mapping(
    analyst: User, survey: Survey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services.mapping_save(  # saved on the page by an analyst
        actor=analyst,
        organisation=survey.organisation,
        name="provincial form",
        mapping={
            "id_column": "id",
            "columns": {"sex": "gender", "first_month_earnings": "pay"},
            "values": {"sex": {"M": "male", "F": "female"}},
            "costs": [{"column": "fee", "item": "service_fee", "currency": "JPY"}],
            "constants": {"earnings_currency": "JPY"},
        },
    )
    (tmp_path / "other.csv").write_bytes(b"id,gender,pay,fee\na,F,100,300\nb,M,100,100\n")
    where = ["--organisation", survey.organisation.slug, "--survey", str(survey.pk)]
    args = [str(tmp_path / "other.csv"), *where, "--mapping", "provincial form"]
    status, summary, err = survey_import(capsys, *args, "--format", "kobo-csv")
    assert status == 2 and "--format" in err and summary is None
    status, summary, err = survey_import(capsys, *args)
    assert status == 0, err
    assert summary is not None and summary["format"] == "mapped"
    assert (summary["rows_imported"], summary["cost_items_imported"]) == (2, 2)
    report = selectors.latest_result(survey=survey).report  # type: ignore[union-attr]
    assert report["overall"]["ratio_of_means"] == 2.0


def test_importing_again_adds_an_import_whose_result_becomes_the_latest(
    survey: Survey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--organisation", survey.organisation.slug, "--survey", str(survey.pk)]
    first_status, first, _err = survey_import(capsys, *export("kobo-xlsx", tmp_path), *where)
    people = copy.deepcopy(RESPONDENTS)
    people[2]["first_month_earnings"] = 180000  # a correction: one more usable respondent
    status, second, err = survey_import(capsys, *export("kobo-xlsx", tmp_path, people), *where)
    assert first_status == status == 0, err
    assert first is not None and second is not None and first["import"] != second["import"]
    assert SurveyImport.objects.filter(status=ImportStatus.DONE).count() == 2
    latest = selectors.latest_result(survey=survey)
    assert latest is not None and latest.source_id == second["import"]
    assert latest.pk == second["result"] and latest.report["overall"]["n"] == 3


def test_the_installed_command_imports_in_its_own_process(tmp_path: Path) -> None:
    """The `fairpassage` program against an installation of its own (a fresh database)."""
    var = tmp_path / "var"
    var.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "TEST_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "FAIRPASSAGE_ENV": "development",
        "FAIRPASSAGE_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
    }

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    migrated = run(sys.executable, "manage.py", "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    created = run(
        sys.executable,
        "manage.py",
        "shell",
        "-c",
        "from fairpassage.core.models import Organisation as O; "
        "O.objects.create(name='Nghe An Centre', slug='nghe-an', country='VN', "
        "kind='support_organisation')",
    )
    assert created.returncode == 0, created.stderr
    files = export("odk-csv", tmp_path)
    where = ["--organisation", "nghe-an", "--survey", "Returnees"]
    done = run(str(FAIRPASSAGE), "--lang", "en", "survey-import", *files, *where)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "done" and summary["survey"]["created"] is True
    assert summary["rows_imported"] == 3 and summary["import"] is not None
    assert "reading and checking the rows" in done.stderr
    unknown = run(str(FAIRPASSAGE), "--lang", "en", "survey-import", *files, "--organisation",
                  "nowhere", "--survey", "Returnees")  # fmt: skip
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert "--organisation: no organisation nowhere" in unknown.stderr
