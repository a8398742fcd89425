"""Survey forms: they only validate what was typed; the services decide the rest."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fairpassage.core.models import Organisation
from fairpassage.surveys.labels import breakdown_label
from fairpassage.surveys.models import ColumnMapping, ImportFormat

CURRENCIES = [("JPY", "JPY (¥)"), ("VND", "VND (₫)"), ("USD", "USD ($)")]
#: The breakdowns the picker offers: each question alone, then the useful crossings.
BREAKDOWN_CHOICES: list[list[str]] = [
    ["sex"],
    ["programme"],
    ["occupation"],
    ["departure_year"],
    ["province"],
    ["sex", "programme"],
    ["programme", "occupation"],
    ["sex", "occupation"],
    ["programme", "departure_year"],
]
DEFAULT_BREAKDOWNS = [["sex"], ["programme"], ["occupation"], ["departure_year"]]


class SurveyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    currency = forms.ChoiceField(label=_("Currency of the results"), choices=CURRENCIES)
    rates = forms.CharField(
        label=_("Exchange rates"),
        required=False,
        help_text=_("Units of the results' currency per unit of another, e.g. VND=0.0061"),
    )
    rates_source = forms.CharField(
        label=_("Source and date of the rates"), required=False, max_length=300
    )
    breakdowns = forms.MultipleChoiceField(
        label=_("Breakdowns"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The groups the results are shown by, as the questionnaire asks them."),
    )
    min_cell = forms.IntegerField(label=_("Smallest group shown"), min_value=1, initial=5)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        picker = self.fields["breakdowns"]
        assert isinstance(picker, forms.MultipleChoiceField)
        # Labelled in the page's language when the form is built (inside the request).
        picker.choices = [("+".join(cols), breakdown_label(cols)) for cols in BREAKDOWN_CHOICES]
        picker.initial = ["+".join(cols) for cols in DEFAULT_BREAKDOWNS]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    exports = MultipleFileField(
        label=_("Exported files"),
        help_text=_(
            "KoboToolbox: the XLSX (or CSV) export. ODK Central: the main CSV and the repeat CSVs."
        ),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    mapping = forms.ModelChoiceField(
        queryset=ColumnMapping.objects.none(), required=False, label=_("Saved column mapping")
    )

    def __init__(self, *args: Any, mappings: QuerySet[ColumnMapping], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mapping"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = mappings


class MappingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    mapping = forms.CharField(
        label=_("Mapping (JSON)"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            'For example {"id_column": "id", "columns": {"sex": "gender"}, '
            '"values": {"sex": {"M": "male", "F": "female"}}, '
            '"costs": [{"column": "agency_fee", "item": "service_fee", "currency": "VND"}]}'
        ),
    )

    def clean_mapping(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["mapping"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(_("This is not valid JSON.")) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The mapping must be a JSON object."))
        return value
