"""Who may receive a worker's identity: the one rule for consent, referral and packages.

Support organisations (NGOs, unions, legal aid), public bodies and international organisations
may be named in a consent and receive a referral. A recruitment agency, an employer, a
supervising organisation or a registered support organisation (contracted by the employer) never
may: they are the side a worker complains about. The organisation named in the grievance — the
registry agency linked to the case, or any organisation whose name matches what the worker wrote
once normalised — is refused outright, whatever its kind (issue 16, item 1).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.models import Case
from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import Organisation, OrganisationKind
from fairpassage.registry.selectors import agencies_search
from fairpassage.text.match import EXACT_LICENCE, EXACT_NAME
from fairpassage.text.normalise import normalise_name

RECIPIENT_KINDS: frozenset[str] = frozenset(
    {
        OrganisationKind.SUPPORT_ORGANISATION,
        OrganisationKind.GOVERNMENT_BODY,
        OrganisationKind.INTERNATIONAL_ORGANISATION,
    }
)


def _key(name: str) -> str:
    return normalise_name(name).core if name.strip() else ""


def _names_match(case: Case, organisation: Organisation) -> bool:
    wanted = _key(case.agency_name or "")
    return bool(wanted) and wanted in {_key(organisation.name), _key(organisation.name_local or "")}


def accused_ids(case: Case) -> set[int]:
    """The organisations the grievance names: its linked agency, and every organisation the
    registry's name index finds exactly (name, local name or other name, once normalised; or
    licence number) for the agency name the worker wrote."""
    ids: set[int] = {case.agency_id} if case.agency_id else set()
    text = (case.agency_name or "").strip()
    if text:
        for match in agencies_search(text=text, on=timezone.localdate(), limit=20):
            if match.reason in (EXACT_NAME, EXACT_LICENCE):
                ids.add(match.organisation.pk)
    return ids


def recipient_check(*, case: Case, organisation: Organisation, field: str) -> None:
    """Refuse, with the reason, an organisation that may not receive the worker's identity."""
    if _names_match(case, organisation) or organisation.pk in accused_ids(case):
        raise InvalidInput(
            _(
                "%(org)s is the organisation named in the grievance: it can never receive "
                "the worker's identity."
            ),
            field=field,
            code="accused_organisation",
            params={"org": organisation.name},
        )
    if organisation.kind not in RECIPIENT_KINDS:
        raise InvalidInput(
            _(
                "%(org)s is an agency, employer or supervising organisation: only support "
                "organisations, unions, lawyers and public bodies receive a worker's identity."
            ),
            field=field,
            code="recipient_kind",
            params={"org": organisation.name},
        )


def recipients_check(*, case: Case, organisations: Iterable[Organisation], field: str) -> None:
    for organisation in organisations:
        recipient_check(case=case, organisation=organisation, field=field)


def recipients_for(
    *, case: Case, exclude: Organisation | None, accused: Iterable[int] | None = None
) -> QuerySet[Organisation]:
    """The active organisations a consent or referral of ``case`` may name (the form's list);
    ``accused`` spares a second look-up when the caller already holds :func:`accused_ids`."""
    found = Organisation.objects.filter(is_active=True, kind__in=RECIPIENT_KINDS).exclude(
        pk__in=set(accused) if accused is not None else accused_ids(case)
    )
    return found.exclude(pk=exclude.pk) if exclude is not None else found


def accused(case: Case, ids: Iterable[int] | None = None) -> list[Organisation]:
    """The organisations named in the grievance, for the page's "never offered" note."""
    wanted = set(ids) if ids is not None else accused_ids(case)
    return list(Organisation.objects.filter(pk__in=wanted).order_by("name"))
