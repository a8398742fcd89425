"""Second factor (TOTP) for staff with case access."""
