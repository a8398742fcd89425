"""Forms of the registry pages: they validate input only; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fairpassage.core.models import Country
from fairpassage.registry.models import HelpKind
from fairpassage.registry.reading import sources

STAR_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]
DATE = forms.DateInput(attrs={"type": "date"})


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or licence number of the agency"),
        max_length=200,
        help_text=_("Type it as you know it: with or without accents, in any order, abbreviated."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[
            ("", _("Both countries")),
            (Country.VIET_NAM, _("Viet Nam")),
            (Country.JAPAN, _("Japan")),
        ],
    )
    on = forms.DateField(
        label=_("Licence status on"),
        required=False,
        widget=DATE,
        help_text=_("For example the day you signed your contract. Empty: today."),
    )


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("Licence status on"), required=False, widget=DATE)


class ReviewForm(forms.Form):
    fees_honesty = forms.TypedChoiceField(
        label=_("Were they honest about the fees?"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    contract_kept = forms.TypedChoiceField(
        label=_("Did they keep to the contract?"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    support = forms.TypedChoiceField(
        label=_("Did they support you when you needed it?"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What happened (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Do not write your name or anyone's phone number: phone numbers and names are "
            "removed before publication, and a reviewer reads every report first."
        ),
    )


class ModerateForm(forms.Form):
    text = forms.CharField(
        label=_("Text to publish"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    decision = forms.ChoiceField(choices=[("publish", _("Publish")), ("reject", _("Reject"))])


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("The agency's reply"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )


class HelpFilterForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[
            ("", _("Both countries")),
            (Country.VIET_NAM, _("Viet Nam")),
            (Country.JAPAN, _("Japan")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind of help"), required=False, choices=[("", _("All")), *HelpKind.choices]
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("List (CSV or XLSX)"))
    source = forms.ChoiceField(label=_("Column mapping"), choices=[])
    as_of = forms.DateField(
        label=_("Date of the list"),
        required=False,
        widget=DATE,
        help_text=_("Status changes take effect on this date. Empty: today."),
    )
    commit = forms.BooleanField(
        label=_("Apply the changes (leave unticked to see what would change first)"),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["source"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in sources()]
