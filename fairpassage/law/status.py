"""Which parts of the encoded law need reading: ``fairpassage law status`` and the staff page.

For a date ``on`` and a horizon of ``days``, every parameter whose values, between ``on`` and
``on + days``:

* are ``unknown`` (in force on ``on``, or from a date within the horizon): the law changed and
  its new content was not read;
* end: a repeal (``value: null``) starts within the horizon;
* are only ``secondary`` or ``unverified``: read in a summary, a translation or news, or inferred;

and every prefecture whose minimum wage table ends within the horizon (the next annual revision
may be in force and the table cannot say), or whose effective date is only planned. Each line
says what to read to fix it: the instrument, the provision and the address of the entry.

Pure Python: the command prints it, CI prints it (it never fails on the calendar), platform staff
see it on a page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fairpassage.law.earnings_minwage import MHLW_URL, MinimumWageTable, minimum_wage_table
from fairpassage.law.params import Entry, Parameter, ParameterStore, default_store

KINDS = ("unknown", "ends", "unverified", "secondary", "table_ends", "planned")


@dataclass(frozen=True)
class StatusLine:
    kind: str  # one of KINDS
    subject: str  # parameter id, or jp.minimum_wage.regional.<JIS code>
    since: dt.date  # the day the entry (or table) starts, or the day the table ends
    what: str  # the parameter's or prefecture's name (English)
    instrument: str
    provision: str
    url: str | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "since": self.since.isoformat(),
            "what": self.what,
            "read": {"instrument": self.instrument, "provision": self.provision, "url": self.url},
            "note": self.note,
        }


def _entries_in(param: Parameter, on: dt.date, until: dt.date) -> list[Entry]:
    """The entry in force on ``on`` (if any) and those starting after it, up to ``until``."""
    current = [e for e in param.entries if e.since <= on][-1:]
    return current + [e for e in param.entries if on < e.since <= until]


def _parameter_lines(param: Parameter, on: dt.date, until: dt.date) -> list[StatusLine]:
    lines = []
    for entry in _entries_in(param, on, until):
        if entry.unknown:
            kind = "unknown"
        elif entry.value is None and entry.since > on:
            kind = "ends"
        elif entry.verification != "verified":
            kind = entry.verification
        else:
            continue
        ref = entry.reference
        lines.append(
            StatusLine(
                kind,
                param.id,
                entry.since,
                param.description["en"],
                ref.instrument,
                ref.provision,
                ref.url,
                entry.note,
            )
        )
    return lines


def _minimum_wage_lines(table: MinimumWageTable, on: dt.date, until: dt.date) -> list[StatusLine]:
    lines = []
    for prefecture, last in table.latest():
        subject = f"jp.minimum_wage.regional.{prefecture.code}"
        name = f"Regional minimum wage, {prefecture.name_romaji.title()} ({prefecture.name_ja})"
        ends = dt.date(last.fiscal_year + 1, 10, 1)
        common = (name, "MHLW / Prefectural Labour Bureau announcement")
        if ends <= until:
            provision = f"FY{last.fiscal_year + 1} rate and its effective date (none encoded)"
            lines.append(
                StatusLine("table_ends", subject, max(ends, on), *common, provision, MHLW_URL, None)
            )
        if last.date_status == "planned" and last.effective >= on - dt.timedelta(days=366):
            provision = f"FY{last.fiscal_year} effective date {last.effective.isoformat()}"
            lines.append(
                StatusLine("planned", subject, on, *common, provision, MHLW_URL, last.note or None)
            )
        if last.verification != "verified" and last.effective <= until:
            provision = f"FY{last.fiscal_year} rate {last.hourly_jpy} yen in the official gazette"
            lines.append(
                StatusLine(
                    last.verification,
                    subject,
                    last.effective,
                    *common,
                    provision,
                    MHLW_URL,
                    None,
                )
            )
    return lines


def law_status(
    on: dt.date,
    days: int = 365,
    *,
    store: ParameterStore | None = None,
    table: MinimumWageTable | None = None,
) -> dict[str, Any]:
    """Every parameter (and minimum wage) to read between ``on`` and ``on + days``."""
    store = store or default_store()
    table = table or minimum_wage_table()
    until = on + dt.timedelta(days=days)
    lines: list[StatusLine] = []
    for param in store:
        lines.extend(_parameter_lines(param, on, until))
    lines.extend(_minimum_wage_lines(table, on, until))
    lines.sort(key=lambda s: (KINDS.index(s.kind), s.since, s.subject))
    counts = {k: sum(1 for s in lines if s.kind == k) for k in KINDS}
    return {
        "on": on.isoformat(),
        "horizon_days": days,
        "until": until.isoformat(),
        "rules_version": store.version,
        "counts": counts,
        "lines": [s.as_dict() for s in lines],
    }


def status_text(status: dict[str, Any]) -> str:
    """The status as plain text, one line per item, grouped by kind."""
    head = (
        f"Law status on {status['on']} (horizon {status['horizon_days']} days, "
        f"to {status['until']}), rules {status['rules_version']}"
    )
    out = [head, "counts: " + ", ".join(f"{k} {n}" for k, n in status["counts"].items())]
    for line in status["lines"]:
        read = line["read"]
        where = f" <{read['url']}>" if read["url"] else ""
        out.append(
            f"{line['kind'].upper():<10} {line['subject']} from {line['since']}: "
            f"read {read['instrument']}, {read['provision']}{where}"
        )
    return "\n".join(out) + "\n"
