"""Money fields typed as people write them ("120.000.000", "120tr", "18万円").

The field keeps the text exactly as typed (so the page shows it back unchanged); a form that mixes
in ``AmountsMixin`` reads every amount with the one parser of the pure core
(``fairpassage.text.amounts``), using the currency chosen beside it. What cannot be read for sure is
asked about, with a message naming the field; it is never guessed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fairpassage.text.amounts import AmountError, parse_amount

LARGEST = Decimal(10) ** 15
CURRENCY_NAMES = {"VND": "₫ (VND)", "JPY": "¥ (JPY)", "USD": "$ (USD)"}
MESSAGES = {
    "ambiguous": _(
        "%(field)s: “%(typed)s” can be read in two ways. Write the whole amount with a dot "
        "between each group of three digits (for example 1.500.000) or with a unit (for example "
        "1,5 triệu)."
    ),
    "invalid": _(
        "%(field)s: “%(typed)s” is not an amount we can read. Write it in digits, for example "
        "120.000.000 or 120 triệu."
    ),
    "negative": _("%(field)s: an amount cannot be negative."),
    "currencies": _("%(field)s: “%(typed)s” names two different currencies. Write only one."),
    "precision": _("%(field)s: “%(typed)s” has more than two decimal places."),
    "large": _("%(field)s: “%(typed)s” is too large for an amount."),
    "contradiction": _(
        "%(field)s: the amount is written in %(written)s but the currency chosen is "
        "%(chosen)s. Change one of them."
    ),
}


class AmountField(forms.CharField):
    """A money amount typed as text. ``currency_field`` names the currency choice beside it;
    ``currency`` is the fixed currency of a field that has none (the earnings page's yen)."""

    def __init__(
        self, *, currency_field: str | None = None, currency: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)
        self.currency_field = currency_field
        self.currency = currency


def _message(code: str, field: forms.Field, typed: str, **more: str) -> str:
    return str(MESSAGES[code]) % {"field": field.label, "typed": typed, **more}


if TYPE_CHECKING:
    _Base = forms.Form
else:
    _Base = object


class AmountsMixin(_Base):
    """Reads every AmountField of the form into a Decimal (or None when left empty).

    A currency written in the amount ("¥180,000", "30.000.000 đ") is used when the currency
    choice beside it was left at its default; when the person chose another currency, the
    contradiction is asked about."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        for name, field in self.fields.items():
            if isinstance(field, AmountField) and name in cleaned:
                self._read_amount(name, field, cleaned)
        return cleaned

    def _read_amount(self, name: str, field: AmountField, cleaned: dict[str, Any]) -> None:
        typed = cleaned[name]
        if not typed:
            cleaned[name] = None
            return
        chosen = field.currency or (
            cleaned.get(field.currency_field) if field.currency_field else None
        )
        try:
            parsed = parse_amount(typed, currency=chosen or None)
        except AmountError as error:
            self.add_error(name, _message(error.code, field, typed))
            return
        if parsed.value > LARGEST:
            self.add_error(name, _message("large", field, typed))
            return
        written = parsed.currency
        if written and chosen and written != chosen:
            beside = self.fields.get(field.currency_field or "")
            if field.currency_field and beside is not None and chosen == beside.initial:
                cleaned[field.currency_field] = written
            else:
                self.add_error(
                    name,
                    _message(
                        "contradiction",
                        field,
                        typed,
                        written=CURRENCY_NAMES.get(written, written),
                        chosen=CURRENCY_NAMES.get(chosen, chosen),
                    ),
                )
                return
        cleaned[name] = parsed.value
