"""Wiring only: settings, URLs, the API root and the WSGI/ASGI entry points."""
