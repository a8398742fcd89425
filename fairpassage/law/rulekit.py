"""Small helpers shared by the rule modules."""

from __future__ import annotations

from collections.abc import Iterable

from fairpassage.law.audit import Item


def total(items: Iterable[Item]) -> int:
    return sum(i.amount_vnd for i in items)


def indices(items: Iterable[Item]) -> tuple[int, ...]:
    return tuple(i.index for i in items)


def categories_of(items: Iterable[Item]) -> tuple[str, ...]:
    seen: list[str] = []
    for i in items:
        if i.category and i.category not in seen:
            seen.append(i.category)
    return tuple(seen)
