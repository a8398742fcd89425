"""The letter section of the fee-check result: who the letter goes to, the agency's name, and the
worker's identity, typed for the printed letter only (never stored, never logged)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from fairpassage.checks.letter import Identity, LetterRequest

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

RECIPIENT_CHOICES = [
    ("sending_organisation", _("The sending organisation (agency), asking it to refund you")),
    (
        "authority",
        _("The Department of Overseas Labour, asking it to order the agency to refund you"),
    ),
]

#: the fields that carry the worker's identity: kept out of error reports and logs
IDENTITY_FIELDS = ("worker_name", "worker_id_number", "worker_address", "contract_number", "place")


def _text(
    label: str | _StrPromise, *, max_length: int = 200, autocomplete: str = "off"
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class LetterForm(forms.Form):
    recipient = forms.ChoiceField(
        label=_("Address the letter to"),
        choices=RECIPIENT_CHOICES,
        initial="sending_organisation",
        widget=forms.RadioSelect,
    )
    agency_name = _text(_("Name of the agency that charged you"), autocomplete="organization")
    worker_name = _text(_("Your full name"), autocomplete="name")
    worker_id_number = _text(_("Your ID card or passport number"), max_length=40)
    worker_address = _text(_("Your address"), max_length=300, autocomplete="street-address")
    contract_number = _text(_("Number of your contract with the agency"), max_length=80)
    place = _text(_("Place where you write the letter (e.g. Hà Nội)"), max_length=80)
    japanese_copy = forms.BooleanField(label=_("Add a Japanese copy"), required=False)
    english_copy = forms.BooleanField(label=_("Add an English copy"), required=False)

    def letter_request(self) -> LetterRequest:
        """What the valid form asks for (identity held in memory only)."""
        d = self.cleaned_data
        return LetterRequest(
            recipient=d["recipient"],
            agency_name=d["agency_name"],
            identity=Identity(
                name=d["worker_name"],
                id_number=d["worker_id_number"],
                address=d["worker_address"],
                contract_number=d["contract_number"],
                place=d["place"],
            ),
            copies=tuple(
                lang for lang, key in (("ja", "japanese_copy"), ("en", "english_copy")) if d[key]
            ),
        )
