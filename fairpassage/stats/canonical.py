"""The canonical survey table every import produces, and the checks that build it.

Two tables: respondents (one row per worker) and cost items (one row per cost paid, with the
respondent's id). Importers hand over raw text rows with their position in the source; ``build``
checks every value and either returns both tables or the full list of problems (the caller stores
nothing then: imports are all-or-nothing). Respondents who declined consent are listed as skipped.

``indicator_table`` turns the two tables into one row per respondent with the total cost in one
currency, ready for the estimators.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from fairpassage.stats.questionnaire import CHOICES

# name -> kind: "id", "text", "int", "number", "yes_no", "choice:<list>", "multi:<list>"
RESPONDENT_FIELDS: dict[str, str] = {
    "respondent_id": "id",
    "consent": "yes_no",
    "sex": "choice:sex",
    "age": "int",
    "province": "text",
    "programme": "choice:programme",
    "occupation": "choice:occupation",
    "departure_year": "int",
    "borrowed": "yes_no",
    "lenders": "multi:lender",
    "loan_amount": "number",
    "loan_currency": "choice:currency",
    "interest_monthly": "number",
    "first_month_earnings": "number",
    "earnings_currency": "choice:currency",
    "current_debt": "number",
    "debt_currency": "choice:currency",
    "weight": "number",  # the survey weight, when the sample design gives one
}
NOT_ASKED = ("respondent_id", "weight")  # fields the questionnaire itself does not ask
ITEM_FIELDS: dict[str, str] = {
    "item": "choice:cost_category",
    "paid_to": "choice:payee",
    "paid_when": "choice:timing",
    "amount": "number",
    "currency": "choice:currency",
}
REQUIRED_ITEM = ("item", "paid_when", "amount", "currency")
DTYPES = {"int": pl.Int64, "number": pl.Float64, "yes_no": pl.Boolean}


@dataclass(frozen=True)
class Problem:
    """A row that could not be used: where (source, row, column) and why (code, params)."""

    source: str
    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "params": self.params,
        }


@dataclass
class RawRow:
    """One source row: where it came from and its values by canonical field name (text)."""

    source: str
    row: int
    values: dict[str, str | None]
    columns: dict[str, str] = field(default_factory=dict)  # canonical field -> source column
    parent: str | None = None  # items: the respondent id


@dataclass(frozen=True)
class Canonical:
    respondents: pl.DataFrame
    items: pl.DataFrame
    problems: list[Problem]
    skipped: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _labels_to_names() -> dict[str, dict[str, str]]:
    """Per choice list: every name and every label (any language, case-folded) -> name."""
    out: dict[str, dict[str, str]] = {}
    for list_name, options in CHOICES.items():
        table: dict[str, str] = {}
        for name, labels in options:
            table[name.casefold()] = name
            for label in labels.values():
                table[label.strip().casefold()] = name
        out[list_name] = table
    out["yes_no"]["1"], out["yes_no"]["0"] = "yes", "no"
    out["yes_no"]["true"], out["yes_no"]["false"] = "yes", "no"
    return out


_NAMES = _labels_to_names()


def _convert(kind: str, text: str) -> tuple[Any, str | None, dict[str, Any]]:
    """The value, or None with a problem code and its parameters."""
    if kind in ("id", "text"):
        return text, None, {}
    if kind == "number":
        try:
            return float(text), None, {}
        except ValueError:
            return None, "not_number", {"value": text}
    if kind == "int":
        try:
            number = float(text)
        except ValueError:
            return None, "not_integer", {"value": text}
        if not number.is_integer():
            return None, "not_integer", {"value": text}
        return int(number), None, {}
    list_name = "yes_no" if kind == "yes_no" else kind.split(":", 1)[1]
    table = _NAMES[list_name]
    allowed = ", ".join(name for name, _labels in CHOICES[list_name])
    if kind.startswith("multi:"):
        names = [table.get(part.casefold()) for part in text.split()]
        if None in names:
            return None, "bad_choice", {"value": text, "allowed": allowed}
        return " ".join(n for n in names if n), None, {}
    name = table.get(text.strip().casefold())
    if name is None:
        return None, "bad_choice", {"value": text, "allowed": allowed}
    if kind == "yes_no":
        return name == "yes", None, {}
    return name, None, {}


def _check(row: RawRow, fields: Mapping[str, str], problems: list[Problem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, kind in fields.items():
        text = row.values.get(name)
        text = text.strip() if isinstance(text, str) else None
        if not text:
            out[name] = None
            continue
        value, code, params = _convert(kind, text)
        if code:
            problems.append(Problem(row.source, row.row, row.columns.get(name, name), code, params))
        out[name] = value
    return out


def _frame(records: list[dict[str, Any]], fields: Mapping[str, str]) -> pl.DataFrame:
    schema = {name: DTYPES.get(kind, pl.String) for name, kind in fields.items()}
    return pl.DataFrame(records, schema=schema, orient="row")


def build(respondents: Sequence[RawRow], items: Sequence[RawRow]) -> Canonical:
    """Check every row; the tables are empty unless no problem was found."""
    problems: list[Problem] = []
    skipped: list[Problem] = []
    people: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    declined: set[str] = set()
    for row in respondents:
        record = _check(row, RESPONDENT_FIELDS, problems)
        rid = record["respondent_id"]
        id_column = row.columns.get("respondent_id", "respondent_id")
        if not rid:
            problems.append(Problem(row.source, row.row, id_column, "missing_id"))
            continue
        if rid in seen:
            problems.append(Problem(row.source, row.row, id_column, "duplicate_id", {"id": rid}))
            continue
        seen[rid] = row.row
        if record["consent"] is False:
            declined.add(rid)
            skipped.append(
                Problem(row.source, row.row, row.columns.get("consent", "consent"), "no_consent")
            )
            continue
        people.append(record)
    costs: list[dict[str, Any]] = []
    for row in items:
        record = _check(row, ITEM_FIELDS, problems)
        parent = (row.parent or "").strip()
        if parent not in seen:
            problems.append(
                Problem(
                    row.source,
                    row.row,
                    row.columns.get("_parent", "parent"),
                    "orphan_item",
                    {"parent": parent},
                )
            )
            continue
        if parent in declined:
            continue
        for name in REQUIRED_ITEM:
            if not (row.values.get(name) or "").strip():
                problems.append(
                    Problem(row.source, row.row, row.columns.get(name, name), "missing_value")
                )
        if record["amount"] is not None and record["amount"] < 0:
            problems.append(
                Problem(
                    row.source,
                    row.row,
                    row.columns.get("amount", "amount"),
                    "negative_amount",
                    {"value": record["amount"]},
                )
            )
        costs.append({"respondent_id": parent, **record})
    item_fields = {"respondent_id": "id", **ITEM_FIELDS}
    if problems:
        return Canonical(_frame([], RESPONDENT_FIELDS), _frame([], item_fields), problems, skipped)
    return Canonical(
        _frame(people, RESPONDENT_FIELDS), _frame(costs, item_fields), problems, skipped
    )


def indicator_table(
    respondents: pl.DataFrame,
    items: pl.DataFrame,
    *,
    target: str,
    rates: Mapping[str, float] | None = None,
) -> pl.DataFrame:
    """One row per respondent with ``cost_total`` and ``cost_before_departure`` in ``target``.

    Items in another currency are converted with the survey's ``rates`` (target units per unit).
    A respondent with an item in a currency without a rate gets that code in ``cost_currency``
    (and no total), so the estimators exclude the row with the reason "no rate", never silently.
    Respondents without items paid nothing (cost 0). Earnings keep their own currency column.
    """
    target = target.upper()
    table = {key.upper(): float(value) for key, value in (rates or {}).items()}
    table[target] = 1.0
    rate = pl.col("currency").replace_strict(table, default=None, return_dtype=pl.Float64)
    converted = items.with_columns((pl.col("amount") * rate).alias("_amount"))
    per_person = converted.group_by("respondent_id").agg(
        pl.col("_amount").sum().alias("cost_total"),
        pl.col("_amount")
        .filter(pl.col("paid_when") == "before_departure")
        .sum()
        .alias("cost_before_departure"),
        pl.col("currency").filter(rate.is_null()).first().alias("_missing"),
    )
    joined = respondents.join(per_person, on="respondent_id", how="left")
    debt_rate = pl.col("debt_currency").replace_strict(table, default=None, return_dtype=pl.Float64)
    joined = joined.with_columns(
        (pl.col("current_debt") * debt_rate).alias("current_debt_converted"),
        (pl.col("current_debt").is_not_null() & debt_rate.is_null()).alias("debt_without_rate"),
    )
    return joined.with_columns(
        pl.when(pl.col("_missing").is_not_null())
        .then(None)
        .otherwise(pl.col("cost_total").fill_null(0.0))
        .alias("cost_total"),
        pl.when(pl.col("_missing").is_not_null())
        .then(None)
        .otherwise(pl.col("cost_before_departure").fill_null(0.0))
        .alias("cost_before_departure"),
        pl.coalesce(pl.col("_missing"), pl.lit(target)).alias("cost_currency"),
    ).drop("_missing")


def from_records(records: Sequence[Mapping[str, Any]], source: str = "records") -> Canonical:
    """The canonical tables from plain records, e.g. the costs recorded in resolved cases.

    Each record holds respondent fields (``respondent_id`` required, e.g. a case reference) and
    ``items``: a list of cost items (item, paid_to, paid_when, amount, currency). Values go
    through the same checks as an import, so a support organisation can publish its own
    evidence in the same shape as a survey.
    """
    people, items = [], []
    for number, record in enumerate(records, start=1):
        values = {
            name: None if record.get(name) is None else str(record.get(name))
            for name in RESPONDENT_FIELDS
        }
        values.setdefault("consent", None)
        people.append(RawRow(source, number, values))
        for item in record.get("items", []):
            item_values = {
                name: None if item.get(name) is None else str(item.get(name))
                for name in ITEM_FIELDS
            }
            items.append(RawRow(source, number, item_values, {}, values["respondent_id"]))
    return build(people, items)
