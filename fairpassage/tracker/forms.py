"""The status-update form: it validates shapes only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairpassage.core.models import Organisation
from fairpassage.tracker.models import Status


class StatusUpdateForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    date = forms.DateField(
        label=_("Date of the situation"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the situation you describe was true."),
    )
    text = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Facts only, with who did what and when. Do not name workers."),
    )
    evidence = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address per line: a decision, a circular, a report, a news item."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localdate())
        if organisations:
            kwargs["initial"].setdefault("organisation", organisations[0].pk)
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])

    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]


def attach_error(form: forms.Form, field: str, message: str) -> None:
    """Show a service error next to the field it names (``evidence[2]`` -> ``evidence``)."""
    name = field.split("[", 1)[0]
    form.add_error(name if name in form.fields else None, message)
