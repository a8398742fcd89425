"""Our questionnaire converts with pyxform in three languages; the committed file is current."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from pyxform.xls2xform import convert  # type: ignore[import-untyped]

from fairpassage.stats.canonical import ITEM_FIELDS, NOT_ASKED, RESPONDENT_FIELDS
from fairpassage.stats.questionnaire import COST_REPEAT, FORM_ID, write_xlsform, xlsform_sheets
from fairpassage.stats.xlsform import load_form
from tests.surveys.exports import FORM


def test_pyxform_converts_it_with_three_languages() -> None:
    result = convert(xlsform=str(FORM), validate=False)
    xform = result.xform
    for lang in ("Vietnamese (vi)", "English (en)", "Japanese (ja)"):
        assert f'lang="{lang}"' in xform
    assert "Tiền lương tháng đầu tiên" in xform and "最初の月の収入" in xform
    assert f'id="{FORM_ID}"' in xform


def test_it_asks_everything_the_canonical_table_needs() -> None:
    form = load_form(FORM)
    main = {f.name for f in form.fields if f.repeat is None}
    repeat = {f.name for f in form.fields if f.repeat == COST_REPEAT}
    assert set(RESPONDENT_FIELDS) - set(NOT_ASKED) <= main
    assert set(ITEM_FIELDS) == repeat
    costs = {option["name"] for option in form.choices["cost_category"]}
    assert {"service_fee", "brokerage", "deposit", "travel", "bribe"} <= costs
    assert form.languages() == ["Vietnamese (vi)", "English (en)", "Japanese (ja)"]


def test_the_committed_workbook_is_what_the_script_writes(tmp_path: Path) -> None:
    fresh = write_xlsform(tmp_path / "q.xlsx")
    for path in (fresh, FORM):
        book = openpyxl.load_workbook(path, read_only=True)
        sheets = {
            sheet.title: [
                [c if c is not None else "" for c in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            for sheet in book.worksheets
        }
        assert sheets == xlsform_sheets(), path
