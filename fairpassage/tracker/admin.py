"""Platform staff manage consultations and recommendations here; every save is audited.

Status updates are read-only in the admin: they are posted, attributed, by member
organisations through the pages or the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from fairpassage.core.models import User
from fairpassage.core.services import audit_record
from fairpassage.tracker.models import (
    Consultation,
    Participation,
    Recommendation,
    RecommendationStakeholder,
    StatusUpdate,
)


class AuditedAdmin(admin.ModelAdmin[Any]):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        user: User = request.user  # type: ignore[assignment]
        action = "update" if change else "create"
        audit_record(
            actor=user,
            action=f"tracker.{obj._meta.model_name}.{action}",
            obj=obj,
            data={"fields": sorted(form.changed_data)},
        )

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: Any, change: bool
    ) -> None:
        """Inline rows (participants, recommendations, addressees) are audited one by one."""
        super().save_formset(request, form, formset, change)
        user: User = request.user  # type: ignore[assignment]
        for verb, objects in (
            ("create", formset.new_objects),
            ("update", [obj for obj, _fields in formset.changed_objects]),
            ("delete", formset.deleted_objects),
        ):
            for obj in objects:
                audit_record(
                    actor=user,
                    action=f"tracker.{obj._meta.model_name}.{verb}",
                    obj=obj,
                    data={"parent": form.instance.pk},
                )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        user: User = request.user  # type: ignore[assignment]
        audit_record(actor=user, action=f"tracker.{obj._meta.model_name}.delete", obj=obj)
        super().delete_model(request, obj)


class ParticipationInline(admin.TabularInline[Participation, Consultation]):
    model = Participation
    extra = 0


class RecommendationInline(admin.TabularInline[Recommendation, Consultation]):
    model = Recommendation
    extra = 0
    fields = ("number", "theme", "text_vi", "text_en", "pending_proceedings", "position")
    show_change_link = True


@admin.register(Consultation)
class ConsultationAdmin(AuditedAdmin):
    list_display = ("date", "slug", "title_en", "organisers")
    search_fields = ("slug", "title_vi", "title_ja", "title_en", "organisers")
    inlines = (ParticipationInline, RecommendationInline)


class AddresseeInline(admin.TabularInline[RecommendationStakeholder, Recommendation]):
    model = RecommendationStakeholder
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdmin):
    list_display = ("consultation", "number", "theme", "pending_proceedings")
    list_filter = ("theme", "pending_proceedings", "consultation")
    search_fields = ("text_vi", "text_ja", "text_en")
    inlines = (AddresseeInline,)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin[StatusUpdate]):
    list_display = ("recommendation", "date", "status", "organisation", "created_at")
    list_filter = ("status", "organisation")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
