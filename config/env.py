"""Read the environment; generate development secrets once into ``var/``.

In production every secret must come from the environment: a missing one stops start-up
with one line naming the variable to set.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FAIRPASSAGE_VAR_DIR", BASE_DIR / "var"))

SECRET_NAMES = ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY")


def environment() -> str:
    """``development`` (default), ``test`` or ``production``."""
    value = os.environ.get("FAIRPASSAGE_ENV", "development").strip().lower()
    if value not in {"development", "test", "production"}:
        refuse(f"FAIRPASSAGE_ENV must be development, test or production, not {value!r}.")
    return value


def refuse(message: str) -> None:
    """Stop start-up with one line on standard error."""
    sys.stderr.write(f"fairpassage: {message}\n")
    raise SystemExit(78)  # EX_CONFIG


def flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def listing(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def _generated_development_secrets() -> dict[str, str]:
    """Create ``var/dev-secrets.json`` on first use and return its content."""
    path = VAR_DIR / "dev-secrets.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return loaded
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode("ascii"),
        "FIELD_HASH_KEY": secrets.token_urlsafe(32),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values, indent=2), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)
    return values


def secret(name: str, production: bool) -> str:
    """A secret from the environment; in development, from ``var/`` (generated once)."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if production:
        refuse(
            f"{name} is not set. Production needs it in the environment "
            f"(see docs/deployment.md, 'Keys')."
        )
    return _generated_development_secrets()[name]


def fernet_keys(raw: str, production: bool) -> list[str]:
    """Comma-separated Fernet keys, newest first; each must be valid."""
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    for key in keys:
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            refuse(
                "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key "
                "(generate one with: fairpassage generate-key)."
            )
    if not keys:
        refuse("FIELD_ENCRYPTION_KEYS is empty.")
    return keys
