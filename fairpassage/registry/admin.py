"""Platform staff's view of the registry. Licences change through imports (so that history is
kept); sanctions are recorded here, through the service, which audits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fairpassage.registry.models import (
    HelpEntry,
    ImportBatch,
    Licence,
    LicenceStatusChange,
    Sanction,
)
from fairpassage.registry.services import sanction_record


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryInline(admin.TabularInline[LicenceStatusChange, Licence]):
    model = LicenceStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("status", "effective_on", "note", "recorded_at", "batch")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Licence)
class LicenceAdmin(ReadOnly):
    list_display = ("number", "issuer", "organisation", "issued_on", "expires_on", "source")
    list_filter = ("issuer",)
    search_fields = ("number", "organisation__name")
    inlines = (HistoryInline,)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnly):
    list_display = ("created_at", "source", "filename", "as_of", "created_by")


@admin.register(HelpEntry)
class HelpEntryAdmin(ReadOnly):
    list_display = ("key", "kind", "country", "verified_on", "confidence")
    list_filter = ("country", "kind", "confidence")


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin[Sanction]):
    list_display = ("decided_on", "organisation", "authority", "measure")
    search_fields = ("organisation__name", "authority", "measure")
    autocomplete_fields = ("organisation",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # a sanction is recorded once; a correction is a new record

    def save_model(self, request: HttpRequest, obj: Sanction, form: Any, change: bool) -> None:
        recorded = sanction_record(
            actor=request.user,
            organisation=obj.organisation,
            decided_on=obj.decided_on,
            authority=obj.authority,
            measure=obj.measure,
            basis=obj.basis,
            source_url=obj.source_url,
        )
        obj.pk = recorded.pk
