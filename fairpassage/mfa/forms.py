"""Forms of the second-factor app: they validate, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fairpassage.mfa.selectors import login_username


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits shown in the authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autofocus": True,
                "aria-describedby": "id_code-help",
            }
        ),
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    """The sign-in form; with ``refusal`` set it refuses without checking the password.

    The user name is normalised as accounts are (``mfa/selectors.py`` ``login_username``), so every
    spelling of a name signs in to, and is throttled as, the same account.
    """

    refusal: str | None = None

    def clean_username(self) -> str:
        return login_username(str(self.cleaned_data.get("username") or ""))

    def clean(self) -> dict[str, Any]:
        if self.refusal is not None:
            raise ValidationError(self.refusal, code="throttled")
        return super().clean()
