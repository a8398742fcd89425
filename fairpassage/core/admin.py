from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from fairpassage.core import services
from fairpassage.core.models import ApiToken, AuditEvent, Membership, Organisation, User

# Fields that make an account more powerful: nobody changes them on their own account here.
_PRIVILEGES = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class SiteUserAdmin(UserAdmin[User]):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            return fields + _PRIVILEGES
        return fields


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    """Shown, never edited here: roles change on the membership page, through the service."""

    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("user", "role", "created_at")
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "country", "is_active")
    list_filter = ("kind", "country", "is_active")
    search_fields = ("name", "name_local", "slug")
    inlines = (MembershipInline,)


class MembershipForm(forms.ModelForm[Membership]):
    class Meta:
        model = Membership
        fields = ("user", "organisation", "role")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    """Roles are given and taken through ``core.services`` (audited; platform staff never on
    their own account), never by writing the row directly."""

    form = MembershipForm
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__name", "organisation__slug")
    autocomplete_fields = ("user", "organisation")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("user", "organisation") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        saved = services.membership_set(
            actor=request.user, user=obj.user, organisation=obj.organisation, role=obj.role
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_remove(actor=request.user, membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user", "organisation"):
            services.membership_remove(actor=request.user, membership=membership)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit trail is append-only."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are issued with `fairpassage create-token` (shown once); here they are only read
    and revoked, never given to another user."""

    list_display = ("name", "user", "prefix", "created_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
