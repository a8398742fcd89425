"""Writes of the tracker: status updates by member organisations; the seed consultations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairpassage.core import selectors as core_selectors
from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import Organisation, Role, User
from fairpassage.core.services import audit_record
from fairpassage.tracker.models import (
    LANGS,
    Consultation,
    Participation,
    Recommendation,
    RecommendationStakeholder,
    Stakeholder,
    Status,
    StatusUpdate,
    Theme,
)

# Who may report progress for an organisation: its administrators, case workers and reviewers.
# Analysts read only. Platform staff manage consultations but post only through a membership,
# so that every update names the organisation that vouches for it.
POST_ROLES = frozenset({Role.ORGANISATION_ADMIN.value, Role.CASE_WORKER.value, Role.REVIEWER.value})
MAX_EVIDENCE = 10
MAX_TEXT = 5000


def poster_organisations(*, user: User) -> list[Organisation]:
    """The organisations ``user`` may post updates for (through a membership in POST_ROLES)."""
    return [
        m.organisation
        for m in core_selectors.memberships_of(user=user)
        if m.role in POST_ROLES and m.organisation.is_active
    ]


def _clean_evidence(links: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for index, link in enumerate(links):
        link = link.strip()
        if not link:
            continue
        parts = urlsplit(link)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise InvalidInput(
                _("Evidence links must be web addresses starting with http:// or https://."),
                field=f"evidence[{index}]",
            )
        cleaned.append(link[:500])
    if len(cleaned) > MAX_EVIDENCE:
        raise InvalidInput(
            _("Give at most %(max)d evidence links."),
            field="evidence",
            params={"max": MAX_EVIDENCE},
        )
    return cleaned


@transaction.atomic
def status_update_create(
    *,
    actor: User,
    recommendation: Recommendation,
    organisation: Organisation,
    status: str,
    date: dt.date,
    text: str,
    evidence: Sequence[str] = (),
    language: str = "vi",
) -> StatusUpdate:
    """Record where a recommendation stands, in the name of one of the actor's organisations."""
    if organisation not in poster_organisations(user=actor):
        raise Forbidden(
            _("Only administrators, case workers and reviewers of a member organisation can post.")
        )
    if status not in Status.values:
        raise InvalidInput(_("Choose a status from the list."), field="status")
    if date > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field="date")
    if date < recommendation.consultation.date:
        raise InvalidInput(_("The date cannot be before the consultation."), field="date")
    text = text.strip()
    if not text:
        raise InvalidInput(_("Say what happened."), field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("Keep the text under %(max)d characters."), field="text", params={"max": MAX_TEXT}
        )
    update = StatusUpdate.objects.create(
        recommendation=recommendation,
        organisation=organisation,
        author=actor,
        status=status,
        date=date,
        text=text,
        language=language if language in LANGS else "vi",
        evidence=_clean_evidence(evidence),
    )
    audit_record(
        actor=actor,
        action="tracker.status_update.create",
        obj=update,
        organisation=organisation,
        data={
            "recommendation": recommendation.pk,
            "status": status,
            "date": date.isoformat(),
            "evidence": len(update.evidence),
        },
    )
    return update


# --- seed consultations -------------------------------------------------------------------


def _texts(entry: dict[str, Any], key: str) -> dict[str, str]:
    value = entry.get(key) or {}
    if not isinstance(value, dict):
        raise InvalidInput(_("The field %(field)s must give vi, ja and en."), field=key)
    return {f"{key}_{lang}": str(value.get(lang, "")).strip() for lang in LANGS}


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return bool(changed)


def _load_file(path: Path) -> str:
    data = yaml.safe_load(path.read_text("utf-8"))
    participants = data.get("participants") or {}
    values: dict[str, Any] = {
        **_texts(data, "title"),
        **_texts(data, "summary"),
        **_texts(data, "place"),
        "date": data["date"],
        "organisers": str(data.get("organisers", "")),
        "participants_total": participants.get("total"),
        "participants_more_than": bool(participants.get("more_than", False)),
        "proceedings_url": str(data.get("proceedings_url", "")),
        "source_url": str(data.get("source_url", "")),
        "source_note": str(data.get("source_note", "")).strip(),
    }
    consultation = Consultation.objects.filter(slug=data["slug"]).first()
    created = consultation is None
    if consultation is None:
        consultation = Consultation(slug=data["slug"])
    changed = _apply(consultation, values) or created
    if changed:
        consultation.save()

    groups = [
        (g["stakeholder"], str(g.get("description", "")), g.get("count"))
        for g in participants.get("groups") or []
    ]
    known = [
        (p.stakeholder, p.description, p.count) for p in consultation.participations.order_by("id")
    ]
    if groups != known:
        for stakeholder, _description, _count in groups:
            if stakeholder not in Stakeholder.values:
                raise InvalidInput(
                    _("Unknown stakeholder group %(value)s."),
                    field="participants.groups",
                    params={"value": stakeholder},
                )
        consultation.participations.all().delete()
        Participation.objects.bulk_create(
            Participation(consultation=consultation, stakeholder=s, description=d, count=c)
            for s, d, c in groups
        )
        changed = True

    for position, entry in enumerate(data.get("recommendations") or []):
        if entry["theme"] not in Theme.values:
            raise InvalidInput(
                _("Unknown theme %(value)s."),
                field="recommendations.theme",
                params={"value": entry["theme"]},
            )
        number = str(entry["number"])
        rec_values = {
            **_texts(entry, "text"),
            "theme": entry["theme"],
            "pending_proceedings": bool(entry.get("pending_proceedings", False)),
            "position": position,
        }
        rec = Recommendation.objects.filter(consultation=consultation, number=number).first()
        if rec is None:
            rec = Recommendation(consultation=consultation, number=number)
            _apply(rec, rec_values)
            rec.save()
            changed = True
        elif _apply(rec, rec_values):
            rec.save()
            changed = True
        wanted = set(entry.get("stakeholders") or [])
        unknown = wanted - set(Stakeholder.values)
        if unknown:
            raise InvalidInput(
                _("Unknown stakeholder %(value)s."),
                field="recommendations.stakeholders",
                params={"value": ", ".join(sorted(unknown))},
            )
        have = set(rec.addressees.values_list("stakeholder", flat=True))
        if wanted != have:
            rec.addressees.exclude(stakeholder__in=wanted).delete()
            RecommendationStakeholder.objects.bulk_create(
                RecommendationStakeholder(recommendation=rec, stakeholder=s)
                for s in sorted(wanted - have)
            )
            changed = True
    if changed:
        audit_record(
            actor=None,
            action="tracker.consultation.seed",
            obj=consultation,
            data={"file": path.name, "created": created},
        )
        return "created" if created else "updated"
    return "unchanged"


def tracker_seed_load(
    *, progress: Callable[[str, str], None] | None = None, data_dir: Path | None = None
) -> dict[str, str]:
    """Load every consultation under ``data/consultations``; running it again changes nothing.

    Status updates are never created, changed or removed here.
    """
    folder = (data_dir or Path(settings.FAIRPASSAGE_DATA_DIR)) / "consultations"
    results: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        with transaction.atomic():
            state = _load_file(path)
        results[path.name] = state
        if progress is not None:
            labels = {
                "created": _("created"),
                "updated": _("updated"),
                "unchanged": _("unchanged"),
            }
            progress(path.name, str(labels[state]))
    return results
