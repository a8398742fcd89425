"""Our questionnaire's own words on the pages: the label of each breakdown column and of each
answer, in the page's language, instead of the codes (issue 16, item 7).

The labels come from the definition the XLSForm is written from (``stats.questionnaire``), so
the page says "Nữ" and "Thực tập sinh kỹ năng" exactly as the respondent read them. Codes stay
in the downloads (CSV, XLSX), which machines read.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fairpassage.stats.questionnaire import CHOICES, GROUPS, SURVEY, choice_list

Labels = Mapping[str, str]


def _language() -> str:
    language = (get_language() or "vi").split("-")[0]
    return language if language in ("vi", "ja", "en") else "en"


@cache
def _questions() -> dict[str, tuple[Labels, str | None]]:
    """Question name -> (its labels, the name of its choice list or None)."""
    return {
        name: (labels, choice_list(kind))
        for kind, name, labels, _extra in SURVEY
        if kind not in GROUPS and name
    }


def column_label(column: str) -> str:
    """The question behind a breakdown column, in the page's language ("Giới tính")."""
    question = _questions().get(column)
    if question is None:
        return column
    return question[0].get(_language()) or question[0]["en"]


def value_label(column: str, value: Any) -> str:
    """One answer in the page's language: "female" -> "Nữ"; a year or a typed province as is."""
    if value is None or value == "":
        return _("Not answered")
    question = _questions().get(column)
    options = dict(CHOICES.get(question[1] or "", [])) if question else {}
    labels = options.get(str(value))
    if labels is None:
        return str(value)
    return labels.get(_language()) or labels["en"]


def group_title(by: Mapping[str, Any]) -> str:
    """A group as readers say it: "Nữ · Thực tập sinh kỹ năng" (never "sex = female")."""
    return " · ".join(value_label(column, value) for column, value in by.items())


def breakdown_label(columns: list[str]) -> str:
    """A breakdown as a choice in the picker: "Giới tính", or crossed "Giới tính × Chương trình"."""
    return " × ".join(column_label(column) for column in columns)
