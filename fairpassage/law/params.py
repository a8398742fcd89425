"""Dated, cited legal parameters loaded from ``params/**/*.yaml``.

A parameter file holds one legal number or list. Each dated entry applies from its date until the
next entry. An entry is one of:

* ``value: <anything>`` - the value in force; ``value: null`` means repealed / none in force;
* ``unknown: true`` - the law changed on that date and the new value is not known. Asking for the
  value on a date in that period gives a :class:`Resolved` whose ``state`` is ``"unknown"`` and the
  rules answer ``needs_review``: an expired value is never applied silently.

Before the first entry the parameter is ``"not_in_force"``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

PARAMS_DIR = Path(__file__).resolve().parent / "params"
VERIFICATION_LEVELS = ("verified", "secondary", "unverified")
LANGS = ("en", "vi", "ja")

State = Literal["known", "unknown", "not_in_force"]


class ParameterFileError(ValueError):
    """A parameter file does not follow the documented format."""


@dataclass(frozen=True)
class Reference:
    instrument: str
    provision: str
    url: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"instrument": self.instrument, "provision": self.provision, "url": self.url}


@dataclass(frozen=True)
class Entry:
    since: dt.date
    value: Any
    unknown: bool
    reference: Reference
    verification: str
    note: str | None


@dataclass(frozen=True)
class Parameter:
    id: str
    description: Mapping[str, str]
    unit: str
    entries: tuple[Entry, ...]
    path: str

    @cached_property
    def _starts(self) -> tuple[dt.date, ...]:
        return tuple(e.since for e in self.entries)

    def value_on(self, on: dt.date) -> Resolved:
        """The entry in force on ``on`` (entries are sorted by date)."""
        position = bisect_right(self._starts, on)
        if position == 0:
            return Resolved(self.id, on, "not_in_force", None, None, None, None, None)
        current = self.entries[position - 1]
        state: State = "unknown" if current.unknown else "known"
        return Resolved(
            self.id,
            on,
            state,
            None if current.unknown else current.value,
            current.since,
            current.reference,
            current.verification,
            current.note,
        )


@dataclass(frozen=True)
class Resolved:
    """A parameter looked up on a date."""

    param_id: str
    on: dt.date
    state: State
    value: Any
    since: dt.date | None
    reference: Reference | None
    verification: str | None
    note: str | None

    @property
    def known(self) -> bool:
        return self.state == "known"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.param_id,
            "date": self.on.isoformat(),
            "state": self.state,
            "value": _jsonable(self.value),
            "since": self.since.isoformat() if self.since else None,
            "verification": self.verification,
            "reference": self.reference.as_dict() if self.reference else None,
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _require(cond: bool, path: str, message: str) -> None:
    if not cond:
        raise ParameterFileError(f"{path}: {message}")


def _parse_entry(path: str, since: Any, raw: Any) -> Entry:
    _require(isinstance(since, dt.date), path, f"value key {since!r} is not a date YYYY-MM-DD")
    _require(isinstance(raw, Mapping), path, f"{since}: entry must be a mapping")
    unknown = raw.get("unknown", False)
    _require(unknown in (True, False), path, f"{since}: unknown must be true or false")
    if unknown:
        _require("value" not in raw, path, f"{since}: an unknown entry must not carry a value")
    else:
        _require("value" in raw, path, f"{since}: entry needs a value (null for a repeal)")
    allowed = {"value", "unknown", "reference", "verification", "note"}
    extra = set(raw) - allowed
    _require(not extra, path, f"{since}: unexpected keys {sorted(extra)}")
    ref = raw.get("reference")
    _require(isinstance(ref, Mapping), path, f"{since}: reference must be a mapping")
    assert isinstance(ref, Mapping)
    for key in ("instrument", "provision"):
        _require(
            isinstance(ref.get(key), str) and bool(ref.get(key)),
            path,
            f"{since}: reference.{key} is required",
        )
    _require("url" in ref, path, f"{since}: reference.url is required (null if none)")
    url = ref.get("url")
    _require(url is None or isinstance(url, str), path, f"{since}: reference.url must be text")
    verification = raw.get("verification")
    _require(
        verification in VERIFICATION_LEVELS,
        path,
        f"{since}: verification must be one of {VERIFICATION_LEVELS}",
    )
    if unknown:
        _require(verification != "verified", path, f"{since}: an unknown entry cannot be verified")
    note = raw.get("note")
    _require(note is None or isinstance(note, str), path, f"{since}: note must be text")
    return Entry(
        since=since,
        value=raw.get("value"),
        unknown=bool(unknown),
        reference=Reference(str(ref["instrument"]), str(ref["provision"]), url),
        verification=str(verification),
        note=note,
    )


def parse_parameter(raw: Any, path: str) -> Parameter:
    """Validate one parsed YAML document and build a :class:`Parameter`."""
    _require(isinstance(raw, Mapping), path, "file must hold a mapping")
    for key in ("id", "description", "unit", "values"):
        _require(key in raw, path, f"missing key {key!r}")
    extra = set(raw) - {"id", "description", "unit", "values"}
    _require(not extra, path, f"unexpected keys {sorted(extra)}")
    pid = raw["id"]
    _require(isinstance(pid, str) and bool(pid), path, "id must be text")
    desc = raw["description"]
    _require(isinstance(desc, Mapping), path, "description must be a mapping")
    for lang in LANGS:
        _require(
            isinstance(desc.get(lang), str) and bool(desc.get(lang)),
            path,
            f"description.{lang} is required",
        )
    _require(isinstance(raw["unit"], str), path, "unit must be text")
    values = raw["values"]
    _require(isinstance(values, Mapping) and len(values) > 0, path, "values must be non-empty")
    entries = sorted(
        (_parse_entry(path, since, entry) for since, entry in values.items()),
        key=lambda e: e.since,
    )
    return Parameter(
        id=pid,
        description={lang: str(desc[lang]) for lang in LANGS},
        unit=str(raw["unit"]),
        entries=tuple(entries),
        path=path,
    )


def _parameter_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


class ParameterStore:
    """All parameters of one directory tree, with a stable content hash."""

    def __init__(self, root: Path = PARAMS_DIR) -> None:
        self.root = root
        self._params: dict[str, Parameter] = {}
        digest = hashlib.sha256()
        for path in _parameter_files(root):
            rel = path.relative_to(root).as_posix()
            data = path.read_bytes()
            digest.update(rel.encode("utf-8") + b"\0" + data + b"\0")
            param = parse_parameter(yaml.safe_load(data.decode("utf-8")), rel)
            if param.id in self._params:
                raise ParameterFileError(f"{rel}: duplicate id {param.id}")
            self._params[param.id] = param
        self.version = "sha256:" + digest.hexdigest()[:16]

    def __iter__(self) -> Iterator[Parameter]:
        return iter(sorted(self._params.values(), key=lambda p: p.id))

    def __len__(self) -> int:
        return len(self._params)

    def get(self, param_id: str) -> Parameter:
        try:
            return self._params[param_id]
        except KeyError:
            raise KeyError(f"unknown parameter {param_id}") from None

    def value_on(self, param_id: str, on: dt.date) -> Resolved:
        return self.get(param_id).value_on(on)

    def catalogue(self) -> list[dict[str, Any]]:
        """Every parameter with all its dated values (for the public law page)."""
        out: list[dict[str, Any]] = []
        for param in self:
            out.append(
                {
                    "id": param.id,
                    "description": dict(param.description),
                    "unit": param.unit,
                    "values": [
                        {
                            "since": e.since.isoformat(),
                            "value": None if e.unknown else _jsonable(e.value),
                            "unknown": e.unknown,
                            "reference": e.reference.as_dict(),
                            "verification": e.verification,
                            "note": e.note,
                        }
                        for e in param.entries
                    ],
                }
            )
        return out


@lru_cache(maxsize=1)
def default_store() -> ParameterStore:
    return ParameterStore()


def rules_version() -> str:
    """A stable hash of every parameter file (path and bytes)."""
    return default_store().version
