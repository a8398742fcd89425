"""Reads of the registry: licence status on a date, agency search, an agency's public page."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from fairpassage.checks.models import FeeCheck
from fairpassage.core import selectors as core_selectors
from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import Organisation, OrganisationKind, Role, User
from fairpassage.registry.models import (
    AgencyReview,
    HelpEntry,
    ImportBatch,
    Licence,
    LicenceStatusChange,
    ReviewStatus,
)
from fairpassage.registry.reading import sources
from fairpassage.registry.search_index import SharedIndex
from fairpassage.text.match import (
    EXACT_LICENCE,
    EXACT_NAME,
    LICENCE_DIGITS,
    WORD_ORDER,
    Match,
)
from fairpassage.text.normalise import fold

#: Aggregates over fewer people than this are not shown (privacy).
MIN_CELL = 5
#: Reasons a licence holds no status on a date.
NOT_YET = "not_issued"


def status_on(
    licence: Licence, on: dt.date, history: list[LicenceStatusChange] | None = None
) -> str:
    """The licence's status in force on ``on``: the latest change dated on or before it.

    ``"expired"`` once past the expiry date while active; ``"not_issued"`` before its first
    recorded status.
    """
    changes = history if history is not None else list(licence.history.all())
    current = ""
    for change in sorted(changes, key=lambda c: (c.effective_on, c.pk or 0)):
        if change.effective_on <= on:
            current = change.status
    if not current:
        return NOT_YET
    if current == "active" and licence.expires_on and on > licence.expires_on:
        return "expired"
    return current


@dataclass(frozen=True)
class LicenceOnDate:
    licence: Licence
    status: str
    history: list[LicenceStatusChange]


def licences_on(organisation: Organisation, on: dt.date) -> list[LicenceOnDate]:
    licences = list(organisation.licences.prefetch_related("history"))
    return [
        LicenceOnDate(lic, status_on(lic, on, list(lic.history.all())), list(lic.history.all()))
        for lic in licences
    ]


# Search ---------------------------------------------------------------------------------------


#: How a result matched what was typed, closest first. The first five name the record the
#: worker asked about; ``word_order`` and ``similar`` are other records with a near name.
MATCH_QUALITIES = (
    "exact_licence",
    "licence_digits",
    "exact_name",
    "name_without_diacritics",
    "same_name_other_form",
    "word_order",
    "similar",
)
CLOSE_MATCHES = frozenset(MATCH_QUALITIES[:5])
#: Licence states a worker may pay an agency in; any other is shown as a warning.
VALID_STATUSES = frozenset({"active"})


def _plain(text: str) -> str:
    """Case and spacing folded, diacritics kept."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def match_quality(query: str, match: Match) -> str:
    """How ``match`` answers ``query``: one of :data:`MATCH_QUALITIES`."""
    if match.reason == EXACT_LICENCE:
        return "exact_licence"
    if match.reason == LICENCE_DIGITS:
        return "licence_digits"
    if match.reason == EXACT_NAME:
        if _plain(query) == _plain(match.matched):
            return "exact_name"
        if fold(query) == fold(match.matched):
            return "name_without_diacritics"
        return "same_name_other_form"
    if match.reason == WORD_ORDER:
        return "word_order"
    return "similar"


@dataclass(frozen=True)
class AgencyMatch:
    organisation: Organisation
    score: float
    reason: str
    licence: Licence | None
    status: str
    quality: str = "similar"

    @property
    def is_close(self) -> bool:
        """The record the worker typed (by licence number or by name), not a near name."""
        return self.quality in CLOSE_MATCHES

    @property
    def is_valid(self) -> bool:
        return self.status in VALID_STATUSES

    def as_dict(self) -> dict[str, Any]:
        org = self.organisation
        return {
            "id": org.pk,
            "slug": org.slug,
            "name": org.name,
            "name_local": org.name_local,
            "country": org.country,
            "kind": org.kind,
            "licence_number": self.licence.number if self.licence else None,
            "issuer": self.licence.issuer if self.licence else None,
            "status": self.status,
            "score": round(self.score, 3),
            "reason": self.reason,
            "match_quality": self.quality,
        }


_CACHE = SharedIndex()


def search_index_reset() -> None:
    """Forget the index this process holds (tests; after restoring a backup)."""
    global _CACHE
    _CACHE = SharedIndex()


def agencies_search(
    *, text: str, on: dt.date, country: str = "", limit: int = 10
) -> list[AgencyMatch]:
    """Organisations matching ``text``, best first, each with its licence status on ``on``."""
    matches = _CACHE.search(text, country=country, limit=limit)
    ids = [int(m.id) for m in matches]
    orgs = Organisation.objects.in_bulk(ids)
    licences: dict[int, list[Licence]] = {}
    for lic in Licence.objects.filter(organisation_id__in=ids).prefetch_related("history"):
        licences.setdefault(lic.organisation_id, []).append(lic)
    results = []
    for match in matches:
        org = orgs.get(int(match.id))
        if org is None:  # deleted since the index was built
            continue
        held = licences.get(org.pk, [])
        chosen = next(
            (lic for lic in held if match.matched and match.matched == lic.number), None
        ) or (held[0] if held else None)
        status = status_on(chosen, on, list(chosen.history.all())) if chosen else "no_licence"
        quality = match_quality(text, match)
        results.append(AgencyMatch(org, match.score, match.reason, chosen, status, quality))
    return results


@dataclass(frozen=True)
class ListHeld:
    source: str
    description: dict[str, str]
    as_of: dt.date


def lists_held() -> list[ListHeld]:
    """The official lists the registry was last imported from, each with its date."""
    known = sources()
    latest: dict[str, dt.date] = {}
    for source, as_of in ImportBatch.objects.values_list("source", "as_of"):
        if source not in latest or as_of > latest[source]:
            latest[source] = as_of
    staff_list = _("A list imported by our staff")  # the generic format names no official list
    return [
        ListHeld(
            source,
            known[source].description
            if source in known and source != "generic"
            else {"vi": staff_list, "ja": staff_list, "en": staff_list},
            as_of,
        )
        for source, as_of in sorted(latest.items())
    ]


#: A name resolves to one agency only when the best match is this good and clearly ahead.
RESOLVE_SCORE, RESOLVE_MARGIN = 0.85, 0.1


def agency_resolve(*, text: str) -> Organisation:
    """The one agency ``text`` names, or InvalidInput on the field ``agency``."""
    matches = _CACHE.search(text, country="", limit=2)
    if (
        matches
        and matches[0].score >= RESOLVE_SCORE
        and (len(matches) == 1 or matches[0].score - matches[1].score >= RESOLVE_MARGIN)
    ):
        found = Organisation.objects.filter(pk=int(matches[0].id)).first()
        if found is not None:
            return found
    raise InvalidInput(
        _("No single agency in the registry matches this name or licence number."),
        field="agency",
    )


# An agency's page ------------------------------------------------------------------------------


def reviews_published(organisation: Organisation) -> QuerySet[AgencyReview]:
    return organisation.reviews.filter(status=ReviewStatus.PUBLISHED).select_related("reply")


def reviews_summary(organisation: Organisation) -> dict[str, Any]:
    """Average stars of the published reports, or only their number when fewer than MIN_CELL."""
    row = reviews_published(organisation).aggregate(
        n=Count("id"),
        fees_honesty=Avg("fees_honesty"),
        contract_kept=Avg("contract_kept"),
        support=Avg("support"),
    )
    if row["n"] < MIN_CELL:
        return {"n": row["n"], "suppressed": True}
    return {
        "n": row["n"],
        "suppressed": False,
        **{k: round(float(row[k]), 1) for k in ("fees_honesty", "contract_kept", "support")},
    }


def fee_checks_summary(organisation: Organisation) -> dict[str, Any]:
    """Saved fee checks that named this agency (staff resolved the name to the registry record),
    counted across organisations. Under MIN_CELL checks not even their number is given (a "1"
    would tell the agency that a worker of theirs went to a support organisation); the
    violations, and the excess behind them, only when they too are at least MIN_CELL."""
    row = FeeCheck.objects.filter(agency=organisation).aggregate(
        n=Count("id"),
        violations=Count("id", filter=Q(status="violation")),
        excess_vnd=Sum("excess_vnd", filter=Q(status="violation")),
    )
    if row["n"] < MIN_CELL:
        return {"n": None, "suppressed": True}
    shown = row["violations"] >= MIN_CELL
    return {
        "n": row["n"],
        "suppressed": False,
        "violations": row["violations"] if shown else None,
        "excess_vnd": (row["excess_vnd"] or 0) if shown else None,
    }


def agency_record(*, organisation: Organisation, on: dt.date) -> dict[str, Any]:
    """An agency's public record on a date (the API's and the page's data)."""
    licences = licences_on(organisation, on)
    return {
        "id": organisation.pk,
        "slug": organisation.slug,
        "name": organisation.name,
        "name_local": organisation.name_local,
        "country": organisation.country,
        "kind": organisation.kind,
        "on": on,
        "licensed": any(item.status == "active" for item in licences),
        "licences": [
            {
                "issuer": item.licence.issuer,
                "number": item.licence.number,
                "issued_on": item.licence.issued_on,
                "expires_on": item.licence.expires_on,
                "status": item.status,
                "history": [
                    {"status": c.status, "effective_on": c.effective_on, "note": c.note}
                    for c in item.history
                ],
            }
            for item in licences
        ],
        "sanctions": list(
            organisation.sanctions.values(
                "decided_on", "authority", "measure", "basis", "source_url"
            )
        ),
        "reports": reviews_summary(organisation),
        "fee_checks": fee_checks_summary(organisation),
    }


# Moderation ------------------------------------------------------------------------------------

#: Kinds of organisation whose reviewers moderate worker reports: support organisations (NGOs,
#: unions, legal aid), public bodies and international organisations. Never an agency, an
#: employer, a supervising or a registered support organisation: they are the ones reported on.
MODERATING_KINDS = frozenset(
    {
        OrganisationKind.SUPPORT_ORGANISATION.value,
        OrganisationKind.GOVERNMENT_BODY.value,
        OrganisationKind.INTERNATIONAL_ORGANISATION.value,
    }
)


def moderating_organisations(*, user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations of a moderating kind in which ``user`` is a reviewer."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind__in=MODERATING_KINDS,
        memberships__user=user,
        memberships__role=Role.REVIEWER,
    ).order_by("pk")


def may_moderate(user: User | AnonymousUser) -> bool:
    """Platform staff, and reviewers of a support organisation or a public body."""
    return core_selectors.is_platform_staff(user) or moderating_organisations(user=user).exists()


def reviews_pending(*, user: User | AnonymousUser) -> QuerySet[AgencyReview]:
    """The reports ``user`` may moderate: none unless a moderator, and never a report about an
    organisation ``user`` belongs to in any role (the accused does not read it)."""
    if not may_moderate(user):
        return AgencyReview.objects.none()
    own = core_selectors.memberships_of(user=user).values("organisation_id")
    return (
        AgencyReview.objects.filter(status=ReviewStatus.PENDING)
        .exclude(organisation_id__in=own)
        .select_related("organisation")
    )


def may_moderate_review(*, user: User | AnonymousUser, review: AgencyReview) -> bool:
    return (
        may_moderate(user)
        and not (
            core_selectors.memberships_of(user=user).filter(organisation=review.organisation_id)
        ).exists()
    )


def help_entries(*, country: str = "", kind: str = "") -> QuerySet[HelpEntry]:
    entries = HelpEntry.objects.all()
    if country:
        entries = entries.filter(country=country)
    if kind:
        entries = entries.filter(kind=kind)
    return entries


#: Besides the emergency numbers, the places a worker in trouble in Japan calls first: the
#: OTIT consultation line in Vietnamese and the Embassy of Viet Nam in Tokyo.
URGENT_KEYS = ("otit-consultation", "vn-embassy-tokyo")


def help_urgent() -> list[HelpEntry]:
    """The emergency numbers, then the Vietnamese-language hotline and the embassy."""
    emergency = list(HelpEntry.objects.filter(kind="emergency"))
    chosen = {e.key: e for e in HelpEntry.objects.filter(key__in=URGENT_KEYS)}
    return emergency + [chosen[key] for key in URGENT_KEYS if key in chosen]
