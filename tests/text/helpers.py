"""Shared loaders for the labelled agency names and queries (all invented, none real)."""

from __future__ import annotations

import csv
from pathlib import Path

from fairpassage.text.match import Candidate, Index

DATA = Path(__file__).parent / "data"


def load_candidates() -> list[Candidate]:
    with (DATA / "agencies.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Candidate(
                id=row["id"],
                names=tuple(row["names"].split("|")),
                licences=tuple(filter(None, row["licences"].split("|"))),
            )
            for row in csv.DictReader(handle)
        ]


def load_queries() -> list[dict[str, str]]:
    with (DATA / "queries.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build_index() -> Index:
    return Index.build(load_candidates())
