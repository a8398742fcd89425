"""A logging filter that masks anything shaped like a grievance tracking code, and the logging
configuration that puts it on every handler (Django's, gunicorn's access and error logs).

A tracking code opens a grievance's status and messages to whoever holds it, so it must never
sit in a log file. Codes travel in request bodies or headers, never in addresses; this filter is
the second line: a code pasted into an address by hand, quoted in an error or a traceback is
replaced by ``[tracking code]`` before any handler writes the line.

This module imports nothing of Django: gunicorn's configuration file uses it before Django
starts.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

#: Crockford base 32 (``cases/codes.py``), with the letters a person may type instead mapped.
ALPHABET = frozenset("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
CHARS = 20
MASK = "[tracking code]"

_ALNUM = "0-9A-Za-z"
# A separator between the groups of four: a hyphen or a space, also as an address writes them.
_SEP = r"(?:-|\s|\+|%2[dD]|%20)"
_GROUPED = rf"[{_ALNUM}]{{4}}(?:{_SEP}[{_ALNUM}]{{4}}){{4}}"
_RUN = rf"[{_ALNUM}](?:-?[{_ALNUM}]){{{CHARS - 1}}}"
SHAPE = re.compile(
    rf"(?<![{_ALNUM}])(?<![{_ALNUM}]-)(?:{_GROUPED}|{_RUN})(?![{_ALNUM}])(?!-[{_ALNUM}])"
)


def _looks_like_a_code(text: str) -> bool:
    plain = re.sub(r"%2[dD]|%20|[-\s+]", "", text).upper().translate(CONFUSABLE)
    return len(plain) == CHARS and set(plain) <= ALPHABET


def mask(text: str) -> str:
    """``text`` with every code-shaped token replaced by ``[tracking code]``."""
    return SHAPE.sub(lambda m: MASK if _looks_like_a_code(m.group(0)) else m.group(0), text)


class MaskTrackingCodes(logging.Filter):
    """Masks codes in the message (after formatting its arguments) and in any traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


FILTER = {"mask_tracking_codes": {"()": "fairpassage.core.logmask.MaskTrackingCodes"}}


def with_mask(config: dict[str, Any]) -> dict[str, Any]:
    """A copy of a ``dictConfig`` configuration with the filter on every one of its handlers."""
    config = copy.deepcopy(config)
    config.setdefault("filters", {}).update(FILTER)
    for handler in config.get("handlers", {}).values():
        filters = handler.setdefault("filters", [])
        if "mask_tracking_codes" not in filters:
            filters.append("mask_tracking_codes")
    return config


def django_logging(level: str = "INFO") -> dict[str, Any]:
    """``LOGGING`` of the settings: one console handler for everything, and Django's own
    handlers (the development server's request log, mail to the admins) redefined here so that
    they carry the filter too. Each line carries the request id (``core/requestid.py``): the
    request's in the web process, the queuing request's in a task worker, ``-`` elsewhere."""
    config = with_mask(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "plain": {
                    "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"
                },
                "django.server": {
                    "()": "django.utils.log.ServerFormatter",
                    "format": "[{server_time}] {message}",
                    "style": "{",
                },
            },
            "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
            "handlers": {
                "console": {"class": "logging.StreamHandler", "formatter": "plain"},
                "django.server": {
                    "class": "logging.StreamHandler",
                    "formatter": "django.server",
                },
                "mail_admins": {
                    "level": "ERROR",
                    "filters": ["require_debug_false"],
                    "class": "django.utils.log.AdminEmailHandler",
                },
            },
            "root": {"handlers": ["console"], "level": level},
            "loggers": {
                # Replaces Django's default handlers of "django" (which bypass the filter);
                # its records reach the console through the root logger.
                "django": {"handlers": ["mail_admins"], "level": level},
                "django.server": {
                    "handlers": ["django.server"],
                    "level": "INFO",
                    "propagate": False,
                },
                "django.db.backends": {"level": "INFO"},
            },
        }
    )
    config["filters"]["request_id"] = {"()": "fairpassage.core.requestid.RequestIdFilter"}
    for handler in config["handlers"].values():
        handler["filters"].insert(0, "request_id")
    return config


def gunicorn_logging(level: str = "INFO") -> dict[str, Any]:
    """gunicorn's own logging (``config/gunicorn.conf.py``): its access log on standard output
    and its error log on standard error, both through the filter."""
    generic = {
        "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
        "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
    }
    return with_mask(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"generic": generic},
            "handlers": {
                "console": {
                    "class": "logging.StreamHandler",
                    "formatter": "generic",
                    "stream": "ext://sys.stdout",
                },
                "error_console": {
                    "class": "logging.StreamHandler",
                    "formatter": "generic",
                    "stream": "ext://sys.stderr",
                },
            },
            "root": {"level": level, "handlers": ["console"]},
            "loggers": {
                "gunicorn.error": {
                    "level": level,
                    "handlers": ["error_console"],
                    "propagate": False,
                },
                "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
            },
        }
    )
