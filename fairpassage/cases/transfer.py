"""Referral between installations: a referral exported as a signed, encrypted package, and a
package imported as a case of the receiving organisation.

The package format is in :mod:`fairpassage.cases.package` and docs/referral-package.md; what
travels is :func:`fairpassage.cases.selectors.referral_payload` (only the consented parts). Each
installation is configured with its id, its two private keys, and its peers' public keys:

``REFERRAL_INSTALLATION_ID``, ``REFERRAL_SIGNING_KEY``, ``REFERRAL_ENCRYPTION_KEY`` and
``REFERRAL_PEERS`` = ``{"installation id": {"signing": "…", "encryption": "…"}}``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fairpassage.cases import codes, package
from fairpassage.cases.access import WRITE_ROLES, CaseAccess, roles_by_organisation
from fairpassage.cases.choices import ReferralStatus, Stage, Status, WhereNow
from fairpassage.cases.models import Case, Consent, Note, Referral, Worker
from fairpassage.cases.people import WORKER_TEXT_FIELDS, passport_hash, referral_propose
from fairpassage.cases.recipients import recipient_check
from fairpassage.cases.selectors import referral_payload
from fairpassage.cases.services import require_access, timeline_add
from fairpassage.core import crypto
from fairpassage.core.errors import Forbidden, InvalidInput, Unavailable
from fairpassage.core.models import Organisation, User
from fairpassage.core.services import audit_record


def _own_keys() -> tuple[str, str, str]:
    installation = getattr(settings, "REFERRAL_INSTALLATION_ID", "")
    signing = getattr(settings, "REFERRAL_SIGNING_KEY", "")
    encryption = getattr(settings, "REFERRAL_ENCRYPTION_KEY", "")
    if not (installation and signing and encryption):
        raise Unavailable(
            _(
                "Referral between installations is not configured here "
                "(see docs/referral-package.md)."
            )
        )
    return installation, signing, encryption


def _peers() -> dict[str, dict[str, str]]:
    peers = getattr(settings, "REFERRAL_PEERS", {}) or {}
    return {str(k): dict(v) for k, v in peers.items()}


def referral_configured() -> bool:
    """Whether this installation has its id and keys (the pages offer the forms only then)."""
    try:
        _own_keys()
    except Unavailable:
        return False
    return True


def referral_peers() -> list[str]:
    """The ids of the installations this one exchanges referral packages with."""
    return sorted(_peers())


def referral_package_export(*, actor: User, referral: Referral, peer: str) -> bytes:
    """The referral's consented parts, encrypted for ``peer`` and signed by this installation."""
    if roles_by_organisation(actor).get(referral.from_org_id) not in WRITE_ROLES:
        raise Forbidden(_("Only case workers of the referring organisation export a referral."))
    recipient_check(case=referral.case, organisation=referral.to_org, field="to_org")
    installation, signing, _encryption = _own_keys()
    peer_keys = _peers().get(peer)
    if peer_keys is None:
        raise InvalidInput(_("This installation is not among the known peers."), field="peer")
    payload = referral_payload(referral)
    data = package.package_export(
        payload,
        sender_signing_key=signing,
        recipient_public_key=peer_keys["encryption"],
        sender={"installation": installation, "organisation": referral.from_org.slug},
        recipient={"installation": peer, "organisation": referral.to_org.slug},
    )
    with transaction.atomic():
        timeline_add(
            case=referral.case,
            kind="referral.exported",
            actor=actor,
            organisation=referral.from_org,
            data={"peer": peer, "parts": payload["referral"]["parts"]},
        )
        audit_record(
            actor=actor,
            action="referral.export",
            obj=referral,
            organisation=referral.from_org,
            data={"peer": peer},
        )
    return data


def package_sender_access(*, actor: User, case: Case) -> CaseAccess:
    """Who may refer a case to another installation: a case worker (or admin) of the
    organisation that owns it (the consent is checked when the referral is made)."""
    access = require_access(actor=actor, case=case, write=True)
    if not access.owner or access.organisation is None:
        raise Forbidden(_("Only the organisation that owns the case refers it."))
    return access


def referral_package_send(
    *,
    actor: User,
    case: Case,
    peer: str,
    to_org_slug: str,
    consent: Consent | None,
    parts: Iterable[str],
) -> tuple[Referral, bytes]:
    """Refer ``case`` to an organisation served by the installation ``peer`` and export the
    package, in one transaction (the staff page's "Refer to another installation").

    The referral to that organisation under the same consent and parts is reused when it exists
    (a lost file is downloaded again); otherwise it is proposed with
    :func:`fairpassage.cases.people.referral_propose`, which checks the consent. Any refusal
    (unknown peer, consent withdrawn, installation not configured) leaves nothing stored.
    """
    with transaction.atomic():
        access = package_sender_access(actor=actor, case=case)
        to_org = Organisation.objects.filter(slug=(to_org_slug or "").strip()).first()
        if to_org is None:
            raise InvalidInput(
                _("No organisation has this identifier on this installation."), field="to_org"
            )
        if consent is None or consent.case_id != case.pk:
            raise InvalidInput(_("Choose a consent recorded for this case."), field="consent")
        chosen = sorted(set(parts))
        referral = next(
            (
                r
                for r in Referral.objects.filter(
                    case=case,
                    from_org=access.organisation,
                    to_org=to_org,
                    consent=consent,
                    status__in=[ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED],
                ).select_related("from_org", "to_org", "consent", "case")
                if sorted(r.parts) == chosen
            ),
            None,
        )
        if referral is None:
            referral = referral_propose(
                actor=actor, case=case, to_org=to_org, consent=consent, parts=chosen
            )
        return referral, referral_package_export(actor=actor, referral=referral, peer=peer)


def _worker_from(payload: dict[str, Any], organisation: Organisation, actor: User) -> Worker | None:
    raw = payload.get("worker")
    if not isinstance(raw, dict):
        return None
    values = {name: str(raw.get(name) or "")[:500] for name in WORKER_TEXT_FIELDS}
    return Worker.objects.create(
        organisation=organisation,
        created_by=actor,
        passport_hash=passport_hash(values["passport_number"]) if values["passport_number"] else "",
        phone_hash=crypto.phone_hash(values["phone"]) if values["phone"] else "",
        **values,
    )


def referral_package_import(*, actor: User, data: bytes) -> Case:
    """Open a package addressed to one of ``actor``'s organisations and file it as a new case.

    Importing the same package twice gives the same case. A package that is tampered with,
    from an unknown installation or for another one is refused before anything is stored.
    """
    return referral_package_receive(actor=actor, data=data)[0]


def referral_package_receive(*, actor: User, data: bytes) -> tuple[Case, bool]:
    """:func:`referral_package_import`, telling also whether the case is new (``True``) or was
    filed by an earlier import of the same package (``False``)."""
    installation, _signing, encryption = _own_keys()
    trusted = {peer: keys["signing"] for peer, keys in _peers().items()}
    meta, payload = package.package_import(
        data, recipient_private_key=encryption, trusted_sender_keys=trusted
    )
    recipient = meta["recipient"]
    if recipient.get("installation") != installation:
        raise InvalidInput(
            _("This package is addressed to another installation."), field="recipient"
        )
    organisation = Organisation.objects.filter(slug=recipient.get("organisation", "")).first()
    if organisation is None or roles_by_organisation(actor).get(organisation.pk) not in WRITE_ROLES:
        raise Forbidden(_("Only case workers of the receiving organisation import a referral."))
    sender = meta["sender"]
    origin = f"{sender['installation']}:{payload['referral']['id']}"
    idempotency = crypto.keyed_hash(origin, purpose="referral-import")
    existing = Case.objects.filter(idempotency_hash=idempotency).first()
    if existing is not None:
        return existing, False
    case_data = payload["case"]
    try:
        with transaction.atomic():
            case = Case.objects.create(
                organisation=organisation,
                tracking_hash=codes.tracking_hash(codes.code_for_key(secrets.token_urlsafe(24))),
                idempotency_hash=idempotency,
                request_fingerprint=idempotency,
                where_now=organisation.country
                if organisation.country in WhereNow.values
                else WhereNow.ELSEWHERE,
                categories=list(case_data.get("categories") or []),
                stage=case_data.get("stage") if case_data.get("stage") in Stage.values else "",
                urgent=bool(case_data.get("urgent")),
                status=Status.INTAKE,
                agency_name=str(case_data.get("agency_name") or "")[:300],
                language=str(case_data.get("language") or "vi")[:5],
                statement=str(payload.get("statement") or ""),
                contact=str(payload.get("contact") or ""),
                worker=_worker_from(payload, organisation, actor),
            )
            for note in payload.get("notes") or []:
                Note.objects.create(
                    case=case,
                    organisation=organisation,
                    author=None,
                    language=str(note.get("language") or "vi")[:5],
                    body=str(note.get("body") or ""),
                )
            timeline_add(
                case=case,
                kind="referral.imported",
                actor=actor,
                organisation=organisation,
                data={
                    "from": sender,
                    "reference": case_data.get("reference"),
                    "parts": payload["referral"]["parts"],
                },
            )
            audit_record(
                actor=actor,
                action="referral.import",
                obj=case,
                organisation=organisation,
                data={"from": sender["installation"]},
            )
    except IntegrityError:  # the same package imported at the same moment
        return Case.objects.get(idempotency_hash=idempotency), False
    return case, True
