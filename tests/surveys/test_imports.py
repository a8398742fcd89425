"""Imports of our questionnaire's exports (Kobo XLSX/CSV, ODK Central CSV) and mapped tables."""

from __future__ import annotations

import copy
import io

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from fairpassage.stats.canonical import indicator_table
from fairpassage.stats.exports import (
    ColumnMapping,
    CostColumn,
    detect,
    read_export,
    read_mapped,
    read_single_table,
)
from fairpassage.stats.messages import problem_text
from fairpassage.stats.sdg import indicator
from tests.surveys.exports import RESPONDENTS, kobo_csv, kobo_xlsx, odk_csv


def _sorted(result):
    return (
        result.respondents.sort("respondent_id"),
        result.items.sort(["respondent_id", "item"]),
    )


def test_kobo_xlsx_and_odk_csv_import_to_the_same_canonical_table() -> None:
    kobo = read_export({"survey.xlsx": kobo_xlsx()})
    odk = read_export(odk_csv())
    assert kobo.ok and odk.ok, (kobo.problems, odk.problems)
    kobo_people, kobo_items = _sorted(kobo)
    odk_people, odk_items = _sorted(odk)
    assert_frame_equal(kobo_people, odk_people)
    assert_frame_equal(kobo_items, odk_items)
    assert kobo_people.height == 3 and kobo_items.height == 4
    first = kobo_people.row(0, named=True)
    assert first["sex"] == "female" and first["borrowed"] is True
    assert first["lenders"] == "bank family" and first["departure_year"] == 2023
    # the respondent who declined is listed, not silently dropped
    assert [p.code for p in kobo.skipped] == ["no_consent"] == [p.code for p in odk.skipped]


def test_kobo_csv_with_group_paths_and_indexed_repeats_matches_too() -> None:
    data = kobo_csv()
    assert data.decode().splitlines()[0].count(";") > 10
    result = read_export({"survey.csv": data})
    assert result.ok, result.problems
    people, items = _sorted(result)
    reference_people, reference_items = _sorted(read_export(odk_csv()))
    assert_frame_equal(people, reference_people)
    assert_frame_equal(items, reference_items)


def test_formats_are_detected() -> None:
    assert detect({"a.xlsx": kobo_xlsx()}) == "kobo_xlsx"
    assert detect(odk_csv()) == "odk_csv"
    assert detect({"a.csv": kobo_csv()}) == "kobo_csv"


def test_labels_in_any_language_are_read_as_choice_names() -> None:
    people = copy.deepcopy(RESPONDENTS)
    people[0]["sex"] = "Nữ"
    people[1]["sex"] = "男性"
    people[0]["items"][0]["paid_when"] = "Before departure"
    result = read_export(odk_csv(people))
    assert result.ok, result.problems
    assert result.respondents["sex"].to_list()[:2] == ["female", "male"]


def test_every_unusable_row_is_reported_and_nothing_is_imported() -> None:
    people = copy.deepcopy(RESPONDENTS)
    people[0]["sex"] = "x"
    people[1]["age"] = "twenty"
    people[1]["items"][0]["amount"] = "-5"
    people[2]["uuid"] = people[0]["uuid"]
    files = odk_csv(people)
    main, repeat = list(files)
    files[repeat] += b"service_fee,broker,before_departure,100,VND,uuid:nobody,uuid:nobody/c[1]\n"
    result = read_export(files)
    assert not result.ok
    assert result.respondents.height == 0 and result.items.height == 0
    found = {(p.source, p.row, p.column, p.code) for p in result.problems}
    assert found == {
        (main, 2, "profile-sex", "bad_choice"),
        (main, 3, "profile-age", "not_integer"),
        (main, 4, "KEY", "duplicate_id"),
        (repeat, 5, "amount", "negative_amount"),
        (repeat, 6, "PARENT_KEY", "orphan_item"),
    }
    for problem in result.problems:
        text = problem_text(problem.code, "vi", {"column": problem.column, **problem.params})
        assert problem.column in text


def test_kobo_xlsx_repeat_rows_pointing_nowhere_are_reported() -> None:
    book = openpyxl.load_workbook(io.BytesIO(kobo_xlsx()))
    sheet = book["cost_item"]
    sheet.cell(row=2, column=sheet.max_column - 1, value=99)  # _parent_index
    out = io.BytesIO()
    book.save(out)
    result = read_export({"s.xlsx": out.getvalue()})
    assert [(p.source, p.row, p.code) for p in result.problems] == [("cost_item", 2, "orphan_item")]


def test_indicator_from_the_canonical_table_with_rates() -> None:
    result = read_export(odk_csv())
    table = indicator_table(result.respondents, result.items, target="JPY", rates={"VND": 0.0061})
    by_id = {row["respondent_id"][-1]: row for row in table.iter_rows(named=True)}
    assert by_id["1"]["cost_total"] == pytest.approx(105_000_000 * 0.0061 + 20_000)
    assert by_id["1"]["cost_before_departure"] == pytest.approx(105_000_000 * 0.0061)
    assert by_id["3"]["cost_total"] == 0.0  # paid nothing: a valid zero
    report = indicator(table, cost="cost_total", earnings="first_month_earnings", min_cell=1)
    assert report["overall"]["n"] == 2
    assert report["excluded_rows"][0]["reason"] == "earnings_missing"
    no_rate = indicator_table(result.respondents, result.items, target="JPY")
    assert no_rate.filter(pl.col("cost_currency") == "VND").height == 1


def test_another_questionnaire_through_a_saved_mapping() -> None:
    source = (
        b"ma_so,gioi_tinh,nam_di,phi_cong_ty,phi_moi_gioi,luong_thang_dau\n"
        b"A1,Nam,2023,80000000,5000000,170000\n"
        b"A2,Nu,2024,60000000,,150000\n"
        b"A3,Nu,2024,abc,,150000\n"
    )
    mapping = ColumnMapping(
        id_column="ma_so",
        columns={
            "sex": "gioi_tinh",
            "departure_year": "nam_di",
            "first_month_earnings": "luong_thang_dau",
        },
        values={"sex": {"Nam": "male", "Nu": "female"}},
        costs=[
            CostColumn(column="phi_cong_ty", item="service_fee", currency="VND"),
            CostColumn(column="phi_moi_gioi", item="brokerage", currency="VND"),
        ],
    )
    assert ColumnMapping.from_dict(mapping.as_dict()) == mapping
    frame = read_single_table(source, "other.csv")
    result = read_mapped(frame, mapping, "other.csv")
    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (4, "phi_cong_ty", "not_number")
    ]
    fixed = read_mapped(frame.filter(pl.col("ma_so") != "A3"), mapping, "other.csv")
    assert fixed.ok
    assert fixed.respondents["sex"].to_list() == ["male", "female"]
    assert fixed.items.height == 3
    broken = ColumnMapping(id_column="id", columns={"sex": "gender"})
    assert {p.code for p in read_mapped(frame, broken, "other.csv").problems} == {"missing_column"}
