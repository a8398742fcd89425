"""Import an official list: plan what would change, then apply it all in one transaction.

A re-import of the same list changes nothing. A licence whose status differs from its last
recorded status gets a new :class:`LicenceStatusChange` dated on the list's date (``as_of``), so
the history keeps every earlier status and "licensed on D" stays answerable for earlier dates.
Licences absent from a new list are counted, not changed: official lists are often partial.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fairpassage.core.models import Organisation, User
from fairpassage.core.services import Actor, audit_record
from fairpassage.registry.models import (
    ImportBatch,
    Licence,
    LicenceStatus,
    LicenceStatusChange,
    OrganisationName,
)
from fairpassage.registry.reading import (
    ParsedRow,
    Progress,
    RowError,
    read_list,
    source_get,
)
from fairpassage.registry.search_index import registry_changed
from fairpassage.text.normalise import fold, strip_diacritics

BATCH_SIZE = 2000
CHANGES_SHOWN = 200


@dataclass
class Change:
    row: int
    action: str  # create, update, status
    name: str
    licence_number: str
    fields: dict[str, list[Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": self.action,
            "name": self.name,
            "licence_number": self.licence_number,
            "fields": {k: [_jsonable(a), _jsonable(b)] for k, (a, b) in self.fields.items()},
        }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass
class ImportReport:
    source: str
    filename: str
    sha256: str
    as_of: dt.date
    dry_run: bool
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: int = 0
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": self.filename,
            "sha256": self.sha256,
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "committed": self.batch_id is not None,
            "rows": self.rows,
            "created": self.count("create"),
            "updated": self.count("update"),
            "status_changes": self.count("status"),
            "unchanged": self.unchanged,
            "not_in_file": self.not_in_file,
            "ignored_columns": self.ignored_columns,
            "errors": [e.as_dict() for e in self.errors],
            "changes": [c.as_dict() for c in self.changes[:CHANGES_SHOWN]],
        }


@dataclass
class _Known:
    licence: Licence
    status: str
    last_change: dt.date


def _known_licences(issuers: set[str]) -> dict[tuple[str, str], _Known]:
    licences = {
        lic.pk: lic
        for lic in Licence.objects.filter(issuer__in=issuers).select_related("organisation")
    }
    latest: dict[int, LicenceStatusChange] = {}
    for change in LicenceStatusChange.objects.filter(licence_id__in=licences).order_by(
        "licence_id", "effective_on", "id"
    ):
        latest[change.licence_id] = change
    known = {}
    for pk, lic in licences.items():
        last = latest.get(pk)
        known[(lic.issuer, lic.number_key)] = _Known(
            lic, last.status if last else "", last.effective_on if last else dt.date.min
        )
    return known


def _org_fields(row: ParsedRow) -> dict[str, str]:
    return {"name": row.name, "address": row.address, "phone": row.phone, "website": row.website}


def _plan(rows: list[ParsedRow], as_of: dt.date, report: ImportReport) -> None:
    issuers = {row.issuer for row in rows if row.issuer}
    known = _known_licences(issuers)
    unlicensed = {
        (o.country, o.kind, fold(o.name))
        for o in Organisation.objects.filter(licences__isnull=True).only("country", "kind", "name")
    }
    for row in rows:
        if not row.number_key:
            key = (row.country, row.kind, fold(row.name))
            if key in unlicensed:
                report.unchanged += 1
            else:
                report.changes.append(Change(row.row, "create", row.name, ""))
            continue
        item = known.pop((row.issuer, row.number_key), None)
        if item is None:
            report.changes.append(Change(row.row, "create", row.name, row.licence_number))
            continue
        lic, org = item.licence, item.licence.organisation
        fields = {
            name: [getattr(org, name), value]
            for name, value in _org_fields(row).items()
            if value and getattr(org, name) != value
        }
        for name, value in (("issued_on", row.issued_on), ("expires_on", row.expires_on)):
            if value and getattr(lic, name) != value:
                fields[name] = [getattr(lic, name), value]
        if row.status != item.status:
            if as_of < item.last_change:
                report.errors.append(
                    RowError(
                        row.row,
                        "licence_status",
                        _(
                            "The list is dated %(as_of)s but a later status (%(date)s) is "
                            "already recorded for this licence."
                        )
                        % {"as_of": as_of, "date": item.last_change},
                    )
                )
                continue
            report.changes.append(
                Change(
                    row.row,
                    "status",
                    row.name,
                    row.licence_number,
                    {"status": [item.status, row.status], **fields},
                )
            )
        elif fields:
            report.changes.append(Change(row.row, "update", row.name, row.licence_number, fields))
        else:
            report.unchanged += 1
    report.not_in_file = len(known)


def _slug(name: str, taken: set[str], next_number: dict[str, int]) -> str:
    """A free slug for ``name``. Names in Japanese script all slugify to the same base, so the
    next number to try is remembered per base (one pass, not one scan per organisation)."""
    base = slugify(strip_diacritics(name))[:60].strip("-") or "organisation"
    slug, n = base, next_number.get(base, 2)
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    next_number[base] = n
    taken.add(slug)
    return slug


def _apply(
    rows: list[ParsedRow], report: ImportReport, batch: ImportBatch, progress: Progress | None
) -> None:
    by_row = {row.row: row for row in rows}
    creates = [by_row[c.row] for c in report.changes if c.action == "create"]
    taken = set(Organisation.objects.values_list("slug", flat=True))
    numbers: dict[str, int] = {}
    organisations = [
        Organisation(
            slug=_slug(row.name, taken, numbers),
            kind=row.kind,
            country=row.country,
            **_org_fields(row),
        )
        for row in creates
    ]
    Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
    if progress:
        progress("write", len(organisations), len(rows))
    licensed = [
        (row, org) for row, org in zip(creates, organisations, strict=True) if row.number_key
    ]
    licences = [
        Licence(
            organisation=org,
            issuer=row.issuer,
            number=row.licence_number,
            number_key=row.number_key,
            issued_on=row.issued_on,
            expires_on=row.expires_on,
            source=report.source,
        )
        for row, org in licensed
    ]
    Licence.objects.bulk_create(licences, batch_size=BATCH_SIZE)
    history: list[LicenceStatusChange] = []
    unknown_date = _("Date of the change not in the list; recorded on the list's date.")
    for (row, _org), lic in zip(licensed, licences, strict=True):
        if row.issued_on and row.issued_on <= report.as_of:
            history.append(
                LicenceStatusChange(
                    licence=lic,
                    status=LicenceStatus.ACTIVE,
                    effective_on=row.issued_on,
                    batch=batch,
                )
            )
        if row.status != LicenceStatus.ACTIVE or not history or history[-1].licence is not lic:
            note = unknown_date if row.status != LicenceStatus.ACTIVE else ""
            history.append(
                LicenceStatusChange(
                    licence=lic,
                    status=row.status,
                    effective_on=report.as_of,
                    batch=batch,
                    note=note,
                )
            )
    names = [
        OrganisationName(organisation=org, name=other)
        for row, org in zip(creates, organisations, strict=True)
        for other in dict.fromkeys(row.other_names)
        if other != row.name
    ] + [
        OrganisationName(organisation=org, name=row.reading, is_reading=True)
        for row, org in zip(creates, organisations, strict=True)
        if row.reading
    ]
    OrganisationName.objects.bulk_create(names, batch_size=BATCH_SIZE, ignore_conflicts=True)
    known = _known_licences({row.issuer for row in rows if row.issuer})
    for done, change in enumerate(c for c in report.changes if c.action != "create"):
        row = by_row[change.row]
        item = known[(row.issuer, row.number_key)]
        lic, org = item.licence, item.licence.organisation
        for name in ("name", "address", "phone", "website"):
            if name in change.fields:
                setattr(org, name, change.fields[name][1])
        org.save()
        for name in ("issued_on", "expires_on"):
            if name in change.fields:
                setattr(lic, name, change.fields[name][1])
        lic.save()
        if change.action == "status":
            history.append(
                LicenceStatusChange(
                    licence=lic,
                    status=row.status,
                    effective_on=report.as_of,
                    batch=batch,
                    note=unknown_date,
                )
            )
        if progress and done % 1000 == 0:
            progress("write", len(organisations) + done, len(rows))
    LicenceStatusChange.objects.bulk_create(history, batch_size=BATCH_SIZE)
    registry_changed()
    if progress:
        progress("write", len(rows), len(rows))


def agencies_import(
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    source: str = "generic",
    as_of: dt.date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a list and, unless ``dry_run`` or anything is wrong, apply it all or nothing."""
    spec = source_get(source)
    report = ImportReport(
        source=source,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        as_of=as_of or timezone.localdate(),
        dry_run=dry_run,
    )
    read = read_list(data, filename=filename, source=spec, progress=progress)
    report.rows, report.errors, report.ignored_columns = (
        len(read.rows) + len({e.row for e in read.errors if e.row > 1}),
        read.errors,
        read.ignored_columns,
    )
    if report.errors:
        return report
    _plan(read.rows, report.as_of, report)
    if report.errors or dry_run or not report.changes:
        return report
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            source=source,
            filename=filename[:300],
            sha256=report.sha256,
            as_of=report.as_of,
            created_by=actor if isinstance(actor, User) else None,
        )
        _apply(read.rows, report, batch, progress)
        summary = {k: v for k, v in report.as_dict().items() if k not in ("changes", "errors")}
        batch.summary = summary
        batch.save(update_fields=["summary"])
        audit_record(actor=actor, action="registry.import", obj=batch, data=summary)
        report.batch_id = batch.pk
    return report
