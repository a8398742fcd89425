"""Connect a chat account (platform staff, in the admin): secrets are write-only here."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from fairpassage.channels.models import ChannelAccount
from fairpassage.core.services import audit_record

SECRETS = ("secret", "access_token", "verify_token")


class ChannelAccountForm(forms.ModelForm[ChannelAccount]):
    """A secret left empty keeps the stored one; the stored value is never shown."""

    class Meta:
        model = ChannelAccount
        fields = (
            "organisation",
            "provider",
            "display_name",
            "active",
            "app_id",
            "env_prefix",
            *SECRETS,
        )
        widgets: ClassVar[dict[str, Any]] = {
            name: forms.PasswordInput(render_value=False) for name in SECRETS
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in SECRETS:
            if not data.get(name) and self.instance.pk:
                data[name] = getattr(self.instance, name)
        return data


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin[ChannelAccount]):
    form = ChannelAccountForm
    list_display = ("display_name", "provider", "organisation", "active", "created_at")
    list_filter = ("provider", "active")

    def save_model(
        self, request: HttpRequest, obj: ChannelAccount, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="channel_account.change" if change else "channel_account.create",
            obj=obj,
            organisation=obj.organisation,
            data={"fields": sorted(form.changed_data)},
        )
