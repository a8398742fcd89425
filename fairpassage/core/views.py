"""Pages of the core app: an organisation's members and the changes of their roles; the task
queue for platform staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fairpassage.core import logmask, queue, selectors
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import Organisation, Role


@require_safe
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Behind the second factor like every staff page (``mfa/middleware.py``)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    people = selectors.members_of(user=request.user, organisation=organisation)
    events = selectors.role_changes(user=request.user, organisation=organisation)[:200]
    changes = [
        {
            "at": e.at,
            "by": e.actor_label,
            "username": e.data.get("username", ""),
            "previous": _label(e.data.get("previous", "")),
            "role": _label(e.data.get("role", "")),
        }
        for e in events
    ]
    return render(
        request,
        "core/members.html",
        {"organisation": organisation, "members": people, "changes": changes},
    )


def _label(role: object) -> str:
    return str(Role(role).label) if role in Role.values else ""


#: How many tasks the staff page lists (the newest).
TASKS_SHOWN = 200


@require_safe
def tasks(request: HttpRequest) -> HttpResponse:
    """The task queue for platform staff: each task's state, age and error; the workers."""
    if not selectors.is_platform_staff(request.user):
        raise Forbidden(_("Only platform staff see the task queue."))
    queue.tasks_recover()
    now = timezone.now()
    rows = [
        {
            "name": result.task_path.rsplit(".", 1)[-1],
            "path": result.task_path,
            "status": result.status,
            "status_label": result.get_status_display(),
            "enqueued_at": result.enqueued_at,
            "age": (now - result.enqueued_at).total_seconds(),
            "started_at": result.started_at,
            "finished_at": result.finished_at,
            "attempts": len(result.worker_ids),
            "error": _error_line(result.exception_class_path, result.traceback),
        }
        for result in selectors.tasks_visible(user=request.user)[:TASKS_SHOWN]
    ]
    workers = [
        {"worker": w, "alive": not queue.worker_gone(w, now=now)}
        for w in selectors.task_workers_visible(user=request.user)[:50]
    ]
    return render(
        request,
        "core/tasks.html",
        {"tasks": rows, "workers": workers, "health": queue.queue_health(now=now)},
    )


def _error_line(exception: str, traceback: str) -> str:
    """The exception's class and the traceback's last line, tracking codes masked."""
    if not exception:
        return ""
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return logmask.mask(lines[-1] if lines else exception.rsplit(".", 1)[-1])[:300]
