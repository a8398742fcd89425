"""Every real XLSForm in data/xlsform-fixtures loads as a form definition (or is refused with
pyxform's reason: the pyxform suite's deliberate error cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairpassage.stats.xlsform import FormDefinitionError, load_form

FIXTURES = Path(__file__).resolve().parents[2] / "data/xlsform-fixtures"
FILES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".xls", ".xlsx"))
DELIBERATE_ERRORS = {
    "calculate_without_calculation.xls": "Missing calculation",
    "duplicate_columns.xlsx": "Duplicate column header",
    "group_name_test.xls": "no name",
    "unknown_question_type.xls": "Invalid headers",
    "include.xls": "not been included",
    "include.xlsx": "not been included",
    "include_json.xls": "not been included",
    "include_json.xlsx": "not been included",
}


def test_the_fixtures_are_there_with_their_licence() -> None:
    assert len(FILES) == 57
    assert (FIXTURES / "SOURCE.txt").is_file() and (FIXTURES / "LICENSE.pyxform.txt").is_file()


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_loads_as_a_form_definition(path: Path) -> None:
    if path.name in DELIBERATE_ERRORS:
        with pytest.raises(FormDefinitionError) as error:
            load_form(path)
        assert error.value.name == path.name
        assert DELIBERATE_ERRORS[path.name] in error.value.detail
        return
    form = load_form(path)
    assert form.form_id and form.fields
    assert all(f.name and f.path.endswith(f.name) for f in form.fields)


def test_repeats_and_languages_are_read() -> None:
    tutorial = load_form(FIXTURES / "example_xls/tutorial.xls")
    assert tutorial.repeats
    spec = load_form(FIXTURES / "example_xls/xlsform_spec_test.xlsx")
    assert len(spec.fields) > 20
    biomass = load_form(FIXTURES / "bug_example_xls/UCL_Biomass_Plot_Form.xlsx")
    assert len(biomass.languages()) >= 2
