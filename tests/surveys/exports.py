"""Exports of our questionnaire as KoboToolbox and ODK Central write them, generated for tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl

from fairpassage.stats.questionnaire import COST_REPEAT, FORM_ID
from fairpassage.stats.xlsform import load_form

FORM = Path(__file__).resolve().parents[2] / "fairpassage/surveys/forms/fairpassage_sdg1071.xlsx"
LENDERS = ["bank", "policy_bank", "family", "moneylender", "agency", "other"]

RESPONDENTS: list[dict[str, Any]] = [
    {
        "uuid": "0b7c1a52-1111-4c1e-9d7e-000000000001",
        "consent": "yes",
        "sex": "female",
        "age": 23,
        "province": "Nghệ An",
        "programme": "titp",
        "occupation": "food",
        "departure_year": 2023,
        "borrowed": "yes",
        "lenders": "bank family",
        "loan_amount": 120000000,
        "loan_currency": "VND",
        "interest_monthly": 0.8,
        "first_month_earnings": 165000,
        "earnings_currency": "JPY",
        "current_debt": 60000000,
        "debt_currency": "VND",
        "items": [
            {
                "item": "service_fee",
                "paid_to": "sending_agency",
                "paid_when": "before_departure",
                "amount": 90000000,
                "currency": "VND",
            },
            {
                "item": "language_training",
                "paid_to": "training_centre",
                "paid_when": "before_departure",
                "amount": 15000000,
                "currency": "VND",
            },
            {
                "item": "accommodation",
                "paid_to": "supervising_org",
                "paid_when": "wage_deduction",
                "amount": 20000,
                "currency": "JPY",
            },
        ],
    },
    {
        "uuid": "0b7c1a52-1111-4c1e-9d7e-000000000002",
        "consent": "yes",
        "sex": "male",
        "age": 27,
        "province": "Thanh Hóa",
        "programme": "ssw",
        "occupation": "construction",
        "departure_year": 2024,
        "borrowed": "no",
        "lenders": "",
        "loan_amount": None,
        "loan_currency": None,
        "interest_monthly": None,
        "first_month_earnings": 210000,
        "earnings_currency": "JPY",
        "current_debt": 0,
        "debt_currency": "VND",
        "items": [
            {
                "item": "visa",
                "paid_to": "government",
                "paid_when": "before_departure",
                "amount": 4000,
                "currency": "JPY",
            },
        ],
    },
    {
        "uuid": "0b7c1a52-1111-4c1e-9d7e-000000000003",
        "consent": "yes",
        "sex": "male",
        "age": 31,
        "province": "Hà Nội",
        "programme": "titp",
        "occupation": "agriculture",
        "departure_year": 2022,
        "borrowed": "yes",
        "lenders": "moneylender",
        "loan_amount": 50000000,
        "loan_currency": "VND",
        "interest_monthly": 3,
        "first_month_earnings": None,
        "earnings_currency": "JPY",
        "current_debt": 20000000,
        "debt_currency": "VND",
        "items": [],
    },
    {
        "uuid": "0b7c1a52-1111-4c1e-9d7e-000000000004",
        "consent": "no",
        "items": [],
    },
]


def _fields() -> list[tuple[str, str, str | None, str]]:
    """(name, group path, repeat, type) of each question of our form."""
    return [(f.name, f.path, f.repeat, f.type) for f in load_form(FORM).fields]


def _value(person: dict[str, Any], name: str) -> Any:
    value = person.get(name)
    return "" if value is None else value


def kobo_xlsx(respondents: list[dict[str, Any]] = RESPONDENTS) -> bytes:
    """KoboToolbox XLSX export: group paths in headers, the repeat on its own sheet."""
    main_fields = [(n, p, t) for n, p, r, t in _fields() if r is None]
    repeat_fields = [(n, p) for n, p, r, _t in _fields() if r == COST_REPEAT]
    book = openpyxl.Workbook()
    main = book.active
    assert main is not None
    main.title = FORM_ID[:31]
    header: list[str] = []
    for _name, path, kind in main_fields:
        header.append(path)
        if kind.startswith("select all") or kind.startswith("select_multiple"):
            header += [f"{path}/{option}" for option in LENDERS]
    main.append([*header, "_id", "_uuid", "_submission_time", "_index"])
    items = book.create_sheet(COST_REPEAT)
    items.append(
        [p for _n, p in repeat_fields]
        + ["_index", "_parent_table_name", "_parent_index", "_submission__uuid"]
    )
    item_index = 0
    for index, person in enumerate(respondents, start=1):
        row: list[Any] = []
        for name, _path, kind in main_fields:
            row.append(_value(person, name))
            if kind.startswith("select all") or kind.startswith("select_multiple"):
                chosen = str(person.get(name) or "").split()
                row += [1 if option in chosen else 0 for option in LENDERS]
        main.append([*row, 1000 + index, person["uuid"], "2026-05-01T10:00:00", index])
        for item in person["items"]:
            item_index += 1
            items.append(
                [_value(item, n) for n, _p in repeat_fields]
                + [item_index, main.title, index, person["uuid"]]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[Any]], separator: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def odk_csv(respondents: list[dict[str, Any]] = RESPONDENTS) -> dict[str, bytes]:
    """ODK Central CSV export: main file and one file per repeat, joined by KEY/PARENT_KEY."""
    main_fields = [(n, p.replace("/", "-")) for n, p, r, _t in _fields() if r is None]
    repeat_fields = [
        (n, p.split("/", 1)[1].replace("/", "-")) for n, p, r, _t in _fields() if r == COST_REPEAT
    ]
    main: list[list[Any]] = [
        [
            "SubmissionDate",
            *(p for _n, p in main_fields),
            "meta-instanceID",
            "KEY",
            "SubmitterID",
            "ReviewState",
        ]
    ]
    repeat = [[*(p for _n, p in repeat_fields), "PARENT_KEY", "KEY"]]
    for person in respondents:
        key = f"uuid:{person['uuid']}"
        main.append(
            [
                "2026-05-01T10:00:00.000Z",
                *(_value(person, n) for n, _p in main_fields),
                key,
                key,
                7,
                "",
            ]
        )
        for number, item in enumerate(person["items"], start=1):
            repeat.append(
                [
                    *(_value(item, n) for n, _p in repeat_fields),
                    key,
                    f"{key}/{COST_REPEAT}[{number}]",
                ]
            )
    return {f"{FORM_ID}.csv": _csv(main), f"{FORM_ID}-{COST_REPEAT}.csv": _csv(repeat)}


def kobo_csv(respondents: list[dict[str, Any]] = RESPONDENTS, slots: int = 3) -> bytes:
    """KoboToolbox CSV (legacy): ';'-separated, group paths, the repeat spread over columns."""
    main_fields = [(n, p) for n, p, r, _t in _fields() if r is None]
    repeat_fields = [n for n, _p, r, _t in _fields() if r == COST_REPEAT]
    header = [p for _n, p in main_fields]
    header += [f"{COST_REPEAT}[{i}]/{n}" for i in range(1, slots + 1) for n in repeat_fields]
    rows: list[list[Any]] = [[*header, "_id", "_uuid"]]
    for index, person in enumerate(respondents, start=1):
        row = [_value(person, n) for n, _p in main_fields]
        for i in range(slots):
            item = person["items"][i] if i < len(person["items"]) else {}
            row += [_value(item, n) for n in repeat_fields]
        rows.append([*row, 1000 + index, person["uuid"]])
    return _csv(rows, ";")
