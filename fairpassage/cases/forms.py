"""Forms of the public grievance pages (validation only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.choices import Category, Stage, WhereNow
from fairpassage.reference.models import ProvinceEra, VnProvince

#: Value prefix of a province as it was before the July 2025 merger.
FORMER = "old-"


def province_choices() -> list[tuple[object, object]]:
    """The 34 provinces, then the 63 former ones, each shown with the province it is now part
    of, so a worker finds her province under the name she knows."""
    rows = VnProvince.objects.filter(era=ProvinceEra.CURRENT).order_by("name")
    former = (
        VnProvince.objects.filter(era=ProvinceEra.LEGACY)
        .select_related("successor")
        .order_by("name")
    )
    return [
        ("", _("Not given")),
        (_("Provinces since 1 July 2025"), [(p.code, p.name) for p in rows]),
        (
            _("Former provinces (before 1 July 2025)"),
            [
                (f"{FORMER}{p.code}", f"{p.name} → {p.successor.name}")
                for p in former
                if p.successor is not None
            ],
        ),
    ]


class GrievanceForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    urgent = forms.BooleanField(label=_("I am in danger now"), required=False)
    where_now = forms.ChoiceField(
        label=_("Where are you now?"), choices=WhereNow.choices, widget=forms.RadioSelect
    )
    categories = forms.MultipleChoiceField(
        label=_("What happened? (choose one or more)"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ChoiceField(
        label=_("When did it happen?"), choices=Stage.choices, widget=forms.RadioSelect
    )
    statement = forms.CharField(
        label=_("Tell us what happened"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    agency_name = forms.CharField(
        label=_("The agency or employer (if you know it)"), max_length=300, required=False
    )
    province = forms.ChoiceField(label=_("Your home province"), required=False, choices=())
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        help_text=_("A phone number, Zalo, Facebook or LINE. Leave empty to stay anonymous."),
        max_length=500,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        assert isinstance(province, forms.ChoiceField)
        province.choices = province_choices()

    def clean_province(self) -> str:
        """A former province is sent as the province it became part of."""
        value = str(self.cleaned_data.get("province") or "")
        if not value.startswith(FORMER):
            return value
        former = (
            VnProvince.objects.filter(era=ProvinceEra.LEGACY, code=value.removeprefix(FORMER))
            .select_related("successor")
            .first()
        )
        if former is None or former.successor is None:
            raise forms.ValidationError(_("Choose a province from the list."))
        return former.successor.code


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    body = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
