"""Writes of the core app: one function per verb, keyword-only, in a transaction, audited."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from fairpassage.core import crypto
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput
from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.models import (
    ApiToken,
    AuditEvent,
    Country,
    Membership,
    Organisation,
    OrganisationKind,
    Profile,
    Role,
    User,
)

Actor = User | AnonymousUser | None
TOKEN_PREFIX = "fp_"  # noqa: S105 - a public prefix, not a secret


def _actor_fields(actor: Actor) -> dict[str, Any]:
    if actor is None:
        return {"actor": None, "actor_label": "system"}
    if not actor.is_authenticated:
        return {"actor": None, "actor_label": "anonymous"}
    return {"actor": actor, "actor_label": actor.get_username()}


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    organisation: Organisation | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction of the write it records."""
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        data=data or {},
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    country: str,
    name_local: str = "",
    slug: str = "",
    email: str = "",
    phone: str = "",
    website: str = "",
    address: str = "",
) -> Organisation:
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the organisation's name."), field="name")
    if kind not in OrganisationKind.values:
        raise InvalidInput(_("Choose a kind of organisation from the list."), field="kind")
    if country not in Country.values:
        raise InvalidInput(_("Choose a country from the list."), field="country")
    if slug and Organisation.objects.filter(slug=slug).exists():
        raise Conflict(_("This short name is already taken."), field="slug")
    organisation = Organisation.objects.create(
        name=name,
        name_local=name_local,
        slug=slug or _unique_slug(name),
        kind=kind,
        country=country,
        email=email,
        phone=phone,
        website=website,
        address=address,
    )
    audit_record(
        actor=actor, action="organisation.create", obj=organisation, organisation=organisation
    )
    # Search finds every active organisation: a new one needs a new shared index.
    from fairpassage.registry.search_index import registry_changed  # noqa: PLC0415 - cycle

    registry_changed()
    return organisation


def _membership_change_check(*, actor: Actor, user: User, organisation: Organisation) -> None:
    """Who may change roles: the command line (no actor), platform staff, the organisation's
    administrators; never platform staff on their own account (another staff member must)."""
    if actor is None:
        return
    if not actor.is_authenticated:
        raise Forbidden(_("Sign in to change roles."))
    staff = bool(getattr(actor, "is_staff", False))
    if staff and actor.pk == user.pk:
        raise Forbidden(
            _(
                "Platform staff may not change their own roles in an organisation: "
                "another staff member must do it."
            )
        )
    if staff:
        return
    is_admin = Membership.objects.filter(
        user_id=actor.pk, organisation=organisation, role=Role.ORGANISATION_ADMIN
    ).exists()
    if not is_admin:
        raise Forbidden(
            _("Only the organisation's administrators and platform staff change roles.")
        )


def _membership_data(user: User, role: str, previous: str) -> dict[str, Any]:
    return {"user": user.pk, "username": user.get_username(), "role": role, "previous": previous}


@transaction.atomic
def membership_set(
    *, actor: Actor, user: User, organisation: Organisation, role: str
) -> Membership:
    """Give ``user`` the ``role`` in ``organisation`` (replacing a previous role there).

    The one way roles are given, in the admin too (``core/admin.py``); audited with the role
    before and after, which the organisation's administrators read on their members page.
    """
    if role not in Role.values:
        raise InvalidInput(_("Choose a role from the list."), field="role")
    _membership_change_check(actor=actor, user=user, organisation=organisation)
    previous = (
        Membership.objects.select_for_update()
        .filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    audit_record(
        actor=actor,
        action="membership.set",
        obj=membership,
        organisation=organisation,
        data=_membership_data(user, role, previous or ""),
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    """Take ``membership``'s role away; audited like a change of role."""
    user, organisation = membership.user, membership.organisation
    _membership_change_check(actor=actor, user=user, organisation=organisation)
    audit_record(
        actor=actor,
        action="membership.remove",
        obj=membership,
        organisation=organisation,
        data=_membership_data(user, "", membership.role),
    )
    membership.delete()


@transaction.atomic
def profile_update(
    *,
    actor: Actor,
    user: User,
    display_name: str | None = None,
    phone: str | None = None,
    preferred_language: str | None = None,
) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    changed: list[str] = []
    if display_name is not None:
        profile.display_name = display_name.strip()
        changed.append("display_name")
    if phone is not None:
        phone = phone.strip()
        if phone and len(crypto.normalise_phone(phone)) < 6:
            raise InvalidInput(_("This telephone number is too short."), field="phone")
        profile.phone = phone
        profile.phone_hash = crypto.phone_hash(phone) if phone else ""
        changed.append("phone")
    if preferred_language is not None:
        profile.preferred_language = preferred_language
        changed.append("preferred_language")
    profile.save()
    # The audit trail names the fields changed, never their personal content.
    audit_record(actor=actor, action="profile.update", obj=profile, data={"fields": changed})
    return profile


@transaction.atomic
def api_token_create(*, actor: Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token; the plain text is returned once and never stored."""
    if not name.strip():
        raise InvalidInput(_("Give the token a name."), field="name")
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=plaintext[:10], key_hash=crypto.token_digest(plaintext)
    )
    audit_record(actor=actor, action="api_token.create", obj=token, data={"user": user.pk})
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoke", obj=token)
    return token


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and their names."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names


def encrypted_fields_rotate(
    *, actor: Actor, batch_size: int = 500, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Re-encrypt every encrypted value with the newest key; each model in one transaction.

    Values are read (decrypted by any configured key) and written back with ``update``, which
    encrypts with the first key and leaves other columns and timestamps alone. Re-running is
    harmless.
    """
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        label = model._meta.label
        done = 0
        with transaction.atomic():
            rows = model._default_manager.values_list("pk", *names)
            for pk, *values in rows.iterator(chunk_size=batch_size):
                model._default_manager.filter(pk=pk).update(**dict(zip(names, values, strict=True)))
                done += 1
                if progress is not None and done % batch_size == 0:
                    progress(label, done)
            audit_record(
                actor=actor, action="encryption.rotate", data={"model": label, "rows": done}
            )
        counts[label] = done
    return counts
