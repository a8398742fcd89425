"""TITP, SSW and ESD side by side on a date: ``pathways_on(on, lang) -> dict`` (pure Python).

The facts are dated, cited parameters in ``params/jp/pathways/*.yaml`` (the same format and store
as every other legal number). Texts inside a value are ``{vi, ja, en}`` mappings and are rendered
in the requested language; every route lists the parameters behind it with their references and
verification level, so a page can say which facts are not verified.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fairpassage.law.engagement import InputError
from fairpassage.law.messages import LANGS, programme_name
from fairpassage.law.params import ParameterStore, Resolved, default_store

PATHWAY_PARAMS = {
    "titp": ("jp.pathways.titp",),
    "ssw": ("jp.pathways.ssw_terms", "jp.pathways.ssw_fields"),
    "esd": ("jp.pathways.esd",),
}
DUTIES = "jp.pathways.duties"
ALL_PATHWAY_PARAMS = (*[p for ps in PATHWAY_PARAMS.values() for p in ps], DUTIES)


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


def _route(
    route: str, on: dt.date, store: ParameterStore, lang: str, duties: Resolved
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
        "needs_review": any(not r.known for r in resolved),
        "verified": all(r.verification == "verified" for r in resolved),
        "basis": _basis([*resolved, duties]),
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
    routes = {name: _route(name, on, store, lang, duties) for name in PATHWAY_PARAMS}
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
            item.get("code") or item.get("who") or item.get("stage")
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


def dated_list_problems(
    store: ParameterStore,
    start: dt.date,
    end: dt.date,
    params: tuple[str, ...] = ALL_PATHWAY_PARAMS,
) -> list[str]:
    """Gaps, unknown periods and overlapping or incomplete list items, from start to end.

    A gap is a date on which a pathways parameter has no known value (before its first entry or
    in an ``unknown`` period); an overlap is an item listed twice in one dated list.
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
    return problems
