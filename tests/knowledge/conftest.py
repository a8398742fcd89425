"""Fixture articles (in tests/knowledge/content) loaded into the test database."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairpassage.knowledge import services

CONTENT = Path(__file__).resolve().parent / "content"


@pytest.fixture
def articles(db: None) -> dict[str, int]:
    return services.knowledge_seed_load(directory=CONTENT)
