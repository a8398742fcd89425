"""Forms of the staff pages for the registry agency and referral packages (validation only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fairpassage.cases import transfer
from fairpassage.cases.choices import Part
from fairpassage.cases.models import Case, Consent
from fairpassage.cases.package import MAX_PACKAGE_BYTES


class AgencySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or licence number of the agency or employer"), max_length=200, strip=True
    )


class ReferralPackageForm(forms.Form):
    """Refer to an organisation served by another installation: the file to carry there."""

    peer = forms.ChoiceField(label=_("Installation that serves the organisation"))
    to_org = forms.SlugField(
        label=_("Receiving organisation (its short name, the same on both installations)"),
        max_length=100,
    )
    consent = forms.TypedChoiceField(label=_("Under the consent"), coerce=int)
    parts = forms.MultipleChoiceField(
        label=_("Parts to send"), choices=Part.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, peers: Iterable[str], consents: Iterable[Consent], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        peer = self.fields["peer"]
        consent = self.fields["consent"]
        assert isinstance(peer, forms.ChoiceField) and isinstance(consent, forms.ChoiceField)
        peer.choices = [(p, p) for p in peers]
        consent.choices = [
            (c.pk, f"{c.given_on:%Y-%m-%d} · {c.get_purpose_display()}") for c in consents
        ]


class PackageUploadForm(forms.Form):
    file = forms.FileField(label=_("Referral package file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_PACKAGE_BYTES:
            raise forms.ValidationError(_("The package is too large."))
        return upload


def package_form(case: Case, data: Any = None) -> ReferralPackageForm:
    """The "Refer to another installation" form of a case (its page and the package page)."""
    return ReferralPackageForm(
        data,
        peers=transfer.referral_peers(),
        consents=Consent.objects.filter(case=case, withdrawn_on__isnull=True),
        auto_id="pkg-%s",
    )
