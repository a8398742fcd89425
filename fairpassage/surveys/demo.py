"""A demonstration survey for a development machine (never in production), so that an analyst's
first view is a result rather than "no survey yet" (issue 16, item 7).

The answers are generated from our questionnaire (``stats.questionnaire``: its questions, their
choices and group paths) with a fixed seed, written as a KoboToolbox XLSX export and imported
through the same service as an upload (``services.import_run``). Same seed, same answers, same
results, on every machine. The survey carries ``is_demo`` and a "[Demo]" title; every page that
shows it says the answers are generated.

Idempotent: a second run finds the demo survey and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from typing import Any

import openpyxl

from fairpassage.core.models import Organisation
from fairpassage.stats.questionnaire import COST_REPEAT, FORM_ID, GROUPS, SURVEY
from fairpassage.surveys import services
from fairpassage.surveys.models import Survey, SurveyImport

SEED = 10_7_1
RESPONDENTS = 240
ORGANISATION = "demo-hanoi-support"
TITLE = "[Demo] Recruitment costs, Viet Nam to Japan (generated answers)"
CURRENCY = "VND"
#: Illustrative rates for the demo only: dong per yen and per US dollar.
RATES = {"JPY": 170.0, "USD": 25_400.0}
RATES_SOURCE = "[Demo] illustrative rates, not for publication"
BREAKDOWNS = [["sex"], ["programme"], ["occupation"], ["sex", "programme"]]
VIA = "demo"

PROVINCES = ("Nghệ An", "Thanh Hóa", "Hà Tĩnh", "Hà Nội", "Bắc Giang", "Hải Phòng", "Thái Bình")
LENDER_OPTIONS = ("bank", "policy_bank", "family", "moneylender", "agency", "other")


def _paths() -> list[tuple[str, str, str, str | None]]:
    """(name, XLSForm type, column path as KoboToolbox writes it, repeat) of each question."""
    out: list[tuple[str, str, str, str | None]] = []
    stack: list[str] = []
    repeat: str | None = None
    for kind, name, _labels, _extra in SURVEY:
        if kind in ("begin_group", "begin_repeat"):
            stack.append(name)
            repeat = name if kind == "begin_repeat" else repeat
        elif kind in ("end_group", "end_repeat"):
            closed = stack.pop()
            repeat = None if closed == repeat else repeat
        elif kind not in GROUPS:
            out.append((name, kind, "/".join([*stack, name]), repeat))
    return out


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _costs(rng: random.Random, programme: str) -> list[dict[str, Any]]:
    """Cost items paid, in the currencies workers report them in; TITP costs the most."""
    scale = {"titp": 1.0, "ssw": 0.55, "esd": 0.7, "other": 0.8}[programme]
    items = [
        {
            "item": "service_fee",
            "paid_to": "sending_agency",
            "paid_when": "before_departure",
            "amount": round(max(rng.gauss(85, 25), 10) * scale) * 1_000_000,
            "currency": "VND",
        },
        {
            "item": "language_training",
            "paid_to": "training_centre",
            "paid_when": "before_departure",
            "amount": rng.randrange(8, 25) * 1_000_000,
            "currency": "VND",
        },
        {
            "item": "medical",
            "paid_to": "other",
            "paid_when": "before_departure",
            "amount": rng.randrange(1, 4) * 1_000_000,
            "currency": "VND",
        },
        {
            "item": "visa",
            "paid_to": "government",
            "paid_when": "before_departure",
            "amount": 4_000,
            "currency": "JPY",
        },
    ]
    if rng.random() < 0.35:
        items.append(
            {
                "item": "deposit",
                "paid_to": "sending_agency",
                "paid_when": "before_departure",
                "amount": rng.randrange(20, 60) * 1_000_000,
                "currency": "VND",
            }
        )
    if rng.random() < 0.25:
        items.append(
            {
                "item": "brokerage",
                "paid_to": "broker",
                "paid_when": "before_departure",
                "amount": rng.randrange(500, 2_500) * 10,
                "currency": "USD",
            }
        )
    if rng.random() < 0.3:
        items.append(
            {
                "item": "accommodation",
                "paid_to": "supervising_org",
                "paid_when": "wage_deduction",
                "amount": rng.randrange(15, 35) * 1_000,
                "currency": "JPY",
            }
        )
    if rng.random() < 0.15:  # some paid nothing themselves: the employer carried the costs
        return []
    return items


def respondents(seed: int = SEED, count: int = RESPONDENTS) -> list[dict[str, Any]]:
    """``count`` generated answers to our questionnaire; the same ``seed`` gives the same list."""
    rng = random.Random(seed)  # noqa: S311 - seeded on purpose: the same demo everywhere
    people: list[dict[str, Any]] = []
    for _n in range(count):
        person: dict[str, Any] = {"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
        if rng.random() < 0.03:
            people.append({**person, "consent": "no", "items": []})
            continue
        programme = _pick(rng, {"titp": 0.6, "ssw": 0.28, "esd": 0.07, "other": 0.05})
        borrowed = rng.random() < 0.78
        loan = round(rng.uniform(40, 160)) * 1_000_000 if borrowed else None
        earnings = round(rng.gauss(185_000 if programme == "ssw" else 165_000, 18_000), -3)
        person |= {
            "consent": "yes",
            "sex": _pick(rng, {"female": 0.45, "male": 0.53, "other": 0.02}),
            "age": rng.randrange(19, 38),
            "province": rng.choice(PROVINCES),
            "programme": programme,
            "occupation": _pick(
                rng,
                {
                    "food": 0.24,
                    "construction": 0.2,
                    "manufacturing": 0.22,
                    "agriculture": 0.14,
                    "care": 0.1,
                    "hospitality": 0.06,
                    "other": 0.04,
                },
            ),
            "departure_year": rng.randrange(2021, 2026),
            "borrowed": "yes" if borrowed else "no",
            "lenders": " ".join(sorted(rng.sample(LENDER_OPTIONS[:4], rng.randrange(1, 3))))
            if borrowed
            else "",
            "loan_amount": loan,
            "loan_currency": "VND" if borrowed else None,
            "interest_monthly": round(rng.uniform(0.5, 3.0), 1) if borrowed else None,
            "first_month_earnings": earnings if rng.random() > 0.04 else None,
            "earnings_currency": "JPY",
            "current_debt": round((loan or 0) * rng.uniform(0, 0.8), -6),
            "debt_currency": "VND",
            "items": _costs(rng, programme),
        }
        people.append(person)
    return people


def _cell(person: dict[str, Any], name: str) -> Any:
    value = person.get(name)
    return "" if value is None else value


def kobo_xlsx(people: list[dict[str, Any]]) -> bytes:
    """The answers as KoboToolbox's XLSX export writes them: group paths in the headers, a
    column per option of a multiple choice, the cost items on their own sheet."""
    fields = _paths()
    main_fields = [(name, kind, path) for name, kind, path, repeat in fields if repeat is None]
    item_fields = [(name, path) for name, _kind, path, repeat in fields if repeat == COST_REPEAT]
    book = openpyxl.Workbook(write_only=True)
    main = book.create_sheet(FORM_ID[:31])
    items = book.create_sheet(COST_REPEAT)
    header: list[str] = []
    for _name, kind, path in main_fields:
        header.append(path)
        if kind.startswith("select_multiple"):
            header += [f"{path}/{option}" for option in LENDER_OPTIONS]
    main.append([*header, "_id", "_uuid", "_submission_time", "_index"])
    items.append(
        [path for _name, path in item_fields]
        + ["_index", "_parent_table_name", "_parent_index", "_submission__uuid"]
    )
    item_index = 0
    submitted = dt.datetime(2026, 5, 1, 10, 0)
    for index, person in enumerate(people, start=1):
        row: list[Any] = []
        for name, kind, _path in main_fields:
            row.append(_cell(person, name))
            if kind.startswith("select_multiple"):
                chosen = str(person.get(name) or "").split()
                row += [1 if option in chosen else 0 for option in LENDER_OPTIONS]
        when = (submitted + dt.timedelta(minutes=7 * index)).isoformat()
        main.append([*row, 1000 + index, person["uuid"], when, index])
        for item in person["items"]:
            item_index += 1
            items.append(
                [_cell(item, name) for name, _path in item_fields]
                + [item_index, FORM_ID[:31], index, person["uuid"]]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def demo_create(*, seed: int = SEED, count: int = RESPONDENTS) -> Survey | None:
    """Create the demo survey of the demo support organisation with its generated answers and
    their result; ``None`` when the demo organisation does not exist (``core.demo`` first)."""
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    if organisation is None:
        return None
    existing = Survey.objects.filter(organisation=organisation, is_demo=True).first()
    if existing is not None:
        return existing
    survey = services.survey_create(
        actor=None,
        organisation=organisation,
        title=TITLE,
        currency=CURRENCY,
        rates=RATES,
        rates_source=RATES_SOURCE,
        breakdowns=BREAKDOWNS,
        min_cell=5,
        via=VIA,
        is_demo=True,
    )
    record: SurveyImport = services.import_run(
        actor=None,
        survey=survey,
        files={"demo-kobo-export.xlsx": kobo_xlsx(respondents(seed, count))},
        via=VIA,
    )
    if record.status != "done":  # the generator and the importer disagree: a bug, say so
        raise RuntimeError(f"the demo survey did not import: {record.problems[:3]}")
    return survey
