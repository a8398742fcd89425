"""TITP, SSW and ESD side by side on a date: ``pathways_on(on, lang) -> dict`` (pure Python).

The facts are dated, cited parameters in ``params/jp/pathways/*.yaml`` (the same format and store
as every other legal number). Texts inside a value are ``{vi, ja, en}`` mappings and are rendered
in the requested language; every route lists the parameters behind it with their references and
verification level, so a page can say which facts are not verified.

Each route also carries its recruitment ``procedure``: the steps in order, from choosing a licensed
agency to arrival and return (``params/jp/pathways/procedure.yaml``). Every step names its actor
(the ids of ``duties.yaml``, plus ``worker`` and ``japanese_authority``), its phase, its legal basis
and that basis's verification level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fairpassage.law.engagement import InputError
from fairpassage.law.messages import LANGS, programme_name
from fairpassage.law.params import (
    VERIFICATION_LEVELS,
    Entry,
    ParameterStore,
    Resolved,
    default_store,
)

PATHWAY_PARAMS = {
    "titp": ("jp.pathways.titp",),
    "ssw": ("jp.pathways.ssw_terms", "jp.pathways.ssw_fields"),
    "esd": ("jp.pathways.esd",),
}
DUTIES = "jp.pathways.duties"
PROCEDURE = "jp.pathways.procedure"
ALL_PATHWAY_PARAMS = (*[p for ps in PATHWAY_PARAMS.values() for p in ps], DUTIES, PROCEDURE)

# The phases of the recruitment procedure, in order; a route's steps never go back a phase.
PHASES = (
    "agency",
    "contract",
    "training",
    "japan_side",
    "recommendation",
    "coe",
    "visa",
    "departure",
    "arrival",
    "return",
)
# Who acts in a step: the duty holders of duties.yaml, plus the worker and the Japanese authority.
ACTORS = frozenset(
    {
        "vietnamese_authority",
        "sending_organisation",
        "supervising_organisation",
        "registered_support_organisation",
        "employer",
        "japanese_side_costs",
        "worker",
        "japanese_authority",
    }
)
# Route statuses (the ``status`` fact) under which a worker can still be in the procedure.
OPEN_STATUSES = frozenset({"open", "closing", "closed_to_new_entrants", "in_force"})
STATUS_PARAM = {
    "titp": "jp.pathways.titp",
    "ssw": "jp.pathways.ssw_terms",
    "esd": "jp.pathways.esd",
}


def localise(value: Any, lang: str) -> Any:
    """Replace every ``{vi, ja, en}`` mapping by its text in ``lang``."""
    if isinstance(value, Mapping):
        if set(value) == set(LANGS):
            return value[lang]
        return {str(k): localise(v, lang) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [localise(v, lang) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _basis(resolved: list[Resolved]) -> list[dict[str, Any]]:
    return [
        {
            "parameter": r.param_id,
            "state": r.state,
            "since": r.since.isoformat() if r.since else None,
            "verification": r.verification,
            "reference": r.reference.as_dict() if r.reference else None,
            "note": r.note,
        }
        for r in resolved
    ]


def _route_items(resolved: Resolved, route: str) -> list[Any]:
    if resolved.known and isinstance(resolved.value, Mapping):
        items = resolved.value.get(route, [])
        return list(items) if isinstance(items, list) else []
    return []


def _route(
    route: str,
    on: dt.date,
    store: ParameterStore,
    lang: str,
    duties: Resolved,
    procedure: Resolved,
) -> dict[str, Any]:
    resolved = [store.value_on(pid, on) for pid in PATHWAY_PARAMS[route]]
    facts: dict[str, Any] = {}
    for r in resolved:
        if r.known and isinstance(r.value, Mapping):
            facts.update(localise(r.value, lang))
    duty_list: list[Any] = []
    if duties.known and isinstance(duties.value, Mapping):
        duty_list = localise(duties.value.get(route, []), lang)
    fields = facts.pop("fields", None)
    return {
        "route": route,
        "name": programme_name(route, lang),
        "facts": facts,
        "fields": fields,
        "fields_in_force": [f["code"] for f in fields or [] if f.get("in_force")],
        "duties": duty_list,
        "procedure": localise(_route_items(procedure, route), lang),
        "needs_review": any(not r.known for r in resolved),
        "verified": all(r.verification == "verified" for r in resolved),
        "basis": _basis([*resolved, duties, procedure]),
    }


def pathways_on(
    on: dt.date, lang: str = "vi", *, store: ParameterStore | None = None
) -> dict[str, Any]:
    """The three routes to Japan as they stand on ``on``, in ``lang``."""
    if lang not in LANGS:
        raise InputError("lang", "lang")
    if not isinstance(on, dt.date):
        raise InputError("on", "date_format")
    store = store or default_store()
    duties = store.value_on(DUTIES, on)
    procedure = store.value_on(PROCEDURE, on)
    routes = {name: _route(name, on, store, lang, duties, procedure) for name in PATHWAY_PARAMS}
    ssw_fields = routes["ssw"]["fields"] or []
    return {
        "rules_version": store.version,
        "date": on.isoformat(),
        "lang": lang,
        "routes": routes,
        "counts": {
            "ssw_fields_in_force": sum(1 for f in ssw_fields if f.get("in_force")),
            "ssw2_fields_in_force": sum(
                1 for f in ssw_fields if f.get("in_force") and f.get("ssw2")
            ),
            "esd_fields": len(routes["esd"]["fields"] or []),
        },
    }


def _item_problems(pid: str, since: Any, items: Any, kind: str) -> list[str]:
    problems: list[str] = []
    if not isinstance(items, list):
        return [f"{pid} from {since}: {kind} is not a list"]
    seen: set[str] = set()
    for item in items:
        key = (
            item.get("step") or item.get("code") or item.get("who") or item.get("stage")
            if isinstance(item, Mapping)
            else None
        )
        if key is None:
            problems.append(f"{pid} from {since}: {kind} item without a code")
            continue
        if str(key) in seen:
            problems.append(f"{pid} from {since}: {kind} lists {key} twice (overlap)")
        seen.add(str(key))
        name = item.get("name") or item.get("what")
        if name is not None and (not isinstance(name, Mapping) or set(name) != set(LANGS)):
            problems.append(f"{pid} from {since}: {kind} {key} lacks a text in vi, ja and en")
        if kind == "fields":
            if not isinstance(item.get("in_force"), bool):
                problems.append(f"{pid} from {since}: field {key} has no in_force")
            if pid == "jp.pathways.ssw_fields" and item.get("ssw2", "missing") not in (
                True,
                False,
                None,
            ):
                problems.append(f"{pid} from {since}: field {key} has no ssw2 (null if unknown)")
            if pid == "jp.pathways.esd" and item.get("transfer_after_years") not in (1, 2):
                problems.append(f"{pid} from {since}: field {key} has no transfer period")
    return problems


def _step_problems(pid: str, entry: Entry) -> list[str]:
    """Order, actors and verification of the procedure steps in one dated entry."""
    value = entry.value
    if not isinstance(value, Mapping):
        return [f"{pid} from {entry.since}: value is not a mapping of routes"]
    problems: list[str] = []
    rank = {level: i for i, level in enumerate(VERIFICATION_LEVELS)}
    weakest = 0
    for route in PATHWAY_PARAMS:
        items = value.get(route)
        kind = f"procedure.{route}"
        problems += _item_problems(pid, entry.since, items, kind)
        if not isinstance(items, list):
            continue
        last = 0
        for item in items:
            if not isinstance(item, Mapping):
                continue
            step = item.get("step")
            phase = item.get("phase")
            if phase not in PHASES:
                problems.append(f"{pid} from {entry.since}: {kind} {step} has no known phase")
            elif PHASES.index(phase) < last:
                problems.append(f"{pid} from {entry.since}: {kind} {step} is out of order")
            else:
                last = PHASES.index(phase)
            if item.get("who") not in ACTORS:
                problems.append(f"{pid} from {entry.since}: {kind} {step} has an unknown actor")
            if not isinstance(item.get("basis"), str) or not item.get("basis"):
                problems.append(f"{pid} from {entry.since}: {kind} {step} has no basis")
            level = item.get("verification")
            if level not in rank:
                problems.append(f"{pid} from {entry.since}: {kind} {step} has no verification")
            else:
                weakest = max(weakest, rank[level])
    if rank.get(entry.verification, 0) < weakest:
        problems.append(
            f"{pid} from {entry.since}: entry is {entry.verification} "
            f"but a step is only {VERIFICATION_LEVELS[weakest]}"
        )
    return problems


def _open_route_problems(store: ParameterStore, start: dt.date, end: dt.date) -> list[str]:
    """Every open route has procedure steps, and no route has steps before it opens."""
    params = [store.get(PROCEDURE), *(store.get(pid) for pid in STATUS_PARAM.values())]
    days = sorted({start, *(e.since for p in params for e in p.entries if start < e.since <= end)})
    problems: list[str] = []
    for day in days:
        steps = store.value_on(PROCEDURE, day)
        if not steps.known:
            continue  # reported as a gap
        for route, status_pid in STATUS_PARAM.items():
            facts = store.value_on(status_pid, day)
            if not facts.known or not isinstance(facts.value, Mapping):
                continue
            status = facts.value.get("status")
            has_steps = bool(_route_items(steps, route))
            if status in OPEN_STATUSES and not has_steps:
                problems.append(f"{PROCEDURE}: {route} is {status} on {day} but has no steps")
            if status not in OPEN_STATUSES and has_steps:
                problems.append(f"{PROCEDURE}: {route} has steps on {day} while it is {status}")
    return problems


def dated_list_problems(
    store: ParameterStore,
    start: dt.date,
    end: dt.date,
    params: tuple[str, ...] = ALL_PATHWAY_PARAMS,
) -> list[str]:
    """Gaps, unknown periods and overlapping or incomplete list items, from start to end.

    A gap is a date on which a pathways parameter has no known value (before its first entry or
    in an ``unknown`` period); an overlap is an item listed twice in one dated list. The procedure
    is also checked for step order, actors and verification, and against the routes' status: an
    open route must have steps, a route not yet open (ESD before 2027-04-01) must have none.
    """
    problems: list[str] = []
    for pid in params:
        param = store.get(pid)
        day = start
        while day <= end:
            r = param.value_on(day)
            if not r.known:
                problems.append(f"{pid}: no known value on {day.isoformat()} ({r.state})")
                nxt = [e.since for e in param.entries if e.since > day]
                day = nxt[0] if nxt else end + dt.timedelta(days=1)
                continue
            day += dt.timedelta(days=1)
        for entry in param.entries:
            value = entry.value
            if not isinstance(value, Mapping):
                continue
            for kind in ("fields", "stages"):
                if value.get(kind) is not None:
                    problems += _item_problems(pid, entry.since, value[kind], kind)
            if pid == DUTIES:
                for route, items in value.items():
                    problems += _item_problems(pid, entry.since, items, f"duties.{route}")
        if pid == PROCEDURE:
            for entry in param.entries:
                if not entry.unknown:
                    problems += _step_problems(pid, entry)
    if PROCEDURE in params:
        problems += _open_route_problems(store, start, end)
    return problems
