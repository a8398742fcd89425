"""Imports of official lists: all or nothing, a row-by-row report, history kept on re-import."""

from __future__ import annotations

import datetime as dt

import pytest

from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import AuditEvent, Organisation
from fairpassage.registry.imports import agencies_import
from fairpassage.registry.models import ImportBatch, Licence, LicenceStatusChange
from fairpassage.registry.selectors import agencies_search, status_on
from tests.registry.conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

SAO_MAI = (
    "Công ty Cổ phần Nhân lực Sao Mai,VN,sending_agency,123/LĐTBXH-GP,active,2021-03-01,,"
    "Hà Nội,024 1234 5678,"
)
SAKURA = (
    "サクラ事業協同組合,JP,supervising_organisation,許1712000123,active,2019-04-01,2029-03-31,"
    "東京都,,"
)
NOV_1, NOV_20 = dt.date(2026, 11, 1), dt.date(2026, 11, 20)


def _import(data: bytes, **kwargs: object):
    kwargs.setdefault("as_of", NOV_1)
    return agencies_import(actor=None, data=data, filename="list.csv", **kwargs)  # type: ignore[arg-type]


def _counts() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        Licence.objects.count(),
        LicenceStatusChange.objects.count(),
        ImportBatch.objects.count(),
    )


def test_generic_csv_creates_organisations_licences_and_history() -> None:
    report = _import(csv_bytes(SAO_MAI, SAKURA))
    assert report.ok and report.batch_id is not None
    assert report.as_dict()["created"] == 2
    licence = Licence.objects.get(number="123/LĐTBXH-GP")
    assert licence.organisation.country == "VN"
    assert licence.organisation.phone == "024 1234 5678"
    assert [(c.status, c.effective_on) for c in licence.history.all()] == [
        ("active", dt.date(2021, 3, 1))
    ]
    assert AuditEvent.objects.filter(action="registry.import").count() == 1


def test_dry_run_reports_and_changes_nothing() -> None:
    before = _counts()
    report = _import(csv_bytes(SAO_MAI, SAKURA), dry_run=True)
    assert report.ok and report.batch_id is None
    assert [c.action for c in report.changes] == ["create", "create"]
    assert _counts() == before


def test_re_import_is_idempotent() -> None:
    _import(csv_bytes(SAO_MAI, SAKURA))
    before = _counts()
    report = _import(csv_bytes(SAO_MAI, SAKURA))
    assert report.ok and report.changes == [] and report.unchanged == 2
    assert _counts() == before


def test_revocation_keeps_history_and_answers_both_sides_of_the_change() -> None:
    _import(csv_bytes(SAO_MAI, SAKURA))
    revoked = SAO_MAI.replace(",active,", ",revoked,")
    report = _import(csv_bytes(revoked, SAKURA), as_of=NOV_20)
    assert report.as_dict()["status_changes"] == 1
    licence = Licence.objects.get(number="123/LĐTBXH-GP")
    assert [c.status for c in licence.history.all()] == ["active", "revoked"]
    assert status_on(licence, dt.date(2026, 11, 19)) == "active"
    assert status_on(licence, NOV_20) == "revoked"
    assert status_on(licence, dt.date(2021, 2, 28)) == "not_issued"
    found = agencies_search(text="123 LDTBXH GP", on=dt.date(2026, 11, 19))
    assert found[0].status == "active"
    assert agencies_search(text="123 LDTBXH GP", on=NOV_20)[0].status == "revoked"


def test_a_list_older_than_the_recorded_change_is_refused() -> None:
    _import(csv_bytes(SAO_MAI))
    _import(csv_bytes(SAO_MAI.replace(",active,", ",revoked,")), as_of=NOV_20)
    report = _import(csv_bytes(SAO_MAI), as_of=NOV_1)
    assert [(e.row, e.column) for e in report.errors] == [(2, "licence_status")]


def test_expiry_date_makes_an_active_licence_expired() -> None:
    _import(csv_bytes(SAKURA))
    licence = Licence.objects.get(number="許1712000123")
    assert status_on(licence, dt.date(2029, 3, 31)) == "active"
    assert status_on(licence, dt.date(2029, 4, 1)) == "expired"


def test_malformed_file_changes_nothing_and_reports_every_bad_row() -> None:
    _import(csv_bytes(SAO_MAI))
    before = _counts()
    rows = (
        SAKURA,
        "Công ty TNHH Hoa Sen,VN,sending_agency,200/LĐTBXH-GP,active,2022-13-01,,,,",
        ",VN,sending_agency,201/LĐTBXH-GP,active,2022-01-01,,,,",
        "Công ty TNHH Bình Minh,XX,sending_agency,202/LĐTBXH-GP,active,2022-01-01,,,,",
        "Công ty TNHH Ánh Dương,VN,sending_agency,0200/LDTBXH GP,active,2022-01-01,,,,",
        "Công ty TNHH Gió Mới,VN,sending_agency,203/LĐTBXH-GP,closed,2022-01-01,,,,",
    )
    report = _import(csv_bytes(*rows))
    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "licence_issued_on"),
        (4, "name"),
        (5, "country"),
        (6, "licence_number"),
        (7, "licence_status"),
    }
    duplicate = next(e for e in report.errors if e.row == 6)
    assert "3" in duplicate.message
    assert _counts() == before


def test_missing_column_is_named() -> None:
    header = "name,country,kind,licence_status,licence_issued_on,licence_expires_on"
    report = _import(csv_bytes("X,VN,sending_agency,active,,", header=header))
    assert [(e.row, e.column) for e in report.errors] == [(1, "licence_number")]
    assert Organisation.objects.count() == 0


def test_wrong_encoding_is_reported_with_its_line() -> None:
    data = csv_bytes(SAO_MAI).decode("utf-8").encode("utf-8")
    data = data.replace("Công".encode(), "C\xf4ng".encode("latin-1"))
    report = _import(data)
    assert len(report.errors) == 1 and "UTF-8" in report.errors[0].message
    assert "2" in report.errors[0].message
    assert Organisation.objects.count() == 0


def test_vietnamese_headers_in_xlsx_with_day_first_dates() -> None:
    data = xlsx_bytes(
        ["STT", "Tên doanh nghiệp", "Tên tiếng Anh", "Số giấy phép", "Ngày cấp", "Địa chỉ"],
        [
            [
                1,
                "Công ty TNHH MTV Thăng Long",
                "Thang Long Co., Ltd",
                "45/LĐTBXH-GP",
                "05/06/2022",
                "Hà Nội",
            ],
            [
                2,
                "Công ty Cổ phần Việt Nhật",
                "Viet Nhat JSC",
                "46/LĐTBXH-GP",
                dt.datetime(2023, 1, 9),
                "",
            ],
        ],
    )
    report = agencies_import(
        actor=None, data=data, filename="danh-sach.xlsx", source="dolab", as_of=NOV_1
    )
    assert report.ok, report.errors
    assert report.ignored_columns == ["STT"]
    licence = Licence.objects.get(number="45/LĐTBXH-GP")
    assert licence.issued_on == dt.date(2022, 6, 5)
    assert licence.issuer == "vn_dolab"
    assert (
        agencies_search(text="Thang Long Co Ltd", on=NOV_1)[0].organisation == licence.organisation
    )


def test_japanese_headers_with_era_dates() -> None:
    header = "監理団体名,フリガナ,許可番号,許可年月日,住所\n"
    rows = (
        "さくら事業協同組合,サクラジギョウキョウドウクミアイ,許1901000456,令和元年5月1日,大阪府\n"
    )
    report = agencies_import(
        actor=None, data=(header + rows).encode(), filename="otit.csv", source="otit", as_of=NOV_1
    )
    assert report.ok, report.errors
    licence = Licence.objects.get(number="許1901000456")
    assert licence.issued_on == dt.date(2019, 5, 1)
    assert licence.organisation.kind == "supervising_organisation"


def test_a_named_xlsx_that_is_not_a_spreadsheet_is_refused() -> None:
    report = agencies_import(actor=None, data=b"name\nx\n", filename="list.xlsx", as_of=NOV_1)
    assert len(report.errors) == 1 and report.errors[0].row == 0


def test_unknown_source_names_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        agencies_import(actor=None, data=b"", filename="x.csv", source="nope")
    assert caught.value.field == "source"


def test_progress_is_reported() -> None:
    calls: list[tuple[str, int, int]] = []
    _import(csv_bytes(SAO_MAI, SAKURA), progress=lambda *a: calls.append(a))
    assert ("read", 2, 2) in calls and ("write", 2, 2) in calls
