"""Input validation: one error type naming the field, messages in three languages."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fairpassage.law import InputError, check_fees, parse_engagement

VALID: dict[str, Any] = {
    "programme": "titp",
    "contract_months": 36,
    "monthly_basic_wage": {"amount": 180000, "currency": "JPY"},
    "signed_on": "2025-06-01",
    "payments": [
        {"label": "Phí dịch vụ", "amount": 1000, "currency": "VND"},
        {"label": "a", "amount": 1, "currency": "VND"},
        {"label": "vé", "amount": 10, "currency": "USD"},
    ],
    "fx": {"JPY": 170.0, "USD": 25400},
}


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


def test_valid_input_parses_with_defaults() -> None:
    e = parse_engagement(VALID)
    assert e.stage == "titp1"
    assert e.prior == "none"
    assert e.payments[2].amount.currency == "USD"


@pytest.mark.parametrize(
    ("path", "value", "field", "key"),
    [
        (["programme"], "tits", "programme", "choice"),
        (["programme"], KeyError, "programme", "required"),
        (["stage"], "ssw1", "stage", "choice"),
        (["contract_months"], 0, "contract_months", "min_value"),
        (["contract_months"], 12.5, "contract_months", "type_integer"),
        (["contract_months"], True, "contract_months", "type_number"),
        (["signed_on"], "01/06/2025", "signed_on", "date_format"),
        (["signed_on"], "2025-02-30", "signed_on", "date_format"),
        (["departs_on"], "2025-01-01", "departs_on", "departs_before_signed"),
        (["monthly_basic_wage", "currency"], "yen", "monthly_basic_wage.currency", "currency_code"),
        (["payments", 2, "currency"], "EUR", "payments[2].currency", "fx_missing"),
        (["payments", 1, "amount"], -5, "payments[1].amount", "min_value"),
        (["payments", 1, "amount"], "1.000.000", "payments[1].amount", "type_number"),
        (["payments", 1, "amount"], float("nan"), "payments[1].amount", "type_number"),
        (["payments", 0, "category"], "fee", "payments[0].category", "choice"),
        (["payments", 0, "payee"], "boss", "payments[0].payee", "choice"),
        (["payments", 1, "label"], "", "payments[1].label", "label_or_category"),
        (["payments"], {"a": 1}, "payments", "type_list"),
        (["conduct"], {"passport_held": "yes"}, "conduct.passport_held", "type_bool"),
        (["fx", "USD"], 0, "fx.USD", "positive"),
        (["monthly_basic_wage", "amount"], 0, "monthly_basic_wage.amount", "positive"),
        (["fx"], KeyError, "fx.JPY", "fx_missing"),
    ],
)
def test_errors_name_the_field(path: list[Any], value: Any, field: str, key: str) -> None:
    with pytest.raises(InputError) as info:
        check_fees(_with(path, value))
    err = info.value
    assert err.field == field
    assert err.message_key == key
    texts = {lang: err.message(lang) for lang in ("vi", "ja", "en")}
    assert len(set(texts.values())) == 3
    assert all(texts.values())
    assert field in str(err)
    assert err.as_dict("ja")["field"] == field


def test_missing_rate_names_the_currency() -> None:
    with pytest.raises(InputError) as info:
        check_fees(_with(["payments", 2, "currency"], "EUR"))
    assert "EUR" in info.value.message("vi")
    assert info.value.params == {"currency": "EUR"}


def test_not_an_object() -> None:
    with pytest.raises(InputError) as info:
        check_fees([])  # type: ignore[arg-type]
    assert info.value.message_key == "type_object"


def test_bad_language() -> None:
    with pytest.raises(InputError) as info:
        check_fees(VALID, "fr")
    assert info.value.field == "lang"
