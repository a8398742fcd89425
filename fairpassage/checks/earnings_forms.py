"""The earnings planner's form: what the worker types, turned into the engine's JSON.

The law engine decides what is lawful and computes the plan; this form only parses numbers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairpassage.checks.amount_fields import AmountField, AmountsMixin
from fairpassage.checks.forms import (
    CURRENCIES,
    DATE,
    PROGRAMMES,
    exchange_rate_field,
    json_number,
)
from fairpassage.law.earnings import programme_contract_months
from fairpassage.law.params import default_store
from fairpassage.reference.models import Prefecture

WAGE_KINDS = [("monthly", _("per month")), ("hourly", _("per hour"))]


def _prefectures() -> list[tuple[str, str]]:
    """Every prefecture, after an empty first choice: a skipped field is an error, never the
    first prefecture of the list."""
    return [
        ("", str(_("— choose the prefecture —"))),
        *(
            (p.code, f"{p.name_ja} ({p.name_romaji.capitalize()})")
            for p in Prefecture.objects.all()
        ),
    ]


def _money(
    label: Any,
    *,
    required: bool = False,
    help_text: Any = "",
    currency: str | None = "JPY",
    currency_field: str | None = None,
) -> AmountField:
    """A money amount typed as people write it ("190.000", "19万円"); yen unless it has a
    currency choice beside it."""
    return AmountField(
        label=label,
        required=required,
        help_text=help_text,
        currency=None if currency_field else currency,
        currency_field=currency_field,
    )


class EarningsForm(AmountsMixin, forms.Form):
    on = forms.DateField(label=_("Plan from (date)"), widget=DATE)
    prefecture = forms.ChoiceField(label=_("Prefecture where you work"), choices=())
    programme = forms.ChoiceField(
        label=_("Programme"), choices=[("", "—"), *PROGRAMMES], required=False
    )
    contract_months = forms.IntegerField(
        label=_("Length of your contract (months)"),
        min_value=1,
        max_value=600,
        required=False,
    )
    wage_amount = _money(
        _("Basic wage in the contract (yen)"),
        required=True,
        help_text=_("Without overtime or allowances."),
    )
    wage_kind = forms.ChoiceField(label=_("The wage is"), choices=WAGE_KINDS, initial="monthly")
    scheduled_hours = forms.DecimalField(
        label=_("Working hours per month"),
        min_value=1,
        max_value=400,
        initial=160,
        decimal_places=1,
    )
    overtime_hours = forms.DecimalField(
        label=_("Overtime hours per month"), min_value=0, max_value=200, initial=0, decimal_places=1
    )
    age = forms.IntegerField(label=_("Your age"), min_value=15, max_value=80, initial=24)
    months_in_japan = forms.IntegerField(
        label=_("Months already worked in Japan"), min_value=0, max_value=240, initial=0
    )
    housing = _money(_("Housing deducted each month (yen)"))
    utilities = _money(_("Water, electricity, gas deducted (yen)"))
    meals = _money(_("Meals deducted (yen)"))
    other = _money(_("Other deductions (yen)"))
    deductions_agreement = forms.BooleanField(
        label=_("I signed a written agreement for these deductions"), required=False
    )
    debt_amount = _money(_("Debt taken to go (amount)"), currency_field="debt_currency")
    debt_currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, initial="VND")
    interest_rate = forms.DecimalField(
        label=_("Interest per year (%)"), min_value=0, max_value=300, initial=0, decimal_places=2
    )
    remit_share = forms.DecimalField(
        label=_("Share of net pay sent home (%)"),
        min_value=0,
        max_value=100,
        initial=60,
        decimal_places=1,
    )
    fx_jpy = exchange_rate_field(
        _("Exchange rate: dong for 1 yen"),
        _(
            "You may leave it empty: for a debt in dong we then use the reference rate of the "
            "month the plan starts, and the plan shows it. A rate you type is used instead."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = _prefectures()  # type: ignore[attr-defined]
        self.fields["prefecture"].error_messages["required"] = _(
            "Choose the prefecture where you work: the minimum wage depends on it."
        )
        self.fields["on"].initial = timezone.localdate()
        usual = [
            (str(label), months)
            for code, label in PROGRAMMES
            if (months := programme_contract_months(code, timezone.localdate(), default_store()))
        ]
        self.fields["contract_months"].help_text = _(
            "Leave empty to use the programme's usual length: %(lengths)s."
        ) % {
            "lengths": "; ".join(_("%(name)s %(n)s months") % {"name": n, "n": m} for n, m in usual)
        }


def earnings_input(form: EarningsForm) -> dict[str, Any]:
    d = form.cleaned_data
    data: dict[str, Any] = {
        "on": d["on"].isoformat(),
        "prefecture": d["prefecture"],
        "scheduled_hours_per_month": json_number(d["scheduled_hours"]),
        "overtime_hours_per_month": json_number(d["overtime_hours"]),
        "age": d["age"],
        "months_in_japan": d["months_in_japan"],
        "deductions": {
            k: json_number(d[k])
            for k in ("housing", "utilities", "meals", "other")
            if d[k] is not None
        },
        "remit_share_of_net": float(d["remit_share"] / 100),
    }
    wage_key = "monthly_basic_wage" if d["wage_kind"] == "monthly" else "hourly_wage"
    data[wage_key] = json_number(d["wage_amount"])
    if d["programme"]:
        data["programme"] = d["programme"]
    if d["contract_months"]:
        data["contract_months"] = d["contract_months"]
    if d["deductions_agreement"]:
        data["deductions_agreement"] = True
    if d["debt_amount"]:
        data["debt"] = {
            "principal": {"amount": json_number(d["debt_amount"]), "currency": d["debt_currency"]},
            "annual_interest_rate": float(d["interest_rate"] / 100),
        }
    if d["fx_jpy"]:
        data["fx"] = {"JPY": json_number(d["fx_jpy"])}
    return data


ENGINE_FIELDS = {
    "monthly_basic_wage": "wage_amount",
    "hourly_wage": "wage_amount",
    "scheduled_hours_per_month": "scheduled_hours",
    "overtime_hours_per_month": "overtime_hours",
    "debt.principal.amount": "debt_amount",
    "debt.principal.currency": "debt_currency",
    "debt.annual_interest_rate": "interest_rate",
    "remit_share_of_net": "remit_share",
    "fx.JPY": "fx_jpy",
    "fx.USD": "fx_jpy",
}


def attach_engine_error(form: EarningsForm, field: str, message: str) -> None:
    name = ENGINE_FIELDS.get(field, field.removeprefix("deductions."))
    form.add_error(name if name in form.fields else None, message)
