"""Settings, all from the environment (see docs/deployment.md for every variable).

Development (the default) keeps an SQLite database and generated secrets under ``var/``.
Production (``FAIRPASSAGE_ENV=production``) refuses to start without its secrets.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from config import env
from fairpassage.core import logmask

django_stubs_ext.monkeypatch()  # generic admin and queryset classes at run time

BASE_DIR: Path = env.BASE_DIR
VAR_DIR: Path = env.VAR_DIR
ENVIRONMENT = env.environment()
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = env.secret("SECRET_KEY", PRODUCTION)
FIELD_ENCRYPTION_KEYS = env.fernet_keys(env.secret("FIELD_ENCRYPTION_KEYS", PRODUCTION), PRODUCTION)
FIELD_HASH_KEY = env.secret("FIELD_HASH_KEY", PRODUCTION)

DEBUG = env.flag("DEBUG", default=ENVIRONMENT == "development")
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "fairpassage.core.apps.SiteAdminConfig",  # django.contrib.admin with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "fairpassage.core",
    "fairpassage.reference",
    "fairpassage.checks",
    "fairpassage.registry",
    "fairpassage.cases",
    "fairpassage.surveys",
    "fairpassage.knowledge",
    "fairpassage.tracker",
    "fairpassage.mfa",
    "fairpassage.channels",
    "fairpassage.web",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "fairpassage.core.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fairpassage.web.middleware.ApplicationErrorMiddleware",
    "fairpassage.web.middleware.SecurityHeadersMiddleware",
    "fairpassage.mfa.middleware.SecondFactorMiddleware",
]

if PRODUCTION:  # compressed, cached static files straight from the application servers
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fairpassage.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fairpassage.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, as the installation does: an in-memory database shared between threads
    # answers "table is locked" at once instead of waiting, so concurrency could not be tested.
    # One file per test process, so two test runs side by side never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Languages: Vietnamese first, then Japanese and English.
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("ja", _("Japanese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "fairpassage_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Private files (encrypted by us before they are stored) go through named storages: a folder by
# default, or S3-compatible object storage with FILE_STORAGE=s3 (docs/storage.md; needs boto3).
FILE_STORAGE = os.environ.get("FILE_STORAGE", "filesystem").strip().lower()


_PREFIX = os.environ.get("FILE_STORAGE_PREFIX", "").strip("/")


def _private_storage(setting: str, prefix: str) -> dict[str, Any]:
    if FILE_STORAGE == "s3":
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "location": "/".join(p for p in (_PREFIX, prefix) if p),
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    if FILE_STORAGE != "filesystem":
        env.refuse(f"FILE_STORAGE must be filesystem or s3, not {FILE_STORAGE!r}.")
    return {
        "BACKEND": "fairpassage.core.files.PrivateFolderStorage",
        "OPTIONS": {"setting": setting},
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": _private_storage("CASES_ATTACHMENT_DIR", "attachments"),
    "backups": _private_storage("BACKUP_DIR", "backups"),
    "batch": _private_storage("BATCH_AUDIT_DIR", "batch-audits"),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Background work goes through Django's tasks framework (the django-tasks backport) on the
# installation's own database; workers are separate processes (`manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "FAIRPASSAGE_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
# A worker stamps its sign of life this often; a task whose worker is silent for
# TASK_WORKER_STALE_SECONDS (or whose process ended, on the same machine) is marked failed by
# the recovery sweep, which each worker runs every TASK_SWEEP_SECONDS (core/queue.py).
TASK_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("TASK_WORKER_HEARTBEAT_SECONDS", "10"))
TASK_WORKER_STALE_SECONDS = float(os.environ.get("TASK_WORKER_STALE_SECONDS", "60"))
TASK_SWEEP_SECONDS = float(os.environ.get("TASK_SWEEP_SECONDS", "30"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Case attachments (encrypted): the folder of the "attachments" storage when on the filesystem.
CASES_ATTACHMENT_DIR = Path(os.environ.get("CASES_ATTACHMENT_DIR", VAR_DIR / "attachments"))
# Backups written with `fairpassage backup --to-storage` (the "backups" storage's folder).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
# Batch audits' input and result tables (encrypted): the folder of the "batch" storage when on
# the filesystem; private, outside the web root.
BATCH_AUDIT_DIR = Path(os.environ.get("BATCH_AUDIT_DIR", VAR_DIR / "batch-audits"))
# Days the (encrypted) tables of a batch audit are kept; `fairpassage batch-purge` deletes them.
BATCH_AUDIT_RETENTION_DAYS = int(os.environ.get("BATCH_AUDIT_RETENTION_DAYS", "30"))
# Seconds between two looks of a server process at the newest stored agency search index (built
# by a task after each registry change; docs/deployment.md). Tests look at every search.
SEARCH_INDEX_CHECK_SECONDS = float(
    os.environ.get("SEARCH_INDEX_CHECK_SECONDS", "0" if ENVIRONMENT == "test" else "5")
)
# A running audit whose progress and worker were both silent for this long died.
BATCH_AUDIT_STALE_SECONDS = int(os.environ.get("BATCH_AUDIT_STALE_SECONDS", "120"))

# Chat channels (LINE, Zalo OA, Messenger; docs/channels.md).
# The site's public address, for links sent in a chat.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# Days chat text, events and idle conversations are kept; `fairpassage channels-purge` deletes them.
CHANNEL_RETENTION_DAYS = int(os.environ.get("CHANNEL_RETENTION_DAYS", "90"))
# Longest message read (characters); a longer one gets a fixed, polite answer. The default is
# the longest a LINE user can send and the longest statement the grievance form takes: a worker
# writes what happened in one message, which the dialogue files whole.
CHANNEL_MAX_TEXT = int(os.environ.get("CHANNEL_MAX_TEXT", "5000"))
# Events answered per minute: per sender, and per account (a flood is stored, not answered).
CHANNEL_RATE_PER_SENDER = int(os.environ.get("CHANNEL_RATE_PER_SENDER", "20"))
CHANNEL_RATE_PER_ACCOUNT = int(os.environ.get("CHANNEL_RATE_PER_ACCOUNT", "600"))
# A Zalo event older than this (by its signed timestamp) is refused as a replay.
CHANNEL_ZALO_MAX_AGE_SECONDS = int(os.environ.get("CHANNEL_ZALO_MAX_AGE_SECONDS", "300"))
# Outbound calls: timeout, tries, and the first wait before a retry (doubled each time).
CHANNEL_HTTP_TIMEOUT = float(os.environ.get("CHANNEL_HTTP_TIMEOUT", "10"))
CHANNEL_SEND_ATTEMPTS = int(os.environ.get("CHANNEL_SEND_ATTEMPTS", "6"))
CHANNEL_RETRY_SECONDS = int(os.environ.get("CHANNEL_RETRY_SECONDS", "30"))
CHANNEL_LINE_API_URL = os.environ.get("CHANNEL_LINE_API_URL", "https://api.line.me")
CHANNEL_ZALO_API_URL = os.environ.get("CHANNEL_ZALO_API_URL", "https://openapi.zalo.me")
CHANNEL_MESSENGER_API_URL = os.environ.get(
    "CHANNEL_MESSENGER_API_URL", "https://graph.facebook.com/v21.0"
)

# Security defaults; production hardens them further (manage.py check --deploy passes).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# A staff session ends after a working day, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(10 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if not ALLOWED_HOSTS:
        env.refuse("ALLOWED_HOSTS is not set. Production needs the site's host names.")

# Referral between installations (docs/referral-package.md): this installation's id and private
# keys, and its peers' public keys as JSON {"id": {"signing": "…", "encryption": "…"}}.
REFERRAL_INSTALLATION_ID = os.environ.get("REFERRAL_INSTALLATION_ID", "")
REFERRAL_SIGNING_KEY = os.environ.get("REFERRAL_SIGNING_KEY", "")
REFERRAL_ENCRYPTION_KEY = os.environ.get("REFERRAL_ENCRYPTION_KEY", "")
try:
    REFERRAL_PEERS = json.loads(os.environ.get("REFERRAL_PEERS", "") or "{}")
except json.JSONDecodeError:
    env.refuse('REFERRAL_PEERS must be JSON: {"installation id": {"signing": …, "encryption": …}}.')

FAIRPASSAGE_VERSION = "0.1.0"
FAIRPASSAGE_DATA_DIR = BASE_DIR / "data"

# Every handler masks anything shaped like a tracking code (fairpassage/core/logmask.py);
# gunicorn's access and error logs get the same filter from config/gunicorn.conf.py.
LOGGING = logmask.django_logging(os.environ.get("LOG_LEVEL", "INFO"))
