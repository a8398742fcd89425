"""Fixtures of the security tests: the scene, private folders, fast password hashing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.security.scene import SecurityScene, scene_build


@pytest.fixture(autouse=True)
def _private_folders(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.CASES_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.BATCH_AUDIT_DIR = tmp_path / "batch"
    settings.FAIRPASSAGE_RATE_LIMITS = {"grievance": 1000, "track": 1000, "message": 1000}
    # Many users per test: a fast hash keeps the suite quick (passwords here protect nothing).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def scene(db: None) -> SecurityScene:
    return scene_build()
