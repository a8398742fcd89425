"""gunicorn's settings: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Its access and error logs go through the same filter as Django's (every tracking-code-shaped
token masked, fairpassage/core/logmask.py); the access log is written to standard output.
"""

import os

from fairpassage.core.logmask import gunicorn_logging

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
logconfig_dict = gunicorn_logging(os.environ.get("LOG_LEVEL", "INFO"))
