"""Writes of the registry other than imports: worker reports, replies, sanctions, the help
directory. Imports are in :mod:`fairpassage.registry.imports`."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairpassage.core import selectors as core_selectors
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput
from fairpassage.core.models import Organisation, User
from fairpassage.core.ratelimit import rate_limit
from fairpassage.core.services import Actor, audit_record
from fairpassage.reference.models import ReferenceDataset
from fairpassage.registry import selectors
from fairpassage.registry.models import (
    AgencyReply,
    AgencyReview,
    HelpEntry,
    HelpKind,
    ReviewStatus,
    Sanction,
)
from fairpassage.registry.redact import redact
from fairpassage.registry.search_index import registry_changed

STARS = ("fees_honesty", "contract_kept", "support")
REVIEW_TEXT_MAX = 3000
#: Reports one address may send in an hour.
REVIEWS_PER_HOUR = 5
HELP_DIRECTORY = "help-directory/entries.yaml"


@transaction.atomic
def review_submit(
    *,
    organisation: Organisation,
    stars: dict[str, int],
    text: str,
    language: str,
    client: str,
) -> AgencyReview:
    """A worker's report, held for moderation. Nothing about the sender is stored."""
    rate_limit(scope="review", key=client, limit=REVIEWS_PER_HOUR, window_seconds=3600)
    for name in STARS:
        value = stars.get(name)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidInput(_("Choose from 1 to 5 stars."), field=name)
    text = text.strip()
    if len(text) > REVIEW_TEXT_MAX:
        raise InvalidInput(
            _("Write at most %(max)s characters."), field="text", params={"max": REVIEW_TEXT_MAX}
        )
    review = AgencyReview.objects.create(
        organisation=organisation, text=text, language=language[:5], **stars
    )
    audit_record(actor=None, action="registry.review.submit", obj=review)
    return review


may_moderate = selectors.may_moderate


@transaction.atomic
def review_moderate(
    *, actor: User, review: AgencyReview, publish: bool, text: str | None = None
) -> AgencyReview:
    """Publish (with phone numbers and names stripped) or reject a pending report.

    Only platform staff and reviewers of a support organisation or a public body moderate, and
    never a report about an organisation they belong to. The audit event is filed under the
    moderator's organisation, never the accused's: its members learn nothing of a report
    before it is published.
    """
    if not selectors.may_moderate(actor):
        raise Forbidden(_("Only reviewers of support organisations can moderate reports."))
    if not selectors.may_moderate_review(user=actor, review=review):
        raise Forbidden(_("Nobody moderates a report about their own organisation."))
    if review.status != ReviewStatus.PENDING:
        raise Conflict(_("This report has already been moderated."))
    review.status = ReviewStatus.PUBLISHED if publish else ReviewStatus.REJECTED
    review.published_text = redact(text if text is not None else review.text) if publish else ""
    review.moderated_by = actor
    review.moderated_at = timezone.now()
    review.save()
    audit_record(
        actor=actor,
        action="registry.review.publish" if publish else "registry.review.reject",
        obj=review,
        organisation=selectors.moderating_organisations(user=actor).first(),
    )
    return review


@transaction.atomic
def reply_post(*, actor: User, review: AgencyReview, text: str) -> AgencyReply:
    """The agency's one public reply, by a member of the agency."""
    if (
        not core_selectors.memberships_of(user=actor)
        .filter(organisation=review.organisation)
        .exists()
    ):
        raise Forbidden(_("Only the agency's own staff can reply."))
    if review.status != ReviewStatus.PUBLISHED:
        raise Conflict(_("Only a published report can be answered."))
    if AgencyReply.objects.filter(review=review).exists():
        raise Conflict(_("This report already has the agency's reply."))
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write the reply."), field="text")
    reply = AgencyReply.objects.create(
        review=review, text=redact(text[:REVIEW_TEXT_MAX]), author=actor
    )
    audit_record(
        actor=actor, action="registry.review.reply", obj=reply, organisation=review.organisation
    )
    return reply


@transaction.atomic
def sanction_record(
    *,
    actor: Actor,
    organisation: Organisation,
    decided_on: dt.date,
    authority: str,
    measure: str,
    basis: str = "",
    source_url: str = "",
) -> Sanction:
    if isinstance(actor, User) and not core_selectors.is_platform_staff(actor):
        raise Forbidden(_("Only platform staff record sanctions."))
    sanction = Sanction.objects.create(
        organisation=organisation,
        decided_on=decided_on,
        authority=authority,
        measure=measure,
        basis=basis,
        source_url=source_url,
    )
    audit_record(actor=actor, action="registry.sanction", obj=sanction, organisation=organisation)
    registry_changed()
    return sanction


def _entry_fields(raw: dict[str, Any]) -> dict[str, Any]:
    source = raw.get("source") or {}
    if raw.get("kind") not in HelpKind.values:
        raise InvalidInput(_("Unknown kind of help entry."), field=f"{raw.get('key')}.kind")
    if not source.get("url"):
        raise InvalidInput(
            _("Every help entry needs its source."), field=f"{raw.get('key')}.source"
        )
    return {
        "kind": raw["kind"],
        "country": raw["country"],
        "name": raw["name"],
        "description": raw.get("description") or {},
        "hours": raw.get("hours") or {},
        "phone": raw.get("phone") or "",
        "email": raw.get("email") or "",
        "website": raw.get("website") or "",
        "address": raw.get("address") or "",
        "languages": raw.get("languages") or [],
        "source_url": source["url"],
        "source_title": source.get("title", ""),
        "verified_on": raw["verified_on"],
        "confidence": raw.get("confidence", ""),
    }


@transaction.atomic
def help_directory_load(
    *, data_dir: Path, progress: Callable[[str, str], None] | None = None
) -> int:
    """Load the cited help directory; the file is the source of truth (idempotent)."""
    path = data_dir / HELP_DIRECTORY
    raw_bytes = path.read_bytes()
    digest = hashlib.sha256(raw_bytes).hexdigest()
    dataset = ReferenceDataset.objects.filter(name=HELP_DIRECTORY).first()
    if dataset is not None and dataset.sha256 == digest:
        if progress:
            progress(HELP_DIRECTORY, _("unchanged"))
        return 0
    entries = yaml.safe_load(raw_bytes) or []
    keys = []
    for raw in entries:
        HelpEntry.objects.update_or_create(key=raw["key"], defaults=_entry_fields(raw))
        keys.append(raw["key"])
    HelpEntry.objects.exclude(key__in=keys).delete()
    ReferenceDataset.objects.update_or_create(
        name=HELP_DIRECTORY, defaults={"sha256": digest, "rows": len(keys)}
    )
    audit_record(actor=None, action="registry.help_directory.load", data={"entries": len(keys)})
    if progress:
        progress(HELP_DIRECTORY, _("%(n)s entries") % {"n": len(keys)})
    return len(keys)
