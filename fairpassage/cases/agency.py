"""The registry agency of a case: candidates from the registry search, the link, its status.

A grievance names its agency or employer in free text (``Case.agency_name``); a case worker of
the owning organisation links the case to the registry's record of that agency (``Case.agency``)
so the case page shows the agency's licence status and links to its public page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.access import CaseAccess
from fairpassage.cases.models import Case
from fairpassage.cases.services import require_access, timeline_add
from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import Organisation, User
from fairpassage.core.services import audit_record
from fairpassage.registry.selectors import AgencyMatch, agencies_search, licences_on

#: Candidates shown for one search.
CANDIDATES = 10


def agency_access(*, actor: User, case: Case) -> CaseAccess:
    """Only a case worker (or admin) of the organisation that owns the case links its agency."""
    access = require_access(actor=actor, case=case, write=True)
    if not access.owner or access.organisation is None:
        raise Forbidden(_("Only the organisation that owns the case links its agency."))
    return access


def agency_candidates(*, case: Case, text: str, on: dt.date) -> list[AgencyMatch]:
    """The registry search's ranked matches for ``text`` (the same search as the public agency
    pages and the API), without the organisation that handles the case."""
    text = (text or "").strip()
    if not text:
        return []
    matches = agencies_search(text=text, on=on, limit=CANDIDATES + 1)
    return [m for m in matches if m.organisation.pk != case.organisation_id][:CANDIDATES]


def case_agency(*, case: Case, on: dt.date) -> dict[str, Any] | None:
    """The linked agency with its licences and their status on ``on``, or ``None``."""
    organisation = case.agency
    if organisation is None:
        return None
    licences = licences_on(organisation, on)
    return {
        "organisation": organisation,
        "on": on,
        "licences": licences,
        "licensed": any(item.status == "active" for item in licences),
    }


@transaction.atomic
def case_agency_set(*, actor: User, case: Case, agency: Organisation | None) -> Case:
    """Link ``case`` to a registry agency, or clear the link (``agency=None``)."""
    access = agency_access(actor=actor, case=case)
    if agency is not None:
        if not agency.is_active:
            raise InvalidInput(_("This agency is no longer in the registry."), field="agency")
        if agency.pk == case.organisation_id:
            raise InvalidInput(
                _("Choose the agency or employer, not the organisation handling the case."),
                field="agency",
            )
    previous = case.agency
    case.agency = agency
    case.save(update_fields=["agency", "updated_at"])
    data = {
        "agency": agency.slug if agency else None,
        "previous": previous.slug if previous else None,
    }
    timeline_add(case=case, kind="agency", actor=actor, organisation=access.organisation, data=data)
    audit_record(
        actor=actor, action="case.agency", obj=case, organisation=access.organisation, data=data
    )
    return case
