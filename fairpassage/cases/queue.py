"""The case queue: what a case worker needs on one card per case, read in a fixed number of
queries whatever the number of cases (issue 16, item 2).

Each card shows the categories, a one-line summary of the worker's statement, the age of the
case and the time since the worker last wrote. The summary is decrypted only where the user may
read the statement (``access``): their own organisation's cases, the triage queue for platform
staff, and referred cases whose referral and live consent both name the statement. Showing
summaries is a read of personal data, so it is audited: one event per organisation whose
statements were shown, naming the cases (never the words).

Filters come from the page's GET form (status, category, assignee); unknown values are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import npgettext_lazy

from fairpassage.cases.access import (
    CASE_ROLES,
    READ_ROLES,
    AnyUser,
    cases_visible,
    live_referrals,
    roles_by_organisation,
)
from fairpassage.cases.choices import Category, MessageSender, Part, Status
from fairpassage.cases.models import Case, Message
from fairpassage.core.models import Membership, Organisation, User
from fairpassage.core.selectors import is_platform_staff
from fairpassage.core.services import audit_record

#: How many cases the page shows at most (urgent first, then the oldest).
LIMIT = 300
#: The longest summary shown, in characters, before it is cut at a word.
SUMMARY_LENGTH = 90
ME = "me"
NOBODY = "none"


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    category: str = ""
    assignee: str = ""  # "", ME, NOBODY, or a colleague's user id

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> QueueFilters:
        status = query.get("status", "")
        category = query.get("category", "")
        assignee = query.get("assignee", "")
        known_assignee = assignee in (ME, NOBODY) or (
            assignee.isascii() and assignee.isdigit() and len(assignee) < 12
        )
        return cls(
            status=status if status in Status.values else "",
            category=category if category in Category.values else "",
            assignee=assignee if known_assignee else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.status or self.category or self.assignee)


@dataclass(frozen=True)
class QueueRow:
    case: Case
    categories: list[str]
    summary: str | None  # None: this user may not read the statement
    age: str
    last_wrote: str | None  # None: not shared with this user
    last_wrote_at: dt.datetime | None


def summarise(statement: str, length: int = SUMMARY_LENGTH) -> str:
    """The first non-empty line of ``statement``, spaces collapsed, cut at a word."""
    line = next((part for part in statement.splitlines() if part.strip()), "")
    line = re.sub(r"\s+", " ", line).strip()
    if len(line) <= length:
        return line
    cut = line[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


ELAPSED: tuple[tuple[dt.timedelta, Promise], ...] = (
    (dt.timedelta(days=365), npgettext_lazy("elapsed", "%(num)d year", "%(num)d years", "num")),
    (dt.timedelta(days=30), npgettext_lazy("elapsed", "%(num)d month", "%(num)d months", "num")),
    (dt.timedelta(days=7), npgettext_lazy("elapsed", "%(num)d week", "%(num)d weeks", "num")),
    (dt.timedelta(days=1), npgettext_lazy("elapsed", "%(num)d day", "%(num)d days", "num")),
    (dt.timedelta(hours=1), npgettext_lazy("elapsed", "%(num)d hour", "%(num)d hours", "num")),
    (
        dt.timedelta(minutes=1),
        npgettext_lazy("elapsed", "%(num)d minute", "%(num)d minutes", "num"),
    ),
)


def since(moment: dt.datetime, now: dt.datetime) -> str:
    """The time from ``moment`` to ``now`` in the active language, in its largest whole unit:
    "3 days", "2 weeks" (Django's own strings lack Vietnamese)."""
    elapsed = max(now - moment, dt.timedelta(0))
    for unit, text in ELAPSED:
        if elapsed >= unit:
            num = elapsed // unit
            return str(text % {"num": num})
    return str(ELAPSED[-1][1] % {"num": 0})


def assignee_choices(*, user: AnyUser) -> list[tuple[str, str]]:
    """Colleagues with a case role in the user's organisations, by name."""
    readable = [o for o, r in roles_by_organisation(user).items() if r in READ_ROLES]
    people = (
        User.objects.filter(
            Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"), organisation_id__in=readable, role__in=CASE_ROLES
                )
            )
        )
        .order_by("username")
        .only("pk", "username", "first_name", "last_name")
    )
    return [(str(p.pk), p.get_full_name() or p.get_username()) for p in people]


def _filtered(user: AnyUser, filters: QueueFilters) -> QuerySet[Case]:
    cases = cases_visible(user=user)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.assignee == ME:
        cases = cases.filter(assigned_to_id=user.pk)
    elif filters.assignee == NOBODY:
        cases = cases.filter(assigned_to__isnull=True)
    elif filters.assignee:
        cases = cases.filter(assigned_to_id=int(filters.assignee))
    if filters.category:
        # Categories are a JSON list; a containment lookup differs between SQLite and
        # PostgreSQL, so the matching ids are picked here (one query, no text is read).
        ids = [
            pk
            for pk, categories in cases.values_list("pk", "categories")
            if filters.category in (categories or [])
        ]
        cases = cases.filter(pk__in=ids)
    return cases


def queue_rows(
    *, user: AnyUser, filters: QueueFilters | None = None, now: dt.datetime | None = None
) -> list[QueueRow]:
    """The user's queue, urgent first then the oldest, at most ``LIMIT`` cards."""
    filters = filters or QueueFilters()
    now = now or timezone.now()
    last_from_worker = (
        Message.objects.filter(case=OuterRef("pk"), sender=MessageSender.GRIEVANT)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    cases = list(
        _filtered(user, filters)
        .select_related("organisation", "assigned_to")
        .annotate(last_worker_at=Coalesce(Subquery(last_from_worker), "created_at"))
        .order_by("-urgent", "created_at", "pk")[:LIMIT]
    )
    roles = roles_by_organisation(user)
    readable = {o for o, r in roles.items() if r in READ_ROLES}
    staff = is_platform_staff(user)
    owned = {
        c.pk
        for c in cases
        if (c.organisation_id in readable) or (c.organisation_id is None and staff)
    }
    shared: dict[int, tuple[int, set[str]]] = {}  # case -> (receiving organisation, parts)
    others = [c.pk for c in cases if c.pk not in owned]
    if others:
        for case_id, to_org_id, parts, consent_parts in (
            live_referrals()
            .filter(case_id__in=others, to_org_id__in=readable)
            .values_list("case_id", "to_org_id", "parts", "consent__parts")
        ):
            shared[case_id] = (to_org_id, set(parts) & set(consent_parts))
    labels = dict(Category.choices)
    rows: list[QueueRow] = []
    shown: dict[int | None, list[int]] = {}  # the organisation giving access -> cases
    for case in cases:
        if case.pk in owned:
            through, parts = case.organisation_id, set(Part.values)
        else:
            through, parts = shared.get(case.pk, (None, set()))
        summary = None
        if Part.STATEMENT in parts:
            summary = summarise(case.statement)
            shown.setdefault(through, []).append(case.pk)
        sees_messages = Part.MESSAGES in parts
        last_at: dt.datetime | None = getattr(case, "last_worker_at", None)
        rows.append(
            QueueRow(
                case=case,
                categories=[str(labels.get(c, c)) for c in case.categories or []],
                summary=summary,
                age=since(case.created_at, now),
                last_wrote=since(last_at, now) if sees_messages and last_at else None,
                last_wrote_at=last_at if sees_messages else None,
            )
        )
    if shown:
        organisations = Organisation.objects.in_bulk([k for k in shown if k is not None])
        for organisation_id, ids in shown.items():
            audit_record(
                actor=user,
                action="case.queue",
                organisation=organisations.get(organisation_id) if organisation_id else None,
                data={"summaries": ids},
            )
    return rows


__all__ = [
    "LIMIT",
    "ME",
    "NOBODY",
    "QueueFilters",
    "QueueRow",
    "assignee_choices",
    "queue_rows",
    "summarise",
]
