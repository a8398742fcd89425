"""Settings come from the environment; production refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
START = "import django; django.setup(); print('started')"


def run(env: dict[str, str], code: str = START, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEYS",
            "FIELD_HASH_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "FAIRPASSAGE_ENV",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    command = [sys.executable, "-c", code] if code else [sys.executable, *args]
    return subprocess.run(
        command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def production(**overrides: str) -> dict[str, str]:
    env = {
        "FAIRPASSAGE_ENV": "production",
        "SECRET_KEY": "x" * 60 + "production-secret-key-for-the-test-only",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "FIELD_HASH_KEY": "h" * 40,
        "ALLOWED_HOSTS": "fairpassage.example.org",
        "DATABASE_URL": "sqlite:////tmp/fairpassage-settings-test.sqlite3",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v}


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY", "ALLOWED_HOSTS"]
)
def test_production_without_a_secret_refuses_to_start_with_one_line(missing: str) -> None:
    result = run(production(**{missing: ""}))
    assert result.returncode == 78
    assert "started" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fairpassage: ")
    assert missing in lines[0]


def test_production_rejects_a_malformed_encryption_key() -> None:
    result = run(production(FIELD_ENCRYPTION_KEYS="not-a-key"))
    assert result.returncode == 78
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_with_its_secrets_starts_and_passes_check_deploy() -> None:
    assert run(production()).stdout.strip() == "started"
    result = run(production(), "", "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_generates_secrets_once_into_var(tmp_path: Path) -> None:
    env = {"FAIRPASSAGE_ENV": "development", "FAIRPASSAGE_VAR_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEYS[0])"
    )
    first = run(env, code)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "dev-secrets.json").exists()
    assert oct((tmp_path / "dev-secrets.json").stat().st_mode & 0o777) == "0o600"
    assert run(env, code).stdout == first.stdout
