"""Second factor (TOTP) for every account, on every signed-in page (``middleware.py``)."""
