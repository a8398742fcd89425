"""The background work the load test runs beside the requests, each in a process of its own (the
runner starts them with the application's environment):

    python tools/loadtest/jobs.py audit-user                 # prints {"username", "password"}
    python tools/loadtest/jobs.py tables N DIR               # engagements.csv, payments.csv
    python tools/loadtest/jobs.py registry N SEED FILE       # a generic registry list
    python tools/loadtest/jobs.py audit USERNAME DIR         # a batch audit, waits for its end

``audit`` starts the batch audit the way the page does (``checks.batch_services
.batch_audit_start``: the task queue runs it where the queue is in use, else the service's own
background path) and waits until it is done or failed; it prints the state and the seconds.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415

    django.setup()


def audit_user() -> dict[str, str]:
    _django()
    from fairpassage.core.models import Country, OrganisationKind, Role, User  # noqa: PLC0415
    from fairpassage.core.services import membership_set, organisation_create  # noqa: PLC0415

    password = secrets.token_urlsafe(18)
    user = User.objects.create_user(username=f"loadtest-{secrets.token_hex(4)}", password=password)
    organisation = organisation_create(
        actor=None,
        name=f"Load test support centre {user.username}",
        kind=OrganisationKind.SUPPORT_ORGANISATION,
        country=Country.VIET_NAM,
    )
    membership_set(actor=None, user=user, organisation=organisation, role=Role.ANALYST)
    return {"username": user.get_username(), "password": password}


def tables(n: int, folder: Path) -> dict[str, int]:
    from fairpassage.law.batch_io import write_table  # noqa: PLC0415
    from tests.bench.bench_batch import synthetic  # noqa: PLC0415

    engagements, payments = synthetic(n)
    folder.mkdir(parents=True, exist_ok=True)
    write_table(engagements, folder / "engagements.csv")
    write_table(payments, folder / "payments.csv")
    return {"engagements": engagements.height, "payments": payments.height}


def registry(n: int, seed: int, path: Path) -> dict[str, int]:
    from tests.text.corpus import generate, write_csv  # noqa: PLC0415

    return {"rows": write_csv(path, generate(vn=n // 2, jp=n - n // 2, seed=seed, spread=False))}


def audit(username: str, folder: Path) -> dict[str, object]:
    _django()
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    from fairpassage.checks import batch_services  # noqa: PLC0415
    from fairpassage.checks.models import BatchAudit, BatchStatus  # noqa: PLC0415
    from fairpassage.core.models import User  # noqa: PLC0415

    user = User.objects.get(username=username)
    organisation = user.memberships.get().organisation
    files = {
        name: SimpleUploadedFile(f"{name}.csv", (folder / f"{name}.csv").read_bytes())
        for name in ("engagements", "payments")
    }
    start = time.perf_counter()
    started = batch_services.batch_audit_start(
        actor=user,
        organisation=organisation,
        engagements=files["engagements"],
        payments=files["payments"],
        language="vi",
    )
    while True:
        row = BatchAudit.objects.get(pk=started.pk)
        if row.status in (BatchStatus.DONE, BatchStatus.FAILED):
            break
        time.sleep(1)
    return {
        "status": row.status,
        "seconds": round(time.perf_counter() - start, 1),
        "engagements": (row.stats or {}).get("engagements"),
        "runner": row.runner,
    }


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "audit-user":
        out: object = audit_user()
    elif command == "tables":
        out = tables(int(args[0]), Path(args[1]))
    elif command == "registry":
        out = registry(int(args[0]), int(args[1]), Path(args[2]))
    elif command == "audit":
        out = audit(args[0], Path(args[1]))
    else:
        print(f"unknown job {command!r}", file=sys.stderr)
        return 2
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
