"""The case page as a workspace (issue 16, item 3): a summary at the top, then sections that
open one at a time.

Without JavaScript each section is a ``<details>`` element and ``?section=`` names the one open
when the page loads (after a change the page comes back on the section of the form sent); with
JavaScript (``cases/case.js``) opening one closes the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairpassage.cases.choices import ClaimStatus
from fairpassage.cases.models import Case, Task

#: The sections of the case page, in their order: (key, title).
SECTIONS = (
    ("messages", gettext_lazy("Statement and messages")),
    ("notes", gettext_lazy("Notes")),
    ("tasks", gettext_lazy("Tasks")),
    ("documents", gettext_lazy("Documents")),
    ("status", gettext_lazy("Status and assignment")),
    ("consent", gettext_lazy("Consent and referral")),
    ("links", gettext_lazy("Linked fee check, earnings plan and agency")),
    ("claims", gettext_lazy("Return and claims")),
    ("timeline", gettext_lazy("Timeline")),
)
DEFAULT_SECTION = "messages"

#: The section a case action's form lives in: the page comes back there after it.
ACTION_SECTIONS = {
    "status": "status",
    "assign": "status",
    "route": "status",
    "note": "notes",
    "task": "tasks",
    "task-done": "tasks",
    "attach": "documents",
    "fee-check": "links",
    "worker": "links",
    "earnings-plan": "links",
    "agency": "links",
    "message": "messages",
    "translate": "messages",
    "accept": "messages",
    "consent": "consent",
    "consent-withdraw": "consent",
    "refer": "consent",
    "package": "consent",
    "return": "claims",
    "claim": "claims",
    "claim-status": "claims",
    "certificate": "claims",
}


def open_section(value: str) -> str:
    """The section named by ``?section=``; any other value opens the default one."""
    return value if value in dict(SECTIONS) else DEFAULT_SECTION


def section_url(url: str, section: str) -> str:
    """``url`` with ``section`` open and scrolled to."""
    return f"{url}?section={section}#s-{section}"


@dataclass(frozen=True)
class Summary:
    who: str
    where: str
    what: str
    line: str
    urgent: bool
    status: str
    next_task: Task | None
    claim_amount_vnd: int | None
    open_claims: int


def _first_line(text: str, limit: int = 100) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def summary(case: Case, view: dict[str, Any]) -> Summary:
    """Who, what, urgency, status, next task and claim, as far as the reader may see them: the
    person is named only when their identity is shared, otherwise described."""
    worker = view.get("worker") or {}
    if worker.get("full_name"):
        who = str(worker["full_name"])
    elif case.worker_id:
        who = _("A recorded worker (identity not shared)")
    else:
        who = _("The person who filed the grievance")
    tasks = [t for t in view.get("tasks", []) if t.done_at is None]
    tasks.sort(key=lambda t: (t.due_on is None, t.due_on, t.pk))
    statement = view.get("statement")
    claims = view.get("claims") or []
    return Summary(
        who=who,
        where=str(case.get_where_now_display()),
        what=", ".join(view.get("category_labels", [])),
        line=_first_line(statement) if statement else "",
        urgent=case.urgent,
        status=str(case.get_status_display()),
        next_task=tasks[0] if tasks else None,
        claim_amount_vnd=case.claim_amount_vnd,
        open_claims=sum(1 for c in claims if c.status in (ClaimStatus.OPEN, ClaimStatus.FILED)),
    )
