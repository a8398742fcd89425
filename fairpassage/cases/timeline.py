"""The case timeline in words: each event a translated sentence, the actor named by role.

Events keep only codes (no personal data). A status change shows from → to; its reason, kept
encrypted on the :class:`~fairpassage.cases.models.StatusChange`, is shown only to readers who
see the case's notes (the owning organisation, or one the worker agreed to share notes with).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairpassage.cases.access import CaseAccess
from fairpassage.cases.choices import Part, Status
from fairpassage.cases.models import StatusChange, TimelineEvent
from fairpassage.core.models import Membership, Organisation, Role

SENTENCES = {
    "grievant.submitted": gettext_lazy("The grievance was submitted."),
    "grievant.message": gettext_lazy("The worker wrote a message."),
    "grievant.consent_withdrawn": gettext_lazy("The worker withdrew a consent."),
    "message.staff": gettext_lazy("A reply was sent to the worker."),
    "routed": gettext_lazy("The case was sent to %(org)s."),
    "assigned": gettext_lazy("The case was assigned."),
    "note": gettext_lazy("A note was added."),
    "translation": gettext_lazy("A translation was attached."),
    "task": gettext_lazy("A task was added."),
    "attachment": gettext_lazy("A document was attached."),
    "fee_check": gettext_lazy("A fee check was linked."),
    "earnings_plan": gettext_lazy("An earnings plan was linked."),
    "agency": gettext_lazy("The case was linked to an agency of the registry."),
    "worker_linked": gettext_lazy("A recorded worker was linked to the case."),
    "consent": gettext_lazy("The worker's consent was recorded."),
    "consent_withdrawn": gettext_lazy("A consent was withdrawn."),
    "referral_proposed": gettext_lazy("A referral to %(org)s was proposed."),
    "referral_accepted": gettext_lazy("%(org)s accepted the referral."),
    "referral_declined": gettext_lazy("%(org)s declined the referral."),
    "referral.exported": gettext_lazy("A referral package was made for another installation."),
    "referral.imported": gettext_lazy("The case arrived in a referral package."),
    "return": gettext_lazy("The worker's return home was recorded."),
    "claim": gettext_lazy("A claim was added."),
    "claim_status": gettext_lazy("A claim was updated."),
}


@dataclass(frozen=True)
class Entry:
    event: TimelineEvent
    text: str
    actor: str
    reason: str = ""


def _status_label(code: object) -> str:
    return str(Status(code).label) if code in Status.values else str(code or "—")


def _actor(event: TimelineEvent, roles: dict[tuple[str, int], str]) -> str:
    if event.kind.startswith("grievant.") or event.actor_label == "grievant":
        return _("the worker")
    org = event.organisation
    if org is None:
        return _("the platform") if event.actor_label != "anonymous" else ""
    role = roles.get((event.actor_label, org.pk))
    if event.kind == "routed" and role is None:
        return _("the platform staff")
    if role == Role.CASE_WORKER:
        return _("a case worker of %(org)s") % {"org": org}
    if role == Role.ORGANISATION_ADMIN:
        return _("an administrator of %(org)s") % {"org": org}
    return _("a member of %(org)s") % {"org": org}


def _text(event: TimelineEvent, names: dict[str, str]) -> str:
    data = event.data or {}
    if event.kind == "status":
        return _("The status changed from “%(from)s” to “%(to)s”.") % {
            "from": _status_label(data.get("from")),
            "to": _status_label(data.get("to")),
        }
    sentence = SENTENCES.get(event.kind)
    if sentence is None:
        return _("Event recorded: %(code)s.") % {"code": event.kind}
    if "%(org)s" in str(sentence):
        slug = str(data.get("to_org") or data.get("organisation") or "")
        return str(sentence) % {"org": names.get(slug, slug)}
    return str(sentence)


def entries(*, access: CaseAccess, events: Iterable[TimelineEvent]) -> list[Entry]:
    events = list(events)
    roles = {
        (username, org): role
        for username, org, role in Membership.objects.filter(
            organisation_id__in={e.organisation_id for e in events if e.organisation_id},
            user__username__in={e.actor_label for e in events},
        ).values_list("user__username", "organisation_id", "role")
    }
    slugs = {str((e.data or {}).get(k, "")) for e in events for k in ("to_org", "organisation")}
    names = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "name"))
    reasons: dict[int, str] = {}
    if access.owner or access.sees(Part.NOTES):
        reasons = dict(StatusChange.objects.filter(case=access.case).values_list("pk", "reason"))
    return [
        Entry(
            event=event,
            text=_text(event, names),
            actor=_actor(event, roles),
            reason=reasons.get((event.data or {}).get("status_change", 0), "")
            if event.kind == "status"
            else "",
        )
        for event in events
    ]
