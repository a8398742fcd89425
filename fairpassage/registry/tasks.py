"""Background work of the registry, run by the task queue's worker processes."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from fairpassage.registry.search_index import search_index_build


@task()
def search_index_build_task() -> dict[str, Any]:
    """Build the agency search index of the registry as it is now and store it for every server."""
    row = search_index_build()
    if row is None:
        return {"built": False}
    return {
        "built": True,
        "version": row.version,
        "organisations": row.organisations,
        "seconds": row.build_seconds,
    }
