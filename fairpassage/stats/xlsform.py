"""XLSForm files (ODK / KoboToolbox form definitions) read with pyxform into a list of fields.

A form loads when pyxform both parses it and converts it to an XForm; anything else is a
``FormDefinitionError`` naming the file and pyxform's reason.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyxform import xls2json  # type: ignore[import-untyped]
from pyxform.xls2xform import convert  # type: ignore[import-untyped]

SUFFIXES = (".xls", ".xlsx")
CONTAINERS = ("group", "repeat", "loop")


class FormDefinitionError(Exception):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail


@dataclass(frozen=True)
class FormField:
    name: str
    type: str
    path: str  # group path with "/", as KoboToolbox writes column names
    repeat: str | None  # the innermost repeat group, if any
    choices: str | None = None  # list name of a select question


@dataclass(frozen=True)
class FormDefinition:
    form_id: str
    title: str
    version: str | None
    fields: list[FormField]
    choices: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def repeats(self) -> list[str]:
        return sorted({f.repeat for f in self.fields if f.repeat})

    def languages(self) -> list[str]:
        seen: dict[str, None] = {}
        for options in self.choices.values():
            for option in options:
                label = option.get("label")
                if isinstance(label, dict):
                    seen.update(dict.fromkeys(label))
        return list(seen)


def _walk(children: list[dict[str, Any]], path: str, repeat: str | None) -> list[FormField]:
    out: list[FormField] = []
    for child in children:
        kind = str(child.get("type", ""))
        name = str(child.get("name", ""))
        here = f"{path}/{name}" if path else name
        if kind in CONTAINERS:
            inner = name if kind in ("repeat", "loop") else repeat
            out += _walk(child.get("children", []), here, inner)
        elif name:
            list_name = child.get("list_name") or child.get("itemset")
            out.append(FormField(name, kind, here, repeat, str(list_name) if list_name else None))
    return out


def load_form(path: Path) -> FormDefinition:
    """Parse and convert one XLSForm; raise ``FormDefinitionError`` with pyxform's reason."""
    if path.suffix.lower() not in SUFFIXES:
        raise FormDefinitionError(path.name, "an XLSForm is an .xls or .xlsx workbook")
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = xls2json.parse_file_to_json(str(path), warnings=notes)
            convert(xlsform=str(path), warnings=notes, validate=False)
    except Exception as error:  # pyxform raises PyXFormError and assorted parser errors
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise FormDefinitionError(path.name, detail) from error
    choices = data.get("choices") or {}
    return FormDefinition(
        form_id=str(data.get("id_string") or data.get("name") or path.stem),
        title=str(data.get("title") or path.stem),
        version=str(data["version"]) if data.get("version") else None,
        fields=_walk(data.get("children", []), "", None),
        choices={str(key): list(value) for key, value in choices.items()},
        warnings=notes,
    )
