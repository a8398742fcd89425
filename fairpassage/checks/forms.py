"""The fee-check page's forms. They parse what the person typed into the engine's JSON; the
law engine decides what is lawful, and its errors are shown next to the field they name."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from fairpassage.checks.amount_fields import AmountField, AmountsMixin

PROGRAMMES = [
    ("titp", _("Technical intern training (TITP)")),
    ("ssw", _("Specified Skilled Worker (SSW)")),
    ("esd", _("Employment for Skill Development (ESD, from April 2027)")),
]
STAGES = [
    ("", _("The programme's first stage")),
    ("titp1", _("TITP stage 1 (1st year)")),
    ("titp2", _("TITP stage 2 (2nd–3rd year)")),
    ("titp3", _("TITP stage 3 (4th–5th year)")),
    ("ssw1", _("SSW (i)")),
    ("ssw2", _("SSW (ii)")),
    ("esd", _("ESD")),
]
PRIORS = [
    ("none", _("No")),
    ("titp2_completed", _("Yes, I completed TITP stage 2")),
    ("titp3_completed", _("Yes, I completed TITP stage 3")),
]
CURRENCIES = [("VND", "VND (₫)"), ("JPY", "JPY (¥)"), ("USD", "USD ($)")]
PAYEES = [
    ("", _("Not sure")),
    ("sending_organisation", _("The sending organisation (agency)")),
    ("broker", _("A broker or middleman")),
    ("training_centre", _("A training centre")),
    ("japanese_side", _("The Japanese side (employer, supervising organisation)")),
    ("jp_supervising_organisation", _("A supervising organisation in Japan (kumiai)")),
    ("jp_placement_agency", _("A placement agency in Japan")),
    ("jp_support_organisation", _("A registered support organisation in Japan")),
    ("government", _("A government office")),
    ("other", _("Someone else")),
]
CATEGORIES = [
    ("", _("Work it out from the description")),
    ("service_fee", _("Service fee")),
    ("brokerage", _("Brokerage commission")),
    ("deposit", _("Deposit")),
    ("selection_fee", _("Selection fee")),
    ("language_training", _("Language training")),
    ("skills_training", _("Skills training")),
    ("language_test", _("Language test fee")),
    ("skills_test", _("Skills test fee")),
    ("orientation", _("Pre-departure orientation")),
    ("medical", _("Medical check")),
    ("insurance", _("Insurance")),
    ("documents", _("Documents (passport, records)")),
    ("visa", _("Visa")),
    ("flight_to_japan", _("Air ticket to Japan")),
    ("flight_home", _("Air ticket home")),
    ("air_ticket", _("Air ticket (direction not said)")),
    ("domestic_travel", _("Travel within Viet Nam")),
    ("travel", _("Travel (trip not said)")),
    ("accommodation", _("Accommodation")),
    ("fund_contribution", _("Overseas Employment Support Fund")),
    ("bribe", _("Bribe or kickback")),
    ("penalty_bond", _("Penalty bond")),
    ("housing_deposit", _("Landlord's deposit (shikikin)")),
    ("job_change_fee", _("Job-change fee")),
    ("support_fee", _("Registered support organisation fee")),
    ("supervision_fee", _("Supervision fee (kanrihi)")),
    ("other", _("Other")),
]
SAME_ORGANISATIONS = [
    ("", _("Not said / not sure")),
    ("yes", _("Yes, neither changed")),
    ("no", _("No, one of them changed")),
]
SENDERS = [
    ("service_enterprise", _("A licensed service enterprise (agency)")),
    ("public_unit", _("A public non-business unit (đơn vị sự nghiệp)")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def exchange_rate_field(label: Any, help_text: Any) -> forms.DecimalField:
    """Dong per unit of another currency: optional, the engine says when one is missing."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=4,
        help_text=help_text,
    )


class FeeCheckForm(AmountsMixin, forms.Form):
    programme = forms.ChoiceField(label=_("Programme"), choices=PROGRAMMES)
    stage = forms.ChoiceField(label=_("Stage"), choices=STAGES, required=False)
    prior = forms.ChoiceField(
        label=_("Did you already complete technical intern training in Japan?"),
        choices=PRIORS,
        initial="none",
    )
    same_sending_and_supervising = forms.ChoiceField(
        label=_("Same sending and supervising organisations as in the previous stage"),
        choices=SAME_ORGANISATIONS,
        required=False,
        help_text=_("Only for stage 3. If you do not know, the check shows both ceilings."),
    )
    sender = forms.ChoiceField(
        label=_("Who sends you"), choices=SENDERS, initial="service_enterprise", required=False
    )
    extension_months = forms.IntegerField(
        label=_("Months the contract was extended (if it was)"),
        min_value=1,
        max_value=120,
        required=False,
    )
    japanese_paid_amount = AmountField(
        label=_("Service fee the Japanese side paid the agency for you (if known)"),
        currency_field="japanese_paid_currency",
        required=False,
        help_text=_("For example the monthly management fee or the dispatch fee, in total."),
    )
    japanese_paid_currency = forms.ChoiceField(
        label=_("Currency"), choices=CURRENCIES, initial="JPY", required=False
    )
    contract_months = forms.IntegerField(
        label=_("Length of the contract (months)"), min_value=1, max_value=120, initial=36
    )
    wage_amount = AmountField(
        label=_("Basic monthly wage in the contract"),
        currency_field="wage_currency",
        help_text=_("Without overtime or allowances."),
    )
    wage_currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, initial="JPY")
    signed_on = forms.DateField(
        label=_("Date the contract with the agency was signed"), widget=DATE
    )
    departs_on = forms.DateField(label=_("Departure date (if known)"), required=False, widget=DATE)
    passport_held = forms.BooleanField(
        label=_("Someone keeps my passport or residence card"), required=False
    )
    penalty_contract = forms.BooleanField(
        label=_("I signed a paper to pay a penalty if I leave"), required=False
    )
    forced_savings = forms.BooleanField(
        label=_("Part of my wage is kept as savings I cannot take"), required=False
    )
    fx_jpy = exchange_rate_field(
        _("Exchange rate: dong for 1 yen"), _("Needed when an amount is in yen, e.g. 170.")
    )
    fx_usd = exchange_rate_field(
        _("Exchange rate: dong for 1 US dollar"),
        _("Needed when an amount is in dollars, e.g. 25400."),
    )


class PaymentForm(AmountsMixin, forms.Form):
    label = forms.CharField(
        label=_("What was it for?"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. tien coc")}),
    )
    amount = AmountField(label=_("Amount"), currency_field="currency", required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, initial="VND")
    paid_on = forms.DateField(label=_("Date paid"), required=False, widget=DATE)
    payee = forms.ChoiceField(label=_("Paid to"), choices=PAYEES, required=False)
    category = forms.ChoiceField(label=_("Kind of cost"), choices=CATEGORIES, required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("label") and data.get("amount") is None and not data.get("category")


PaymentFormSet = formset_factory(PaymentForm, extra=0, min_num=1, max_num=50)

FIELD_NAMES = {
    "monthly_basic_wage.amount": "wage_amount",
    "monthly_basic_wage.currency": "wage_currency",
    "fx.JPY": "fx_jpy",
    "fx.USD": "fx_usd",
}
PAYMENT_FIELD = re.compile(r"^payments\[(\d+)\]\.(\w+)$")


def json_number(value: Decimal) -> int | float:
    """A form decimal as the JSON number the law engine reads (integers stay integers)."""
    return int(value) if value == value.to_integral_value() else float(value)


def engine_input(form: FeeCheckForm, payments: list[PaymentForm]) -> dict[str, Any]:
    """The engine's JSON from valid forms; blank payment rows are left out."""
    d = form.cleaned_data
    data: dict[str, Any] = {
        "programme": d["programme"],
        "prior": d["prior"],
        "sender": d["sender"] or "service_enterprise",
        "contract_months": d["contract_months"],
        "monthly_basic_wage": {
            "amount": json_number(d["wage_amount"]),
            "currency": d["wage_currency"],
        },
        "signed_on": d["signed_on"].isoformat(),
        "payments": [],
        "conduct": {
            key: True for key in ("passport_held", "penalty_contract", "forced_savings") if d[key]
        },
        "fx": {
            code: json_number(d[f"fx_{code.lower()}"])
            for code in ("JPY", "USD")
            if d[f"fx_{code.lower()}"]
        },
    }
    if d["stage"]:
        data["stage"] = d["stage"]
    same = d.get("same_sending_and_supervising")
    if same in ("yes", "no", True, False):
        data["same_sending_and_supervising"] = same in ("yes", True)
    if d.get("extension_months"):
        data["extension_months"] = d["extension_months"]
    if d.get("japanese_paid_amount") is not None:
        data["japanese_side_paid_service_fee"] = {
            "amount": json_number(d["japanese_paid_amount"]),
            "currency": d.get("japanese_paid_currency") or "JPY",
        }
    if d["departs_on"]:
        data["departs_on"] = d["departs_on"].isoformat()
    for payment in payments:
        p = payment.cleaned_data
        row: dict[str, Any] = {
            "label": p["label"],
            "currency": p["currency"],
            "amount": None if p["amount"] is None else json_number(p["amount"]),
        }
        for key in ("paid_on", "payee", "category"):
            if p.get(key):
                row[key] = p[key].isoformat() if key == "paid_on" else p[key]
        data["payments"].append(row)
    return data


def attach_engine_error(
    form: FeeCheckForm, payments: list[PaymentForm], field: str, message: str
) -> None:
    """Show the engine's error next to the field it names (or at the top of the form)."""
    match = PAYMENT_FIELD.match(field)
    if match and int(match.group(1)) < len(payments):
        payment = payments[int(match.group(1))]
        name = match.group(2)
        payment.add_error(name if name in payment.fields else None, message)
        return
    name = FIELD_NAMES.get(field, field)
    form.add_error(name if name in form.fields else None, message)
